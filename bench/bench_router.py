"""AI router benchmark: per-call overhead and the prompt economy of one interview.

Overhead: the router (prompt rendering, validation, clamping, logging, health bookkeeping) against
a provider that answers instantly; target at most 2 ms per call.
Economy: the characters sent for an 8-question interview with a realistic CV and job description
(plan once, one follow-up, grade all answers in one batch, summarise once); target at most 25,000.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from pydantic import BaseModel

from app.ai.prompts import DEFAULT_LIMITS, render_prompt
from app.ai.providers.base import Provider, ProviderRequest
from app.ai.router import Router, RouterSettings
from app.ai.schemas import (
    TASK_OUTPUTS,
    AnswerToGrade,
    EvaluateRequest,
    FollowUpRequest,
    GradedAnswer,
    PlanRequest,
    SummaryRequest,
)

QUESTIONS = 8
OVERHEAD_TARGET_MS = 2.0
ECONOMY_TARGET_CHARS = 25_000

_CV_ROLE = (
    "- Designed and ran {thing} in Python on Kubernetes, serving {n} million requests a day; "
    "cut p99 latency by {p}% by adding caching and moving hot paths to async workers.\n"
)
_JD_LINE = "- {n}+ years with {skill}, including production ownership, on-call and reviews.\n"
_ANSWER = (
    "In my last role I owned the {topic} of our payments platform. The situation was that "
    "releases were slow and incidents frequent. I set up a plan with the team: we measured the "
    "baseline, split the work into small steps and added automated checks at each stage. I "
    "wrote the design doc, paired with two engineers on the riskiest parts and reviewed every "
    "change. As a result deployment time fell from two hours to fifteen minutes and incidents "
    "dropped by forty percent over the next quarter. I learned to agree on metrics up front. "
)


def realistic_cv() -> str:
    """A CV of about 4,000 characters: summary, five roles with bullets, skills, education."""
    things = ["a payments API", "an event pipeline", "a search service", "a billing system"]
    roles = []
    for year in range(5):
        bullets = "".join(
            _CV_ROLE.format(thing=things[(year + i) % 4], n=3 + i + year, p=20 + 5 * i)
            for i in range(4)
        )
        roles.append(
            f"\nSenior Engineer, Company {year + 1} ({2019 + year}-{2020 + year})\n{bullets}"
        )
    skills = "Python, Go, PostgreSQL, Redis, Kafka, Kubernetes, Terraform, AWS, Prometheus"
    return (
        "Jane Doe - Backend Engineer - jane@example.com\n"
        "Backend engineer with eight years of experience building reliable distributed systems.\n"
        + "".join(roles)
        + f"\nSkills: {skills}.\nEducation: BSc Computer Science, 2015."
    )


def realistic_jd() -> str:
    """A job description of about 2,500 characters with requirements and preferred skills."""
    musts = ["Python", "PostgreSQL", "Kubernetes", "distributed systems", "observability"]
    nices = ["Kafka", "Go", "Terraform"]
    about = (
        "Acme Payments moves money for two million small businesses. You will join the core "
        "platform team that owns the ledger, the payment APIs and the event pipeline. "
    ) * 6
    duties = "".join(f"- Own the design, delivery and operation of our {d} work.\n" for d in musts)
    return (
        f"Senior Backend Engineer\n\n{about}\n\nWhat you will do:\n{duties}\nRequirements:\n"
        + "".join(_JD_LINE.format(n=3 + i % 3, skill=s) for i, s in enumerate(musts))
        + "\nPreferred:\n"
        + "".join(f"- Experience with {s}.\n" for s in nices)
        + "\nHow we work: small teams own services end to end, write design docs before big "
        "changes, review every pull request within a day, ship several times a day behind "
        "feature flags, and run blameless post-mortems. Engineers pair on hard problems, mentor "
        "each other and share one on-call rotation of a week every two months. We measure what "
        "we ship: every service has latency and error budgets, dashboards and alerts that page a "
        "human only when customers are affected.\n"
        "We offer remote work, a learning budget and a calm on-call rotation."
    )


def answered_items() -> list[AnswerToGrade]:
    """Eight answered questions with reference answers (~100 words) and ~110-word answers."""
    reference = "A strong answer names the constraints, the design, trade-offs and a metric. " * 7
    return [
        AnswerToGrade(
            question_id=n,
            question=f"Tell me about how you improved the reliability of system number {n}.",
            category="System Design" if n % 2 else "Behavioral",
            kind="technical" if n % 2 else "behavioral",
            reference_answer=reference,
            key_points=["constraints", "design", "trade-offs", "measured result"],
            answer=_ANSWER.format(topic=f"area {n}"),
        )
        for n in range(1, QUESTIONS + 1)
    ]


def graded_answers(items: list[AnswerToGrade]) -> list[GradedAnswer]:
    """The same answers as the summary sees them, graded."""
    return [
        GradedAnswer(
            question=i.question,
            category=i.category,
            kind=i.kind,
            answer=i.answer,
            score=70,
            feedback="Clear structure; quantify the trade-offs more.",
            missed_points=["trade-offs"],
        )
        for i in items
    ]


def interview_requests() -> dict[str, BaseModel]:
    """The four requests of one 8-question interview."""
    cv, jd, items = realistic_cv(), realistic_jd(), answered_items()
    job: dict[str, Any] = {
        "job_title": "Senior Backend Engineer",
        "company_name": "Acme",
        "job_description": jd,
    }
    return {
        "plan_questions": PlanRequest(
            **job, resume_text=cv, count=QUESTIONS, must_haves=["Python", "Kubernetes"]
        ),
        "follow_up": FollowUpRequest(
            question=items[1].question,
            kind="behavioral",
            answer=items[1].answer,
            missed_points=["trade-offs"],
        ),
        "evaluate_answers": EvaluateRequest(items=items, job_description=jd),
        "summarize_interview": SummaryRequest(
            **job,
            resume_text=cv,
            overall_score=70,
            category_scores={"System Design": 72, "Behavioral": 68},
            answers=graded_answers(items),
        ),
    }


def prompt_economy() -> tuple[dict[str, int], int]:
    """Characters sent per call for one interview, and the total."""
    sizes = {
        task: render_prompt(task, req, DEFAULT_LIMITS).chars
        for task, req in interview_requests().items()
    }
    return sizes, sum(sizes.values())


class InstantProvider(Provider):
    """Answers every task at once with a fixed valid reply."""

    name = "instant"
    model = "instant"

    def __init__(self, replies: dict[str, dict[str, Any]]) -> None:
        self.replies = replies

    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """Return the canned reply for `task`."""
        return self.replies[task]


def canned_replies(requests: dict[str, BaseModel]) -> dict[str, dict[str, Any]]:
    """Valid replies for each task of the benchmark interview."""
    evaluate = requests["evaluate_answers"]
    assert isinstance(evaluate, EvaluateRequest)
    question = {
        "text": "Describe a design you owned.",
        "category": "System Design",
        "skill": "Python",
        "kind": "technical",
        "difficulty": "medium",
        "reference_answer": "Constraints, design, trade-offs.",
        "key_points": ["constraints", "design", "trade-offs"],
    }
    return {
        "plan_questions": {"questions": [question] * QUESTIONS},
        "follow_up": {
            "question": "What did you measure?",
            "reason": "No metric.",
            "key_points": [],
        },
        "evaluate_answers": {
            "evaluations": [
                {
                    "question_id": i.question_id,
                    "score": 105,
                    "feedback": "Good.",
                    "covered_points": ["design"],
                    "missed_points": [],
                }
                for i in evaluate.items
            ]
        },
        "summarize_interview": {
            "overall_feedback": "Solid.",
            "strengths": ["a", "b", "c"],
            "weaknesses": ["d", "e", "f"],
            "recommendation": "Recommended",
        },
    }


def router_overhead(calls: int = 500) -> dict[str, tuple[float, float]]:
    """Mean and p95 milliseconds per routed call, per task, against the instant provider."""
    requests = interview_requests()
    router = Router([InstantProvider(canned_replies(requests))], RouterSettings())
    figures = {}
    for task, req in requests.items():
        timings = []
        for _ in range(calls):
            started = time.perf_counter()
            router.run(task, req, TASK_OUTPUTS[task])
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        figures[task] = (statistics.fmean(timings), timings[int(len(timings) * 0.95)])
    return figures


def main() -> None:
    """Print router overhead and the prompt economy of one interview against their targets."""
    print(f"Router overhead per call (instant provider; target <= {OVERHEAD_TARGET_MS} ms)")
    for task, (mean, p95) in router_overhead().items():
        verdict = "ok" if mean <= OVERHEAD_TARGET_MS else "OVER"
        print(f"  {task:<22} mean {mean:6.3f} ms   p95 {p95:6.3f} ms   {verdict}")
    sizes, total = prompt_economy()
    print(f"Prompt economy, {QUESTIONS}-question interview (target <= {ECONOMY_TARGET_CHARS:,})")
    for task, chars in sizes.items():
        print(f"  {task:<22} {chars:>7,} chars")
    verdict = "ok" if total <= ECONOMY_TARGET_CHARS else "OVER"
    print(f"  {'total':<22} {total:>7,} chars in {len(sizes)} calls   {verdict}")


if __name__ == "__main__":
    main()
