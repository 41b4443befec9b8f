"""Which fonts draw the PDF, and which characters each of them can draw.

Latin text uses the PDF base fonts (Helvetica, Courier), which cost nothing to embed. Everything
else goes to one CJK font: a TrueType file embedded as a subset when one is found (the configured
`PDF_CJK_FONT`, then common system paths), otherwise ReportLab's built-in CID font STSong-Light,
which every PDF viewer can show and whose text still extracts. Loading a CJK TrueType file takes
around a tenth of a second, so each file is registered once per process and shared.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
LATIN_ITALIC = "Helvetica-Oblique"
MONO = "Courier"
CID_FONT = "STSong-Light"

# Checked in order after the configured path. Fonts with PostScript outlines (the Noto CJK
# collections) are refused by ReportLab's TrueType reader; they are listed for systems whose
# packaging ships TrueType builds, and skipped with a log line otherwise.
SYSTEM_CJK_FONT_PATHS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/msyh.ttc",
)

_lock = threading.Lock()
_loaded: dict[str, tuple[str, frozenset[int]]] = {}
_refused: set[str] = set()


@dataclass(frozen=True)
class FontSet:
    """The CJK font chosen for one PDF and the code points it can draw.

    `glyphs` is `None` for the built-in CID font, whose coverage is the GBK character set.
    """

    cjk: str
    embedded: bool
    source: str | None = None
    glyphs: frozenset[int] | None = None

    def cjk_covers(self, char: str) -> bool:
        """Whether the CJK font has a real glyph (not the empty box) for `char`."""
        if self.glyphs is not None:
            return ord(char) in self.glyphs
        try:
            char.encode("gbk")
        except UnicodeEncodeError:
            return False
        return True


def _register_truetype(path: str) -> tuple[str, frozenset[int]]:
    """Register the TrueType file at `path` (first face of a collection) and return its name."""
    name = "CJK-" + hashlib.sha1(path.encode(), usedforsecurity=False).hexdigest()[:10]
    font = TTFont(name, path, subfontIndex=0)
    glyphs = frozenset(code for code, glyph in font.face.charToGlyph.items() if glyph)
    pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return name, glyphs


def load_truetype(path: str) -> FontSet | None:
    """Return a `FontSet` embedding the font at `path`, or `None` when it cannot be used."""
    with _lock:
        if path not in _loaded and path not in _refused:
            try:
                _loaded[path] = _register_truetype(path)
            except Exception as exc:  # noqa: BLE001 - any unreadable font means "try the next one"
                _refused.add(path)
                log.warning("PDF: cannot use CJK font %s: %s", path, exc)
        if path in _refused:
            return None
    name, glyphs = _loaded[path]
    return FontSet(cjk=name, embedded=True, source=path, glyphs=glyphs)


def builtin_cid_fonts() -> FontSet:
    """Return the `FontSet` that uses the built-in CID font (nothing embedded)."""
    with _lock:
        if CID_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
            pdfmetrics.registerFontFamily(
                CID_FONT, normal=CID_FONT, bold=CID_FONT, italic=CID_FONT, boldItalic=CID_FONT
            )
    return FontSet(cjk=CID_FONT, embedded=False)


def resolve_fonts(cjk_font_path: str | None = None) -> FontSet:
    """Pick the CJK font: the configured path, then system paths, then the built-in CID font."""
    candidates = [cjk_font_path] if cjk_font_path else []
    if cjk_font_path and not os.path.isfile(cjk_font_path):
        log.warning("PDF: configured CJK font %s does not exist", cjk_font_path)
    candidates += SYSTEM_CJK_FONT_PATHS
    for path in candidates:
        if os.path.isfile(path):
            fonts = load_truetype(path)
            if fonts is not None:
                return fonts
    return builtin_cid_fonts()
