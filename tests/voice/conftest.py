"""An app whose transcription engine is the strict fake OpenAI-compatible server, an open
interview to answer by voice, and the helpers the voice tests share."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.extensions import db
from app.models import InterviewSession, Question
from tests.support.fake_transcription import FakeTranscription
from tests.support.sessions import make_session

# Two stretches of speech with a 3-second pause between them: 11 words over 7.5 seconds.
SPEECH = [
    (0.5, 3.0, "I added an index on the customer id,"),
    (6.0, 8.0, "um, and the query got faster."),
]


@pytest.fixture
def transcriber() -> Iterator[FakeTranscription]:
    """The fake speech-to-text server, scripted with `SPEECH`."""
    fake = FakeTranscription(segments=SPEECH).start()
    yield fake
    fake.stop()


@pytest.fixture
def app_overrides(transcriber: FakeTranscription) -> dict:
    """Voice input on, pointed at the fake; small audio limits so tests stay quick."""
    return {
        "TRANSCRIBE_PROVIDER": "openai_compatible",
        "TRANSCRIBE_BASE_URL": transcriber.base_url,
        "TRANSCRIBE_MODEL": "whisper-1",
        "TRANSCRIBE_API_KEY": "sk-test-audio",
        "AUDIO_MAX_BYTES": 400_000,  # under the test client's 500 KB in-memory limit
        "AUDIO_MAX_SECONDS": 20,
    }


@pytest.fixture
def recordings_dir(tmp_path) -> Path:
    """Where this test's app writes kept recordings (when a module keeps them)."""
    return tmp_path / "recordings"


@pytest.fixture
def session(user) -> InterviewSession:
    """An open interview of the signed-in candidate."""
    return make_session(user)


def current(session: InterviewSession) -> Question:
    """The question the session waits for, read fresh from the database."""
    db.session.expire_all()
    fresh = db.session.get_one(InterviewSession, session.id)
    return next(q for q in fresh.questions if q.answered_at is None)


def upload(audio: bytes, name: str = "answer.wav", **fields) -> dict:
    """A multipart form with the recording as ``audio``, as the page sends it."""
    return {"audio": (io.BytesIO(audio), name), **fields}
