"""Accounts: register, sign in and out, personal API tokens."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import routes  # noqa: E402,F401
