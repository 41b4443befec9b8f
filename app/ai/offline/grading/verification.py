"""What the grader cannot verify, told apart from what it can.

Two kinds of answer read well to a word matcher and are not what they seem:

- **Unverified claims.** An answer of several sentences that speaks of the question's own subject
  by name, yet makes (almost) none of the key points, is asserting things the grader cannot check
  against them. A correct answer that names the subject makes some of its points; a vague one says
  little and already scores low; what is left is mostly the fluent, confidently wrong answer (and
  now and then a correct one in words the grader does not know). The same goes for an answer most
  of whose sentences state as absolute ("always", "never", "no need", "the bigger the better")
  what the reference answer never does: words that meet a key point inside an overstatement prove
  nothing. Either way the grade is "not verified" and held below brief correct answers.
- **A neighbouring question's answer.** A long answer that makes few of the key points and fits
  another bank question clearly better than the one asked (log retention for "Kafka ordering",
  the three-way handshake for "the four-way close") answers that question, not this one.

Both checks look only at what the grade has already computed (the key-point matches) and run the
costlier bank comparison only on the few long answers that matched nothing, so grading stays fast.
"""

from __future__ import annotations

import heapq
import math
import re
import string
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from app.ai.offline import text as tx
from app.ai.offline.grading.answer import Answer
from app.ai.offline.grading.matching import COVERED_AT, Match, quoted_span
from app.ai.offline.grading.topic import Topic

UNVERIFIED_CAP = 30  # the most an answer whose claims match no key point scores
ABSOLUTE_CAP = 40  # the most an answer scores whose sentences mostly overstate what they claim
# An answer fits a neighbouring bank question when it shares at least this much (rarity-weighted)
# with it, and this many times what it shares with the question asked.
NEIGHBOUR_FIT_MIN = 40.0
NEIGHBOUR_RATIO = 2.0
# Terms used by more than about a third of the bank's questions say nothing about which one an
# answer is about (and cost the most to look up).
_COMMON_IDF = 1.0
_CANDIDATES = 8  # the best-fitting bank questions looked at for one that is not the asked one
# Content terms in a few sentences (Chinese is counted in character bigrams, about two a word):
# below this an answer is short, and judged by the brief-answer rules.
_SEVERAL_SENTENCES = {"en": 25, "zh": 40}


def covered_count(matches: list[Match]) -> int:
    """Key points made: matched well enough, and neither contradicted nor stated wrongly."""
    return sum(
        1
        for m in matches
        if m.score >= COVERED_AT and m.contradiction is None and not m.misconceptions
    )


def subject_share(answer: Answer, topic: Topic) -> float:
    """Share of the question's own strong terms (its subject) the answer uses."""
    asked = {t for t in topic.question_terms if not tx.is_weak(t)}
    return len(asked & answer.terms) / len(asked) if asked else 0.0


# Words that make a claim absolute: always and never, "no need", "just"/"only", "completely",
# "guaranteed", "automatically"/"immediately", "the best"/"the more the better". A correct answer
# uses them where the facts do (and the reference answer then uses them too); a confidently wrong
# one uses them to state what it has not checked. Each is filed under the kind of claim it makes.
# Single words are looked up, so the scan costs a set look-up a word rather than a regex at every
# character; the few phrases are matched only in text that holds their first word.
_EN_WORDS = {
    **dict.fromkeys(("always",), "always"),
    **dict.fromkeys(("never",), "never"),
    **dict.fromkeys(("unnecessary", "needless"), "no_need"),
    **dict.fromkeys(("only", "just", "simply", "merely"), "only"),
    **dict.fromkeys(
        ("completely", "entirely", "fully", "totally", "perfectly", "absolutely"), "complete"
    ),
    **dict.fromkeys(
        ("guarantee", "guarantees", "guaranteed", "certainly", "definitely", "impossible"),
        "certain",
    ),
    **dict.fromkeys(("immediately", "instantly", "directly", "automatically"), "instant"),
    **dict.fromkeys(("best", "safest", "fastest"), "superlative"),
}
_EN_PHRASES = (
    ("always", "every time"),
    ("always", "at all times"),
    ("no_need", "no need"),
    ("no_need", "n't need"),
    ("no_need", "not need"),
)
# "the more …, the better" and "as large as possible", matched only when their fixed words occur.
_EN_PATTERNS = re.compile(
    r"\bthe more\b[^.]{0,40}\bthe (?:better|faster|safer)"
    r"|\bas (?:large|big|many|long|low|high|small|short) as possible"
)
_EN_TRIGGERS = ("the more", "as possible")
# Punctuation and digits to spaces, so a text splits into its words without a regex (as ASCII
# bytes: any other character is first replaced by "?", which becomes a space too).
_TO_SPACES = bytes.maketrans(
    (string.punctuation + string.digits).encode(), b" " * len(string.punctuation + string.digits)
)
_EN_KINDS = {word.encode(): kind for word, kind in _EN_WORDS.items()}
_ZH_WORDS = (
    *(("always", w) for w in ("总是", "始终", "一律", "每次都")),
    *(("never", w) for w in ("从不", "从来不", "永远不", "绝不", "决不")),
    *(("no_need", w) for w in ("不需要", "无需", "不用", "没必要", "不必")),
    *(("only", w) for w in ("只要", "只需", "只是", "仅")),
    *(("complete", w) for w in ("完全", "彻底", "绝对")),
    *(("certain", w) for w in ("一定", "必然", "肯定", "保证", "不可能")),
    *(("instant", w) for w in ("立即", "马上", "直接", "自动")),
    *(("superlative", w) for w in ("最好", "最安全", "最快")),
)
_ZH_PATTERNS = re.compile(r"(?P<always>永远(?!不))|(?P<superlative>越.{1,8}越)")


