"""Section 2: the summary — overall feedback, category bar chart, strengths, improvements."""

from __future__ import annotations

import re

from reportlab.platypus import Flowable, Spacer

from .data import ReportView
from .styles import AMBER, GREEN
from .typeset import Typesetter

_BLANK_LINES = re.compile(r"\n\s*\n")
BAR_CHART_LIMIT = 24  # rows; more would not fit one page


def chart_limit_note(total: int, limit: int, ink: Typesetter) -> list[Flowable]:
    """A note saying a chart shows only the first `limit` categories, when it does."""
    if total <= limit:
        return []
    return [ink.para(ink.t("charts_truncated", shown=limit, total=total), "muted")]


def feedback_paragraphs(text: str, ink: Typesetter) -> list[Flowable]:
    """One paragraph per blank-line-separated block of `text`."""
    blocks = [block.strip("\n") for block in _BLANK_LINES.split(text) if block.strip()]
    return [ink.para(block, "prose") for block in blocks] or [ink.para(ink.t("none"), "muted")]


FIX_FIRST = 3


def fix_first(view: ReportView) -> list[str]:
    """The first missed key point of each of the lowest-scored answers, with its question number
    (the report page's "Fix these first")."""
    graded = [q for q in view.questions if q.score is not None and q.missed_points]
    graded.sort(key=lambda q: (q.score or 0, q.position, q.is_follow_up))
    return [f"{q.missed_points[0]} ({q.position}: {q.score}/100)" for q in graded[:FIX_FIRST]]


def summary(view: ReportView, ink: Typesetter, width: float) -> list[Flowable]:
    """What to fix first, what went well, then the overall feedback."""
    fixes = fix_first(view) or view.improvements[:FIX_FIRST]
    story: list[Flowable] = [ink.para(ink.t("summary"), "h1")]
    story += [*ink.heading("fix_first", "h2"), *ink.bullets(fixes, AMBER)]
    story += [*ink.heading("went_well", "h2"), *ink.bullets(view.strengths[:3], GREEN)]
    story += [
        *ink.heading("overall_feedback", "h2"),
        *feedback_paragraphs(view.overall_feedback, ink),
    ]
    story.append(Spacer(1, 6))
    return story
