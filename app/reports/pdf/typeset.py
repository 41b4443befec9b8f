"""Build paragraphs and small tables from untrusted text in the report's fonts and language."""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from .fonts import FontSet
from .labels import label
from .styles import BRAND, RULE, StyleSheet, build_stylesheet
from .text import needs_cjk_wrap, to_markup

# Room (points) a heading needs below it for itself and a couple of lines of what it introduces.
HEADING_ROOM = {"label": 42, "h2": 60, "h1": 90}


@dataclass
class Typesetter:
    """Everything a section needs to set text: fonts, styles and the reader's language."""

    fonts: FontSet
    language: str
    styles: StyleSheet = field(default_factory=build_stylesheet)

    def t(self, key: str, **values: object) -> str:
        """The report's own words for `key` in the reader's language."""
        return label(self.language, key, **values)

    def markup(self, text: str, *, keep_spaces: bool = False) -> str:
        """Escaped markup for untrusted `text`."""
        return to_markup(text, self.fonts, keep_spaces=keep_spaces)

    def para(self, text: str, style: str = "body", *, code: bool = False) -> Paragraph:
        """A paragraph of untrusted `text`, keeping its line breaks (and indents for code)."""
        return self.rich(self.markup(text, keep_spaces=code), style)

    def rich(self, markup: str, style: str = "body") -> Paragraph:
        """A paragraph of markup already escaped with `markup` (plus the report's own tags)."""
        return Paragraph(markup, self.styles.get(style, needs_cjk_wrap(markup)))

    def heading(self, key: str, style: str = "label") -> list[Flowable]:
        """A localised heading that moves to the next page rather than end one alone."""
        return [CondPageBreak(HEADING_ROOM[style]), self.para(self.t(key), style)]

    def bullet(self, text: str, colour: colors.Color, style: str = "bullet") -> Paragraph:
        """A bulleted paragraph of untrusted `text` with a coloured bullet."""
        mark = f'<bullet><font color="#{colour.hexval()[2:]}">\u2022</font></bullet>'
        return self.rich(mark + self.markup(text), style)

    def bullets(self, items: list[str], colour: colors.Color) -> list[Flowable]:
        """A bulleted list, or a muted "none noted" line when it is empty."""
        if not items:
            return [self.para(self.t("none"), "muted")]
        return [self.bullet(item, colour) for item in items]

    def table(
        self, rows: list[list[object]], widths: list[float], extra: list[tuple] | None = None
    ) -> Table:
        """A data table whose first row is a header repeated on every page it spans."""
        table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), BRAND),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("LEFTPADDING", (0, 0), (-1, -1), 5),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                    *(extra or []),
                ]
            )
        )
        return table

    def head(self, key: str) -> Paragraph:
        """A table header cell with the localised label `key`."""
        return self.para(self.t(key), "cell_head")
