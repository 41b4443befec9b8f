"""The lead's lists — what to fix first and what went well, side by side — and the overall
feedback."""

from __future__ import annotations

import re

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from .data import ReportView
from .styles import AMBER, GREEN
from .typeset import Typesetter

_BLANK_LINES = re.compile(r"\n\s*\n")
BAR_CHART_LIMIT = 24  # rows; more would not fit one page
FIX_FIRST = 3


def chart_limit_note(total: int, limit: int, ink: Typesetter) -> list[Flowable]:
    """A note saying a chart shows only the first `limit` categories, when it does."""
    if total <= limit:
        return []
    return [ink.para(ink.t("charts_truncated", shown=limit, total=total), "muted")]


def feedback_paragraphs(text: str, ink: Typesetter) -> list[Flowable]:
    """One paragraph per blank-line-separated block of `text`."""
    blocks = [block.strip("\n") for block in _BLANK_LINES.split(text) if block.strip()]
    return [ink.para(block, "prose") for block in blocks] or [ink.para(ink.t("none"), "muted")]


def fix_first(view: ReportView, ink: Typesetter) -> list[str]:
    """The first missed key point of each of the lowest-scored main questions, with its question
    named as the page names it ("Question 3 · 20/100", the report page's "Fix these first"). A
    follow-up is graded through its main question, so its own row is never listed: it would name
    the same point twice."""
    graded = [
        q for q in view.questions if not q.is_follow_up and q.score is not None and q.missed_points
    ]
    graded.sort(key=lambda q: (q.score or 0, q.position))
    return [
        f"{q.missed_points[0]} ({ink.t('question_n', n=q.position)} · {q.score}/100)"
        for q in graded[:FIX_FIRST]
    ]


def went_well(view: ReportView, ink: Typesetter) -> list[str]:
    """What went well as the page says it: the candidate's own words with the point they earned
    and their question; the summary's strengths when no grade kept a quote."""
    if not view.went_well:
        return view.strengths[:3]
    return [
        f"“{w.quote}” — {ink.t('earned', point=w.point)} "
        f"({ink.t('question_n', n=w.position)} · {w.score}/100)"
        for w in view.went_well
    ]


def lead_lists(view: ReportView, ink: Typesetter, width: float) -> list[Flowable]:
    """What to fix first beside what went well."""
    fixes = fix_first(view, ink) or view.improvements[:FIX_FIRST]
    gap = 6 * mm
    half = (width - gap) / 2
    columns = [
        [ink.para(ink.t("fix_first"), "h2"), *ink.bullets(fixes, AMBER)],
        "",
        [ink.para(ink.t("went_well"), "h2"), *ink.bullets(went_well(view, ink), GREEN)],
    ]
    table = Table([columns], colWidths=[half, gap, half])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [table]


def summary(view: ReportView, ink: Typesetter, width: float) -> list[Flowable]:
    """The overall feedback."""
    story: list[Flowable] = [*ink.heading("summary", "h1")]
    return [*story, *feedback_paragraphs(view.overall_feedback, ink)]
