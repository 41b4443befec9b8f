"""Kept parts of pages — the interview page's body and whole page, the report's body, the top
bar — and the reads behind them: each follows every change it shows, belongs to one user only,
and carries each request's own CSRF token."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask, template_rendered
from markupsafe import escape

from app.access import INVITE_SCOPE_KEY
from app.extensions import db
from app.interview.pages import QUESTION_BODIES, QUESTION_PAGES
from app.models import InterviewSession, Question, utcnow
from app.reports.pages import REPORT_BODIES, REPORT_PAGES
from app.sessions.pages import HISTORY_BODIES, HISTORY_PAGES
from tests.conftest import JSON, csrf_token_from
from tests.security.conftest import forget_identity_per_request
from tests.sessions.test_interview import GAPPY_ANSWER
from tests.support.sessions import make_invite, make_session
from tests.support.users import make_user

ANSWER = (
    "A B-tree keeps keys sorted in a balanced tree, so a lookup is O(log n) and it also serves "
    "range scans and ORDER BY; the planner skips it when most rows match."
)


@pytest.fixture
def app_overrides() -> dict:
    """Forms carry and need CSRF tokens, as in production."""
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture(autouse=True)
def fresh_context_per_request(app: Flask) -> None:
    """Each request starts from a clean context, as on a server (no token or user carried)."""
    forget_identity_per_request(app)
    QUESTION_BODIES.clear()
    QUESTION_PAGES.clear()
    REPORT_BODIES.clear()
    REPORT_PAGES.clear()
    HISTORY_BODIES.clear()
    HISTORY_PAGES.clear()


def signed_in(app: Flask, email: str):
    """A client signed in through the real form."""
    client = app.test_client()
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login", data={"email": email, "password": "password123", "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def page(client, session_id: int) -> str:
    """The interview page's HTML."""
    response = client.get(f"/session/{session_id}/interview")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def questions(*texts: str) -> list[dict]:
    """Planned questions with these texts."""
    return [
        {"text": text, "category": "Databases", "kind": "technical", "key_points": ["B-tree"]}
        for text in texts
    ]


def test_kept_body_follows_a_new_answer_and_a_draft(app, user):
    """A view after an answer shows the next question and insights on that answer; a view
    after a saved draft shows the draft: the kept body is never the one from before."""
    session = make_session(user, questions=questions("First?", "Second?", "Third?"))
    client = signed_in(app, user.email)
    first = page(client, session.id)
    assert "First?" in first and "About your last answer" not in first
    token = csrf_token_from(first)
    question_id = session.questions[0].id
    response = client.post(
        f"/session/{session.id}/answer",
        data={"question_id": str(question_id), "answer": ANSWER, "csrf_token": token},
        headers=JSON,
    )
    assert response.status_code == 200
    words = response.get_json()["data"]["insights"]["word_count"]
    after = page(client, session.id)
    assert "Second?" in after and "About your last answer" in after
    assert f"{words} words" in after  # the insights of the answer just stored
    second_id = session.questions[1].id
    response = client.post(
        f"/session/{session.id}/draft",
        data={"question_id": str(second_id), "answer": "my unsent draft", "csrf_token": token},
    )
    assert response.status_code == 204
    assert "my unsent draft" in page(client, session.id)


