"""Instant insights shown after each answer, computed without any AI call and without a score.

Which key points the answer covered, which of the job description's terms it used, the words it
leans on, filler and hedging words, the STAR parts of a story, and the numbers that make a claim
concrete. Cheap enough to run on every answer.

Key points are judged by the same offline grade the evaluation uses (same matcher, same polarity
checks, same question context), so the live view never credits what the final grade does not.
Only the covered points are listed: key points are not shown before the session is evaluated, and
a missed point would give one away.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.ai.offline import text as tx
from app.ai.offline.evaluate import grade_in_context
from app.ai.offline.grading import star_parts
from app.ai.offline.taxonomy import load_taxonomy
from app.ai.schemas import AnswerToGrade
from app.language import as_language

if TYPE_CHECKING:
    pass

EN_FILLERS = (
    "um",
    "uh",
    "erm",
    "you know",
    "basically",
    "actually",
    "literally",
    "i mean",
    "so yeah",
    "stuff like that",
    "and so on",
    "or whatever",
)
EN_HEDGES = (
    "i think",
    "i guess",
    "i believe",
    "i suppose",
    "maybe",
    "perhaps",
    "probably",
    "possibly",
    "not sure",
    "might",
    "could be",
    "sort of",
    "kind of",
    "somewhat",
    "hopefully",
)
ZH_FILLERS = ("嗯", "呃", "那个", "就是说", "然后呢", "其实", "基本上", "反正", "怎么说呢")
ZH_HEDGES = (
    "可能",
    "大概",
    "应该是",
    "好像",
    "也许",
    "我觉得",
    "我猜",
    "不太确定",
    "不确定",
    "差不多",
    "估计",
)
_NUMBER = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)*\+?\s*(?:%|％|percent\b|ms\b|milliseconds?\b|seconds?\b|s\b|minutes?\b"
    r"|mins?\b|hours?\b|days?\b|weeks?\b|months?\b|x\b|times\b|k\b|m\b|gb\b|mb\b|tb\b|qps\b|rps\b"
    r"|tps\b|users\b|requests\b|倍|毫秒|秒|分钟|小时|天|万|亿|个|次|人|台)?",
    re.IGNORECASE,
)
_TOP_WORDS = 8


def phrase_counts(text: str, phrases: tuple[str, ...], chinese: bool) -> list[dict[str, Any]]:
    """How often each phrase occurs (whole words in English), most frequent first."""
    low = text.lower()
    found = []
    for phrase in phrases:
        count = low.count(phrase) if chinese else len(re.findall(rf"\b{re.escape(phrase)}\b", low))
        if count:
            found.append({"word": phrase, "count": count})
    return sorted(found, key=lambda f: (-f["count"], f["word"]))


def numbers_in(answer: str) -> tuple[list[str], list[str]]:
    """(every number, the numbers with a unit or percentage, i.e. metrics), without repeats."""
    numbers, metrics = [], []
    for match in _NUMBER.finditer(answer):
        value = match.group().strip()
        if value not in numbers:
            numbers.append(value)
        if re.search(r"[^\d.,+\s]", value) and value not in metrics:
            metrics.append(value)
    return numbers[:12], metrics[:12]


def top_words(answer: str) -> list[dict[str, Any]]:
    """The content words (Chinese: two-character terms) the answer uses most, with counts."""
    # One count per word as written: camelCase parts share their word's span.
    words = {
        (token.start, token.surface.lower())
        for token in tx.tokens(answer)
        if tx.is_content(token.term) and len(token.surface) > 2 and not token.surface.isdigit()
    }
    counts: Counter[str] = Counter(word for _start, word in words)
    counts.update(b for b in tx.cjk_bigrams(answer) if len(b) == 2 and b not in tx.ZH_WEAK_BIGRAMS)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"word": word, "count": count} for word, count in ranked[:_TOP_WORDS] if count > 1]


# A session's job description never changes, and every answer of the session scans it: the scan
# is kept per job-description text (a few hundred sessions' worth) instead of redone per answer.
@lru_cache(maxsize=256)
def jd_skills(job_description: str) -> tuple[tuple[str, str], ...]:
    """(skill id, skill name) of each taxonomy skill the job description names, in order."""
    return tuple((hit.skill.id, hit.skill.name) for hit in load_taxonomy().find(job_description))


def jd_terms(answer: str, job_description: str) -> tuple[list[str], list[str]]:
    """(job-description skills the answer uses, job-description skills it doesn't)."""
    wanted = jd_skills(job_description)
    used = {hit.skill.id for hit in load_taxonomy().find(answer)}
    return [name for id_, name in wanted if id_ in used], [
        name for id_, name in wanted if id_ not in used
    ]


def covered_points(item: AnswerToGrade, language: str) -> list[dict[str, Any]]:
    """The key points the answer covers, with quotes, as the final offline grade finds them."""
    if not item.answer.strip() or not (item.key_points or item.question.strip()):
        return []
    grade = grade_in_context(item, language)
    return [
        {"point": point, "covered": True, "evidence": grade.evidence.get(point)}
        for point in grade.covered_points
    ]


def answer_insights(
    answer: str,
    key_points: list[str],
    job_description: str,
    language: str | None = None,
    question: AnswerToGrade | None = None,
) -> dict[str, Any]:
    """Everything the page shows about one answer; no score.

    ``question`` is the answer as the evaluation would grade it (the main question as context, its
    key points and reference); without it the key points are matched on their own.
    """
    lang = language or tx.detect_language(answer)
    chinese = lang == "zh"
    item = question or AnswerToGrade(question_id=0, question="", key_points=key_points)
    item = item.model_copy(update={"answer": answer})
    covered = covered_points(item, as_language(lang))
    used, unused = jd_terms(answer, job_description)
    numbers, metrics = numbers_in(answer)
    fillers = phrase_counts(answer, ZH_FILLERS if chinese else EN_FILLERS, chinese)
    hedges = phrase_counts(answer, ZH_HEDGES if chinese else EN_HEDGES, chinese)
    return {
        "language": lang,
        "word_count": _length(answer),
        "key_points": covered,
        "key_points_covered": len(covered),
        "key_points_total": len(item.key_points),
        "jd_terms_used": used,
        "jd_terms_missing": unused[:10],
        "top_words": top_words(answer),
        "filler_words": fillers,
        "filler_count": sum(f["count"] for f in fillers),
        "hedging_words": hedges,
        "hedging_count": sum(h["count"] for h in hedges),
        "star": star_parts(answer, language=lang),
        "numbers": numbers,
        "metrics": metrics,
        "has_metrics": bool(metrics),
    }


def _length(answer: str) -> int:
    """Words, counting each Chinese character as one, as Chinese word counts do."""
    latin = len(re.findall(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?", answer))
    return latin + len(tx.CJK_RE.findall(answer))
