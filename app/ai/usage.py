"""What each AI call cost: the router's recorder writes an `AICall` row per call, and `summarise`
turns rows into the per-task, per-provider figures `flask ai usage` prints.

Each row is committed at once on a connection of its own, not in the caller's transaction: a call
costs the same whether or not the request that made it goes on to fail, so a planning call that
fails outright (the request answers 500 and rolls back) and a grader's calls before it rolls
back to read what others stored still leave their rows. Should that connection be unable to
write quickly (a SQLite writer or a PostgreSQL lock in the way), the row joins the caller's
transaction instead, as the one place left to keep it. A call made outside an app context leaves
no row. The interview a call belongs to comes from `for_session` when the caller set it, else
from the request's ``session_id`` URL argument.
"""

from __future__ import annotations

import contextvars
import logging
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import g, has_app_context, has_request_context, request
from sqlalchemy.exc import SQLAlchemyError

from app.ai.router import CallRecord
from app.extensions import db
from app.models.ai_call import AICall

log = logging.getLogger("app.ai")
_SESSION: contextvars.ContextVar[int | None] = contextvars.ContextVar("ai_session", default=None)


@contextmanager
def for_session(session_id: int | None) -> Iterator[None]:
    """Attribute the AI calls made inside the block to an interview session."""
    token = _SESSION.set(session_id)
    try:
        yield
    finally:
        _SESSION.reset(token)


def current_session_id() -> int | None:
    """The session set by `for_session`, else the request's ``session_id`` URL argument."""
    found = _SESSION.get()
    if found is None and has_request_context() and request.view_args:
        value = request.view_args.get("session_id")
        found = value if isinstance(value, int) else None
    return found


def record_call(call: CallRecord) -> None:
    """Write the call's row in a transaction of its own (no app context: nothing to do)."""
    if not has_app_context():
        return
    values = {
        "task": call.task,
        "provider": call.provider,
        "model": call.model,
        "prompt_tokens": call.prompt_tokens,
        "output_tokens": call.output_tokens,
        "latency_ms": call.latency_ms,
        "attempts": call.attempt,
        "outcome": call.outcome,
        "error": call.error,
        "session_id": current_session_id(),
    }
    try:
        row_id = _insert_apart(values)
    except SQLAlchemyError as error:
        log.warning("ai_calls row kept in the request's transaction: %s", type(error).__name__)
        row = AICall(**values)
        db.session.add(row)
        db.session.flush()
        row_id = row.id
    g.setdefault("ai_call_ids", []).append(row_id)


# How long the row's own connection may wait for a lock before the row joins the caller's
# transaction: a lock held by the caller itself would otherwise be waited on until it times out.
APART_LOCK_WAIT_MS = 2_000


def _insert_apart(values: dict[str, Any]) -> int:
    """Insert and commit one ai_calls row on its own connection; its id."""
    with db.engine.connect() as connection:
        dialect = connection.dialect.name
        restore = None
        if dialect == "sqlite":
            restore = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {APART_LOCK_WAIT_MS}")
            connection.commit()
        try:
            if dialect == "postgresql":
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = {APART_LOCK_WAIT_MS}")
            inserted = connection.execute(sa.insert(AICall).values(**values))
            connection.commit()
            key = inserted.inserted_primary_key
            if key is None:  # every supported database reports the new id
                raise sa.exc.InvalidRequestError("the database did not report the new row's id")
            return int(key[0])
        finally:
            if restore is not None:
                connection.rollback()
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(restore)}")
                connection.commit()


def session_usage(session_id: int) -> dict[str, int]:
    """The interview's receipt: AI calls made for it and the tokens they used."""
    row = db.session.execute(
        sa.select(
            sa.func.count(AICall.id),
            sa.func.coalesce(sa.func.sum(AICall.prompt_tokens), 0),
            sa.func.coalesce(sa.func.sum(AICall.output_tokens), 0),
        ).where(AICall.session_id == session_id)
    ).one()
    calls, prompt, output = (int(value or 0) for value in row)
    return {"calls": calls, "prompt_tokens": prompt, "output_tokens": output}


def claim_pending_calls(session_id: int) -> None:
    """Attribute this context's calls made before the session existed (its plan) to it.

    The update joins the caller's transaction: if the new session is never stored, its
    planning calls stay on record, belonging to no interview."""
    ids = g.pop("ai_call_ids", [])
    if ids:
        db.session.execute(
            sa.update(AICall)
            .where(AICall.id.in_(ids), AICall.session_id.is_(None))
            .values(session_id=session_id)
        )


def percentile(values: list[int], share: float) -> int:
    """The nearest-rank percentile of `values` (0 for none)."""
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def load_calls(since: datetime | None = None) -> list[AICall]:
    """Every recorded call, oldest first, optionally only those since `since`."""
    query = sa.select(AICall).order_by(AICall.id)
    if since is not None:
        query = query.where(AICall.created_at >= since)
    return list(db.session.scalars(query))


def summarise(calls: Iterable[AICall]) -> list[dict[str, Any]]:
    """Per (task, provider, model): calls, tokens, p50/p95 latency and failed calls."""
    groups: dict[tuple[str, str, str], list[AICall]] = {}
    for call in calls:
        groups.setdefault((call.task, call.provider, call.model), []).append(call)
    rows = []
    for (task, provider, model), members in sorted(groups.items()):
        latencies = [c.latency_ms for c in members]
        rows.append(
            {
                "task": task,
                "provider": provider,
                "model": model,
                "calls": len(members),
                "prompt_tokens": sum(c.prompt_tokens or 0 for c in members),
                "output_tokens": sum(c.output_tokens or 0 for c in members),
                "p50_ms": percentile(latencies, 0.50),
                "p95_ms": percentile(latencies, 0.95),
                "failures": sum(1 for c in members if c.outcome != "ok"),
            }
        )
    return rows
