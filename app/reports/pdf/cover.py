"""The lead: who, for which job, when, and the overall score, in one band at the top of page 1."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NextPageTemplate, Spacer, Table, TableStyle

from .data import ReportMeta, ReportView
from .gauge import score_gauge
from .labels import format_date, main_and_follow_ups
from .styles import PANEL, RULE, band_key, score_colour
from .typeset import Typesetter

SCORE_WIDTH = 72 * mm


def _role_line(meta: ReportMeta, ink: Typesetter) -> str:
    """The role and company line, or whichever of the two is known."""
    role, company = meta.job_title.strip(), meta.company_name.strip()
    if role and company:
        return ink.t("role_at", role=role, company=company)
    return role or company


def _score_block(view: ReportView, ink: Typesetter) -> Table:
    """The gauge with the band under it, on a light panel."""
    band = ink.t(band_key(view.overall_score))
    colour = score_colour(view.overall_score).hexval()[2:]
    rows = [
        [ink.para(ink.t("overall_score"), "center")],
        [score_gauge(view.overall_score)],
        [ink.rich(f'<font color="#{colour}">{ink.markup(band)}</font>', "score_big")],
    ]
    table = Table(rows, colWidths=[SCORE_WIDTH], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    return table


def _facts(view: ReportView, meta: ReportMeta, ink: Typesetter, width: float) -> Table:
    """Candidate, date, session and question count as a two-column list."""
    facts = [
        ("candidate", meta.candidate_name.strip() or "—"),
        ("interview_date", format_date(meta.interview_date, ink.language)),
        ("session", str(meta.session_id)),
        ("questions_answered", _question_count(view, ink.language)),
    ]
    rows = [[ink.para(ink.t(key), "label"), ink.para(value)] for key, value in facts]
    table = Table(rows, colWidths=[32 * mm, width - 32 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _question_count(view: ReportView, language: str) -> str:
    """Main questions as the interview pages count them, with follow-ups named apart."""
    follow_ups = sum(1 for q in view.questions if q.is_follow_up)
    return main_and_follow_ups(language, len(view.questions) - follow_ups, follow_ups)


def provenance(view: ReportView, ink: Typesetter) -> list[Flowable]:
    """Which provider and model evaluated the interview, and a notice if it was a fallback."""
    who = "/".join(part for part in (view.provider, view.model) if part) or "—"
    parts: list[Flowable] = [ink.para(ink.t("evaluated_by", who=who), "muted")]
    if view.fallback_used:
        parts.append(ink.para(ink.t("fallback"), "notice"))
    return parts


def cover(view: ReportView, meta: ReportMeta, ink: Typesetter, width: float) -> list[Flowable]:
    """The lead's flowables: title, then the score beside who, when and how many questions."""
    gap = 6 * mm
    side = width - SCORE_WIDTH - gap
    facts: list[Flowable] = [_facts(view, meta, ink, side), Spacer(1, 4), *provenance(view, ink)]
    row = Table([[_score_block(view, ink), "", facts]], colWidths=[SCORE_WIDTH, gap, side])
    row.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story: list[Flowable] = [
        ink.para(ink.t("product"), "product"),
        ink.para(ink.t("report_title"), "title"),
        ink.para(_role_line(meta, ink), "subtitle"),
        Spacer(1, 4 * mm),
        row,
        # Later pages take the body template, with its running header.
        NextPageTemplate("body"),
        Spacer(1, 2 * mm),
    ]
    return story
