"""Answering by voice with Gemini as the engine (TRANSCRIBE_PROVIDER=gemini, the audio inline):
the candidate's recording reaches the strict fake API unchanged, the transcript and measured
delivery come back, and a recording Gemini cannot take (too large, a type it refuses, no reply in
time) gets a message saying what to do while the typed draft and the question stay as they were."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import InterviewSession
from app.models.ai_call import AICall
from tests.conftest import JSON
from tests.fixtures.audio import make_webm
from tests.support.fake_servers import (
    GEMINI_GUIDE_AUDIO_TYPES,
    FakeGemini,
    Reply,
    gemini_transcription,
)
from tests.support.sessions import make_session
from tests.voice.conftest import SPEECH, current, upload


@pytest.fixture
def gemini() -> Iterator[FakeGemini]:
    """The fake Gemini API, transcribing every recording as the shared `SPEECH`."""
    fake = FakeGemini(key="g-key", speech=SPEECH).start()
    yield fake
    fake.stop()


@pytest.fixture
def app_overrides(gemini: FakeGemini) -> dict:
    """Voice input through Gemini; one try per recording, so a hang costs one timeout."""
    return {
        "TRANSCRIBE_PROVIDER": "gemini",
        "GEMINI_API_KEY": "g-key",
        "GEMINI_BASE_URL": gemini.url,
        "AUDIO_MAX_BYTES": 400_000,
        "AUDIO_MAX_SECONDS": 20,
        "AI_MAX_ATTEMPTS": 1,
        "AI_TRANSCRIBE_TIMEOUT_S": 1.0,
    }


def send(client, session: InterviewSession, route: str, audio: bytes):
    """Post a recording of the current question's answer as the page does."""
    data = upload(audio, "answer.webm", question_id=current(session).id)
    return client.post(f"/session/{session.id}/{route}", data=data, headers=JSON)


def test_a_browser_recording_is_transcribed_by_gemini(logged_in, session, gemini):
    """The WebM goes inline byte for byte; the transcript, duration from the container and the
    delivery measured from Gemini's segments come back; the call is on record as Gemini's."""
    audio = make_webm(9.0)
    response = send(logged_in, session, "transcribe", audio)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    assert data["transcript"] == " ".join(text for _, _, text in SPEECH)
    assert data["duration_s"] == 9.0
    assert data["delivery"]["long_pauses"] == 1 and data["delivery"]["words_per_minute"] == 112.0
    assert gemini.audio_received() == [("audio/webm", audio)]
    (call,) = db.session.scalars(sa.select(AICall).where(AICall.task == "transcribe_audio"))
    assert (call.provider, call.model, call.prompt_tokens) == ("gemini", "gemini-3.8-flash", 10)


def slow(gemini: FakeGemini) -> None:
    """Gemini takes longer than the transcription timeout."""
    gemini.queue(Reply(gemini_transcription(SPEECH, "en").body, delay=5))


def small_limit(gemini: FakeGemini) -> None:
    """Gemini takes less inline than this recording."""
    gemini.inline_limit = 8_000


def guide_types(gemini: FakeGemini) -> None:
    """Gemini reads only the types its audio guide lists (no WebM)."""
    gemini.audio_types = GEMINI_GUIDE_AUDIO_TYPES


REFUSALS = [
    # (what, set-up, status, words of the message)
    ("too large for Gemini", small_limit, 413, "too large for the transcription service"),
    ("type Gemini refuses", guide_types, 415, "cannot read this kind of recording"),
    ("no reply in time", slow, 503, "not answering"),
]


@pytest.mark.parametrize(
    ("setup", "status", "words"),
    [case[1:] for case in REFUSALS],
    ids=[case[0] for case in REFUSALS],
)
def test_a_recording_gemini_cannot_take_is_explained_and_nothing_is_lost(
    logged_in, session, gemini, setup, status, words
):
    """Each refusal has its own status and advice, on the transcribe and the answer route; the
    typed draft survives, the question is still open and no answer is stored."""
    setup(gemini)
    question = current(session)
    logged_in.post(
        f"/session/{session.id}/draft", data={"question_id": question.id, "answer": "My draft."}
    )
    for route in ("transcribe", "answer"):
        if setup is slow:
            slow(gemini)
        response = send(logged_in, session, route, make_webm(9.0))
        assert response.status_code == status, (route, response.get_json())
        assert words in response.get_json()["message"]
    kept = current(session)
    assert kept.id == question.id and kept.answer_text is None
    assert kept.draft_text == "My draft."


def test_the_chinese_message_is_translated(app, logged_in, user, gemini):
    """A Chinese interview gets the refusal in Chinese."""
    guide_types(gemini)
    session = make_session(user, language="zh")
    response = send(logged_in, session, "transcribe", make_webm(9.0))
    assert response.status_code == 415
    assert "转写服务" in response.get_json()["message"]
