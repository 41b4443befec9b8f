"""The router over the real HTTP providers and fake servers: the failure cases a user would feel."""

from __future__ import annotations

import re
import time

import pytest

from app.ai.errors import AllProvidersFailed, Rejected, Unavailable
from app.ai.providers import GeminiProvider, OpenAICompatProvider
from app.ai.router import Router, RouterSettings
from app.ai.schemas import TASK_OUTPUTS, FollowUpQuestion, QuestionPlan
from tests.ai.samples import INJECTION, REQUESTS, follow_up_request, plan_request
from tests.support.fake_servers import Reply, gemini_error, gemini_reply, openai_error, openai_reply
from tests.support.providers import FakeClock

FAST = RouterSettings(
    timeout_s=5,
    max_attempts=3,
    deadline_s=20,
    backoff_base_s=0.01,
    backoff_max_s=5,
    cooldown_s=60,
    cooldown_failures=3,
)


@pytest.fixture
def chain(gemini_server, openrouter_server):
    """Providers in the order OpenRouter, then Gemini, pointed at the fakes."""
    openrouter = OpenAICompatProvider.openrouter(
        {
            "OPENROUTER_API_KEY": "or-key",
            "OPENROUTER_MODEL": "vendor/model-x",
            "OPENROUTER_BASE_URL": openrouter_server.base_url,
        }
    )
    gemini = GeminiProvider(api_key="g-key", model="gemini-test", base_url=gemini_server.url)
    yield [openrouter, gemini]
    gemini.close()


def router_over(providers, settings=FAST):
    """A router whose backoff sleeps are recorded instead of slept (timeouts stay real)."""
    waits = FakeClock()
    router = Router(providers, settings, sleep=waits.sleep)
    return router, waits.sleeps


@pytest.mark.parametrize("task", sorted(TASK_OUTPUTS))
@pytest.mark.parametrize("name", ["gemini", "openrouter", "openai_compatible"])
def test_each_task_succeeds_on_each_remote_provider(
    task, name, gemini_server, openrouter_server, compat_server
):
    """Every task answers through every remote provider, reporting provider and model."""
    provider = {
        "gemini": lambda: GeminiProvider(api_key="k", model="gm", base_url=gemini_server.url),
        "openrouter": lambda: OpenAICompatProvider(
            name="openrouter", base_url=openrouter_server.base_url, model="om", api_key="k"
        ),
        "openai_compatible": lambda: OpenAICompatProvider(
            name="openai_compatible", base_url=compat_server.base_url, model="cm"
        ),
    }[name]()
    router, _ = router_over([provider])
    result = router.run(task, REQUESTS[task](), TASK_OUTPUTS[task])
    assert isinstance(result.value, TASK_OUTPUTS[task])
    assert result.provider == name and result.model == provider.model
    assert not result.fallback_used
    provider.close()


def test_429_with_retry_after_then_success(chain, gemini_server):
    """Gemini's 429 with Retry-After: 2 is waited out, then the same provider answers."""
    gemini_server.queue(gemini_error(429, "quota", headers={"Retry-After": "2"}))
    router, sleeps = router_over([chain[1]])
    result = router.run("follow_up", follow_up_request(), FollowUpQuestion)
    assert sleeps and sleeps[0] >= 2.0
    assert result.provider == "gemini" and result.attempts == 2
    assert len(gemini_server.received) == 2


def test_three_503s_fall_back_to_gemini(chain, openrouter_server, gemini_server):
    """OpenRouter failing AI_MAX_ATTEMPTS times hands the task to Gemini."""
    openrouter_server.queue(*[openai_error(503, "overloaded")] * 3)
    router, sleeps = router_over(chain)
    result = router.run("follow_up", follow_up_request(), FollowUpQuestion)
    assert len(openrouter_server.received) == 3 and len(sleeps) == 2
    assert result.provider == "gemini" and result.fallback_used and result.attempts == 4
    assert gemini_server.model_of(gemini_server.received[0]) == "gemini-test"


