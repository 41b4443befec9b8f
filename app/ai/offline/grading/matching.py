"""Key-point matching: how well an answer makes each point, where, and a quote to show it.

A point is matched against every window of one sentence or two neighbouring sentences (its terms,
weighted) and against its cue phrases from the question bank; the best wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from app.ai.offline import text as tx
from app.ai.offline.grading.answer import Answer, analyse
from app.ai.offline.grading.contradictions import contradiction, denied_in_question_words
from app.ai.offline.grading.copies import edited_copies
from app.ai.offline.grading.crossing import crossed_sentences, glossed_spans
from app.ai.offline.grading.misconceptions import Hit, find_misconceptions, names_wrong_claim
from app.ai.offline.grading.polarity import denies_a_denial, owner, polarity_conflict
from app.ai.offline.grading.topic import Point, Topic, cue_key, prepare_topic, with_follow_ups

if TYPE_CHECKING:
    from app.ai.offline.bank import Misconception
    from app.ai.offline.grading.misconceptions import Wrong
    from app.ai.offline.tokens import Token

COVERED_AT = 0.5  # a key point counts as covered from this match strength


@dataclass
class Match:
    """How well an answer makes one key point, and where."""

    score: float = 0.0
    window: tuple[int, int] = (0, 0)  # sentence indexes, inclusive
    matched: frozenset[str] = frozenset()
    cue_span: tuple[int, int] | None = None
    contradiction: str | None = None  # a quote that says the opposite
    # The reference sentence the contradicting quote copies with its content changed, when the
    # change is not a known reversal: the quote is then no evidence, but not known to be false.
    altered: str | None = None
    misconceptions: tuple[Hit, ...] = ()  # known wrong claims about the point the answer makes
    # The window is read in the other language than the point's: its polarity is judged more
    # roughly (see `crossing`), so a faint match there proves less.
    across: bool = False


def match_point(point: Point, answer: Answer, topic: Topic) -> Match:
    """Best window (one sentence or two neighbours) for a key point, or its cue phrases."""
    best = Match()
    n = len(answer.sentences)
    # A sentence in the other language is read from its asserting clauses only (see `crossing`).
    across = crossed_sentences(point, answer)
    read = [c.terms if c else own for c, own in zip(across, answer.sentence_terms, strict=True)]
    glossed = [c.glossed if c else {} for c in across]
    named = sentence_concepts(answer) if point.concepts or point.cue_concepts else []
    if named:
        named = [c.concepts if c else own for c, own in zip(across, named, strict=True)]
    # A window whose sentences share no term, translation or concept with the point matches
    # nothing, so it is passed over.
    reach = point.weights.keys() | point.aliases.keys()
    touches = [
        not terms.isdisjoint(reach)
        or bool(named and named[i] & point.concepts.keys())
        or bool(glossed[i])
        for i, terms in enumerate(read)
    ]
    # The interviewer's words are no evidence: a sentence that speaks of the subject only in the
    # question's words repeats the question, so it makes no part of any point.
    echo = echo_sentences(answer, topic)
    copied = copied_spans(answer, topic)
    for i in range(n):
        for j in (i, i + 1) if i + 1 < n else (i,):
            if not (touches[i] or touches[j]) or echo[i] or echo[j]:
                continue
            terms = read[i] | read[j]
            if point.aliases:  # the other language's words for the point's terms
                terms = terms | {
                    own for t in terms & point.aliases.keys() for own in point.aliases[t]
                }
            if named:  # the point's concepts, named in other words or the other language
                for cid in (named[i] | named[j]) & point.concepts.keys():
                    terms = terms | point.concepts[cid]
            matched = terms & point.weights.keys()
            weight = sum(map(point.weights.__getitem__, matched))
            if glossed[i] or glossed[j]:  # the point's words the dictionary reads in the window
                crossed = merged(glossed[i], glossed[j], matched)
                weight += sum(point.weights[t] * proves for t, proves in crossed.items())
                matched = matched | crossed.keys()
            score = weight / point.total
            if score > best.score:
                best = Match(score, (i, j), frozenset(matched))
                best.across = across[i] is not None or across[j] is not None
    hits = [
        span
        for cue in point.cues
        if (span := answer.phrases.find(cue)) is not None
        and not echoes_at(answer, echo, span[0])
        and not inside(copied, span[0])
    ]
    # A cue's concept named in the other language is a hit too ("互斥" for the cue "mutual
    # exclusion"); each concept counts once, however many cues name it.
    by_concept = [
        span
        for span in cue_concept_spans(point, answer, named)
        if not echoes_at(answer, echo, span[0]) and not inside(copied, span[0])
    ]
    count = max(len(hits), len(by_concept))
    if count:
        cue_score = min(1.0, 0.55 + 0.2 * (count - 1))
        if cue_score > best.score:
            best.score = cue_score
        best.cue_span = hits[0] if hits else by_concept[0]
    # A denial around any of the question's known wrong claims ("it is a myth that …") rejects
    # that claim: it agrees with the point, so it is no contradiction.
    wrongs = tuple(w for p in topic.points for w in p.misconceptions)
    if best.score >= 0.3:
        said = contradiction(point, answer, best.window, topic)
        if said and any(repeats_point(said, p) for p in topic.points):
            said = None  # a key point's own words are true, so they contradict nothing
        if said:
            span = quoted_span(answer.text, said)
            if rejected(wrongs, answer, span, point):
                neither(best, answer, span)
            else:
                best.contradiction = said
    if best.contradiction is None and best.score >= 0.3:
        conflict = polarity_conflict(point, answer, topic)
        said_here = sentence_at(answer, conflict[0]) if conflict else ""
        if conflict and any(repeats_point(said_here, p) for p in topic.points):
            conflict = None  # the sentence is a key point's own words, so it is true
        if conflict and rejected(wrongs, answer, conflict, point):
            neither(best, answer, conflict)
        elif conflict:
            best.contradiction = tx.quote(answer.text, *conflict)
    if best.contradiction is None and any(echo):
        # A sentence in the question's words earns nothing, but one turning the question's
        # statement around against the point ("a dict is not ordered") is still a wrong claim.
        denial = denied_in_question_words(point, answer, echo, topic.question)
        if denial and not rejected(wrongs, answer, denial, point):
            best.contradiction = tx.quote(answer.text, *denial)
    if best.contradiction is None:
        denial = next((d for c in across if c for d in c.denials), None)
        if denial:  # a clause in the other language that turns the point around
            best.contradiction = tx.quote(answer.text, *denial)
    if best.contradiction is None:
        edit = copied_edit(point, answer, topic)
        if edit:
            best.contradiction, best.altered = tx.quote(answer.text, edit[0], edit[1]), edit[2]
    # A wrong claim needs none of the point's words, so it is looked for whatever the match.
    best.misconceptions = find_misconceptions(point.text, point.misconceptions, answer)
    return best


def merged(
    first: dict[str, float], second: dict[str, float], matched: set[str] | frozenset[str]
) -> dict[str, float]:
    """The dictionary's matches of a window's two sentences, the stronger of each, leaving out
    the terms the window already states in the point's own words."""
    out = {t: p for t, p in first.items() if t not in matched}
    for term, proves in second.items():
        if term not in matched:
            out[term] = max(out.get(term, 0.0), proves)
    return out


