"""A wrong AI setting stops the app at start-up with its own message, before any interview."""

from __future__ import annotations

import pytest

from app import create_app


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
