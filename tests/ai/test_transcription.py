"""Speech to text through the AI layer: the OpenAI-compatible client on the real wire format,
and the router's retries, fallback errors and ai_calls rows for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.ai.errors import AllProvidersFailed, ModelNotFound, Rejected
from app.ai.providers.base import CallUsage
from app.ai.providers.openai_transcribe import OpenAICompatTranscriber
from app.ai.router import Router, RouterSettings
from app.ai.transcription import AudioClip, build_transcribers, voice_enabled
from tests.fixtures.audio import WEBM_START, make_wav
from tests.support.fake_servers import openai_error
from tests.support.fake_transcription import FakeTranscription

SPEECH = [(0.4, 2.1, "I added an index"), (3.9, 5.0, "on the customer id.")]


@pytest.fixture
def server() -> Iterator[FakeTranscription]:
    """A strict fake transcription server with two scripted segments."""
    fake = FakeTranscription(segments=SPEECH).start()
    yield fake
    fake.stop()


def engine_for(server: FakeTranscription, **overrides: str) -> OpenAICompatTranscriber:
    """A client configured for the fake, with any setting overridden."""
    settings = {"base_url": server.base_url, "model": "whisper-1", "api_key": "sk-test-audio"}
    return OpenAICompatTranscriber(**{**settings, **overrides})


def wav_clip(seconds: float = 6.0) -> AudioClip:
    """A WAV clip as the upload checks would hand it on."""
    return AudioClip(make_wav(seconds), "audio/wav", "wav", seconds)


def test_transcript_carries_text_language_duration_and_timed_segments(server):
    """The multipart request is accepted by the strict server and its verbose_json is read."""
    usage = CallUsage()
    found = engine_for(server).transcribe(wav_clip(), language="en", timeout=5, usage=usage)
    assert found.text == "I added an index on the customer id."
    assert found.language == "en"  # whisper-1 says "english"
    assert found.duration_s == pytest.approx(6.0)
    assert [(s.start, s.end) for s in found.segments] == [(0.4, 2.1), (3.9, 5.0)]
    sent = server.uploads[-1]
    assert sent.fields["response_format"] == "verbose_json"
    assert sent.fields["language"] == "en"
    assert sent.filename == "answer.wav" and sent.audio == wav_clip().data


def test_a_wrong_key_is_a_rejection_not_a_retry(server):
    """401 from the server is Rejected: asking again with the same key cannot help."""
    with pytest.raises(Rejected) as caught:
        engine_for(server, api_key="sk-wrong").transcribe(
            wav_clip(), language="en", timeout=5, usage=CallUsage()
        )
    assert caught.value.status == 401 and not caught.value.retryable


def test_an_unserved_model_names_the_setting(server):
    """A model the server does not have is ModelNotFound, naming the model."""
    with pytest.raises(ModelNotFound, match="whisper-9"):
        engine_for(server, model="whisper-9").transcribe(
            wav_clip(), language="en", timeout=5, usage=CallUsage()
        )


def test_bytes_that_are_not_the_named_type_are_refused(server):
    """The strict server reads the file's bytes: WebM bytes named .wav are refused (400)."""
    clip = AudioClip(WEBM_START, "audio/wav", "wav")
    with pytest.raises(Rejected, match="corrupted or unsupported"):
        engine_for(server).transcribe(clip, language="en", timeout=5, usage=CallUsage())


def test_the_router_retries_a_busy_server_and_records_every_call(server):
    """A 503 is retried like a text task's, and both calls become ai_calls records."""
    server.queue(openai_error(503, "overloaded"))
    records: list = []
    router = Router([], RouterSettings(), sleep=lambda s: None, recorder=records.append)
    engine = engine_for(server)
    result = router.run_call(
        "transcribe_audio",
        [engine],
        lambda e, timeout, usage: e.transcribe(
            wav_clip(), language="en", timeout=timeout, usage=usage
        ),
    )
    assert result.value.text.startswith("I added") and result.attempts == 2
    assert [(r.task, r.outcome) for r in records] == [
        ("transcribe_audio", "unavailable"),
        ("transcribe_audio", "ok"),
    ]


def test_no_engine_configured_fails_without_a_call():
    """With no engine the router reports every provider failed, naming none."""
    router = Router([], RouterSettings(), sleep=lambda s: None)
    with pytest.raises(AllProvidersFailed, match="none configured"):
        router.run_call("transcribe_audio", [], lambda e, t, u: None)


@pytest.mark.parametrize(
    ("config", "enabled"),
    [
        ({}, False),
        ({"TRANSCRIBE_PROVIDER": ""}, False),
        ({"TRANSCRIBE_PROVIDER": "gemini"}, True),
        ({"TRANSCRIBE_PROVIDER": "local"}, True),
        ({"TRANSCRIBE_PROVIDER": "whisper"}, False),
        ({"TRANSCRIBE_PROVIDER": "OpenAI_Compatible"}, True),
    ],
)
def test_voice_is_on_only_for_a_supported_engine(config, enabled):
    """Recording is offered only when TRANSCRIBE_PROVIDER names an engine this version has."""
    assert voice_enabled(config) is enabled


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"TRANSCRIBE_PROVIDER": "whisper"}, "supports openai_compatible, gemini, local"),
        ({"TRANSCRIBE_PROVIDER": "openai_compatible"}, "TRANSCRIBE_BASE_URL"),
    ],
)
def test_a_half_configured_engine_says_what_is_missing(config, message):
    """An unknown engine or a missing base URL/model is a configuration error naming the key."""
    with pytest.raises(ValueError, match=message):
        build_transcribers(config)


def test_a_crashing_engine_falls_back_to_the_next_one(server):
    """An engine that raises a bug is recorded once (not retried) and the next engine answers."""

    class Broken(OpenAICompatTranscriber):
        name = "broken"

        def transcribe(self, clip, *, language, timeout, usage):
            raise KeyError("segments")

    records: list = []
    router = Router([], RouterSettings(), sleep=lambda s: None, recorder=records.append)
    clip = wav_clip()
    result = router.run_call(
        "transcribe_audio",
        [Broken(base_url=server.base_url, model="whisper-1"), engine_for(server)],
        lambda e, timeout, usage: e.transcribe(clip, language="en", timeout=timeout, usage=usage),
    )
    assert result.provider == "openai_compatible" and result.fallback_used
    assert [(r.provider, r.outcome) for r in records] == [
        ("broken", "unavailable"),
        ("openai_compatible", "ok"),
    ]
