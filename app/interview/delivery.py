"""Delivery measured in code from the transcript's timed segments, never guessed by a model.

Pace is counted over the stretch from the first segment's start to the last one's end, so the
quiet before speaking and after finishing does not slow it down. A gap of `LONG_PAUSE_S` or more
between segments is a long pause; the longest stretch is the longest run of segments with no long
pause between them. Chinese pace is counted in characters, English in words. These figures are
shown beside the answer as context, with the published range for pace, and are never part of
the content score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from app.ai.coach import EN_FILLERS, ZH_FILLERS, phrase_counts
from app.ai.transcription import Segment, Transcript

LONG_PAUSE_S = 2.0
# Common public-speaking guidance: 130-160 words a minute is comfortable to follow in English.
COMFORTABLE_WPM = (130, 160)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def count_words(text: str, chinese: bool) -> int:
    """Spoken units: Chinese characters (plus any Latin words) for Chinese, words otherwise."""
    latin = len(_WORD.findall(text))
    return latin + len(_CJK.findall(text)) if chinese else latin


def speech_span(transcript: Transcript) -> float:
    """Seconds from the first word to the last (the clip's length when there are no segments)."""
    if not transcript.segments:
        return transcript.duration_s
    return max(0.0, transcript.segments[-1].end - transcript.segments[0].start)


def stretches(
    segments: Sequence[Segment], pause_s: float = LONG_PAUSE_S
) -> list[tuple[float, float]]:
    """Runs of speech: consecutive segments joined wherever the gap is shorter than `pause_s`."""
    runs: list[tuple[float, float]] = []
    for segment in sorted(segments, key=lambda s: s.start):
        if runs and segment.start - runs[-1][1] < pause_s:
            runs[-1] = (runs[-1][0], max(runs[-1][1], segment.end))
        else:
            runs.append((segment.start, segment.end))
    return runs


def per_minute(count: int, seconds: float) -> float | None:
    """`count` per minute of `seconds`, to one decimal; None when there was no time to count."""
    return round(count * 60 / seconds, 1) if seconds > 0 else None


def measure_delivery(transcript: Transcript, language: str) -> dict[str, Any]:
    """Pace, fillers, long pauses and the longest stretch of one spoken answer."""
    chinese = language == "zh"
    span = speech_span(transcript)
    fillers = phrase_counts(transcript.text, ZH_FILLERS if chinese else EN_FILLERS, chinese)
    filler_count = sum(f["count"] for f in fillers)
    runs = stretches(transcript.segments)
    return {
        "words": count_words(transcript.text, chinese),
        "unit": "characters" if chinese else "words",
        "speaking_s": round(span, 1),
        "words_per_minute": per_minute(count_words(transcript.text, chinese), span),
        "fillers": fillers,
        "fillers_per_minute": per_minute(filler_count, span),
        "long_pauses": max(0, len(runs) - 1),
        "pause_threshold_s": LONG_PAUSE_S,
        "longest_stretch_s": round(max((end - start for start, end in runs), default=span), 1),
        "comfortable_wpm": None if chinese else list(COMFORTABLE_WPM),
    }
