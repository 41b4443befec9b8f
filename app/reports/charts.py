"""The report's category breakdown as inline SVG bars, drawn on the server.

No JavaScript and no inline styles (the Content-Security-Policy allows neither): geometry goes in
SVG attributes, colours come from the stylesheet through the same classes as score pills.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

from app.i18n import translate
from app.templating import score_colour

ROW_HEIGHT, BAR_HEIGHT = 34, 18
LABEL_WIDTH, SCORE_WIDTH, WIDTH = 190, 48, 640


def _label(text: str, limit: int = 28) -> str:
    """A category name short enough for the label column."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bar(index: int, category: str, score: int, count: int, language: str) -> str:
    """One row: label, track, bar, score."""
    track = WIDTH - LABEL_WIDTH - SCORE_WIDTH
    y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
    width = track * max(0, min(100, score)) / 100
    over = (
        "{score}/100 over {count} question" if count == 1 else "{score}/100 over {count} questions"
    )
    summary = translate(over, language, score=score, count=count)
    return (
        f'<g class="bar-row"><title>{escape(category)}: {escape(summary)}</title>'
        f'<text x="0" y="{y + BAR_HEIGHT - 4:.1f}" class="label">{escape(_label(category))}</text>'
        f'<rect x="{LABEL_WIDTH}" y="{y:.1f}" width="{track}" height="{BAR_HEIGHT}" rx="4" '
        f'class="track"/>'
        f'<rect x="{LABEL_WIDTH}" y="{y:.1f}" width="{width:.1f}" height="{BAR_HEIGHT}" rx="4" '
        f'class="bar {score_colour(score)}"/>'
        f'<text x="{WIDTH - 4}" y="{y + BAR_HEIGHT - 4:.1f}" class="value" '
        f'text-anchor="end">{score}</text></g>'
    )


def category_bars_svg(categories: Iterable[Mapping[str, Any]], language: str = "en") -> Markup:
    """Horizontal bars, one per category score (0–100); empty when there are none. The fixed
    words are in `language`; category names are the question bank's, shown as they are."""
    rows = [
        _bar(
            i,
            str(c.get("category", "")),
            int(c.get("score") or 0),
            int(c.get("question_count") or 0),
            language,
        )
        for i, c in enumerate(categories)
    ]
    if not rows:
        return Markup("")
    height = len(rows) * ROW_HEIGHT
    return Markup(  # noqa: S704 - every label is escaped in _bar
        f'<svg class="chart bars" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(translate("Score by category", language))}">{"".join(rows)}</svg>'
    )
