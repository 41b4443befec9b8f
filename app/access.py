"""Which routes a sign-in may reach: the one place the reach of a sign-in is decided.

A sign-in is account-wide when its user has a password and did not come in through an invite
link. Otherwise it is scoped: an invite link signs the candidate in to one interview, because an
invite-only account (no password) is shared by every invite sent to that email address — by any
recruiter — so holding one link must not open the interviews taken through the others. A personal
API token carries its account's reach and never more: a token of an invite-only account, or one
sent alongside an invite-scoped cookie, reaches no further than that sign-in.

Every endpoint has one access class in `ENDPOINT_ACCESS`:

- `PUBLIC` — no sign-in needed, or the route checks its own credential (the recruiter API key, an
  invite or signed report link): any sign-in may use it.
- `INVITED` — a page of one interview, named by `session_id` in the URL: a scoped sign-in reaches it
  for its own interview only; any other id answers 404, like a session that does not exist.
- `ACCOUNT` — everything else a signed-in user does (CVs, history, new interviews, API tokens):
  account-wide sign-ins only. A route missing from the table is treated as `ACCOUNT`, and
  `tests/security/test_sign_in_scope.py` fails until it is classified.
"""

from __future__ import annotations

from flask import Flask, request, url_for
from flask import session as flask_session
from flask_login import current_user, user_logged_in

from app.errors import AppError, NotFound

PUBLIC, INVITED, ACCOUNT = "public", "invited", "account"

ENDPOINT_ACCESS: dict[str, str] = {
    "static": PUBLIC,
    "main.index": PUBLIC,
    "main.health": PUBLIC,
    "main.favicon": PUBLIC,
    "auth.login": PUBLIC,
    "auth.register": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.password": ACCOUNT,
    "auth.tokens": ACCOUNT,
    "auth.revoke": ACCOUNT,
    "documents.index": ACCOUNT,
    "documents.detail": ACCOUNT,
    "documents.delete": ACCOUNT,
    "sessions.new": ACCOUNT,
    "sessions.index": ACCOUNT,
    "sessions.unfinished": ACCOUNT,
    "sessions.detail": INVITED,
    "sessions.delete": INVITED,
    "sessions.replan": INVITED,
    "interview.show": INVITED,
    "interview.answer": INVITED,
    "interview.draft": INVITED,
    "interview.transcribe": INVITED,
    "interview.recording": INVITED,
    "interview.delete_recording": INVITED,
    "interview.delete_recordings": INVITED,
    "feedback.complete": INVITED,
    "feedback.show": INVITED,
    "feedback.status": INVITED,
    "reports.show": INVITED,
    "reports.pdf": INVITED,
    # Another try at a question of one interview; the drill list spans the whole account.
    "practice.attempt": INVITED,
    "practice.index": ACCOUNT,
    "practice.start": ACCOUNT,
    # The recruiter API authenticates every request with its own API key (personal tokens and
    # sign-in cookies are not keys); the link pages open with the link's own token.
    "recruiter.create_plan": PUBLIC,
    "recruiter.list_plans": PUBLIC,
    "recruiter.show_plan": PUBLIC,
    "recruiter.invite": PUBLIC,
    "recruiter.report": PUBLIC,
    "recruiter.report_pdf": PUBLIC,
    "recruiter.show_webhook_secret": PUBLIC,
    "recruiter.links.invite": PUBLIC,
    "recruiter.links.start": PUBLIC,
    "recruiter.links.claim": PUBLIC,
    "recruiter.links.shared_report": PUBLIC,
    "recruiter.links.shared_report_pdf": PUBLIC,
    "recruiter.links.recording": PUBLIC,
}

INVITE_SCOPE_KEY = "invite_session_id"
SCOPED_SIGN_IN = (
    "You signed in through an invite link, which opens only that interview. "
    "Set a password from your invite link, then sign in with it, to use the rest of your account."
)


def invite_scope() -> int | None:
    """The one interview session a sign-in through an invite link may see, if that is how the
    user got in."""
    value = flask_session.get(INVITE_SCOPE_KEY)
    return value if isinstance(value, int) else None


def scope_to_invite(session_id: int) -> None:
    """Limit the current sign-in to one interview session (see `invite_scope`)."""
    flask_session[INVITE_SCOPE_KEY] = session_id


def clear_invite_scope(*_args: object, **_kwargs: object) -> None:
    """Forget the invite scope: every new sign-in starts from its own reach (an invite start
    scopes itself again right after signing in)."""
    flask_session.pop(INVITE_SCOPE_KEY, None)


def account_wide() -> bool:
    """Whether the current sign-in may use the whole account (see the module docstring)."""
    if not current_user.is_authenticated or invite_scope() is not None:
        return False
    return bool(current_user.has_password)


def enforce_sign_in_scope() -> None:
    """Before each request: refuse what the current sign-in's scope does not reach."""
    if request.endpoint is None:  # no route matched: routing answers 404/405 itself
        return
    access = ENDPOINT_ACCESS.get(request.endpoint, ACCOUNT)
    if access == PUBLIC or not current_user.is_authenticated or account_wide():
        return
    scope = invite_scope()
    if access == INVITED:
        if scope is None or (request.view_args or {}).get("session_id") != scope:
            raise NotFound("Session not found")
        return
    # Browsers are taken back to their interview with the reason; scripts get the 403.
    back = url_for("sessions.detail", session_id=scope) if scope is not None else None
    raise AppError(SCOPED_SIGN_IN, 403, redirect_to=back)


def sign_in_context() -> dict[str, object]:
    """Templates show account links only to sign-ins that may follow them."""
    if not current_user.is_authenticated:
        return {"account_wide": False, "invite_scope": None}
    return {"account_wide": account_wide(), "invite_scope": invite_scope()}


def register_access(app: Flask) -> None:
    """Enforce the scope on every request (after bearer authentication) and reset it at sign-in."""
    app.before_request(enforce_sign_in_scope)
    app.context_processor(sign_in_context)
    user_logged_in.connect(clear_invite_scope, app)
