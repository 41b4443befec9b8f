"""AI router benchmark: per-call overhead and the prompt economy of one interview.

Overhead: the router (prompt rendering, validation, clamping, logging, health bookkeeping) against
a provider that answers instantly; target at most 2 ms per call.
Economy: the characters and estimated tokens sent for an 8-question interview with a realistic CV
and job description (plan once, one follow-up, grade all answers in one batch, summarise once), in
English and in Chinese; target at most 25,000 characters in English. Tokens are the AI layer's own
conservative estimate (one per Chinese character, one per three other characters), the figure
prompts are budgeted with against AI_CONTEXT_TOKENS; providers bill somewhat fewer.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from pydantic import BaseModel

from app.ai.prompts import DEFAULT_LIMITS, render_prompt
from app.ai.providers.base import Provider, ProviderRequest, estimate_tokens
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


_ZH_ANSWER = (
    "在上一份工作中我负责支付平台的{topic}。当时的情况是发布很慢、故障频繁。我和团队制定了计划:"
    "先测量基线,把工作拆成小步骤,并在每个阶段加入自动化检查。我写了设计文档,和两位工程师结对"
    "处理风险最大的部分,并评审了每一次改动。结果部署时间从两小时降到十五分钟,下一季度故障减少了"
    "百分之四十。我学会了事先就指标达成一致。"
)


def chinese_requests() -> dict[str, BaseModel]:
    """The same interview in Chinese: CV, job description and answers of similar substance."""
    roles = "".join(
        f"\n高级工程师,公司{n + 1}({2019 + n}-{2020 + n})\n"
        + "- 用 Python 在 Kubernetes 上设计并运行支付接口,每天处理数百万请求;通过缓存和异步化"
        "把 p99 延迟降低了百分之三十。\n" * 4
        for n in range(5)
    )
    cv = (
        "张三 - 后端工程师\n八年构建可靠分布式系统的经验。"
        + roles
        + "\n技能:Python、Go、PostgreSQL"
    )
    jd = (
        "高级后端工程师\n\n"
        + "我们为两百万小商户处理支付。你将加入核心平台团队,负责账本、支付接口和事件管道。" * 6
        + "\n任职要求:\n- 三年以上 Python 经验\n- 熟悉 PostgreSQL 与 Kubernetes\n"
        "- 有分布式系统和可观测性经验\n加分项:\n- Kafka\n- Go\n"
    )
    requests = interview_requests()
    items = [
        item.model_copy(
            update={
                "question": f"请讲讲你如何提高第{item.question_id}个系统的可靠性。",
                "reference_answer": "好的回答说明约束、设计、权衡和一个量化结果。" * 7,
                "key_points": ["约束", "设计", "权衡", "量化结果"],
                "answer": _ZH_ANSWER.format(topic=f"第{item.question_id}部分"),
            }
        )
        for item in answered_items()
    ]
    zh: dict[str, Any] = {"language": "zh"}
    return {
        "plan_questions": requests["plan_questions"].model_copy(
            update={**zh, "resume_text": cv, "job_description": jd, "job_title": "高级后端工程师"}
        ),
        "follow_up": requests["follow_up"].model_copy(
            update={**zh, "question": items[1].question, "answer": items[1].answer}
        ),
        "evaluate_answers": EvaluateRequest(items=items, job_description=jd, language="zh"),
        "summarize_interview": requests["summarize_interview"].model_copy(
            update={**zh, "resume_text": cv, "job_description": jd}
        ),
    }


def prompt_economy(language: str = "en") -> tuple[dict[str, tuple[int, int]], int]:
    """(characters, estimated tokens) sent per call for one interview, and total characters."""
    requests = chinese_requests() if language == "zh" else interview_requests()
    sizes = {}
    for task, req in requests.items():
        prompt = render_prompt(task, req, DEFAULT_LIMITS)
        sizes[task] = (prompt.chars, estimate_tokens(prompt.system) + estimate_tokens(prompt.user))
    return sizes, sum(chars for chars, _ in sizes.values())


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
    for language in ("en", "zh"):
        sizes, total = prompt_economy(language)
        target = f"target <= {ECONOMY_TARGET_CHARS:,} chars" if language == "en" else "no target"
        print(f"Prompt economy, {QUESTIONS}-question interview, {language} ({target})")
        for task, (chars, tokens) in sizes.items():
            print(f"  {task:<22} {chars:>7,} chars {tokens:>7,} tokens (est.)")
        tokens = sum(t for _, t in sizes.values())
        verdict = "ok" if language != "en" or total <= ECONOMY_TARGET_CHARS else "OVER"
        calls = f"{len(sizes)} calls"
        print(f"  {'total':<22} {total:>7,} chars {tokens:>7,} tokens in {calls}   {verdict}")


if __name__ == "__main__":
    main()
