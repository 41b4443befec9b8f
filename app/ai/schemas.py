"""The AI tasks' inputs and outputs.

Every provider — Gemini, OpenAI-compatible, and the built-in offline interviewer — answers the same
four tasks with these pydantic models, so the rest of the app never sees a provider's own format.
Requests are plain data the app builds; responses are validated on the way in.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.language import Language

Kind = Literal["technical", "behavioral", "project", "situational", "coding"]
Difficulty = Literal["easy", "medium", "hard"]
Recommendation = Literal["Strongly recommended", "Recommended", "Consider", "Not recommended"]
RECOMMENDATIONS: tuple[Recommendation, ...] = (
    "Strongly recommended",
    "Recommended",
    "Consider",
    "Not recommended",
)


# ---------------------------------------------------------------- plan_questions
class PlanRequest(BaseModel):
    """What the planner needs: the candidate's CV, the job, and what to cover or avoid."""

    resume_text: str
    job_title: str = ""
    company_name: str = ""
    job_description: str
    count: int = Field(ge=1, le=20)
    language: Language = "en"
    must_haves: list[str] = Field(default_factory=list)
    nice_to_haves: list[str] = Field(default_factory=list)
    avoid_questions: list[str] = Field(default_factory=list)  # texts asked in earlier sessions


class PointMisconception(BaseModel):
    """A common wrong claim about one key point, so the offline grader can catch it later.

    ``point`` names the key point it belongs to (its exact text); ``cues`` are short phrases of 2–5
    words that all occur in one clause of an answer making the wrong claim.
    """

    point: str = Field(min_length=1, max_length=300)
    claim: str = Field(min_length=3, max_length=400)
    cues: list[str] = Field(min_length=1, max_length=4)
    correction: str = Field(min_length=3, max_length=600)


class PlannedQuestion(BaseModel):
    """One main interview question with what a good answer covers."""

    text: str = Field(min_length=5, max_length=2000)
    category: str = Field(min_length=1, max_length=80)
    skill: str = Field(min_length=1, max_length=80)
    kind: Kind
    difficulty: Difficulty
    reference_answer: str = Field(min_length=1, max_length=6000)
    key_points: list[str] = Field(min_length=3, max_length=6)
    # Optional: wrong claims per key point. A model that leaves them out still gives a valid plan.
    misconceptions: list[PointMisconception] = Field(default_factory=list, max_length=24)


class QuestionPlan(BaseModel):
    """The planner's answer: the questions in the order they are asked."""

    questions: list[PlannedQuestion]


# ---------------------------------------------------------------- follow_up
class FollowUpRequest(BaseModel):
    """An answer that left gaps; the provider writes one probing question about them."""

    question: str
    kind: Kind = "technical"
    answer: str
    missed_points: list[str] = Field(default_factory=list)
    missing_star_parts: list[str] = Field(default_factory=list)  # e.g. ["result"]
    language: Language = "en"


class FollowUpQuestion(BaseModel):
    """A follow-up question, or ``question=None`` when none is worth asking."""

    question: str | None = Field(default=None, max_length=1000)
    reason: str = Field(default="", max_length=500)
    key_points: list[str] = Field(default_factory=list, max_length=6)


# ---------------------------------------------------------------- evaluate_answers
class FollowUpReply(BaseModel):
    """A follow-up the interviewer asked on a main question, and the candidate's reply to it."""

    question: str = ""
    answer: str = ""


