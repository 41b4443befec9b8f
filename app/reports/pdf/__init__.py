"""The report as a printable A4 PDF (SPEC §6), drawn with ReportLab from the stored report JSON.

`render_report_pdf` is a pure function of the report, its `ReportMeta` and the clock: it reads no
app state and never calls an AI provider, so the route only has to look the report up, call it and
send the bytes with `pdf_filename_headers` as the Content-Disposition.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from .data import ReportMeta
from .document import build_report_pdf
from .fonts import resolve_fonts

__all__ = ["PdfRenderError", "ReportMeta", "pdf_filename_headers", "render_report_pdf"]

_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


class PdfRenderError(RuntimeError):
    """Drawing the PDF failed; the route answers 500."""


def render_report_pdf(
    report: Mapping[str, Any],
    meta: ReportMeta,
    *,
    cjk_font_path: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """Draw the report JSON of SPEC §4 as PDF bytes.

    `cjk_font_path` is the configured `PDF_CJK_FONT` (tried before the system font paths); `now`
    is the generation time shown in the footer and stored as the creation date (default: now, UTC).
    """
    moment = now or datetime.now(UTC)
    try:
        return build_report_pdf(report, meta, resolve_fonts(cjk_font_path or None), moment)
    except Exception as exc:
        raise PdfRenderError(f"Could not draw the PDF for session {meta.session_id}") from exc


def pdf_filename_headers(session_id: int | str, language: str = "en") -> str:
    """The Content-Disposition value: an ASCII filename plus the localised one, RFC 5987-encoded.

    The localised name follows the interview's language, so an English report never downloads
    under a Chinese name: 模拟面试报告_<id>.pdf for Chinese, interview-report-<id>.pdf otherwise.
    """
    safe_id = _UNSAFE_FILENAME.sub("_", str(session_id))
    ascii_name = f"interview-report-{safe_id}.pdf"
    localised = f"模拟面试报告_{safe_id}.pdf" if language == "zh" else ascii_name
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(localised, safe='')}"
