"""Personal API tokens: shown once, stored hashed, accepted as bearer, refused once revoked."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import ApiToken
from tests.conftest import JSON, build_app, prepare_schema
from tests.support.sessions import SAMPLE_CV
from tests.support.users import make_user


def create_token(client) -> tuple[int, str]:
    """Create a token through the page's JSON face."""
    response = client.post("/account/tokens", data={"name": "script"}, headers=JSON)
    assert response.status_code == 201
    data = response.get_json()["data"]
    return data["id"], data["token"]


def test_token_is_stored_hashed_and_works_as_bearer(app, logged_in):
    """The secret is never stored; as a bearer it authenticates on its own."""
    token_id, secret = create_token(logged_in)
    row = db.session.get(ApiToken, token_id)
    assert secret not in (row.token_hash, row.prefix) and len(row.token_hash) == 64
    anonymous = app.test_client()
    response = anonymous.get("/resumes", headers={**JSON, "Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert db.session.get(ApiToken, token_id).last_used_at is not None


def test_listing_never_shows_the_secret(logged_in):
    """Only the prefix of a token is listed."""
    _, secret = create_token(logged_in)
    listing = logged_in.get("/account/tokens", headers=JSON).get_data(as_text=True)
    assert secret not in listing


def test_revoked_and_unknown_tokens_get_401(app, logged_in):
    """A revoked token stops working at once; a made-up one never worked."""
    token_id, secret = create_token(logged_in)
    assert logged_in.post(f"/account/tokens/{token_id}/revoke", headers=JSON).status_code == 200
    anonymous = app.test_client()
    for bad in (secret, "icp_made-up"):
        response = anonymous.get("/resumes", headers={**JSON, "Authorization": f"Bearer {bad}"})
        assert response.status_code == 401


def test_bearer_requests_skip_csrf_but_cookie_posts_do_not(user):
    """With CSRF on, a bearer-authenticated post needs no CSRF token; a cookie post does."""
    app = build_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        prepare_schema(app)
        owner = make_user(email="bearer@example.com")
        token, secret = ApiToken.issue(owner, "cli")
        db.session.add(token)
        db.session.commit()
        client = app.test_client()
        headers = {**JSON, "Authorization": f"Bearer {secret}"}
        response = client.post("/resumes", data={"resume_text": SAMPLE_CV}, headers=headers)
        assert response.status_code == 201
        cookie_post = client.post("/resumes", data={"resume_text": SAMPLE_CV}, headers=JSON)
        assert cookie_post.status_code in (400, 401)


def test_cannot_revoke_someone_elses_token(logged_in):
    """Another user's token id is simply not found."""
    other = make_user(email="other@example.com")
    token, _ = ApiToken.issue(other, "theirs")
    db.session.add(token)
    db.session.commit()
    assert logged_in.post(f"/account/tokens/{token.id}/revoke", headers=JSON).status_code == 404
    assert db.session.scalar(sa.select(ApiToken.revoked_at).where(ApiToken.id == token.id)) is None


def test_cli_creates_token_printed_once_on_last_line(runner, user):
    """`flask tokens create` prints the secret alone on the last line, and it works."""
    result = runner.invoke(args=["tokens", "create", "--user", user.email, "--name", "ci"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("icp_")
    response = runner.app.test_client().get(
        "/resumes", headers={**JSON, "Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200


def test_last_used_is_recorded_at_minute_resolution(app, logged_in):
    """A burst of bearer requests records last use once, not on every request."""
    token_id, secret = create_token(logged_in)
    client = app.test_client()
    headers = {**JSON, "Authorization": f"Bearer {secret}"}
    client.get("/resumes", headers=headers)
    first = db.session.get(ApiToken, token_id).last_used_at
    db.session.expire_all()
    client.get("/resumes", headers=headers)
    assert first is not None
    assert db.session.get(ApiToken, token_id).last_used_at == first