def test_kept_body_is_never_served_to_another_user(app, user):
    """Another user whose interview has the same id (SQLite gives a deleted row's id out again),
    questions and state sees their own questions, never the first user's kept body."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite gives a deleted row's id out again; PostgreSQL never does")
    first = make_session(user, questions=questions("Alice's question?"))
    client = signed_in(app, user.email)
    assert "Alice&#39;s question?" in page(client, first.id)
    session_id, question_id, created_at = first.id, first.questions[0].id, first.created_at
    db.session.delete(first.questions[0])
    db.session.delete(first)
    db.session.commit()
    other = make_user(email="bob@example.com")
    second = make_session(other, questions=questions("Bob's question?"))
    second.created_at = created_at
    db.session.commit()
    assert (second.id, second.questions[0].id) == (session_id, question_id)
    html = page(signed_in(app, other.email), second.id)
    assert "Bob&#39;s question?" in html and "Alice" not in html
    assert db.session.get(InterviewSession, second.id).user_id == other.id


def test_kept_body_carries_each_requests_csrf_token(app, user):
    """Two browsers of one user get the same kept body, each with its own CSRF token, and each
    token is accepted by the page's forms."""
    session = make_session(user)
    browsers = [signed_in(app, user.email), signed_in(app, user.email)]
    tokens = [csrf_token_from(page(browser, session.id)) for browser in browsers]
    assert len(QUESTION_BODIES) == 1
    assert tokens[0] != tokens[1]
    assert all("placeholder" not in token for token in tokens)
    question_id = str(session.questions[0].id)
    for browser, token in zip(browsers, tokens, strict=True):
        response = browser.post(
            f"/session/{session.id}/draft",
            data={"question_id": question_id, "answer": "draft", "csrf_token": token},
        )
        assert response.status_code == 204


def statements_during(app: Flask, call) -> list[str]:
    """The SQL statements the database receives while `call()` runs."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_interview_page_reads_its_session_with_the_user(app, user):
    """A reload of the interview page asks the database once: the signed-in user and the
    interview with its questions come in the same query."""
    session = make_session(user, questions=questions("First?", "Second?"))
    client = signed_in(app, user.email)
    page(client, session.id)
    seen = statements_during(app, lambda: page(client, session.id))
    assert len(seen) == 1
    assert "FROM users LEFT OUTER JOIN interview_sessions" in " ".join(seen[0].split())


def test_session_read_with_the_user_is_only_the_users_own(app, user):
    """Another user's interview, read in the same query as the signed-in user, still answers
    404 on the interview page and the report, like an id that does not exist."""
    theirs = make_session(user, questions=questions("Alice's question?"))
    other = make_user(email="bob@example.com")
    client = signed_in(app, other.email)
    for url in (f"/session/{theirs.id}/interview", f"/session/{theirs.id}/report"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Alice" not in response.get_data(as_text=True)
    mine = make_session(other, questions=questions("Bob's question?"))
    assert "Bob&#39;s question?" in page(client, mine.id)


def test_kept_top_bar_follows_the_name_and_the_user(app, user):
    """The bar at the top is kept per sign-in, but a new name shows at once, and another user
    never sees the first one's name."""
    session = make_session(user)
    client = signed_in(app, user.email)
    assert "Sign out (Test User)" in page(client, session.id)
    user.name = "Renamed Person"
    db.session.commit()
    html = page(client, session.id)
    assert "Sign out (Renamed Person)" in html and "Test User" not in html
    other = make_user(email="bob@example.com", name="Bob")
    bobs = make_session(other)
    html = page(signed_in(app, other.email), bobs.id)
    assert "Sign out (Bob)" in html and "Renamed Person" not in html
    signed_out = app.test_client().get("/auth/login").get_data(as_text=True)
    assert "Sign out" not in signed_out and "Create account" in signed_out


def test_signed_csrf_token_is_reused_per_session_secret_and_accepted(app, user):
    """Views of one browser within a minute carry the same signed token, which its forms
    accept; another browser's token is its own and is refused with the first one's session."""
    session = make_session(user)
    first, second = signed_in(app, user.email), signed_in(app, user.email)
    token = csrf_token_from(page(first, session.id))
    assert csrf_token_from(page(first, session.id)) == token
    assert csrf_token_from(page(second, session.id)) != token
    question_id = str(session.questions[0].id)
    draft = {"question_id": question_id, "answer": "draft", "csrf_token": token}
    assert first.post(f"/session/{session.id}/draft", data=draft).status_code == 204
    assert second.post(f"/session/{session.id}/draft", data=draft).status_code == 400


