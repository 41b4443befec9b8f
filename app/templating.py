"""Template filters and globals: safe Markdown, score bands and colours, dates."""

from __future__ import annotations

from datetime import datetime

import markdown as md
import nh3
from flask import Flask, current_app, request
from markupsafe import Markup

from app.i18n import translate

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "blockquote",
    "h3",
    "h4",
    "h5",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str | None) -> Markup:
    """Markdown from users or models rendered to HTML, then sanitised: no scripts, no js: links."""
    if not text:
        return Markup("")
    html = md.markdown(text, extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


def report_band(score: int | None) -> str:
    """The 0–100 band of SPEC §5."""
    if score is None:
        return ""
    if score >= 90:
        return "Excellent"
    if score >= 75:
        return "Good"
    if score >= 60:
        return "Adequate"
    return "Needs significant improvement"


def feedback_band(score: int | None) -> str:
    """The 1–10 band of SPEC §5."""
    if score is None:
        return ""
    if score >= 9:
        return "Excellent"
    if score >= 7:
        return "Good"
    if score >= 5:
        return "Adequate"
    if score >= 3:
        return "Needs Work"
    return "Poor"


def score_colour(score: int | None) -> str:
    """CSS class for a 0–100 score: green ≥ 75, amber 60–74, red below."""
    if score is None:
        return "score-none"
    if score >= 75:
        return "score-good"
    if score >= 60:
        return "score-fair"
    return "score-poor"


def format_datetime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC datetime as text (UTC is shown as such)."""
    return value.strftime(fmt) + " UTC" if value else ""


def site_url() -> str:
    """The site's address for examples shown on pages: PUBLIC_BASE_URL when set, else the
    address this request came to (shown to the requester alone, so their own Host header)."""
    base = current_app.config.get("PUBLIC_BASE_URL", "")
    return base.rstrip("/") + "/" if base else request.host_url


def register_template_helpers(app: Flask) -> None:
    """Make the helpers above available to every template."""
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(report_band, "report_band")
    app.add_template_filter(feedback_band, "feedback_band")
    app.add_template_filter(score_colour, "score_colour")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_global(translate, "t")
    app.add_template_global(site_url, "site_url")
