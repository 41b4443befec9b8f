"""The drill list: missed key points across interviews, spaced repetition, drill sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.ai.offline.bank import load_bank
from app.extensions import db
from app.models import InterviewSession
from app.practice.drills import due_at
from app.practice.history import Outcome, PointRecord
from tests import factories
from tests.conftest import JSON
from tests.feedback.helpers import evaluated_session
from tests.practice.helpers import INDEX_ANSWER, first_question, weak_session

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
    factories.make_session(user, answers=[INDEX_ANSWER, None, None])
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
    other = factories.make_user(email="other@example.com")
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
    questions = factories.default_questions(3)
    behavioural = [q for q in questions if q["kind"] == "behavioral"]
    session = factories.make_session(user, questions=behavioural + questions[:1])
    page = logged_in.get(f"/session/{session.id}/interview").get_data(as_text=True)
    step = page.split('<p class="step">', 1)[1].split("</p>", 1)[0]
    assert step.lower().count("behavioral") == 1


def test_categories_differing_in_case_are_one(logged_in, user):
    """ "Behavioral" and "behavioral" are one category in a report and in the progress panel."""
    questions = factories.default_questions(3)
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
