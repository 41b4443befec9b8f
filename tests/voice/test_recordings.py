"""Kept recordings: written only when AUDIO_RETENTION_DAYS asks, under an unguessable name,
played and deleted by their owner alone, told to the candidate, and purged once expired."""

from __future__ import annotations

import os
import re
import stat
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import InterviewSession, Recording, utcnow
from tests.conftest import JSON, count_rows
from tests.fixtures.audio import make_wav
from tests.support.sessions import make_invite, make_recording, make_session
from tests.support.users import make_user
from tests.voice.conftest import current, upload


@pytest.fixture
def retention_days() -> int:
    """Days recordings are kept in this module's app (a test may parametrize it)."""
    return 7


@pytest.fixture
def app_overrides(app_overrides: dict, retention_days: int, recordings_dir: Path) -> dict:
    """Voice on (the fake engine), recordings kept under the test's own directory."""
    return {
        **app_overrides,
        "AUDIO_RETENTION_DAYS": retention_days,
        "RECORDINGS_DIR": str(recordings_dir),
    }


def transcribe(client, session: InterviewSession, audio: bytes) -> dict:
    """Send a recording to be transcribed for the current question; the reply's data."""
    response = client.post(
        f"/session/{session.id}/transcribe",
        data=upload(audio, question_id=current(session).id),
        headers=JSON,
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def files_in(directory: Path) -> list[Path]:
    """The files a directory holds (none when it does not exist)."""
    return sorted(directory.iterdir()) if directory.exists() else []


@pytest.mark.parametrize("retention_days", [0])
def test_with_retention_zero_nothing_reaches_the_disk(logged_in, session, recordings_dir):
    """The default: transcribing or answering by voice writes no file and no row."""
    data = transcribe(logged_in, session, make_wav(9.0))
    assert data["recording"] is None
    response = logged_in.post(
        f"/session/{session.id}/answer",
        data=upload(make_wav(9.0), "a.wav", question_id=current(session).id),
        headers=JSON,
    )
    assert response.status_code == 200, response.get_json()
    assert not recordings_dir.exists() and count_rows(Recording) == 0
    page = logged_in.get(f"/session/{session.id}/interview").get_data(as_text=True)
    assert "deleted as soon as they are transcribed" in page


def test_a_transcribed_recording_is_kept_with_its_details(logged_in, session, recordings_dir):
    """The audio is written under a random name readable by the app alone; the row says whose
    it is, what it is and when it goes."""
    audio = make_wav(9.0)
    question = current(session)
    data = transcribe(logged_in, session, audio)
    kept = data["recording"]
    assert kept["question_id"] == question.id and kept["content_type"] == "audio/wav"
    assert kept["size_bytes"] == len(audio) and kept["duration_s"] == pytest.approx(9.0)
    row = db.session.get_one(Recording, kept["id"])
    assert row.session_id == session.id
    assert abs(row.expires_at - (row.created_at + timedelta(days=7))) < timedelta(seconds=1)
    [path] = files_in(recordings_dir)
    assert path.name == row.file_name and path.read_bytes() == audio
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}\.wav", path.name)  # 192 random bits, no ids
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_disk_that_refuses_the_file_costs_the_recording_not_the_transcript(
    app, logged_in, session, tmp_path
):
    """When the recording cannot be written, the transcript still comes back and no row
    points at a file that is not there."""
    blocked = tmp_path / "not-a-directory"
    blocked.write_bytes(b"")
    app.config["RECORDINGS_DIR"] = str(blocked / "recordings")
    data = transcribe(logged_in, session, make_wav(9.0))
    assert data["transcript"] and data["recording"] is None
    assert count_rows(Recording) == 0


def test_an_answer_sent_as_audio_keeps_its_recording(logged_in, session, recordings_dir):
    """POST /answer with ``audio`` keeps the recording of the question it answered."""
    question = current(session)
    response = logged_in.post(
        f"/session/{session.id}/answer",
        data=upload(make_wav(9.0), "a.wav", question_id=question.id),
        headers=JSON,
    )
    assert response.status_code == 200, response.get_json()
    [row] = db.session.scalars(sa.select(Recording)).all()
    assert row.question_id == question.id and len(files_in(recordings_dir)) == 1