def echo_sentences(answer: Answer, topic: Topic) -> list[bool]:
    """For each sentence of the answer: it repeats the question, as in "here is how I approach
    <the question>". It copies a stretch of the question's wording, and all it says of the
    subject is in the question's own words. A sentence that reuses the question's terms to say
    more of the subject ("MVCC keeps old row versions") is no echo; one that copies the question
    and says nothing else of the subject (its words are all outside the topic's vocabulary, as
    "(3,1) + (4,)" may be) is one.

    In a reply to a follow-up (``topic.follow_ups``) the follow-up's words are the interviewer's
    too: a sentence there that copies the follow-up, saying nothing of the subject beyond the two
    questions' words, is an echo as well.
    """
    key = echo_key(topic)
    found = answer.memo.get(key)
    if found is None:
        found = answer.memo[key] = [
            on <= asked_words(asked)
            and (
                any(copies_question(said, q) for q in asked)
                or reads_back(terms, asked, subject_words(topic))
            )
            for on, terms, said, asked in zip(
                (
                    {t for t in terms & topic.vocabulary if not tx.is_weak(t)}
                    for terms in answer.sentence_terms
                ),
                answer.sentence_terms,
                (answer.text[start:end] for start, end in answer.sentences),
                (asked_at(topic, start) for start, _ in answer.sentences),
                strict=True,
            )
        ]
    return found


