"""The CV library: upload or paste CVs, extract their text, list and delete them."""

from flask import Blueprint

bp = Blueprint("documents", __name__)

from app.documents import routes  # noqa: E402,F401
