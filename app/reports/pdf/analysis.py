"""Category analysis — bar and radar charts, then skill scores."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from .data import ReportView, SkillScore
from .graphics import category_columns
from .radar import category_radar
from .styles import score_colour
from .summary import chart_limit_note
from .typeset import Typesetter

CHART_LIMIT = 16  # categories; more make the columns and spokes unreadable


def score_cell(score: int | None, ink: Typesetter, style: str = "cell") -> Paragraph:
    """A score in bold, in its band colour."""
    text = ink.t("not_scored") if score is None else str(score)
    return ink.rich(
        f'<font color="#{score_colour(score).hexval()[2:]}"><b>{text}</b></font>', style
    )


def _charts(view: ReportView, ink: Typesetter, width: float) -> Flowable:
    """The column chart and the radar chart side by side (the radar needs three categories)."""
    radar_width, height = 80 * mm, 62 * mm
    shown = view.categories[:CHART_LIMIT]
    columns = category_columns(shown, ink.fonts, width - radar_width, height)
    if len(shown) >= 3:
        right: Flowable = category_radar(shown, ink.fonts, radar_width, height)
    else:
        right = ink.para(ink.t("radar_needs_three"), "muted")
    table = Table([[columns, right]], colWidths=[width - radar_width, radar_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _skill_lines(view: ReportView, ink: Typesetter) -> list[Flowable]:
    """Must-have and nice-to-have skills as one line each, every score in its band colour."""
    lines: list[Flowable] = []
    groups: list[tuple[str, list[SkillScore]]] = [
        ("must_haves", view.must_haves),
        ("nice_to_haves", view.nice_to_haves),
    ]
    colon = "：" if ink.language == "zh" else ": "
    for key, skills in groups:
        if not skills:
            continue
        items = [
            f'{ink.markup(s.skill_name)} <font color="#{score_colour(s.score).hexval()[2:]}">'
            f"<b>{s.score}</b></font>"
            for s in skills
        ]
        lead = f"<b>{ink.markup(ink.t(key) + colon)}</b>"
        lines.append(ink.rich(lead + " · ".join(items), "line"))
    return lines


def analysis(view: ReportView, ink: Typesetter, width: float) -> list[Flowable]:
    """The category analysis section's flowables."""
    story: list[Flowable] = [ink.para(ink.t("analysis"), "h2")]
    if view.categories:
        story += [_charts(view, ink, width)]
        story += chart_limit_note(len(view.categories), CHART_LIMIT, ink)
        # The per-category table repeated the bars in words; the question cards say what was
        # missed, so the chart stands alone.
    else:
        story.append(ink.para(ink.t("none"), "muted"))
    if view.must_haves or view.nice_to_haves:
        story += [*ink.heading("skills", "h2"), *_skill_lines(view, ink)]
    return story
