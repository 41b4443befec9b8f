"""Answering: follow-up budget, double submits, limits, escaping, drafts, JSON flow, delete."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.interview.pages import QUESTION_BODIES, QUESTION_PAGES
from app.models import Feedback, InterviewSession, Question, Report
from tests.conftest import JSON, count_rows
from tests.support.sessions import SAMPLE_CV, SAMPLE_JD, make_session
from tests.support.users import make_user

GAPPY_ANSWER = "The B-tree index keeps keys sorted, so I think it helps the query find rows faster."
GOOD_ANSWER = (
    "A B-tree keeps keys sorted in a balanced tree, so a lookup is O(log n) and it also serves "
    "range scans and ORDER BY. The planner skips it for low selectivity, when most rows match, "
    "or when the column is wrapped in a function or the LIKE pattern has a leading wildcard."
)


def answer(client, session_id, question_id, text, **extra):
    """Post an answer as a JSON client."""
    data = {"question_id": str(question_id), "answer": text, **extra}
    return client.post(f"/session/{session_id}/answer", data=data, headers=JSON)


def current(client, session_id):
    """The current question from the interview JSON."""
    return client.get(f"/session/{session_id}/interview", headers=JSON).get_json()["data"][
        "current_question"
    ]


@pytest.mark.parametrize("budget", [0, 1, 2])
def test_follow_up_budget_is_honoured(app, logged_in, user, budget):
    """A gappy answer gets FOLLOW_UPS_PER_QUESTION follow-ups, then the next main question."""
    app.config["FOLLOW_UPS_PER_QUESTION"] = budget
    session = make_session(user)
    first_main = current(logged_in, session.id)
    follow_ups = 0
    question = first_main
    for _ in range(budget + 1):
        result = answer(logged_in, session.id, question["id"], GAPPY_ANSWER).get_json()["data"]
        question = result["next_question"]
        if question["is_follow_up"]:
            follow_ups += 1
            assert question["parent_id"] == first_main["id"] and question["position"] == 1
        else:
            break
    assert follow_ups == budget
    assert question["is_follow_up"] is False and question["position"] == 2


def test_good_answer_moves_straight_on(logged_in, user):
    """An answer that covers the key points needs no follow-up."""
    session = make_session(user)
    question = current(logged_in, session.id)
    result = answer(logged_in, session.id, question["id"], GOOD_ANSWER).get_json()["data"]
    assert result["next_question"]["is_follow_up"] is False
    assert result["status"] == "IN_PROGRESS"
    assert result["progress"] == {"answered": 1, "total": 3}
    assert result["insights"]


def test_insights_list_only_covered_points(logged_in, user):
    """Before evaluation the answer's insights name the points it covered, never the missed ones."""
    session = make_session(user)
    question = current(logged_in, session.id)
    insights = answer(logged_in, session.id, question["id"], GAPPY_ANSWER).get_json()["data"][
        "insights"
    ]
    stored = db.session.get(Question, question["id"])
    assert insights["key_points_total"] == len(stored.key_points)
    assert insights["key_points_covered"] == len(insights["key_points"]) < len(stored.key_points)
    assert all(kp["covered"] and kp["point"] in stored.key_points for kp in insights["key_points"])
    for kp in insights["key_points"]:
        assert kp["evidence"] and kp["evidence"].strip("…") in GAPPY_ANSWER


def test_insights_are_stored_with_the_answer(logged_in, user):
    """The insights are computed when the answer is stored and kept with the question: the JSON
    answer returns what was stored."""
    session = make_session(user)
    question = current(logged_in, session.id)
    insights = answer(logged_in, session.id, question["id"], GOOD_ANSWER).get_json()["data"][
        "insights"
    ]
    db.session.expire_all()
    assert db.session.get(Question, question["id"]).insights == insights


def test_interview_page_renders_the_stored_insights(logged_in, user):
    """Pages only render the stored insights (no recomputation per view); an answer stored
    before insights were kept gets them computed once, on its first view, and stored."""
    session = make_session(user, answers=[GOOD_ANSWER, None, None])
    first = session.questions[0]
    assert first.insights is None  # answered before insights were kept
    page = f"/session/{session.id}/interview"
    assert logged_in.get(page).status_code == 200
    db.session.expire_all()
    stored = db.session.get(Question, first.id)
    assert stored.insights and stored.insights["word_count"] > 10
    stored.insights = {**stored.insights, "word_count": 4242}
    db.session.commit()
    QUESTION_BODIES.clear()  # as a worker that has not rendered this state yet
    QUESTION_PAGES.clear()
    assert b"4242" in logged_in.get(page).data


