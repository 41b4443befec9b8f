"""The AI layer's own errors.

Every provider translates its failures into these classes, so the router decides between "retry
this provider", "try the next one" and "give up" without knowing any provider's wire format. Each
class says whether waiting and asking the same provider again can help (`retryable`).
"""

from __future__ import annotations

from collections.abc import Sequence


class AIError(Exception):
    """Base of every failure the AI layer reports."""

    retryable: bool = False
    outcome: str = "error"  # short label for the per-hop log line
    status: int | None = None  # the HTTP status behind the error, when there was one

    def __init__(self, message: str, *, retryable: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        if retryable is not None:
            self.retryable = retryable


class RateLimited(AIError):
    """The provider asked us to slow down (HTTP 429); `retry_after` is its wait in seconds."""

    retryable = True
    outcome = "rate_limited"

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TimedOut(AIError):
    """The call did not answer within its timeout (or the server said 408)."""

    retryable = True
    outcome = "timed_out"


class Unavailable(AIError):
    """A connection failure, a 5xx, or an error object inside a 200 body: worth another try."""

    retryable = True
    outcome = "unavailable"


class Rejected(AIError):
    """The provider refused the request itself (400/401/403/404): asking again cannot help."""

    retryable = False
    outcome = "rejected"


class ModelNotFound(Rejected):
    """The provider does not serve the configured model (retired, misspelt or not pulled).

    Asking again cannot help and the admin must change a setting, so the message names both.
    """

    outcome = "model_not_found"

    def __init__(self, provider: str, model: str, detail: str = "") -> None:
        text = f"model {model!r} not found at provider {provider}"
        super().__init__(f"{text}: {detail}" if detail else text)
        self.provider = provider
        self.model = model
        self.status = 404


class ContextOverflow(Rejected):
    """The prompt does not fit the model's context window (a 400, or our own estimate)."""

    outcome = "context_overflow"


class InvalidOutput(AIError):
    """The reply was not JSON or did not match the task's schema.

    `raw` keeps the reply so the router can quote it in its one repair attempt; it is never logged.
    """

    retryable = False
    outcome = "invalid_output"

    def __init__(self, message: str, *, raw: str = "") -> None:
        super().__init__(message)
        self.raw = raw


class OutputTruncated(InvalidOutput):
    """The reply stopped at the output-token cap (often spent thinking): ask with more room."""

    outcome = "truncated"


class EmptyReply(Unavailable):
    """A reply that finished normally but carried no text; the same request may well succeed."""

    outcome = "empty_reply"


class AllProvidersFailed(AIError):
    """No provider produced a valid answer; `failures` lists (provider name, error) in order."""

    retryable = False
    outcome = "all_failed"

    def __init__(self, task: str, failures: Sequence[tuple[str, AIError]]) -> None:
        self.task = task
        self.failures = list(failures)
        detail = "; ".join(f"{name}: {type(err).__name__}: {err.message}" for name, err in failures)
        super().__init__(f"every AI provider failed for {task}: {detail or 'none configured'}")
