"""Key points met in the other language, by the dictionary, and only where they are asserted.

An answer in Chinese to a point written in English (or the reverse) states the point in words the
dictionary glosses (`dictionary.met_in_other_language`). The polarity rules read the answer in its
own language, so a clause met this way is judged here before it earns anything: a clause that
negates what it says (不需要…, "never…") or says the opposite of a word the point uses (水平 for
"vertical", "reads" for 写) earns nothing from the dictionary, since across languages the grader
cannot tell whether it agrees or contradicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from app.ai.offline import text as tx
from app.ai.offline.concepts import concept_ids
from app.ai.offline.dictionary import load_dictionary, met_in_other_language, segment
from app.ai.offline.grading.polarity import (
    asserted_terms,
    clause_spans,
    negates,
    opposites,
    truth_terms,
    words_of,
)

if TYPE_CHECKING:
    from app.ai.offline.grading.answer import Answer
    from app.ai.offline.grading.topic import Point, Topic


@dataclass(frozen=True)
class Crossed:
    """What a sentence in the other language than a key point says of it, from its asserting
    clauses only: their terms, the concepts they name, and the point's terms the dictionary reads
    in them (each with how much the match proves)."""

    terms: frozenset[str]
    concepts: frozenset[int]
    glossed: dict[str, float]
    # The clauses that reverse most of the point (its strongest terms among them): they
    # contradict it as a clause in its own language would.
    denials: tuple[tuple[int, int], ...] = ()


def crossed_sentences(point: Point, answer: Answer) -> list[Crossed | None]:
    """For each sentence of the answer: None in the point's language (read as it is), else what
    its asserting clauses say (see `Crossed`)."""
    key = ("crossed", point.text)
    found = answer.memo.get(key)
    if found is None:
        languages = sentence_languages(answer)
        found = answer.memo[key] = [
            None if language == point.language else crossed_sentence(point, answer, k)
            for k, language in enumerate(languages)
        ]
    return found


def crossed_sentence(point: Point, answer: Answer, k: int) -> Crossed:
    """What sentence ``k``, in the other language, says of the point. Read whole when none of its
    clauses can turn the point around: it shares nothing with the point, or it holds no negation,
    turn or reversal word and the point denies nothing itself."""
    start, end = answer.sentences[k]
    sentence = answer.text[start:end]
    met = met_in_other_language(point.text, sentence)
    terms, concepts = answer.sentence_terms[k], answer.concepts[k]
    shares = (
        met
        or not terms.isdisjoint(point.weights.keys() | point.aliases.keys())
        or not concepts.isdisjoint(point.concepts.keys())
    )
    # A reversal word is judged clause by clause: "vertical…, horizontal…" names both sides in
    # one sentence, each of its clauses only one.
    plain = (
        asserted_terms(point.text) is None
        and not negates(sentence)
        and other_language_words(sentence).isdisjoint(opposites().keys())
    )
    if not shares or plain:
        return Crossed(terms, concepts, dict(met))
    return crossed(point, answer.text, (start, end))


def sentence_languages(answer: Answer) -> list[str]:
    """The language of each sentence of the answer, read once."""
    found = answer.memo.get("languages")
    if found is None:
        found = answer.memo["languages"] = [
            tx.detect_language(answer.text[start:end]) for start, end in answer.sentences
        ]
    return found


def crossed(point: Point, text: str, span: tuple[int, int]) -> Crossed:
    """What one sentence in the other language says of the point, clause by clause; a clause
    that negates or reverses (see `turned`) says nothing here."""
    terms: set[str] = set()
    concepts: set[int] = set()
    glossed: dict[str, float] = {}
    denials: list[tuple[int, int]] = []
    for start, end in clause_spans(text, (span,)):
        clause = text[start:end]
        own = frozenset(tx.content_terms(clause))
        found = concept_ids(clause)
        met = dict(met_in_other_language(point.text, clause))
        stated = own | {t for c in found & point.concepts.keys() for t in point.concepts[c]}
        said = (stated & point.weights.keys()) | met.keys()
        if turned(point, clause, said):
            # A negation's scope cannot be told across languages ("客户端并不知道…" denies the
            # knowing, not the client), so only a reversed word makes a contradiction.
            if carries(point, said) and reversed_across(point.text, point.context_text, clause):
                denials.append((start, end))
            continue
        terms |= own
        concepts |= found
        for term, proves in met.items():
            glossed[term] = max(glossed.get(term, 0.0), proves)
    return Crossed(frozenset(terms), frozenset(concepts), glossed, tuple(denials))


def carries(point: Point, said: frozenset[str]) -> bool:
    """The terms carry the point's claim: half its weight, with two of its full-weight terms."""
    share = sum(point.weights[t] for t in said) / point.total
    strong = sum(1 for t in said if point.weights[t] >= 1.0)
    return share >= 0.5 and strong >= 2


