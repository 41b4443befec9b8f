"""The drill list: key points a user keeps missing, due for practice by spaced repetition, and
the drill session that asks just those questions again (or their bank neighbours).

Spacing (a Leitner schedule): a point last missed is due at once; a point covered n times in a
row since its last miss is due again `INTERVAL_DAYS[n-1]` days after it was last covered, so
what is shaky comes back soon and what is learnt comes back rarely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import url_for

from app.ai.coach import load_bank, question_key
from app.errors import Conflict
from app.extensions import db
from app.i18n import translate
from app.models import UNFINISHED, InterviewSession, Question, SessionStatus, User, utcnow
from app.practice.history import (
    MistakeRecord,
    Spaced,
    mistake_records,
    point_records,
)
from app.responses import iso
from app.sessions.services import questions_seen

INTERVAL_DAYS = (1, 3, 7, 21, 60)
MAX_ITEMS = 20
REPEATED = 2  # a wrong claim flagged this many times is a habit worth its own line
MAX_MISTAKES = 10
DRILL_QUESTIONS = 5  # at most; a drill is short on purpose
MIN_DRILL_QUESTIONS = 3  # filled with bank neighbours when fewer questions are weak


@dataclass(frozen=True)
class DrillItem:
    """One weak key point: how often it was missed, when it is due, and the question to ask."""

    point: str
    question: Question
    language: str
    misses: int
    due_at: datetime

    def is_due(self, now: datetime) -> bool:
        """Whether it is time to practise it."""
        return self.due_at <= now

    def as_json(self) -> dict[str, Any]:
        """{point, question, misses, due_at}: the question as {id, text, category, session_id}."""
        return {
            "point": self.point,
            "question": {
                "id": self.question.id,
                "text": self.question.text,
                "category": self.question.category,
                "session_id": self.question.session_id,
            },
            "misses": self.misses,
            "due_at": iso(self.due_at),
        }


def due_at(record: Spaced) -> datetime:
    """When a point (or a wrong claim) should be practised next (see the module docstring)."""
    last = record.outcomes[-1].at
    streak = record.streak
    if streak == 0:
        return last
    return last + timedelta(days=INTERVAL_DAYS[min(streak, len(INTERVAL_DAYS)) - 1])


def drill_list(user: User, now: datetime | None = None) -> list[DrillItem]:
    """The user's weak key points (missed at least once), due ones first — most missed first
    among them — then the rest by when they fall due."""
    now = now or utcnow()
    items = [
        DrillItem(r.point, r.question, r.language, r.misses, due_at(r))
        for r in point_records(user)
        if r.misses
    ]
    items.sort(key=lambda i: (not i.is_due(now), -i.misses if i.is_due(now) else 0, i.due_at))
    return items[:MAX_ITEMS]


def repeated_mistakes(user: User, now: datetime | None = None) -> list[MistakeRecord]:
    """Wrong claims flagged in at least REPEATED gradings: due ones first (not corrected since),
    the most frequent first among them, then the most recent; corrected ones after them, by when
    they fall due again."""
    now = now or utcnow()
    repeated = [m for m in mistake_records(user) if m.times >= REPEATED]

    def order(m: MistakeRecord) -> tuple:
        if due_at(m) <= now:
            return (0, -m.times, -(m.last_at.timestamp() if m.last_at else 0))
        return (1, due_at(m).timestamp(), 0)

    repeated.sort(key=order)
    return repeated[:MAX_MISTAKES]


def mistake_json(mistake: MistakeRecord) -> dict[str, Any]:
    """{claim, correction, times, last_at, due_at, question}: the question as in a drill item."""
    return {
        "claim": mistake.claim,
        "correction": mistake.correction,
        "times": mistake.times,
        "last_at": iso(mistake.last_at) if mistake.last_at else None,
        "due_at": iso(due_at(mistake)),
        "question": {
            "id": mistake.question.id,
            "text": mistake.question.text,
            "category": mistake.question.category,
            "session_id": mistake.question.session_id,
        },
    }


def by_question(items: list[DrillItem]) -> list[tuple[Question, list[DrillItem]]]:
    """The items grouped under their question, in the order of each question's first item."""
    groups: dict[int, tuple[Question, list[DrillItem]]] = {}
    for item in items:
        groups.setdefault(item.question.id, (item.question, []))[1].append(item)
    return list(groups.values())