def test_kept_report_body_carries_each_requests_csrf_token(app, user):
    """Two browsers of one user get the same kept report body, each with its own CSRF token in
    every form (the tries' forms included), and a try sent with it is taken; another user's
    browser gets a 404, never the kept body."""
    session = make_session(user, answers=[ANSWER, ANSWER, ANSWER])
    first = signed_in(app, user.email)
    token = csrf_token_from(page(first, session.id))
    completed = first.post(
        f"/session/{session.id}/complete", data={"csrf_token": token}, headers=JSON
    )
    assert completed.status_code == 200
    browsers = [first, signed_in(app, user.email)]
    url = f"/session/{session.id}/report"
    pages = [browser.get(url).get_data(as_text=True) for browser in browsers]
    assert len(REPORT_BODIES) == 1
    tokens = [set(re.findall(r'name="csrf_token" value="([^"]+)"', html)) for html in pages]
    assert all(len(found) == 1 for found in tokens) and tokens[0] != tokens[1]
    assert all("placeholder" not in html for html in pages)
    question = session.questions[0]
    assert f"/questions/{question.id}/attempts" in pages[1]
    response = browsers[1].post(
        f"/session/{session.id}/questions/{question.id}/attempts",
        data={"answer": ANSWER, "back": "report", "csrf_token": tokens[1].pop()},
    )
    assert response.status_code == 302
    assert "Your other tries" in browsers[0].get(url).get_data(as_text=True)
    other = make_user(email="bob@example.com")
    assert signed_in(app, other.email).get(url).status_code == 404


def test_kept_history_body_follows_new_and_deleted_interviews(app, user):
    """The history page's kept body shows a new interview and a finished evaluation at once,
    drops a deleted one, carries each browser's own CSRF token (its delete form is taken), and
    another user sees their own history only."""
    first = make_session(user, answers=[ANSWER, ANSWER, ANSWER])
    first.job_title = "Database Engineer"
    db.session.commit()
    browsers = [signed_in(app, user.email), signed_in(app, user.email)]
    html = browsers[0].get("/sessions").get_data(as_text=True)
    assert "Database Engineer" in html and "Site Reliability" not in html
    second = make_session(user)
    second.job_title = "Site Reliability"
    db.session.commit()
    pages = [browser.get("/sessions").get_data(as_text=True) for browser in browsers]
    assert all("Site Reliability" in html for html in pages)
    assert len(HISTORY_BODIES) == 2  # the first view's body, and one for the new interview
    tokens = [set(re.findall(r'name="csrf_token" value="([^"]+)"', html)) for html in pages]
    assert all(len(found) == 1 for found in tokens) and tokens[0] != tokens[1]
    token = csrf_token_from(page(browsers[0], first.id))
    completed = browsers[0].post(
        f"/session/{first.id}/complete", data={"csrf_token": token}, headers=JSON
    )
    assert completed.status_code == 200
    assert f"/session/{first.id}/report" in browsers[0].get("/sessions").get_data(as_text=True)
    deleted = browsers[1].post(f"/session/{second.id}/delete", data={"csrf_token": tokens[1].pop()})
    assert deleted.status_code == 302
    assert "Site Reliability" not in browsers[0].get("/sessions").get_data(as_text=True)
    other = make_user(email="bob@example.com")
    html = signed_in(app, other.email).get("/sessions").get_data(as_text=True)
    assert "Database Engineer" not in html and "No interviews yet" in html


def answer_current(client, session_id: int, question_id: int, text: str, token: str) -> None:
    """Send an answer as the page's form does (JSON, to read the result)."""
    response = client.post(
        f"/session/{session_id}/answer",
        data={"question_id": str(question_id), "answer": text, "csrf_token": token},
        headers=JSON,
    )
    assert response.status_code == 200


def test_kept_page_follows_a_follow_up(app, user):
    """An answer that earns a follow-up: the next view asks the follow-up, not the kept first
    question nor the next main one."""
    app.config["FOLLOW_UPS_PER_QUESTION"] = 1
    session = make_session(user)  # the factory's questions, with their key points
    first_text, second_text = (q.text for q in session.questions[:2])
    client = signed_in(app, user.email)
    first = page(client, session.id)
    assert escape(first_text) in page(client, session.id)
    token = csrf_token_from(first)
    answer_current(client, session.id, session.questions[0].id, GAPPY_ANSWER, token)
    db.session.expire_all()
    follow_up = next(q for q in session.questions if q.parent_id is not None)
    after = page(client, session.id)
    assert escape(follow_up.text) in after and escape(second_text) not in after


