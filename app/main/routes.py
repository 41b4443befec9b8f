"""Landing page, site icon and liveness probe."""

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user

from app.access import account_wide, invite_scope
from app.main import bp


@bp.get("/")
def index():
    """Signed-in users go to their interviews (an invite sign-in to its one interview);
    visitors see how it works."""
    scope = invite_scope()
    if current_user.is_authenticated and not account_wide() and scope is not None:
        return redirect(url_for("sessions.detail", session_id=scope))
    if current_user.is_authenticated:
        return redirect(url_for("sessions.index"))
    return render_template("main/index.html")


@bp.get("/favicon.ico")
def favicon():
    """The site icon at the address browsers ask for, so no page logs a 404 for it."""
    return current_app.send_static_file("favicon.ico")


@bp.get("/healthz")
def health():
    """Liveness probe for load balancers."""
    return {"status": "ok"}