def test_behavioral_answer_without_result_gets_asked_for_outcome(app, logged_in, user):
    """A STAR answer with no result prompts a follow-up about the outcome."""
    session = make_session(user)
    first = current(logged_in, session.id)
    answer(logged_in, session.id, first["id"], GOOD_ANSWER)
    behavioral = current(logged_in, session.id)
    assert behavioral["kind"] == "behavioral"
    story = (
        "At Acme my teammate wanted to rewrite our billing service in Go while I was responsible "
        "for its reliability. I set up a meeting, listened to his reasons, and we agreed to "
        "benchmark both options together over a week and share the data with the team."
    )
    result = answer(logged_in, session.id, behavioral["id"], story).get_json()["data"]
    assert result["next_question"]["is_follow_up"] is True


def test_double_submit_and_stale_form_never_overwrite(logged_in, user):
    """Posting the same question twice is refused with 409; the first answer stays."""
    session = make_session(user)
    question = current(logged_in, session.id)
    assert answer(logged_in, session.id, question["id"], GOOD_ANSWER).status_code == 200
    again = answer(logged_in, session.id, question["id"], "a different answer")
    assert again.status_code == 409
    stored = db.session.get(Question, question["id"])
    assert stored.answer_text == GOOD_ANSWER
    assert count_rows(Question) == 3  # nothing duplicated


def test_stale_browser_form_redirects_with_message(logged_in, user):
    """A browser re-posting an old form is sent to the current question with an explanation."""
    session = make_session(user)
    question = current(logged_in, session.id)
    answer(logged_in, session.id, question["id"], GOOD_ANSWER)
    response = logged_in.post(
        f"/session/{session.id}/answer",
        data={"question_id": question["id"], "answer": "again"},
        follow_redirects=True,
    )
    assert b"already answered" in response.data


def test_huge_answer_is_refused_and_kept_as_draft(logged_in, user):
    """A 1 MB answer gets a clear error; the text stays in the form and nothing is stored."""
    session = make_session(user)
    question = current(logged_in, session.id)
    huge = "word " * 200_000
    response = answer(logged_in, session.id, question["id"], huge)
    assert response.status_code == 400 and "limit is 10,000" in response.get_json()["message"]
    page = logged_in.post(
        f"/session/{session.id}/answer",
        data={"question_id": question["id"], "answer": "x" * 12_000},
    )
    assert page.status_code == 400 and b"x" * 12_000 in page.data
    assert db.session.get(Question, question["id"]).answered_at is None


def test_html_in_answers_is_escaped_everywhere(logged_in, user):
    """An answer with a script tag shows as text on the interview and detail pages."""
    session = make_session(user)
    question = current(logged_in, session.id)
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    answer(logged_in, session.id, question["id"], payload + " " + GOOD_ANSWER)
    for url in (f"/session/{session.id}", f"/session/{session.id}/interview"):
        body = logged_in.get(url).get_data(as_text=True)
        assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in logged_in.get(f"/session/{session.id}").get_data(as_text=True)


def test_draft_is_kept_across_reload(logged_in, user):
    """An autosaved draft is back in the text box when the page is reloaded."""
    session = make_session(user)
    question = current(logged_in, session.id)
    saved = logged_in.post(
        f"/session/{session.id}/draft",
        data={"question_id": question["id"], "answer": "half-written thought"},
    )
    assert saved.status_code == 204
    assert b"half-written thought" in logged_in.get(f"/session/{session.id}/interview").data


def test_last_answer_completes_the_session(app, logged_in, user):
    """After the last main question the session is COMPLETED and the page offers feedback."""
    app.config["FOLLOW_UPS_PER_QUESTION"] = 0
    session = make_session(user)
    for _ in range(3):
        question = current(logged_in, session.id)
        result = answer(logged_in, session.id, question["id"], GOOD_ANSWER).get_json()["data"]
    assert result["status"] == "COMPLETED" and result["next_question"] is None
    page = logged_in.get(f"/session/{session.id}/interview")
    assert b"Get my feedback" in page.data
    late = answer(logged_in, session.id, question["id"], "late")
    assert late.status_code == 409


def test_whole_flow_over_json_with_bearer_token(app, user):
    """A curl user with a token creates, reads and answers every question until completed."""
    from app.models import ApiToken

    token, secret = ApiToken.issue(user, "curl")
    db.session.add(token)
    db.session.commit()
    client = app.test_client()
    headers = {**JSON, "Authorization": f"Bearer {secret}"}
    created = client.post(
        "/sessions/new",
        data={
            "resume_text": SAMPLE_CV,
            "job_description": SAMPLE_JD,
            "question_count": "3",
        },
        headers=headers,
    ).get_json()["data"]
    status = created["status"]
    for _ in range(10):
        question = client.get(f"/session/{created['id']}/interview", headers=headers).get_json()[
            "data"
        ]["current_question"]
        if question is None:
            break
        result = client.post(
            f"/session/{created['id']}/answer",
            data={"question_id": question["id"], "answer": GOOD_ANSWER, "answer_mode": "default"},
            headers=headers,
        ).get_json()["data"]
        status = result["status"]
    assert status == "COMPLETED"