def absolutes(text: str) -> frozenset[str]:
    """The kinds of absolute claim ``text`` makes ("always", "never", "no_need", "only",
    "complete", "certain", "instant", "superlative")."""
    low = text.lower()
    words = set(low.encode("ascii", "replace").translate(_TO_SPACES).split())
    kinds = {_EN_KINDS[w] for w in _EN_KINDS.keys() & words}
    kinds.update(kind for kind, phrase in _EN_PHRASES if phrase in low)
    if any(trigger in low for trigger in _EN_TRIGGERS) and _EN_PATTERNS.search(low):
        kinds.add("superlative")
    if tx.CJK_RE.search(text):
        kinds.update(kind for kind, word in _ZH_WORDS if word in text)
        if "永远" in text or "越" in text:
            kinds.update(m.lastgroup for m in _ZH_PATTERNS.finditer(text) if m.lastgroup)
    return frozenset(kinds)


@lru_cache(maxsize=1024)
def _backed(reference: str, points: tuple[str, ...]) -> frozenset[str]:
    return absolutes(" ".join((reference, *points)))


def overstated_sentences(answer: Answer, topic: Topic) -> frozenset[int]:
    """The answer's sentences (by index) that make a kind of absolute claim the reference answer
    and key points never make."""
    backed = _backed(" ".join(topic.sentences), tuple(p.text for p in topic.points))
    return frozenset(
        i
        for i, (start, end) in enumerate(answer.sentences)
        if absolutes(answer.text[start:end]) - backed
    )


def unbacked_absolutes(answer: Answer, topic: Topic) -> int:
    """How many of the answer's sentences overstate (see `overstated_sentences`)."""
    return len(overstated_sentences(answer, topic))


def verified_evidence(answer: Answer, topic: Topic, quotes: dict[str, str]) -> dict[str, str]:
    """The quotes of an unverified answer that can stand as evidence: a quote from a sentence
    that overstates is no proof the point was made, so the point is not called covered."""
    flagged = [answer.sentences[i] for i in overstated_sentences(answer, topic)]
    kept = {}
    for point, quote in quotes.items():
        start, end = quoted_span(answer.text, quote)
        if not any(start < hi and lo < end for lo, hi in flagged):
            kept[point] = quote
    return kept


def unverified_cap(answer: Answer, topic: Topic, matches: list[Match]) -> int | None:
    """The most the answer may score because the grader cannot verify what it claims, or None
    when what it says can be checked against the key points. Three cases:

    - several sentences' worth that name the question's subject (at least two fifths of its
      terms), make at most a quarter of the key points, and state something absolutely that the
      reference never does: `UNVERIFIED_CAP`;
    - half or more of the sentences (and at least two) absolute where the reference is not, with
      fewer than half the key points made: `UNVERIFIED_CAP`;
    - half or more of the sentences (and at least two) absolute where the reference is not,
      however many key points their words meet: `ABSOLUTE_CAP`, below a brief correct answer,
      since words that meet a point in a sentence that overstates it are no proof the point was
      understood.

    Short answers are left to the brief-answer rules (one line can make one point and be right),
    and an answer in the other language than the question is not judged by the question's words.
    """
    if not matches or answer.language != tx.detect_language(topic.question):
        return None
    if answer.term_count < _SEVERAL_SENTENCES.get(answer.language, 25):
        return None
    unbacked = unbacked_absolutes(answer, topic)
    sentences = len(answer.sentences)
    made = covered_count(matches)
    if unbacked >= 2 and 2 * unbacked >= sentences:
        return ABSOLUTE_CAP if 2 * made >= len(matches) else UNVERIFIED_CAP
    if 2 * made >= len(matches):
        return None
    if unbacked >= 1 and 4 * made <= len(matches) and subject_share(answer, topic) >= 0.4:
        return UNVERIFIED_CAP
    return None


@dataclass(frozen=True)
class BankSubjects:
    """The bank's questions indexed by the terms of their subjects, for finding the question an
    answer fits best."""

    texts: tuple[str, ...]  # each question's normalised text
    asked: tuple[frozenset[str], ...]  # the strong terms of each question's own text
    postings: dict[str, tuple[int, ...]]  # term → the questions whose subject uses it
    idf: dict[str, float]
    rare: float  # the idf of a term no question uses


