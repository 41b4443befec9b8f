"""Webhooks: a completed interview is POSTed, signed, to the plan's notification_url — verified
by a local receiver — retried on failure, recorded, and never in the candidate's way."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import sqlalchemy as sa
from werkzeug import Request, Response

from app.auth.services import create_token, revoke_token
from app.extensions import db
from app.jobs.engine import drain
from app.models import Invite, WebhookDelivery
from tests.recruiter.conftest import (
    Api,
    answer_all,
    finish,
    make_recruiter,
    start_invite,
    take_interview,
)  # fmt: skip


def deliveries() -> list[tuple[int, int | None, bool]]:
    """(attempt, status code, delivered) of every recorded attempt, in order."""
    rows = db.session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
    return [(row.attempt, row.status_code, row.delivered) for row in rows]


def verify(secret: str, request: Request) -> bool:
    """What a receiver does: recompute the HMAC of the raw body and compare in constant time."""
    expected = "sha256=" + hmac.new(secret.encode(), request.get_data(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.headers.get("X-Signature", ""), expected)


class Receiver:
    """A recruiter's endpoint: records each request; answers with the queued statuses."""

    def __init__(self, statuses: list[int]):
        self.statuses = statuses
        self.requests: list[Request] = []
        self.release = threading.Event()
        self.release.set()

    def __call__(self, request: Request) -> Response:
        self.release.wait(10)
        request.get_data()  # read the body before the server moves on
        self.requests.append(request)
        status = self.statuses.pop(0) if self.statuses else 200
        return Response("ok" if status < 300 else "nope", status=status)


@pytest.fixture
def receiver_at(httpserver):
    """Install a Receiver on the local server; returns (receiver, url)."""

    def install(*statuses: int) -> tuple[Receiver, str]:
        receiver = Receiver(list(statuses))
        httpserver.expect_request("/hook", method="POST").respond_with_handler(receiver)
        return receiver, httpserver.url_for("/hook")

    return install


def invite_to_hooked_plan(api: Api, url: str) -> dict:
    plan = api.create_plan(notification_url=url)
    return api.invite(plan["ai_interview_id"], custom_field_id="HOOK-1")


def test_completed_report_is_posted_and_signed(app, api, receiver_at):
    """One POST with the completed report JSON, signed with the key's webhook secret."""
    receiver, url = receiver_at(200)
    data = invite_to_hooked_plan(api, url)
    take_interview(app, data["invite_link"])
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    secret = api.get("/ai-interviews/webhook-secret").get_json()["webhook_secret"]
    assert verify(secret, request)
    assert not verify("some-other-secret", request)
    body = json.loads(request.get_data())
    report = api.report(data["response_id"])
    assert body["invite_status"] == "Completed" and body["custom_field_id"] == "HOOK-1"
    assert {k: v for k, v in body.items() if k != "report_link"} == {
        k: v for k, v in report.items() if k != "report_link"
    }
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.headers["X-Webhook-Event"] == "interview.completed"
    assert deliveries() == [(1, 200, True)]


def test_failed_delivery_is_retried(app, api, receiver_at):
    """A receiver that fails once gets the same signed body again; both attempts are recorded."""
    receiver, url = receiver_at(500, 200)
    data = invite_to_hooked_plan(api, url)
    take_interview(app, data["invite_link"])
    assert len(receiver.requests) == 2
    first, second = (r.get_data() for r in receiver.requests)
    assert first == second
    assert [r.headers["X-Webhook-Attempt"] for r in receiver.requests] == ["1", "2"]
    secret = api.get("/ai-interviews/webhook-secret").get_json()["webhook_secret"]
    assert all(verify(secret, r) for r in receiver.requests)
    assert deliveries() == [(1, 500, False), (2, 200, True)]


def test_receiver_that_never_answers_well_is_given_up_on(app, api, receiver_at):
    """After WEBHOOK_MAX_ATTEMPTS failures delivery stops; the candidate is unaffected."""
    _, url = receiver_at(503, 503, 503, 503)
    data = invite_to_hooked_plan(api, url)
    take_interview(app, data["invite_link"])
    assert deliveries() == [(1, 503, False), (2, 503, False), (3, 503, False)]
    assert db.session.get(Invite, data["response_id"]).status == "Completed"


def test_unreachable_receiver_records_the_error(app, api):
    """A connection error is recorded and retried like any failure."""
    plan = api.create_plan(notification_url="http://127.0.0.1:9/hook")
    data = api.invite(plan["ai_interview_id"])
    take_interview(app, data["invite_link"])
    rows = db.session.scalars(sa.select(WebhookDelivery)).all()
    assert [r.attempt for r in rows] == [1, 2, 3]
    assert all(r.status_code is None and "ConnectionError" in (r.error or "") for r in rows)


