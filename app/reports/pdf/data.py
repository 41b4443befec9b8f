"""The report JSON (SPEC §4) read into typed, defensive records the PDF sections draw from.

A stored report comes from the database and, in part, from a model; a missing field, a `None` score
or a string where a list belongs must not stop a candidate from downloading their PDF, so every
value is coerced here once and the drawing code can trust what it gets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from app.language import Language

AnswerMode = Literal["default", "code"]


@dataclass(frozen=True)
class ReportMeta:
    """What the PDF shows besides the report itself: who, for which job, and when."""

    session_id: int | str
    job_title: str
    company_name: str
    candidate_name: str
    interview_date: datetime
    language: Language = "en"
    answer_modes: Mapping[int, AnswerMode] = field(default_factory=dict)


@dataclass(frozen=True)
class CategoryScore:
    """The mean score of one question category."""

    category: str
    score: int
    question_count: int


@dataclass(frozen=True)
class SkillScore:
    """The score of one must-have or nice-to-have skill from the job description."""

    skill_name: str
    score: int


@dataclass(frozen=True)
class QuestionDetail:
    """One asked question with its answer and grade."""

    question_id: int
    position: int
    question: str
    category: str
    is_follow_up: bool
    answer: str
    score: int | None
    feedback: str
    covered_points: list[str]
    missed_points: list[str]
    reference_answer: str
    key_points: list[str]


@dataclass(frozen=True)
class PlanItem:
    """One step of the improvement plan."""

    topic: str
    action: str
    resources: list[str]


@dataclass(frozen=True)
class StrongQuote:
    """Words of the candidate's own that earned a key point: a verbatim span of their answer
    (cut at a word, with "…", when long), the point, and the main question it answers."""

    quote: str
    point: str
    question_id: int
    position: int
    score: int


WENT_WELL = 3
QUOTE_CHARS = 160  # a quote longer than this is cut at a word: a screen's lead stays one screen


def cut_quote(quote: str, limit: int = QUOTE_CHARS) -> str:
    """The quote, or its first words up to `limit` characters followed by "…" (still verbatim
    up to the ellipsis)."""
    quote = quote.strip()
    if len(quote) <= limit:
        return quote
    head = quote[:limit]
    space = head.rfind(" ")
    # Text without spaces (Chinese) is cut at the limit itself.
    return (head[:space] if space > limit // 2 else head).rstrip(" ,;:") + "…"


_CLAUSE_END = re.compile(r"(?<=[.!?;。！？；])\s*|\n+")
MIN_CLAUSE = 12  # a clause shorter than this says too little alone: the grader's quote is kept


def own_words(answer: str, quote: str) -> str:
    """The clause of `answer` that holds most of `quote` (a grader's window, which may start or
    stop mid-phrase), so the report quotes a whole thought; `quote` itself when it is not in the
    answer or its clause is too short to stand alone. Always a verbatim span of the answer."""
    start = answer.find(quote)
    if start < 0 or not quote:
        return quote
    end = start + len(quote)
    best, overlap, begin = quote, 0, 0
    for match in [*_CLAUSE_END.finditer(answer), None]:
        stop = match.start() if match else len(answer)
        clause = answer[begin:stop]
        shared = min(end, stop) - max(start, begin)
        if shared > overlap and len(clause.strip()) >= MIN_CLAUSE:
            best, overlap = clause.strip().rstrip(";,:；，："), shared
        begin = match.end() if match else len(answer)
    return best


def strong_quotes(details: Any, limit: int = WENT_WELL) -> list[StrongQuote]:
    """What went well, in the candidate's own words: from each of the best-scored main questions
    (highest first), the first quote of its receipt that earned a covered key point — its own
    answer's or a follow-up's, since a main question is graded on both. Only quotes the report
    JSON kept are used, and it keeps only verbatim spans of the answer they came from."""
    cards: list[tuple[Mapping[str, Any], list[Mapping[str, Any]]]] = []
    for item in _records(details):
        if item.get("is_follow_up") and cards:
            cards[-1][1].append(item)
        elif not item.get("is_follow_up"):
            cards.append((item, []))
    ranked = [(main, rows) for main, rows in cards if as_score(main.get("score")) is not None]
    ranked.sort(key=lambda c: (-(as_score(c[0].get("score")) or 0), as_int(c[0].get("position"))))
    found: list[StrongQuote] = []
    used: set[str] = set()
    for main, follow_ups in ranked:
        covered = set(as_text_list(main.get("covered_points")))
        for row in (main, *follow_ups):
            receipt = row.get("receipt")
            evidence = _records(receipt.get("evidence")) if isinstance(receipt, Mapping) else []
            answer = as_text(row.get("answer"))
            # The same words said in two answers are quoted once.
            quotes = [
                (e, cut_quote(own_words(answer, as_text(e.get("quote")))))
                for e in evidence
                if as_text(e.get("quote")).strip() and as_text(e.get("point")) in covered
            ]
            pick = next(((e, q) for e, q in quotes if q not in used), None)
            if pick is not None:
                used.add(pick[1])
                found.append(
                    StrongQuote(
                        quote=pick[1],
                        point=as_text(pick[0].get("point")),
                        question_id=as_int(main.get("question_id")),
                        position=as_int(main.get("position")),
                        score=as_score(main.get("score")) or 0,
                    )
                )
                break
        if len(found) >= limit:
            break
    return found


@dataclass(frozen=True)
class ReportView:
    """The whole report, typed."""

    overall_score: int
    categories: list[CategoryScore]
    must_haves: list[SkillScore]
    nice_to_haves: list[SkillScore]
    questions: list[QuestionDetail]
    overall_feedback: str
    strengths: list[str]
    improvements: list[str]
    plan: list[PlanItem]
    provider: str
    model: str
    fallback_used: bool
    went_well: list[StrongQuote] = field(default_factory=list)


def as_text(value: Any) -> str:
    """Return `value` as a string; `None` becomes empty."""
    return "" if value is None else str(value)


def as_score(value: Any) -> int | None:
    """Return a 0–100 integer score, or `None` when the value is not a number."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != number:  # NaN
        return None
    return max(0, min(100, round(number)))


