"""Answering HTML or JSON from the same route (SPEC §4).

Every HTML route also answers JSON when the request asks for it with `Accept: application/json`;
JSON bodies use one envelope: `{"code": <status>, "message": ..., "data": ...}`.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request


def wants_json() -> bool:
    """Whether the client prefers JSON over HTML (browsers and bare curl get HTML)."""
    accept = request.accept_mimetypes
    return accept["application/json"] > accept["text/html"] or (accept.best == "application/json")


def envelope(data: Any = None, status: int = 200, message: str = "success") -> Response:
    """A JSON response in the app's envelope with the real HTTP status."""
    response = jsonify({"code": status, "message": message, "data": data})
    response.status_code = status
    return response


def iso(value: Any) -> str | None:
    """An ISO 8601 UTC timestamp for a stored naive-UTC datetime, or None."""
    return value.isoformat() + "Z" if value is not None else None
