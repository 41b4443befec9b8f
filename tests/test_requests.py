"""Form fields and query strings lose NUL characters before any route sees them."""

from __future__ import annotations

from tests.conftest import JSON


def test_nul_characters_are_removed_from_forms_and_queries(app):
    """A NUL in a form value, a key or the query string is dropped; other text is kept."""
    with app.test_request_context(
        "/x?q=a\x00b", method="POST", data={"na\x00me": "Ada\x00 Lovelace"}
    ):
        from flask import request

        assert request.form["name"] == "Ada Lovelace"
        assert request.args["q"] == "ab"


def test_nul_in_a_cv_is_stored_without_it(logged_in):
    """A pasted CV with a NUL is saved without the NUL (PostgreSQL would refuse it)."""
    text = "Jane Doe\x00 — backend engineer with ten years of Python, Flask and PostgreSQL."
    response = logged_in.post("/resumes", data={"resume_text": text}, headers=JSON)
    assert response.status_code == 201
    resume_id = response.get_json()["data"]["id"]
    stored = logged_in.get(f"/resumes/{resume_id}", headers=JSON).get_json()["data"]["text"]
    assert "\x00" not in stored and stored.startswith("Jane Doe")