def test_the_owner_plays_a_recording_with_seeking(logged_in, session):
    """GET serves the bytes as their own audio type, never cached, and answers range requests
    (how a player seeks)."""
    audio = make_wav(9.0)
    url = transcribe(logged_in, session, audio)["recording"]["url"]
    whole = logged_in.get(url)
    assert whole.status_code == 200 and whole.data == audio
    assert whole.mimetype == "audio/wav" and "no-store" in whole.headers["Cache-Control"]
    part = logged_in.get(url, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.data == audio[:100]


def test_another_user_can_neither_play_nor_delete_it(app, logged_in, session, recordings_dir):
    """Someone else gets the 404 a missing recording gets, and the recording stays."""
    kept = transcribe(logged_in, session, make_wav(9.0))["recording"]
    make_user(email="other@example.com")
    other = app.test_client()
    other.post("/auth/login", data={"email": "other@example.com", "password": "password123"})
    assert other.get(kept["url"], headers=JSON).status_code == 404
    delete = f"/session/{session.id}/recordings/{kept['id']}/delete"
    assert other.post(delete, headers=JSON).status_code == 404
    assert other.post(f"/session/{session.id}/recordings/delete", headers=JSON).status_code == 404
    assert len(files_in(recordings_dir)) == 1 and count_rows(Recording) == 1


def test_the_owner_deletes_one_then_all(logged_in, session, recordings_dir):
    """Deleting one removes its file and row at once (it no longer plays); deleting all
    removes the rest."""
    first = transcribe(logged_in, session, make_wav(9.0))["recording"]
    second = transcribe(logged_in, session, make_wav(9.0))["recording"]
    third = transcribe(logged_in, session, make_wav(9.0))["recording"]
    assert len(files_in(recordings_dir)) == 3
    response = logged_in.post(f"/session/{session.id}/recordings/{first['id']}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/session/{session.id}"
    assert logged_in.get(first["url"]).status_code == 404
    assert len(files_in(recordings_dir)) == 2
    assert logged_in.get(second["url"]).status_code == 200
    reply = logged_in.post(f"/session/{session.id}/recordings/delete", headers=JSON)
    assert reply.get_json()["data"] == {"deleted": 2}
    assert files_in(recordings_dir) == [] and count_rows(Recording) == 0
    assert logged_in.get(third["url"]).status_code == 404


def test_a_delete_goes_back_to_a_local_page_only(logged_in, session):
    """The form's `next` brings the browser back to the page it was on, never off the site."""
    kept = transcribe(logged_in, session, make_wav(9.0))["recording"]
    back = f"/session/{session.id}/interview"
    response = logged_in.post(
        f"/session/{session.id}/recordings/{kept['id']}/delete", data={"next": back}
    )
    assert response.headers["Location"] == back
    response = logged_in.post(
        f"/session/{session.id}/recordings/delete", data={"next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"


def test_the_pages_say_how_long_recordings_are_kept(logged_in, session):
    """Before recording, the interview page says recordings are kept 7 days; once there is one
    it is listed with a player and delete buttons."""
    page = logged_in.get(f"/session/{session.id}/interview").get_data(as_text=True)
    assert "kept for 7 days, then deleted" in page and "recruiter" not in page.lower()
    kept = transcribe(logged_in, session, make_wav(9.0))["recording"]
    page = logged_in.get(f"/session/{session.id}/interview").get_data(as_text=True)
    assert f'src="{kept["url"]}"' in page and "Delete all recordings of this interview" in page
    # The page body is kept per state: a deleted recording leaves the listing at once.
    logged_in.post(f"/session/{session.id}/recordings/{kept['id']}/delete")
    page = logged_in.get(f"/session/{session.id}/interview").get_data(as_text=True)
    assert f'src="{kept["url"]}"' not in page and "kept for 7 days, then deleted" in page


def test_an_invite_candidate_is_told_the_recruiter_can_listen(logged_in, session):
    """In an invite interview the notice says the recruiter can listen until they are deleted."""
    make_invite(session)
    page = logged_in.get(f"/session/{session.id}/interview").get_data(as_text=True)
    assert "The recruiter who invited you can listen to them until then." in page


def test_the_report_lists_the_recordings(app, logged_in, user, recordings_dir):
    """An evaluated interview's report page lists its recordings with their expiry."""
    from tests.security.conftest import evaluate

    answered = make_session(user, answers=["An index on the key."] * 3)
    kept = make_recording(answered, answered.questions[1], recordings_dir)
    evaluate(app, answered)
    page = logged_in.get(f"/session/{answered.id}/report").get_data(as_text=True)
    assert f"/session/{answered.id}/recordings/{kept.id}" in page
    assert f"Kept until {kept.expires_at:%Y-%m-%d}" in page


def test_an_expired_recording_is_gone_before_the_purge(logged_in, session, recordings_dir):
    """Past its retention a recording no longer plays or lists, whether or not purged yet."""
    expired = make_recording(session, session.questions[0], recordings_dir, days=-1)
    url = f"/session/{session.id}/recordings/{expired.id}"
    assert logged_in.get(url).status_code == 404
    page = logged_in.get(f"/session/{session.id}/interview").get_data(as_text=True)
    assert url not in page


def test_purge_deletes_only_expired_recordings(app, runner, session, recordings_dir):
    """`flask recordings purge` deletes expired files and rows, keeps the others, and clears
    old files no row names while leaving a fresh one (its row may not be committed yet)."""
    expired = make_recording(session, session.questions[0], recordings_dir, days=-0.01)
    fresh = make_recording(session, session.questions[1], recordings_dir, days=3)
    stray_old, stray_new = recordings_dir / "old.wav", recordings_dir / "new.wav"
    stray_old.write_bytes(b"x")
    stray_new.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(stray_old, (two_hours_ago, two_hours_ago))
    expired_file = recordings_dir / expired.file_name
    result = runner.invoke(args=["recordings", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 expired recording." in result.output
    assert not expired_file.exists() and not stray_old.exists() and stray_new.exists()
    assert (recordings_dir / fresh.file_name).exists()
    assert db.session.scalars(sa.select(Recording.id)).all() == [fresh.id]


def test_the_worker_runs_the_purge_once_a_day(app, session, recordings_dir):
    """The job queue's schedule holds the purge at one minute of each day, and running it
    deletes an expired recording."""
    from app.jobs.engine import get_jobs

    huey = get_jobs(app).huey
    day = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    due = [
        (moment, task)
        for moment in (day + timedelta(minutes=m) for m in range(24 * 60))
        for task in huey.read_periodic(moment)
        if task.name == "purge_expired_recordings"
    ]
    assert len(due) == 1
    expired = make_recording(session, session.questions[0], recordings_dir, days=-1)
    name = expired.file_name
    huey.execute(due[0][1])
    db.session.expire_all()
    assert count_rows(Recording) == 0 and not (recordings_dir / name).exists()


def test_deleting_the_interview_deletes_its_recording_files(logged_in, session, recordings_dir):
    """A deleted interview takes its recordings' files with it, not only the rows."""
    transcribe(logged_in, session, make_wav(9.0))
    assert logged_in.post(f"/session/{session.id}/delete", headers=JSON).status_code == 200
    assert files_in(recordings_dir) == [] and count_rows(Recording) == 0


def test_status_says_what_is_kept(runner, session, recordings_dir):
    """`flask recordings status` gives the setting, the directory and the counts."""
    make_recording(session, session.questions[0], recordings_dir)
    make_recording(session, session.questions[1], recordings_dir, days=-1)
    result = runner.invoke(args=["recordings", "status"])
    assert result.exit_code == 0, result.output
    assert "Retention: 7 days" in result.output and str(recordings_dir) in result.output
    assert "Kept: 1 recording," in result.output
    assert "Past retention, awaiting the purge: 1" in result.output
