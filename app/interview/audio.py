"""Checks on a recorded answer before and after it is transcribed: its size, its type read from
its bytes (never from the name or the browser's claim), its length, and whether anything was
said. Each refusal is a `ValidationFailed` in the session's language that says what to do; the
typed answer is never touched by any of them.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from flask import current_app
from werkzeug.datastructures import FileStorage

from app.ai.transcription import AudioClip, Transcript
from app.errors import ValidationFailed
from app.i18n import translate
from app.interview.containers import ogg_seconds, webm_seconds

# (extension, MIME type, test on the first bytes). MP4/M4A carry "ftyp" at byte 4; MP3 starts
# with an ID3 tag or an MPEG frame sync (eleven set bits).
KINDS: tuple[tuple[str, str, Callable[[bytes], bool]], ...] = (
    ("wav", "audio/wav", lambda b: b[:4] == b"RIFF" and b[8:12] == b"WAVE"),
    ("webm", "audio/webm", lambda b: b[:4] == b"\x1a\x45\xdf\xa3"),
    ("ogg", "audio/ogg", lambda b: b[:4] == b"OggS"),
    ("mp4", "audio/mp4", lambda b: b[4:8] == b"ftyp"),
    ("mp3", "audio/mpeg", lambda b: b[:3] == b"ID3" or (b[:1] == b"\xff" and b[1:2] >= b"\xe0")),
)
# Length read from the container where pure Python can (None: the engine's reply tells).
CONTAINER_LENGTH: dict[str, Callable[[bytes], float | None]] = {
    "webm": webm_seconds,
    "ogg": ogg_seconds,
}
# A WAV whose loudest sample stays under this (of 32,767) holds no speech worth sending.
SILENCE_PEAK = 300


def sniff(data: bytes) -> tuple[str, str] | None:
    """(extension, MIME type) of the audio container `data` starts with, or None."""
    return next(((ext, mime) for ext, mime, test in KINDS if test(data[:16])), None)


def read_recording(upload: FileStorage, language: str) -> AudioClip:
    """The uploaded recording as a clip, or a clear refusal: empty, too large, not audio,
    a broken or silent WAV, or longer than AUDIO_MAX_SECONDS."""
    limit = int(current_app.config["AUDIO_MAX_BYTES"])
    data = upload.stream.read(limit + 1)
    if not data:
        raise ValidationFailed(translate("The recording is empty. Record again.", language))
    if len(data) > limit:
        megabytes = f"{limit / 1_048_576:g}"
        raise ValidationFailed(
            translate(
                "The recording is over {mb} MB. Record a shorter answer, or type it.",
                language,
                mb=megabytes,
            ),
            status=413,
        )
    kind = sniff(data)
    if kind is None:
        raise ValidationFailed(
            translate(
                "That file is not a recording we can read (WebM, Ogg, WAV, MP3 or MP4 audio).",
                language,
            ),
            status=415,
        )
    clip = AudioClip(data, kind[1], kind[0], None)
    if kind[0] == "wav":
        clip = check_wav(clip, language)
    elif kind[0] in CONTAINER_LENGTH:  # what MediaRecorder writes
        clip = AudioClip(data, kind[1], kind[0], CONTAINER_LENGTH[kind[0]](data))
    check_length(clip.duration_s, language)
    return clip


def check_wav(clip: AudioClip, language: str) -> AudioClip:
    """A WAV's length from its header, refusing a broken header or a recording with no sound."""
    found = wav_samples(clip.data)
    if found is None:
        raise ValidationFailed(
            translate("The recording is damaged and cannot be played. Record again.", language)
        )
    seconds, peak = found
    if peak is not None and peak < SILENCE_PEAK:
        raise ValidationFailed(no_speech(language))
    return AudioClip(clip.data, clip.mime, clip.extension, seconds)


def wav_samples(data: bytes) -> tuple[float, int | None] | None:
    """(seconds, loudest 16-bit sample or None for other sample sizes) of a PCM WAV, or None
    when its chunks do not add up."""
    index, rate, block, bits = 12, 0, 0, 0
    while index + 8 <= len(data):
        chunk = data[index : index + 4]
        size = struct.unpack("<I", data[index + 4 : index + 8])[0]
        if chunk == b"fmt " and size >= 16:
            rate = struct.unpack("<I", data[index + 12 : index + 16])[0]
            block, bits = struct.unpack("<HH", data[index + 20 : index + 24])
        elif chunk == b"data" and rate and block:
            body = data[index + 8 : index + 8 + size]
            if not body:
                return None
            peak = None
            if bits == 16:
                samples = memoryview(body[: len(body) // 2 * 2]).cast("h")
                peak = max((abs(s) for s in samples), default=0)
            return len(body) / (rate * block), peak
        index += 8 + size + (size & 1)
    return None


def check_length(seconds: float | None, language: str) -> None:
    """Refuse a recording longer than AUDIO_MAX_SECONDS (with a second's grace)."""
    limit = int(current_app.config["AUDIO_MAX_SECONDS"])
    if seconds is not None and seconds > limit + 1:
        raise ValidationFailed(
            translate(
                "The recording is {seconds} seconds long; the limit is {limit}. "
                "Record a shorter answer, or type it.",
                language,
                seconds=round(seconds),
                limit=limit,
            ),
            status=413,
        )


def check_transcript(transcript: Transcript, language: str) -> Transcript:
    """After transcription: the length the engine measured, and that something was said."""
    check_length(transcript.duration_s, language)
    if not transcript.text.strip():
        raise ValidationFailed(no_speech(language))
    return transcript


def no_speech(language: str) -> str:
    """The message for a recording with nothing said in it."""
    return translate(
        "No speech was heard in the recording. Check the microphone and record again, "
        "or type your answer.",
        language,
    )