def test_kept_page_follows_completion(app, user):
    """Finishing the interview: the next view is the finished page, not the kept question."""
    session = make_session(user, questions=questions("Only?"))
    client = signed_in(app, user.email)
    first = page(client, session.id)
    assert "Only?" in page(client, session.id)
    token = csrf_token_from(first)
    answer_current(client, session.id, session.questions[0].id, ANSWER, token)
    completed = client.post(
        f"/session/{session.id}/complete", data={"csrf_token": token}, headers=JSON
    )
    assert completed.status_code == 200
    finished = page(client, session.id)
    assert "Interview finished" in finished and "Only?" not in finished


def test_kept_page_follows_a_change_made_elsewhere(app, user):
    """A question answered and a follow-up added by another process (another worker, a job):
    the page reads the interview's state on every view, so the kept body is not shown."""
    session = make_session(user, questions=questions("First?", "Second?"))
    client = signed_in(app, user.email)
    assert "First?" in page(client, session.id)
    main = session.questions[0]
    main.answer_text, main.answered_at = ANSWER, utcnow()
    db.session.commit()
    assert "Second?" in page(client, session.id)
    db.session.add(
        Question(
            session_id=session.id,
            position=main.position,
            parent_id=main.id,
            text="Which index would you add?",
            category=main.category,
            kind=main.kind,
        )
    )
    db.session.commit()
    after = page(client, session.id)
    assert "Which index would you add?" in after and "Second?" not in after


def test_kept_page_builds_no_session_objects(app, user):
    """A view of a state already shown is served from the kept body without loading the
    interview or its questions as objects; the first view of a state loads them and stamps
    when the question was asked (a view that writes is never served from a kept body)."""
    session = make_session(user, questions=questions("First?", "Second?"))
    client = signed_in(app, user.email)
    loaded: list[object] = []

    def record(target, _context) -> None:
        loaded.append(target)

    for model in (InterviewSession, Question):
        sa.event.listen(model, "load", record)
    try:
        first = page(client, session.id)
        assert loaded  # rendered from the loaded interview
        db.session.expire_all()
        assert session.questions[0].asked_at is not None
        loaded.clear()
        again = page(client, session.id)
        assert loaded == []
    finally:
        for model in (InterviewSession, Question):
            sa.event.remove(model, "load", record)
    assert again.replace(csrf_token_from(again), "") == first.replace(csrf_token_from(first), "")


def test_page_state_from_rows_keys_as_from_objects(app, user):
    """The state read as plain columns gives the same key as the loaded interview, so a body
    rendered from the objects is found again from the rows."""
    from app.interview.pages import INTERVIEW_STATE, PageState

    session = make_session(user, answers=[ANSWER, None, None])
    read = INTERVIEW_STATE.read(user.id, session.id)
    assert read is not None
    signed_in_user, rows = read
    assert (signed_in_user.id, signed_in_user.display_name) == (user.id, user.display_name)
    from_rows = PageState.from_rows(rows)
    assert from_rows is not None
    assert from_rows.key(user.id, False) == PageState.of(session).key(user.id, False)
    other = make_user(email="carol@example.com")
    theirs = INTERVIEW_STATE.read(other.id, session.id)
    assert theirs is not None
    assert PageState.from_rows(theirs[1]) is None  # not hers: absent, as a missing id


def test_history_reload_is_one_query_and_builds_no_interview_objects(app, user):
    """A reload of history asks the database once (the user and the history's state together)
    and, with its body kept, builds no interview objects."""
    make_session(user, answers=[ANSWER, ANSWER, ANSWER])
    client = signed_in(app, user.email)
    first = client.get("/sessions").get_data(as_text=True)
    loaded: list[object] = []

    def record(target, _context) -> None:
        loaded.append(target)

    sa.event.listen(InterviewSession, "load", record)
    try:
        seen = statements_during(app, lambda: client.get("/sessions"))
    finally:
        sa.event.remove(InterviewSession, "load", record)
    assert len(seen) == 1 and loaded == []
    assert "FROM users LEFT OUTER JOIN interview_sessions" in " ".join(seen[0].split())
    again = client.get("/sessions").get_data(as_text=True)
    assert again.replace(csrf_token_from(again), "") == first.replace(csrf_token_from(first), "")


