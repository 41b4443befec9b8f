"""A fake OpenAI-compatible speech-to-text server: ``POST <prefix>/audio/transcriptions``.

It speaks the real wire format (multipart/form-data in; ``json``, ``text`` or ``verbose_json``
out, verbose_json with ``task``, ``language``, ``duration``, ``text``, ``segments`` and ``usage``)
and is as strict as the real service: a Bearer key (checked when `key` is set), a served model
(else 404 ``model_not_found``), only the documented form fields, ``timestamp_granularities[]``
only with verbose_json, a ``file`` whose name has a supported extension and whose bytes are that
kind of audio, at most 25 MB. The transcript it returns is scripted as timed segments.
"""

from __future__ import annotations

import email.policy
import math
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.parser import BytesParser
from typing import Any

from tests.support.fake_servers import FakeServer, Received, Reply, openai_error

SUPPORTED = ("flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm")
FORMATS = ("json", "text", "srt", "verbose_json", "vtt")
FIELDS = {
    "file",
    "model",
    "language",
    "prompt",
    "response_format",
    "temperature",
    "timestamp_granularities[]",
    "chunking_strategy",
    "include[]",
    "stream",
}
MAX_BYTES = 25 * 1024 * 1024
# How each supported container starts (MP4/M4A: "ftyp" at byte 4; MP3: an ID3 tag or a frame sync).
_MAGIC = {
    "wav": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WAVE",
    "webm": lambda b: b[:4] == b"\x1a\x45\xdf\xa3",
    "ogg": lambda b: b[:4] == b"OggS",
    "oga": lambda b: b[:4] == b"OggS",
    "flac": lambda b: b[:4] == b"fLaC",
    "mp3": lambda b: b[:3] == b"ID3" or (len(b) > 1 and b[0] == 0xFF and b[1] & 0xE0 == 0xE0),
    "mp4": lambda b: b[4:8] == b"ftyp",
    "m4a": lambda b: b[4:8] == b"ftyp",
}


@dataclass
class Upload:
    """The multipart request as the server understood it."""

    fields: dict[str, str] = field(default_factory=dict)
    filename: str = ""
    file_type: str = ""
    audio: bytes = b""


def parse_multipart(received: Received) -> Upload | None:
    """The form fields and file of a multipart/form-data body, or None if it is not one."""
    content_type = received.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        return None
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=email.policy.HTTP).parsebytes(head + received.raw)
    if not message.is_multipart():
        return None
    upload = Upload()
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if name == "file":
            upload.filename = part.get_filename() or ""
            upload.file_type = part.get_content_type()
            upload.audio = payload
        elif isinstance(name, str):
            upload.fields[name] = payload.decode("utf-8")
    return upload


def wav_duration(audio: bytes) -> float | None:
    """Seconds of a PCM WAV file, from its fmt and data chunks."""
    if not _MAGIC["wav"](audio):
        return None
    index, rate, block = 12, 0, 0
    while index + 8 <= len(audio):
        chunk, size = audio[index : index + 4], struct.unpack("<I", audio[index + 4 : index + 8])[0]
        if chunk == b"fmt ":
            rate = struct.unpack("<I", audio[index + 12 : index + 16])[0]
            block = struct.unpack("<H", audio[index + 20 : index + 22])[0]
        if chunk == b"data" and rate and block:
            return min(size, len(audio) - index - 8) / (rate * block)
        index += 8 + size + (size & 1)
    return None


