"""`flask ai ...`: operator commands for the AI providers."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from pydantic import BaseModel

from app.ai.errors import AIError
from app.ai.prompts import render_prompt
from app.ai.providers import FACTORIES, Provider, ProviderRequest, build_providers
from app.ai.providers.base import short
from app.ai.router import RouterSettings
from app.ai.schemas import (
    AnswerToGrade,
    EvaluateRequest,
    EvaluationBatch,
    FollowUpQuestion,
    FollowUpRequest,
    GradedAnswer,
    InterviewSummary,
    PlanRequest,
    QuestionPlan,
    SummaryRequest,
)
from app.ai.usage import load_calls, summarise

ai_cli = AppGroup("ai", help="AI providers: whether each answers every task, and what calls cost.")

# What each remote provider needs before it is used without AI_PROVIDERS naming it.
REQUIRED_SETTING = {
    "gemini": "GEMINI_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "openai_compatible": "OPENAI_COMPAT_BASE_URL",
}
# One small request per task: a provider passes only if it can do everything the app asks.
PROBES: dict[str, tuple[BaseModel, type[BaseModel]]] = {
    "plan_questions": (
        PlanRequest(
            resume_text="Backend engineer: five years of Python services and PostgreSQL.",
            job_title="Backend Engineer",
            job_description="Build Python APIs on PostgreSQL; Kubernetes preferred.",
            count=1,
            must_haves=["Python", "PostgreSQL"],
        ),
        QuestionPlan,
    ),
    "follow_up": (
        FollowUpRequest(
            question="What does a unit test check?",
            answer="It checks code.",
            missed_points=["one unit in isolation", "expected behaviour"],
        ),
        FollowUpQuestion,
    ),
    "evaluate_answers": (
        EvaluateRequest(
            items=[
                AnswerToGrade(
                    question_id=1,
                    question="What does a unit test check?",
                    key_points=["one unit in isolation", "expected behaviour"],
                    answer="It checks one function in isolation against expected results.",
                )
            ]
        ),
        EvaluationBatch,
    ),
    "summarize_interview": (
        SummaryRequest(
            overall_score=70,
            category_scores={"Testing": 70},
            answers=[
                GradedAnswer(
                    question="What does a unit test check?",
                    category="Testing",
                    score=70,
                    answer="It checks one function in isolation.",
                    missed_points=["expected behaviour"],
                )
            ],
        ),
        InterviewSummary,
    ),
}


def probe(
    provider: Provider, task: str, settings: RouterSettings, timeout: float | None
) -> tuple[bool, str]:
    """Run one task once against the provider; whether it passed, and a note with the timing."""
    payload, schema = PROBES[task]
    prompt = render_prompt(task, payload)
    budget = settings.for_task(task)
    request = ProviderRequest(
        payload,
        prompt.system,
        prompt.user,
        schema,
        max_output_tokens=budget.max_output_tokens,
        thinking_budget=budget.thinking_budget,
    )
    started = time.monotonic()
    try:
        schema.model_validate(provider.generate(task, request, timeout=timeout or budget.timeout_s))
    except AIError as exc:
        return False, f"FAILED {type(exc).__name__}: {exc.message}"
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        return False, f"FAILED InvalidOutput: {short(str(exc), 160)}"
    return True, f"ok ({round((time.monotonic() - started) * 1000)} ms)"


def unused_reason(name: str, config: Mapping[str, Any]) -> str:
    """Why a known provider is not in the chain."""
    setting = REQUIRED_SETTING.get(name)
    if setting and not config.get(setting):
        return f"not configured: set {setting}"
    return "not listed in AI_PROVIDERS"


@ai_cli.command("check")
@click.option("--timeout", type=float, default=None, help="Seconds per call (default: per task).")
def check_command(timeout: float | None) -> None:
    """Run every task once against each configured provider: pass/fail, timing, its own error.

    Exits non-zero when a configured provider fails any task (a missing model is named).
    """
    config = current_app.config
    try:
        providers = build_providers(config)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    settings = RouterSettings.from_config(config)
    failed: list[str] = []
    try:
        for position, provider in enumerate(providers, start=1):
            click.echo(f"{position}. {provider.name:<18} {provider.model}")
            for task in PROBES:
                ok, note = probe(provider, task, settings, timeout)
                click.echo(f"     {task:<20} {note}")
                if not ok:
                    failed.append(provider.name)
                    if "ModelNotFound" in note:
                        break  # every other task would fail the same way
    finally:
        for provider in providers:
            provider.close()
    chained = {p.name for p in providers}
    for name in FACTORIES:
        if name not in chained:
            click.echo(f"-  {name:<18} {unused_reason(name, config)}")
    if failed:
        names = ", ".join(dict.fromkeys(failed))
        raise click.ClickException(f"configured providers failed: {names}")


@ai_cli.command("usage")
@click.option("--since", type=click.DateTime(), default=None, help="Only calls since (UTC).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def usage_command(since: datetime | None, as_json: bool) -> None:
    """Calls, tokens, p50/p95 latency and failures per task and provider, from ai_calls."""
    rows = summarise(load_calls(since))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no AI calls recorded")
        return
    header = f"{'task':<20} {'provider':<18} {'model':<26} {'calls':>6} {'prompt tok':>11} "
    click.echo(header + f"{'output tok':>11} {'p50 ms':>7} {'p95 ms':>7} {'failed':>7}")
    for r in rows:
        click.echo(
            f"{r['task']:<20} {r['provider']:<18} {r['model'][:26]:<26} {r['calls']:>6} "
            f"{r['prompt_tokens']:>11} {r['output_tokens']:>11} {r['p50_ms']:>7} "
            f"{r['p95_ms']:>7} {r['failures']:>7}"
        )
