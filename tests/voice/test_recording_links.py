"""The recruiter's side of kept recordings: an invite interview answered by voice lists signed,
expiring links in the report's `interview_recording` that play without a key; a tampered,
expired or other-interview link does not; a practice interview exposes nothing. The webhook says
when its links expire, and the API hands out fresh ones on every read."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import itsdangerous.timed
import pytest
from flask import Flask
from werkzeug.wrappers import Response

from app.extensions import db
from app.jobs.engine import drain
from app.models import Recording, utcnow
from app.recruiter.signing import read_recording_link, sign_recording_link
from tests.conftest import JSON
from tests.fixtures.audio import make_wav
from tests.recruiter.conftest import (
    Api,
    Candidate,
    finish,
    make_recruiter,
    start_invite,
    take_interview,
)
from tests.support.sessions import make_recording, make_session
from tests.voice.conftest import upload


@pytest.fixture
def app_overrides(app_overrides: dict, recordings_dir: Path) -> dict:
    """Voice on (the fake engine); recordings kept 30 days in the test's own directory."""
    return {
        **app_overrides,
        "AUDIO_RETENTION_DAYS": 30,
        "RECORDINGS_DIR": str(recordings_dir),
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": True,  # the receiver below is on 127.0.0.1
        "WEBHOOK_MAX_ATTEMPTS": 1,
    }


@pytest.fixture
def api(app: Flask) -> Api:
    """The inviting recruiter's API client."""
    return Api(app.test_client(), make_recruiter("recruiter@example.com")[1])


@pytest.fixture
def rival(app: Flask) -> Api:
    """Another recruiter's API client."""
    return Api(app.test_client(), make_recruiter("rival@example.com")[1])


def speak_every_answer(candidate: Candidate) -> list[bytes]:
    """Answer each question as the page does: record, transcribe, submit the transcript;
    returns the audio sent, in order."""
    sent = []
    base = f"/session/{candidate.session_id}"
    while True:
        state = candidate.client.get(base + "/interview", headers=JSON).get_json()["data"]
        question = state["current_question"]
        if question is None:
            return sent
        audio = make_wav(9.0 + len(sent))  # a different recording each time
        spoken = candidate.client.post(
            base + "/transcribe",
            data=upload(audio, "a.wav", question_id=question["id"]),
            headers=JSON,
        ).get_json()["data"]
        reply = candidate.client.post(
            base + "/answer",
            data={"question_id": question["id"], "answer": spoken["transcript"],
                  "delivery_token": spoken["delivery_token"]},
            headers=JSON,
        )  # fmt: skip
        assert reply.status_code == 200, reply.get_json()
        sent.append(audio)


def spoken(app: Flask, api: Api, notification_url: str = "") -> tuple[dict, Candidate, list[bytes]]:
    """An invite (to a plan notifying `notification_url`, if given) whose candidate answered
    every question by voice and finished."""
    plan = (
        api.create_plan(notification_url=notification_url)
        if notification_url
        else api.create_plan()
    )
    invite = api.invite(plan["ai_interview_id"])
    candidate = start_invite(app, invite["invite_link"])
    sent = speak_every_answer(candidate)
    finish(candidate)
    drain(app)
    return invite, candidate, sent


@pytest.fixture
def spoken_invite(app: Flask, api: Api) -> tuple[dict, Candidate, list[bytes]]:
    """An invite whose candidate answered every question by voice and finished."""
    return spoken(app, api)


def test_the_report_links_every_recording_and_each_plays_without_a_key(app, api, spoken_invite):
    """One signed link per recorded answer, keyed by when it was recorded (between the
    question's and the answer's timestamps in `conversation`); each serves its audio to a
    client with no key or sign-in."""
    invite, _, sent = spoken_invite
    report = api.report(invite["response_id"])
    links = report["interview_recording"]
    assert len(links) == len(sent)
    anonymous = app.test_client()
    for (moment, link), audio in zip(sorted(links.items()), sent, strict=True):
        assert link.startswith("http://localhost/ai-interviews/recordings/")
        played = anonymous.get(urlsplit(link).path)
        assert played.status_code == 200 and played.data == audio
        assert played.mimetype == "audio/wav"
        assert played.headers["Cache-Control"] == "private, no-store"
        stamps = [m["timestamp"] for m in report["conversation"]]
        assert stamps[0] <= int(moment) <= stamps[-1]


