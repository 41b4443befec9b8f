"""The drill list: missed key points across interviews, spaced repetition, drill sessions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from app.ai.offline.bank import load_bank
from app.extensions import db
from app.models import InterviewSession, Question
from app.practice.drills import due_at
from app.practice.history import Grading, Outcome, PointRecord, mistake_records
from tests.conftest import JSON
from tests.feedback.helpers import CACHE_ANSWER, STAR_ANSWER, evaluated_session
from tests.practice.helpers import (
    INDEX_ANSWER,
    WEAK_INDEX_ANSWER,
    first_question,
    weak_session,
)
from tests.support.sessions import default_questions, make_session
from tests.support.users import make_user

T0 = datetime(2026, 1, 1, 12, 0)


def record(*covered: bool) -> PointRecord:
    """A key point graded once a day with these outcomes."""
    outcomes = [Outcome(T0 + timedelta(days=i), c) for i, c in enumerate(covered)]
    return PointRecord("a point", question=None, language="en", outcomes=outcomes)  # type: ignore[arg-type]


def test_a_missed_point_is_due_at_once_and_covered_ones_come_back_later():
    """Leitner spacing: due when last missed; 1, 3, 7 days after 1, 2, 3 covers in a row."""
    assert due_at(record(False)) == T0
    assert due_at(record(False, True)) == T0 + timedelta(days=1 + 1)
    assert due_at(record(False, True, True)) == T0 + timedelta(days=2 + 3)
    assert due_at(record(True, True, True, False)) == T0 + timedelta(days=3)
    assert due_at(record(False, *[True] * 9)) == T0 + timedelta(days=9 + 60)


def test_the_drill_list_counts_misses_across_interviews(logged_in, user):
    """A point missed in two interviews reads "missed 2 times", due now, with its question."""
    weak_session(logged_in, user)
    weak_session(logged_in, user)
    items = logged_in.get("/drills", headers=JSON).get_json()["data"]["items"]
    assert items, "the weak answers missed key points"
    top = items[0]
    assert set(top) == {"point", "question", "misses", "due_at"}
    assert top["misses"] == 2
    assert "B-tree" in top["question"]["text"]
    page = logged_in.get("/drills").get_data(as_text=True)
    assert f"You missed “{top['point']}” 2 times" in page and "Due now" in page


def test_covering_a_point_again_moves_it_behind_the_due_ones(logged_in, user):
    """After a retry covers a missed point it is no longer due; still-missed points come first."""
    session = weak_session(logged_in, user)
    question = first_question(session)
    logged_in.post(
        f"/session/{session.id}/questions/{question.id}/attempts", data={"answer": INDEX_ANSWER}
    )
    items = logged_in.get("/drills", headers=JSON).get_json()["data"]["items"]
    due = [i["due_at"] for i in items]
    assert due == sorted(due, key=lambda d: d > items[0]["due_at"])  # due ones lead
    covered_again = [i for i in items if i["due_at"] > items[0]["due_at"]]
    assert covered_again, "a point the retry covered is scheduled later"


def test_starting_a_drill_asks_the_weak_questions_again(logged_in, user):
    """POST /drills/start makes a new interview of the weak questions (201 Session)."""
    session = weak_session(logged_in, user)
    source = first_question(session)
    response = logged_in.post("/drills/start", headers=JSON)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["status"] == "CREATED" and data["resume_id"] is None
    drill = db.session.get_one(InterviewSession, data["id"])
    texts = [q.text for q in drill.questions]
    assert source.text in texts
    copy = next(q for q in drill.questions if q.text == source.text)
    assert copy.key_points == source.key_points and copy.answer_text is None


def test_a_browser_lands_on_the_drills_first_question(logged_in, user):
    """The form post redirects to the new interview, which shows its first question at once: its
    questions are copied, so it is planned and never "preparing"."""
    weak_session(logged_in, user)
    response = logged_in.post("/drills/start")
    assert response.status_code == 302 and response.headers["Location"].endswith("/interview")
    page = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Question 1 of" in page and "Preparing your questions" not in page


def test_one_weak_question_is_joined_by_its_bank_neighbours(logged_in, user):
    """With only one weak question, the drill adds unseen bank questions on the same skill."""
    bank = load_bank()
    source = next(q for q in bank.in_language("en") if len(bank.for_skill(q.skill, "en")) >= 3)
    planned = {
        "text": source.text,
        "category": source.category,
        "skill": source.skill,
        "kind": source.kind,
        "difficulty": source.difficulty,
        "reference_answer": source.reference_answer,
        "key_points": source.points,
    }
    evaluated_session(logged_in, user, answers=["I am not sure, it depends."], questions=[planned])
    data = logged_in.post("/drills/start", headers=JSON).get_json()["data"]
    drill = db.session.get_one(InterviewSession, data["id"])
    assert len(drill.questions) == 3 and drill.questions[0].text == source.text
    neighbours = {q.text for q in bank.for_skill(source.skill, "en")}
    assert all(q.text in neighbours and q.key_points for q in drill.questions[1:])


def test_nothing_to_drill_is_said_plainly(logged_in, user):
    """Without evaluated interviews the list is empty and starting a drill is refused (409)."""
    make_session(user, answers=[INDEX_ANSWER, None, None])
    assert logged_in.get("/drills", headers=JSON).get_json()["data"] == {
        "items": [],
        "mistakes": [],
    }
    assert logged_in.post("/drills/start", headers=JSON).status_code == 409
    response = logged_in.post("/drills/start")
    assert response.status_code == 302 and response.headers["Location"].endswith("/drills")
    assert "Nothing to drill yet" in logged_in.get("/drills").get_data(as_text=True)


def test_another_users_misses_are_not_in_my_list(app, client, logged_in, user):
    """The drill list is per account."""
    weak_session(logged_in, user)
    other = make_user(email="other@example.com")
    fresh = app.test_client()
    fresh.post("/auth/login", data={"email": other.email, "password": "password123"})
    assert fresh.get("/drills", headers=JSON).get_json()["data"]["items"] == []


def test_a_second_click_carries_on_with_the_unfinished_drill(logged_in, user):
    """Starting again while a drill is unfinished returns it (200), making no second one."""
    weak_session(logged_in, user)
    first = logged_in.post("/drills/start", headers=JSON)
    again = logged_in.post("/drills/start", headers=JSON)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["data"]["id"] == first.get_json()["data"]["id"]


def test_a_drill_question_shows_one_category_pill(logged_in, user):
    """A behavioural question in "Behavioral" showed two pills, "Behavioral" and "behavioral":
    the kind is named only when it says more than the category."""
    questions = default_questions(3)
    behavioural = [q for q in questions if q["kind"] == "behavioral"]
    session = make_session(user, questions=behavioural + questions[:1])
    page = logged_in.get(f"/session/{session.id}/interview").get_data(as_text=True)
    step = page.split('<p class="step">', 1)[1].split("</p>", 1)[0]
    assert step.lower().count("behavioral") == 1


def test_categories_differing_in_case_are_one(logged_in, user):
    """ "Behavioral" and "behavioral" are one category in a report and in the progress panel."""
    questions = default_questions(3)
    questions[0]["category"], questions[1]["category"] = "behavioral", "Behavioral"
    first = evaluated_session(logged_in, user, questions=questions)
    categories = logged_in.get(f"/session/{first.id}/report", headers=JSON).get_json()["data"]
    names = [c["category"] for c in categories["category_scores"]]
    assert [n.casefold() for n in names].count("behavioral") == 1
    page = logged_in.get("/sessions").get_data(as_text=True)
    panel = page.split('class="category-trends"', 1)[1].split("</ul>", 1)[0]
    assert panel.lower().count('<span class="category">behavioral</span>') == 1


def flag(session: InterviewSession, claim: str, correction: str) -> None:
    """Record on the session's first question that its answer made a wrong claim."""
    question = first_question(session)
    receipt = dict(question.receipt or {})
    error = {"claim": claim, "quote": "an index", "correction": correction}
    receipt["errors"] = [*receipt.get("errors", []), error]
    question.receipt = receipt
    db.session.commit()


