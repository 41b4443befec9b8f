"""What the app asks the offline interviewer directly, not through the router.

Everything an AI provider could do goes through the four tasks in `app.ai.tasks`. What is here
must stay synchronous, in-process and the same whichever provider is configured, so the router
never sees it:

- **instant insights and the follow-up decision**, made while the candidate waits and judged as
  the final grade judges (`answer_insights`, `key_point_coverage`, `star_parts`,
  `validity_issue`, `misconceptions_for`);
- **the offline wording of a follow-up**, used when a remote provider is too slow to word it
  (`offline_follow_up`);
- **question bank lookups** that tie a question to its bank entry across interviews
  (`question_key`, `load_bank`);
- **reading a job description**: its skills, requirements and language (`extract_skills`,
  `split_requirements`, `detect_language`), and the skill taxonomy that keys categories
  (`load_taxonomy`);
- **an answer that copies its question back** (`copies_question`), checked on any grade;
- **filler words in a spoken answer** (`EN_FILLERS`, `ZH_FILLERS`, `phrase_counts`);
- **the offline interviewer's own commands** (`flask interview grade|plan|bank check`, in
  `app/offline_cli.py`), which benchmarks and checks run against it and no other provider
  (`grade_answer`, `offline_plan`, `check_bank`).

No other module outside `app/ai/` imports `app.ai.offline`.
"""

from __future__ import annotations

from app.ai.offline.bank import load_bank, question_key
from app.ai.offline.bank_check import check_bank
from app.ai.offline.evaluate import copies_question
from app.ai.offline.followup import write_follow_up as offline_follow_up
from app.ai.offline.grading import grade_answer, key_point_coverage, star_parts, validity_issue
from app.ai.offline.grading.misconceptions import misconceptions_for
from app.ai.offline.insights import EN_FILLERS, ZH_FILLERS, answer_insights, phrase_counts
from app.ai.offline.planner import plan_questions as offline_plan
from app.ai.offline.requirements import split_requirements
from app.ai.offline.taxonomy import extract_skills, load_taxonomy
from app.ai.offline.text import detect_language

__all__ = [
    "EN_FILLERS",
    "ZH_FILLERS",
    "answer_insights",
    "check_bank",
    "copies_question",
    "detect_language",
    "extract_skills",
    "grade_answer",
    "key_point_coverage",
    "load_bank",
    "load_taxonomy",
    "misconceptions_for",
    "offline_follow_up",
    "offline_plan",
    "phrase_counts",
    "question_key",
    "split_requirements",
    "star_parts",
    "validity_issue",
]