def test_history_state_keys_as_the_full_read(app, user):
    """The history's state read as plain columns gives the key of the full read, for a user
    with interviews in several states (one kept by an invite) and for one with none; another
    user's interviews never enter it."""
    from app.sessions.pages import HISTORY_STATE, history_key, state_key
    from app.sessions.services import session_history

    make_session(user, answers=[ANSWER, ANSWER, ANSWER])
    make_session(user, answers=[ANSWER, None, None])
    invited = make_session(user, answers=[ANSWER, ANSWER, ANSWER])
    make_invite(invited)
    other = make_user(email="dave@example.com")
    db.session.commit()
    assert invited.id in session_history(user).kept
    for who in (user, other):
        read = HISTORY_STATE.read(who.id, None)
        assert read is not None
        rows = read[1]
        assert state_key(who, rows) == history_key(who, session_history(who))
    assert state_key(other, rows) == (other.id, (), (), (), (0, None))


def templates_rendered_during(app: Flask, call) -> list[str]:
    """The names of the templates rendered while `call()` runs."""
    names: list[str] = []

    def record(_sender, template, _context, **_extra) -> None:
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        call()
    finally:
        template_rendered.disconnect(record, app)
    return names


def tokens_in(html: str) -> set[str]:
    """Every CSRF token the page's forms carry."""
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


def test_kept_whole_page_renders_nothing_and_carries_each_browsers_token(app, user):
    """A reload of a state already shown renders no template: the whole page (title, top bar,
    body) is kept. Each browser's copy carries that browser's own token in every form, the top
    bar's sign-out included, and signing out through the kept page works."""
    session = make_session(user, questions=questions("First?", "Second?"))
    browsers = [signed_in(app, user.email), signed_in(app, user.email)]
    first = [page(browser, session.id) for browser in browsers]
    rendered = templates_rendered_during(app, lambda: page(browsers[0], session.id))
    assert rendered == []
    again = [page(browser, session.id) for browser in browsers]
    assert len(QUESTION_PAGES) == 1
    tokens = [tokens_in(html) for html in again]
    assert all(len(found) == 1 for found in tokens) and tokens[0] != tokens[1]
    assert all("csrf-placeholder" not in html for html in again)
    assert "Sign out (Test User)" in again[1] and "<title>Question 1 of 2" in again[1]
    for html, before in zip(again, first, strict=True):
        assert html.replace(csrf_token_from(html), "") == before.replace(
            csrf_token_from(before), ""
        )
    signed_out = browsers[1].post("/auth/logout", data={"csrf_token": tokens[1].pop()})
    assert signed_out.status_code == 302
    assert browsers[1].get(f"/session/{session.id}/interview").status_code == 302  # to sign in


def test_kept_whole_page_shows_a_flashed_message_exactly_once(app, user):
    """An answer to a question already answered is refused with a message on the interview
    page: the page after it shows the message although the page for that state is kept, and
    the view after that no longer does."""
    session = make_session(user, questions=questions("First?", "Second?"))
    client = signed_in(app, user.email)
    token = csrf_token_from(page(client, session.id))
    answer_current(client, session.id, session.questions[0].id, ANSWER, token)
    page(client, session.id)
    kept = page(client, session.id)  # the page for this state is kept
    refused = client.post(
        f"/session/{session.id}/answer",
        data={"question_id": str(session.questions[0].id), "answer": ANSWER, "csrf_token": token},
    )
    assert refused.status_code == 302
    shown = page(client, session.id)
    assert shown.count('class="flash flash-warning"') == 1 and "Second?" in shown
    after = page(client, session.id)
    assert "flash-warning" not in after and "Second?" in after
    assert after.replace(csrf_token_from(after), "") == kept.replace(csrf_token_from(kept), "")