def turned(point: Point, clause: str, met: frozenset[str]) -> bool:
    """The clause turns around what it states of the point (``met``, the point's terms it
    states): it negates a point that asserts, or says the opposite of a word the point uses
    without the word itself.

    A point that denies or avoids something itself ("… do not wait") has two parts: a clause that
    negates its asserted part alone ("不能…解耦") turns it around, and so does one that asserts its
    denied part without a negation or turn of its own ("生产者必须等待")."""
    negated = negates(clause) and not only_privative_words(clause)
    asserted = asserted_terms(point.text)
    if asserted is None:
        if negated:
            return True
    elif negated and met & asserted and not met - asserted:
        return True
    elif not negated and met - asserted and point.language == "en":
        # A Chinese point's parts are read as character pairs, too roughly to tell which part an
        # English clause asserts ("四次多余" against "four is unnecessary").
        return True
    return reversed_across(point.text, point.context_text, clause)


def glossed_spans(sentence: str, terms: set[str]) -> list[tuple[int, int]]:
    """Where the sentence's Chinese words of two characters or more gloss one of ``terms``."""
    dictionary = load_dictionary()
    return [
        (start, end)
        for start, end, word in segment(sentence)
        if end - start >= 2 and not terms.isdisjoint(dictionary.terms_of(word))
    ]


_PRIVATIVE = re.compile(r"^(?:un|non|in|dis)|less$")  # "unreliable", "connectionless"


@lru_cache(maxsize=65536)
def only_privative_words(clause: str) -> bool:
    """Every Chinese negator of the clause starts a dictionary word of three characters or more
    that names a property ("不可靠" unreliable, "无连接" connectionless), and the clause has no
    other negation: it denies nothing, it names the property."""
    spans = tx.zh_negations(clause)
    if not spans or any(t.negates for t in tx.tokens(clause)):
        return False
    dictionary = load_dictionary()
    words = {
        start: word
        for start, _, word in segment(clause)
        if len(word) >= 3 and any(_PRIVATIVE.search(t) for t in dictionary.terms_of(word))
    }
    return all(start in words for start, _ in spans)


@lru_cache(maxsize=65536)
def reversed_across(point: str, context: str, clause: str) -> bool:
    """Read in the point's language, the clause uses the opposite of a word the point itself
    uses, and neither that word nor anything else of the point's context ("水平" where the point
    says "vertical"); a word the reference sentence beside the point uses ("unsafe") is no
    point's claim for a gloss (安全, "safe") to turn around."""
    said = other_language_words(clause)
    own = other_language_words(point)
    truth = truth_terms(context) | other_language_words(context)
    table = opposites()
    return any(
        word not in truth and table[word] & own and not table[word] & said
        for word in said & table.keys()
    )


@lru_cache(maxsize=65536)
def other_language_words(text: str, shortest: int = 1) -> frozenset[str]:
    """The English terms of a text: its own words, and the glosses of its Chinese words of at
    least ``shortest`` characters."""
    if not tx.CJK_RE.search(text):
        return words_of(text)
    dictionary = load_dictionary()
    return words_of(text) | {
        t
        for _, _, word in segment(text)
        if len(word) >= shortest
        for t in dictionary.terms_of(word)
    }


def on_topic_across(answer: Answer, topic: Topic) -> frozenset[str]:
    """The topic's words an answer in the other language than the question names, read through
    the dictionary: the glosses of its Chinese words that the English topic uses, or its English
    words that gloss the Chinese topic's words."""
    asked = tx.detect_language(topic.question)
    if answer.language == asked:
        return frozenset()
    if asked == "en":
        # A one-character word has too many senses to put an answer on a subject.
        glossed: set[str] = set()
        for start, end in answer.sentences:
            glossed |= other_language_words(answer.text[start:end], shortest=2)
        return frozenset(glossed) & topic.vocabulary
    return answer.terms & topic_glosses(topic.question, topic.sentences, topic_point_texts(topic))


def topic_point_texts(topic: Topic) -> tuple[str, ...]:
    """The key points' texts."""
    return tuple(p.text for p in topic.points)


@lru_cache(maxsize=1024)
def topic_glosses(
    question: str, reference: tuple[str, ...], points: tuple[str, ...]
) -> frozenset[str]:
    """The English glosses of a Chinese topic's words (question, reference and key points), weak
    words aside."""
    out: set[str] = set()
    for text in (question, *reference, *points):
        out |= other_language_words(text, shortest=2) - words_of(text)
    return frozenset(t for t in out if not tx.is_weak(t))
