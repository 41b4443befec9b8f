"""Recruiter JSON API: interview plans, invites, candidate reports (API key).

Two blueprints live here. `recruiter` is the JSON API: scripts authenticate with an API key, so it
is CSRF-exempt and its errors are bare `{"error": ...}` objects. The pages people open from a link —
the candidate's invite page and the signed read-only report — are a nested blueprint,
`recruiter.links`: they are ordinary HTML pages with friendly error pages and CSRF-checked forms.
"""

from flask import Blueprint

bp = Blueprint("recruiter", __name__)
links_bp = Blueprint("links", __name__)

# Importing the views registers them; importing webhooks connects its signal listener.
from app.recruiter import (  # noqa: E402
    pages,  # noqa: F401
    routes,  # noqa: F401
    webhooks,  # noqa: F401
)

bp.register_blueprint(links_bp)
