"""Section 5: the improvement plan — topic, action and resources per step."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from .data import PlanItem, ReportView
from .styles import MUTED
from .typeset import Typesetter


def _resources(item: PlanItem, ink: Typesetter) -> list[Paragraph]:
    """The resources of one step as a bulleted list."""
    if not item.resources:
        return [ink.para("—", "cell")]
    return [ink.bullet(resource, MUTED, "cell_bullet") for resource in item.resources]


def plan(view: ReportView, ink: Typesetter, width: float) -> list[Flowable]:
    """The improvement plan section's flowables."""
    story: list[Flowable] = [*ink.heading("plan", "h1")]
    if not view.plan:
        return [*story, ink.para(ink.t("no_plan"), "muted")]
    widths = [8 * mm, 40 * mm, 0.0, 52 * mm]
    widths[2] = width - sum(widths)
    rows: list[list[object]] = [
        [ink.para("#", "cell_head"), *(ink.head(k) for k in ("topic", "action", "resources"))]
    ]
    for number, item in enumerate(view.plan, start=1):
        rows.append(
            [
                ink.para(str(number), "cell"),
                ink.rich(f"<b>{ink.markup(item.topic)}</b>", "cell"),
                ink.para(item.action, "cell"),
                _resources(item, ink),
            ]
        )
    return [*story, ink.table(rows, widths)]