class AnswerToGrade(BaseModel):
    """One question with the candidate's answer and what a good answer covers."""

    question_id: int
    question: str  # for a follow-up, its main question: the context the answer is graded in
    category: str = ""
    kind: Kind = "technical"
    reference_answer: str = ""
    key_points: list[str] = Field(default_factory=list)
    misconceptions: list[PointMisconception] = Field(default_factory=list)
    answer: str = ""
    answer_mode: Literal["default", "code"] = "default"
    # The interviewer's follow-up this answer replies to: context only, never the candidate's words.
    follow_up_question: str = ""
    # For a main question graded with its follow-ups' answers (``answer`` holds each reply after
    # the main answer, in order): the follow-ups and their replies, so that a reply repeating its
    # follow-up's words is told from the candidate's own. Context only, never the candidate's words.
    follow_ups: list[FollowUpReply] = Field(default_factory=list)

    def reply_starts(self) -> tuple[tuple[int, str], ...]:
        """The follow-up questions the answer replies to, each with where its reply starts in
        ``answer``: the whole answer for a follow-up's answer, each reply after the main answer
        for a main question graded with its follow-ups' answers (a reply not found in the text is
        left out)."""
        if self.follow_up_question:
            return ((0, self.follow_up_question),)
        # The replies close the text in order, so each is found backwards from the end: a short
        # reply ("Yes.") is not mistaken for the same words in the main answer.
        found: list[tuple[int, str]] = []
        end = len(self.answer)
        for reply in reversed(self.follow_ups):
            text = reply.answer.strip()
            start = self.answer.rfind(text, 0, end) if text else -1
            if start >= 0:
                found.insert(0, (start, reply.question))
                end = start
        return tuple(found)


class EvaluateRequest(BaseModel):
    """A batch of answers graded in one call."""

    items: list[AnswerToGrade]
    language: Language = "en"
    job_description: str = ""


class QuotedPoint(BaseModel):
    """A key point the answer covers, and the verbatim words of the answer that cover it."""

    point: str = Field(max_length=500)
    quote: str = Field(max_length=500)


class QuotedError(BaseModel):
    """A wrong claim in the answer: what it claims, its verbatim words, and the correction."""

    claim: str = Field(max_length=500)
    quote: str = Field(max_length=500)
    correction: str = Field(default="", max_length=500)


class AnswerEvaluation(BaseModel):
    """The grade of one answer: reasons tied to the key points, each backed by a verbatim quote,
    then the score 0–100. The score comes last so a model writes its evidence before its verdict;
    the server checks every quote against the answer and recomputes the score from what holds."""

    question_id: int
    feedback: str = Field(max_length=4000)
    covered_points: list[str] = Field(default_factory=list)
    missed_points: list[str] = Field(default_factory=list)
    evidence: list[QuotedPoint] = Field(default_factory=list)
    errors: list[QuotedError] = Field(default_factory=list)
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    score: int = Field(ge=0, le=100)


class EvaluationBatch(BaseModel):
    """Grades for every item of an `EvaluateRequest`, matched by question_id."""

    evaluations: list[AnswerEvaluation]


# ---------------------------------------------------------------- summarize_interview
class GradedAnswer(BaseModel):
    """A graded answer as the summary sees it."""

    question: str
    category: str = ""
    skill: str = ""
    kind: Kind = "technical"
    answer: str = ""
    score: int = Field(ge=0, le=100)
    feedback: str = ""
    covered_points: list[str] = Field(default_factory=list)
    missed_points: list[str] = Field(default_factory=list)


class SummaryRequest(BaseModel):
    """Everything the summary is written from; the numbers were computed by the server."""

    job_title: str = ""
    company_name: str = ""
    job_description: str = ""
    resume_text: str = ""
    language: Language = "en"
    overall_score: int = Field(ge=0, le=100)
    category_scores: dict[str, int] = Field(default_factory=dict)
    answers: list[GradedAnswer] = Field(default_factory=list)


class ImprovementItem(BaseModel):
    """One step of the improvement plan."""

    topic: str = Field(min_length=1, max_length=200)
    action: str = Field(min_length=1, max_length=1000)
    resources: list[str] = Field(default_factory=list, max_length=6)


class InterviewSummary(BaseModel):
    """The written part of the feedback and report."""

    overall_feedback: str = Field(min_length=1, max_length=6000)
    strengths: list[str] = Field(min_length=1, max_length=5)
    weaknesses: list[str] = Field(min_length=1, max_length=5)
    cv_improvements: str = Field(default="", max_length=6000)  # Markdown
    improvement_plan: list[ImprovementItem] = Field(default_factory=list, max_length=8)
    candidate_summary: str = Field(default="", max_length=2000)
    recommendation: Recommendation = "Consider"


TASK_OUTPUTS: dict[str, type[BaseModel]] = {
    "plan_questions": QuestionPlan,
    "follow_up": FollowUpQuestion,
    "evaluate_answers": EvaluationBatch,
    "summarize_interview": InterviewSummary,
}