def test_another_recruiters_key_cannot_read_the_report(rival, spoken_invite):
    """The links are only in a report the inviting recruiter's key can read."""
    invite, _, _ = spoken_invite
    response = rival.get(f"/ai-interviews/report/{invite['response_id']}")
    assert response.status_code == 404 and "recordings" not in response.get_data(as_text=True)


def test_a_tampered_or_expired_link_plays_nothing(app, api, spoken_invite):
    """An altered signature is 404; past RECORDING_LINK_TTL_S the link is 403, and a fresh
    report hands out working links again."""
    invite, _, _ = spoken_invite
    link = urlsplit(next(iter(api.report(invite["response_id"])["interview_recording"].values())))
    client = app.test_client()
    token = link.path.rsplit("/", 1)[-1]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/ai-interviews/recordings/{forged}").status_code == 404
    assert client.get(f"/ai-interviews/recordings/{token[:20]}").status_code == 404
    app.config["RECORDING_LINK_TTL_S"] = -1
    expired = client.get(link.path)
    assert expired.status_code == 403 and not expired.data.startswith(b"RIFF")
    app.config["RECORDING_LINK_TTL_S"] = 3600
    fresh = next(iter(api.report(invite["response_id"])["interview_recording"].values()))
    assert client.get(urlsplit(fresh).path).status_code == 200


def test_a_link_for_another_interview_plays_nothing(app, spoken_invite, user, recordings_dir):
    """A validly signed link naming this invite with a recording of another interview (here a
    practice one, which no report ever links) is 404."""
    invite, _, _ = spoken_invite
    practice = make_session(user, answers=["An index."] * 3)
    theirs = make_recording(practice, practice.questions[0], recordings_dir)
    with app.test_request_context():
        token = sign_recording_link(invite["response_id"], theirs.id)
    assert app.test_client().get(f"/ai-interviews/recordings/{token}").status_code == 404


def test_deleted_or_expired_recordings_leave_the_report(app, api, spoken_invite):
    """The candidate's delete takes a recording out of the report and stops its link; a
    recording past its retention is gone from both too."""
    invite, candidate, sent = spoken_invite
    links = api.report(invite["response_id"])["interview_recording"]
    first, *others = db.session.scalars(
        db.select(Recording).order_by(Recording.created_at, Recording.id)
    ).all()
    deleted = candidate.client.post(
        f"/session/{candidate.session_id}/recordings/{first.id}/delete", headers=JSON
    )
    assert deleted.status_code == 200
    oldest = sorted(links.items())[0][1]
    assert app.test_client().get(urlsplit(oldest).path).status_code == 404
    assert len(api.report(invite["response_id"])["interview_recording"]) == len(sent) - 1
    db.session.get_one(Recording, others[0].id).expires_at = first.created_at
    db.session.commit()
    assert len(api.report(invite["response_id"])["interview_recording"]) == len(sent) - 2


def test_a_typed_invite_interview_has_no_recordings(app, api):
    """Answers typed, not spoken: `interview_recording` stays {} as the seed shows."""
    invite = api.invite(api.create_plan()["ai_interview_id"])
    take_interview(app, invite["invite_link"])
    assert api.report(invite["response_id"])["interview_recording"] == {}


@pytest.fixture
def hook(httpserver) -> tuple[list[dict], str]:
    """A local webhook receiver: the bodies it got (filled as they arrive) and its URL."""
    bodies: list[dict] = []

    def receive(request):
        bodies.append(request.get_json())
        return Response("ok")

    httpserver.expect_request("/hook", method="POST").respond_with_handler(receive)
    return bodies, httpserver.url_for("/hook")


def test_the_webhook_says_when_its_links_expire_and_the_api_gives_fresh_ones(
    app, api, hook, monkeypatch
):
    """The webhook's links carry `interview_recording_expires_at` (signing time plus
    RECORDING_LINK_TTL_S); after that the webhook's links are dead, while reading the report
    through the API hands out links that play, in a response that is never cached."""
    bodies, url = hook
    invite, _, sent = spoken(app, api, url)
    (body,) = bodies
    assert len(body["interview_recording"]) == len(sent)
    expires = datetime.fromisoformat(body["interview_recording_expires_at"].rstrip("Z"))
    assert abs((expires - utcnow()).total_seconds() - 3600) < 60
    client = app.test_client()
    hooked = urlsplit(next(iter(body["interview_recording"].values()))).path
    assert client.get(hooked).status_code == 200
    later = expires.replace(tzinfo=UTC).timestamp() + 1
    monkeypatch.setattr(itsdangerous.timed, "time", SimpleNamespace(time=lambda: later))
    assert client.get(hooked).status_code == 403
    response = api.get(f"/ai-interviews/report/{invite['response_id']}")
    assert response.headers["Cache-Control"] == "private, no-store"
    fresh = urlsplit(next(iter(response.get_json()["interview_recording"].values()))).path
    assert client.get(fresh).status_code == 200