READ_BACK = 4  # the fewest of the question's words a sentence reading it back reuses
STRAY = 2  # the most words outside the question such a sentence may add


def subject_words(topic: Topic) -> frozenset[str]:
    """Every word the key points and the reference answer use, common ones too ("type")."""
    return topic.vocabulary | topic.reference | {t for p in topic.points for t in p.weights}


def reads_back(terms: frozenset[str], asked: tuple[str, ...], vocabulary: frozenset[str]) -> bool:
    """The sentence says the question's words over with at most STRAY words of its own, none of
    them a word of the subject ("I would investigate why memory keeps growing and fix it
    properly"): the stray words add nothing to it. A word of the subject beyond the question's,
    however common ("has a type"), makes it a statement."""
    said = asked_words(asked)
    new = terms - said
    if not new.isdisjoint(vocabulary):
        return False
    reused = {t for t in terms & said if not tx.is_weak(t)}
    stray = {t for t in new if not tx.is_weak(t)}
    return sum(map(word_size, reused)) >= READ_BACK and sum(map(word_size, stray)) <= STRAY


def echo_key(topic: Topic) -> tuple[object, ...]:
    """The memo key of an answer's echoes: they depend on every interviewer text it replies to."""
    return ("echoes", topic.question, topic.vocabulary, topic.follow_ups)


def asked_at(topic: Topic, at: int) -> tuple[str, ...]:
    """The interviewer's texts a sentence starting at ``at`` may repeat: the question, and the
    follow-up whose reply holds it (the last one starting at or before it)."""
    follow_up = ""
    for start, text in topic.follow_ups:
        if start <= at:
            follow_up = text
    return (topic.question, follow_up) if follow_up else (topic.question,)


def asked_words(asked: tuple[str, ...]) -> frozenset[str]:
    """The terms of the interviewer's texts: what an answer may say by repeating them."""
    if len(asked) == 1:
        return question_words(asked[0])
    return frozenset().union(*(question_words(q) for q in asked))


def without_echoes(analysed: Answer, topic: Topic) -> Answer:
    """The answer with each sentence that only repeats the question blanked out (positions
    kept); the answer itself when it has no such sentence, or nothing else (a vague answer in
    the question's words is judged as it is)."""
    echo = echo_sentences(analysed, topic)
    if not any(echo) or all(echo):
        return analysed
    key = ("own words", *echo_key(topic))
    own = analysed.memo.get(key)
    if own is None:  # the validity gate and the neighbour check both ask
        text = analysed.text
        for (start, end), repeats in zip(analysed.sentences, echo, strict=True):
            if repeats:
                text = text[:start] + " " * (end - start) + text[end:]
        own = analysed.memo[key] = analyse(text)
    return own


COPIED_RUN = 3  # the fewest of the question's words, in its order, a copied stretch has
WHOLE_COPY = 5  # a stretch this long is a copy whatever the question's length


