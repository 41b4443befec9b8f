"""API keys: how a recruiter authenticates, the per-key rate limit, and `flask api-keys`."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from app.auth.services import create_token, revoke_token
from app.extensions import db
from app.recruiter.cli import api_keys_cli
from tests.conftest import build_app, prepare_schema
from tests.recruiter.conftest import make_recruiter
from tests.support.users import make_user


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-API-Key": "icr_not-a-real-key"}, {"Authorization": "Bearer icr_not-a-real-key"},
     {"Authorization": "Basic abc"}],
    ids=["missing", "wrong-x-api-key", "wrong-bearer", "not-bearer"],
)  # fmt: skip
def test_missing_or_wrong_key_is_401_json(client, recruiter, headers):
    """No key or a wrong one: 401 with a bare {"error": ...} body, whichever endpoint."""
    endpoints = [("get", "/ai-interviews"), ("post", "/ai-interviews"),
                 ("get", "/ai-interviews/report/1"), ("post", "/ai-interviews/invite")]  # fmt: skip
    for method, path in endpoints:
        response = getattr(client, method)(path, headers=headers, json={})
        assert response.status_code == 401
        assert set(response.get_json()) == {"error"} and response.get_json()["error"]


@pytest.mark.parametrize("style", ["x-api-key", "bearer"])
def test_key_accepted_in_either_header(client, recruiter, style):
    """X-API-Key and Authorization: Bearer both authenticate."""
    _, key = recruiter
    headers = {"X-API-Key": key} if style == "x-api-key" else {"Authorization": f"Bearer {key}"}
    response = client.get("/ai-interviews", headers=headers)
    assert response.status_code == 200 and response.get_json() == []


def test_revoked_key_is_refused(client, recruiter):
    """A revoked key stops working at once."""
    user, key = recruiter
    assert client.get("/ai-interviews", headers={"X-API-Key": key}).status_code == 200
    token = user.tokens[0]
    revoke_token(user, token.id, "recruiter")
    db.session.commit()
    response = client.get("/ai-interviews", headers={"X-API-Key": key})
    assert response.status_code == 401 and "revoked" in response.get_json()["error"]


def test_personal_token_is_not_an_api_key(client, app):
    """A personal API token (for the candidate pages) does not open the recruiter API."""
    user = make_user(email="person@example.com")
    _, personal = create_token(user, "curl")
    db.session.commit()
    response = client.get("/ai-interviews", headers={"Authorization": f"Bearer {personal}"})
    assert response.status_code == 401


def test_key_use_is_recorded(client, recruiter):
    """Using a key stamps last_used_at (shown by `flask api-keys list`)."""
    user, key = recruiter
    assert user.tokens[0].last_used_at is None
    client.get("/ai-interviews", headers={"X-API-Key": key})
    db.session.refresh(user.tokens[0])
    assert user.tokens[0].last_used_at is not None


def test_rate_limit_is_per_key():
    """With limits on, one key's budget runs out (429 JSON with Retry-After), another's doesn't."""
    app = build_app(RATELIMIT_ENABLED=True, RECRUITER_API_LIMIT="3 per minute")
    with app.app_context():
        prepare_schema(app)
        _, first = make_recruiter("limited@example.com")
        _, second = make_recruiter("unlimited@example.com")
        client = app.test_client()
        statuses = [
            client.get(path, headers={"X-API-Key": first}).status_code
            for path in (
                "/ai-interviews",
                "/ai-interviews/report/9",
                "/ai-interviews",
                "/ai-interviews",
            )
        ]
        assert statuses == [200, 404, 200, 429]  # the budget is shared by every endpoint
        limited = client.get("/ai-interviews", headers={"X-API-Key": first})
        assert limited.get_json() == {"error": "Too many requests. Please wait and try again."}
        assert limited.headers.get("Retry-After")
        assert client.get("/ai-interviews", headers={"X-API-Key": second}).status_code == 200


def test_cli_create_prints_key_on_last_line(app, runner, client):
    """(The group is invoked directly: the app registers it as `flask api-keys`.)
    `flask api-keys create` prints a working key alone on the last line, plus its webhook
    secret; `list` shows it; `revoke` turns it off."""
    make_user(email="boss@example.com")
    result = runner.invoke(api_keys_cli, ["create", "--user", "boss@example.com", "--name", "ATS"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    key = lines[-1]
    assert key.startswith("icr_") and " " not in key
    assert client.get("/ai-interviews", headers={"X-API-Key": key}).status_code == 200
    secret = client.get("/ai-interviews/webhook-secret", headers={"X-API-Key": key}).get_json()
    assert (
        "Webhook secret of this key (signs webhooks of plans it creates): "
        f"{secret['webhook_secret']}" in result.output
    )

    listed = runner.invoke(api_keys_cli, ["list", "--user", "boss@example.com"])
    key_id = listed.output.split("\t", 1)[0]
    assert "ATS" in listed.output and "active" in listed.output and key not in listed.output

    revoked = runner.invoke(api_keys_cli, ["revoke", "--user", "boss@example.com", key_id])
    assert revoked.exit_code == 0, revoked.output
    assert client.get("/ai-interviews", headers={"X-API-Key": key}).status_code == 401


@pytest.mark.parametrize(
    "args",
    [["create", "--user", "nobody@example.com", "--name", "x"],
     ["revoke", "--user", "boss@example.com", "999"]],
    ids=["unknown-user", "unknown-key"],
)  # fmt: skip
def test_cli_errors(app, runner, args):
    """Unknown users and keys are clean CLI errors, not tracebacks."""
    make_user(email="boss@example.com")
    result = runner.invoke(api_keys_cli, [*args])
    assert result.exit_code == 1 and result.output.startswith("Error: No ")


def test_cli_does_not_revoke_personal_tokens(app, runner):
    """`api-keys revoke` only touches recruiter keys."""
    user = make_user(email="boss@example.com")
    token, _ = create_token(user, "curl")
    db.session.commit()
    result = runner.invoke(api_keys_cli, ["revoke", "--user", "boss@example.com", str(token.id)])
    assert result.exit_code != 0
    db.session.refresh(token)
    assert token.revoked_at is None


def test_webhook_secret_is_hmac_of_key_id(app, api, recruiter):
    """The webhook secret is HMAC-SHA256(SECRET_KEY, "recruiter-webhook:<key id>") (documented)."""
    user, _ = recruiter
    data = api.get("/ai-interviews/webhook-secret").get_json()
    expected = hmac.new(
        app.config["SECRET_KEY"].encode(), f"recruiter-webhook:{user.tokens[0].id}".encode(),
        hashlib.sha256,
    ).hexdigest()  # fmt: skip
    assert data["webhook_secret"] == expected and data["api_key_id"] == user.tokens[0].id
    assert data["signature_header"] == "X-Signature"


def test_webhook_secret_differs_per_key(app, other_api, api):
    """Two recruiters' keys sign with different secrets."""
    first = api.get("/ai-interviews/webhook-secret").get_json()["webhook_secret"]
    second = other_api.get("/ai-interviews/webhook-secret").get_json()["webhook_secret"]
    assert first != second
