"""A realistic sample report (English or Chinese) for the PDF tests and the PDF benchmark.

It exercises what real reports contain at their largest: up to 20 questions, follow-ups, a code
answer, a 5,000-character answer, long unbroken tokens and every score band.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.language import as_language
from app.reports.pdf.data import ReportMeta

_EN_CATEGORIES = ["Python", "System Design", "Databases", "Behavioral", "Testing", "Networking"]
_ZH_CATEGORIES = ["Java 基础", "Spring 框架", "MySQL", "Redis 缓存", "行为面试", "系统设计"]
_SCORES = [92, 81, 74, 66, 58, 35, 88, 70, 45, 79, 61, 95, 52, 77, 68, 83, 40, 72, 90, 64]
CODE_ANSWER = (
    "def top_k(nums: list[int], k: int) -> list[int]:\n"
    '    """Return the k largest numbers, largest first."""\n'
    "    import heapq\n"
    "    heap: list[int] = []\n"
    "    for n in nums:\n"
    "        if len(heap) < k:\n"
    "            heapq.heappush(heap, n)\n"
    "        elif n > heap[0]:\n"
    "            heapq.heapreplace(heap, n)  # O(log k) per item, O(n log k) overall\n"
    "    return sorted(heap, reverse=True)\n"
)
ZH_SENTENCE = "候选人对缓存穿透和缓存雪崩的区别理解清楚，并能结合项目经验说明解决方案。"


def _text(language: str, en: str, zh: str) -> str:
    """Pick the English or Chinese wording."""
    return zh if language == "zh" else en


def _answer(index: int, language: str) -> str:
    """A plausible answer; question 2 is 5,000 characters long and question 3 is code."""
    if index == 1:
        unit = _text(
            language,
            "I would start by measuring the slow path and then profile it. ",
            "我会先测量慢的路径，再用分析工具定位瓶颈，然后逐步优化并验证结果。",
        )
        return (unit * (5000 // len(unit) + 1))[:5000]
    if index == 2:
        return CODE_ANSWER
    if index == 5:
        return "See https://example.com/" + "a" * 300 + " for details."
    return _text(
        language,
        "In my last project we split the monolith into services.\nWe used queues to decouple "
        "writes, added idempotency keys, and measured p95 latency before and after (down 40%).",
        "在上一个项目中，我们把单体应用拆分成多个服务。\n我们用消息队列解耦写操作，"
        "增加了幂等键，并在改造前后测量了 P95 延迟（下降了 40%）。",
    )


def _question(index: int, language: str, categories: list[str]) -> dict[str, Any]:
    """One `question_details` entry."""
    score = _SCORES[index % len(_SCORES)]
    return {
        "question_id": 100 + index,
        "position": index + 1,
        "question": _text(
            language,
            f"Question {index + 1}: how would you design a rate limiter for a public API?",
            f"第 {index + 1} 题：如何为公开 API 设计限流器？请说明算法与取舍。",
        ),
        "category": categories[index % len(categories)],
        "is_follow_up": index % 4 == 3,
        "answer": _answer(index, language),
        "score": score,
        "feedback": _text(
            language, "Clear structure; name the trade-offs of each algorithm.", ZH_SENTENCE
        ),
        "covered_points": [_text(language, "Token bucket", "令牌桶算法")],
        "missed_points": [_text(language, "Distributed counters", "分布式计数")]
        if score < 75
        else [],
        "reference_answer": _text(
            language,
            "Use a token bucket per client key stored in Redis; refill lazily on each request.",
            "为每个客户端键在 Redis 中维护令牌桶，在每次请求时惰性补充令牌。",
        ),
        "key_points": [
            _text(language, "Token bucket", "令牌桶算法"),
            _text(language, "Distributed counters", "分布式计数"),
        ],
    }


def sample_report(question_count: int = 8, language: str = "en") -> dict[str, Any]:
    """A report JSON object (SPEC §4) with `question_count` questions."""
    categories = _ZH_CATEGORIES if language == "zh" else _EN_CATEGORIES
    details = [_question(i, language, categories) for i in range(question_count)]
    used = categories[: min(len(categories), question_count)]
    by_category = {c: [q["score"] for q in details if q["category"] == c] for c in used}
    overall = round(sum(q["score"] for q in details) / max(1, len(details)))
    return {
        "session_id": 42,
        "overall_score": overall,
        "band": "Good"
        if overall >= 75
        else "Adequate"
        if overall >= 60
        else "Needs significant improvement",
        "category_scores": [
            {"category": c, "score": round(sum(s) / len(s)), "question_count": len(s)}
            for c, s in by_category.items()
        ],
        "skill_scores": {
            "must_haves": [{"skill_name": c, "score": by_category[c][0]} for c in used[:3]],
            "nice_to_haves": [{"skill_name": "Kubernetes", "score": 55}],
        },
        "question_details": details,
        "overall_feedback": _text(
            language,
            "A solid interview. You explain designs clearly and back claims with numbers.\n\n"
            "Work on naming trade-offs explicitly and on distributed-systems depth.",
            ZH_SENTENCE + "\n\n建议加强分布式系统方面的深度，并在回答中明确说明取舍。",
        ),
        "strengths": [
            _text(language, "Clear structure", "回答结构清晰"),
            _text(language, "Uses metrics", "善于用数据说明结果"),
            _text(language, "Good Python fundamentals", "Java 基础扎实"),
        ],
        "improvements": [
            _text(language, "Name trade-offs", "明确说明方案取舍"),
            _text(language, "Distributed systems depth", "加强分布式系统知识"),
            _text(language, "Testing strategy", "完善测试策略"),
        ],
        "improvement_plan": [
            {
                "topic": _text(language, "Distributed rate limiting", "分布式限流"),
                "action": _text(
                    language,
                    "Implement a Redis token bucket and load-test it.",
                    "用 Redis 实现令牌桶并进行压测。",
                ),
                "resources": [
                    "https://redis.io/docs/latest/develop/",
                    "Designing Data-Intensive Applications, ch. 8",
                ],
            },
            {
                "topic": _text(language, "Trade-off language", "表达取舍"),
                "action": _text(
                    language,
                    "Practise answering with options, costs and a choice.",
                    "练习按“方案—成本—选择”的结构回答问题。",
                ),
                "resources": [],
            },
        ],
        "provider": "offline",
        "model": "offline-grader-1",
        "fallback_used": language == "zh",
        "created_at": "2026-05-01T10:00:00+00:00",
    }


def sample_meta(language: str = "en") -> ReportMeta:
    """The `ReportMeta` that goes with `sample_report`; question 3 was answered in code."""
    return ReportMeta(
        session_id=42,
        job_title=_text(language, "Senior Backend Engineer", "高级后端工程师"),
        company_name=_text(language, "Acme Corp", "星辰科技"),
        candidate_name=_text(language, "Ada Lovelace", "张伟"),
        interview_date=datetime(2026, 5, 1, 9, 30, tzinfo=UTC),
        language=as_language(language),
        answer_modes={102: "code"},
    )
