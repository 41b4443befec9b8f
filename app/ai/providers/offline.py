"""The built-in offline interviewer behind the provider interface.

It needs no key and no network, answers deterministically and works from the typed request rather
than the prompt text. Its functions live in `app.ai.offline` and are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from app.ai.errors import Unavailable
from app.ai.providers.base import Provider, ProviderRequest, short

# Task name -> function name in app.ai.offline.
OFFLINE_FUNCTIONS = {
    "plan_questions": "plan_questions",
    "follow_up": "write_follow_up",
    "evaluate_answers": "evaluate_answers",
    "summarize_interview": "summarize_interview",
}


class OfflineProvider(Provider):
    """Answers every task with the built-in interviewer."""

    name = "offline"
    model = "built-in"
    remote = False

    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """Run the offline function for `task`; the timeout is moot for a local call."""
        try:
            module = importlib.import_module("app.ai.offline")
            function = getattr(module, OFFLINE_FUNCTIONS[task])
        except (ImportError, AttributeError, KeyError) as exc:
            raise Unavailable(
                f"the built-in interviewer cannot answer {task}: {short(str(exc))}",
                retryable=False,
            ) from exc
        try:
            result = function(request.payload)
        except Exception as exc:
            # Deterministic: asking again gives the same failure, so fall through instead.
            raise Unavailable(
                f"the built-in interviewer failed: {type(exc).__name__}: {short(str(exc))}",
                retryable=False,
            ) from exc
        dumped: dict[str, Any] = result.model_dump(mode="json")
        return dumped
