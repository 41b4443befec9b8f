"""Grade one interview answer against its question's key points and reference answer.

The grader lives in the `app.ai.offline.grading` package; this module is the stable import path
the rest of the app uses.
"""

from __future__ import annotations

from app.ai.offline.grading import (
    Grade,
    grade_answer,
    key_point_coverage,
    star_parts,
    validity_issue,
)

__all__ = ["Grade", "grade_answer", "key_point_coverage", "star_parts", "validity_issue"]