def drill_questions(
    items: list[DrillItem], mistakes: list[MistakeRecord], now: datetime
) -> tuple[list[Question], str]:
    """The questions to drill, one per question, in the language of the first, at most
    DRILL_QUESTIONS: first those where a repeated mistake is due (a habit is what a drill is
    for), then those of the due key points; when nothing is due, those of every item."""
    due_mistakes = [m for m in mistakes if due_at(m) <= now]
    due_items = [i for i in items if i.is_due(now)]
    chosen = [(m.question, m.language) for m in due_mistakes] + [
        (i.question, i.language) for i in due_items
    ]
    if not chosen:
        chosen = [(i.question, i.language) for i in items] or [
            (m.question, m.language) for m in mistakes
        ]
    language = chosen[0][1]
    questions: list[Question] = []
    seen: set[str] = set()
    for question, lang in chosen:
        key = question_key(question.text)
        if lang == language and key not in seen:
            seen.add(key)
            questions.append(question)
    return questions[:DRILL_QUESTIONS], language


def bank_neighbours(
    user: User, questions: list[Question], language: str, wanted: int
) -> list[dict]:
    """Up to `wanted` bank questions on the same skills as `questions`, none the user has seen."""
    bank = load_bank()
    seen = {question_key(t) for t in questions_seen(user)}
    found: list[dict] = []
    for question in questions:
        source = bank.find_by_text(question.text)
        if source is None:
            continue
        for neighbour in bank.for_skill(source.skill, language):
            key = question_key(neighbour.text)
            if len(found) >= wanted or key in seen:
                continue
            seen.add(key)
            found.append(
                {
                    "text": neighbour.text,
                    "category": neighbour.category,
                    "skill": question.skill,
                    "kind": neighbour.kind,
                    "difficulty": neighbour.difficulty,
                    "reference_answer": neighbour.reference_answer,
                    "key_point_entries": [bank_entry(kp) for kp in neighbour.key_points],
                }
            )
    return found


def bank_entry(key_point: Any) -> str | dict:
    """A bank key point as a question stores it: its text, with its wrong claims when it has
    some (so the grader still corrects them)."""
    if not key_point.misconceptions:
        return key_point.point
    wrong = [
        {"claim": m.claim, "cues": list(m.cues), "correction": m.correction}
        for m in key_point.misconceptions
    ]
    return {"point": key_point.point, "misconceptions": wrong}


def copied(question: Question) -> dict:
    """A question's planned fields, to ask it again in a new session."""
    return {
        "text": question.text,
        "category": question.category,
        "skill": question.skill,
        "kind": question.kind,
        "difficulty": question.difficulty,
        "reference_answer": question.reference_answer,
        "key_point_entries": list(question.key_point_entries or []),
    }


DRILL_PROVIDER, DRILL_MODEL = "practice", "drill list"


def unfinished_drill(user: User) -> InterviewSession | None:
    """The user's latest drill not yet finished: a second click carries on with it."""
    return db.session.scalar(
        sa.select(InterviewSession)
        .where(
            InterviewSession.user_id == user.id,
            InterviewSession.provider == DRILL_PROVIDER,
            InterviewSession.model == DRILL_MODEL,
            InterviewSession.status.in_([s.value for s in UNFINISHED]),
        )
        .order_by(InterviewSession.id.desc())
        .limit(1)
    )


def start_drill(user: User) -> tuple[InterviewSession, bool]:
    """A new interview of the due weak questions (not committed), or the unfinished drill;
    returns (session, reused). 409 when nothing is weak."""
    existing = unfinished_drill(user)
    if existing is not None:
        return existing, True
    now = utcnow()
    items = drill_list(user, now)
    mistakes = repeated_mistakes(user, now)
    if not items and not mistakes:
        raise Conflict(
            "Nothing to drill yet: the drill list fills up with the key points your evaluated "
            "interviews missed.",
            redirect_to=url_for("practice.index"),
        )
    questions, language = drill_questions(items, mistakes, now)
    planned = [copied(q) for q in questions]
    if len(planned) < MIN_DRILL_QUESTIONS:
        planned += bank_neighbours(user, questions, language, MIN_DRILL_QUESTIONS - len(planned))
    source = questions[0].session
    session = InterviewSession(
        user_id=user.id,
        resume_id=None,  # a drill is not the CV's interview: starting one for it never reuses this
        job_title=translate("Drill: what you missed", language),
        company_name=source.company_name,
        job_description=source.job_description,
        resume_text=source.resume_text,
        must_haves=list(source.must_haves or []),
        nice_to_haves=list(source.nice_to_haves or []),
        question_count=len(planned),
        language=language,
        status=SessionStatus.CREATED,
        provider=DRILL_PROVIDER,
        model=DRILL_MODEL,
        planned_at=now,  # its questions are copied below, at once: nothing is left to plan
    )
    db.session.add(session)
    db.session.flush()
    for position, fields in enumerate(planned, start=1):
        db.session.add(Question(session_id=session.id, position=position, **fields))
    db.session.flush()
    return session, False
