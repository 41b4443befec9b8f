"""The router's retry, fallback, repair, cool-down and clamping rules, with scripted providers."""

from __future__ import annotations

import logging

import pytest

from app.ai.errors import (
    AllProvidersFailed,
    InvalidOutput,
    RateLimited,
    Rejected,
    TimedOut,
    Unavailable,
)
from app.ai.prompts import PROMPT_VERSIONS
from app.ai.router import Router, RouterSettings, clamp_to_schema
from app.ai.schemas import EvaluationBatch, FollowUpQuestion, InterviewSummary, QuestionPlan
from tests.ai.samples import CV, evaluate_request, follow_up_request, plan_request
from tests.support.fake_servers import sample_evaluations, sample_follow_up
from tests.support.providers import FakeClock, ScriptedProvider

SETTINGS = RouterSettings(
    timeout_s=5,
    max_attempts=3,
    deadline_s=60,
    backoff_base_s=0.5,
    backoff_max_s=8,
    cooldown_s=60,
    cooldown_failures=3,
)


def make_router(*providers, settings=SETTINGS, clock=None, jitter=lambda: 1.0):
    """A router over scripted providers whose sleeps only move a fake clock."""
    clock = clock or FakeClock()
    return Router(providers, settings, sleep=clock.sleep, clock=clock, jitter=jitter), clock


def follow_up(router):
    """Run the follow-up task."""
    return router.run("follow_up", follow_up_request(), FollowUpQuestion)


def test_success_reports_provider_model_version_and_attempts():
    """A first-try answer records who produced it and that no fallback happened."""
    router, _ = make_router(ScriptedProvider("alpha"), ScriptedProvider("beta"))
    result = follow_up(router)
    assert result.value == FollowUpQuestion(**sample_follow_up())
    assert (result.provider, result.model) == ("alpha", "alpha-model")
    assert result.prompt_version == PROMPT_VERSIONS["follow_up"]
    assert result.attempts == 1 and result.fallback_used is False


def test_retry_after_is_honoured_before_the_retry():
    """A 429 with Retry-After 2 waits at least 2 s, then the same provider answers."""
    alpha = ScriptedProvider("alpha", [RateLimited("429", retry_after=2.0)])
    router, clock = make_router(alpha, jitter=lambda: 0.0)
    result = follow_up(router)
    assert clock.sleeps == [2.0]
    assert result.provider == "alpha" and result.attempts == 2


def test_backoff_is_exponential_with_full_jitter_and_capped():
    """The n-th retry waits jitter * min(max, base * 2**(n-1))."""
    router, _ = make_router(ScriptedProvider("a"), jitter=lambda: 0.5)
    assert [router.backoff_delay(n) for n in (1, 2, 3, 6)] == [0.25, 0.5, 1.0, 4.0]
    assert router.backoff_delay(1, retry_after=3) == 3


def test_three_503s_fall_back_to_the_next_provider():
    """AI_MAX_ATTEMPTS unavailable replies move on; the result says a fallback produced it."""
    alpha = ScriptedProvider("alpha", [Unavailable("503")] * 3)
    router, clock = make_router(alpha, ScriptedProvider("beta"))
    result = follow_up(router)
    assert len(alpha.requests) == 3 and len(clock.sleeps) == 2
    assert result.provider == "beta" and result.fallback_used and result.attempts == 4


@pytest.mark.parametrize("error", [Rejected("401"), Rejected("403"), Rejected("400")])
def test_non_retryable_errors_go_straight_to_the_next_provider(error):
    """A 4xx rejection is never retried on the same provider."""
    alpha = ScriptedProvider("alpha", [error])
    router, clock = make_router(alpha, ScriptedProvider("beta"))
    assert follow_up(router).provider == "beta"
    assert len(alpha.requests) == 1 and clock.sleeps == []


def test_malformed_output_gets_one_repair_quoting_the_error():
    """Schema-invalid output is sent back once with the validation error, then accepted."""
    bad = {"question": "And then?", "key_points": "metric"}
    alpha = ScriptedProvider("alpha", [bad])
    router, _ = make_router(alpha)
    result = follow_up(router)
    assert result.provider == "alpha" and result.attempts == 2
    repair = alpha.requests[1].user
    assert "key_points: Input should be a valid list" in repair
    assert "<<<PREVIOUS_REPLY" in repair


