"""Answering by voice: a recording becomes a transcript the candidate can correct, with its
delivery measured in code.

`transcribe_answer` checks the recording, transcribes it through the AI layer and measures the
delivery; it stores nothing (`SpokenAnswer.keep` keeps the audio when AUDIO_RETENTION_DAYS
asks for it). The delivery figures travel back with the answer form as a signed token
(`sign_delivery`/`read_delivery`), so the page can transcribe, let the candidate edit, and submit
text while the figures stored with the answer are still the server's own measurement.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from flask import current_app
from itsdangerous import BadSignature
from werkzeug.datastructures import FileStorage

from app.ai import tasks as ai
from app.ai.errors import AllProvidersFailed, Rejected
from app.ai.transcription import (
    AUDIO_LANGUAGE_REFUSED,
    AUDIO_TOO_LARGE,
    AUDIO_TYPE_REFUSED,
    AudioClip,
    Transcript,
    voice_enabled,
)
from app.errors import AppError, ValidationFailed
from app.i18n import translate
from app.interview.audio import check_transcript, read_recording
from app.interview.delivery import measure_delivery
from app.interview.recordings import keep_recording, recording_json
from app.interview.services import expected_question
from app.models import InterviewSession, Recording
from app.security import signer

DELIVERY_SALT = "interview-coach.delivery"
DELIVERY_TOKEN_MAX_AGE_S = 6 * 3600


@dataclass(frozen=True)
class SpokenAnswer:
    """A transcribed recording: its text and timing, and the delivery measured from them."""

    question_id: int
    transcript: Transcript
    delivery: dict[str, Any]
    clip: AudioClip | None = field(default=None, repr=False)
    # The kept recording, when AUDIO_RETENTION_DAYS keeps them (set by `keep`).
    recording: Recording | None = None

    def keep(self, session: InterviewSession) -> SpokenAnswer:
        """This answer with its recording kept, if the server keeps recordings."""
        if self.clip is None:
            return self
        kept = keep_recording(session, self.question_id, self.clip, self.transcript.duration_s)
        return replace(self, recording=kept)

    def as_json(self) -> dict[str, Any]:
        """The data of ``POST /session/<id>/transcribe``."""
        return {
            "recording": recording_json(self.recording) if self.recording else None,
            "question_id": self.question_id,
            "transcript": self.transcript.text,
            "language": self.transcript.language,
            "duration_s": round(self.transcript.duration_s, 2),
            "delivery": self.delivery,
            "delivery_token": sign_delivery(self.question_id, self.delivery),
        }


def require_voice(language: str) -> None:
    """Refuse audio when no transcription engine is configured (the page offers none then)."""
    if not voice_enabled(current_app.config):
        raise AppError(
            translate(
                "Answering by voice is not enabled on this server. Type your answer instead.",
                language,
            ),
            status=501,
        )


def transcribe_answer(
    session: InterviewSession, question_id: Any, upload: FileStorage
) -> SpokenAnswer:
    """Check, transcribe and measure a recorded answer to the current question; store nothing."""
    language = session.language
    require_voice(language)
    question = expected_question(session, question_id)
    clip = read_recording(upload, language)
    try:
        result = ai.transcribe_audio(clip, language)
    except AllProvidersFailed as error:
        raise transcription_failed(error, language) from error
    transcript = check_transcript(result.value, language)
    return SpokenAnswer(question.id, transcript, measure_delivery(transcript, language), clip)


def transcription_failed(error: AllProvidersFailed, language: str) -> AppError:
    """What to tell the candidate when no engine produced a transcript."""
    statuses = {e.status for _, e in error.failures if isinstance(e, Rejected)}
    if AUDIO_TOO_LARGE in statuses:  # over what the engine takes in one request
        return ValidationFailed(
            translate(
                "The recording is too large for the transcription service. Record a shorter "
                "answer, or type it.",
                language,
            ),
            status=413,
        )
    if AUDIO_TYPE_REFUSED in statuses:  # a container this engine does not read
        return ValidationFailed(
            translate(
                "The transcription service cannot read this kind of recording. Record in "
                "another browser, or type your answer.",
                language,
            ),
            status=415,
        )
    if AUDIO_LANGUAGE_REFUSED in statuses:  # e.g. an English-only local model
        return ValidationFailed(
            translate(
                "Answers in this interview's language cannot be transcribed on this server. "
                "Type your answer instead.",
                language,
            ),
            status=422,
        )
    if 400 in statuses:  # the engine could not decode the audio it was sent
        return ValidationFailed(
            translate(
                "The recording could not be read as audio. Record again, or type your answer.",
                language,
            )
        )
    busy = AppError(
        translate(
            "The transcription service is not answering right now. Your typed answer is kept; "
            "try recording again in a moment, or type your answer.",
            language,
        ),
        status=503,
    )
    busy.retry_after = "10"
    return busy


def sign_delivery(question_id: int, delivery: dict[str, Any]) -> str:
    """A token carrying the measured delivery for one question, which the client cannot alter."""
    return signer(DELIVERY_SALT).dumps({"q": question_id, "d": delivery})


def read_delivery(token: str | None, question_id: Any) -> dict[str, Any] | None:
    """The delivery in a token signed for this question, or None (absent, altered, expired or
    for another question: the answer is stored without delivery figures, never refused)."""
    if not token:
        return None
    try:
        data = signer(DELIVERY_SALT).loads(token, max_age=DELIVERY_TOKEN_MAX_AGE_S)
    except BadSignature:
        return None
    if not isinstance(data, dict) or str(data.get("q")) != str(question_id):
        return None
    delivery = data.get("d")
    return delivery if isinstance(delivery, dict) else None
