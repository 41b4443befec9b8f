"""Domain errors and the one place that turns any error into an HTML page or a JSON body."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, SecurityError

from app.extensions import rollback_quietly
from app.i18n import N_, forget_page_language, page_language, translate
from app.responses import envelope, wants_json

log = logging.getLogger(__name__)

# Blueprints whose clients are scripts: errors are bare `{"error": ...}` objects (SPEC §11).
BARE_JSON_BLUEPRINTS = {"recruiter"}


class AppError(Exception):
    """An error the user should see, with the HTTP status that describes it.

    It carries data, not presentation: the message in English (JSON bodies keep the spec's
    English), the language of the session it is about (`language`, for pages), and where a
    browser should be sent instead of an error page (`redirect_endpoint` with its values, or an
    already built `redirect_to`). `handle_app_error` builds the URL and translates, so services
    raise these without a request context.
    """

    status = 400
    retry_after: str | None = None  # seconds, sent as Retry-After (a 429 or 503 says when)

    def __init__(
        self,
        message: str,
        status: int | None = None,
        redirect_to: str | None = None,
        *,
        redirect_endpoint: str | None = None,
        redirect_values: Mapping[str, Any] | None = None,
        language: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        # Browsers are sent here with the message flashed, instead of an error page.
        self.redirect_to = redirect_to
        self.redirect_endpoint = redirect_endpoint
        self.redirect_values = dict(redirect_values or {})
        self.language = language

    def redirect_url(self) -> str | None:
        """Where a browser goes instead of an error page, if anywhere (needs a request)."""
        if self.redirect_endpoint:
            return url_for(self.redirect_endpoint, **self.redirect_values)
        return self.redirect_to


class ValidationFailed(AppError):
    """Input that cannot be accepted as given; `messages` holds each field's error when a form
    was checked as a whole (the message joins them, for scripts)."""

    status = 400

    def __init__(
        self,
        message: str,
        status: int | None = None,
        redirect_to: str | None = None,
        **presentation: Any,
    ):
        super().__init__(message, status, redirect_to, **presentation)
        self.messages = [message]

    @classmethod
    def of(cls, messages: list[str]) -> ValidationFailed:
        """One error carrying every field's message, so a form can show them all at once."""
        error = cls(" ".join(messages))
        error.messages = list(messages)
        return error


class NotFound(AppError):
    """The thing asked for does not exist (or is not the caller's to know about)."""

    status = 404


class Forbidden(AppError):
    """The thing exists but belongs to someone else."""

    status = 403


class Conflict(AppError):
    """The request clashes with the current state."""

    status = 409


FRIENDLY = {
    400: (N_("Something in the request was wrong"), N_("Check the form and try again.")),
    401: (N_("Please sign in"), N_("This needs an account or a valid API token.")),
    # The 403 page says its sentence once: the message, with no hint repeating it.
    403: (N_("Not yours"), ""),
    404: (N_("Not found"), N_("It may have been deleted, or the link is wrong.")),
    405: (N_("Not allowed"), N_("This address does not accept that kind of request.")),
    410: (N_("Gone"), N_("This link has expired.")),
    413: (
        N_("Too large"),
        N_("Uploads are limited to {limit}. Try a smaller file or paste the text."),
    ),
    429: (N_("Slow down"), N_("Too many requests. Wait a moment and try again.")),
    500: (
        N_("Something went wrong on our side"),
        N_("Nothing you entered was lost. Please try again."),
    ),
    503: (
        N_("Busy right now"),
        N_("Everything you had already saved is kept. Try again in a moment."),
    ),
}

TOO_LARGE_MESSAGE = N_("The upload is larger than the {limit} limit.")
FORBIDDEN_MESSAGE = N_("This belongs to another account. Sign in with that account to open it.")

# Database errors that pass: another writer holding SQLite's lock past the busy timeout, or a
# database server restarting. Anything else (a missing table, say) is a real fault: a 500.
TRANSIENT_DATABASE_ERRORS = (
    "database is locked",
    "database table is locked",
    "connection refused",
    "could not connect",
    "server closed the connection",
    "terminating connection",
    "the database system is starting up",
    "the database system is shutting down",
    "connection is closed",
)
BUSY_RETRY_AFTER_S = "5"
BUSY_MESSAGE = N_("The service is busy. Everything already saved is kept; try again in a moment.")


