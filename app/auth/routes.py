"""Register, sign in, sign out, and manage personal API tokens."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp, services
from app.auth.forms import LoginForm, RegisterForm, TokenForm
from app.errors import AppError, ValidationFailed
from app.extensions import db, limiter
from app.responses import envelope, iso, wants_json


def safe_next(target: str | None) -> str:
    """Follow `next` only when it is a local path (no scheme, no host, no '//' tricks)."""
    fallback = url_for("main.index")
    if not target:
        return fallback
    parts = urlsplit(target.replace("\\", "/"))
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def form_errors(form) -> str:
    """All of a form's errors as one sentence."""
    return " ".join(f"{form[name].label.text}: {msgs[0]}" for name, msgs in form.errors.items())


@bp.route("/auth/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT"], methods=["POST"])
def register():
    """Create an account and sign in."""
    form = RegisterForm()
    if request.method == "POST":
        if not form.validate():
            if wants_json():
                raise ValidationFailed(form_errors(form))
            return render_template("auth/register.html", form=form), 400
        try:
            user = services.register_user(form.email.data, form.password.data, form.name.data or "")
        except AppError as error:
            if wants_json():
                raise
            form.email.errors = [error.message]
            return render_template("auth/register.html", form=form), error.status
        db.session.commit()
        login_user(user)
        if wants_json():
            return envelope({"id": user.id, "email": user.email}, 201)
        flash(
            "Welcome! Start your first interview: add your CV and the job description.", "success"
        )
        return redirect(url_for("sessions.new"))
    return render_template("auth/register.html", form=form)


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT"], methods=["POST"])
def login():
    """Sign in with email and password; `remember` keeps the login across browser restarts."""
    form = LoginForm()
    if request.method == "POST":
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if not form.validate() or user is None:
            if wants_json():
                raise AppError("Invalid email or password.", 401)
            flash("Invalid email or password.", "danger")
            return render_template("auth/login.html", form=form), 401
        login_user(user, remember=bool(form.remember.data))
        if wants_json():
            return envelope({"id": user.id, "email": user.email})
        return redirect(safe_next(request.args.get("next") or request.form.get("next")))
    return render_template("auth/login.html", form=form, next=request.args.get("next", ""))


@bp.post("/auth/logout")
def logout():
    """Sign out (a POST, so a link elsewhere cannot sign you out)."""
    logout_user()
    if wants_json():
        return envelope(None)
    flash("You are signed out.", "info")
    return redirect(url_for("main.index"))


def token_json(token) -> dict:
    """A token's public fields; the secret is never among them."""
    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": iso(token.created_at),
        "last_used_at": iso(token.last_used_at),
        "revoked_at": iso(token.revoked_at),
    }


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """List personal API tokens; POST creates one and shows its secret once."""
    form = TokenForm()
    secret = None
    if request.method == "POST":
        if not form.validate():
            raise ValidationFailed("Give the token a name (up to 100 characters).")
        token, secret = services.create_token(current_user, form.name.data)
        db.session.commit()
        if wants_json():
            return envelope({**token_json(token), "token": secret}, 201)
    items = services.list_tokens(current_user)
    if wants_json():
        return envelope([token_json(t) for t in items])
    return render_template("auth/tokens.html", form=form, tokens=items, secret=secret)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke a token: it stops working at once."""
    token = services.revoke_token(current_user, token_id)
    db.session.commit()
    if wants_json():
        return envelope(token_json(token))
    flash(f"Token “{token.name}” revoked.", "info")
    return redirect(url_for("auth.tokens"))