def test_a_typed_interviews_webhook_names_no_expiry(app, api, hook):
    """With no recordings the webhook body keeps seed 003's shape: no expiry field."""
    bodies, url = hook
    invite = api.invite(api.create_plan(notification_url=url)["ai_interview_id"])
    take_interview(app, invite["invite_link"])
    drain(app)
    (body,) = bodies
    assert body["interview_recording"] == {} and "interview_recording_expires_at" not in body


def shared_page(app: Flask, api: Api, invite: dict) -> str:
    """The shared HTML report as anyone holding its link sees it."""
    link = urlsplit(api.report(invite["response_id"])["report_link"]).path
    response = app.test_client().get(link)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def players(html: str) -> list[str]:
    """The audio sources on a page, in order."""
    return re.findall(r'<audio controls preload="none" src="([^"]+)"', html)


def test_the_shared_report_plays_each_spoken_answer_under_it(app, api, spoken_invite):
    """One player per spoken answer, after that answer's text; each plays that answer's audio
    for a visitor with no key or account."""
    invite, _, sent = spoken_invite
    html = shared_page(app, api, invite)
    sources = players(html)
    assert len(sources) == len(sent)
    anonymous = app.test_client()
    assert [anonymous.get(source).data for source in sources] == sent
    cards = [part.split("</article>")[0] for part in html.split("<article")[1:]]
    answer_cards = [card for card in cards if "answer-card" in card.split(">", 1)[0]]
    assert [card.count("<audio") for card in answer_cards] == [1] * len(sent)  # one under each
    assert not any("<audio" in card for card in cards if card not in answer_cards)


def test_the_shared_report_of_a_typed_interview_has_no_player(app, api):
    """Typed answers: nothing to play."""
    invite = api.invite(api.create_plan()["ai_interview_id"])
    take_interview(app, invite["invite_link"])
    drain(app)
    assert players(shared_page(app, api, invite)) == []


def test_a_deleted_recording_leaves_the_shared_report(app, api, spoken_invite):
    """When the candidate deletes a recording its player goes, and its old source plays nothing."""
    invite, candidate, sent = spoken_invite
    before = players(shared_page(app, api, invite))
    first = db.session.scalars(db.select(Recording).order_by(Recording.id)).first()
    candidate.client.post(
        f"/session/{candidate.session_id}/recordings/{first.id}/delete", headers=JSON
    )
    after = players(shared_page(app, api, invite))
    assert len(after) == len(sent) - 1
    assert app.test_client().get(before[0]).status_code == 404


def test_only_a_valid_report_link_shows_players(app, api, spoken_invite):
    """A tampered or expired report link shows no page and so no player; a player's own link
    stops after RECORDING_LINK_TTL_S like the JSON's."""
    invite, _, _ = spoken_invite
    link = urlsplit(api.report(invite["response_id"])["report_link"]).path
    sources = players(shared_page(app, api, invite))
    client = app.test_client()
    forged = client.get(link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"))
    assert forged.status_code == 404 and "<audio" not in forged.get_data(as_text=True)
    app.config["REPORT_LINK_TTL_S"] = -1
    expired = client.get(link)
    assert expired.status_code == 410 and "<audio" not in expired.get_data(as_text=True)
    app.config["RECORDING_LINK_TTL_S"] = -1
    assert client.get(sources[0]).status_code == 403


def test_a_players_link_cannot_be_turned_to_another_interview(app, api, spoken_invite, rival):
    """Another recruiter's invite's shared report never carries this interview's recordings,
    and this interview's player links name this invite only."""
    invite, _, sent = spoken_invite
    theirs = rival.invite(rival.create_plan()["ai_interview_id"])
    take_interview(app, theirs["invite_link"])
    drain(app)
    assert players(shared_page(app, rival, theirs)) == []
    ids = {
        read_recording_link(urlsplit(s).path.rsplit("/", 1)[-1])[0]
        for s in players(shared_page(app, api, invite))
    }
    assert ids == {invite["response_id"]}
