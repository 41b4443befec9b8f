"""Colours, score bands and paragraph styles of the PDF report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from app.bands import band_of, tier

from .fonts import LATIN, LATIN_BOLD, LATIN_ITALIC, MONO

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#616E7C")
BRAND = colors.HexColor("#1F3A5F")
ACCENT = colors.HexColor("#2F6FAB")
RULE = colors.HexColor("#D9E2EC")
PANEL = colors.HexColor("#F3F6F9")
CODE_PANEL = colors.HexColor("#F5F5F0")
GREEN = colors.HexColor("#2E7D32")
AMBER = colors.HexColor("#D98E04")
RED = colors.HexColor("#C62828")
TINTS = {
    GREEN.hexval(): colors.HexColor("#E8F5E9"),
    AMBER.hexval(): colors.HexColor("#FFF5DB"),
    RED.hexval(): colors.HexColor("#FDECEA"),
}

PAGE_MARGIN = 18 * mm


def score_colour(score: int | None) -> colors.Color:
    """The colour of a score's band tier (`app.bands`); grey when there is no score."""
    return {"good": GREEN, "fair": AMBER, "poor": RED}.get(tier(score), MUTED)


def score_tint(score: int | None) -> colors.Color:
    """A light background in the score's colour."""
    return TINTS.get(score_colour(score).hexval(), PANEL)


def band_key(score: int) -> str:
    """The band of an overall score (SPEC §5), as the PDF's wording names it."""
    return band_of(score).key


@dataclass(frozen=True)
class StyleSheet:
    """The paragraph styles, each in a Latin-wrapping and a CJK-wrapping variant."""

    latin: dict[str, ParagraphStyle]
    cjk: dict[str, ParagraphStyle]

    def get(self, name: str, cjk_wrap: bool) -> ParagraphStyle:
        """The style `name`, wrapping per glyph when the text has CJK characters."""
        return (self.cjk if cjk_wrap else self.latin)[name]


# The shaded box an answer (or its code) is set in: padding, indents and space around it.
ANSWER_PANEL: dict[str, Any] = {
    "borderPadding": (3, 6, 3, 6),
    "leftIndent": 6,
    "rightIndent": 6,
    "spaceBefore": 6,
    "spaceAfter": 6,
}


def _base_styles() -> list[ParagraphStyle]:
    """Every style the report uses, in Latin-wrapping form."""
    body = ParagraphStyle("body", fontName=LATIN, fontSize=9.5, leading=14, textColor=INK)
    return [
        body,
        ParagraphStyle("prose", body, spaceAfter=5),
        ParagraphStyle(
            "product", body, fontName=LATIN_BOLD, fontSize=13, leading=16, textColor=ACCENT
        ),
        ParagraphStyle(
            "title",
            body,
            fontName=LATIN_BOLD,
            fontSize=22,
            leading=27,
            textColor=BRAND,
            spaceAfter=2,
        ),
        ParagraphStyle("subtitle", body, fontSize=12, leading=16, textColor=MUTED),
        ParagraphStyle(
            "h1",
            body,
            fontName=LATIN_BOLD,
            fontSize=17,
            leading=22,
            textColor=BRAND,
            spaceBefore=2,
            spaceAfter=8,
        ),
        ParagraphStyle(
            "h2",
            body,
            fontName=LATIN_BOLD,
            fontSize=12,
            leading=16,
            textColor=BRAND,
            spaceBefore=10,
            spaceAfter=4,
        ),
        ParagraphStyle("qtitle", body, fontName=LATIN_BOLD, fontSize=10, leading=13.5),
        # One line of a question's section: a bold label, then its text.
        ParagraphStyle("line", body, fontSize=8.8, leading=12, spaceBefore=3),
        ParagraphStyle("follow_up", body, fontSize=9, leading=12.5, spaceBefore=4),
        ParagraphStyle(
            "label",
            body,
            fontName=LATIN_BOLD,
            fontSize=8.5,
            leading=12,
            textColor=MUTED,
            spaceBefore=6,
            spaceAfter=1,
        ),
        ParagraphStyle(
            "heading_label", body, fontName=LATIN_BOLD, fontSize=8.5, leading=12, textColor=MUTED
        ),
        ParagraphStyle("muted", body, fontSize=8.5, leading=12, textColor=MUTED),
        ParagraphStyle("italic", body, fontName=LATIN_ITALIC, textColor=MUTED),
        ParagraphStyle("bullet", body, leftIndent=12, bulletIndent=2, spaceAfter=2),
        ParagraphStyle("cell", body, fontSize=8.5, leading=11.5),
        ParagraphStyle(
            "cell_bullet",
            body,
            fontSize=8.5,
            leading=11.5,
            leftIndent=8,
            bulletIndent=0,
            bulletFontSize=8.5,
        ),
        ParagraphStyle(
            "cell_head",
            body,
            fontName=LATIN_BOLD,
            fontSize=8.5,
            leading=11.5,
            textColor=colors.white,
        ),
        ParagraphStyle(
            "answer",
            body,
            fontSize=8.8,
            leading=12,
            backColor=PANEL,
            **ANSWER_PANEL,
        ),
        ParagraphStyle(
            "code",
            body,
            fontName=MONO,
            fontSize=8,
            leading=10.5,
            backColor=CODE_PANEL,
            **ANSWER_PANEL,
        ),
        ParagraphStyle(
            "reference",
            body,
            fontSize=8.3,
            leading=11.5,
            textColor=MUTED,
            spaceBefore=3,
        ),
        ParagraphStyle(
            "score_big", body, fontName=LATIN_BOLD, fontSize=12, leading=15, alignment=TA_CENTER
        ),
        ParagraphStyle("center", body, alignment=TA_CENTER),
        ParagraphStyle(
            "muted_center", body, fontSize=8.5, leading=12, textColor=MUTED, alignment=TA_CENTER
        ),
        ParagraphStyle("notice", body, fontSize=8.5, leading=12, textColor=AMBER),
        ParagraphStyle(
            "notice_center", body, fontSize=9, leading=13, textColor=AMBER, alignment=TA_CENTER
        ),
        ParagraphStyle("footer", body, fontSize=7.5, leading=9, textColor=MUTED, alignment=TA_LEFT),
    ]


def build_stylesheet() -> StyleSheet:
    """Build the Latin and CJK variants of every style."""
    latin = {style.name: style for style in _base_styles()}
    cjk = {
        name: ParagraphStyle(f"{name}_cjk", style, wordWrap="CJK") for name, style in latin.items()
    }
    return StyleSheet(latin=latin, cjk=cjk)
