"""In-process fake AI models behind the real provider interface.

`ScriptedProvider` plays back a queue of outcomes (answers, errors, callables), for the router's
own tests. `FakeModel` reads the typed request the router hands every provider (as the offline
interviewer does), so it can grade exactly the items it was sent, count calls per task, hang for
a while (to make concurrent requests overlap) or fail like a provider that is down.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from typing import Any

from app.ai.errors import Unavailable
from app.ai.providers.base import Provider, ProviderRequest
from app.ai.schemas import AnswerToGrade
from tests.support.fake_servers import canned_output

SUMMARY: dict[str, Any] = {
    "overall_feedback": "A solid interview: clear on caching, thinner on indexing trade-offs.",
    "strengths": [
        "Explains cache-aside clearly",
        "Structured behavioral answer",
        "Concrete numbers",
    ],
    "weaknesses": ["Skipped index selectivity", "Few trade-offs", "Short on testing"],
    "cv_improvements": "1. **Quantify** the Redis work.\n2. Name PostgreSQL indexing work.",
    "improvement_plan": [
        {
            "topic": "Indexes",
            "action": "Practise EXPLAIN on real queries.",
            "resources": ["https://www.postgresql.org/docs/current/indexes.html"],
        },
    ],
    "candidate_summary": "A capable backend engineer.",
    "recommendation": "Recommended",
}


class FakeModel(Provider):
    """Grades every item it is sent with `score_for(item)`; writes `SUMMARY` (plus overrides)."""

    def __init__(
        self,
        name: str = "fake",
        *,
        score_for: Callable[[AnswerToGrade], int] = lambda item: 70,
        summary: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
        delay: float = 0.0,
        down: bool = False,
        down_for: tuple[str, ...] = (),
        feedback: str = "Feedback on question {id}.",
    ) -> None:
        self.name, self.model = name, f"{name}-model-1"
        self.score_for, self.delay, self.down = score_for, delay, down
        self.down_for = down_for  # tasks that fail even when the model is up
        self.feedback = feedback
        self.summary = {**SUMMARY, **(summary or {})}
        self.extra = extra or {}  # junk a model might add: totals, its own verdicts
        self.calls: Counter[str] = Counter()
        self.requests: list[tuple[str, Any]] = []
        self._lock = threading.Lock()

    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """Count the call, then answer the task (or fail when down)."""
        with self._lock:
            self.calls[task] += 1
            self.requests.append((task, request.payload))
        if self.delay:
            time.sleep(self.delay)
        if self.down or task in self.down_for:
            raise Unavailable(f"{self.name} is down", retryable=False)
        if task == "evaluate_answers":
            return {
                "evaluations": [self.grade(item) for item in request.payload.items],
                **self.extra,
            }
        return {**self.summary, **self.extra}

    def grade(self, item: AnswerToGrade) -> dict[str, Any]:
        """One evaluation: the first key point covered, the rest missed."""
        return {
            "question_id": item.question_id,
            "score": self.score_for(item),
            "feedback": self.feedback.format(id=item.question_id),
            "covered_points": item.key_points[:1],
            "missed_points": item.key_points[1:],
            "evidence": [
                {"point": point, "quote": " ".join(item.answer.split()[:6])}
                for point in item.key_points[:1]
            ],
            "confidence": 0.8,
            **self.extra,
        }

    def sent(self, task: str) -> list[Any]:
        """The typed requests received for a task."""
        return [payload for name, payload in self.requests if name == task]


class ScriptedProvider(Provider):
    """A provider that plays back outcomes: a dict answer, an AIError to raise, or a callable."""

    def __init__(self, name: str, outcomes: Iterable[Any] = (), *, remote: bool = True) -> None:
        self.name = name
        self.model = f"{name}-model"
        self.remote = remote
        self.outcomes = deque(outcomes)
        self.requests: list[ProviderRequest] = []
        self.timeouts: list[float] = []

    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """Record the call and play the next outcome (default: a valid answer)."""
        self.requests.append(request)
        self.timeouts.append(timeout)
        outcome = self.outcomes.popleft() if self.outcomes else None
        if callable(outcome):
            outcome = outcome(request)
        if isinstance(outcome, BaseException):
            raise outcome
        if outcome is None:
            return canned_output(request.schema.__name__, request.system + request.user)
        return dict(outcome)


class FakeClock:
    """A monotonic clock that only moves when the router sleeps (or a test advances it)."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        """Record the wait and move time on."""
        self.sleeps.append(seconds)
        self.now += seconds
