"""Gemini as a transcription engine against the strict fake generateContent server: the audio
goes inline with its type, the JSON transcript comes back timed, and each refusal (too large, a
type Gemini does not read, no reply in time) is an error that says which."""

from __future__ import annotations

import pytest

from app.ai.errors import InvalidOutput, Rejected, TimedOut
from app.ai.providers.base import CallUsage
from app.ai.providers.gemini_transcribe import GeminiTranscriber, inline_size
from app.ai.transcription import (
    AUDIO_TOO_LARGE,
    AUDIO_TYPE_REFUSED,
    AudioClip,
    build_transcribers,
)
from tests.fixtures.audio import make_ogg_opus, make_wav, make_webm
from tests.support.fake_servers import (
    GEMINI_GUIDE_AUDIO_TYPES,
    FakeGemini,
    Reply,
    gemini_reply,
    gemini_transcription,
)

SPEECH = [(0.4, 2.1, "I added an index"), (3.9, 5.0, "on the customer id.")]


@pytest.fixture
def server():
    """A fake Gemini API that transcribes any accepted recording as `SPEECH`."""
    fake = FakeGemini(key="g-key", speech=SPEECH).start()
    yield fake
    fake.stop()


def engine_for(server: FakeGemini, **overrides) -> GeminiTranscriber:
    """The engine pointed at the fake."""
    settings = {"api_key": "g-key", "model": "gemini-3.8-flash", "base_url": server.url}
    return GeminiTranscriber(**{**settings, **overrides})


def transcribe(engine: GeminiTranscriber, clip: AudioClip, timeout: float = 5):
    """One call as the router makes it."""
    return engine.transcribe(clip, language="en", timeout=timeout, usage=CallUsage())


def wav_clip(seconds: float = 6.0) -> AudioClip:
    """A WAV clip as the upload checks hand it on."""
    return AudioClip(make_wav(seconds), "audio/wav", "wav", seconds)


def test_the_audio_goes_inline_and_the_timed_transcript_comes_back(server):
    """One generateContent call carries the exact bytes with their type and asks for the
    Transcription schema; the reply's text, language and segments become the transcript."""
    clip = wav_clip()
    usage = CallUsage()
    found = engine_for(server).transcribe(clip, language="en", timeout=5, usage=usage)
    assert found.text == "I added an index on the customer id."
    assert found.language == "en" and found.duration_s == pytest.approx(6.0)
    assert [(s.start, s.end) for s in found.segments] == [(0.4, 2.1), (3.9, 5.0)]
    assert server.audio_received() == [("audio/wav", clip.data)]
    (sent,) = server.received
    assert sent.path == "/v1beta/models/gemini-3.8-flash:generateContent"
    config = sent.body["generationConfig"]
    assert config["responseSchema"]["title"] == "Transcription"
    assert config["responseMimeType"] == "application/json"
    audio, ask = sent.body["contents"][0]["parts"]
    assert "inlineData" in audio or "inline_data" in audio
    assert "including filler words" in ask["text"]  # a count of fillers needs them kept
    assert usage.prompt_tokens == 10


@pytest.mark.parametrize(
    ("data", "mime", "ext"),
    [(make_webm(4.0), "audio/webm", "webm"), (make_ogg_opus(4.0), "audio/ogg", "ogg")],
    ids=["webm", "ogg"],
)
def test_browser_recordings_are_sent_as_they_are(server, data, mime, ext):
    """What MediaRecorder writes goes inline unchanged, with the type read from its bytes."""
    transcribe(engine_for(server), AudioClip(data, mime, ext, 4.0))
    assert server.audio_received() == [(mime, data)]


def test_mp3_is_sent_under_the_name_gemini_documents(server):
    """The sniffed audio/mpeg goes as audio/mp3."""
    data = b"ID3" + b"\x00" * 64
    transcribe(engine_for(server), AudioClip(data, "audio/mpeg", "mp3", None))
    assert server.audio_received() == [("audio/mp3", data)]


def test_times_outside_the_measured_clip_are_not_believed(server):
    """Segments past the clip's measured end are cut or dropped; the text keeps every word."""
    server.speech = [(0.5, 2.0, "first"), (3.0, 9.0, "runs over"), (8.0, 9.0, "after the end")]
    found = transcribe(engine_for(server), wav_clip(6.0))
    assert [(s.start, s.end) for s in found.segments] == [(0.5, 2.0), (3.0, 6.0)]
    assert found.text == "first runs over after the end" and found.duration_s == 6.0


