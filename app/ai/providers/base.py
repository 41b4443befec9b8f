"""The small interface every AI provider implements, and helpers they share.

A provider makes exactly one call per `generate` and turns every failure into one of the app's
errors (`app.ai.errors`); retrying, backing off and falling back belong to the router alone.
"""

from __future__ import annotations

import json
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, get_origin

from pydantic import BaseModel

from app.ai.errors import AIError, InvalidOutput, RateLimited, Rejected, TimedOut, Unavailable

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)


@dataclass(frozen=True)
class ProviderRequest:
    """One task call: the typed request (for the offline interviewer) and its rendered prompt."""

    payload: BaseModel
    system: str
    user: str
    schema: type[BaseModel]


class Provider(ABC):
    """An AI backend that answers a task with a JSON object matching the request's schema."""

    name: str = "provider"
    model: str = ""
    remote: bool = True  # False: answers locally and instantly, so deadlines never skip it

    @abstractmethod
    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """Make one call and return the parsed JSON object, or raise an `AIError`."""

    def close(self) -> None:
        """Release network clients; the default provider holds none."""
        return None


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


def parse_json_reply(text: str | None, schema: type[BaseModel]) -> dict[str, Any]:
    """Pull the JSON object out of a model's reply, tolerating code fences and chatter around it.

    A bare list is accepted for a schema with exactly one required list field (just the questions).
    """
    raw = (text or "").strip()
    candidates = [raw, *(m.strip() for m in _FENCE.findall(raw))]
    start, end = raw.find("{"), raw.rfind("}")
    if 0 <= start < end:
        candidates.append(raw[start : end + 1])
    for candidate in candidates:
        try:
            data = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
        field = _single_list_field(schema)
        if isinstance(data, list) and field:
            return {field: data}
    raise InvalidOutput("the reply is not a JSON object", raw=raw)
