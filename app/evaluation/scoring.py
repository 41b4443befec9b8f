"""The numbers of an evaluation, computed by the server from per-question scores (SPEC §5).

A model grades each answer 0–100; everything above that — the overall score, category means, the
1–10 interview score, bands, skill scores and the recruiter recommendation — is arithmetic here,
so a model's own totals can never reach a page. Pure functions: no Flask, no database.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from app.bands import feedback_band, interview_score, report_band
from app.i18n import N_

FEEDBACK_BAND_MEANINGS = {
    "Excellent": N_(
        "Outstanding performance: strong skills, clear communication, well aligned with the role."
    ),
    "Good": N_("Solid performance with minor areas for improvement."),
    "Adequate": N_("Acceptable, with significant room for improvement and some knowledge gaps."),
    "Needs Work": N_("Below expectations: notable knowledge gaps or unclear answers."),
    "Poor": N_("Significant concerns: prepare further before applying."),
}
REPORT_BAND_MEANINGS = {
    "Excellent": N_("Strong candidate with deep knowledge."),
    "Good": N_("Solid understanding with room to grow."),
    "Adequate": N_("Basic knowledge; needs improvement."),
    "Needs significant improvement": N_("Consider additional preparation."),
}


class Scored(Protocol):
    """What scoring needs of a question: a stored `Question` row satisfies it."""

    @property
    def parent_id(self) -> int | None: ...
    @property
    def category(self) -> str: ...
    @property
    def skill(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def score(self) -> int | None: ...


@dataclass(frozen=True)
class ScoreCard:
    """Every number of one evaluation."""

    overall: int
    interview_score: int
    band: str
    category_scores: list[dict[str, Any]]
    skill_scores: dict[str, list[dict[str, Any]]]
    recommendation: str


def round_half_up(value: float) -> int:
    """Round .5 up (Python's round() goes to even, which would turn 45 into 4)."""
    return math.floor(value + 0.5)


def clamp_score(value: Any) -> int:
    """A model's score as an integer 0–100; anything that is not a number is 0."""
    if isinstance(value, bool):
        return 0
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    if math.isnan(number):
        return 0
    return max(0, min(100, round_half_up(number)))


def mean_score(scores: Iterable[int | None]) -> int:
    """The rounded mean, counting a missing score as 0; 0 for nothing at all."""
    values = [clamp_score(s) if s is not None else 0 for s in scores]
    return round_half_up(sum(values) / len(values)) if values else 0


def main_only(questions: Iterable[Scored]) -> list[Scored]:
    """The planned questions; follow-ups are graded for display but counted through their main."""
    return [q for q in questions if q.parent_id is None]


def overall_score(questions: Iterable[Scored]) -> int:
    """Mean of the main questions' scores, unanswered ones counting 0."""
    return mean_score(q.score for q in main_only(questions))


def category_scores(questions: Iterable[Scored]) -> list[dict[str, Any]]:
    """[{category, score, question_count}] over main questions, in order of first appearance.

    Categories differing only in case ("Behavioral", "behavioral") are one category, named as
    first seen: a bank question and a model's may spell the same one differently."""
    names: dict[str, str] = {}
    groups: dict[str, list[int | None]] = {}
    for question in main_only(questions):
        name = question.category.strip() or "General"
        key = names.setdefault(name.casefold(), name)
        groups.setdefault(key, []).append(question.score)
    return [
        {"category": name, "score": mean_score(scores), "question_count": len(scores)}
        for name, scores in groups.items()
    ]


def recommendation(overall: int) -> str:
    """The recruiter's recommendation, from the server's overall score only."""
    if overall >= 85:
        return "Strongly recommended"
    if overall >= 70:
        return "Recommended"
    if overall >= 55:
        return "Consider"
    return "Not recommended"


SkillKey = Callable[[str], str]


def _plain_key(label: str) -> str:
    return " ".join(label.lower().split())


def taxonomy_key() -> SkillKey:
    """Map a skill label to a canonical key: the offline taxonomy's id when it knows an alias
    ("Postgres" and "PostgreSQL" meet), else the lower-cased label."""
    try:
        from app.ai.coach import load_taxonomy

        taxonomy = load_taxonomy()
    except (ImportError, OSError, ValueError):
        return _plain_key

    @cache
    def key(label: str) -> str:
        found = taxonomy.lookup(label) if label.strip() else None
        return found.id if found is not None else _plain_key(label)

    return key


def _mentions(text: str, skill: str) -> bool:
    """Whether `text` names `skill` as a word ("Go" is not in "good"; Chinese needs no spaces)."""
    needle = _plain_key(skill)
    if not needle:
        return False
    pattern = r"(?<![a-z0-9+#])" + re.escape(needle) + r"(?![a-z0-9+#])"
    return re.search(pattern, _plain_key(text)) is not None


# A question about the candidate's own project is scored on the story, not on the tools the CV
# names in it, so it never stands for a skill's score.
SKILL_EVIDENCE_KINDS = {"technical", "coding", "situational", "behavioral"}


def _matches(skill: str, questions: Sequence[Scored], key: SkillKey) -> list[Scored]:
    """Questions about `skill`: by their skill or category label, else by naming it in the text.

    Project questions are left out (see SKILL_EVIDENCE_KINDS), and only technical questions
    count by mentioning a skill, since a story question that names a tool does not test it.
    """
    wanted = key(skill)
    eligible = [q for q in questions if q.kind in SKILL_EVIDENCE_KINDS]
    direct = [q for q in eligible if wanted in (key(q.skill), key(q.category))]
    if direct:
        return direct
    return [q for q in eligible if q.kind != "behavioral" and _mentions(q.text, skill)]


def skill_scores(
    must_haves: Sequence[str],
    nice_to_haves: Sequence[str],
    questions: Iterable[Scored],
    key: SkillKey | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """{must_haves: [{skill_name, score}], nice_to_haves: [...]}: each skill's mean over the
    main questions that assessed it. A skill no question touched is left out, not scored 0:
    the interview says nothing about it."""
    key = key or taxonomy_key()
    mains = main_only(questions)
    result: dict[str, list[dict[str, Any]]] = {}
    for group, skills in (("must_haves", must_haves), ("nice_to_haves", nice_to_haves)):
        rows = []
        for skill in dict.fromkeys(s.strip() for s in skills if s and s.strip()):
            matched = _matches(skill, mains, key)
            if matched:
                rows.append({"skill_name": skill, "score": mean_score(q.score for q in matched)})
        result[group] = rows
    return result


def score_card(
    questions: Sequence[Scored], must_haves: Sequence[str], nice_to_haves: Sequence[str]
) -> ScoreCard:
    """All the numbers of one evaluation, from the per-question scores."""
    overall = overall_score(questions)
    return ScoreCard(
        overall=overall,
        interview_score=interview_score(overall),
        band=report_band(overall),
        category_scores=category_scores(questions),
        skill_scores=skill_scores(must_haves, nice_to_haves, questions),
        recommendation=recommendation(overall),
    )


__all__ = [
    "FEEDBACK_BAND_MEANINGS",
    "REPORT_BAND_MEANINGS",
    "ScoreCard",
    "category_scores",
    "clamp_score",
    "feedback_band",
    "interview_score",
    "overall_score",
    "recommendation",
    "report_band",
    "score_card",
    "skill_scores",
]
