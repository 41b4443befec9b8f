"""Progress on the history page: each category's score over time, and key points that moved
from missed to covered."""

from __future__ import annotations

from tests.practice.helpers import INDEX_ANSWER, first_question, weak_session


def test_history_shows_category_scores_over_time(logged_in, user):
    """Two evaluated interviews give each category two scores, oldest first, with the change."""
    weak_session(logged_in, user)
    weak_session(logged_in, user)
    page = logged_in.get("/sessions").get_data(as_text=True)
    assert "Score by category over time" in page
    assert "Databases" in page and "→" in page


def test_history_names_points_a_retry_now_covers(logged_in, user):
    """A key point missed in the interview and covered by a retry is listed as moved."""
    session = weak_session(logged_in, user)
    question = first_question(session)
    missed = set(question.missed_points)
    logged_in.post(
        f"/session/{session.id}/questions/{question.id}/attempts", data={"answer": INDEX_ANSWER}
    )
    page = logged_in.get("/sessions").get_data(as_text=True)
    assert "Missed before, covered now" in page
    assert any(f"“{point}”" in page for point in missed)


def test_a_new_user_sees_no_empty_progress_panel(logged_in):
    """Without evaluated interviews the panel is left out."""
    assert "Your progress" not in logged_in.get("/sessions").get_data(as_text=True)


def test_the_progress_panel_costs_one_query(logged_in, user):
    """Category scores come with the history query; key points and attempts take one more."""
    import sqlalchemy as sa

    from app.extensions import db

    session = weak_session(logged_in, user)
    question = first_question(session)
    logged_in.post(
        f"/session/{session.id}/questions/{question.id}/attempts", data={"answer": INDEX_ANSWER}
    )
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = logged_in.get("/sessions")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert page.status_code == 200 and "Missed before, covered now" in page.text
    reads = [s for s in statements if not s.startswith("SELECT users.")]
    assert len(reads) == 2, [s[:60] for s in reads]


def test_kept_progress_follows_a_new_try_and_reads_nothing_else(logged_in, user):
    """The key points that moved are computed once per new evaluation or try: a view after a
    retry lists the point it covered, and a view after that reads only the history query."""
    import sqlalchemy as sa

    from app.extensions import db

    session = weak_session(logged_in, user)
    question = first_question(session)
    assert "Missed before, covered now" not in logged_in.get("/sessions").text
    logged_in.post(
        f"/session/{session.id}/questions/{question.id}/attempts", data={"answer": INDEX_ANSWER}
    )
    assert "Missed before, covered now" in logged_in.get("/sessions").text
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = logged_in.get("/sessions")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert "Missed before, covered now" in page.text
    reads = [s for s in statements if not s.startswith("SELECT users.")]
    assert len(reads) == 1, [s[:60] for s in reads]
