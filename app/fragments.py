"""Rendered parts of pages kept in this process's memory, so a page that is viewed again renders
only what changed since.

A kept fragment is found by a key that names everything it shows: the user it was rendered for,
the rows it was rendered from and the state of those rows (a new answer, a saved draft, a new
evaluation makes a new key, and the old entry simply ages out). The user is always part of the
key, so one person's fragment is never served to another, even when a deleted row's id is taken
by someone else's new one. Each cache holds a bounded number of entries, least recently used
dropped first; gunicorn workers each keep their own.

A fragment never holds a CSRF token: it is rendered with `CSRF_PLACEHOLDER` in its place, and
`with_csrf` puts the current request's token back when the fragment is served.

The token itself (`csrf_token`, what templates call) is the session's secret signed with the app's
key; signing afresh on every page cost as much as a database read, so a signed token is kept per
secret for `CSRF_REUSE_S` and handed out again. It proves the same thing: it is checked against
the secret in the session and, with `WTF_CSRF_TIME_LIMIT` set, its age counts from its signing,
so a reused token expires at most `CSRF_REUSE_S` earlier than a fresh one.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from flask import current_app, g
from flask import session as flask_session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

T = TypeVar("T")

# Random per process: no text a user types into a page can equal it.
CSRF_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"


def csrf_placeholder() -> str:
    """Rendered where a kept fragment's form carries its CSRF token (see `with_csrf`)."""
    return CSRF_PLACEHOLDER


def with_csrf(html: str) -> Markup:
    """A kept fragment with this request's CSRF token in its forms."""
    if CSRF_PLACEHOLDER not in html:
        return Markup(html)  # noqa: S704 - rendered by Jinja with autoescaping
    return Markup(html.replace(CSRF_PLACEHOLDER, csrf_token()))  # noqa: S704 - as above


def csrf_token() -> str:
    """This request's signed CSRF token, as Flask-WTF's `generate_csrf` makes it, but signed at
    most once per `CSRF_REUSE_S` for each session secret (see the module docstring)."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = g.get(field)
    if token is not None:
        return str(token)
    secret = flask_session.get(field)
    if not isinstance(secret, str):
        return str(generate_csrf())  # a session's first form: this makes its secret
    window = int(time.time() // CSRF_REUSE_S)
    token = SIGNED_CSRF_TOKENS.get_or_render((secret, window), generate_csrf)
    setattr(g, field, token)  # where generate_csrf looks first, for the rest of the request
    return token


class FragmentCache(Generic[T]):
    """A bounded, thread-safe map from a key to rendered HTML (or to data a page renders from,
    which must then be immutable: every view shares it)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> T | None:
        """The fragment kept under `key`, if any."""
        with self._lock:
            html = self._entries.get(key)
            if html is not None:
                self._entries.move_to_end(key)
            return html

    def get_or_render(self, key: Hashable, render: Callable[[], T]) -> T:
        """The fragment kept under `key`, or `render()`'s, kept for next time."""
        html = self.get(key)
        if html is not None:
            return html
        html = render()  # outside the lock: two threads may render the same key, both correct
        with self._lock:
            self._entries[key] = html
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return html

    def pop(self, key: Hashable) -> T | None:
        """The fragment kept under `key`, forgotten; None when there is none."""
        with self._lock:
            return self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        """Forget every fragment."""
        with self._lock:
            self._entries.clear()


CSRF_REUSE_S = 60
# A signed token is about 90 bytes: a megabyte or two per worker at most.
SIGNED_CSRF_TOKENS: FragmentCache[str] = FragmentCache(size=8192)
