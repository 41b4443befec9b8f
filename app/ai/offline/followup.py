"""Follow-up questions: one probing question about what an answer left out.

A behavioral answer without a result is asked for the outcome and a number; one without the
candidate's own actions is asked what they did themselves. Otherwise the most important missed key
point (the first one, as key points are written most important first) gets a question shaped by the
kind of question: for a bank question, the point's own probe, which asks about the point without
giving it away (the candidate still has to know it); otherwise a question naming the gap. An empty
answer, a shrug, text aimed at the grader, or an answer that missed nothing gets no follow-up.
"""

from __future__ import annotations

import re

from app.ai.offline.bank import load_bank
from app.ai.offline.grading import star_parts
from app.ai.offline.phrases import phrase_table
from app.ai.schemas import FollowUpQuestion, FollowUpRequest

_STORY_KINDS = {"behavioral", "situational"}
_STAR_ORDER = ("result", "action", "situation", "task")

_NOT_AN_ATTEMPT = re.compile(
    r"ignore (?:all |the )?(?:previous|above|prior) instructions"
    r"|(?:give|award) me (?:full|100|top)|you are (?:now )?(?:the )?grader|as the grader"
    r"|忽略(?:之前|以上|上面)的?指令|给我满分|打满分",
    re.IGNORECASE,
)
_DONT_KNOW = re.compile(
    r"^\W*(?:i\s+(?:don'?t|do not)\s+know|no idea|not sure|pass|skip"
    r"|不知道|不清楚|不了解|没了解过|跳过)\W*$",
    re.IGNORECASE,
)


def not_an_attempt(answer: str) -> bool:
    """An empty answer, a shrug, or text aimed at the grader: nothing to probe further.

    A weak but real attempt still gets a follow-up; that is what follow-ups are for.
    """
    text = answer.strip()
    letters = re.findall(r"[A-Za-z\u4e00-\u9fff]", text)
    return len(letters) < 2 or bool(_DONT_KNOW.match(text) or _NOT_AN_ATTEMPT.search(text))


def _missing_star(req: FollowUpRequest) -> list[str]:
    """STAR parts the answer lacks: as the caller says, else as the answer reads."""
    if req.missing_star_parts:
        return [part.lower() for part in req.missing_star_parts]
    if req.kind != "behavioral":
        return []
    found = star_parts(req.answer, language=req.language)
    return [part for part, present in found.items() if not present]


def _star_follow_up(missing: list[str], language: str) -> FollowUpQuestion | None:
    asks = phrase_table("follow_up", language)["star"]
    for part in _STAR_ORDER:
        if part in missing:
            ask = asks["situation" if part == "task" else part]
            return FollowUpQuestion(
                question=ask["question"], reason=ask["reason"], key_points=ask["key_points"]
            )
    return None


def write_follow_up(req: FollowUpRequest) -> FollowUpQuestion:
    """One probing question about the most important gap, or ``question=None``."""
    says = phrase_table("follow_up", req.language)
    if not_an_attempt(req.answer):
        return FollowUpQuestion(question=None, reason=says["not_an_attempt"])
    if req.kind in _STORY_KINDS:
        story = _star_follow_up(_missing_star(req), req.language)
        if story is not None:
            return story
    if req.missed_points:
        point = req.missed_points[0].strip().rstrip("。.")
        return FollowUpQuestion(
            question=_ask_about(req, point)[:1000],
            reason=says["missed"].format(point=point)[:500],
            key_points=[point],
        )
    return FollowUpQuestion(question=None, reason=says["nothing"])


def _ask_about(req: FollowUpRequest, point: str) -> str:
    """The follow-up question for a missed point: its probe when the question is from the bank,
    else a question that names the gap."""
    says = phrase_table("follow_up", req.language)
    entry = load_bank().find_by_text(req.question)
    probe = entry.probe_for(point) if entry is not None else ""
    if probe:
        return says["probe"].get(req.kind, says["probe"]["technical"]).format(probe=probe)
    return says["point"].get(req.kind, says["point"]["technical"]).format(point=point)
