"""STAR structure: which parts of a story (situation, task, action, result) an answer tells.

Also how a behavioral key point names the STAR part it asks for, which questions ask for a story,
and how concrete a story is.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.ai.offline import text as tx
from app.ai.offline.grading.answer import Answer

STAR_EN = {
    "situation": re.compile(
        r"\b(last (year|month|quarter|week|spring|summer|autumn|fall|winter)|in (19|20)\d\d"
        r"|(at|on) my (previous|last|current|old|first) (job|company|role|team|employer|project)"
        r"|(previous|last|old) (job|company|role|employer)|when (i|we) (was|were|joined|worked)"
        r"|while i was|\w+ (years?|months?|weeks?|days?) (ago|before)|one time|once,|(i|we) once"
        r"|our team (was|had|were)|we (had|were|inherited|needed)|there was"
        r"|(our|the) [a-z]+ (was|were|had|kept|used to) |used to (take|be|fail)"
        r"|kept (failing|breaking)"
        r"|a (client|customer|colleague|teammate|senior|manager)\b)",
        re.IGNORECASE,
    ),
    "task": re.compile(
        r"\b(i was (responsible|in charge|asked|tasked|assigned|leading|the (owner|lead|only))"
        r"|my (job|role|task|goal|responsibility|part) was|i owned|(i|we) (had|needed) to"
        r"|the goal was|it was my (change|job|responsibility|task)"
        r"|as the [a-z ]{0,30}(lead|owner|engineer|developer|manager)"
        r"|i had (\w+ ){0,3}(weeks?|days?) to)\b",
        re.IGNORECASE,
    ),
    "action": re.compile(
        r"\b(i|we) (\w+ed|wrote|built|made|took|ran|set|led|spent|got|went|told|did|found|chose"
        r"|drew|began|brought|sent|put|kept|split|met|gave|sat|rewrote|broke|dug|held|shipped)\b",
        re.IGNORECASE,
    ),
    "result": re.compile(
        r"\b(as a result|in the end|eventually|finally|resulted|outcome|went live|recovered"
        r"|shipped|launched|delivered|finished|released|reduced|improved|increased|decreased|saved"
        r"|halved|doubled|on time|ahead of|(days?|weeks?) early|no (downtime|incidents?)"
        r"|zero \w+|haven'?t had|never had"
        r"|\d+(\.\d+)? ?(%(?!\w)|(percent|x|ms|seconds?|minutes?|hours?|k)\b)"
        r"|(took|in|within|to|by|saved|cut) (one|two|three|four|five|six|seven|eight|nine|ten"
        r"|twenty|thirty|fifty|a hundred|half an?) (minutes?|hours?|days?|weeks?|percent|times)"
        r"|instead of|stopped having|no longer|went from"
        r"|(dropped|fell|down|cut) to)\b",
        re.IGNORECASE,
    ),
}
STAR_ZH = {
    "situation": re.compile(
        r"当时|那时|去年|前年|之前在|以前在|有一次|有次|\d{4}年|[一二三四五六七八九十两几\d]+(年|个月|周|天)前"
        r"|在.{0,8}(公司|团队|项目)|项目中|背景|上线前|期间|那次|之前做"
    ),
    "task": re.compile(
        r"负责|我的任务|目标是|需要我|要求我|职责|我是.{0,12}(负责人|组长|owner)|需要在"
    ),
    "action": re.compile(
        r"我(先|首先|马上|立刻|立即|然后|再|也|又|就|还|第一时间|主动|决定|约|带|写|做|改|加|查|看|找|提出|推动|组织|协调"
        r"|沟通|设计|实现|优化|排查|定位|回滚|拆分|引入|搭建|建议|没有|把|让|用|拿|跟|和)"
        r"|我们(先|随后|然后|最后|一起|决定|把|用)"
    ),
    "result": re.compile(
        r"结果|最终|最后|上线后|降低|提升|提高|减少|节省|恢复|成功率|按时|提前|没有再"
        r"|\d+(\.\d+)?\s*(%|倍|毫秒|秒|分钟|小时|天)"
    ),
}
_ZH_WORK_VERBS = re.compile(
    r"排查|定位|回滚|修复|优化|重构|拆分|压测|沟通|协调|推动|上线|兼容|加了|改了|做了|写了|查了|补了|约了|拿出"
    r"|整理了|制定了|改造了|补充了|比对|复盘|评审"
)
LESSON = re.compile(
    r"\b(i learned|i learnt|lesson|taught me|since then|next time|from then on|what i took"
    r"|takeaway|in hindsight)\b|收获|学到|教训|经验是|以后|从那以后|反思|体会|意识到",
    re.IGNORECASE,
)


def star_parts(answer: str, language: str | None = None) -> dict[str, bool]:
    """Which parts of a STAR story (situation, task, action, result) the answer contains."""
    return {part: span is not None for part, span in star_spans(answer, language).items()}


def star_spans(answer: str, language: str | None = None) -> dict[str, tuple[int, int] | None]:
    """Where the answer tells each STAR part (a phrase that shows it), or None."""
    lang = language if language in ("en", "zh") else tx.detect_language(answer)
    table = star_table(lang)
    spans = {part: (m.span() if (m := rx.search(answer)) else None) for part, rx in table.items()}
    actions = len(table["action"].findall(answer))
    if lang == "zh":
        # Chinese drops the subject ("查日志发现…"), so work verbs count as actions too.
        actions += len(_ZH_WORK_VERBS.findall(answer))
    if actions < 2:
        spans["action"] = None
    # An explicit label ("结果：", "Situation:") says which part a stretch tells, so it wins over
    # keyword guesses; and a keyword inside a stretch labelled as another part ("期间" in the
    # result, "800毫秒" in the situation) is not that part, so the guess looks past it.
    sections = claimed_stretches(answer)
    for part, rx in table.items():
        span = spans[part]
        if span is not None and inside_other(span, part, sections):
            spans[part] = next(
                (
                    m.span()
                    for m in rx.finditer(answer)
                    if not inside_other(m.span(), part, sections)
                ),
                None,
            )
    for part, span in labelled_sections(answer).items():
        spans[part] = span
    return spans


def inside_other(span: tuple[int, int], part: str, sections: list[tuple[str, int, int]]) -> bool:
    """The span starts inside a stretch labelled as a STAR part other than ``part``."""
    return any(own != part and lo <= span[0] < hi for own, lo, hi in sections)


def star_table(language: str) -> dict[str, re.Pattern[str]]:
    """The STAR patterns for one language."""
    return STAR_ZH if language == "zh" else STAR_EN


_LABELS = {
    "situation": "situation context background 情境 情景 情况 背景 场景",
    "task": "task goal 任务 目标",
    "action": "action actions 行动 做法",
    "result": "result results outcome impact 结果 成果",
}
_PART_OF_LABEL = {word: part for part, words in _LABELS.items() for word in words.split()}
_LABEL = re.compile(
    r"(?:^|(?<=[\s。；;，,.!?！？]))("
    + "|".join(sorted(_PART_OF_LABEL, key=len, reverse=True))
    + r")\s*[:：]",
    re.IGNORECASE,
)


def label_marks(answer: str) -> list[tuple[str, int, int]]:
    """(part, start, end) of each stretch the answer labels as a STAR part: from its label to the
    next label or the end."""
    marks = list(_LABEL.finditer(answer))
    return [
        (
            _PART_OF_LABEL[mark.group(1).lower()],
            mark.start(),
            marks[k + 1].start() if k + 1 < len(marks) else len(answer),
        )
        for k, mark in enumerate(marks)
    ]


def claimed_stretches(answer: str) -> list[tuple[str, int, int]]:
    """(part, start, end) of what each label surely covers: up to the next label, or for the
    last label its own sentence (what follows it may be told without labels)."""
    marks = label_marks(answer)
    if not marks:
        return marks
    part, start, end = marks[-1]
    stop = _SENTENCE_END.search(answer, _LABEL.match(answer, start).end())  # type: ignore[union-attr]
    return [*marks[:-1], (part, start, stop.end() if stop else end)]


_SENTENCE_END = re.compile(r"[。！？!?\n]|\.(\s|$)")


def labelled_sections(answer: str) -> dict[str, tuple[int, int]]:
    """STAR parts the answer labels ("Situation: …", "结果：…") and says something under.

    A label over a few words ("Result: good.") is structure without content, so it does not count.
    """
    out: dict[str, tuple[int, int]] = {}
    for part, start, end in label_marks(answer):
        label = _LABEL.match(answer, start)
        body = answer[label.end() if label else start : end]
        words = len(re.findall(r"[A-Za-z0-9]+", body)) + len(tx.CJK_RE.findall(body)) / 2
        if words >= 8 and part not in out:
            out[part] = (start, end)
    return out


_STAR_WORDS = (
    ("result", re.compile(r"\b(results?|outcomes?|impact|measur\w*|quantif\w*)\b|结果|成果|效果")),
    ("lesson", re.compile(r"\b(lessons?|learn\w*|reflect\w*)\b|收获|教训|反思|学到")),
    ("situation", re.compile(r"\b(situation|context|background)\b|情境|背景")),
    ("task", re.compile(r"\b(task|role|goal|responsib\w*|stakes?)\b|任务|职责|目标|角色")),
    ("action", re.compile(r"\b(actions?|steps?|did|approach)\b|行动|做法|措施")),
)


def star_of(point: str) -> str | None:
    """Which STAR part a behavioral key point is about, judged from its wording."""
    head = point.split(":", 1)[0] if ":" in point else point
    for part, rx in _STAR_WORDS:
        if rx.search(head.lower()):
            return part
    return None


# Questions that ask for one real event from the candidate's past, in either language. Asking
# for a hypothetical ("describe a situation where you would…") or for an example of a technique
# ("举一个例子说明 volatile") is not asking for a story.
_STORY_QUESTION = re.compile(
    r"\b(tell me about|describe|give (me )?an example of|walk me through|share) (a|an|one) "
    r"(time|situation|occasion|moment|instance)\b(?! (where|when|in which) you('d| would| might))"
    r"|\b(tell me about|walk me through)\b[^.?]{0,60}\byou( have| had|'ve)?( ever)? "
    r"(\w+ed|made|had|led|took|did|built|wrote|ran|got|gave|found|drove|faced|chose|shipped"
    r"|been|done|brought|went|fought|sold|taught|thought)\b"
    r"|\bgive (me )?an example of (a time )?when you\b(?!'d| would| might| could| should)"
    r"|\bhave you ever (\w+ed|had|been|made|led)\b|\b(what|how) did you\b"
    r"|\b(are|were) you (most )?proud of\b|\bmost proud of\b"
    r"|讲一次|讲讲.{0,20}经历|(讲|说|分享|介绍|谈谈)(一下)?(一个|一次|个)?.{0,30}经历"
    r"|(讲|说|分享|介绍)(一下)?(一个|一次)你.{0,30}过|请?描述一次|举例说明你|举一个你.{0,20}例子"
    r"|(你|您).{0,40}[。？?，,]\s*请?举(一|一个|个)(具体|真实)?的?例子|有没有.{0,12}经历",
    re.IGNORECASE,
)


# Pure in the question, which is graded once per answer to it: the long pattern runs once each.
@lru_cache(maxsize=4096)
def asks_for_story(question: str) -> bool:
    """The question asks for a story from the candidate's past ("Tell me about a time…")."""
    return _STORY_QUESTION.search(question) is not None


def story_specifics(answer: Answer) -> float:
    """0–1: numbers, named things and first-person past-tense actions make a story concrete."""
    numbers = len(re.findall(r"\d+(?:\.\d+)?", answer.text))
    named = len(re.findall(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]+", answer.text)) - answer.text.count(
        " I "
    )
    actions = len(STAR_EN["action"].findall(answer.text)) + len(
        STAR_ZH["action"].findall(answer.text)
    )
    return min(1.0, 0.15 * numbers + 0.05 * max(0, named) + 0.1 * actions)
