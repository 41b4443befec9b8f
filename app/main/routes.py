"""Landing page: what the product does, and where to start."""

from flask import redirect, render_template, url_for
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


@bp.get("/healthz")
def health():
    """Liveness probe for load balancers."""
    return {"status": "ok"}
