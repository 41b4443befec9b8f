"""WebM and Ogg lengths read from the container, so an over-long browser recording is refused
before it is sent to be transcribed; a file the readers cannot follow is left to the engine."""

from __future__ import annotations

import pytest

from app.interview.containers import ogg_seconds, webm_seconds
from app.models import InterviewSession
from tests.conftest import JSON
from tests.fixtures.audio import OGG_START, WEBM_START, make_ogg_opus, make_webm
from tests.support.sessions import make_session
from tests.voice.conftest import upload


@pytest.mark.parametrize("seconds", [0.5, 9.0, 61.3])
def test_a_mediarecorder_webm_measures_to_its_last_block(seconds):
    """Chromium writes no Duration: the latest block's time is the length."""
    assert webm_seconds(make_webm(seconds)) == pytest.approx(seconds, abs=0.021)


def test_a_webm_duration_element_counts_when_it_says_more():
    """A Duration in the segment info (a finished file) is taken when longer than the blocks."""
    assert webm_seconds(make_webm(2.0, duration_ms=30_000.0)) == pytest.approx(30.0)


@pytest.mark.parametrize("seconds", [0.5, 9.0, 61.3])
def test_an_ogg_opus_measures_to_its_last_granule(seconds):
    """Firefox's Ogg Opus: the last page's granule position, less the pre-skip, at 48 kHz."""
    assert ogg_seconds(make_ogg_opus(seconds)) == pytest.approx(seconds, abs=0.001)


@pytest.mark.parametrize("cut", [4, 37, 100, 1_000, -3])
def test_a_truncated_or_odd_file_never_raises(cut):
    """Any prefix of a file, or bytes that only start like one, gives a length or None."""
    for data in (make_webm(3.0), make_ogg_opus(3.0), WEBM_START, OGG_START, b"\x1a\x45\xdf\xa3"):
        for reader in (webm_seconds, ogg_seconds):
            result = reader(data[:cut])
            assert result is None or result >= 0


@pytest.mark.parametrize(
    ("audio", "name"),
    [(make_webm(25.0), "a.webm"), (make_ogg_opus(25.0), "a.ogg")],
    ids=["webm", "ogg"],
)
def test_an_over_long_browser_recording_is_refused_before_transcription(
    logged_in, user, transcriber, audio, name
):
    """Over AUDIO_MAX_SECONDS (20 here): 413 saying the limit, and the engine never hears it;
    the same kind of file under the limit is transcribed."""
    session: InterviewSession = make_session(user)
    question = session.questions[0]
    response = logged_in.post(
        f"/session/{session.id}/transcribe",
        data=upload(audio, name, question_id=question.id),
        headers=JSON,
    )
    assert response.status_code == 413 and "limit is 20" in response.get_json()["message"]
    assert transcriber.uploads == []
    short = make_webm(9.0) if name == "a.webm" else make_ogg_opus(9.0)
    response = logged_in.post(
        f"/session/{session.id}/transcribe",
        data=upload(short, name, question_id=question.id),
        headers=JSON,
    )
    assert response.status_code == 200 and len(transcriber.uploads) == 1
