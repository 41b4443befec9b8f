"""The cover's score gauge: a half circle with the three score bands and the score's arc."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Wedge
from reportlab.lib import colors

from app.bands import tier_edges

from .fonts import LATIN_BOLD
from .graphics import text_at
from .styles import MUTED, score_colour

BAND_EDGES = tier_edges()  # the colour tiers of the one band rule


def _faint(colour: colors.Color, strength: float = 0.28) -> colors.Color:
    """`colour` mixed with white, for the gauge's track."""
    return colors.linearlyInterpolatedColor(colors.white, colour, 0, 1, strength)


def _arc(cx: float, cy: float, outer: float, inner: float, low: float, high: float) -> Wedge:
    """The stretch of the gauge's ring between two scores (0 on the left, 100 on the right)."""
    return Wedge(cx, cy, outer, 180 - 1.8 * high, 180 - 1.8 * low, radius1=inner, strokeColor=None)


def score_gauge(score: int, width: float = 200, height: float = 124) -> Drawing:
    """A half-circle gauge: the score bands as a faint track, the score as a coloured arc."""
    drawing = Drawing(width, height)
    cx, cy, outer, inner = width / 2, 22.0, 86.0, 64.0
    for low, high in BAND_EDGES:
        track = _arc(cx, cy, outer, inner, low, high)
        track.fillColor = _faint(score_colour(low))
        drawing.add(track)
    if score > 0:
        arc = _arc(cx, cy, outer, inner, 0, score)
        arc.fillColor = score_colour(score)
        drawing.add(arc)
    colour = score_colour(score)
    drawing.add(
        text_at(cx, cy + 12, str(score), font=LATIN_BOLD, size=38, colour=colour, anchor="middle")
    )
    drawing.add(text_at(cx, cy - 4, "/ 100", size=10, colour=MUTED, anchor="middle"))
    middle_of_ring = (outer + inner) / 2
    for value, x in ((0, cx - middle_of_ring), (100, cx + middle_of_ring)):
        drawing.add(text_at(x, cy - 14, str(value), size=8, colour=MUTED, anchor="middle"))
    return drawing
