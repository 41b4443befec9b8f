"""The category radar chart on a fixed 0–100 scale."""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Drawing, Line, Polygon
from reportlab.pdfbase.pdfmetrics import stringWidth

from .data import CategoryScore
from .fonts import LATIN_BOLD, FontSet
from .graphics import chart_labels, text_at
from .styles import RULE, score_colour, score_tint

LABEL_SIZE = 7.5


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    """The point at `radius` on spoke `index` of `count`, the first spoke pointing up."""
    angle = math.pi / 2 - 2 * math.pi * index / count
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _polygon(cx: float, cy: float, radii: list[float]) -> list[float]:
    """The flat x, y list of a polygon with one vertex per spoke at the given radii."""
    count = len(radii)
    return [v for i, r in enumerate(radii) for v in _point(cx, cy, r, i, count)]


def _radius(names: list[str], font: str, width: float, height: float) -> float:
    """The largest radius that keeps every spoke label inside the drawing."""
    widest = max(stringWidth(name, font, LABEL_SIZE) for name in names)
    return max(30.0, min(height / 2 - 33, width / 2 - widest - 14))


def _web(drawing: Drawing, cx: float, cy: float, radius: float, count: int) -> None:
    """Rings at 25, 50, 75 and 100 and one spoke per category."""
    for ring in (25, 50, 75, 100):
        outline = _polygon(cx, cy, [radius * ring / 100] * count)
        drawing.add(Polygon(outline, fillColor=None, strokeColor=RULE, strokeWidth=0.6))
    for i in range(count):
        end = _point(cx, cy, radius, i, count)
        drawing.add(Line(cx, cy, *end, strokeColor=RULE, strokeWidth=0.6))


def category_radar(
    categories: list[CategoryScore], fonts: FontSet, width: float, height: float
) -> Drawing:
    """A radar chart of category scores, each spoke labelled with its name and score."""
    drawing = Drawing(width, height)
    names, font = chart_labels([c.category for c in categories], fonts, 16)
    count, cx, cy = len(categories), width / 2, height / 2 - 4
    radius = _radius(names, font, width, height)
    _web(drawing, cx, cy, radius, count)
    scores = [c.score for c in categories]
    mean = round(sum(scores) / count)
    shape = _polygon(cx, cy, [radius * s / 100 for s in scores])
    drawing.add(
        Polygon(shape, fillColor=score_tint(mean), strokeColor=score_colour(mean), strokeWidth=1.4)
    )
    for i, (name, score) in enumerate(zip(names, scores, strict=True)):
        x, y = _point(cx, cy, radius + 10, i, count)
        anchor = "middle" if abs(x - cx) < 1 else ("start" if x > cx else "end")
        y -= 8 if y < cy - 1 else 0
        drawing.add(text_at(x, y + 2, name, font=font, anchor=anchor))
        drawing.add(
            text_at(
                x, y - 7, str(score), font=LATIN_BOLD, colour=score_colour(score), anchor=anchor
            )
        )
    return drawing