@lru_cache(maxsize=1)
def bank_subjects() -> BankSubjects:
    """Every bank question's subject: its text, key points, cues and reference answer."""
    from app.ai.offline.bank import load_bank  # the bank is needed only here

    texts, asked, subjects = [], [], []
    for q in load_bank().questions:
        parts = [
            q.text,
            q.reference_answer,
            *q.points,
            *(c for kp in q.key_points for c in kp.cues),
        ]
        texts.append(tx.normalize(q.text))
        asked.append(_strong(q.text))
        subjects.append(frozenset(t for p in parts for t in _strong(p)))
    df: Counter[str] = Counter(t for terms in subjects for t in terms)
    n = max(1, len(subjects))
    idf = {t: math.log(n / k) for t, k in df.items()}
    postings: dict[str, list[int]] = {}
    for i, terms in enumerate(subjects):
        for t in terms:
            if idf[t] >= _COMMON_IDF:
                postings.setdefault(t, []).append(i)
    return BankSubjects(
        texts=tuple(texts),
        asked=tuple(asked),
        postings={t: tuple(ids) for t, ids in postings.items()},
        idf=idf,
        rare=math.log(n),
    )


def _strong(text: str) -> frozenset[str]:
    return frozenset(t for t in tx.content_terms(text) if not tx.is_weak(t))


def neighbour_fit(answer: Answer, topic: Topic) -> tuple[float, float]:
    """(fit to the asked question, best fit to another bank question): the rarity-weighted sum of
    the answer's strong terms each side's subject uses.

    The asked question's own bank entry, and any bank question on the same subject (most of whose
    own terms the asked question, its key points or its reference answer use), are the asked
    subject, not a neighbour.
    """
    index = bank_subjects()
    said = [t for t in answer.terms if index.idf.get(t, index.rare) >= _COMMON_IDF]
    own = sum(index.idf.get(t, index.rare) for t in said if t in topic.vocabulary)
    asked = tx.normalize(topic.question)
    for i, fit in best_fits(answer):
        if index.texts[i] == asked or same_subject(index.asked[i], topic.vocabulary, index.idf):
            continue
        return own, fit
    return own, 0.0


def best_fits(answer: Answer) -> list[tuple[int, float]]:
    """The _CANDIDATES bank questions whose subjects the answer's strong terms fit best, with
    their fits, best first (worked out once per answer)."""
    found = answer.memo.get("bank fits")
    if found is None:
        index = bank_subjects()
        fits = [0.0] * len(index.texts)
        for t in answer.terms:
            if index.idf.get(t, index.rare) < _COMMON_IDF:
                continue
            weight = index.idf.get(t, 0.0)
            for i in index.postings.get(t, ()):
                fits[i] += weight
        best = heapq.nlargest(_CANDIDATES, range(len(fits)), key=fits.__getitem__)
        found = answer.memo["bank fits"] = [(i, fits[i]) for i in best]
    return found


def same_subject(theirs: frozenset[str], ours: frozenset[str], idf: dict[str, float]) -> bool:
    """Most of another question's own words (by rarity) are in the asked question's subject: it
    asks about the same thing in other words."""
    weight = sum(idf.get(t, 0.0) for t in theirs)
    return weight > 0 and sum(idf.get(t, 0.0) for t in theirs & ours) >= weight / 2


def answers_a_neighbour(answer: Answer, topic: Topic, matches: list[Match]) -> bool:
    """An answer of several sentences that makes fewer than half the key points, matches them
    faintly on the whole, and fits another bank question's subject at least twice as well as the
    asked one's: it answers a neighbouring question."""
    if not matches or answer.term_count < _SEVERAL_SENTENCES.get(answer.language, 25):
        return False
    if answer.language != tx.detect_language(topic.question):
        return False  # the bank's questions in the answer's language would fit it better
    if 2 * covered_count(matches) >= len(matches):
        return False
    if sum(m.score for m in matches) / len(matches) >= 0.5:
        return False
    own, other = neighbour_fit(answer, topic)
    if other >= NEIGHBOUR_FIT_MIN and other >= NEIGHBOUR_RATIO * own:
        return True
    return speaks_of_a_neighbour(answer, topic, own)


def speaks_of_a_neighbour(answer: Answer, topic: Topic, own: float) -> bool:
    """What the answer is mostly about is another bank question's own subject, even one close to
    the asked one (Kafka retention for "Kafka ordering", whose reference mentions brokers too): it
    fits that question's subject at least as well as the asked one's, names at least twice as much
    of that question's own words (by rarity) as of the asked question's, and names under a third
    of the asked question's own words. A few shared domain words do not make it an answer."""
    index = bank_subjects()
    asked_words = _strong(topic.question)
    asked_weight = sum(index.idf.get(t, index.rare) for t in asked_words)
    said_asked = sum(index.idf.get(t, index.rare) for t in asked_words & answer.terms)
    if asked_weight <= 0 or 3 * said_asked >= asked_weight:
        return False
    asked = tx.normalize(topic.question)
    for i, fit in best_fits(answer):
        if index.texts[i] == asked or fit < NEIGHBOUR_FIT_MIN or fit < own:
            continue
        theirs = sum(index.idf.get(t, 0.0) for t in index.asked[i] & answer.terms)
        if theirs >= NEIGHBOUR_RATIO * max(said_asked, 1.0):
            return True
    return False