def error_response(
    status: int,
    message: str,
    retry_after: str | None = None,
    language: str | None = None,
    **values: object,
) -> Response:
    """Render an error as the JSON envelope, a bare JSON error, or a friendly page (in
    `language` when given, else the language of the session the request is about); `values`
    fill the message's `{name}` placeholders in whichever language it is shown."""
    if request.blueprint in BARE_JSON_BLUEPRINTS:
        response = jsonify({"error": translate(message, "en", **values)})
        response.status_code = status
    elif wants_json():
        response = envelope(None, status, translate(message, "en", **values))
    else:
        page = error_page(status, message, language, **values)
        response = Response(page, status=status, mimetype="text/html")
    if retry_after:
        response.headers["Retry-After"] = retry_after
    return response


def error_page(status: int, message: str, language: str | None = None, **values: object) -> str:
    """The friendly page, in `language` or that of the session the request is about (English
    when there is none): JSON bodies keep the spec's English messages, so only the page
    translates."""
    language = language or page_language()
    title, hint = FRIENDLY.get(status, FRIENDLY[400 if status < 500 else 500])
    return render_template(
        "errors/error.html",
        status=status,
        title=translate(title, language),
        message=translate(message, language, **values),
        hint=translate(hint, language, limit=upload_limit_text()) if hint else "",
        page_lang=language,
    )


def upload_limit_text() -> str:
    """The configured upload limit as people write it ("10 MB"), for messages that name it."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    megabytes = limit / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{max(1, round(limit / 1024))} KB"


def handle_app_error(error: AppError) -> Response:
    """Domain errors: browsers may be redirected with a message; everyone else gets the status."""
    target = error.redirect_url()
    if target and not wants_json() and request.blueprint not in BARE_JSON_BLUEPRINTS:
        flash(translate(error.message, error.language or page_language()), "warning")
        return redirect(target)  # type: ignore[return-value]
    return error_response(error.status, error.message, error.retry_after, error.language)


def handle_http_error(error: HTTPException) -> Response:
    """Werkzeug's HTTP errors (404, 405, 413, 429…) in the app's shapes."""
    status = error.code or 500
    message = error.description or FRIENDLY.get(status, FRIENDLY[500])[0]
    if status == 403 and message == error.__class__.description:
        message = FORBIDDEN_MESSAGE  # Werkzeug's stock sentence only restates the title
    if status == 429:
        message = "Too many requests. Please wait and try again."
    retry_after = None
    if error.response is not None:
        retry_after = error.response.headers.get("Retry-After")
    if status == 413:
        return error_response(status, TOO_LARGE_MESSAGE, retry_after, limit=upload_limit_text())
    return error_response(status, message, retry_after)


UNTRUSTED_HOST = "This server does not answer to that host name."


def handle_untrusted_host(error: SecurityError) -> Response:
    """A Host header outside TRUSTED_HOSTS: 400. Flask could not bind the URL map to that host,
    so no URL can be built and the friendly page (whose layout links around the site) cannot be
    drawn: scripts get the usual JSON, browsers a plain sentence."""
    if wants_json() or request.blueprint in BARE_JSON_BLUEPRINTS:
        return error_response(400, UNTRUSTED_HOST)
    return Response(UNTRUSTED_HOST, status=400, mimetype="text/plain")


def handle_csrf_error(error: CSRFError) -> Response:
    """A missing or stale CSRF token: say how to recover."""
    return error_response(
        400, "The form expired or is missing its security token. Reload the page and try again."
    )


def handle_unexpected(error: Exception) -> Response:
    """Anything unplanned: roll back so the next request starts clean, log it, say sorry."""
    rollback_quietly()
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(500, N_("Internal server error"))


def is_transient_database_error(error: DBAPIError) -> bool:
    """Whether repeating the request in a moment should work (busy or restarting database)."""
    message = str(error.orig).lower()
    return error.connection_invalidated or any(
        text in message for text in TRANSIENT_DATABASE_ERRORS
    )


def handle_database_error(error: DBAPIError) -> Response:
    """A busy or restarting database, or a connection it cut: 503 with Retry-After, since
    repeating the request will work and everything committed before it is kept. Other database
    faults (a constraint, a missing table) are 500s."""
    if not is_transient_database_error(error):
        return handle_unexpected(error)
    rollback_quietly()
    log.warning("Database unavailable on %s %s: %s", request.method, request.path, error.orig)
    return error_response(503, BUSY_MESSAGE, BUSY_RETRY_AFTER_S)


def register_error_handlers(app: Flask) -> None:
    """Route every error through the handlers above."""
    app.before_request(forget_page_language)
    app.register_error_handler(AppError, handle_app_error)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(SecurityError, handle_untrusted_host)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