def test_delivery_runs_in_the_background(queued_app, worker, receiver_at):
    """With a receiver that hangs, completing the interview returns at once; a worker
    delivers the report once the receiver answers."""
    app = queued_app
    app.config.update(WEBHOOK_ALLOW_PRIVATE_TARGETS=True, WEBHOOK_TIMEOUT_S=5.0)
    api = Api(app.test_client(), make_recruiter("recruiter@example.com")[1])
    receiver, url = receiver_at(200)
    receiver.release.clear()  # the receiver hangs until released
    data = invite_to_hooked_plan(api, url)
    candidate = start_invite(app, data["invite_link"])
    answer_all(candidate)
    began = time.monotonic()
    finish(candidate)
    assert time.monotonic() - began < 5
    assert deliveries() == []
    receiver.release.set()
    drain(app, timeout=10)
    db.session.expire_all()
    assert deliveries() == [(1, 200, True)]
    assert len(receiver.requests) == 1


def test_private_target_is_refused_at_delivery(app, api, receiver_at):
    """A host that resolves to a private address is not called when such targets are not
    allowed, and not retried."""
    receiver, url = receiver_at(200)
    data = invite_to_hooked_plan(api, url)
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False
    take_interview(app, data["invite_link"])
    assert receiver.requests == []
    row = db.session.scalar(sa.select(WebhookDelivery))
    assert row.attempt == 1 and not row.delivered and row.error.startswith("Refused")


def test_no_notification_url_no_delivery(app, api):
    """Plans without a notification_url send nothing, but the invite is still completed."""
    plan = api.create_plan()
    data = api.invite(plan["ai_interview_id"])
    take_interview(app, data["invite_link"])
    assert deliveries() == []
    assert db.session.get(Invite, data["response_id"]).status == "Completed"


def test_each_plan_is_signed_by_the_key_that_created_it(app, api, recruiter, receiver_at):
    """A plan created with the second key is signed with that key's secret (which the secret
    endpoint shows to that key), not the first key's."""
    user, _ = recruiter
    first_key = user.tokens[0]
    _, second_secret = create_token(user, "second", "recruiter")
    db.session.commit()
    second = Api(api.client, second_secret)
    first_shown = api.get("/ai-interviews/webhook-secret").get_json()
    second_shown = second.get("/ai-interviews/webhook-secret").get_json()
    assert first_shown["api_key_id"] == first_key.id
    assert second_shown["webhook_secret"] != first_shown["webhook_secret"]
    receiver, url = receiver_at(200)
    data = invite_to_hooked_plan(second, url)
    take_interview(app, data["invite_link"])
    assert verify(second_shown["webhook_secret"], receiver.requests[0])
    assert not verify(first_shown["webhook_secret"], receiver.requests[0])


def test_revoked_creating_key_falls_back_to_the_oldest_active_key(app, api, recruiter, receiver_at):
    """When the key that created a plan is revoked, the owner's oldest active key signs."""
    user, _ = recruiter
    _, second_secret = create_token(user, "second", "recruiter")
    db.session.commit()
    second = Api(api.client, second_secret)
    receiver, url = receiver_at(200)
    data = invite_to_hooked_plan(second, url)
    second_id = user.tokens[-1].id
    revoke_token(user, second_id, "recruiter")
    db.session.commit()
    take_interview(app, data["invite_link"])
    first_shown = api.get("/ai-interviews/webhook-secret").get_json()
    assert verify(first_shown["webhook_secret"], receiver.requests[0])


def test_no_active_key_records_why_nothing_was_sent(app, api, recruiter, receiver_at):
    """If every key was revoked before completion, nothing is sent and the row says why."""
    receiver, url = receiver_at(200)
    data = invite_to_hooked_plan(api, url)
    user, _ = recruiter
    candidate = start_invite(app, data["invite_link"])
    answer_all(candidate)
    revoke_token(user, user.tokens[0].id, "recruiter")
    db.session.commit()
    finish(candidate)
    assert receiver.requests == []
    row = db.session.scalar(sa.select(WebhookDelivery))
    assert not row.delivered and "No active API key" in row.error


def test_undelivered_reports_are_listed_and_redelivered_by_command(app, api, receiver_at):
    """Once the retries ran out (or a restart dropped them), `flask webhooks pending` lists the
    report with its last error and `flask webhooks redeliver` sends it again — re-signed,
    numbering attempts on, exiting non-zero while it still fails."""
    receiver, url = receiver_at(503, 503, 503, 503, 503, 503, 200)
    data = invite_to_hooked_plan(api, url)
    take_interview(app, data["invite_link"])
    assert deliveries() == [(1, 503, False), (2, 503, False), (3, 503, False)]
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["webhooks", "pending"]).output
    assert f"invite {data['response_id']}\t{url}\t3 attempts\tHTTP 503" in listed
    assert "1 undelivered report." in listed

    failing = runner.invoke(args=["webhooks", "redeliver"])
    assert failing.exit_code == 1 and "still not delivered" in failing.output
    delivered = runner.invoke(args=["webhooks", "redeliver", "--invite", str(data["response_id"])])
    assert delivered.exit_code == 0, delivered.output
    assert [attempt for attempt, _, _ in deliveries()] == [1, 2, 3, 4, 5, 6, 7]
    assert deliveries()[-1] == (7, 200, True)
    secret = api.get("/ai-interviews/webhook-secret").get_json()["webhook_secret"]
    assert verify(secret, receiver.requests[-1])
    first, last = (json.loads(r.get_data()) for r in (receiver.requests[0], receiver.requests[-1]))
    assert {k: v for k, v in last.items() if k != "report_link"} == {
        k: v for k, v in first.items() if k != "report_link"
    }
    assert "0 undelivered reports." in runner.invoke(args=["webhooks", "pending"]).output
    again = runner.invoke(args=["webhooks", "redeliver", "--invite", str(data["response_id"])])
    assert again.exit_code == 1 and "no undelivered report" in again.output


