"""The task facade the app calls: router per app, provider order, task checks, integrity guard."""

from __future__ import annotations

import pytest

from app.ai import tasks
from app.ai.errors import AllProvidersFailed, Unavailable
from app.ai.providers import OpenAICompatProvider, provider_names
from app.ai.router import RouterSettings
from app.ai.schemas import AnswerEvaluation, EvaluationBatch
from tests.ai.samples import (
    CV,
    INJECTION,
    evaluate_request,
    follow_up_request,
    plan_request,
    summary_request,
)
from tests.support.fake_servers import openai_reply, sample_evaluations, sample_plan
from tests.support.providers import ScriptedProvider
from tests.support.router import install_router


def install(app, *providers):
    """Make a router over the given providers, with the default retry settings, the app's AI."""
    return install_router(app, *providers, settings=RouterSettings())


def test_the_router_is_built_once_per_app_from_its_config(app):
    """get_router builds from app.config (testing: offline only) and caches it in extensions."""
    router = tasks.get_router()
    assert [p.name for p in router.providers] == ["offline"]
    assert router.settings.timeout_s == app.config["AI_TIMEOUT_S"]
    assert tasks.get_router() is router is app.extensions["ai_router"]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, ["offline"]),
        ({"GEMINI_API_KEY": "g"}, ["gemini", "offline"]),
        ({"OPENROUTER_API_KEY": "o", "GEMINI_API_KEY": "g"}, ["gemini", "openrouter", "offline"]),
        ({"OPENAI_COMPAT_BASE_URL": "http://127.0.0.1:11434/v1"}, ["openai_compatible", "offline"]),
        ({"AI_PROVIDERS": "openrouter, gemini", "GEMINI_API_KEY": "g"}, ["openrouter", "gemini"]),
        ({"AI_PROVIDERS": "offline,offline"}, ["offline"]),
    ],
)
def test_provider_order_follows_ai_providers_or_the_configured_keys(config, expected):
    """Without AI_PROVIDERS: remote providers that have keys, then offline."""
    assert provider_names(config) == expected


def test_an_unknown_provider_name_is_a_clear_configuration_error():
    """A typo in AI_PROVIDERS fails loudly instead of silently dropping a provider."""
    with pytest.raises(ValueError, match="geminy"):
        provider_names({"AI_PROVIDERS": "geminy,offline"})


def test_plan_questions_returns_exactly_the_asked_count(app):
    """Extra questions from a model are dropped; the result records the provider."""
    install(app, ScriptedProvider("alpha", [sample_plan(5)]))
    result = tasks.plan_questions(plan_request(count=3))
    assert len(result.value.questions) == 3 and result.provider == "alpha"


def test_too_few_questions_is_repaired_then_handed_on(app):
    """A short plan is invalid output: repaired once, then the next provider answers."""
    alpha = ScriptedProvider("alpha", [sample_plan(2), sample_plan(2)])
    install(app, alpha, ScriptedProvider("beta"))
    result = tasks.plan_questions(plan_request(count=3))
    assert "expected 3 questions, got 2" in alpha.requests[1].user
    assert result.provider == "beta" and result.fallback_used


def test_a_blank_follow_up_means_none(app):
    """A whitespace question from a model means no follow-up."""
    install(app, ScriptedProvider("alpha", [{"question": "  ", "reason": "complete"}]))
    assert tasks.write_follow_up(follow_up_request()).value.question is None


def test_evaluations_come_back_one_per_item_in_request_order(app):
    """Out-of-order and unknown evaluations are matched to the request by question_id."""
    batch = sample_evaluations([12, 99, 11])
    install(app, ScriptedProvider("alpha", [batch]))
    result = tasks.evaluate_answers(evaluate_request("first", "second"))
    assert [e.question_id for e in result.value.evaluations] == [11, 12]


def test_a_missing_evaluation_is_repaired(app):
    """A batch that skips an item gets the repair attempt naming the missing id."""
    alpha = ScriptedProvider("alpha", [sample_evaluations([11])])
    install(app, alpha)
    result = tasks.evaluate_answers(evaluate_request("first", "second"))
    assert "no evaluation for question_id [12]" in alpha.requests[1].user
    assert len(result.value.evaluations) == 2


def test_a_100_for_an_empty_answer_is_not_accepted(app, openrouter_server):
    """Injection in the CV plus a model that gives 100 to blank answers: blanks still score 0."""
    batch = sample_evaluations(
        [11, 12, 13], score=100, quote="partitioned by tenant", point="partitioning"
    )
    openrouter_server.queue(openai_reply(batch))
    provider = OpenAICompatProvider(
        name="openrouter", base_url=openrouter_server.base_url, model="m", api_key="k"
    )
    install(app, provider)
    req = evaluate_request("I partitioned by tenant and cached reads.", "", "   \n ")
    req.job_description = f"{CV}\n{INJECTION}"
    result = tasks.evaluate_answers(req)
    scores = {e.question_id: e.score for e in result.value.evaluations}
    assert scores == {11: 100, 12: 0, 13: 0}
    blank = result.value.evaluations[1]
    assert blank.covered_points == [] and blank.missed_points == req.items[1].key_points
    assert blank.feedback == "No answer was given."


def test_guard_leaves_honest_zero_grades_alone():
    """A model's own 0 with its reason for an empty answer is kept as it is."""
    req = evaluate_request("")
    honest = AnswerEvaluation(question_id=11, score=0, feedback="Blank.", missed_points=["x"])
    batch = EvaluationBatch(evaluations=[honest])
    assert tasks.guard_empty_answers(req, batch) == batch


def test_summarize_interview_returns_the_summary(app):
    """The summary task returns the validated InterviewSummary with its provenance."""
    install(app, ScriptedProvider("alpha"))
    result = tasks.summarize_interview(summary_request())
    assert result.value.recommendation == "Recommended"
    assert result.prompt_version == "summarize_interview/v1"


def test_all_providers_failing_reaches_the_caller(app):
    """The caller sees AllProvidersFailed (the app turns it into 'AI service error')."""
    install(app, ScriptedProvider("alpha", [Unavailable("down")] * 3))
    with pytest.raises(AllProvidersFailed):
        tasks.write_follow_up(follow_up_request())


def test_each_task_has_its_own_budget_and_ai_timeout_s_still_applies(monkeypatch):
    """Defaults: a fast follow-up, a longer evaluation; AI_TIMEOUT_S set sets every task's."""
    from app.config import DevelopmentConfig

    for name in ("AI_TIMEOUT_S", "AI_FOLLOW_UP_TIMEOUT_S", "AI_EVALUATE_TIMEOUT_S"):
        monkeypatch.delenv(name, raising=False)
    settings = RouterSettings.from_config(vars(DevelopmentConfig()))
    follow_up, evaluate = settings.for_task("follow_up"), settings.for_task("evaluate_answers")
    assert follow_up.timeout_s < evaluate.timeout_s
    assert follow_up.max_output_tokens < evaluate.max_output_tokens
    assert follow_up.thinking_budget == 0 < evaluate.thinking_budget
    monkeypatch.setenv("AI_TIMEOUT_S", "12")
    monkeypatch.setenv("AI_EVALUATE_TIMEOUT_S", "70")
    settings = RouterSettings.from_config(vars(DevelopmentConfig()))
    assert settings.for_task("follow_up").timeout_s == 12
    assert settings.for_task("evaluate_answers").timeout_s == 70
