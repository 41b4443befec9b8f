"""A request's Host header never decides where absolute links point.

Links leave the app in the recruiter API's JSON and in signed webhooks; a candidate who completes
with `Host: evil.example` must not put evil.example into the recruiter's webhook (an integration
fetching `pdf_link` would send its API key there). Links come from PUBLIC_BASE_URL, or from a
request host that TRUSTED_HOSTS vouches for (any other Host is a 400); in production, with
neither, the recruiter API refuses clearly and webhooks wait until the base is configured.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.config import config_for
from app.extensions import db
from app.models import InterviewPlan, WebhookDelivery
from tests.conftest import JSON, count_rows
from tests.recruiter.conftest import Api, default_answer, make_recruiter, take_interview
from tests.recruiter.test_webhooks import Receiver

EVIL = "evil.example"
PUBLIC = "https://coach.example"
LINK_FIELDS = ("pdf_link", "report_link")
BASE_MISSING = "PUBLIC_BASE_URL"


@pytest.fixture
def app_overrides() -> dict:
    """Webhooks delivered in the request to a local receiver; one attempt."""
    return {
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": True,
        "WEBHOOK_DELIVER_INLINE": True,
        "WEBHOOK_MAX_ATTEMPTS": 1,
        "WEBHOOK_TIMEOUT_S": 3.0,
    }


@pytest.fixture
def api(app: Flask) -> Api:
    """A recruiter's API client."""
    _, key = make_recruiter("hiring@example.com")
    return Api(app.test_client(), key)


@pytest.fixture
def receiver(httpserver) -> tuple[Receiver, str]:
    """The recruiter's webhook endpoint on 127.0.0.1: (receiver, its URL)."""
    hook = Receiver([])
    httpserver.expect_request("/hook", method="POST").respond_with_handler(hook)
    return hook, httpserver.url_for("/hook")


def hooked_invite(api: Api, url: str) -> dict:
    """A plan that notifies `url`, with one invite (its JSON)."""
    plan = api.create_plan(notification_url=url)
    return api.invite(plan["ai_interview_id"])


def complete_from_host(app: Flask, invite_link: str, host: str) -> FlaskClient:
    """Take the invited interview with every request sent as `Host: host`."""
    browser = app.test_client()
    base = f"http://{host}"
    path = urlsplit(invite_link).path
    started = browser.post(path + "/start", base_url=base)
    assert started.status_code == 302, started.get_data(as_text=True)[:300]
    session = f"/session/{started.headers['Location'].rstrip('/').split('/')[-2]}"
    while question := browser.get(session + "/interview", headers=JSON, base_url=base).get_json()[
        "data"
    ]["current_question"]:
        text, mode = default_answer(question)
        form = {"question_id": question["id"], "answer": text, "answer_mode": mode}
        answered = browser.post(session + "/answer", data=form, headers=JSON, base_url=base)
        assert answered.status_code == 200
    assert browser.post(session + "/complete", base_url=base).status_code == 302
    return browser


def sent_links(hook: Receiver) -> dict[str, str]:
    """The absolute links in the one webhook body received."""
    assert len(hook.requests) == 1
    body = json.loads(hook.requests[0].get_data())
    return {field: body[field] for field in LINK_FIELDS}


def test_a_candidate_host_header_stays_out_of_the_webhook(app, api, receiver):
    """With PUBLIC_BASE_URL set, a completion sent as Host: evil.example still signs links on
    the public address."""
    app.config["PUBLIC_BASE_URL"] = PUBLIC
    hook, url = receiver
    data = hooked_invite(api, url)
    complete_from_host(app, data["invite_link"], EVIL)
    links = sent_links(hook)
    assert all(link.startswith(PUBLIC + "/") for link in links.values()), links


def test_every_recruiter_api_link_uses_the_public_base(app, api):
    """invite_link, pdf_link, report_link and pdf_download_link ignore the API request's Host."""
    app.config["PUBLIC_BASE_URL"] = PUBLIC
    headers = {"X-API-Key": api.key, "Host": EVIL}
    plan = api.create_plan()
    invite = api.client.post(
        "/ai-interviews/invite",
        json={"ai_interview_id": plan["ai_interview_id"], "candidate_name": "Casey",
              "candidate_email": "casey@example.com"},
        headers=headers,
    ).get_json()  # fmt: skip
    assert invite["invite_link"].startswith(PUBLIC + "/")
    take_interview(app, invite["invite_link"].replace(PUBLIC, "http://localhost"))
    report = api.client.get(
        f"/ai-interviews/report/{invite['response_id']}?is_downloadable=true", headers=headers
    ).get_json()
    for field in (*LINK_FIELDS, "pdf_download_link"):
        assert report[field].startswith(PUBLIC + "/"), (field, report[field])


def test_trusted_hosts_are_read_from_the_environment(monkeypatch):
    """TRUSTED_HOSTS is a comma- or space-separated list; unset, every host is accepted."""
    monkeypatch.setenv("TRUSTED_HOSTS", "coach.example, .coach.example  localhost")
    assert config_for("testing").TRUSTED_HOSTS == ["coach.example", ".coach.example", "localhost"]
    monkeypatch.setenv("TRUSTED_HOSTS", " ")
    assert config_for("testing").TRUSTED_HOSTS is None