def copied_spans(answer: Answer, topic: Topic) -> list[tuple[int, int]]:
    """Character spans of the stretches of the answer that copy COPIED_RUN or more of the
    question's words in the question's order, inside a sentence that also says other things
    ("at Acme I owned payments, so here is how I approach <the question's words>"): those words
    are the interviewer's, so a cue or an ask cue inside them shows nothing. Latin words only."""
    key = ("copied", topic.question)
    found = answer.memo.get(key)
    if found is None:
        asked = question_places(topic.question)
        words = question_words(topic.question)
        found = answer.memo[key] = [
            span
            for tokens, terms in zip(answer.sentence_tokens, answer.sentence_terms, strict=True)
            if len(terms & words) >= 2  # a shorter sentence copies no stretch
            for stretch in latin_stretches(answer.text, tokens)
            for span in copied_runs(stretch, asked)
        ]
    return found


# Pure in the question, and the places are only ever read: every answer to it uses them.
@lru_cache(maxsize=1024)
def question_places(question: str) -> tuple[dict[str, list[int]], ...]:
    """Each question sentence's terms, each with the places in the sentence it stands at."""
    out = []
    for sequence in question_sequences(question):
        where: dict[str, list[int]] = {}
        for m, own in enumerate(sequence):
            where.setdefault(own, []).append(m)
        out.append(where)
    return tuple(out)


def latin_stretches(text: str, tokens: list[Token]) -> list[list[Token]]:
    """A sentence's content words in runs that no Chinese comes between: "RDB 和 AOF" are two
    names in a Chinese sentence, not two neighbouring words."""
    words = [token for token in tokens if tx.is_content(token.term)]
    if not words or not tx.CJK_RE.search(text, words[0].start, words[-1].end):
        return [words]
    out: list[list[Token]] = []
    for token in words:
        if out and not tx.CJK_RE.search(text[out[-1][-1].end : token.start]):
            out[-1].append(token)
        else:
            out.append([token])
    return out


def copied_runs(
    tokens: list[Token], asked: tuple[dict[str, list[int]], ...]
) -> list[tuple[int, int]]:
    """The spans of the runs of consecutive ``tokens`` that are all a question sentence's terms
    (``asked``: each sentence's terms with their places in it),
    in its order (a word of it left out now and then, as "here is how I approach <a few of its
    words>" does), COPIED_RUN words or longer."""
    spans = []
    for where in asked:
        # runs: for each place in the question, the longest run ending at the previous token
        # whose last word is the question's word there.
        runs: dict[int, int] = {}
        for k, token in enumerate(tokens):
            places = where.get(token.term)
            if places is None:
                runs = {}
                continue
            runs = {m: 1 + max((n for at, n in runs.items() if at < m), default=0) for m in places}
            longest = max(runs.values())
            if longest >= COPIED_RUN:
                spans.append((tokens[k - longest + 1].start, token.end))
    return merged_spans(spans)


def merged_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans with those that overlap joined."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if out and lo < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Position ``at`` lies in one of the spans."""
    return any(lo <= at < hi for lo, hi in spans)


def copies_question(sentence: str, question: str) -> bool:
    """The sentence holds a stretch of the question's words in the question's order: at least
    COPIED_RUN of them (or a whole short question sentence of two or more, "什么是回表？"), and
    WHOLE_COPY or two fifths of that question sentence; or is a whole question sentence in its
    words alone. A Chinese bigram counts as half a word, so one reused term ("三次握手") is no
    copied stretch."""
    said = tx.content_terms(sentence)
    for asked in question_sequences(question):
        size = sum(word_size(t) for t in asked)
        need = max(2.0, min(size, max(COPIED_RUN, min(WHOLE_COPY, 0.4 * size))))
        if size >= 2 and longest_run(said, asked) >= need:
            return True
        if asked and tuple(said) == asked:  # a whole question sentence, however short ("Risks?")
            return True
    return False