def test_a_wrong_claim_made_twice_is_listed_with_its_correction(logged_in, user):
    """The same wrong claim flagged in two interviews: "You said X 2 times; in fact Y", on the
    page and in the JSON; a claim made once is not listed as a habit."""
    claim, correction = "an index always speeds up a query", "a low-selectivity index is skipped."
    for _ in range(2):
        flag(weak_session(logged_in, user), claim, correction)
    flag(weak_session(logged_in, user), "B-trees are binary trees", "they have many children.")
    page = logged_in.get("/drills").get_data(as_text=True)
    assert "Repeated mistakes" in page
    assert f"You said “{claim}” 2 times; in fact {correction}" in page
    assert "B-trees are binary trees" not in page
    mistakes = logged_in.get("/drills", headers=JSON).get_json()["data"]["mistakes"]
    assert [(m["claim"], m["times"], m["correction"]) for m in mistakes] == [(claim, 2, correction)]


def flag_question(question: Question, claim: str, correction: str) -> None:
    """Record on a question that its answer made a wrong claim."""
    receipt = dict(question.receipt or {})
    error = {"claim": claim, "quote": "Redis", "correction": correction}
    receipt["errors"] = [*receipt.get("errors", []), error]
    question.receipt = receipt
    db.session.commit()


CLAIM, CORRECTION = "a cache never needs invalidation", "stale keys must be deleted or expire."
FULL_CACHE_ANSWER = CACHE_ANSWER + " The TTL bounds staleness: a key is never older than it."


