"""Helpers the practice tests share: an evaluated interview with one weak answer."""

from __future__ import annotations

from app.extensions import db
from app.models import InterviewSession, Question
from tests.feedback.helpers import CACHE_ANSWER, INDEX_ANSWER, STAR_ANSWER, evaluated_session

WEAK_INDEX_ANSWER = "An index makes the query faster because the database looks things up quickly."


def weak_session(client, user, **fields) -> InterviewSession:
    """An evaluated interview whose first answer (B-tree indexes) misses most key points."""
    answers = [WEAK_INDEX_ANSWER, STAR_ANSWER, CACHE_ANSWER]
    return evaluated_session(client, user, answers=answers, **fields)


def first_question(session: InterviewSession) -> Question:
    """The session's first main question, fresh from the database."""
    db.session.expire_all()
    return db.session.get_one(InterviewSession, session.id).main_questions[0]


__all__ = ["INDEX_ANSWER", "WEAK_INDEX_ANSWER", "first_question", "weak_session"]
