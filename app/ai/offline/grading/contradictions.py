"""Saying the opposite of a key point: antonyms said of the same thing, and negated claims.

Checked clause by clause, and only where the clause is about the point's subject, so "only one"
or a "not" said of something else proves nothing. What counts is polarity: the answer contradicts a
point when it denies what the point asserts, or asserts what the point denies. A point that itself
says "never blocks the event loop" is agreed with, not contradicted, by "it never blocks the loop"
or "it avoids blocking the loop"; names such as Python's None deny nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from app.ai.offline import text as tx
from app.ai.offline.grading.answer import Answer, analyse
from app.ai.offline.lexicon import ANTONYM_WORDS, ANTONYMS_ZH, POLARITY_TURNS, ZH_POLARITY_TURNS
from app.ai.offline.tokens import Token

if TYPE_CHECKING:
    from app.ai.offline.grading.topic import Point, Topic


@lru_cache(maxsize=1)
def antonym_of() -> dict[str, str]:
    """Each antonym-table word (as a term) mapped to its opposite."""
    pairs = [(tx.term(a), tx.term(b)) for a, b in ANTONYM_WORDS]
    return {a: b for a, b in pairs} | {b: a for a, b in pairs}


def contradiction(
    point: Point, answer: Answer, window: tuple[int, int], topic: Topic
) -> str | None:
    """A quote where the answer says the opposite of the point (antonym or negated claim)."""
    i, j = window
    for k in sorted({i, j}):
        for clause in clauses(answer, k):
            if not is_about(point, clause.terms, topic) or turned(clause):
                continue
            if opposite_said(point, clause) or affirms_denial(point, clause):
                return tx.quote(answer.text, clause.start, clause.end)
        terms = answer.sentence_terms[k]
        if sum(map(point.weights.__getitem__, terms & point.weights.keys())) / point.total < 0.5:
            continue
        negated = negated_claim(point, answer, answer.sentence_tokens[k], answer.sentences[k])
        if negated:
            return tx.quote(answer.text, *negated)
    return None


@lru_cache(maxsize=1)
def _turn_terms() -> frozenset[str]:
    """The words that turn a statement around, as terms."""
    return frozenset(tx.term(w) for w in POLARITY_TURNS)


def turned(clause: Clause) -> bool:
    """The clause denies or turns its statement around ("not", "avoids", "instead of", "避免")."""
    if any(t.negates or t.term in _turn_terms() for t in clause.tokens):
        return True
    return bool(tx.zh_negations(clause.text)) or any(w in clause.text for w in ZH_POLARITY_TURNS)


def is_about(point: Point, terms: frozenset[str], topic: Topic) -> bool:
    """The clause speaks of the point's subject: the question words the point uses, and no others.

    "Inner join returns only rows…" is about "inner join returns only matching rows", not about
    "left join returns all rows of the left table". A point using no question words is judged by
    how much of it the clause matches.
    """
    subject = point.subject
    if subject:
        if subject <= terms:
            return True
        if subject.isdisjoint(terms):
            return False  # before looking for rivals: most clauses are about something else
        rivals = (terms & topic.question_terms) - point.weights.keys()
        return not {t for t in rivals if not tx.is_weak(t)}
    return sum(w for t, w in point.plain.items() if t in terms) / point.plain_total >= 0.5


_CLAUSE_BREAK = re.compile(
    r"[,;:()，；：（）、]|\b(?:and|but|while|whereas|so|because)\b|而且|但是|所以|因为|而|但", re.I
)


@dataclass
class Clause:
    """Part of a sentence between commas or conjunctions, with its Latin tokens and all terms."""

    start: int
    end: int
    text: str
    tokens: list[Token]
    terms: frozenset[str]


def clauses(answer: Answer, k: int) -> tuple[Clause, ...]:
    """Sentence ``k`` cut into clauses at commas and conjunctions ("…, and …", "while …", "而…");
    cut once per answer, as every key point reads the same clauses."""
    found = answer.memo.get(("clauses", k))
    if found is None:
        found = answer.memo[("clauses", k)] = tuple(_cut(answer, k))
    return found


def _cut(answer: Answer, k: int) -> list[Clause]:
    """Sentence ``k``'s clauses."""
    start, end = answer.sentences[k]
    sentence = answer.text[start:end]
    cuts = [0] + [m.start() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
    tokens = answer.sentence_tokens[k]
    starts = [t.start for t in tokens]  # in order, so each clause's tokens are one slice
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = sentence[a:b]
        if not piece.strip(" ,;:()，；：（）、"):
            continue
        toks = tokens[bisect_left(starts, start + a) : bisect_left(starts, start + b)]
        terms = {t.term for t in toks if tx.is_content(t.term)} | set(tx.cjk_bigrams(piece.lower()))
        out.append(Clause(start + a, start + b, piece, toks, frozenset(terms)))
    return out


# Words passed over when looking for the word an antonym describes ("their own separate memory");
# any other function word ("at", "and", "is") ends the search.
_PASS_OVER = frozenset(
    "a an the this that these those its their our my your his her each every".split()
)


def antonym_pairs(toks: list[Token]) -> frozenset[tuple[str, str]]:
    """(antonym-table word, the word it describes) pairs: "single thread" → (singl, thread).

    The described word is the nearest content word on either side, passing over articles and
    possessives (and, before the antonym, vague words: "threads get their own separate memory"),
    but never over a preposition: "a server at many points" pairs "many" with "points" only.
    """
    pairs: set[tuple[str, str]] = set()
    table = antonym_of()
    for k, tok in enumerate(toks):
        if tok.term not in table or not tx.is_content(tok.term):
            continue
        before = _described(toks[k - 1 :: -1][:4] if k else [], pass_vague=True)
        after = _described(toks[k + 1 : k + 5], pass_vague=False)
        pairs.update((tok.term, other) for other in (before, after) if other and other != tok.term)
    return frozenset(pairs)


def _described(side: list[Token], pass_vague: bool) -> str | None:
    """The first word on one side of an antonym that it can describe, if any."""
    for tok in side:
        vague = tx.is_content(tok.term) and tx.is_weak(tok.term)
        if tok.term in _PASS_OVER or pass_vague and vague:
            continue
        return tok.term if tx.is_content(tok.term) and not vague else None
    return None


def opposite_said(point: Point, clause: Clause) -> bool:
    """The clause pairs a word with the antonym the key point (or reference) pairs it with."""
    said = antonym_pairs(clause.tokens)
    table = antonym_of()
    for word, head in said:
        truth = table[word]
        if (
            (truth, head) in point.paired
            and (word, head) not in point.paired
            and (truth, head) not in said
        ):
            return True
    for a, b in ANTONYMS_ZH:
        for wrong, right in ((a, b), (b, a)):
            if right in point.context_text and wrong not in point.context_text:
                if wrong in clause.text and right not in clause.text:
                    return True
    return False


def affirms_denial(point: Point, clause: Clause) -> bool:
    """The point denies something ("does not guarantee atomicity") that the clause asserts.

    The caller has already set aside clauses that deny or turn things around themselves. The
    clause must speak of the denial's own subject ("Express 4 doesn't catch…" is not contradicted
    by "Express 5 catches…"). Two Chinese bigrams are one short word, too little to call a claim,
    so Chinese needs three.
    """
    for denial in point.denied:
        if not denial.subject <= clause.terms:
            continue
        hit = denial.terms & clause.terms
        needed = 3 if all(tx.CJK_RE.match(t) for t in denial.terms) else 2
        if len(hit) >= needed and len(hit) / len(denial.terms) >= 0.6:
            return True
    return False


def negated_claim(
    point: Point, answer: Answer, toks: list[Token], span: tuple[int, int]
) -> tuple[int, int] | None:
    """Span of a negation whose scope carries most of what an affirmative point asserts."""
    if point.negated:
        return None  # a negation agrees with a point that denies something itself
    distinctive = {t: w for t, w in point.weights.items() if w >= 1.0}
    if not distinctive:
        return None
    total = sum(distinctive.values())
    for scope, where in negated_scopes(answer, toks, span):
        hit = scope & distinctive.keys()
        if sum(distinctive[t] for t in hit) / total >= 0.6 and (
            len(hit) >= 2 or len(distinctive) == 1
        ):
            return where
    return None


@dataclass(frozen=True)
class Denial:
    """What one negation in a key point denies, and of what: "Express 4 | catch rejected promis"."""

    subject: frozenset[str]  # up to two terms just before the negation, in its clause
    terms: frozenset[str]  # the distinctive terms the negation governs


def denials(point: str) -> tuple[Denial, ...]:
    """What each negation in a key point denies ("never rebase shared …"), with its subject.

    A denial whose words the point also affirms ("never is assignable to everything, but nothing is
    assignable to never") turns on word order, which matching words cannot check: it is left out.
    """
    if not tx.has_negation(point):
        return ()
    fake = analyse(point)
    found: list[tuple[int, frozenset[str]]] = []
    covered: set[tuple[int, int]] = set()
    for k, toks in enumerate(fake.sentence_tokens):
        for scope, (at, end) in negated_scopes(fake, toks, fake.sentences[k]):
            covered.add((at, end))
            kept = frozenset(t for t in scope if tx.is_content(t) and not tx.is_weak(t))
            if len(kept) >= 2:
                found.append((at, kept))
    affirmed = {
        t.term
        for t in fake.words
        if not any(a <= t.start < b for a, b in covered) and tx.is_content(t.term)
    }
    return tuple(
        Denial(_subject(point, at), kept)
        for at, kept in found
        if 2 * len(kept & affirmed) < len(kept)
    )


def _subject(text: str, at: int) -> frozenset[str]:
    """The two terms nearest before position ``at`` within its clause."""
    lead = re.split(r"[,.;:!?()，。；：！？（）、]|\b(?:and|but|while|whereas)\b", text[:at])[-1]
    latin = [t.term for t in tx.tokens(lead) if tx.is_content(t.term)]
    return frozenset(latin[-2:] + tx.cjk_bigrams(lead)[-2:])


_SCOPE_BREAK = re.compile(r"[,.;:!?()，。；：！？（）、]")
_SCOPE_STOP = frozenset(
    {"because", "since", "so", "but", "which", "while", "whereas", "though", "and"}
)


def negated_scopes(
    answer: Answer, toks: list[Token], span: tuple[int, int]
) -> list[tuple[set[str], tuple[int, int]]]:
    """The terms each negation governs: up to four words after it, stopping at punctuation."""
    scopes: list[tuple[set[str], tuple[int, int]]] = []
    for k, tok in enumerate(toks):
        if not tok.negates:
            continue
        scope: set[str] = set()
        last = tok
        for nxt in toks[k + 1 : k + 5]:
            if (
                _SCOPE_BREAK.search(answer.text[last.end : nxt.start])
                or nxt.surface.lower() in _SCOPE_STOP
            ):
                break
            scope.add(nxt.term)
            last = nxt
        scopes.append((scope, (tok.start, last.end)))
    start, end = span
    for a, b in tx.zh_negations(answer.text[start:end]):
        at, after = start + a, start + b
        tail = _SCOPE_BREAK.split(answer.text[after : after + 6], maxsplit=1)[0]
        scopes.append((set(tx.cjk_bigrams(tail)), (at, after + len(tail))))
    return scopes


_ASKING = re.compile(r"[?？]\s*$|吗\s*[。.]?\s*$")


def denied_in_question_words(
    point: Point, answer: Answer, echo: list[bool], question: str
) -> tuple[int, int] | None:
    """The span of a sentence in the question's words (an echo) that states the point's subject
    with its polarity turned against both the question and the point: "No, a dict is not ordered"
    to "Is a dict ordered?" when the point says it is. The echo adds only that turn, so the turn
    is the claim; a question read back, or a turn the question already has, claims nothing. A
    story's part (a behavioral point) is no fact to deny."""
    subject = point.subject
    if point.star or sum(0.5 if tx.CJK_RE.match(t) else 1.0 for t in subject) < 2:
        return None
    asked = tx.has_negation(question)
    affirmed = tx.has_negation(point.text)
    for (start, end), repeats, terms in zip(
        answer.sentences, echo, answer.sentence_terms, strict=True
    ):
        said = answer.text[start:end]
        if not repeats or not subject <= terms or _ASKING.search(said):
            continue
        if tx.has_negation(said) != asked and tx.has_negation(said) != affirmed:
            return start, end
    return None