def test_kept_whole_page_follows_each_sign_ins_reach(app, user):
    """One interview viewed by a sign-in that may use the whole account and by one scoped to
    this interview (an invite): each sees its own top bar, reload after reload."""
    session = make_session(user, questions=questions("First?"))
    account, invited = signed_in(app, user.email), signed_in(app, user.email)
    with invited.session_transaction() as cookie:
        cookie[INVITE_SCOPE_KEY] = session.id
    for _ in range(3):
        whole = page(account, session.id)
        scoped = page(invited, session.id)
        assert ">Drills<" in whole and ">Your interview<" not in whole
        assert ">Drills<" not in scoped and ">Your interview<" in scoped
        assert "First?" in whole and "First?" in scoped
    assert len(QUESTION_PAGES) == 2


def test_kept_history_page_renders_nothing_and_shows_a_deletion_once(app, user):
    """A reload of history renders no template (the whole page is kept), with each browser's
    own token in every form. A deletion's message is shown once, by the browser that deleted,
    even when the page of the new history is already kept; the view after that has none."""
    first = make_session(user, answers=[ANSWER, ANSWER, ANSWER])
    first.job_title = "Database Engineer"
    second = make_session(user)
    second.job_title = "Site Reliability"
    db.session.commit()
    browsers = [signed_in(app, user.email), signed_in(app, user.email)]
    for browser in browsers:
        browser.get("/sessions")
    rendered = templates_rendered_during(app, lambda: browsers[0].get("/sessions"))
    assert rendered == []
    pages = [browser.get("/sessions").get_data(as_text=True) for browser in browsers]
    assert len(HISTORY_PAGES) == 1 and all("Site Reliability" in html for html in pages)
    tokens = [tokens_in(html) for html in pages]
    assert all(len(found) == 1 for found in tokens) and tokens[0] != tokens[1]
    assert all("csrf-placeholder" not in html for html in pages)
    deleted = browsers[1].post(f"/session/{second.id}/delete", data={"csrf_token": tokens[1].pop()})
    assert deleted.status_code == 302
    for _ in range(2):  # the other browser sees no message, and the new history's page is kept
        other = browsers[0].get("/sessions").get_data(as_text=True)
        assert "Interview deleted." not in other and "Site Reliability" not in other
    assert len(HISTORY_PAGES) == 2
    once = browsers[1].get("/sessions").get_data(as_text=True)
    assert once.count("Interview deleted.") == 1 and "Database Engineer" in once
    after = browsers[1].get("/sessions").get_data(as_text=True)
    assert "Interview deleted." not in after and "Database Engineer" in after
    assert after.replace(csrf_token_from(after), "") == other.replace(csrf_token_from(other), "")


def test_kept_bodies_of_two_pages_never_collide(app, user):
    """Two pages whose bodies name the same things under the same key, kept in one cache, each
    get their own body and page: a kept body's key starts with its page's path."""
    from flask_login import login_user

    from app.fragments import FragmentCache
    from app.templating import kept_page, page_from_body

    bodies: FragmentCache[str] = FragmentCache(size=8)
    pages: FragmentCache[str] = FragmentCache(size=8)
    key = (user.id, 1)
    served = {}
    for path in ("/sessions", "/session/1/interview"):
        with app.test_request_context(path):
            login_user(user)
            assert kept_page(bodies, pages, key, "sessions/index.html", dict) is None
            body = f"<p>the body of {path}</p>"
            page_from_body(bodies, pages, key, "sessions/index.html", lambda b=body: b, {})
    for path in ("/sessions", "/session/1/interview"):
        with app.test_request_context(path):
            login_user(user)
            served[path] = kept_page(bodies, pages, key, "sessions/index.html", dict)
    assert len(bodies) == 2 and len(pages) == 2
    assert all(f"the body of {path}" in str(html) for path, html in served.items())


def evaluated(app: Flask, user) -> tuple[object, InterviewSession]:
    """A signed-in browser of the user's and an interview of theirs, evaluated."""
    session = make_session(user, answers=[ANSWER, ANSWER, ANSWER])
    client = signed_in(app, user.email)
    token = csrf_token_from(page(client, session.id))
    completed = client.post(
        f"/session/{session.id}/complete", data={"csrf_token": token}, headers=JSON
    )
    assert completed.status_code == 200
    return client, session


