"""Section 2: the summary — overall feedback, category bar chart, strengths, improvements."""

from __future__ import annotations

import re

from reportlab.platypus import Flowable, KeepTogether, Spacer

from .charts import category_bars
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


def summary(view: ReportView, ink: Typesetter, width: float) -> list[Flowable]:
    """The summary section's flowables."""
    story: list[Flowable] = [
        ink.para(ink.t("summary"), "h1"),
        *ink.heading("overall_feedback", "h2"),
    ]
    story += feedback_paragraphs(view.overall_feedback, ink)
    if view.categories:
        story.append(
            KeepTogether(
                [
                    ink.para(ink.t("category_scores"), "h2"),
                    category_bars(view.categories[:BAR_CHART_LIMIT], ink.fonts, width),
                ]
            )
        )
        story += chart_limit_note(len(view.categories), BAR_CHART_LIMIT, ink)
    story += [*ink.heading("strengths", "h2"), *ink.bullets(view.strengths, GREEN)]
    story += [*ink.heading("improvements", "h2"), *ink.bullets(view.improvements, AMBER)]
    story.append(Spacer(1, 6))
    return story
