"""The A4 document: page templates, the running header and footer, metadata, and the build."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from .analysis import analysis
from .cover import cover
from .data import ReportMeta, ReportView, read_report
from .fonts import LATIN, FontSet
from .labels import format_timestamp
from .plan import plan
from .questions import questions
from .styles import BRAND, MUTED, PAGE_MARGIN, RULE
from .summary import lead_lists, summary
from .text import extend_line_break_rules
from .typeset import Typesetter

PAGE_WIDTH, PAGE_HEIGHT = A4
FOOTER_Y = 10 * mm


@dataclass(frozen=True)
class Footer:
    """The line at the foot of every page: session and generation time, then "Page X of Y"."""

    left: Paragraph

    def draw(self, canvas: Canvas, number: int, total: int) -> None:
        """Draw the footer of page `number` of `total`."""
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(PAGE_MARGIN, FOOTER_Y + 11, PAGE_WIDTH - PAGE_MARGIN, FOOTER_Y + 11)
        _, height = self.left.wrap(PAGE_WIDTH - 2 * PAGE_MARGIN - 40 * mm, 20)
        self.left.drawOn(canvas, PAGE_MARGIN, FOOTER_Y + 8 - height)
        canvas.setFont(LATIN, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(PAGE_WIDTH - PAGE_MARGIN, FOOTER_Y, f"Page {number} of {total}")
        canvas.restoreState()


def pdf_date(moment: datetime) -> str:
    """`moment` in the PDF date format, D:YYYYMMDDHHmmSS+HH'mm'."""
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    sign = "+" if minutes >= 0 else "-"
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours:02d}'{rest:02d}'"


class FooterCanvas(Canvas):
    """A canvas that holds its pages back until the total is known, then stamps each footer."""

    def __init__(self, *args: Any, footer: Footer, created: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._held: list[dict[str, Any]] = []
        stamp = pdf_date(created)
        self.setDateFormatter(lambda *_: stamp)

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        """Keep the finished page's state instead of emitting it."""
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Emit every held page with its footer, then write the file."""
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._footer.draw(self, number, total)
            super().showPage()
        super().save()


def _page_templates(ink: Typesetter, header: str) -> list[PageTemplate]:
    """The cover (with a brand band) and the body pages (with a running header)."""
    width, height = PAGE_WIDTH - 2 * PAGE_MARGIN, PAGE_HEIGHT - 2 * PAGE_MARGIN - 6 * mm
    flush = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    cover_frame = Frame(PAGE_MARGIN, PAGE_MARGIN, width, height - 10 * mm, id="cover", **flush)
    body_frame = Frame(PAGE_MARGIN, PAGE_MARGIN, width, height, id="body", **flush)
    running = ink.rich(header, "footer")

    def draw_band(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFillColor(BRAND)
        canvas.rect(0, PAGE_HEIGHT - 14 * mm, PAGE_WIDTH, 14 * mm, stroke=0, fill=1)
        canvas.restoreState()

    def draw_header(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        running.wrap(width, 20)
        running.drawOn(canvas, PAGE_MARGIN, PAGE_HEIGHT - PAGE_MARGIN + 2)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(
            PAGE_MARGIN,
            PAGE_HEIGHT - PAGE_MARGIN - 1,
            PAGE_WIDTH - PAGE_MARGIN,
            PAGE_HEIGHT - PAGE_MARGIN - 1,
        )
        canvas.restoreState()

    return [
        PageTemplate("cover", [cover_frame], onPage=draw_band),
        PageTemplate("body", [body_frame], onPage=draw_header),
    ]


def _metadata(view: ReportView, meta: ReportMeta, ink: Typesetter) -> dict[str, str]:
    """Title, author, subject, keywords and creator of the PDF."""
    role = meta.job_title.strip() or "—"
    company = meta.company_name.strip() or "—"
    keywords = ["interview", "assessment", "Interview Coach", role, company]
    keywords += [category.category for category in view.categories]
    return {
        "title": ink.t("title_meta", role=role, company=company),
        "author": ink.t("product"),
        "subject": ink.t("subject_meta", candidate=meta.candidate_name.strip() or "—", role=role),
        "keywords": ", ".join(dict.fromkeys(k for k in keywords if k and k != "—")),
        "creator": ink.t("product"),
    }


def _story(view: ReportView, meta: ReportMeta, ink: Typesetter, width: float) -> list[Flowable]:
    """The sections in the report page's order — score and band, what to fix first beside what
    went well, the charts; then the overall feedback and plan, and question by question — each
    following on from the last, so a section ending high on a page leaves no blank half page."""
    modes: Mapping[int, str] = meta.answer_modes
    story = cover(view, meta, ink, width)
    story += lead_lists(view, ink, width)
    story += analysis(view, ink, width)
    story += summary(view, ink, width)
    story += plan(view, ink, width)
    story += questions(view, modes, ink)
    return story


def build_report_pdf(
    report: Mapping[str, Any], meta: ReportMeta, fonts: FontSet, now: datetime
) -> bytes:
    """Draw the report as PDF bytes with the given fonts, stamped with generation time `now`."""
    extend_line_break_rules()
    view = read_report(report)
    ink = Typesetter(fonts, meta.language)
    buffer = io.BytesIO()
    header = f"<b>{ink.markup(ink.t('product'))}</b> · {ink.markup(ink.t('report_title'))}"
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=PAGE_MARGIN,
        bottomMargin=PAGE_MARGIN,
        pageCompression=1,
        pageTemplates=_page_templates(ink, header),
        **_metadata(view, meta, ink),
    )
    time = format_timestamp(now)
    footer = Footer(
        ink.rich(ink.markup(ink.t("footer", session=meta.session_id, time=time)), "footer")
    )
    doc.build(
        _story(view, meta, ink, doc.width),
        canvasmaker=partial(FooterCanvas, footer=footer, created=now),
    )
    return buffer.getvalue()
