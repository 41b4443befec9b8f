"""Inline SVG charts drawn on the server for the pages: a score trend (the interview list) and
the report's category breakdown as bars and a radar.

No JavaScript, no third-party code and no inline styles (the Content-Security-Policy allows
neither): geometry goes in SVG attributes, colours come from the stylesheet through the same
classes as score pills, labels are escaped. The PDF draws its own charts (reports/pdf/graphics.py).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

from app.i18n import N_, translate
from app.templating import score_colour

MAX_DATE_TICKS = 6  # more dates under the line would run into each other


def _ticked(count: int) -> set[int]:
    """The indexes of the points whose date is written under the axis: first, last, and evenly
    spaced ones between, at most MAX_DATE_TICKS."""
    if count <= MAX_DATE_TICKS:
        return set(range(count))
    step = (count - 1) / (MAX_DATE_TICKS - 1)
    return {round(i * step) for i in range(MAX_DATE_TICKS)}


def trend_svg(
    points: list[tuple[str, int]],
    dates: list[str] | None = None,
    width: int = 640,
    height: int = 200,
) -> Markup:
    """A line of overall scores (0–100) over time; `points` are (label, score) oldest first and
    `dates` the short date written under each point (a few of them when there are many)."""
    if not points:
        return Markup("")
    pad, top = 36, 12
    inner_w, inner_h = width - 2 * pad, height - top - 40
    step = inner_w / max(1, len(points) - 1)

    def xy(index: int, score: int) -> tuple[float, float]:
        # A lone point sits in the middle: on the left edge it ran into the axis' "50".
        x = pad + (index * step if len(points) > 1 else inner_w / 2)
        return x, top + inner_h * (1 - max(0, min(100, score)) / 100)

    coords = [xy(i, score) for i, (_, score) in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    parts = [
        f'<svg class="chart trend" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Overall score over time">'
    ]
    for level in (0, 50, 75, 100):
        _, y = xy(0, level)
        parts.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="4" y="{y + 4:.1f}" class="axis">{level}</text>'
        )
    parts.append(f'<polyline points="{path}" class="line"/>')
    for (label, score), (x, y) in zip(points, coords, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="dot"><title>{escape(label)}: '
            f"{score}</title></circle>"
        )
    ticks = _ticked(len(points)) if dates else set()
    for index, ((x, _), date) in enumerate(zip(coords, dates or [], strict=False)):
        if index in ticks:
            # Alternate dates drop out on a phone, where the chart is drawn at half size.
            spare = " spare" if index % 2 and 0 < index < len(points) - 1 else ""
            parts.append(
                f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" '
                f'class="axis date{spare}">{escape(date)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every label is escaped above


ROW_HEIGHT, BAR_HEIGHT = 34, 18
# Room for a label of LABEL_UNITS and a bold "100" at the phone's 22px text, so neither runs into
# the bar (the stylesheet doubles the text size below 600 px, where the chart is drawn at half).
LABEL_WIDTH, SCORE_WIDTH, WIDTH = 220, 64, 640
LABEL_UNITS = 18


def _units(char: str) -> int:
    """How many Latin-letter widths a character takes: two for a CJK (wide) one."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _label(text: str, limit: int = LABEL_UNITS) -> str:
    """A category name short enough for the label column, counting a CJK character as two."""
    if sum(_units(c) for c in text) <= limit:
        return text
    kept, used = [], 1  # the ellipsis
    for char in text:
        used += _units(char)
        if used > limit:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _bar(index: int, category: str, score: int, count: int, language: str) -> str:
    """One row: label, track, bar, score."""
    track = WIDTH - LABEL_WIDTH - SCORE_WIDTH
    y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
    width = track * max(0, min(100, score)) / 100
    over = (
        N_("{score}/100 over {count} question")
        if count == 1
        else N_("{score}/100 over {count} questions")
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


RADAR_SIZE, RADAR_RADIUS = 360, 120
# A spoke's label is its category alone (the bars beside it give the scores), at most this many
# Latin-letter widths: at the stylesheet's 20px that stays inside the 120 units either side.
RADAR_LABEL_UNITS = 14


def _spoke(index: int, count: int, fraction: float) -> tuple[float, float]:
    """The point `fraction` of the way out along spoke `index` of `count` (the first points up)."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    centre = RADAR_SIZE / 2
    return (
        centre + RADAR_RADIUS * fraction * math.cos(angle),
        centre + RADAR_RADIUS * fraction * math.sin(angle),
    )


def category_radar_svg(categories: Iterable[Mapping[str, Any]], language: str = "en") -> Markup:
    """A radar of the category scores (0–100), one spoke per category; empty below three, where
    a radar says nothing the bars do not. Labels are shortened to stay inside the square."""
    rows = [(str(c.get("category", "")), int(c.get("score") or 0)) for c in categories]
    if len(rows) < 3:
        return Markup("")
    count = len(rows)
    parts = []
    for level in (0.25, 0.5, 0.75, 1.0):
        ring = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (_spoke(i, count, level) for i in range(count))
        )
        parts.append(f'<polygon points="{ring}" class="ring"/>')
    area = " ".join(
        f"{x:.1f},{y:.1f}"
        for x, y in (_spoke(i, count, max(0, min(100, s)) / 100) for i, (_, s) in enumerate(rows))
    )
    parts.append(f'<polygon points="{area}" class="area"/>')
    for index, (category, score) in enumerate(rows):
        x, y = _spoke(index, count, 1.18)
        anchor = (
            "middle" if abs(x - RADAR_SIZE / 2) < 8 else ("start" if x > RADAR_SIZE / 2 else "end")
        )
        parts.append(
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}" class="label">'
            f"<title>{escape(category)}: {score}</title>"
            f"{escape(_label(category, RADAR_LABEL_UNITS))}</text>"
        )
    title = escape(translate("Score by category", language))
    return Markup(  # noqa: S704 - every label is escaped above
        f'<svg class="chart radar" viewBox="-120 0 {RADAR_SIZE + 240} {RADAR_SIZE}" role="img" '
        f'aria-label="{title}">{"".join(parts)}</svg>'
    )
