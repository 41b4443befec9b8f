"""Turn untrusted text into safe ReportLab paragraph markup in the right fonts.

Answers, feedback and names come from candidates and models, so everything is escaped: `<script>`,
`<b>` or `&` show literally and are never read as markup. Each run of characters goes to a font
that has glyphs for it: Latin-1/Windows-1252 text to the base Latin font, the rest to the CJK font.
A character neither font has is spelled with its plain base letters when it has them (so "ł" still
reads), shown as "?" when it is a letter or digit, and dropped otherwise (emoji, pictographs,
joiners), so nothing is ever drawn as an empty box.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from reportlab.lib import textsplit
from reportlab.platypus import paragraph

from .fonts import FontSet

# Characters Helvetica and Courier draw (WinAnsiEncoding: Latin-1 plus the cp1252 extras).
_WIN_ANSI = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "".join(chr(c) for c in range(0xA0, 0x100))
    + "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
)
_LATIN_RUN = re.compile("[" + re.escape(_WIN_ANSI) + "]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_INDENT = re.compile(r"^ +| {2,}")
_NBSP = "\xa0"
# Letters whose stroke is not a combining mark, so Unicode decomposition cannot strip it.
_STROKED = {
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Ħ": "H",
    "ħ": "h",
    "ı": "i",
    "Ŧ": "T",
    "ŧ": "t",
    "Ɨ": "I",
    "ɨ": "i",
}
# ReportLab's table of characters that may not start a line is written for Japanese and lacks
# Chinese full-width punctuation, so lines could begin with "，" or "；".
_CHINESE_CANNOT_START = "，；：！？）》」』】〉”’"


def clean(text: str) -> str:
    """Normalise line breaks and tabs and drop control characters and lone surrogates."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    text = text.encode("utf-8", "replace").decode("utf-8")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


def is_latin(text: str) -> bool:
    """Whether every character of `text` is drawn by the Latin base fonts."""
    return _LATIN_RUN.fullmatch(text) is not None or text == ""


def _escape(text: str) -> str:
    """Escape the three characters ReportLab's paragraph parser reads as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@lru_cache(maxsize=4096)
def _stand_in(char: str, fonts: FontSet) -> str:
    """What to draw for a character neither font has: base letters, "?" or nothing."""
    decomposed = unicodedata.normalize("NFKD", char)
    base = _STROKED.get(char) or "".join(c for c in decomposed if not unicodedata.combining(c))
    if base and base != char and all(is_latin(c) or fonts.cjk_covers(c) for c in base):
        return base
    return "?" if unicodedata.category(char)[0] in "LN" else ""


def _other_runs(text: str, fonts: FontSet) -> list[tuple[bool, str]]:
    """Split non-Latin text into (is_cjk_font, text) runs, replacing what no font can draw."""
    runs: list[tuple[bool, str]] = []
    for char in text:
        if fonts.cjk_covers(char):
            piece, cjk = char, True
        else:
            piece = _stand_in(char, fonts)
            cjk = not is_latin(piece)
        if not piece:
            continue
        if runs and runs[-1][0] == cjk:
            runs[-1] = (cjk, runs[-1][1] + piece)
        else:
            runs.append((cjk, piece))
    return runs


def font_runs(text: str, fonts: FontSet) -> list[tuple[bool, str]]:
    """Split one line into (is_cjk_font, text) runs that the chosen fonts can draw."""
    runs: list[tuple[bool, str]] = []
    position = 0
    for match in _LATIN_RUN.finditer(text):
        if match.start() > position:
            runs += _other_runs(text[position : match.start()], fonts)
        runs.append((False, match.group()))
        position = match.end()
    if position < len(text):
        runs += _other_runs(text[position:], fonts)
    return runs


def _line_markup(line: str, fonts: FontSet, keep_spaces: bool) -> str:
    """Markup for one line of text."""
    if keep_spaces:
        line = _INDENT.sub(lambda m: _NBSP * len(m.group()), line)
    parts = []
    for cjk, run in font_runs(line, fonts):
        escaped = _escape(run)
        parts.append(f'<font face="{fonts.cjk}">{escaped}</font>' if cjk else escaped)
    return "".join(parts)


def to_markup(text: str, fonts: FontSet, *, keep_spaces: bool = False) -> str:
    """Escaped paragraph markup for `text`, keeping its line breaks (and indents when asked)."""
    lines = clean(text).split("\n")
    return "<br/>".join(_line_markup(line, fonts, keep_spaces) for line in lines)


def extend_line_break_rules() -> None:
    """Teach ReportLab's CJK line breaking not to start a line with Chinese punctuation."""
    for module in (paragraph, textsplit):  # one- and many-font paragraphs read their own copy
        missing = "".join(c for c in _CHINESE_CANNOT_START if c not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing


def needs_cjk_wrap(text: str) -> bool:
    """Whether `text` has characters that wrap without spaces (CJK), needing per-glyph wrapping."""
    return any(ord(char) >= 0x2E80 for char in text)


def plain(text: str, fonts: FontSet, limit: int | None = None) -> tuple[str, bool]:
    """Single-font text for chart labels: the cleaned string and whether it needs the CJK font."""
    text = " ".join(clean(text).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    runs = font_runs(text, fonts)
    if not any(cjk for cjk, _ in runs):
        return "".join(run for _, run in runs), False
    kept = "".join(c for _, run in runs for c in run if fonts.cjk_covers(c))
    return kept, True
