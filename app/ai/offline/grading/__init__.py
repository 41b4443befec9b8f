"""Grade interview answers offline: a validity gate, then key-point coverage, depth and structure.

A validity gate comes first: empty, unreadable, declined, copied-back, grader-addressing and
off-topic answers score 0 and the feedback says why. A valid answer is then scored on key-point
coverage (stemmed terms, synonyms and cue phrases; Chinese by character bigrams), agreement with the
reference answer, depth (explanations, examples, numbers) and, for behavioral questions, STAR
structure. Answers that merely list keywords, contradict a key point or state a known misconception
about it are held down. The result names covered and missed points and quotes the answer as
evidence, in the question's language. Everything is deterministic and pure, with no model and no
network (a bank question's misconceptions are read from the bank, loaded once).

The modules, in the order a grade is made: `topic` (the question side), `answer` (the answer
side), `validity`, `matching`, `contradictions`, `polarity`, `misconceptions`, `star`, `scoring`,
`feedback`, and `grade` (the entry point).
"""

from __future__ import annotations

from app.ai.offline.grading.grade import grade_answer
from app.ai.offline.grading.matching import key_point_coverage
from app.ai.offline.grading.result import Grade
from app.ai.offline.grading.star import star_parts
from app.ai.offline.grading.validity import validity_issue

__all__ = ["Grade", "grade_answer", "key_point_coverage", "star_parts", "validity_issue"]
