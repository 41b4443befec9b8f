"""A main answer graded with its follow-ups' replies: the remote grader is told which text is the
interviewer's follow-up question (context) and which is the candidate's, and a quote taken from
the follow-up question earns nothing."""

from __future__ import annotations

import re

import pytest

from app.ai.prompts import render_prompt
from app.ai.providers import GeminiProvider, OpenAICompatProvider, ProviderRequest
from app.ai.receipts import verified
from app.ai.schemas import AnswerEvaluation, AnswerToGrade, EvaluateRequest, FollowUpReply
from tests.support.fake_servers import gemini_reply, openai_reply

MAIN = "A closure is a function together with the scope it was defined in."
FOLLOW_UP = "Does the closure keep the outer variables alive after the outer function returns?"
REPLY = "Yes, by reference, so a later change to them is seen."
POINTS = ["a closure captures its defining scope", "captured variables outlive the outer call"]


def combined_item() -> AnswerToGrade:
    """A main answer with one follow-up's reply after it, as the evaluation sends it."""
    return AnswerToGrade(
        question_id=7,
        question="What is a closure in Python?",
        key_points=POINTS,
        answer=f"{MAIN}\n\n{REPLY}",
        follow_ups=[FollowUpReply(question=FOLLOW_UP, answer=REPLY)],
    )


def request() -> ProviderRequest:
    """The provider request for grading the combined item."""
    payload = EvaluateRequest(items=[combined_item()])
    prompt = render_prompt("evaluate_answers", payload)
    return ProviderRequest(payload, prompt.system, prompt.user, prompt.schema)


def block(text: str, name: str) -> str:
    """The body of one named data block of a prompt."""
    found = re.search(rf"<<<{name}\n(.*?)\n>>>", text, re.DOTALL)
    assert found, name
    return found.group(1)


def evaluation_quoting_the_follow_up() -> dict:
    """A model crediting one point on the candidate's words and one on the interviewer's."""
    return {
        "evaluations": [
            {
                "question_id": 7,
                "feedback": "Good.",
                "covered_points": POINTS,
                "missed_points": [],
                "evidence": [
                    {"point": POINTS[0], "quote": "a function together with the scope"},
                    {"point": POINTS[1], "quote": "keep the outer variables alive"},
                ],
                "errors": [],
                "confidence": 0.9,
                "score": 95,
            }
        ]
    }


def assert_told_whose_words(system: str, user: str) -> None:
    """The follow-up question is its own interviewer block before the reply, and the candidate's
    blocks hold only the candidate's words."""
    assert block(user, "CANDIDATE_ANSWER") == MAIN
    assert block(user, "INTERVIEWER_FOLLOW_UP_1") == FOLLOW_UP
    assert block(user, "CANDIDATE_REPLY_1") == REPLY
    assert user.index("INTERVIEWER_FOLLOW_UP_1") < user.index("CANDIDATE_REPLY_1")
    assert FOLLOW_UP not in block(user, "CANDIDATE_ANSWER") + block(user, "CANDIDATE_REPLY_1")
    assert "CANDIDATE_REPLY_n" in system and "INTERVIEWER_FOLLOW_UP(_n)" in system


@pytest.fixture
def openrouter(openrouter_server):
    """OpenRouter pointed at the fake."""
    return OpenAICompatProvider.openrouter(
        {
            "OPENROUTER_API_KEY": "or-key",
            "OPENROUTER_MODEL": "vendor/model-x",
            "OPENROUTER_BASE_URL": openrouter_server.base_url,
        }
    )


@pytest.fixture
def gemini(gemini_server):
    """Gemini pointed at the fake."""
    provider = GeminiProvider(api_key="g-key", model="gemini-test", base_url=gemini_server.url)
    yield provider
    provider.close()


def test_openai_is_told_which_text_is_the_follow_up(openrouter, openrouter_server) -> None:
    """Over the wire to an OpenAI-style server: whose words are whose, and only the candidate's
    quote holds."""
    openrouter_server.queue(openai_reply(evaluation_quoting_the_follow_up()))
    answer = openrouter.generate("evaluate_answers", request(), timeout=5)
    (sent,) = openrouter_server.received
    system, user = (m["content"] for m in sent.body["messages"])
    assert_told_whose_words(system, user)
    graded = verified(AnswerEvaluation.model_validate(answer["evaluations"][0]), combined_item())
    assert graded.covered_points == [POINTS[0]]


def test_gemini_is_told_which_text_is_the_follow_up(gemini, gemini_server) -> None:
    """The same over the wire to a Gemini-style server."""
    gemini_server.queue(gemini_reply(evaluation_quoting_the_follow_up()))
    answer = gemini.generate("evaluate_answers", request(), timeout=5)
    (sent,) = gemini_server.received
    system = sent.body["systemInstruction"]["parts"][0]["text"]
    user = sent.body["contents"][0]["parts"][0]["text"]
    assert_told_whose_words(system, user)
    graded = verified(AnswerEvaluation.model_validate(answer["evaluations"][0]), combined_item())
    assert graded.covered_points == [POINTS[0]]


def test_a_follow_ups_own_answer_keeps_one_candidate_block() -> None:
    """A follow-up graded on its own answer: the follow-up as context, the answer whole."""
    item = AnswerToGrade(
        question_id=8,
        question="What is a closure in Python?",
        follow_up_question=FOLLOW_UP,
        answer=REPLY,
    )
    prompt = render_prompt("evaluate_answers", EvaluateRequest(items=[item]))
    assert block(prompt.user, "INTERVIEWER_FOLLOW_UP") == FOLLOW_UP
    assert block(prompt.user, "CANDIDATE_ANSWER") == REPLY
    assert "CANDIDATE_REPLY_1" not in prompt.user
