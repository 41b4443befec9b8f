"""General opposites from WordNet, and key points stated with an opposite or with their cases
swapped, on questions outside the bank (only the question, reference answer and key points
known)."""

from __future__ import annotations

import pytest

from app.ai.offline import text as tx
from app.ai.offline import wordnet
from app.ai.offline.grading import grade_answer
from app.ai.offline.grading.matching import Match, key_point_coverage
from app.ai.offline.grading.scoring import CONTRADICTED_CAP, contradicted_cap
from app.ai.offline.grading.verification import UNVERIFIED_CAP

ENDIAN_Q = "What is the difference between big-endian and little-endian byte order?"
ENDIAN_REF = (
    "A big-endian machine stores the most significant byte at the lowest address. A "
    "little-endian machine stores the least significant byte at the lowest address; x86 is "
    "little-endian. Network protocols use big-endian byte order."
)
ENDIAN_POINTS = [
    "big-endian stores the most significant byte at the lowest address",
    "little-endian stores the least significant byte at the lowest address; x86 is little-endian",
    "network byte order is big-endian",
]
RATE_Q = "In gradient descent, what happens when the learning rate is too large or too small?"
RATE_REF = (
    "If the learning rate is too large, the steps overshoot the minimum and the loss diverges. "
    "If it is too small, training converges very slowly and can stall on plateaus."
)
RATE_POINTS = [
    "a too large learning rate overshoots the minimum so the loss diverges",
    "a too small learning rate converges very slowly and can stall on plateaus",
]


@pytest.mark.parametrize(
    ("word", "opposite"),
    [
        ("bigger", "smaller"),
        ("faster", "slower"),
        ("increase", "decrease"),
        ("synchronous", "asynchronous"),
        ("enable", "disable"),
        ("highest", "lowest"),
        ("quickly", "slowly"),
    ],
)
def test_wordnet_gives_opposites_as_the_graders_terms(word: str, opposite: str) -> None:
    """Both ways, for any inflection: the opposite's term is among the word's antonyms."""
    assert tx.term(opposite) in wordnet.antonyms(word)
    assert tx.term(word) in wordnet.antonyms(opposite)


def test_wordnet_synonyms_share_a_sense_and_exclude_the_word_and_its_opposites() -> None:
    """Synonyms are the lemmas of the word's first senses, never itself or an antonym."""
    found = wordnet.synonyms("reject")
    assert tx.term("decline") in found
    assert tx.term("reject") not in found
    assert not found & wordnet.antonyms("reject")
    assert wordnet.antonyms("zxqv") == frozenset() == wordnet.synonyms("zxqv")


def test_wordnet_is_read_once_per_part_of_speech() -> None:
    """Grading speed: the database files are parsed on first use, then every look-up is a dict
    read (no file is read again however many words are looked up)."""
    for word in ("bigger", "faster", "increase", "enable", "lower", "before", "full", "first"):
        wordnet.antonyms(word)
        wordnet.synonyms(word)
    assert wordnet._index.cache_info().currsize <= 4
    assert wordnet._index.cache_info().misses <= 4
    assert wordnet._data.cache_info().misses <= 4


def test_a_key_point_stated_with_a_wordnet_antonym_is_flagged_with_the_correction() -> None:
    """ "highest" for "lowest" (no table lists the pair): not covered, and an error whose
    correction is the point."""
    answer = (
        "A big-endian machine stores the most significant byte at the highest address. "
        "Little-endian stores the least significant byte at the lowest address, as on x86."
    )
    grade = grade_answer(ENDIAN_Q, answer, ENDIAN_POINTS, ENDIAN_REF)
    assert ENDIAN_POINTS[0] not in grade.covered_points
    assert any(
        e["correction"] == ENDIAN_POINTS[0] and "highest" in e["quote"] for e in grade.errors
    )
    covered = dict(
        (p, c) for p, c, _ in key_point_coverage(answer, ENDIAN_POINTS, question=ENDIAN_Q)
    )
    assert covered[ENDIAN_POINTS[0]] is False


def test_roles_swapped_between_two_terms_in_one_clause_are_flagged() -> None:
    """ "Big-endian stores the least … and little-endian the most …": each point's pair is named,
    but each is given the other's role."""
    answer = (
        "Big-endian stores the least significant byte at the lowest address and little-endian "
        "stores the most significant byte there. Network byte order is big-endian."
    )
    grade = grade_answer(ENDIAN_Q, answer, ENDIAN_POINTS, ENDIAN_REF)
    assert ENDIAN_POINTS[0] not in grade.covered_points
    assert {e["correction"] for e in grade.errors} >= {ENDIAN_POINTS[0]}
    assert grade.score < 35


def test_a_claim_moved_onto_the_opposite_case_is_flagged() -> None:
    """The small learning rate's behaviour said of the large one is wrong, not a statement about
    another subject: flagged against the point it moves."""
    answer = (
        "A too large learning rate converges very slowly and can stall on plateaus, while a too "
        "small one overshoots the minimum and the loss diverges."
    )
    grade = grade_answer(RATE_Q, answer, RATE_POINTS, RATE_REF)
    assert RATE_POINTS[1] not in grade.covered_points
    assert any(e["correction"] == RATE_POINTS[1] for e in grade.errors)
    brief = grade_answer(
        RATE_Q,
        "Too large a learning rate overshoots the minimum and diverges; too small a rate "
        "converges very slowly and can stall on plateaus.",
        RATE_POINTS,
        RATE_REF,
    )
    assert not brief.errors
    assert grade.score < brief.score


def test_correct_answers_naming_both_sides_are_not_flagged() -> None:
    """An answer that names both words of a pair, each with its right case, agrees with both
    points."""
    answer = (
        "Big-endian puts the most significant byte at the lowest address, little-endian the "
        "least significant byte there (x86 is little-endian); the network uses big-endian."
    )
    grade = grade_answer(ENDIAN_Q, answer, ENDIAN_POINTS, ENDIAN_REF)
    assert not grade.errors
    assert grade.score >= 62


def test_a_contradicted_answer_ranks_below_one_the_grader_cannot_verify() -> None:
    """Known wrong sits under unverifiable (which may yet be right): one flagged error caps the
    score below the cap of unverified answers, and each further one sinks it lower."""
    assert CONTRADICTED_CAP < UNVERIFIED_CAP
    one = [Match(score=1.0, contradiction="x"), Match(score=1.0)]
    two = [Match(score=1.0, contradiction="x"), Match(score=1.0, contradiction="y")]
    assert contradicted_cap(95, one) == CONTRADICTED_CAP
    assert contradicted_cap(95, two) < CONTRADICTED_CAP
    assert contradicted_cap(95, [Match(score=1.0)]) == 95
