"""The one band rule: what a score means, on every page, the PDF and the API (SPEC §5, §11).

A 0–100 score falls in one of four report bands; the feedback page's 1–10 `interview_score` maps
each band onto seed 001's 1–10 bands, splitting it into a lower and an upper half, so the two views
always say the same thing. Colours and the per-answer verdict follow the same edges. Nothing else
in the code may compare a score with a band edge.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    """One 0–100 band, the 1–10 scores it maps onto, and its names."""

    key: str  # stable identifier (PDF wording, CSS)
    floor: int  # lowest 0–100 score in the band
    name: str  # the report's label (SPEC §5)
    name_zh: str
    tier: str  # colour: good, fair or poor
    # (lowest 0–100 score, 1–10 score, feedback label) for each half, upper half first
    halves: tuple[tuple[int, int, str], ...]


BANDS: tuple[Band, ...] = (
    Band(
        "excellent", 90, "Excellent", "优秀", "good", ((95, 10, "Excellent"), (90, 9, "Excellent"))
    ),
    Band("good", 75, "Good", "良好", "good", ((82, 8, "Good"), (75, 7, "Good"))),
    Band("adequate", 60, "Adequate", "合格", "fair", ((67, 6, "Adequate"), (60, 5, "Adequate"))),
    Band(
        "needs_improvement",
        0,
        "Needs significant improvement",
        "需要大幅提升",
        "poor",
        ((50, 4, "Needs Work"), (40, 3, "Needs Work"), (20, 2, "Poor"), (0, 1, "Poor")),
    ),
)
FEEDBACK_LABELS_ZH = {
    "Excellent": "优秀",
    "Good": "良好",
    "Adequate": "合格",
    "Needs Work": "有待提高",
    "Poor": "较差",
}


def clamp(score: float) -> int:
    """A score as an integer 0–100."""
    return max(0, min(100, int(score)))


def band_of(score: float) -> Band:
    """The band a 0–100 score falls in."""
    value = clamp(score)
    return next(band for band in BANDS if value >= band.floor)


def report_band(score: int | None, language: str = "en") -> str:
    """The report's label for a 0–100 score ("" without a score)."""
    if score is None:
        return ""
    band = band_of(score)
    return band.name_zh if language == "zh" else band.name


def interview_score(overall: int) -> int:
    """The 1–10 score for a 0–100 overall: its band's lower or upper half (SPEC §11)."""
    value = clamp(overall)
    return next(ten for floor, ten, _label in band_of(value).halves if value >= floor)


def _feedback_label(ten: int) -> str:
    """The feedback label of a 1–10 score."""
    for band in BANDS:
        for _floor, value, label in band.halves:
            if value == ten:
                return label
    return "Poor"


def feedback_band(score: int | None, language: str = "en") -> str:
    """The feedback page's label for a 1–10 score ("" without a score)."""
    if score is None:
        return ""
    label = _feedback_label(max(1, min(10, int(score))))
    return FEEDBACK_LABELS_ZH[label] if language == "zh" else label


def band_of_ten(score: int) -> Band:
    """The report band a 1–10 score belongs to."""
    ten = max(1, min(10, int(score)))
    return next(band for band in BANDS if any(v == ten for _f, v, _l in band.halves))


def tier(score: int | None) -> str:
    """The colour tier of a 0–100 score: good, fair, poor, or none."""
    return "none" if score is None else band_of(score).tier


def tier_of_ten(score: int | None) -> str:
    """The colour tier of a 1–10 score, the same as its band's."""
    return "none" if score is None else band_of_ten(score).tier


def tier_edges() -> list[tuple[int, int]]:
    """The 0–100 stretches of each colour tier, low to high: [(0, 60), (60, 75), (75, 100)]."""
    floors = sorted({min(b.floor for b in BANDS if b.tier == t) for t in {b.tier for b in BANDS}})
    return list(zip(floors, [*floors[1:], 100], strict=True))
