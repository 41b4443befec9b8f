"""The router: the AI layer's only retry loop, fallback chain and output validation.

For a task it renders the prompt once, then asks each provider in order. Retryable errors are
retried with exponential backoff and full jitter, honouring Retry-After, up to `max_attempts` per
provider and `deadline_s` for the whole task; other errors move straight to the next provider. A
reply that fails its schema gets one repair attempt that quotes the validation error. A provider
that failed `cooldown_failures` times in a row, or asked for a long Retry-After, is skipped until
its cool-down ends. Sleep, clock and randomness are injectable so tests run instantly.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, get_args, get_origin

import annotated_types
from pydantic import BaseModel, ValidationError

from app.ai.errors import (
    AIError,
    AllProvidersFailed,
    InvalidOutput,
    ModelNotFound,
    RateLimited,
    Unavailable,
)
from app.ai.prompts import DEFAULT_LIMITS, Prompt, PromptLimits, render_prompt
from app.ai.providers.base import Provider, ProviderRequest

T = TypeVar("T", bound=BaseModel)
log = logging.getLogger("app.ai")


@dataclass(frozen=True)
class RouterSettings:
    """Timeouts, retry and cool-down tuning; built from a config mapping, no Flask needed."""

    timeout_s: float = 30.0
    max_attempts: int = 3
    deadline_s: float = 90.0
    backoff_base_s: float = 0.5
    backoff_max_s: float = 8.0
    cooldown_s: float = 60.0
    cooldown_failures: int = 3
    limits: PromptLimits = DEFAULT_LIMITS

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RouterSettings:
        """Read the AI_* keys (and the PROMPT_* budgets) from a config mapping."""
        return cls(
            timeout_s=float(config.get("AI_TIMEOUT_S", cls.timeout_s)),
            max_attempts=max(1, int(config.get("AI_MAX_ATTEMPTS", cls.max_attempts))),
            deadline_s=float(config.get("AI_DEADLINE_S", cls.deadline_s)),
            backoff_base_s=float(config.get("AI_BACKOFF_BASE_S", cls.backoff_base_s)),
            backoff_max_s=float(config.get("AI_BACKOFF_MAX_S", cls.backoff_max_s)),
            cooldown_s=float(config.get("AI_COOLDOWN_S", cls.cooldown_s)),
            cooldown_failures=max(1, int(config.get("AI_COOLDOWN_FAILURES", 3))),
            limits=PromptLimits.from_config(config),
        )


@dataclass(frozen=True)
class AIResult(Generic[T]):
    """A validated answer and where it came from, for the record every stored result keeps."""

    value: T
    provider: str
    model: str
    prompt_version: str
    attempts: int
    fallback_used: bool
    latency_ms: int


@dataclass
class _Health:
    failures_in_a_row: int = 0
    cooling_until: float = 0.0


@dataclass
class _TaskRun(Generic[T]):
    """The state of one task across providers."""

    task: str
    payload: BaseModel
    prompt: Prompt
    schema: type[T]
    check: Callable[[T], T] | None
    deadline: float
    attempts: int = 0
    failures: list[tuple[str, AIError]] = field(default_factory=list)


class Router:
    """Runs a task against the providers in order and returns the first valid answer."""

    def __init__(
        self,
        providers: Sequence[Provider],
        settings: RouterSettings | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.providers = list(providers)
        self.settings = settings or RouterSettings()
        self._sleep, self._clock, self._jitter = sleep, clock, jitter
        self._health: dict[str, _Health] = {p.name: _Health() for p in self.providers}
        self._lock = threading.Lock()

    def run(
        self,
        task: str,
        payload: BaseModel,
        schema: type[T],
        *,
        check: Callable[[T], T] | None = None,
    ) -> AIResult[T]:
        """Answer `task`; `check` may fix up or reject (ValueError) a schema-valid value.

        Raises AllProvidersFailed, carrying each provider's failure, when nobody answers.
        """
        prompt = render_prompt(task, payload, self.settings.limits)
        if prompt.schema is not schema:
            raise TypeError(f"{task} answers with {prompt.schema.__name__}, not {schema.__name__}")
        started = self._clock()
        run = _TaskRun(task, payload, prompt, schema, check, started + self.settings.deadline_s)
        for provider in self._candidates(run):
            try:
                value = self._ask(provider, run)
            except AIError as exc:
                run.failures.append((provider.name, exc))
                continue
            return AIResult(
                value=value,
                provider=provider.name,
                model=provider.model,
                prompt_version=prompt.version,
                attempts=run.attempts,
                fallback_used=provider is not self.providers[0],
                latency_ms=round((self._clock() - started) * 1000),
            )
        raise AllProvidersFailed(task, run.failures)

    def is_cooling(self, name: str) -> bool:
        """Whether the named provider is being skipped after repeated failures."""
        with self._lock:
            health = self._health.get(name)
            return health is not None and health.cooling_until > self._clock()

    def backoff_delay(self, retry: int, retry_after: float | None = None) -> float:
        """Full-jitter exponential backoff for the `retry`-th retry, never below Retry-After."""
        s = self.settings
        ceiling = min(s.backoff_max_s, s.backoff_base_s * 2 ** (retry - 1))
        return max(self._jitter() * ceiling, retry_after or 0.0)

    def _candidates(self, run: _TaskRun[Any]) -> list[Provider]:
        """Providers not cooling down; when every one is, all of them (better late than never)."""
        ready = [p for p in self.providers if not self.is_cooling(p.name)]
        if not ready:
            return list(self.providers)
        for provider in self.providers:
            if provider not in ready:
                self._log(run.task, provider, 0, 0.0, "skipped_cooldown", None)
                run.failures.append((provider.name, Unavailable("skipped while cooling down")))
        return ready

    def _ask(self, provider: Provider, run: _TaskRun[T]) -> T:
        """Call one provider until it answers, runs out of attempts or the deadline passes."""
        request = ProviderRequest(run.payload, run.prompt.system, run.prompt.user, run.schema)
        retries, repaired = 0, False
        while True:
            try:
                return self._call_once(provider, run, request)
            except InvalidOutput as exc:
                if repaired or self._out_of_time(provider, run, 0.0):
                    raise
                repaired = True
                fix = run.prompt.with_repair(exc.message, exc.raw)
                request = ProviderRequest(run.payload, fix.system, fix.user, run.schema)
            except AIError as exc:
                retries += 1
                if not exc.retryable or retries >= self.settings.max_attempts:
                    raise
                delay = self._delay_for(exc, retries)
                if delay is None or self._out_of_time(provider, run, delay):
                    raise
                self._sleep(delay)

    def _delay_for(self, exc: AIError, retries: int) -> float | None:
        """How long to wait before retrying; None when a Retry-After says come back much later."""
        retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
        if retry_after is not None and retry_after > self.settings.backoff_max_s:
            return None  # the provider now cools down until then; try the next one instead
        return self.backoff_delay(retries, retry_after)

    def _out_of_time(self, provider: Provider, run: _TaskRun[Any], wait: float) -> bool:
        """A remote call must start (after `wait`) before the task's deadline; local ones may."""
        return provider.remote and self._clock() + wait >= run.deadline

    def _call_once(self, provider: Provider, run: _TaskRun[T], request: ProviderRequest) -> T:
        """One hop: call, validate, log, and keep the provider's health up to date."""
        if self._out_of_time(provider, run, 0.0):
            self._log(run.task, provider, run.attempts, 0.0, "deadline_passed", None)
            raise Unavailable("the task's deadline passed before this provider could be asked")
        timeout = self.settings.timeout_s
        if provider.remote:
            timeout = min(timeout, run.deadline - self._clock())
        run.attempts += 1
        started = self._clock()
        try:
            value = self._validate(provider.generate(run.task, request, timeout=timeout), run)
        except AIError as exc:
            self._record(provider, run, started, exc)
            raise
        except Exception as exc:
            # A bug in a provider must not take the fallback chain down with it.
            error = Unavailable(f"{provider.name} crashed: {type(exc).__name__}", retryable=False)
            self._record(provider, run, started, error)
            raise error from exc
        self._record(provider, run, started, None)
        return value

    def _validate(self, raw: dict[str, Any], run: _TaskRun[T]) -> T:
        """Clamp numbers into range, validate against the schema, then apply the task's check."""
        try:
            value = run.schema.model_validate(clamp_to_schema(raw, run.schema))
            return run.check(value) if run.check else value
        except ValidationError as exc:
            message = describe_validation_error(exc)
        except ValueError as exc:
            message = str(exc)
        raise InvalidOutput(message, raw=json.dumps(raw, ensure_ascii=False)[:8_000])

    def _record(
        self, provider: Provider, run: _TaskRun[Any], started: float, error: AIError | None
    ) -> None:
        """Log the hop and update the provider's failure streak and cool-down."""
        now = self._clock()
        outcome = error.outcome if error else "ok"
        self._log(run.task, provider, run.attempts, now - started, outcome, error)
        with self._lock:
            health = self._health.setdefault(provider.name, _Health())
            if error is None:
                health.failures_in_a_row = 0
                return
            health.failures_in_a_row += 1
            if health.failures_in_a_row >= self.settings.cooldown_failures:
                health.cooling_until = max(health.cooling_until, now + self.settings.cooldown_s)
            if isinstance(error, RateLimited) and error.retry_after:
                health.cooling_until = max(health.cooling_until, now + error.retry_after)

    @staticmethod
    def _log(
        task: str,
        provider: Provider,
        attempt: int,
        seconds: float,
        outcome: str,
        error: AIError | None,
    ) -> None:
        """One structured line per hop; it never carries prompt, CV or answer text."""
        fields = {
            "ai_task": task,
            "ai_provider": provider.name,
            "ai_model": provider.model,
            "ai_attempt": attempt,
            "ai_latency_ms": round(seconds * 1000),
            "ai_outcome": outcome,
            "ai_status": error.status if error else None,
        }
        line = " ".join(f"{k[3:]}={v}" for k, v in fields.items() if v is not None)
        if isinstance(error, ModelNotFound):
            # Only an admin can fix this; say it loudly and by name, every time it happens.
            log.error("ai_hop %s: %s", line, error.message, extra=fields)
            return
        log.log(logging.WARNING if error else logging.INFO, "ai_hop %s", line, extra=fields)


