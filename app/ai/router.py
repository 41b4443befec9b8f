"""The router: the AI layer's only retry loop, fallback chain and output validation.

For a task it renders the prompt once, then asks each provider in order. Retryable errors are
retried with exponential backoff and full jitter, honouring Retry-After, up to `max_attempts` per
provider and `deadline_s` for the whole task; other errors move straight to the next provider. A
reply that fails its schema gets one repair attempt that quotes the validation error. A provider
that failed `cooldown_failures` times in a row, or asked for a long Retry-After, is skipped until
its cool-down ends. Sleep, clock and randomness are injectable so tests run instantly.

Each task has its own timeout, output-token cap and thinking budget (`TaskSettings`). A prompt is
checked against each remote provider's context window before it is sent (a prompt that cannot fit
moves on at once), a reply cut off at the output cap is asked again once with twice the room and
no extra thinking, and every call is handed to the optional `recorder` (what it cost, how long it
took, how it ended) for the ai_calls table.

`run_call` gives a task that is one call rather than a prompt (transcribing a recording) the same
retries, backoff, deadline, cool-down and ai_calls rows, over the backends it is handed.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar, get_args, get_origin

import annotated_types
from pydantic import BaseModel, ValidationError

from app.ai.errors import (
    AIError,
    AllProvidersFailed,
    ContextOverflow,
    InvalidOutput,
    ModelNotFound,
    OutputTruncated,
    RateLimited,
    Unavailable,
)
from app.ai.prompts import DEFAULT_LIMITS, Prompt, PromptLimits, render_prompt
from app.ai.providers.base import Backend, CallUsage, Provider, ProviderRequest, estimate_tokens
from app.config import AI_ROUTER_DEFAULTS

T = TypeVar("T", bound=BaseModel)
V = TypeVar("V")
B = TypeVar("B", bound=Backend)
log = logging.getLogger("app.ai")


# The config prefix of each task's settings: AI_<PREFIX>_TIMEOUT_S, _MAX_OUTPUT_TOKENS, ...
TASK_PREFIXES = {
    "plan_questions": "PLAN",
    "follow_up": "FOLLOW_UP",
    "evaluate_answers": "EVALUATE",
    "summarize_interview": "SUMMARISE",
    "transcribe_audio": "TRANSCRIBE",
}


@dataclass(frozen=True)
class TaskSettings:
    """One task's call budget: seconds per call, output tokens, and thinking tokens."""

    timeout_s: float
    max_output_tokens: int | None = None
    thinking_budget: int | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any], task: str) -> TaskSettings | None:
        """AI_<TASK>_TIMEOUT_S, _MAX_OUTPUT_TOKENS and _THINKING_BUDGET, if the config has them."""
        prefix = f"AI_{TASK_PREFIXES[task]}_"
        if f"{prefix}TIMEOUT_S" not in config:
            return None
        tokens = config.get(f"{prefix}MAX_OUTPUT_TOKENS")
        thinking = config.get(f"{prefix}THINKING_BUDGET")
        return cls(
            timeout_s=float(config[f"{prefix}TIMEOUT_S"]),
            max_output_tokens=int(tokens) if tokens else None,
            thinking_budget=int(thinking) if thinking is not None and thinking != "" else None,
        )


@dataclass(frozen=True)
class CallRecord:
    """One provider call as the ai_calls table keeps it."""

    task: str
    provider: str
    model: str
    prompt_tokens: int | None
    output_tokens: int | None
    latency_ms: int
    attempt: int
    outcome: str
    error: str | None


@dataclass(frozen=True)
class RouterSettings:
    """Timeouts, retry and cool-down tuning; built from a config mapping, no Flask needed, with
    app/config.py's defaults."""

    timeout_s: float = AI_ROUTER_DEFAULTS["AI_TIMEOUT_S"]
    max_attempts: int = int(AI_ROUTER_DEFAULTS["AI_MAX_ATTEMPTS"])
    deadline_s: float = AI_ROUTER_DEFAULTS["AI_DEADLINE_S"]
    backoff_base_s: float = AI_ROUTER_DEFAULTS["AI_BACKOFF_BASE_S"]
    backoff_max_s: float = AI_ROUTER_DEFAULTS["AI_BACKOFF_MAX_S"]
    cooldown_s: float = AI_ROUTER_DEFAULTS["AI_COOLDOWN_S"]
    cooldown_failures: int = int(AI_ROUTER_DEFAULTS["AI_COOLDOWN_FAILURES"])
    limits: PromptLimits = DEFAULT_LIMITS
    tasks: Mapping[str, TaskSettings] = field(default_factory=dict)

    def for_task(self, task: str) -> TaskSettings:
        """The task's own settings, else the shared timeout with the servers' default caps."""
        return self.tasks.get(task) or TaskSettings(self.timeout_s)

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
            cooldown_failures=max(
                1, int(config.get("AI_COOLDOWN_FAILURES", cls.cooldown_failures))
            ),
            limits=PromptLimits.from_config(config),
            tasks={
                task: found
                for task in TASK_PREFIXES
                if (found := TaskSettings.from_config(config, task)) is not None
            },
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
class _CallRun:
    """The state of one call-shaped task (no prompt, no schema) across backends."""

    task: str
    deadline: float
    attempts: int = 0
    failures: list[tuple[str, AIError]] = field(default_factory=list)


