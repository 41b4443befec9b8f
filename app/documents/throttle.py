"""The upload limit: requests that carry a file, counted per IP address across every form that
takes one (the CV library, a new interview, an invite's start page). Reading a PDF or Word file
costs a child process, so this keeps one client from queueing many (429 with Retry-After)."""

from __future__ import annotations

from flask import current_app, request

from app.extensions import limiter


def carries_no_file() -> bool:
    """Requests without an uploaded file (pasted text, a saved CV) are not counted."""
    return not any(upload.filename for upload in request.files.values())


upload_limit = limiter.shared_limit(
    lambda: current_app.config["UPLOAD_LIMIT_PER_IP"],
    scope="uploads",
    methods=["POST"],
    exempt_when=carries_no_file,
)