def longest_run(said: list[str], asked: tuple[str, ...]) -> float:
    """The longest run of consecutive terms the two sequences share, in words."""
    longest, prev = 0.0, [0.0] * (len(asked) + 1)
    for term in said:
        row = [0.0] * (len(asked) + 1)
        for k, own in enumerate(asked, 1):
            if own == term:
                row[k] = prev[k - 1] + word_size(term)
                longest = max(longest, row[k])
        prev = row
    return longest


def word_size(term: str) -> float:
    """How much of a word a term is: a Chinese bigram overlaps its neighbours, so half."""
    return 0.5 if tx.CJK_RE.match(term) else 1.0


@lru_cache(maxsize=1024)
def question_sequences(question: str) -> tuple[tuple[str, ...], ...]:
    """Each sentence of the question as its content terms in order."""
    return tuple(tuple(tx.content_terms(s)) for s in tx.split_sentences(question))


def echoes_at(answer: Answer, echo: list[bool], at: int) -> bool:
    """The sentence holding position ``at`` only repeats the question."""
    for k, (start, end) in enumerate(answer.sentences):
        if start <= at < end:
            return echo[k]
    return False


@lru_cache(maxsize=1024)
def question_words(question: str) -> frozenset[str]:
    """The question's terms: what an answer may say by repeating the question. Its terms as an
    answer's sentence is read too ("O(n²)" is read as "o(n^2)"), so a sentence copying it says
    nothing beyond it."""
    own = frozenset(t for terms in question_sequences(question) for t in terms)
    return own | analyse(question).terms if question.strip() else own


def copied_edit(point: Point, answer: Answer, topic: Topic) -> tuple[int, int, str] | None:
    """(start, end, reference sentence) of a sentence that copies a reference sentence with its
    content changed, when ``point`` is the key point that sentence explains (see `copies`)."""
    for start, end, truth in edited_copies(answer, topic):
        if owner(topic, truth, answer.text[start:end]) is point:
            return start, end, truth
    return None


def cue_concept_spans(
    point: Point, answer: Answer, named: list[frozenset[int]]
) -> list[tuple[int, int]]:
    """The sentence span of each cue concept of the point an answer in the other language names,
    first mention each."""
    if not point.cue_concepts or answer.language == point.language:
        return []
    seen: set[int] = set()
    spans: list[tuple[int, int]] = []
    for span, cids in zip(answer.sentences, named, strict=True):
        new = (cids & point.cue_concepts) - seen
        seen |= new
        spans.extend(span for _ in new)
    return spans


def sentence_concepts(answer: Answer) -> list[frozenset[int]]:
    """The concepts each sentence of the answer names."""
    return answer.concepts


def rejected(
    wrongs: tuple[Wrong, ...], answer: Answer, span: tuple[int, int], point: Point
) -> bool:
    """What looks like a contradiction at ``span`` is a rejection of something false: a known
    wrong claim called a myth, or a negated statement denied as a whole."""
    return names_wrong_claim(wrongs, answer, span) or denies_a_denial(answer, span, point.text)


def sentence_at(answer: Answer, at: int) -> str:
    """The answer's sentence holding position ``at``."""
    for start, end in answer.sentences:
        if start <= at < end:
            return answer.text[start:end]
    return answer.text


def repeats_point(quote: str, point: Point) -> bool:
    """The quoted words are the point's own (or its reference sentence's), whitespace and case
    aside: "未命中退化为间隙锁" in a point that says exactly that is no denial of it."""
    core = "".join(max(quote.split("…"), key=len).split()).lower()
    return len(core) >= 8 and core in "".join(point.context_text.split()).lower()


def neither(match: Match, answer: Answer, span: tuple[int, int]) -> None:
    """A denial the grader reads as rejecting something false ("it is a myth that …") neither
    contradicts the point nor states it: the words it shares with the point earn nothing, since
    whether it agrees cannot be told from the words alone."""
    lo, hi = window_span(answer, match)
    if lo < span[1] and span[0] < hi:
        match.score = min(match.score, COVERED_AT - 0.05)