def test_a_clip_over_the_inline_limit_is_refused_before_sending(server):
    """Over the limit the engine says so as AUDIO_TOO_LARGE and the API is never asked."""
    clip = wav_clip(6.0)
    with pytest.raises(Rejected) as caught:
        transcribe(engine_for(server, inline_limit=inline_size(clip) - 1), clip)
    assert caught.value.status == AUDIO_TOO_LARGE and not caught.value.retryable
    assert server.received == []


def test_the_apis_own_size_refusal_reads_the_same(server):
    """A server with a lower limit than the engine assumes answers 400; it reads as too large."""
    server.inline_limit = 10_000
    with pytest.raises(Rejected) as caught:
        transcribe(engine_for(server), wav_clip(6.0))
    assert caught.value.status == AUDIO_TOO_LARGE
    assert "payload size exceeds" in str(caught.value)


def test_a_type_gemini_does_not_read_is_refused_before_sending(server):
    """A container outside Gemini's audio types is AUDIO_TYPE_REFUSED without a call."""
    with pytest.raises(Rejected) as caught:
        transcribe(engine_for(server), AudioClip(b"#!AMR\n" * 10, "audio/amr", "amr", None))
    assert caught.value.status == AUDIO_TYPE_REFUSED and server.received == []


def test_the_apis_own_type_refusal_reads_the_same(server):
    """A server keeping to the audio guide's shorter list refuses WebM: AUDIO_TYPE_REFUSED."""
    server.audio_types = GEMINI_GUIDE_AUDIO_TYPES
    with pytest.raises(Rejected) as caught:
        transcribe(engine_for(server), AudioClip(make_webm(3.0), "audio/webm", "webm", 3.0))
    assert caught.value.status == AUDIO_TYPE_REFUSED
    assert "Unsupported MIME type: audio/webm" in str(caught.value)


def test_no_reply_in_time_is_a_timeout(server):
    """A hanging API is TimedOut (retryable), not a crash."""
    server.queue(Reply(gemini_transcription(SPEECH, "en").body, delay=5))
    with pytest.raises(TimedOut):
        transcribe(engine_for(server), wav_clip(), timeout=1)


def test_a_reply_that_is_not_the_schema_is_invalid_output(server):
    """Prose instead of the JSON transcript is InvalidOutput, never a transcript."""
    server.queue(gemini_reply("Sure! The speaker says they added an index."))
    with pytest.raises(InvalidOutput):
        transcribe(engine_for(server), wav_clip())


def test_the_fake_refuses_what_the_api_refuses():
    """The fake's checks are real: no MIME type, bad base64 and an unknown type are 400s."""
    from tests.support.fake_servers import inline_problem

    def body(part):
        return {"contents": [{"parts": [part]}]}

    types = GEMINI_GUIDE_AUDIO_TYPES
    assert "mime_type is empty" in inline_problem(body({"inlineData": {"data": "AAAA"}}), types)
    bad = body({"inline_data": {"mime_type": "audio/wav", "data": "not base64!"}})
    assert "Base64 decoding failed" in inline_problem(bad, types)
    webm = body({"inlineData": {"mimeType": "audio/webm", "data": "AAAA"}})
    assert inline_problem(webm, types) == "Unsupported MIME type: audio/webm"
    assert (
        inline_problem(body({"inlineData": {"mimeType": "audio/wav", "data": "-_8="}}), types)
        is None
    )


def test_the_setting_selects_gemini_with_its_key_and_model():
    """TRANSCRIBE_PROVIDER=gemini uses GEMINI_API_KEY; TRANSCRIBE_MODEL overrides GEMINI_MODEL;
    without a key the app refuses to start."""
    config = {"TRANSCRIBE_PROVIDER": "gemini", "GEMINI_API_KEY": "g", "GEMINI_MODEL": "gemini-x"}
    (engine,) = build_transcribers(config)
    assert engine.name == "gemini" and engine.model == "gemini-x"
    (engine,) = build_transcribers({**config, "TRANSCRIBE_MODEL": "gemini-y"})
    assert engine.model == "gemini-y"
    with pytest.raises(ValueError, match="GEMINI_API_KEY"):
        build_transcribers({"TRANSCRIBE_PROVIDER": "gemini"})
