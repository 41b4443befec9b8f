"""Feedback in the question's language: covered points with quotes, missed points, advice."""

from __future__ import annotations

from dataclasses import dataclass

from app.ai.offline.grading.result import Grade
from app.ai.offline.grading.scoring import Assessment
from app.ai.offline.grading.topic import Topic
from app.bands import feedback_band, interview_score
from app.language import Language


@dataclass(frozen=True)
class Wording:
    """The feedback's phrases in one language."""

    verdicts: dict[str, str]  # by the 1–10 label of `app.bands`, so every page says the same
    covered: str
    missed: str
    sep: str
    stop: str
    quote: str
    keyword_list: str
    contradiction: str
    altered: str  # a reference sentence copied with its content changed (not a known reversal)
    misconception: str
    unverified: str  # claims about the subject that none of the key points bears out
    depth: str
    star: str
    cliche: str
    off_ask: str  # a story that never shows what the question asks about
    invalid: str
    parts: dict[str, str]


WORDING = {
    "en": Wording(
        verdicts={
            "Excellent": "Excellent answer",
            "Good": "Good answer",
            "Adequate": "Adequate answer",
            "Needs Work": "Needs work",
            "Poor": "Poor answer",
        },
        covered="Covered: ",
        missed="Missed: ",
        sep="; ",
        stop=".",
        quote="{point} (“{quote}”)",
        keyword_list="It lists terms without explaining them: say how they relate and why.",
        contradiction="You said “{quote}”, which contradicts the key point; in fact: {point}.",
        altered="You wrote “{quote}”, which changes what the point rests on (“{truth}”), so it "
        "does not count for: {point}.",
        misconception="You said “{quote}”; in fact {correction}",
        unverified="Not verified: what you say about this subject does not bear out the key "
        "points, and it states as certain what the facts do not support; check each claim against "
        "the points above.",
        depth="Explain the why, and add a concrete example or number.",
        star="The story is missing: {parts}.",
        cliche="Self-descriptions (hard-working, passionate…) prove nothing; tell one real story.",
        off_ask="Your story does not show what was asked ({about}); tell one where that is what "
        "happened, and what you did about it.",
        invalid="Score 0/100: {reason} A good answer covers: {points}.",
        parts={
            "situation": "the situation",
            "task": "your task",
            "action": "what you did",
            "result": "the result, ideally with a number",
        },
    ),
    "zh": Wording(
        verdicts={
            "Excellent": "回答优秀",
            "Good": "回答良好",
            "Adequate": "回答合格",
            "Needs Work": "有待提高",
            "Poor": "回答较差",
        },
        covered="已覆盖：",
        missed="遗漏：",
        sep="；",
        stop="。",
        quote="{point}（“{quote}”）",
        keyword_list="只是罗列了术语，没有解释：请说明它们之间的关系和原因。",
        contradiction="你说“{quote}”，与要点相矛盾；实际上：{point}。",
        altered="你写的“{quote}”改变了要点所依据的说法（“{truth}”），因此不计入：{point}。",
        misconception="你说“{quote}”；实际上{correction}",
        unverified="未经核实：你对这个主题的说法与要点对不上，而且把缺少事实依据的说法讲得很绝对；"
        "请对照上面的要点逐条核对。",
        depth="多解释“为什么”，并补充具体的例子或数字。",
        star="故事缺少：{parts}。",
        cliche="自我评价（认真负责、学习能力强……）不是证据，请讲一个具体的经历。",
        off_ask="你讲的经历没有体现题目问的内容（{about}）；请讲一个真正与之相关的经历，以及你在其中做了什么。",
        invalid="0/100 分：{reason}好的回答应覆盖：{points}。",
        parts={
            "situation": "背景",
            "task": "你的任务",
            "action": "你具体做了什么",
            "result": "结果（最好有数字）",
        },
    ),
}


def write_feedback(
    lang: Language,
    score: int,
    topic: Topic,
    found: Assessment,
    evidence: dict[str, str],
    behavioral: bool,
) -> str:
    """Feedback naming covered and missed points with quotes, then what to improve."""
    w = WORDING[lang]
    band = w.verdicts[feedback_band(interview_score(score))]
    parts = [f"{band} ({score}/100)." if lang == "en" else f"{band}（{score}/100）。"]
    if evidence:
        quoted = (w.quote.format(point=p, quote=q) for p, q in evidence.items())
        parts.append(w.covered + w.sep.join(quoted) + w.stop)
    missed = [p.text for p in topic.points if p.text not in evidence]
    if missed:
        parts.append(w.missed + w.sep.join(missed) + w.stop)
    parts.extend(advice(w, found, topic, behavioral))
    return (" " if lang == "en" else "").join(parts)


def advice(w: Wording, found: Assessment, topic: Topic, behavioral: bool) -> list[str]:
    """The notes that tell the candidate what to change."""
    notes = [
        w.altered.format(point=point.text, quote=match.contradiction, truth=match.altered)
        if match.altered
        else w.contradiction.format(point=point.text, quote=match.contradiction)
        for point, match in zip(topic.points, found.matches, strict=True)
        if match.contradiction
    ]
    notes += [
        w.misconception.format(quote=hit.quote, correction=ending(hit.correction, w.stop))
        for match in found.matches
        for hit in match.misconceptions
    ]
    if found.unverified:
        notes.append(w.unverified)
    if found.keyword_list:
        notes.append(w.keyword_list)
    if behavioral and found.off_ask:
        about = topic.asks_about[0 if w is WORDING["en"] else 1] or topic.question
        notes.append(w.off_ask.format(about=about))
    if behavioral:
        absent = [w.parts[k] for k, v in found.star.items() if not v]
        if absent:
            notes.append(w.star.format(parts=w.sep.join(absent)))
        if found.cliche:
            notes.append(w.cliche)
    elif found.depth < 0.35 and not found.keyword_list and not notes:
        notes.append(w.depth)
    return notes


def ending(sentence: str, stop: str) -> str:
    """A correction ending in one full stop, so feedback never reads ".." or "。。"."""
    sentence = sentence.strip()
    return sentence if sentence.endswith((".", "。", "!", "！", "?", "？")) else sentence + stop


def invalid_grade(lang: Language, reason: str, points: list[str]) -> Grade:
    """A zero with the reason and what a good answer would have covered."""
    w = WORDING[lang]
    text = w.invalid.format(reason=reason, points=w.sep.join(points) or "—")
    return Grade(0, text, [], list(points), reason, {})
