"""OpenAI-compatible speech to text: ``POST {base}/audio/transcriptions`` (multipart).

Serves OpenAI, Groq, faster-whisper-server/speaches, LocalAI and vLLM. The clip is sent as the
``file`` part with ``model``, ``response_format=verbose_json``, segment timestamps and the
session's language; the reply's ``text``, ``language``, ``duration`` and ``segments`` (start and
end in seconds) become a `Transcript`. HTTP errors map to the app's AI errors exactly as the chat
client maps them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.ai.errors import InvalidOutput, Unavailable
from app.ai.providers.base import CallUsage, error_for_status, parse_retry_after, post
from app.ai.providers.openai_compat import _error_message, classify_client_error
from app.ai.transcription import AudioClip, Segment, Transcriber, Transcript


class OpenAICompatTranscriber(Transcriber):
    """A ``/audio/transcriptions`` endpoint from TRANSCRIBE_BASE_URL, _MODEL and _API_KEY."""

    name = "openai_compatible"

    def __init__(self, *, base_url: str, model: str, api_key: str = "") -> None:
        self.base_url = base_url.strip().rstrip("/")
        self.model = model
        self._api_key = api_key

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> OpenAICompatTranscriber:
        """The engine from config; the base URL and model are required (ValueError)."""
        base_url = str(config.get("TRANSCRIBE_BASE_URL", "") or "").strip()
        model = str(config.get("TRANSCRIBE_MODEL", "") or "").strip()
        if not base_url or not model:
            raise ValueError(
                "TRANSCRIBE_PROVIDER=openai_compatible needs TRANSCRIBE_BASE_URL (e.g. "
                "https://api.openai.com/v1) and TRANSCRIBE_MODEL (e.g. whisper-1)"
            )
        return cls(base_url=base_url, model=model, api_key=config.get("TRANSCRIBE_API_KEY", ""))

    def form(self, language: str | None) -> dict[str, str]:
        """The multipart text fields beside the file."""
        fields = {
            "model": self.model,
            "response_format": "verbose_json",
            "timestamp_granularities[]": "segment",
        }
        if language:
            fields["language"] = language  # ISO-639-1, which improves accuracy and latency
        return fields

    def transcribe(
        self, clip: AudioClip, *, language: str | None, timeout: float, usage: CallUsage
    ) -> Transcript:
        """One multipart POST; the verbose_json reply parsed into a `Transcript`."""
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        resp, data = post(
            f"{self.base_url}/audio/transcriptions",
            timeout,
            data=self.form(language),
            files={"file": (f"answer.{clip.extension}", clip.data, clip.mime)},
            headers=headers,
        )
        if resp.status_code >= 400:
            if resp.status_code in (400, 404, 413, 422):
                raise classify_client_error(
                    self.name, self.model, resp.status_code, data, resp.text, "text"
                )
            retry_after = parse_retry_after(resp.headers.get("Retry-After"))
            raise error_for_status(resp.status_code, _error_message(data, resp.text), retry_after)
        if not isinstance(data, dict):
            raise Unavailable(f"HTTP {resp.status_code} with a body that is not JSON")
        record_audio_usage(data, usage)
        return parse_verbose_json(data, clip)


def parse_verbose_json(data: Mapping[str, Any], clip: AudioClip) -> Transcript:
    """The transcript in a verbose_json body; a body without text is invalid output."""
    text = data.get("text")
    if not isinstance(text, str):
        raise InvalidOutput("the transcription reply has no text")
    segments = []
    for item in data.get("segments") or []:
        try:
            start, end = float(item["start"]), float(item["end"])
        except (KeyError, TypeError, ValueError):
            continue  # a segment without times cannot be measured; its words stay in `text`
        if end >= start:
            segments.append(Segment(start, end, str(item.get("text", "")).strip()))
    duration = data.get("duration")
    if not isinstance(duration, int | float):
        duration = clip.duration_s or (segments[-1].end if segments else 0.0)
    return Transcript(
        text=text.strip(),
        language=language_code(data.get("language")),
        duration_s=float(duration),
        segments=tuple(segments),
    )


# whisper-1 names the language in English words; other servers give the ISO code.
_LANGUAGE_NAMES = {"english": "en", "chinese": "zh", "mandarin": "zh", "cantonese": "zh"}


def language_code(value: Any) -> str | None:
    """The reply's language as a short code (``english`` → ``en``), or None when absent."""
    if not isinstance(value, str) or not value.strip():
        return None
    word = value.strip().lower()
    return _LANGUAGE_NAMES.get(word, word.split("-")[0].split("_")[0])


def record_audio_usage(data: Mapping[str, Any], usage: CallUsage) -> None:
    """Token-billed models report ``usage: {type: tokens, input_tokens, output_tokens}``;
    duration-billed ones report seconds, which have no token column to go in."""
    block = data.get("usage")
    if isinstance(block, dict) and block.get("type") == "tokens":
        prompt, output = block.get("input_tokens"), block.get("output_tokens")
        usage.prompt_tokens = prompt if isinstance(prompt, int) else None
        usage.output_tokens = output if isinstance(output, int) else None