@dataclass(frozen=True)
class CallResult(Generic[V]):
    """What a call-shaped task returned, and which backend returned it."""

    value: V
    provider: str
    model: str
    attempts: int
    fallback_used: bool
    latency_ms: int


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
        recorder: Callable[[CallRecord], None] | None = None,
    ) -> None:
        self.providers = list(providers)
        self.settings = settings or RouterSettings()
        self.recorder = recorder
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
        for provider in self._candidates(run, self.providers):
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

    def run_call(
        self, task: str, backends: Sequence[B], call: Callable[[B, float, CallUsage], V]
    ) -> CallResult[V]:
        """Run a task that is one call rather than a prompt (transcribing audio) on `backends`
        in order, with the same timeout, retries, deadline, cool-down and ai_calls rows as the
        prompt tasks. `call(backend, timeout, usage)` makes one call and fills `usage`.
        """
        started = self._clock()
        run = _CallRun(task, started + self.settings.deadline_s)
        for backend in self._candidates(run, backends):
            try:
                value = self._call_with_retries(backend, run, call)
            except AIError as exc:
                run.failures.append((backend.name, exc))
                continue
            return CallResult(
                value=value,
                provider=backend.name,
                model=backend.model,
                attempts=run.attempts,
                fallback_used=backend is not backends[0],
                latency_ms=round((self._clock() - started) * 1000),
            )
        raise AllProvidersFailed(task, run.failures)

    def _call_with_retries(
        self, backend: B, run: _CallRun, call: Callable[[B, float, CallUsage], V]
    ) -> V:
        """Call one backend until it answers, runs out of attempts or the deadline passes."""
        retries = 0
        while True:
            if self._out_of_time(backend, run, 0.0):
                self._log(run.task, backend, run.attempts, 0.0, "deadline_passed", None)
                raise Unavailable("the task's deadline passed before this backend could be asked")
            timeout = self.settings.for_task(run.task).timeout_s
            if backend.remote:
                timeout = min(timeout, run.deadline - self._clock())
            run.attempts += 1
            started, usage = self._clock(), CallUsage()
            try:
                value = call(backend, timeout, usage)
            except AIError as exc:
                self._record(backend, run, started, exc, usage)
                retries += 1
                self._wait_to_retry(backend, run, exc, retries)
                continue
            except Exception as exc:
                error = Unavailable(
                    f"{backend.name} crashed: {type(exc).__name__}", retryable=False
                )
                self._record(backend, run, started, error, usage)
                raise error from exc
            self._record(backend, run, started, None, usage)
            return value

    def _wait_to_retry(
        self, backend: Backend, run: _TaskRun[Any] | _CallRun, exc: AIError, retries: int
    ) -> None:
        """Sleep before the `retries`-th retry, or re-raise `exc` when retrying cannot help."""
        if not exc.retryable or retries >= self.settings.max_attempts:
            raise exc
        delay = self._delay_for(exc, retries)
        if delay is None or self._out_of_time(backend, run, delay):
            raise exc
        self._sleep(delay)

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

    def _candidates(
        self, run: _TaskRun[Any] | _CallRun, backends: Sequence[B] | None = None
    ) -> list[B]:
        """Backends (the providers by default) not cooling down; when every one is, all of them
        (better late than never)."""
        pool: Sequence[Any] = self.providers if backends is None else backends
        ready = [p for p in pool if not self.is_cooling(p.name)]
        if not ready:
            return list(pool)
        for provider in pool:
            if provider not in ready:
                self._log(run.task, provider, 0, 0.0, "skipped_cooldown", None)
                run.failures.append((provider.name, Unavailable("skipped while cooling down")))
        return ready

    def context_budget(self, task: str, schema: type[BaseModel]) -> int | None:
        """Prompt tokens the smallest remote context window leaves after the task's reply and
        whatever the provider adds to the prompt for `schema`."""
        windows = [
            p.context_tokens - p.prompt_overhead_tokens(task, schema)
            for p in self.providers
            if p.remote and p.context_tokens
        ]
        if not windows:
            return None
        return min(windows) - (self.settings.for_task(task).max_output_tokens or 0)

    def _request(self, run: _TaskRun[Any], prompt: Prompt) -> ProviderRequest:
        """The provider request for `prompt` with the task's output cap and thinking budget."""
        task = self.settings.for_task(run.task)
        return ProviderRequest(
            run.payload,
            prompt.system,
            prompt.user,
            run.schema,
            max_output_tokens=task.max_output_tokens,
            thinking_budget=task.thinking_budget,
        )

    def _ask(self, provider: Provider, run: _TaskRun[T]) -> T:
        """Call one provider until it answers, runs out of attempts or the deadline passes."""
        request = self._request(run, run.prompt)
        retries, repaired = 0, False
        while True:
            try:
                return self._call_once(provider, run, request)
            except OutputTruncated:
                if repaired or self._out_of_time(provider, run, 0.0):
                    raise
                repaired = True  # the same prompt with twice the room and minimal thinking
                room = (request.max_output_tokens or 4_096) * 2
                thinking = 0 if request.thinking_budget else request.thinking_budget
                request = replace(
                    self._request(run, run.prompt), max_output_tokens=room, thinking_budget=thinking
                )
            except InvalidOutput as exc:
                if repaired or self._out_of_time(provider, run, 0.0):
                    raise
                repaired = True
                request = self._request(run, run.prompt.with_repair(exc.message, exc.raw))
            except AIError as exc:
                retries += 1
                self._wait_to_retry(provider, run, exc, retries)

    def _delay_for(self, exc: AIError, retries: int) -> float | None:
        """How long to wait before retrying; None when a Retry-After says come back much later."""
        retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
        if retry_after is not None and retry_after > self.settings.backoff_max_s:
            return None  # the provider now cools down until then; try the next one instead
        return self.backoff_delay(retries, retry_after)

    def _out_of_time(self, provider: Backend, run: _TaskRun[Any] | _CallRun, wait: float) -> bool:
        """A remote call must start (after `wait`) before the task's deadline; local ones may."""
        return provider.remote and self._clock() + wait >= run.deadline

    def _call_once(self, provider: Provider, run: _TaskRun[T], request: ProviderRequest) -> T:
        """One hop: call, validate, log, and keep the provider's health up to date."""
        if self._out_of_time(provider, run, 0.0):
            self._log(run.task, provider, run.attempts, 0.0, "deadline_passed", None)
            raise Unavailable("the task's deadline passed before this provider could be asked")
        timeout = self.settings.for_task(run.task).timeout_s
        if provider.remote:
            timeout = min(timeout, run.deadline - self._clock())
        run.attempts += 1
        started = self._clock()
        try:
            self._check_fits(provider, run.task, request)
            value = self._validate(provider.generate(run.task, request, timeout=timeout), run)
        except AIError as exc:
            self._record(provider, run, started, exc, request.usage)
            raise
        except Exception as exc:
            # A bug in a provider must not take the fallback chain down with it.
            error = Unavailable(f"{provider.name} crashed: {type(exc).__name__}", retryable=False)
            self._record(provider, run, started, error, request.usage)
            raise error from exc
        self._record(provider, run, started, None, request.usage)
        return value

    @staticmethod
    def _check_fits(provider: Provider, task: str, request: ProviderRequest) -> None:
        """Refuse, without a call, a prompt that cannot fit the provider's context window
        (counting what the provider adds to it, such as the schema's text)."""
        if not provider.remote or not provider.context_tokens:
            return
        needed = estimate_tokens(request.system) + estimate_tokens(request.user)
        needed += provider.prompt_overhead_tokens(task, request.schema)
        needed += request.max_output_tokens or 0
        if needed > provider.context_tokens:
            raise ContextOverflow(
                f"the prompt and reply need about {needed} tokens; {provider.name}'s context "
                f"window is {provider.context_tokens} (AI_CONTEXT_TOKENS)"
            )

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
        self,
        provider: Backend,
        run: _TaskRun[Any] | _CallRun,
        started: float,
        error: AIError | None,
        usage: CallUsage,
    ) -> None:
        """Log and record the hop, and update the provider's failure streak and cool-down."""
        now = self._clock()
        outcome = error.outcome if error else "ok"
        self._log(run.task, provider, run.attempts, now - started, outcome, error)
        if self.recorder is not None:
            self.recorder(
                CallRecord(
                    task=run.task,
                    provider=provider.name,
                    model=provider.model,
                    prompt_tokens=usage.prompt_tokens,
                    output_tokens=usage.output_tokens,
                    latency_ms=round((now - started) * 1000),
                    attempt=run.attempts,
                    outcome=outcome,
                    error=error.message[:500] if error else None,
                )
            )
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
        provider: Backend,
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
