"""One verdict everywhere: feedback, report, history, PDF and the offline summary agree."""

from __future__ import annotations

import pytest

from app import bands, templating
from app.ai.offline.summary_text import band as summary_band
from app.evaluation import scoring
from app.reports.pdf import gauge, styles

# The feedback page's 1–10 label and the report's 0–100 label say the same thing.
SAME_VERDICT = {
    "Excellent": "Excellent",
    "Good": "Good",
    "Adequate": "Adequate",
    "Needs Work": "Needs significant improvement",
    "Poor": "Needs significant improvement",
}
PDF_COLOUR = {"score-good": styles.GREEN, "score-fair": styles.AMBER, "score-poor": styles.RED}


@pytest.mark.parametrize("score", range(101))
def test_feedback_and_report_labels_agree(score: int) -> None:
    """For every score 0–100 the feedback page, report, PDF, summary and colours agree."""
    report = scoring.report_band(score)
    ten = scoring.interview_score(score)
    assert SAME_VERDICT[scoring.feedback_band(ten)] == report
    assert templating.report_band(score) == report == summary_band(score, "en")
    assert styles.band_key(score) == bands.band_of(score).key
    assert templating.score_colour(score) == templating.feedback_colour(ten)
    assert styles.score_colour(score) == PDF_COLOUR[templating.score_colour(score)]
    assert bands.report_band(score, "zh") == summary_band(score, "zh")


def test_gauge_tracks_are_the_colour_tiers() -> None:
    """The PDF gauge's faint tracks start where the colours change."""
    assert gauge.BAND_EDGES == [(0, 60), (60, 75), (75, 100)]