def full_cache_session(client, user) -> InterviewSession:
    """A weak B-tree answer, and a cache answer that covers every key point."""
    answers = [WEAK_INDEX_ANSWER, STAR_ANSWER, FULL_CACHE_ANSWER]
    return evaluated_session(client, user, answers=answers)


def cache_question(session: InterviewSession) -> Question:
    """The session's cache question, which its answer covers fully (so no key point is weak)."""
    db.session.expire_all()
    main = db.session.get_one(InterviewSession, session.id).main_questions
    return next(q for q in main if "cache" in q.text.lower())


def test_a_repeated_mistake_puts_its_question_first_in_the_drill(logged_in, user):
    """A question whose answers twice made the same wrong claim leads the drill, even though it
    missed no key point; the weak question comes after it."""
    sessions = [full_cache_session(logged_in, user) for _ in range(2)]
    for session in sessions:
        question = cache_question(session)
        assert not question.missed_points, "the cache answer covers every point"
        flag_question(question, CLAIM, CORRECTION)
    mistakes = logged_in.get("/drills", headers=JSON).get_json()["data"]["mistakes"]
    assert [(m["claim"], m["times"]) for m in mistakes] == [(CLAIM, 2)]
    assert mistakes[0]["due_at"] <= mistakes[0]["last_at"]  # due since it was made
    data = logged_in.post("/drills/start", headers=JSON).get_json()["data"]
    texts = [q.text for q in db.session.get_one(InterviewSession, data["id"]).questions]
    assert texts[0] == cache_question(sessions[0]).text
    assert first_question(sessions[0]).text in texts[1:]


def test_a_repeated_mistake_alone_can_start_a_drill(logged_in, user):
    """With no missed key point at all, a repeated mistake is still something to drill."""
    cache = [q for q in default_questions(3) if "cache" in q["text"].lower()]
    for _ in range(2):
        session = evaluated_session(logged_in, user, answers=[FULL_CACHE_ANSWER], questions=cache)
        flag_question(cache_question(session), CLAIM, CORRECTION)
    assert logged_in.get("/drills", headers=JSON).get_json()["data"]["items"] == []
    assert "Start a drill" in logged_in.get("/drills").get_data(as_text=True)
    response = logged_in.post("/drills/start", headers=JSON)
    assert response.status_code == 201
    drill = db.session.get_one(InterviewSession, response.get_json()["data"]["id"])
    assert drill.questions[0].text == cache_question(session).text


