"""Landing page: what the product does, and where to start."""

from flask import redirect, render_template, url_for
from flask_login import current_user

from app.main import bp


@bp.get("/")
def index():
    """Signed-in users go to their interviews; visitors see how it works."""
    if current_user.is_authenticated:
        return redirect(url_for("sessions.index"))
    return render_template("main/index.html")


@bp.get("/healthz")
def health():
    """Liveness probe for load balancers."""
    return {"status": "ok"}