def test_with_trusted_hosts_another_host_gets_400_and_links_use_the_trusted_one(app, api, receiver):
    """An untrusted Host is refused before any view runs; a trusted one builds the links."""
    app.config["TRUSTED_HOSTS"] = ["coach.example", "localhost"]
    app.config["TRUST_REQUEST_HOST"] = False
    hook, url = receiver
    data = hooked_invite(api, url)
    path = urlsplit(data["invite_link"]).path
    refused = app.test_client().post(path + "/start", base_url=f"http://{EVIL}")
    assert refused.status_code == 400
    assert count_rows(WebhookDelivery) == 0
    complete_from_host(app, data["invite_link"], "coach.example")
    links = sent_links(hook)
    assert all(link.startswith("http://coach.example/") for link in links.values()), links


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_the_untrusted_host_answer_is_a_clean_400(app, accept):
    """The refusal is the app's own 400 page or JSON body, not a crash."""
    app.config["TRUSTED_HOSTS"] = ["coach.example"]
    response = app.test_client().get(
        "/auth/login", base_url=f"http://{EVIL}", headers={"Accept": accept}
    )
    assert response.status_code == 400
    if accept == "application/json":
        assert response.get_json()["code"] == 400
    else:
        assert "does not answer to that host name" in response.get_data(as_text=True)


def test_without_a_base_in_production_the_recruiter_api_refuses_clearly(app, api):
    """No PUBLIC_BASE_URL and no TRUSTED_HOSTS: 500 naming the setting, and nothing created
    (a retry after the fix does not leave a duplicate behind)."""
    app.config["TRUST_REQUEST_HOST"] = False
    response = api.post(
        "/ai-interviews",
        {"name": "Backend", "job_role": "Backend Engineer", "job_description": "x" * 200},
    )
    assert response.status_code == 500
    assert BASE_MISSING in response.get_json()["error"]
    assert count_rows(InterviewPlan) == 0


def test_without_a_base_the_webhook_waits_and_is_redelivered_once_configured(app, api, receiver):
    """The candidate finishes normally; nothing is sent with a guessed host; the attempt is
    recorded with the reason and `flask webhooks redeliver` sends it once PUBLIC_BASE_URL is
    set."""
    hook, url = receiver
    data = hooked_invite(api, url)
    app.config["TRUST_REQUEST_HOST"] = False
    complete_from_host(app, data["invite_link"], EVIL)
    assert hook.requests == []
    row = db.session.scalars(sa.select(WebhookDelivery)).one()
    assert not row.delivered and BASE_MISSING in (row.error or "")

    runner = app.test_cli_runner()
    assert BASE_MISSING in runner.invoke(args=["webhooks", "pending"]).output
    assert runner.invoke(args=["webhooks", "redeliver"]).exit_code == 1  # still no base
    assert hook.requests == []
    app.config["PUBLIC_BASE_URL"] = PUBLIC
    assert runner.invoke(args=["webhooks", "redeliver"]).exit_code == 0
    assert all(link.startswith(PUBLIC + "/") for link in sent_links(hook).values())


def test_the_tokens_page_shows_the_public_address(app, client, user):
    """The curl example on the tokens page names PUBLIC_BASE_URL, not the Host sent."""
    app.config["PUBLIC_BASE_URL"] = PUBLIC
    evil = f"http://{EVIL}"
    login = {"email": user.email, "password": "password123"}
    assert client.post("/auth/login", data=login, base_url=evil).status_code == 302
    page = client.get("/account/tokens", base_url=evil)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"{PUBLIC}/sessions" in text and EVIL not in text


@pytest.mark.parametrize(
    "value",
    ["coach.example", "ftp://coach.example", "https://", "https://coach.example/?next=x",
     "https://user:pw@coach.example", "https://coach.example/#top"],
)  # fmt: skip
def test_a_malformed_public_base_url_stops_the_start(monkeypatch, value):
    """A base that cannot prefix a link is refused at start-up, naming the setting."""
    monkeypatch.setenv("PUBLIC_BASE_URL", value)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        config_for("testing")


def test_trusted_hosts_must_trust_the_public_base(monkeypatch):
    """Both set, the base's own host must pass TRUSTED_HOSTS, or links would lead to a 400."""
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC)
    monkeypatch.setenv("TRUSTED_HOSTS", "other.example")
    with pytest.raises(RuntimeError, match="TRUSTED_HOSTS must include"):
        config_for("testing")
    monkeypatch.setenv("TRUSTED_HOSTS", ".coach.example")  # a leading dot covers the name too
    assert config_for("testing").PUBLIC_BASE_URL == PUBLIC


def test_a_production_server_without_a_base_starts_but_its_recruiter_api_refuses(
    monkeypatch, tmp_path, caplog
):
    """The real production config: the site serves, the recruiter API answers 500 naming the
    setting, and with TRUSTED_HOSTS set it works and refuses foreign hosts."""
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "production-secret-" + "x" * 32)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    https = "https://coach.example"
    for trusted, expected in ((None, 500), ("coach.example", 200)):
        if trusted:
            monkeypatch.setenv("TRUSTED_HOSTS", trusted)
        application = create_app()
        warned = "Neither PUBLIC_BASE_URL nor TRUSTED_HOSTS is set" in caplog.text
        assert warned == (trusted is None)
        caplog.clear()
        with application.app_context():
            db.create_all()
            _, key = make_recruiter(f"prod-{expected}@example.com")
            client = application.test_client()
            assert client.get("/healthz", base_url=https).status_code == 200
            listing = client.get("/ai-interviews", headers={"X-API-Key": key}, base_url=https)
            assert listing.status_code == expected, listing.get_data(as_text=True)
            if expected == 500:
                assert BASE_MISSING in listing.get_json()["error"]
            else:
                foreign = client.get("/ai-interviews", headers={"X-API-Key": key},
                                     base_url=f"https://{EVIL}")  # fmt: skip
                assert foreign.status_code == 400
            db.session.remove()
            db.engine.dispose()
