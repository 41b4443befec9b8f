"""`flask ai ...`: operator commands for the AI providers."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from app.ai.errors import AIError
from app.ai.prompts import render_prompt
from app.ai.providers import FACTORIES, Provider, ProviderRequest, build_providers
from app.ai.schemas import FollowUpQuestion, FollowUpRequest

ai_cli = AppGroup("ai", help="AI providers: which are configured and whether they answer.")

# What each remote provider needs before it is used without AI_PROVIDERS naming it.
REQUIRED_SETTING = {
    "gemini": "GEMINI_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "openai_compatible": "OPENAI_COMPAT_BASE_URL",
}
PROBE = FollowUpRequest(
    question="What does a unit test check?",
    answer="It checks code.",
    missed_points=["one unit in isolation", "expected behaviour"],
)


def probe(provider: Provider, timeout: float) -> tuple[bool, str]:
    """Ask the provider a tiny follow-up task; return whether it answered and a short note."""
    prompt = render_prompt("follow_up", PROBE)
    request = ProviderRequest(PROBE, prompt.system, prompt.user, FollowUpQuestion)
    started = time.monotonic()
    try:
        FollowUpQuestion.model_validate(provider.generate("follow_up", request, timeout=timeout))
    except AIError as exc:
        return False, f"FAILED {type(exc).__name__}: {exc.message}"
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        return False, f"FAILED InvalidOutput: {type(exc).__name__}"
    return True, f"answers ({round((time.monotonic() - started) * 1000)} ms)"


def unused_reason(name: str, config: Mapping[str, Any]) -> str:
    """Why a known provider is not in the chain."""
    setting = REQUIRED_SETTING.get(name)
    if setting and not config.get(setting):
        return f"not configured: set {setting}"
    return "not listed in AI_PROVIDERS"


@ai_cli.command("check")
@click.option("--timeout", type=float, default=None, help="Seconds per provider (AI_TIMEOUT_S).")
def check_command(timeout: float | None) -> None:
    """List each configured provider in order, its model and whether it answers."""
    config = current_app.config
    try:
        providers = build_providers(config)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    answered = 0
    try:
        for position, provider in enumerate(providers, start=1):
            ok, note = probe(provider, timeout or float(config.get("AI_TIMEOUT_S", 30)))
            answered += ok
            click.echo(f"{position}. {provider.name:<18} {provider.model:<30} {note}")
    finally:
        for provider in providers:
            provider.close()
    chained = {p.name for p in providers}
    for name in FACTORIES:
        if name not in chained:
            click.echo(f"-  {name:<18} {'-':<30} {unused_reason(name, config)}")
    if not answered:
        raise click.ClickException("no AI provider answered")
