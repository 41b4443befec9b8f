"""Delivery figures are arithmetic on the segments: pace, fillers, long pauses, longest stretch."""

from __future__ import annotations

import pytest

from app.ai.transcription import Segment, Transcript
from app.interview.audio import sniff
from app.interview.delivery import measure_delivery, stretches
from tests.fixtures.audio import MP3_START, MP4_START, OGG_START, PDF_START, WEBM_START, make_wav


def transcript(*segments: tuple[float, float, str], duration: float = 30.0) -> Transcript:
    """A transcript made of the given segments."""
    parts = tuple(Segment(a, b, t) for a, b, t in segments)
    return Transcript(" ".join(t for _, _, t in segments), "en", duration, parts)


def test_pace_counts_from_the_first_word_to_the_last():
    """Silence before and after the answer does not slow the pace: 30 words in 12 s = 150."""
    words = " ".join(["word"] * 15)
    found = measure_delivery(transcript((5.0, 11.0, words), (11.5, 17.0, words)), "en")
    assert found["words_per_minute"] == 150.0 and found["speaking_s"] == 12.0
    assert found["long_pauses"] == 0 and found["longest_stretch_s"] == 12.0


def test_long_pauses_split_the_answer_into_stretches():
    """Gaps of 2 s or more are long pauses; shorter ones join the stretch around them."""
    segments = [
        Segment(0, 4, "a"),
        Segment(5.9, 9, "b"),
        Segment(11, 12, "c"),
        Segment(20, 21, "d"),
    ]
    assert stretches(segments) == [(0, 9), (11, 12), (20, 21)]
    found = measure_delivery(transcript(*((s.start, s.end, s.text) for s in segments)), "en")
    assert found["long_pauses"] == 2 and found["longest_stretch_s"] == 9.0


def test_english_fillers_are_whole_words_per_minute():
    """ "um" and "you know" count; "umbrella" does not. Two fillers in 30 s = 4 a minute."""
    found = measure_delivery(
        transcript((0, 30, "Um, the umbrella service, you know, retries.")), "en"
    )
    assert found["fillers_per_minute"] == 4.0
    assert {f["word"] for f in found["fillers"]} == {"um", "you know"}


def test_chinese_pace_is_in_characters_with_no_english_range():
    """Chinese is counted in characters, its fillers from the Chinese list, and the English
    words-a-minute range is not offered for it."""
    said = Transcript(
        "嗯，我们给订单表加了索引，那个查询快了很多。", "zh", 10, (Segment(0, 6, "x"),)
    )
    found = measure_delivery(said, "zh")
    assert found["unit"] == "characters" and found["words"] == 19
    assert found["words_per_minute"] == 190.0 and found["fillers_per_minute"] == 20.0
    assert found["comfortable_wpm"] is None


def test_no_time_means_no_rate():
    """A transcript with no duration has no pace rather than a division by zero."""
    found = measure_delivery(Transcript("", None, 0.0, ()), "en")
    assert found["words_per_minute"] is None and found["fillers_per_minute"] is None


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (make_wav(0.1), "wav"),
        (WEBM_START, "webm"),
        (OGG_START, "ogg"),
        (MP4_START, "mp4"),
        (MP3_START, "mp3"),
        (b"\xff\xfb\x90\x00" + b"\x00" * 16, "mp3"),
        (PDF_START, None),
        (b"RIFF\x00\x00\x00\x00AVI LIST", None),
    ],
)
def test_the_type_is_read_from_the_first_bytes(data, kind):
    """Each container is recognised by its magic bytes; a PDF or an AVI is not audio."""
    found = sniff(data)
    assert (found[0] if found else None) == kind