def test_invalid_json_reply_is_repaired():
    """A provider's InvalidOutput (not JSON) also gets the repair attempt with its raw text."""
    alpha = ScriptedProvider("alpha", [InvalidOutput("not JSON", raw="Sure thing!")])
    router, _ = make_router(alpha)
    assert follow_up(router).attempts == 2
    assert "Sure thing!" in alpha.requests[1].user


def test_schema_invalid_twice_moves_to_the_next_provider():
    """After the one repair fails too, the next provider is asked."""
    bad = {"questions": "none"}
    alpha = ScriptedProvider("alpha", [bad, bad, bad])
    router, _ = make_router(alpha, ScriptedProvider("beta"))
    result = router.run("plan_questions", plan_request(), QuestionPlan)
    assert len(alpha.requests) == 2 and result.provider == "beta"


def test_every_provider_down_raises_all_providers_failed_with_each_failure():
    """When nobody answers, the error lists each provider's failure in order."""
    alpha = ScriptedProvider("alpha", [Unavailable("503")] * 3)
    beta = ScriptedProvider("beta", [Rejected("401")])
    router, _ = make_router(alpha, beta)
    with pytest.raises(AllProvidersFailed) as caught:
        follow_up(router)
    names = [(name, type(err)) for name, err in caught.value.failures]
    assert names == [("alpha", Unavailable), ("beta", Rejected)]
    assert "alpha" in str(caught.value) and "beta" in str(caught.value)


def test_a_provider_that_keeps_failing_is_skipped_until_its_cooldown_ends():
    """After AI_COOLDOWN_FAILURES failures in a row it is skipped for AI_COOLDOWN_S."""
    alpha = ScriptedProvider("alpha", [Unavailable("503")] * 3)
    router, clock = make_router(alpha, ScriptedProvider("beta"))
    follow_up(router)
    assert router.is_cooling("alpha")
    result = follow_up(router)
    assert result.provider == "beta" and result.fallback_used
    assert len(alpha.requests) == 3  # not asked during the cool-down
    clock.now += 61
    assert follow_up(router).provider == "alpha"


def test_a_long_retry_after_moves_on_and_cools_the_provider_that_long():
    """Retry-After beyond AI_BACKOFF_MAX_S: try the next provider now, skip this one until then."""
    alpha = ScriptedProvider("alpha", [RateLimited("429", retry_after=30.0)])
    router, clock = make_router(alpha, ScriptedProvider("beta"))
    assert follow_up(router).provider == "beta"
    assert clock.sleeps == [] and router.is_cooling("alpha")
    clock.now += 31
    assert not router.is_cooling("alpha")


def test_when_every_provider_is_cooling_they_are_tried_anyway():
    """A cool-down never leaves the app with nobody to ask."""
    alpha = ScriptedProvider("alpha", [Unavailable("503")] * 3)
    router, _ = make_router(alpha)
    with pytest.raises(AllProvidersFailed):
        follow_up(router)
    assert follow_up(router).provider == "alpha"


def test_the_deadline_stops_retries_and_skips_remote_providers():
    """Past AI_DEADLINE_S no remote provider is called; the local one still answers."""
    clock = FakeClock()

    def hang(request):
        clock.now += alpha.timeouts[-1]  # the call uses up its whole timeout
        return TimedOut("slow")

    settings = RouterSettings(timeout_s=5, deadline_s=10, backoff_base_s=1, max_attempts=5)
    alpha = ScriptedProvider("alpha", [hang] * 5)
    beta = ScriptedProvider("beta")
    offline = ScriptedProvider("offline", remote=False)
    router, _ = make_router(alpha, beta, offline, settings=settings, clock=clock)
    result = follow_up(router)
    assert clock.sleeps == [1.0] and alpha.timeouts == [5, 4]
    assert beta.requests == []  # its turn came after the deadline
    assert result.provider == "offline"