def test_report_reload_is_one_query_and_renders_nothing(app, user):
    """A reload of a report already shown asks the database once (the user and the report's
    state together), renders no template and builds no objects; the state read as plain
    columns keys as the loaded report does, and another user's read finds nothing."""
    from app.models import AICall, Report
    from app.reports.pages import REPORT_STATE, ReportState

    client, session = evaluated(app, user)
    url = f"/session/{session.id}/report"
    first = client.get(url).get_data(as_text=True)
    loaded: list[object] = []

    def record(target, _context) -> None:
        loaded.append(target)

    for model in (InterviewSession, Question, Report, AICall):
        sa.event.listen(model, "load", record)
    try:
        seen = statements_during(app, lambda: client.get(url))
        rendered = templates_rendered_during(app, lambda: client.get(url))
    finally:
        for model in (InterviewSession, Question, Report, AICall):
            sa.event.remove(model, "load", record)
    assert len(seen) == 1 and rendered == [] and loaded == []
    assert len(REPORT_PAGES) == 1
    again = client.get(url).get_data(as_text=True)
    assert again.replace(csrf_token_from(again), "") == first.replace(csrf_token_from(first), "")
    read = REPORT_STATE.read(user.id, session.id)
    assert read is not None
    state = ReportState.from_rows(read[1])
    assert state is not None and state.language == session.language
    other = make_user(email="erin@example.com")
    theirs = REPORT_STATE.read(other.id, session.id)
    assert theirs is not None and ReportState.from_rows(theirs[1]) is None


def test_kept_report_page_follows_ai_calls_invites_and_recordings(app, user):
    """The kept report page follows what can change after the evaluation: a new AI call for
    the interview (its receipt) and an invite (who hears the recordings) each make a new page,
    and an interview with a recording is read in full on every view (which recordings are
    listed depends on the hour). An unfinished interview's report is never served kept."""
    from datetime import timedelta

    from app.models import AICall, Recording

    unfinished = make_session(user, answers=[ANSWER, None, None])
    client, session = evaluated(app, user)
    assert client.get(f"/session/{unfinished.id}/report").status_code != 200
    url = f"/session/{session.id}/report"
    client.get(url)
    assert len(REPORT_PAGES) == 1
    call = AICall(
        task="evaluate_answers",
        provider="offline",
        prompt_tokens=1000,
        output_tokens=200,
        latency_ms=1,
        outcome="ok",
        session_id=session.id,
    )
    db.session.add(call)
    db.session.commit()
    client.get(url)
    assert len(REPORT_PAGES) == 2
    make_invite(session)
    client.get(url)
    assert len(REPORT_PAGES) == 3
    assert len(statements_during(app, lambda: client.get(url))) == 1
    recording = Recording(
        session_id=session.id,
        question_id=session.questions[0].id,
        file_name="kept.webm",
        content_type="audio/webm",
        size_bytes=10,
        expires_at=utcnow() + timedelta(days=1),
    )
    db.session.add(recording)
    db.session.commit()
    assert client.get(url).status_code == 200
    assert len(statements_during(app, lambda: client.get(url))) > 1


def test_first_view_after_an_answer_reads_once(app, user):
    """The view the answer's redirect leads to shows a state never shown: it reads the interview
    with the user in one query (and stamps the new question as asked), and the reload after it
    is served from what that view kept, again in one query."""
    session = make_session(user, questions=questions("First?", "Second?"))
    client = signed_in(app, user.email)
    token = csrf_token_from(page(client, session.id))
    answer_current(client, session.id, session.questions[0].id, ANSWER, token)

    def selects_of(html: list[str]) -> list[str]:
        def view() -> None:
            html.append(page(client, session.id))

        seen = statements_during(app, view)
        return [s for s in seen if s.lstrip().upper().startswith("SELECT")]

    shown: list[str] = []
    assert len(selects_of(shown)) == 1
    assert "Second?" in shown[0]
    db.session.expire_all()
    assert session.questions[1].asked_at is not None
    assert len(selects_of(shown)) == 1 and len(QUESTION_PAGES) >= 1
    assert shown[1].replace(csrf_token_from(shown[1]), "") == shown[0].replace(
        csrf_token_from(shown[0]), ""
    )
