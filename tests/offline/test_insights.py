"""Instant insights after each answer: what the page shows, with no score."""

from __future__ import annotations

from app.ai.offline import answer_insights

JOB = "We need Redis, Kafka and PostgreSQL experience for our payments platform."
ANSWER = (
    "Um, I think we basically used Redis as a cache in front of PostgreSQL. When the catalogue "
    "page was slow, I added cache-aside reads with a 5 minute TTL and invalidation on writes. "
    "Redis cut p95 latency by 40% and handled 2000 requests per second. Maybe we could add more."
)


def test_insights_cover_points_terms_words_and_numbers():
    """Key points covered, job terms used, filler, hedges, numbers — and no score at all."""
    insights = answer_insights(
        ANSWER,
        [
            "cache-aside reads from the cache first",
            "invalidate or expire entries on writes",
            "consistent hashing across nodes",
        ],
        JOB,
    )
    assert "score" not in insights
    assert insights["key_points_total"] == 3
    assert insights["key_points"][0]["covered"] is True
    assert insights["key_points"][0]["evidence"]
    assert insights["jd_terms_used"] == ["Redis", "PostgreSQL"]
    assert "Kafka" in insights["jd_terms_missing"]
    assert {"um", "basically"} <= {f["word"] for f in insights["filler_words"]}
    assert {"i think", "maybe"} <= {h["word"] for h in insights["hedging_words"]}
    assert "40%" in insights["metrics"] and insights["has_metrics"] is True
    assert {"redis", "cache"} <= {w["word"] for w in insights["top_words"]}
    assert set(insights["star"]) == {"situation", "task", "action", "result"}


def test_chinese_answer_insights():
    """Chinese answers get Chinese filler/hedge detection and counted numbers."""
    insights = answer_insights(
        "嗯，我觉得可能是用 Redis 做缓存，接口耗时从 200 毫秒降到 50 毫秒，缓存命中率 95%。",
        ["使用缓存降低延迟"],
        "熟悉 Redis、Kafka",
        language="zh",
    )
    assert insights["language"] == "zh"
    assert {"我觉得", "可能"} <= {h["word"] for h in insights["hedging_words"]}
    assert insights["filler_count"] >= 1
    assert "200 毫秒" in insights["metrics"] and "95%" in insights["metrics"]
    assert insights["jd_terms_used"] == ["Redis"]


def test_empty_answer_has_empty_insights():
    """Nothing covered, nothing counted, nothing crashes."""
    insights = answer_insights("", ["a point"], "")
    assert insights["key_points_covered"] == 0
    assert insights["numbers"] == [] and insights["has_metrics"] is False
    assert insights["word_count"] == 0


def test_job_description_is_scanned_once_per_text(monkeypatch):
    """Every answer of a session is matched against the same job description: its term scan runs
    once for that text, and later answers reuse it (with the same result)."""
    from app.ai.offline import insights as module
    from app.ai.offline.taxonomy import Taxonomy

    scanned: list[str] = []
    real_find = Taxonomy.find

    def counting_find(self, text, *args, **kwargs):
        scanned.append(text)
        return real_find(self, text, *args, **kwargs)

    module.jd_skills.cache_clear()
    monkeypatch.setattr(Taxonomy, "find", counting_find)
    first = module.jd_terms(ANSWER, JOB)
    second = module.jd_terms("Kafka consumers in groups, then Redis for the rest.", JOB)
    assert scanned.count(JOB) == 1
    assert first == (["Redis", "PostgreSQL"], ["Kafka"])
    assert second[0] == ["Redis", "Kafka"]