# ---------------------------------------------------------------- output clean-up before validation
def _bound(metadata: Sequence[Any], kind: type, attribute: str) -> Any:
    return next((getattr(m, attribute) for m in metadata if isinstance(m, kind)), None)


def _clamp_number(value: Any, annotation: Any, metadata: Sequence[Any]) -> Any:
    """Bring a score like 105, "87" or 72.6 into its field's range and type."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            value = float(value.strip().rstrip("%"))
        except ValueError:
            return value
    if not isinstance(value, int | float):
        return value
    number = round(value) if annotation is int else value
    low = _bound(metadata, annotated_types.Ge, "ge")
    high = _bound(metadata, annotated_types.Le, "le")
    number = max(number, low) if low is not None else number
    return min(number, high) if high is not None else number


def _clamp_value(value: Any, annotation: Any, metadata: Sequence[Any]) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return clamp_to_schema(value, annotation)
    max_length = _bound(metadata, annotated_types.MaxLen, "max_length")
    if get_origin(annotation) is list and isinstance(value, list):
        item_type = (get_args(annotation) or (Any,))[0]
        items = [_clamp_value(item, item_type, ()) for item in value]
        return items[:max_length] if max_length is not None else items
    if annotation in (int, float):
        return _clamp_number(value, annotation, metadata)
    if isinstance(value, str) and max_length is not None:
        return value[:max_length]
    return value


def clamp_to_schema(data: Any, schema: type[BaseModel]) -> Any:
    """Clamp numbers into range and trim over-long text and lists, as the schema allows.

    Models often say 105 for "excellent" or give six strengths where five are allowed; clamping
    keeps such answers instead of spending a repair call on them. Anything else is left for
    validation to judge.
    """
    if not isinstance(data, dict):
        return data
    fixed = dict(data)
    for name, info in schema.model_fields.items():
        if name in fixed:
            fixed[name] = _clamp_value(fixed[name], info.annotation, info.metadata)
    return fixed


def describe_validation_error(error: ValidationError, limit: int = 8) -> str:
    """Where and why the output failed its schema, without echoing the output itself."""
    problems = error.errors(include_url=False, include_input=False)
    lines = [f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in problems]
    extra = f" (and {len(lines) - limit} more)" if len(lines) > limit else ""
    return "; ".join(lines[:limit]) + extra
