"""Speech to text behind the AI layer: the audio clip, the transcript with its timed segments,
the `Transcriber` interface every engine implements, and the configured engines.

An engine makes exactly one call per `transcribe` and reports failures as the app's AI errors;
the router (`Router.run_call`) owns timeouts, retries, fallback and the ai_calls rows, as it does
for the text tasks. `TRANSCRIBE_PROVIDER` names the engine: ``openai_compatible`` (a
``/audio/transcriptions`` server), ``gemini`` (the audio sent inline with GEMINI_API_KEY) or
``local`` (faster-whisper with a model directory, ``pip install .[voice]``).
Unset means no voice input: `build_transcribers` gives no engine and the interview page offers
typing only.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.ai.errors import Rejected
from app.ai.providers.base import Backend, CallUsage

# The HTTP statuses of an engine's refusal of the clip itself (as sent or as the service answers),
# which the interview turns into advice: record a shorter answer, in another browser, or type.
AUDIO_TOO_LARGE, AUDIO_TYPE_REFUSED, AUDIO_LANGUAGE_REFUSED = 413, 415, 422


@dataclass(frozen=True)
class AudioClip:
    """An uploaded recording whose type was read from its bytes (see app.interview.audio)."""

    data: bytes
    mime: str  # e.g. audio/webm
    extension: str  # e.g. webm: servers read the type from the file name
    duration_s: float | None = None  # from the container header, when it says


@dataclass(frozen=True)
class Segment:
    """A stretch of speech with its start and end in seconds from the start of the clip."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Transcript:
    """What was said, in which language, how long the clip was, and the timed segments."""

    text: str
    language: str | None
    duration_s: float
    segments: tuple[Segment, ...]


def audio_refused(message: str, status: int) -> Rejected:
    """An engine's refusal of this recording (one of the statuses above, or 400 for audio it
    cannot decode), which retrying cannot change."""
    error = Rejected(message)
    error.status = status
    return error


class Transcriber(Backend, ABC):
    """A speech-to-text engine."""

    @abstractmethod
    def transcribe(
        self, clip: AudioClip, *, language: str | None, timeout: float, usage: CallUsage
    ) -> Transcript:
        """Make one call and return the transcript, or raise an `AIError`."""


def _openai_compatible(config: Mapping[str, Any]) -> Transcriber:
    from app.ai.providers.openai_transcribe import OpenAICompatTranscriber

    return OpenAICompatTranscriber.from_config(config)


def _gemini(config: Mapping[str, Any]) -> Transcriber:
    from app.ai.providers.gemini_transcribe import GeminiTranscriber

    return GeminiTranscriber.from_config(config)


def _local(config: Mapping[str, Any]) -> Transcriber:
    from app.ai.providers.local_transcribe import LocalTranscriber

    return LocalTranscriber.from_config(config)


ENGINES: dict[str, Callable[[Mapping[str, Any]], Transcriber]] = {
    "openai_compatible": _openai_compatible,
    "gemini": _gemini,
    "local": _local,
}


def engine_name(config: Mapping[str, Any]) -> str:
    """TRANSCRIBE_PROVIDER, lower-cased; empty when voice input is off."""
    return str(config.get("TRANSCRIBE_PROVIDER", "") or "").strip().lower()


def voice_enabled(config: Mapping[str, Any]) -> bool:
    """Whether an engine is configured, so the page may offer recording."""
    return engine_name(config) in ENGINES


def build_transcribers(config: Mapping[str, Any]) -> list[Transcriber]:
    """The configured engine (a list, so the router can fall back once more engines exist)."""
    name = engine_name(config)
    if not name:
        return []
    if name not in ENGINES:
        raise ValueError(
            f"TRANSCRIBE_PROVIDER is {name!r}; this version supports {', '.join(ENGINES)}"
        )
    return [ENGINES[name](config)]
