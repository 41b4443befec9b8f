"""The small interface every AI provider implements, and helpers they share.

A provider makes exactly one call per `generate` and turns every failure into one of the app's
errors (`app.ai.errors`); retrying, backing off and falling back belong to the router alone.
"""

from __future__ import annotations

import json
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, get_origin

import requests
from pydantic import BaseModel

from app.ai.errors import AIError, InvalidOutput, RateLimited, Rejected, TimedOut, Unavailable

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)
# Reasoning models put their thoughts in <think>...</think> (or <thinking>) before the answer; an
# unclosed block means the reply was cut off while still thinking.
_THINK = re.compile(r"<(think|thinking|reasoning)>.*?(?:</\1>|\Z)", re.DOTALL | re.IGNORECASE)
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")


@dataclass
class CallUsage:
    """What one call cost, as the provider's usage fields report it (None when not reported)."""

    prompt_tokens: int | None = None
    output_tokens: int | None = None


@dataclass(frozen=True)
class ProviderRequest:
    """One task call: the typed request (for the offline interviewer) and its rendered prompt.

    `max_output_tokens` and `thinking_budget` come from the task's settings (None: the server's
    default); the provider fills `usage` from the reply's usage fields.
    """

    payload: BaseModel
    system: str
    user: str
    schema: type[BaseModel]
    max_output_tokens: int | None = None
    thinking_budget: int | None = None
    usage: CallUsage = field(default_factory=CallUsage, compare=False)


class Backend:
    """What the router needs to know of anything it calls: a name and model for the ai_calls
    row, whether it is remote (deadlines apply), and its context window."""

    name: str = "provider"
    model: str = ""
    remote: bool = True  # False: answers locally and instantly, so deadlines never skip it
    context_tokens: int | None = None  # the model's context window; None: unlimited (offline)

    def close(self) -> None:
        """Release network clients; the default backend holds none."""
        return None

    def prompt_overhead_tokens(self, task: str, schema: type[BaseModel]) -> int:
        """Tokens the backend adds to a task's prompt on its own (none by default)."""
        return 0


class Provider(Backend, ABC):
    """An AI backend that answers a task with a JSON object matching the request's schema."""

    @abstractmethod
    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """Make one call and return the parsed JSON object, or raise an `AIError`."""


def post(url: str, timeout: float, **request: Any) -> tuple[requests.Response, Any]:
    """POST over HTTP: the response and its decoded JSON body (None when it is not JSON).

    No reply within `timeout` is TimedOut and a failed connection is Unavailable; what the
    status means is the caller's to judge, since each provider words its errors its own way.
    """
    try:
        resp = requests.post(url, timeout=timeout, **request)
    except requests.Timeout as exc:
        raise TimedOut(f"no reply within {timeout:.1f}s") from exc
    except requests.RequestException as exc:
        raise Unavailable(f"connection failed: {type(exc).__name__}") from exc
    try:
        return resp, resp.json()
    except ValueError:
        return resp, None


def short(text: str, limit: int = 200) -> str:
    """A provider message trimmed for error text and logs."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def parse_retry_after(value: str | None, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), else None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now())
    except (TypeError, ValueError, IndexError):
        return None


def error_for_status(status: int, message: str, retry_after: float | None = None) -> AIError:
    """Map an HTTP status (or an error code inside a body) to the app's error class."""
    text = f"HTTP {status}: {short(message)}"
    error: AIError
    if status == 429:
        error = RateLimited(text, retry_after=retry_after)
    elif status == 408:
        error = TimedOut(text)
    elif status in (409, 425) or status >= 500 or status < 400:
        error = Unavailable(text)
    else:
        error = Rejected(text)
    error.status = status
    return error


def _single_list_field(schema: type[BaseModel]) -> str | None:
    fields = schema.model_fields.items()
    lists = [name for name, f in fields if get_origin(f.annotation) is list and f.is_required()]
    return lists[0] if len(lists) == 1 else None


def estimate_tokens(text: str) -> int:
    """A conservative token count: one per CJK character, one per three other characters.

    Real tokenizers give about four English characters per token and one or two Chinese
    characters per token; overestimating keeps a prompt inside the window it is budgeted for.
    """
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk + 2) // 3


def strip_reasoning(text: str) -> str:
    """The reply without <think>...</think> blocks."""
    return _THINK.sub("", text).strip()


def _json_objects(text: str) -> list[Any]:
    """Every JSON value that starts at a '{' or '[' in `text`, in order (prose may surround it)."""
    decoder = json.JSONDecoder()
    found: list[Any] = []
    index = 0
    while True:
        starts = [i for i in (text.find("{", index), text.find("[", index)) if i >= 0]
        if not starts:
            return found
        start = min(starts)
        try:
            value, end = decoder.raw_decode(text, start)
        except ValueError:
            index = start + 1
            continue
        found.append(value)
        index = end


def _as_object(data: Any, schema: type[BaseModel]) -> dict[str, Any] | None:
    if isinstance(data, dict):
        return data
    field_name = _single_list_field(schema)
    if isinstance(data, list) and field_name:
        return {field_name: data}
    return None


def parse_json_reply(text: str | None, schema: type[BaseModel]) -> dict[str, Any]:
    """Pull the JSON object out of a model's reply.

    Tolerates <think> blocks, code fences and prose around the object (even prose with braces):
    the object naming most of the schema's fields wins. A bare list is accepted for a schema with
    exactly one required list field (just the questions).
    """
    raw = (text or "").strip()
    body = strip_reasoning(raw)
    candidates = [body, *(m.strip() for m in _FENCE.findall(body))]
    for candidate in candidates:
        try:
            found = _as_object(json.loads(candidate), schema)
        except ValueError:
            continue
        if found is not None:
            return found
    fields = set(schema.model_fields)
    objects = [o for o in map(lambda v: _as_object(v, schema), _json_objects(body)) if o]
    if objects:
        return max(objects, key=lambda o: (len(fields & set(o)), len(json.dumps(o))))
    raise InvalidOutput("the reply is not a JSON object", raw=raw)


def context_table(config: Mapping[str, Any]) -> dict[str, int]:
    """AI_CONTEXT_TOKENS (``gemini=1048576,openai_compatible=8192``) as a name-to-tokens dict."""
    raw = config.get("AI_CONTEXT_TOKENS") or ""
    if isinstance(raw, Mapping):
        return {str(k): int(v) for k, v in raw.items()}
    table: dict[str, int] = {}
    for entry in str(raw).split(","):
        name, _, value = entry.partition("=")
        if name.strip() and value.strip():
            try:
                table[name.strip().lower()] = int(value)
            except ValueError as exc:
                message = f"AI_CONTEXT_TOKENS: {entry.strip()!r} is not name=tokens"
                raise ValueError(message) from exc
    return table
