"""Recordings of spoken answers, kept only when the server is set to keep them.

With `AUDIO_RETENTION_DAYS` at 0 (the default) a recording lives only as long as its
transcription: nothing reaches the disk. Above 0, each recording that was transcribed is written
under `RECORDINGS_DIR` (default `instance/recordings/`) with a random file name, and a row says
whose it is (session, question), what it is (type, size, length) and when it goes
(`expires_at`). The candidate is told before recording how long that is, and may play or delete
any of their recordings at any time. A recording past its `expires_at` is treated as gone at
once; `purge_expired` (`flask recordings purge`, and the job queue's daily run) deletes its file
and row, and files whose row never committed.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Response, current_app, send_file, url_for

from app.ai.transcription import AudioClip
from app.errors import NotFound
from app.extensions import db
from app.jobs import periodic
from app.models import InterviewSession, Invite, Question, Recording, utcnow
from app.responses import iso

log = logging.getLogger(__name__)

PURGE_JOB = "purge_expired_recordings"
# A file with no row is left this long: its row may be in a transaction not yet committed.
ORPHAN_GRACE_S = 3600
RECORDING_GONE = "Recording not found"


def retention_days() -> int:
    """How many days recordings are kept (0: not kept at all)."""
    return max(0, int(current_app.config.get("AUDIO_RETENTION_DAYS", 0) or 0))


def recordings_dir() -> Path:
    """The directory recordings are written to."""
    return Path(current_app.config["RECORDINGS_DIR"])


def keep_recording(
    session: InterviewSession, question_id: int, clip: AudioClip, duration_s: float | None
) -> Recording | None:
    """Keep a transcribed recording for AUDIO_RETENTION_DAYS (None, writing nothing, at 0).
    The caller commits; a rolled-back row leaves a file that `purge_expired` removes. A disk
    that refuses the file costs the recording, never the candidate's transcript."""
    days = retention_days()
    if days <= 0:
        return None
    name = f"{secrets.token_urlsafe(24)}.{clip.extension}"
    try:
        write_private(recordings_dir(), name, clip.data)
    except OSError:
        log.exception("Recording of session %s not kept: %s unwritable", session.id, name)
        return None
    now = utcnow()
    recording = Recording(
        session_id=session.id,
        question_id=question_id,
        file_name=name,
        content_type=clip.mime,
        size_bytes=len(clip.data),
        duration_s=clip.duration_s if clip.duration_s is not None else duration_s,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(recording)
    db.session.flush()
    return recording


def write_private(directory: Path, name: str, data: bytes) -> None:
    """Write a new file readable by the app's own user only (never over an existing one)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle = os.open(directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "wb") as out:
        out.write(data)


def recording_json(recording: Recording) -> dict[str, Any]:
    """A kept recording as JSON clients see it: what it is, when it goes, where it plays."""
    return {
        "id": recording.id,
        "question_id": recording.question_id,
        "content_type": recording.content_type,
        "size_bytes": recording.size_bytes,
        "duration_s": recording.duration_s,
        "created_at": iso(recording.created_at),
        "expires_at": iso(recording.expires_at),
        "url": url_for(
            "interview.recording", session_id=recording.session_id, recording_id=recording.id
        ),
    }


def session_recordings(session: InterviewSession) -> list[Recording]:
    """The session's recordings that are not past their retention, oldest first."""
    query = (
        sa.select(Recording)
        .where(Recording.session_id == session.id, Recording.expires_at > utcnow())
        .order_by(Recording.created_at, Recording.id)
    )
    return list(db.session.scalars(query))


def owned_recording(session: InterviewSession, recording_id: int) -> Recording:
    """One unexpired recording of this session (404 otherwise, as for one that never existed)."""
    recording = db.session.get(Recording, recording_id)
    if recording is None or recording.session_id != session.id or recording.is_expired:
        raise NotFound(RECORDING_GONE)
    return recording


def audio_path(recording: Recording) -> Path:
    """Where the recording's bytes are; 404 when the file is gone."""
    path = recordings_dir() / recording.file_name
    if not path.is_file():
        raise NotFound(RECORDING_GONE)
    return path


def audio_response(recording: Recording) -> Response:
    """The recording's bytes as its own audio type, with range requests for seeking. Read into
    memory (at most AUDIO_MAX_BYTES) so no file stays open after a request that is cut short."""
    response = send_file(
        io.BytesIO(audio_path(recording).read_bytes()),
        mimetype=recording.content_type,
        download_name=f"recording-{recording.id}.{recording.file_name.rsplit('.', 1)[-1]}",
        conditional=True,
        etag=False,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def remove_file(name: str) -> None:
    """Delete one recording file; one already gone is fine."""
    try:
        (recordings_dir() / name).unlink()
    except FileNotFoundError:
        pass


def delete_recordings(recordings: list[Recording]) -> int:
    """Delete recordings, files and rows (the caller commits); returns how many."""
    for recording in recordings:
        remove_file(recording.file_name)
    ids = [recording.id for recording in recordings]
    if ids:
        db.session.execute(sa.delete(Recording).where(Recording.id.in_(ids)))
    return len(ids)


def delete_session_recordings(session_id: int) -> int:
    """Delete every recording of a session, expired or not (the session is being deleted)."""
    found = list(db.session.scalars(sa.select(Recording).where(Recording.session_id == session_id)))
    return delete_recordings(found)


def purge_expired(now: datetime | None = None) -> int:
    """Delete recordings past their `expires_at`, files and rows, and files no row names
    (older than an hour); commits, and returns how many recordings were deleted."""
    moment = now or utcnow()
    expired = list(db.session.scalars(sa.select(Recording).where(Recording.expires_at <= moment)))
    count = delete_recordings(expired)
    db.session.commit()  # the job's (and `flask recordings purge`'s) own commit, before orphans go
    removed = remove_orphans()
    if count or removed:
        log.info("Recordings purged: %s expired, %s without a row", count, removed)
    return count


def remove_orphans() -> int:
    """Delete files in the recordings directory that no row names (a transcription whose row
    was rolled back, a session deleted by a cascade); recent ones are left alone."""
    directory = recordings_dir()
    if not directory.is_dir():
        return 0
    known = set(db.session.scalars(sa.select(Recording.file_name)))
    cutoff = time.time() - ORPHAN_GRACE_S
    removed = 0
    for path in directory.iterdir():
        if path.is_file() and path.name not in known and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def shared_with_recruiter(session: InterviewSession) -> bool:
    """Whether the session was taken through a recruiter's invite, whose report links to the
    kept recordings (the candidate is told so before recording)."""
    query = sa.select(sa.exists().where(Invite.session_id == session.id))
    return bool(db.session.scalar(query))


def answered_recordings(session: InterviewSession) -> list[tuple[Recording, Question]]:
    """Unexpired recordings of the session's answered questions, with their question, in the
    order they were made."""
    questions = {q.id: q for q in session.questions if q.answered_at is not None}
    return [(r, questions[r.question_id]) for r in session_recordings(session)
            if r.question_id in questions]  # fmt: skip


@periodic(PURGE_JOB, minute="17", hour="3")
def purge_daily() -> None:
    """Every day, on the job worker: delete recordings past their retention."""
    purge_expired()