def as_int(value: Any, default: int = 0) -> int:
    """Return `value` as an int, or `default` when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def as_text_list(value: Any) -> list[str]:
    """Return a list of non-empty strings; a lone string becomes a one-item list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, Mapping):
        value = list(value.values())
    try:
        items = list(value)
    except TypeError:
        return [str(value)]
    return [text for text in (as_text(item) for item in items) if text.strip()]


def _records(value: Any) -> list[Mapping[str, Any]]:
    """Return the mappings in a list, skipping anything that is not one."""
    if not isinstance(value, list | tuple):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _question(item: Mapping[str, Any], index: int) -> QuestionDetail:
    """Read one `question_details` entry."""
    return QuestionDetail(
        question_id=as_int(item.get("question_id"), index),
        position=as_int(item.get("position"), index + 1),
        question=as_text(item.get("question")),
        category=as_text(item.get("category")),
        is_follow_up=bool(item.get("is_follow_up")),
        answer=as_text(item.get("answer")),
        score=as_score(item.get("score")),
        feedback=as_text(item.get("feedback")),
        covered_points=as_text_list(item.get("covered_points")),
        missed_points=as_text_list(item.get("missed_points")),
        reference_answer=as_text(item.get("reference_answer")),
        key_points=as_text_list(item.get("key_points")),
    )


def _skills(value: Any) -> list[SkillScore]:
    """Read a must-have or nice-to-have skill list."""
    return [
        SkillScore(as_text(item.get("skill_name")), as_score(item.get("score")) or 0)
        for item in _records(value)
        if as_text(item.get("skill_name")).strip()
    ]


def read_report(report: Mapping[str, Any]) -> ReportView:
    """Coerce the report JSON object into a `ReportView`."""
    skills = report.get("skill_scores")
    skills = skills if isinstance(skills, Mapping) else {}
    return ReportView(
        overall_score=as_score(report.get("overall_score")) or 0,
        categories=[
            CategoryScore(
                as_text(item.get("category")) or "—",
                as_score(item.get("score")) or 0,
                as_int(item.get("question_count")),
            )
            for item in _records(report.get("category_scores"))
        ],
        must_haves=_skills(skills.get("must_haves")),
        nice_to_haves=_skills(skills.get("nice_to_haves")),
        questions=[
            _question(item, i) for i, item in enumerate(_records(report.get("question_details")))
        ],
        overall_feedback=as_text(report.get("overall_feedback")),
        strengths=as_text_list(report.get("strengths")),
        improvements=as_text_list(report.get("improvements")),
        plan=[
            PlanItem(
                as_text(item.get("topic")),
                as_text(item.get("action")),
                as_text_list(item.get("resources")),
            )
            for item in _records(report.get("improvement_plan"))
        ],
        provider=as_text(report.get("provider")),
        model=as_text(report.get("model")),
        fallback_used=bool(report.get("fallback_used")),
        went_well=strong_quotes(report.get("question_details")),
    )
