"""An app whose transcription engine is the strict fake OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ai.fake_transcription import FakeTranscription

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
