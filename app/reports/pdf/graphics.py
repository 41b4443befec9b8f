"""Bar charts and meters of category and skill scores, drawn as vector graphics."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from .data import CategoryScore
from .fonts import LATIN, LATIN_BOLD, FontSet
from .styles import INK, MUTED, RULE, score_colour
from .text import plain

MIN_SLOT_FOR_VALUES = 16  # points per column below which score labels would collide


def chart_labels(texts: list[str], fonts: FontSet, limit: int) -> tuple[list[str], str]:
    """Labels shortened to `limit` characters, and the one font that can draw all of them."""
    cleaned = [plain(text, fonts, limit) for text in texts]
    if not any(cjk for _, cjk in cleaned):
        return [text for text, _ in cleaned], LATIN
    return [text if cjk else _cjk_only(text, fonts) for text, cjk in cleaned], fonts.cjk


def _cjk_only(text: str, fonts: FontSet) -> str:
    """Keep the characters of a Latin label that the CJK font can also draw."""
    return "".join(char for char in text if fonts.cjk_covers(char))


def text_at(
    x: float,
    y: float,
    text: str,
    *,
    font: str = LATIN,
    size: float = 7.5,
    colour: colors.Color = INK,
    anchor: str = "start",
) -> String:
    """A single-font string positioned in a drawing."""
    return String(x, y, text, fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor)


def _value_grid(drawing: Drawing, box: tuple[float, float, float, float], vertical: bool) -> None:
    """Light grid lines and labels every 25 points on a 0–100 axis inside `box` (x, y, w, h)."""
    x, y, w, h = box
    for value in range(0, 101, 25):
        if vertical:
            at = y + h * value / 100
            drawing.add(Line(x, at, x + w, at, strokeColor=RULE, strokeWidth=0.5))
            drawing.add(text_at(x - 4, at - 2.5, str(value), size=7, colour=MUTED, anchor="end"))
        else:
            at = x + w * value / 100
            drawing.add(Line(at, y, at, y + h, strokeColor=RULE, strokeWidth=0.5))
            drawing.add(text_at(at, y - 10, str(value), size=7, colour=MUTED, anchor="middle"))


def category_bars(categories: list[CategoryScore], fonts: FontSet, width: float) -> Drawing:
    """Horizontal bars, one per category in report order, colour-coded by score."""
    names, font = chart_labels([c.category for c in categories], fonts, 28)
    row, label_width, bottom = 20, 140, 16
    plot = (label_width, bottom, width - label_width - 24, row * len(categories))
    drawing = Drawing(width, plot[3] + bottom + 6)
    _value_grid(drawing, plot, vertical=False)
    for index, (name, item) in enumerate(zip(names, categories, strict=True)):
        middle = plot[1] + plot[3] - row * (index + 0.5)
        length = plot[2] * item.score / 100
        colour = score_colour(item.score)
        drawing.add(text_at(label_width - 6, middle - 3, name, font=font, size=8.5, anchor="end"))
        drawing.add(Rect(label_width, middle - 5, length, 10, fillColor=colour, strokeColor=None))
        score = str(item.score)
        drawing.add(
            text_at(
                label_width + length + 4, middle - 3, score, font=LATIN_BOLD, size=8, colour=MUTED
            )
        )
    return drawing


def _column_label(x: float, y: float, name: str, font: str, slanted: bool) -> Group | String:
    """A category name under its column, slanted when columns are narrow."""
    if not slanted:
        return text_at(x, y, name, font=font, anchor="middle")
    label = Group(text_at(0, 0, name, font=font, anchor="end"))
    label.translate(x + 3, y + 4)
    label.rotate(50)
    return label


def _thresholds(drawing: Drawing, plot: tuple[float, float, float, float]) -> None:
    """Dashed lines at the amber (60) and green (75) score thresholds."""
    x, y, w, h = plot
    for threshold in (60, 75):
        at = y + h * threshold / 100
        line = Line(x, at, x + w, at, strokeColor=score_colour(threshold), strokeWidth=0.8)
        line.strokeDashArray = [3, 2]
        drawing.add(line)


def category_columns(
    categories: list[CategoryScore], fonts: FontSet, width: float, height: float
) -> Drawing:
    """Vertical bars per category with the score thresholds marked."""
    names, font = chart_labels([c.category for c in categories], fonts, 14)
    slot = (width - 36) / max(1, len(categories))
    slanted = any(stringWidth(name, font, 7.5) > slot - 4 for name in names)
    plot = (28.0, 64.0 if slanted else 24.0, width - 36, 0.0)
    plot = (*plot[:3], height - plot[1] - 14)
    drawing = Drawing(width, height)
    _value_grid(drawing, plot, vertical=True)
    _thresholds(drawing, plot)
    bar = min(18.0, slot * 0.6)
    for index, (name, item) in enumerate(zip(names, categories, strict=True)):
        centre = plot[0] + slot * (index + 0.5)
        top = plot[1] + plot[3] * item.score / 100
        colour = score_colour(item.score)
        drawing.add(
            Rect(centre - bar / 2, plot[1], bar, top - plot[1], fillColor=colour, strokeColor=None)
        )
        if slot >= MIN_SLOT_FOR_VALUES:
            drawing.add(
                text_at(
                    centre, top + 3, str(item.score), font=LATIN_BOLD, colour=MUTED, anchor="middle"
                )
            )
        drawing.add(_column_label(centre, plot[1] - 10, name, font, slanted))
    return drawing


def meter(score: int, width: float = 90, height: float = 8) -> Drawing:
    """A small horizontal meter filled to `score` percent in the score's colour."""
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=RULE, strokeColor=None))
    filled = width * score / 100
    drawing.add(Rect(0, 0, filled, height, fillColor=score_colour(score), strokeColor=None))
    return drawing