def quoted_span(text: str, quote: str) -> tuple[int, int]:
    """Where a (possibly shortened, "…"-trimmed) quote of ``text`` lies in it; the whole text
    when it cannot be placed."""
    core = max(quote.split("…"), key=len).strip()
    at = text.find(core) if core else -1
    return (at, at + len(core)) if at >= 0 else (0, len(text))


def window_span(answer: Answer, match: Match) -> tuple[int, int]:
    """Character span of a match's sentence window."""
    i, j = match.window
    return answer.sentences[i][0], answer.sentences[j][1]


def evidence(answer: Answer, match: Match) -> str:
    """A short quote showing the point: its best sentence, around the matched words."""
    if match.cue_span and not match.matched:
        return tx.quote(answer.text, *match.cue_span)
    best: list[tuple[int, int]] = []
    i, j = match.window
    for k in sorted({i, j}):
        start, end = answer.sentences[k]
        spans = [(t.start, t.end) for t in answer.sentence_tokens[k] if t.term in match.matched]
        sentence = answer.text[start:end]
        for bigram in (m for m in match.matched if tx.CJK_RE.match(m)):
            at = sentence.find(bigram)
            if at >= 0:
                spans.append((start + at, start + at + len(bigram)))
        # English terms of the point its Chinese words gloss: quote those words.
        said = {t.term for t in answer.sentence_tokens[k]}
        foreign = {m for m in match.matched if m not in said and not tx.CJK_RE.match(m)}
        if foreign and tx.CJK_RE.search(sentence):
            spans.extend((start + a, start + b) for a, b in glossed_spans(sentence, foreign))
        if len(spans) > len(best):
            best = spans
    if not best:
        return tx.quote(answer.text, *window_span(answer, match))
    budget = 36 if answer.language == "zh" else 80
    start, end = densest(sorted(best), budget)
    return tx.quote(answer.text, start, end, limit=budget + 10)


def densest(spans: list[tuple[int, int]], budget: int) -> tuple[int, int]:
    """The stretch no longer than ``budget`` characters holding the most matched words."""
    best = (spans[0][0], spans[0][1])
    most, lo = 0, 0
    for hi in range(len(spans)):
        while spans[hi][1] - spans[lo][0] > budget:
            lo += 1
        if hi - lo + 1 > most:
            most, best = hi - lo + 1, (spans[lo][0], spans[hi][1])
    return best


def key_point_coverage(
    answer: str,
    key_points: list[str],
    cues: list[list[str]] | None = None,
    language: str | None = None,
    misconceptions: list[tuple[Misconception, ...]] | None = None,
    question: str = "",
    follow_up_question: str = "",
) -> list[tuple[str, bool, str | None]]:
    """For each key point: (point, covered?, evidence quote or None). Cheap enough per keystroke.

    A point the answer makes a known wrong claim about (``misconceptions``, aligned with the key
    points) is not covered, as in the grade. ``question`` (the main question) and, for a
    follow-up's answer, ``follow_up_question`` are the interviewer's words: a sentence that only
    repeats them covers nothing, as in the grade.
    """
    del language  # matching is language-neutral; kept for callers that pass it
    if not answer.strip() or not key_points:
        return [(p, False, None) for p in key_points]
    wrong = tuple(tuple(m) for m in misconceptions or ())
    topic = with_follow_ups(
        prepare_topic(
            question, tuple(key_points), "", cue_key(cues, len(key_points)), False, wrong
        ),
        ((0, follow_up_question),),
    )
    analysed = analyse(answer)
    out: list[tuple[str, bool, str | None]] = []
    for point in topic.points:
        match = match_point(point, analysed, topic)
        covered = match.score >= COVERED_AT and match.contradiction is None
        covered = covered and not match.misconceptions
        out.append((point.text, covered, evidence(analysed, match) if covered else None))
    return out
