"""The grade of one answer, as every caller of the grader receives it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Grade:
    """The grade of one answer: 0–100 with reasons tied to the key points."""

    score: int
    feedback: str
    covered_points: list[str] = field(default_factory=list)
    missed_points: list[str] = field(default_factory=list)
    invalid_reason: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)  # key point → short quote
    # Wrong statements in the answer, each {point, claim, quote (verbatim), correction}: a key
    # point contradicted (the claim is the quote, the correction the point) or a known
    # misconception about it.
    errors: list[dict[str, str]] = field(default_factory=list)
    # False when the answer's claims about the question's subject could not be checked against its
    # key points (they make few of them, or state as absolute what the reference does not): the
    # score is held low and the receipt says "not verified".
    verified: bool = True