def test_a_later_correct_answer_stops_a_mistake_being_due(logged_in, user):
    """Answering the question again without the wrong claim (and covering its points) moves the
    mistake's due date on: it no longer leads the drill and the page says it was corrected."""
    sessions = [full_cache_session(logged_in, user) for _ in range(2)]
    for session in sessions:
        flag_question(cache_question(session), CLAIM, CORRECTION)
    latest = cache_question(sessions[1])
    response = logged_in.post(
        f"/session/{sessions[1].id}/questions/{latest.id}/attempts",
        data={"answer": FULL_CACHE_ANSWER},
        headers=JSON,
    )
    assert response.status_code == 201
    attempt_at = response.get_json()["data"]["attempt"]["created_at"]
    mistake = logged_in.get("/drills", headers=JSON).get_json()["data"]["mistakes"][0]
    assert mistake["times"] == 2 and mistake["due_at"] > attempt_at
    page = logged_in.get("/drills").get_data(as_text=True)
    assert "Corrected since; due" in page
    data = logged_in.post("/drills/start", headers=JSON).get_json()["data"]
    texts = [q.text for q in db.session.get_one(InterviewSession, data["id"]).questions]
    assert texts[0] == first_question(sessions[0]).text and latest.text not in texts


def grading(day: int, question: Question, covered: list[str], claims: list[str]) -> Grading:
    """A grade on day `day` that covered `covered` and flagged `claims`."""
    errors = [{"claim": c, "quote": "q", "correction": "fix"} for c in claims]
    return Grading(T0 + timedelta(days=day), question, "en", covered, [], {"errors": errors})


def test_a_mistake_tied_to_a_point_is_corrected_only_when_that_point_is_right():
    """A claim the question names as a misconception of point P: a later grade that avoids the
    claim but misses P corrects nothing; one that covers P does (due a day later); making the
    claim again makes it due at once. Grades of another question never count."""
    entries = [{"point": "P", "misconceptions": [{"claim": "wrong", "correction": "fix"}]}, "Q"]
    asked = Question(id=1, text="How does it work?", key_point_entries=entries)
    other = Question(id=2, text="Something else?", key_points=["P"])
    history = [grading(0, asked, ["Q"], ["wrong"]), grading(1, asked, ["Q"], ["wrong"])]
    history += [grading(2, asked, ["Q"], []), grading(3, other, ["P"], [])]
    (record,) = mistake_records(None, history)  # type: ignore[arg-type]
    assert (record.point, record.times, due_at(record)) == ("P", 2, T0 + timedelta(days=1))
    (record,) = mistake_records(None, [*history, grading(4, asked, ["P", "Q"], [])])  # type: ignore[arg-type]
    assert due_at(record) == T0 + timedelta(days=4 + 1)
    again = [*history, grading(4, asked, ["P"], []), grading(5, asked, ["P"], ["wrong"])]
    (record,) = mistake_records(None, again)  # type: ignore[arg-type]
    assert (record.times, due_at(record)) == (3, T0 + timedelta(days=5))


def test_due_now_is_said_once_per_question(logged_in, user):
    """Every missed point of a due question carried its own "Due now": the question says it once,
    and only a point scheduled later names its date."""
    weak_session(logged_in, user)
    page = logged_in.get("/drills").get_data(as_text=True)
    cards = re.findall(r'<li class="card drill">.*?</li>\s*</ul>', page, re.S)
    assert cards
    for card in cards:
        assert card.count("Due now") == 1, card
        assert card.index("Due now") < card.index('class="drill-points"')