def test_the_call_timeout_never_exceeds_the_time_left():
    """Each remote call's timeout is the smaller of AI_TIMEOUT_S and the deadline remaining."""
    settings = RouterSettings(timeout_s=30, deadline_s=12, backoff_base_s=5, backoff_max_s=5)
    alpha = ScriptedProvider("alpha", [Unavailable("503")])
    router, _ = make_router(alpha, settings=settings)
    follow_up(router)
    assert alpha.timeouts == [12, 7]


def test_a_crashing_provider_falls_through_to_the_next():
    """An unexpected exception in a provider is a failure, not a crash of the task."""
    alpha = ScriptedProvider("alpha", [KeyError("bug")])
    router, _ = make_router(alpha, ScriptedProvider("beta"))
    assert follow_up(router).provider == "beta"


def test_scores_out_of_range_are_clamped_before_validation():
    """A model's 105 becomes 100 and -3 becomes 0 instead of failing the batch."""
    batch = sample_evaluations([11, 12])
    batch["evaluations"][0]["score"] = 105
    batch["evaluations"][1]["score"] = "-3"
    router, _ = make_router(ScriptedProvider("alpha", [batch]))
    result = router.run("evaluate_answers", evaluate_request("a", "b"), EvaluationBatch)
    assert [e.score for e in result.value.evaluations] == [100, 0]
    assert result.attempts == 1


def test_clamping_trims_over_long_lists_and_text():
    """Six strengths where five are allowed keep the first five; text is cut to its limit."""
    data = {"overall_feedback": "x" * 7_000, "strengths": list("abcdef"), "weaknesses": ["w"]}
    summary = InterviewSummary.model_validate(clamp_to_schema(data, InterviewSummary))
    assert summary.strengths == list("abcde") and len(summary.overall_feedback) == 6_000


def test_a_check_rejecting_the_value_triggers_the_repair():
    """A task check's ValueError counts as invalid output and is quoted in the repair."""
    calls = []

    def check(value):
        calls.append(value)
        if len(calls) == 1:
            raise ValueError("questions: expected 3 questions, got 1")
        return value

    alpha = ScriptedProvider("alpha")
    router, _ = make_router(alpha)
    router.run("plan_questions", plan_request(), QuestionPlan, check=check)
    assert "expected 3 questions, got 1" in alpha.requests[1].user


def test_one_log_line_per_hop_without_candidate_text(caplog):
    """Each hop logs task, provider, attempt, latency and outcome, and never the CV."""
    alpha = ScriptedProvider("alpha", [Unavailable("503")] * 3)
    router, _ = make_router(alpha, ScriptedProvider("beta"))
    with caplog.at_level(logging.INFO, logger="app.ai"):
        router.run("plan_questions", plan_request(), QuestionPlan)
    hops = [r for r in caplog.records if r.getMessage().startswith("ai_hop")]
    assert len(hops) == 4
    assert [r.ai_outcome for r in hops] == ["unavailable"] * 3 + ["ok"]
    assert "task=plan_questions provider=beta" in hops[-1].getMessage()
    assert all(CV[:30] not in r.getMessage() for r in caplog.records)


def test_run_refuses_a_schema_that_does_not_match_the_task():
    """Asking for the wrong output type is a programming error caught at once."""
    router, _ = make_router(ScriptedProvider("alpha"))
    with pytest.raises(TypeError):
        router.run("follow_up", follow_up_request(), QuestionPlan)


def test_settings_are_read_from_a_config_mapping():
    """RouterSettings.from_config reads the AI_* keys; no Flask needed."""
    settings = RouterSettings.from_config(
        {
            "AI_TIMEOUT_S": "7",
            "AI_MAX_ATTEMPTS": 0,
            "AI_DEADLINE_S": 20,
            "AI_COOLDOWN_S": 5,
            "PROMPT_RESUME_MAX_CHARS": 1234,
        }
    )
    assert settings.timeout_s == 7.0 and settings.max_attempts == 1
    assert settings.deadline_s == 20 and settings.cooldown_s == 5
    assert settings.limits.resume_max_chars == 1234
