"""The offline provider adapts the built-in interviewer's functions to the provider interface."""

from __future__ import annotations

import importlib

import pytest

from app.ai.errors import Unavailable
from app.ai.prompts import render_prompt
from app.ai.providers import OfflineProvider, ProviderRequest
from app.ai.providers.offline import OFFLINE_FUNCTIONS
from app.ai.router import Router
from app.ai.schemas import (
    TASK_OUTPUTS,
    EvaluationBatch,
    FollowUpQuestion,
    InterviewSummary,
    QuestionPlan,
)
from tests.ai.samples import REQUESTS
from tests.support.fake_servers import (
    sample_evaluations,
    sample_follow_up,
    sample_plan,
    sample_summary,
)
from tests.support.providers import ScriptedProvider

offline_module = importlib.import_module("app.ai.offline")


def request_for(task: str) -> ProviderRequest:
    """The provider request for a sample of `task`."""
    payload = REQUESTS[task]()
    prompt = render_prompt(task, payload)
    return ProviderRequest(payload, prompt.system, prompt.user, prompt.schema)


@pytest.fixture
def stand_in(monkeypatch):
    """Stand-ins for the built-in interviewer's four functions; records what they were given."""
    seen = {}
    answers = {
        "plan_questions": QuestionPlan(**sample_plan(3)),
        "write_follow_up": FollowUpQuestion(**sample_follow_up()),
        "evaluate_answers": EvaluationBatch(**sample_evaluations([11])),
        "summarize_interview": InterviewSummary(**sample_summary()),
    }
    for name, answer in answers.items():

        def function(req, _name=name, _answer=answer):
            seen[_name] = req
            return _answer

        monkeypatch.setattr(offline_module, name, function, raising=False)
    return seen


@pytest.mark.parametrize("task", sorted(TASK_OUTPUTS))
def test_each_task_calls_the_interviewer_with_the_typed_request(stand_in, task):
    """The adapter hands the typed request to the matching function and returns its JSON."""
    request = request_for(task)
    answer = OfflineProvider().generate(task, request, timeout=1)
    TASK_OUTPUTS[task].model_validate(answer)
    assert stand_in[OFFLINE_FUNCTIONS[task]] is request.payload


def test_offline_is_local_and_named_for_the_record():
    """Results from it are recorded as offline / built-in, and deadlines never skip it."""
    provider = OfflineProvider()
    assert (provider.name, provider.model, provider.remote) == ("offline", "built-in", False)


def test_a_missing_function_is_a_non_retryable_failure(monkeypatch):
    """If the interviewer lacks a task, the adapter fails fast instead of retrying."""
    monkeypatch.delattr(offline_module, "write_follow_up", raising=False)
    with pytest.raises(Unavailable) as caught:
        OfflineProvider().generate("follow_up", request_for("follow_up"), timeout=1)
    assert not caught.value.retryable


def test_a_failing_interviewer_hands_over_to_the_next_provider(monkeypatch):
    """An exception inside the interviewer is reported once and the chain carries on."""

    def broken(req):
        raise RuntimeError("bank missing")

    monkeypatch.setattr(offline_module, "write_follow_up", broken, raising=False)
    backup = ScriptedProvider("backup")
    result = Router([OfflineProvider(), backup]).run(
        "follow_up", REQUESTS["follow_up"](), FollowUpQuestion
    )
    assert result.provider == "backup" and result.attempts == 2


@pytest.mark.parametrize("task", sorted(TASK_OUTPUTS))
def test_the_real_interviewer_answers_every_task_through_the_router(task):
    """With the built-in interviewer in place, every task validates against its schema."""
    if not all(hasattr(offline_module, name) for name in OFFLINE_FUNCTIONS.values()):
        pytest.skip("the built-in interviewer's functions are not in app.ai.offline yet")
    result = Router([OfflineProvider()]).run(task, REQUESTS[task](), TASK_OUTPUTS[task])
    assert result.provider == "offline" and result.attempts == 1
