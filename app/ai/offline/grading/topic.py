"""The question side: key points prepared for matching, built once per question and cached.

Each key point gets its terms with weights (words the question already uses prove less), the
reference sentence that explains it, and what it asserts or denies, for the contradiction check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from app.ai.offline import text as tx
from app.ai.offline.concepts import concept_ids, concepts_in, wordings_of
from app.ai.offline.grading import contradictions as cx
from app.ai.offline.grading import misconceptions as mc
from app.ai.offline.grading.star import star_of
from app.ai.offline.lexicon import BILINGUAL_TERMS

if TYPE_CHECKING:
    from app.ai.offline.bank import Misconception


@dataclass(frozen=True)
class Point:
    """One key point prepared for matching."""

    text: str
    weights: dict[str, float]
    total: float
    cues: tuple[str, ...]
    context_text: str  # the point and its closest reference sentence
    paired: frozenset[tuple[str, str]]  # (antonym-table word, the word it modifies) in the context
    negated: bool
    denied: tuple[cx.Denial, ...]  # what the point says is not so, one entry per negation
    star: str | None  # the STAR part a behavioral key point asks for
    misconceptions: tuple[mc.Wrong, ...] = ()  # wrong claims about the point, compiled
    # The other language's words for the point's technical terms → the point's own terms, so an
    # answer in either language meets it by content ("镜像" meets "image", "layer" meets "层").
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The concepts the point names (see `concepts`), each with the point's own terms naming it:
    # an answer naming the concept in any wording or language meets those terms.
    concepts: dict[int, frozenset[str]] = field(default_factory=dict)
    # The concepts its cue phrases name: an answer in the other language naming one in its own
    # words makes a cue hit. (In the point's language the cue phrases themselves are looked for;
    # their concepts there would mostly be the subject's common words.)
    cue_concepts: frozenset[int] = frozenset()
    language: str = "en"  # the point's
    # The question's strong words the point uses: what a clause must speak of to be about it.
    subject: frozenset[str] = frozenset()
    # The weights of its words outside the antonym table, and their sum (or 1): how much of the
    # point a clause carries when the point uses none of the question's words.
    plain: dict[str, float] = field(default_factory=dict)
    plain_total: float = 1.0


@dataclass(frozen=True)
class Topic:
    """Everything about a question that does not depend on the answer."""

    question: str
    question_terms: frozenset[str]
    vocabulary: frozenset[str]
    reference: frozenset[str]  # the reference answer's terms beyond the question's
    points: tuple[Point, ...]
    sentences: tuple[str, ...] = ()  # the reference answer's sentences
    # The concepts the reference answer names, each with its own terms (of `reference`) naming it.
    reference_concepts: dict[int, frozenset[str]] = field(default_factory=dict)
    # The interviewer's follow-up questions inside the graded text, each with the offset where
    # the candidate's reply to it starts: their words are the interviewer's too.
    follow_ups: tuple[tuple[int, str], ...] = ()
    # A bank behavioral question's ask cues (both languages) and what it asks about (English,
    # Chinese): a story none of them (nor the question's own words) shows is about something else.
    ask_cues: tuple[str, ...] = ()
    asks_about: tuple[str, str] = ("", "")


def with_ask(topic: Topic, question: str) -> Topic:
    """The topic with its bank question's ask cues, when it has any (a copy: the prepared topic is
    shared by every caller)."""
    from app.ai.offline.bank import load_bank  # the bank is needed only here

    entry = load_bank().find_by_text(question)
    if entry is None or not entry.ask_cues:
        return topic
    return replace(topic, ask_cues=entry.ask_cues, asks_about=entry.asks_about)


def with_follow_ups(topic: Topic, follow_ups: tuple[tuple[int, str], ...]) -> Topic:
    """The topic for an answer that replies to follow-up questions as well: ``follow_ups`` are
    (offset in the answer where the reply starts, the follow-up's text). The prepared topic is
    shared by every answer to the question, so the follow-ups go on a copy."""
    asked = tuple((at, text) for at, text in follow_ups if text.strip())
    return replace(topic, follow_ups=asked) if asked else topic


def term_weight(term: str, question_terms: frozenset[str]) -> float:
    """How much matching ``term`` proves: words the question already uses prove less."""
    if tx.is_weak(term):
        return 0.3
    return 0.5 if term in question_terms else 1.0


@lru_cache(maxsize=1024)
def prepare_topic(
    question: str,
    key_points: tuple[str, ...],
    reference: str,
    cues: tuple[tuple[str, ...], ...],
    behavioral: bool,
    misconceptions: tuple[tuple[Misconception, ...], ...] = (),
) -> Topic:
    """Prepare a question's key points, reference terms and vocabulary for matching.

    ``misconceptions`` (aligned with the key points) are compiled here, once per question.
    """
    q_terms = frozenset(tx.content_terms(question))
    asked = concept_ids(question)
    ref = reference_side(reference)
    points = tuple(
        prepare_point(
            point,
            cues[i] if i < len(cues) else (),
            q_terms,
            reference,
            behavioral,
            asked,
            misconceptions[i] if i < len(misconceptions) else (),
        )
        for i, point in enumerate(key_points)
    )
    points = distinct_points(points)
    ref_terms = frozenset(t for t in ref.terms if t not in q_terms)
    # Every wording, in either language, of what the question, reference and points name: an
    # answer in other words or in the other language is on the same subject. All but the
    # question's share is read once per key points and reference (`reference_vocabulary`).
    vocabulary = (
        reference_vocabulary(key_points, reference, cues, behavioral, misconceptions)
        | strong(q_terms)
        | strong(wordings_of(frozenset(concepts_in(question))))
    )
    ref_concepts = {
        cid: own & ref_terms for cid, own in concepts_in(reference).items() if own & ref_terms
    }
    return Topic(
        question=question,
        question_terms=q_terms,
        vocabulary=vocabulary,
        reference=ref_terms,
        points=points,
        sentences=tuple(s for s, _ in ref.sentences),
        reference_concepts=ref_concepts,
    )


def distinct_points(points: tuple[Point, ...]) -> tuple[Point, ...]:
    """The points with a fresh copy of any prepared point met twice (a key point listed twice
    gets the same cached Point): the matcher tells points apart by identity."""
    seen: set[int] = set()
    out = []
    for point in points:
        out.append(replace(point) if id(point) in seen else point)
        seen.add(id(out[-1]))
    return tuple(out)


# Pure in its arguments, and the result is a frozenset: the same key points and reference serve
# every wording of their question, so only the question's own terms are read for each.
@lru_cache(maxsize=1024)
def reference_vocabulary(
    key_points: tuple[str, ...],
    reference: str,
    cues: tuple[tuple[str, ...], ...],
    behavioral: bool,
    misconceptions: tuple[tuple[Misconception, ...], ...],
) -> frozenset[str]:
    """The strong terms an answer on the subject may use, apart from the question's: the
    reference's, the cues', the key points' and their other-language aliases', and every
    wording of the concepts the reference and key points name."""
    vocab = set(reference_side(reference).terms) | cue_vocabulary(cues)
    for i, point in enumerate(key_points):
        basis = point_basis(
            point,
            cues[i] if i < len(cues) else (),
            reference,
            behavioral,
            misconceptions[i] if i < len(misconceptions) else (),
        )
        vocab |= basis.weights.keys() | basis.aliases.keys()
    named = {c for text in (reference, *key_points) for c in concepts_in(text)}
    vocab |= wordings_of(frozenset(named))
    return strong(frozenset(vocab))


@lru_cache(maxsize=4096)
def strong(terms: frozenset[str]) -> frozenset[str]:
    """The terms that are not weak."""
    return frozenset(t for t in terms if not tx.is_weak(t))


@dataclass(frozen=True)
class ReferenceSide:
    """What a reference answer gives every question it serves: its sentences with their terms,
    and its strong terms (before the question's own are set aside)."""

    sentences: tuple[tuple[str, frozenset[str]], ...]
    terms: tuple[str, ...]


# Pure in its text, and the result is never changed: one reference answer serves many questions
# (a question asked in other words, a follow-up), so it is read once.
@lru_cache(maxsize=1024)
def reference_side(reference: str) -> ReferenceSide:
    """A reference answer's sentences with their terms, and its strong terms."""
    return ReferenceSide(
        sentences=tuple((s, frozenset(tx.content_terms(s))) for s in tx.split_sentences(reference)),
        terms=tuple(t for t in tx.content_terms(reference) if not tx.is_weak(t)),
    )


# Pure in the cue phrases, and the result is a frozenset: the same bank cues serve every
# wording of their question.
@lru_cache(maxsize=1024)
def cue_vocabulary(cues: tuple[tuple[str, ...], ...]) -> frozenset[str]:
    """Every term of every cue phrase."""
    return frozenset(t for group in cues for cue in group for t in tx.phrase_terms(cue))


def prepare_point(
    point: str,
    cues: tuple[str, ...],
    question_terms: frozenset[str],
    reference: str,
    behavioral: bool,
    asked: frozenset[int] = frozenset(),
    misconceptions: tuple[Misconception, ...] = (),
) -> Point:
    """One key point with its term weights and the reference sentence that explains it.

    Everything but the weights (words the question uses weigh less) and the cue concepts (the
    question's own are no cues) is the same for every question the point serves, so it is taken
    from `point_basis`. ``asked`` are the concepts the question names: an answer naming them
    proves nothing.
    """
    basis = point_basis(point, cues, reference, behavioral, misconceptions)
    return point_under(
        point,
        cues,
        reference,
        behavioral,
        misconceptions,
        frozenset(t for t in basis.weights if t in question_terms),
        basis.cue_concepts & asked,
    )


# Pure in its arguments, and a Point is never changed: a key point depends on its question only
# through the point's words the question uses and the cue concepts it names, which many wordings
# of one question share, so each such pair is prepared once.
@lru_cache(maxsize=4096)
def point_under(
    point: str,
    cues: tuple[str, ...],
    reference: str,
    behavioral: bool,
    misconceptions: tuple[Misconception, ...],
    question_terms: frozenset[str],
    asked: frozenset[int],
) -> Point:
    """`prepare_point` for a question using ``question_terms`` of the point's words and naming
    ``asked`` of its cue concepts."""
    basis = point_basis(point, cues, reference, behavioral, misconceptions)
    weights = {t: term_weight(t, question_terms) for t in basis.weights}
    plain = {t: w for t, w in weights.items() if t not in cx.antonym_of()}
    return replace(
        basis,
        weights=weights,
        total=sum(weights.values()) or 1.0,
        cue_concepts=basis.cue_concepts - asked,
        subject=frozenset(t for t in weights if t in question_terms and not tx.is_weak(t)),
        plain=plain,
        plain_total=sum(plain.values()) or 1.0,
    )


# Pure in its arguments, and a Point is frozen and never changed once made: a key point is read
# the same way for every answer and every wording of its question, so it is prepared once. The
# weights it carries are placeholders (1.0) that `prepare_point` replaces for the question.
@lru_cache(maxsize=4096)
def point_basis(
    point: str,
    cues: tuple[str, ...],
    reference: str,
    behavioral: bool,
    misconceptions: tuple[Misconception, ...],
) -> Point:
    """A key point prepared for matching, apart from the question it is asked under."""
    own = dict.fromkeys(tx.content_terms(point), 1.0)
    sentences = reference_side(reference).sentences
    near = max(sentences, key=lambda s: len(s[1] & own.keys()), default=("", None))[0]
    return Point(
        text=point,
        weights=own,
        total=1.0,
        cues=cues,
        context_text=f"{point} {near}",
        paired=cx.antonym_pairs(tx.tokens(point)) | cx.antonym_pairs(tx.tokens(near)),
        negated=tx.has_negation(point),
        denied=cx.denials(point),
        star=star_of(point) if behavioral else None,
        misconceptions=mc.compile_misconceptions(misconceptions),
        aliases=aliases_for(point),
        concepts={
            cid: named & own.keys()
            for cid, named in concepts_in(point).items()
            if named & own.keys()
        },
        cue_concepts=frozenset(c for cue in cues for c in concept_ids(cue)),
        language=tx.detect_language(point),
    )


@lru_cache(maxsize=1)
def _glossary() -> tuple[tuple[str, frozenset[str], str, frozenset[str]], ...]:
    """Each bilingual term: (Chinese, its bigrams, English lower-case, its English terms)."""
    return tuple(
        (
            zh,
            frozenset(tx.cjk_bigrams(zh)) or frozenset({zh}),
            en.lower(),
            frozenset(tx.content_terms(en)),
        )
        for zh, en in BILINGUAL_TERMS
    )


@lru_cache(maxsize=8192)
def aliases_for(point: str) -> dict[str, tuple[str, ...]]:
    """Other-language terms for the point's terms: English terms of its Chinese words, Chinese
    bigrams of its English words, each mapped to the point's own terms they stand for."""
    low = point.lower()
    weights = frozenset(tx.content_terms(point))
    out: dict[str, set[str]] = {}
    for zh, zh_terms, en, en_terms in _glossary():
        if zh in point:
            own = zh_terms & weights
            for term in en_terms - weights:
                out.setdefault(term, set()).update(own)
        if re.search(rf"\b{re.escape(en)}", low):
            own = en_terms & weights
            for term in zh_terms - weights:
                out.setdefault(term, set()).update(own)
    return {k: tuple(sorted(v)) for k, v in out.items() if v}


def bank_cues(question: str, points: list[str]) -> list[list[str]] | None:
    """The bank's cue phrases for these key points when the question is a bank question, so a
    bank question is graded alike whether or not its caller passed them."""
    from app.ai.offline.bank import load_bank, question_key  # the bank is needed only here

    entry = load_bank().find_by_text(question)
    if entry is None:
        return None
    by_point = {question_key(kp.point): list(kp.cues) for kp in entry.key_points}
    return [by_point.get(question_key(point), []) for point in points]


def cue_key(cues: list[list[str]] | None, n: int) -> tuple[tuple[str, ...], ...]:
    """Cues as a hashable tuple aligned with the key points."""
    if not cues:
        return ()
    return tuple(tuple(c for c in (cues[i] if i < len(cues) else ()) if c) for i in range(n))
