"""Template filters and globals: safe Markdown, score bands and colours, dates."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

import markdown as md
import nh3
from flask import Flask, current_app, render_template, request
from flask import session as flask_session
from flask.globals import request_ctx
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from app.access import sign_in_context
from app.bands import feedback_band, report_band, tier, tier_of_ten
from app.errors import upload_limit_text
from app.fragments import FragmentCache, csrf_placeholder, csrf_token, with_csrf
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


def score_colour(score: int | None) -> str:
    """CSS class for a 0–100 score, by its band's colour tier (`app.bands`)."""
    return f"score-{tier(score)}"


def feedback_colour(score: int | None) -> str:
    """CSS class for a 1–10 interview score: the colour of the band it maps onto."""
    return f"score-{tier_of_ten(score)}"


def format_datetime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC datetime as text (UTC is shown as such)."""
    return value.strftime(fmt) + " UTC" if value else ""


def site_url() -> str:
    """The site's address for examples shown on pages: PUBLIC_BASE_URL when set, else the
    address this request came to (shown to the requester alone, so their own Host header)."""
    base = current_app.config.get("PUBLIC_BASE_URL", "")
    return base.rstrip("/") + "/" if base else request.host_url


# About 1.5 kB each: one per sign-in and page language in use, a megabyte or two per worker.
TOPBARS: FragmentCache[str] = FragmentCache(size=1024)


@pass_context
def topbar(context: Context, ui_lang: str) -> Markup:
    """The bar at the top of every page (templates/_topbar.html), rendered once per sign-in
    state and kept: the same for every page of a signed-in user with the same name, reach
    (`app.access.sign_in_context`) and page language, and for every signed-out visitor in
    one language. Its sign-out form gets this request's CSRF token, unless the page around it
    is rendered to be kept (`page_around`), whose token is filled in when it is served."""
    if current_user.is_authenticated:
        reach = (context.get("account_wide"), context.get("invite_scope"))
        key: tuple[object, ...] = (current_user.id, current_user.display_name, *reach, ui_lang)
    else:
        key = (None, ui_lang)
    html = TOPBARS.get_or_render(
        key,
        lambda: render_template(
            "_topbar.html",
            ui_lang=ui_lang,
            account_wide=key[2] if len(key) > 2 else False,
            invite_scope=key[3] if len(key) > 2 else None,
            csrf_token=csrf_placeholder,
        ),
    )
    if context.get("csrf_token") is csrf_placeholder:
        return Markup(html)  # noqa: S704 - rendered by Jinja with autoescaping; filled when served
    return with_csrf(html)


def flashes_waiting() -> bool:
    """Whether a flashed message waits to be shown: it is shown by the page rendered now, and
    never by a kept one, so that it appears exactly once."""
    return bool(request_ctx.flashes) or "_flashes" in flask_session


def body_key(key: Hashable) -> Hashable:
    """A kept body's key from the `key` its page names it by: the page's path first, so two
    pages whose bodies name the same things (a user and an interview, say) never take each
    other's body, whichever cache they are kept in."""
    return (request.path, key)


def page_key(key: Hashable) -> Hashable:
    """A whole page's key from its body's `key` (`body_key`, which names the page's path, the
    user and what the body shows): with everything else the page around the body shows that can
    differ between two views of the same body — the name and reach in the top bar (`topbar`)
    and the path the app is served under, which its links start with. The page's language is
    the body's, so the body's key names it already."""
    reach = sign_in_context()
    sign_in = (current_user.display_name, reach["account_wide"], reach["invite_scope"])
    return (body_key(key), *sign_in, request.script_root)


def kept_page(
    bodies: FragmentCache[str],
    pages: FragmentCache[str],
    key: Hashable,
    template: str,
    context: Callable[[], dict[str, Any]],
) -> Markup | None:
    """The page for a view whose body `key` names: the whole page kept for it, with this
    request's CSRF token; else the page `template` renders around the body kept for it, with
    what `context()` gives, kept in `pages`; None when no body is kept (the view renders it,
    `page_from_body`). A reload of a page already served asks nothing of `context`: what the
    page around the body shows is computed only when it is rendered."""
    if not flashes_waiting():
        html = pages.get(page_key(key))
        if html is not None:
            return with_csrf(html)
    body = bodies.get(body_key(key))
    if body is None:
        return None
    return page_around(pages, key, template, body, context())


def page_from_body(
    bodies: FragmentCache[str],
    pages: FragmentCache[str],
    key: Hashable,
    template: str,
    render_body: Callable[[], str],
    context: dict[str, Any],
) -> Markup:
    """The page for a view whose body `key` names: the body kept for it (or `render_body()`'s,
    which carries the CSRF placeholder, kept in `bodies`) in the page `template` renders around
    it with `context`, kept in `pages` (see `page_around`)."""
    body = bodies.get_or_render(body_key(key), render_body)
    return page_around(pages, key, template, body, context)


def page_around(
    pages: FragmentCache[str], key: Hashable, template: str, body: str, context: dict[str, Any]
) -> Markup:
    """The page `template` renders around a kept `body` (which carries the CSRF placeholder),
    kept in `pages` for the next view with the same `page_key`, and served with this request's
    CSRF token. With a flashed message waiting, the page is rendered with it and not kept, so
    that the message is shown exactly once. Base.html shows nothing else that differs between
    requests: no nonce (the content security policy is the same for every response) and no
    other per-request value."""
    kept_body = Markup(body)  # noqa: S704 - rendered by Jinja with autoescaping
    if flashes_waiting():
        return with_csrf(render_template(template, **context, body=kept_body))
    html = pages.get_or_render(
        page_key(key),
        lambda: render_template(template, **context, body=kept_body, csrf_token=csrf_placeholder),
    )
    return with_csrf(html)


def sentence_gap(language: str | None) -> str:
    """What goes between two sentences: a space in English, nothing in Chinese, whose full stop
    already takes a full character's width ("。 " reads as a stray gap)."""
    return "" if (language or "").startswith("zh") else " "


def register_template_helpers(app: Flask) -> None:
    """Make the helpers above available to every template."""
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(report_band, "report_band")
    app.add_template_filter(feedback_band, "feedback_band")
    app.add_template_filter(score_colour, "score_colour")
    app.add_template_filter(feedback_colour, "feedback_colour")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_global(translate, "t")
    app.add_template_global(site_url, "site_url")
    app.add_template_global(sentence_gap, "gap")
    app.add_template_global(upload_limit_text, "upload_limit_text")
    app.add_template_global(topbar, "topbar")
    # Flask-WTF's csrf_token, signed at most once a minute per session (app.fragments).
    app.add_template_global(csrf_token, "csrf_token")