class Recording(BaseHTTPRequestHandler):
    """A bare receiver: records the Host header of each POST on its server, answers 200."""

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.hosts.append(self.headers["Host"])  # type: ignore[attr-defined]
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        """Quiet."""


def serve(address: str, port: int) -> HTTPServer:
    """A Recording server on address:port, in a daemon thread."""
    server = HTTPServer((address, port), Recording)
    server.hosts = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_delivery_looks_the_receiver_up_once_per_attempt(app, api, monkeypatch):
    """A whole interview's webhook: one lookup of the receiver's name, checked, and the POST
    sent to that address with the URL's host in the Host header."""
    server = serve("127.0.0.1", 0)
    port = server.server_address[1]
    looked_up = fake_dns(monkeypatch, {"hooks.test": ["127.0.0.1"]})
    try:
        data = invite_to_hooked_plan(api, f"http://hooks.test:{port}/hook")
        take_interview(app, data["invite_link"])
    finally:
        server.shutdown()
        server.server_close()
    assert server.hosts == [f"hooks.test:{port}"]  # type: ignore[attr-defined]
    assert looked_up == ["hooks.test"]
    assert deliveries() == [(1, 200, True)]


def fake_dns(monkeypatch, names: dict[str, list[str]]) -> list[str]:
    """Answer lookups of the given names from the table (a name mapped to [] fails to resolve);
    returns the log of names looked up."""
    looked_up: list[str] = []
    resolve = socket.getaddrinfo

    def dns(host, port=None, *args, **kwargs):
        if host not in names:
            return resolve(host, port, *args, **kwargs)
        looked_up.append(host)
        if not names[host]:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port or 80)) for a in names[host]]

    monkeypatch.setattr(socket, "getaddrinfo", dns)
    return looked_up


def test_post_connects_to_the_checked_address_without_a_second_lookup(app, monkeypatch):
    """The POST goes to the address the check approved — the name is not looked up again, so a
    rebinding DNS server gets no second say — and the URL's host is kept in the Host header."""
    from app.recruiter.webhooks import post_to_address

    server = serve("127.0.0.1", 0)
    port = server.server_address[1]
    looked_up = fake_dns(monkeypatch, {"hooks.test": []})  # any lookup would fail
    try:
        status = post_to_address(f"http://hooks.test:{port}/hook", "127.0.0.1", b"{}", {})
    finally:
        server.shutdown()
        server.server_close()
    assert status == 200
    assert server.hosts == [f"hooks.test:{port}"]  # type: ignore[attr-defined]
    assert looked_up == []


def test_check_refuses_a_name_with_any_private_address(app, monkeypatch):
    """With private targets refused (production), a name is refused when any of its addresses
    is private or local — for good, no retry; an unresolvable name may be retried; a public
    name yields the one address the POST will use. No connection is made here."""
    from app.recruiter.webhooks import vetted_address

    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False
    fake_dns(
        monkeypatch,
        {
            "mixed.test": ["93.184.216.34", "10.0.0.5"],
            "loopback.test": ["127.0.0.1"],
            "public.test": ["93.184.216.34", "93.184.216.35"],
            "gone.test": [],
        },
    )
    for name in ("mixed.test", "loopback.test"):
        address, why, retry = vetted_address(f"https://{name}/hook")
        assert address is None and "private or local" in (why or "") and retry is False
    address, why, retry = vetted_address("https://gone.test/hook")
    assert address is None and "Cannot resolve gone.test" in (why or "") and retry is True
    assert vetted_address("https://public.test/hook") == ("93.184.216.34", None, True)


def test_https_receiver_is_verified_against_the_url_host(app, monkeypatch, tmp_path):
    """Connecting to the checked address does not weaken TLS: the certificate must be valid for
    the URL's host name (sent as SNI); a certificate for another name is refused."""
    import ssl

    import trustme
    import urllib3

    from app.recruiter.webhooks import post_to_address

    authority = trustme.CA()
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    app.config["WEBHOOK_CA_BUNDLE"] = str(bundle)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("hooks.test").configure_cert(context)
    server = serve("127.0.0.1", 0)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    fake_dns(monkeypatch, {"hooks.test": [], "impostor.test": []})
    try:
        assert post_to_address(f"https://hooks.test:{port}/hook", "127.0.0.1", b"{}", {}) == 200
        with pytest.raises(urllib3.exceptions.SSLError):
            post_to_address(f"https://impostor.test:{port}/hook", "127.0.0.1", b"{}", {})
    finally:
        server.shutdown()
        server.server_close()
    assert server.hosts == [f"hooks.test:{port}"]  # type: ignore[attr-defined]
