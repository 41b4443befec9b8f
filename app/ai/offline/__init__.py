"""The built-in offline interviewer: questions, follow-ups, grades and summaries with no key and no
network, in English and Chinese.

The AI router's `offline` provider calls the four tasks (`plan_questions`, `write_follow_up`,
`evaluate_answers`, `summarize_interview`). The rest of the app reaches what it needs at once
(instant insights, bank lookups, reading a job description) through `app.ai.coach`, never
through these modules. Everything here is deterministic for the same inputs, and the data it
reads (taxonomy, question bank) is loaded once per process.
"""

from __future__ import annotations

from app.ai.offline.evaluate import evaluate_answers
from app.ai.offline.followup import write_follow_up
from app.ai.offline.insights import answer_insights
from app.ai.offline.planner import plan_questions
from app.ai.offline.requirements import split_requirements
from app.ai.offline.summary import summarize_interview
from app.ai.offline.taxonomy import extract_skills

__all__ = [
    "answer_insights",
    "evaluate_answers",
    "extract_skills",
    "plan_questions",
    "split_requirements",
    "summarize_interview",
    "write_follow_up",
]