class FakeTranscription(FakeServer):
    """`segments`: the scripted speech as (start, end, text); `language`: what it reports."""

    def __init__(
        self,
        prefix: str = "/v1",
        *,
        key: str | None = "sk-test-audio",
        models: Iterable[str] = ("whisper-1",),
        segments: Iterable[tuple[float, float, str]] = (),
        language: str = "english",
    ) -> None:
        super().__init__()
        self.prefix = prefix
        self.key = key
        self.models = set(models)
        self.segments = list(segments)
        self.language = language
        self.uploads: list[Upload] = []

    @property
    def base_url(self) -> str:
        """What TRANSCRIBE_BASE_URL is set to."""
        return self.url + self.prefix

    def _next_reply(self, received: Received) -> Reply:
        """Refuse what the real service refuses before any scripted reply is used."""
        upload = parse_multipart(received)
        refusal = self.refusal(received, upload)
        if refusal:
            return refusal
        assert upload is not None
        self.uploads.append(upload)
        return super()._next_reply(received)

    def refusal(self, received: Received, upload: Upload | None) -> Reply | None:
        """404 route, 401 key, 400 body, 404 model, 413 size: in the order the API checks."""
        if received.path != f"{self.prefix}/audio/transcriptions":
            return openai_error(404, "no such route")
        if self.key is not None and received.headers.get("authorization") != f"Bearer {self.key}":
            return openai_error(401, "Incorrect API key provided.")
        if upload is None:
            return openai_error(400, "Could not parse multipart form")
        if len(received.raw) > MAX_BYTES:
            return openai_error(413, "Maximum content size limit (26214400) exceeded.")
        problem = self.form_problem(upload)
        if problem:
            return openai_error(400, problem)
        model = upload.fields["model"]
        if model not in self.models:
            reply = openai_error(404, f"The model `{model}` does not exist.")
            reply.body["error"]["code"] = "model_not_found"
            return reply
        return None

    @staticmethod
    def form_problem(upload: Upload) -> str | None:
        """What the API says about a malformed form, or None."""
        unknown = sorted(set(upload.fields) - FIELDS)
        if unknown:
            return f"Unrecognized request argument supplied: {unknown[0]}"
        if not upload.filename:
            return "1 validation error: file: Field required"
        if "model" not in upload.fields:
            return "1 validation error: model: Field required"
        fmt = upload.fields.get("response_format", "json")
        if fmt not in FORMATS:
            return f"Invalid value for response_format: {fmt}"
        if "timestamp_granularities[]" in upload.fields and fmt != "verbose_json":
            return "timestamp_granularities requires response_format=verbose_json"
        language = upload.fields.get("language")
        if language is not None and (len(language) != 2 or not language.isalpha()):
            return f"Invalid language '{language}'. Language parameter must be ISO-639-1 format."
        extension = upload.filename.rsplit(".", 1)[-1].lower()
        if extension not in SUPPORTED:
            return f"Invalid file format. Supported formats: {list(SUPPORTED)}"
        check = _MAGIC.get(extension)
        if check is not None and not check(upload.audio):
            return "Audio file might be corrupted or unsupported"
        return None

    def default_reply(self, received: Received) -> Reply:
        """The scripted segments in the format asked for."""
        upload = self.uploads[-1]
        text = " ".join(t.strip() for _, _, t in self.segments)
        fmt = upload.fields.get("response_format", "json")
        if fmt == "text":
            return Reply(text)
        if fmt != "verbose_json":
            return Reply({"text": text})
        return Reply(self.verbose_json(upload, text))

    def verbose_json(self, upload: Upload, text: str) -> dict[str, Any]:
        """The verbose_json body: the clip's real length (WAV) or the speech's end."""
        ends = [end for _, end, _ in self.segments]
        duration = wav_duration(upload.audio) or (max(ends) if ends else 0.0)
        return {
            "task": "transcribe",
            "language": self.language,
            "duration": round(duration, 2),
            "text": text,
            "segments": [
                {
                    "id": n,
                    "seek": 0,
                    "start": start,
                    "end": end,
                    "text": " " + words.strip(),
                    "tokens": [50364 + n],
                    "temperature": 0.0,
                    "avg_logprob": -0.2,
                    "compression_ratio": 1.3,
                    "no_speech_prob": 0.01,
                }
                for n, (start, end, words) in enumerate(self.segments)
            ],
            "usage": {"type": "duration", "seconds": math.ceil(duration)},
        }
