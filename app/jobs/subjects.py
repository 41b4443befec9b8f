"""What a job run works on, in words an operator can act on: "interview 12 of a@example.com"
rather than its raw arguments, which can be long or private (a webhook's signed body)."""

from __future__ import annotations

import logging
from reprlib import Repr

from app.extensions import db
from app.models import InterviewSession, JobRun, Question, User

log = logging.getLogger(__name__)

# Undeclared subjects fall back to the arguments, cut short so one run stays one line.
_short = Repr()
_short.maxstring = _short.maxother = 40
_short.maxlist = _short.maxtuple = 4


def interview(session_id: int, *_: object) -> str:
    """An interview by id and its candidate's email."""
    session = db.session.get(InterviewSession, session_id)
    if session is None:
        return f"interview {session_id} (deleted)"
    user = db.session.get(User, session.user_id)
    return f"interview {session_id} of {user.email if user else 'a deleted user'}"


def question(question_id: int, *_: object) -> str:
    """A question by its place in its interview."""
    found = db.session.get(Question, question_id)
    if found is None:
        return f"question {question_id} (deleted)"
    return f"question {found.position} of {interview(found.session_id)}"


def subject_of(run: JobRun) -> str:
    """What the run works on: its job's declared subject, else its arguments cut short."""
    from app.jobs.engine import declared

    spec = declared(run.name)
    args = list(run.args or ())
    if spec is None or spec.subject is None:
        return _short.repr(tuple(args))
    try:
        return spec.subject(*args)
    except Exception:  # a listing must show every run, even one whose arguments are odd
        log.exception("Could not name the subject of job run %s", run.id)
        return _short.repr(tuple(args))
