"""Make fake providers the app's AI: a router over them replaces the one built from config."""

from __future__ import annotations

from flask import Flask

from app.ai import tasks
from app.ai.providers.base import Provider
from app.ai.router import Router, RouterSettings

# One attempt per provider and no cool-down: a scripted failure is seen once, where it was meant.
ONE_ATTEMPT = RouterSettings(max_attempts=1, cooldown_failures=99)


def install_router(
    app: Flask, *providers: Provider, settings: RouterSettings = ONE_ATTEMPT
) -> Router:
    """Make a router over `providers` the app's AI; its backoff never sleeps."""
    router = Router(providers, settings, sleep=lambda seconds: None)
    app.extensions[tasks.ROUTER_KEY] = router
    return router


def restore_router(app: Flask) -> None:
    """Go back to the router the app builds from its config (testing: the offline interviewer)."""
    app.extensions.pop(tasks.ROUTER_KEY, None)
