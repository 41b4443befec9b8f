"""Inline SVG charts drawn on the server: no JavaScript, no third-party code, escaped labels."""

from __future__ import annotations

from markupsafe import Markup, escape

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
