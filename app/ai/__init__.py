"""The AI layer: the only package that talks to AI providers.

Call the tasks (`plan_questions`, `write_follow_up`, `evaluate_answers`, `summarize_interview`);
each returns an `AIResult` with the validated answer and the provider, model and prompt version
that produced it, or raises `AllProvidersFailed`.
"""

from __future__ import annotations

from app.ai.errors import (
    AIError,
    AllProvidersFailed,
    InvalidOutput,
    RateLimited,
    Rejected,
    TimedOut,
    Unavailable,
)
from app.ai.router import AIResult, Router, RouterSettings
from app.ai.tasks import (
    build_router,
    evaluate_answers,
    get_router,
    plan_questions,
    summarize_interview,
    write_follow_up,
)

__all__ = [
    "AIError",
    "AIResult",
    "AllProvidersFailed",
    "InvalidOutput",
    "RateLimited",
    "Rejected",
    "Router",
    "RouterSettings",
    "TimedOut",
    "Unavailable",
    "build_router",
    "evaluate_answers",
    "get_router",
    "plan_questions",
    "summarize_interview",
    "write_follow_up",
]
