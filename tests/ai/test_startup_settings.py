"""A wrong AI setting stops the app at start-up with its own message, before any interview."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app import create_app
from app.ai.prompts import PromptLimits
from app.ai.router import RouterSettings
from app.config import AI_ROUTER_DEFAULTS, PROMPT_BUDGET_DEFAULTS, Config


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"AI_PROVIDERS": "", "OPENAI_COMPAT_BASE_URL": "http://127.0.0.1:9/v1"},
            "AI settings: OPENAI_COMPAT_MODEL is not set",
        ),
        ({"AI_PROVIDERS": "gemini,chatgpt"}, "AI settings: AI_PROVIDERS names unknown"),
        (
            {"AI_PROVIDERS": "offline", "AI_CONTEXT_TOKENS": "openai_compatible=lots"},
            "AI settings: AI_CONTEXT_TOKENS: 'openai_compatible=lots' is not name=tokens",
        ),
        (
            {
                "AI_PROVIDERS": "openai_compatible",
                "OPENAI_COMPAT_BASE_URL": "http://127.0.0.1:9/v1",
                "OPENAI_COMPAT_MODEL": "qwen3:8b",
                "OPENAI_COMPAT_API": "grpc",
            },
            "AI settings: OPENAI_COMPAT_API is 'grpc'",
        ),
        ({"AI_PROVIDERS": "offline", "AI_PLAN_TIMEOUT_S": "soon"}, "AI settings: could not"),
        (
            {"TRANSCRIBE_PROVIDER": "gemini", "GEMINI_API_KEY": ""},
            "AI settings: TRANSCRIBE_PROVIDER=gemini needs GEMINI_API_KEY",
        ),
        ({"TRANSCRIBE_PROVIDER": "whisper"}, "AI settings: TRANSCRIBE_PROVIDER is 'whisper'"),
    ],
)
def test_a_wrong_ai_setting_stops_start_up_with_its_message(overrides, message):
    """create_app raises, naming the setting; no request is needed to find out."""
    with pytest.raises(RuntimeError) as raised:
        create_app("testing", overrides=overrides)
    assert str(raised.value).startswith(message)


def test_a_complete_compat_setting_starts(monkeypatch):
    """A compat server with its model starts without asking the server anything."""
    app = create_app(
        "testing",
        overrides={
            "AI_PROVIDERS": "openai_compatible,offline",
            "OPENAI_COMPAT_BASE_URL": "http://127.0.0.1:9/v1",
            "OPENAI_COMPAT_MODEL": "qwen3:8b",
        },
    )
    assert app.config["OPENAI_COMPAT_MODEL"] == "qwen3:8b"


def test_the_router_and_prompt_limits_default_to_the_configs(monkeypatch):
    """With nothing set in the environment, the router and the prompt budgets built without a
    config hold the same limits as those built from the app's config: one source for both."""
    for key in [*AI_ROUTER_DEFAULTS, *PROMPT_BUDGET_DEFAULTS, "AI_COOLDOWN_FAILURES"]:
        monkeypatch.delenv(key, raising=False)
    config = vars(Config())
    from_config = RouterSettings.from_config(config)
    assert replace(from_config, tasks={}) == RouterSettings()
    assert PromptLimits.from_config(config) == PromptLimits()


def test_a_configured_limit_reaches_the_router_and_the_prompts(monkeypatch):
    """A limit set in the environment is the one the router and the prompts use."""
    monkeypatch.setenv("AI_COOLDOWN_FAILURES", "5")
    monkeypatch.setenv("PROMPT_JD_MAX_CHARS", "1234")
    config = vars(Config())
    assert RouterSettings.from_config(config).cooldown_failures == 5
    assert RouterSettings.from_config(config).limits.jd_max_chars == 1234