def test_signals_are_stored(logged_in, user):
    """Time spent, pasted characters and tab switches are recorded with the answer."""
    session = make_session(user)
    question = current(logged_in, session.id)
    answer(
        logged_in,
        session.id,
        question["id"],
        GOOD_ANSWER,
        time_spent_ms="45000",
        paste_chars="120",
        tab_switches="2",
    )
    stored = db.session.get(Question, question["id"])
    assert (stored.time_spent_ms, stored.paste_chars, stored.tab_switches) == (45000, 120, 2)


def test_code_mode_is_kept(logged_in, user):
    """A code answer keeps its mode and its formatting."""
    session = make_session(user)
    question = current(logged_in, session.id)
    code = "def f(x):\n    return x * 2\n"
    answer(logged_in, session.id, question["id"], code, answer_mode="code")
    stored = db.session.get(Question, question["id"])
    assert stored.answer_mode == "code" and "    return" in stored.answer_text


def test_delete_removes_everything(logged_in, user):
    """Deleting a session removes its questions, feedback and report."""
    session = make_session(user, answers=["a", "b", "c"])
    db.session.add(Feedback(session_id=session.id, interview_score=5))
    db.session.add(Report(session_id=session.id, overall_score=50))
    db.session.commit()
    assert logged_in.post(f"/session/{session.id}/delete", headers=JSON).status_code == 200
    assert (
        count_rows(InterviewSession),
        count_rows(Question),
        count_rows(Feedback),
        count_rows(Report),
    ) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/session/{id}"),
        ("get", "/session/{id}/interview"),
        ("post", "/session/{id}/answer"),
        ("post", "/session/{id}/draft"),
        ("post", "/session/{id}/delete"),
    ],
)
def test_other_users_session_is_not_found(logged_in, method, path):
    """Every session route answers another user's session exactly as an unknown id: 404."""
    other = make_user(email="other@example.com")
    session = make_session(other)
    response = getattr(logged_in, method)(path.format(id=session.id), headers=JSON)
    missing = getattr(logged_in, method)(path.format(id=99999), headers=JSON)
    assert missing.status_code == response.status_code == 404
    assert missing.get_json() == response.get_json()
    assert count_rows(InterviewSession) == 1


def test_star_insight_only_follows_story_questions(logged_in, user):
    """After a technical answer the insights skip STAR; after a behavioral one they show it."""
    technical_done = make_session(user, answers=[GOOD_ANSWER, None, None])
    assert b"STAR parts found" not in logged_in.get(f"/session/{technical_done.id}/interview").data
    story_done = make_session(user, answers=[GOOD_ANSWER, "At Acme I led it.", None])
    assert b"STAR parts found" in logged_in.get(f"/session/{story_done.id}/interview").data


def test_reloading_the_question_writes_nothing(app, logged_in, user):
    """The first view starts the interview; a reload of the same question is a pure read:
    no write, no commit, and two SELECTs (no query per question)."""
    import sqlalchemy as sa

    session = make_session(user, answers=[GOOD_ANSWER, None, None])
    logged_in.get(f"/session/{session.id}/interview")
    statements: list[str] = []
    commits: list[object] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement.lstrip().upper())

    def count_commit(conn):
        commits.append(conn)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    sa.event.listen(db.engine, "commit", count_commit)
    try:
        assert logged_in.get(f"/session/{session.id}/interview").status_code == 200
        html_reads = len(statements)
        assert logged_in.get(f"/session/{session.id}/interview", headers=JSON).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
        sa.event.remove(db.engine, "commit", count_commit)
    assert [s for s in statements if not s.startswith("SELECT")] == []
    assert commits == []
    # The account, then the session joined with its questions, however many there are.
    assert html_reads <= 2, statements
    assert db.session.get(InterviewSession, session.id).status == "IN_PROGRESS"


@pytest.mark.parametrize("answers", [[None] * 3, [GOOD_ANSWER] * 3 + [None] * 5])
def test_interview_page_reads_the_account_once_and_the_session_once(app, logged_in, user, answers):
    """Each view of the interview page makes at most two SELECTs, however many questions the
    session has or how many are answered: the signed-in account, then the session joined with
    its questions (the ownership check reuses the account already loaded)."""
    import sqlalchemy as sa

    session = make_session(user, answers=answers)
    url = f"/session/{session.id}/interview"
    logged_in.get(url)  # the first view may stamp the question as asked
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(" ".join(statement.split()).upper())

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        for _ in range(2):
            assert logged_in.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    session_reads = [s for s in statements if "FROM INTERVIEW_SESSIONS LEFT OUTER JOIN" in s]
    account_reads = [s for s in statements if s.startswith("SELECT USERS.")]
    assert len(session_reads) == 2, statements
    # Tests share one app context across requests, so the account may still be loaded from the
    # first view; a server loads it once per request.
    assert len(account_reads) <= 2, statements
    assert len(statements) == len(session_reads) + len(account_reads), statements