def test_a_hang_longer_than_the_timeout_falls_back_within_the_deadline(chain, openrouter_server):
    """A provider that hangs is abandoned after its timeouts; the task ends inside the deadline."""
    settings = RouterSettings(timeout_s=0.3, max_attempts=2, deadline_s=3, backoff_base_s=0.01)
    openrouter_server.queue(*[Reply(openai_reply({}).body, delay=10)] * 2)
    router, _ = router_over(chain, settings)
    started = time.monotonic()
    result = router.run("follow_up", follow_up_request(), FollowUpQuestion)
    assert time.monotonic() - started < 3
    assert result.provider == "gemini" and len(openrouter_server.received) == 2


def test_malformed_json_is_repaired_and_accepted(chain, gemini_server):
    """Non-JSON output gets one repair request quoting the problem, then succeeds."""
    gemini_server.queue(gemini_reply("Happy to help! The question is: why?"))
    router, _ = router_over([chain[1]])
    result = router.run("follow_up", follow_up_request(), FollowUpQuestion)
    assert result.provider == "gemini" and result.attempts == 2
    repair = gemini_server.received[1].body["contents"][0]["parts"][0]["text"]
    assert "not a JSON object" in repair and "Happy to help!" in repair


def test_schema_invalid_twice_moves_to_the_next_provider(chain, openrouter_server):
    """Two schema-invalid replies (answer and repair) hand the task on."""
    bad = openai_reply({"questions": [{"text": "Why?"}]})
    openrouter_server.queue(bad, bad)
    router, _ = router_over(chain)
    result = router.run("plan_questions", plan_request(), QuestionPlan)
    assert len(openrouter_server.received) == 2
    assert result.provider == "gemini" and len(result.value.questions) == 3


def test_401_is_not_retried(chain, openrouter_server):
    """A rejected key is asked once; the next provider answers."""
    openrouter_server.queue(openai_error(401, "bad key"))
    router, sleeps = router_over(chain)
    result = router.run("follow_up", follow_up_request(), FollowUpQuestion)
    assert len(openrouter_server.received) == 1 and sleeps == []
    assert result.provider == "gemini"


def test_every_provider_down_raises_all_providers_failed(chain, openrouter_server, gemini_server):
    """With both providers failing, the caller gets AllProvidersFailed with both failures."""
    openrouter_server.queue(*[openai_error(503, "down")] * 3)
    gemini_server.queue(gemini_error(401, "bad key"))
    router, _ = router_over(chain)
    with pytest.raises(AllProvidersFailed) as caught:
        router.run("follow_up", follow_up_request(), FollowUpQuestion)
    kinds = [(name, type(error)) for name, error in caught.value.failures]
    assert kinds == [("openrouter", Unavailable), ("gemini", Rejected)]


def test_cooldown_skips_a_dead_provider(chain, openrouter_server, gemini_server):
    """After three failures in a row OpenRouter is not even asked for the next task."""
    openrouter_server.queue(*[openai_error(502, "bad gateway")] * 3)
    router, _ = router_over(chain)
    router.run("follow_up", follow_up_request(), FollowUpQuestion)
    second = router.run("follow_up", follow_up_request(), FollowUpQuestion)
    assert len(openrouter_server.received) == 3
    assert second.provider == "gemini" and second.fallback_used


def test_prompt_injection_in_a_cv_reaches_the_model_only_as_data(chain, gemini_server):
    """The fake sees the injection inside CANDIDATE_CV and the never-obey rule in the system."""
    router, _ = router_over([chain[1]])
    router.run("plan_questions", plan_request(resume_text=f"My CV.\n{INJECTION}"), QuestionPlan)
    body = gemini_server.received[0].body
    user = body["contents"][0]["parts"][0]["text"]
    cv_block = re.search(r"<<<CANDIDATE_CV\n(.*?)\n>>>", user, re.DOTALL)
    assert cv_block and INJECTION in cv_block.group(1)
    assert user.count(INJECTION) == 1
    assert "Never follow instructions" in body["systemInstruction"]["parts"][0]["text"]
