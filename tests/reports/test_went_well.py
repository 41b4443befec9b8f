"""The report's "What went well": the candidate's own words (a verbatim span of their answer)
with the key point they earned, never the question read back to them."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from app.ai.offline.bank import load_bank
from app.ai.offline.grading import grade_answer
from app.ai.offline.grading.star import star_of
from app.extensions import db
from app.models import InterviewSession
from app.reports.pdf.data import cut_quote, own_words, strong_quotes
from tests.conftest import JSON
from tests.feedback.helpers import ANSWERS, evaluated_session
from tests.offline.test_star_labels import PART_LABELS, ZH_LABELLED, section

ANSWER = (
    "A B-tree keeps keys sorted in a balanced tree so lookups are O(log n); it also serves range "
    "scans and ORDER BY. The planner skips it when most rows match."
)


def detail(qid, position, score, covered, evidence, answer=ANSWER, follow_up=False):
    """One `question_details` item as the report JSON gives it."""
    return {
        "question_id": qid,
        "position": position,
        "question": f"Question text {qid}?",
        "is_follow_up": follow_up,
        "answer": answer,
        "score": score,
        "covered_points": covered,
        "receipt": {"evidence": [{"point": p, "quote": q} for p, q in evidence]},
    }


def test_a_graders_window_becomes_the_clause_it_sits_in():
    """A window that starts and stops mid-phrase is widened to the clause holding most of it,
    which is still a span of the answer; a quote not in the answer is left alone."""
    window = "scans and ORDER BY. The planner skips it"
    assert own_words(ANSWER, window) == "The planner skips it when most rows match."
    first = own_words(ANSWER, "keys sorted in a balanced tree so lookups")
    assert first == "A B-tree keeps keys sorted in a balanced tree so lookups are O(log n)"
    assert first in ANSWER
    assert own_words(ANSWER, "not in the answer") == "not in the answer"
    chinese = "索引让查询变快。B 树保持键有序，查找是对数时间；范围查询也能用。"
    assert own_words(chinese, "保持键有序") == "B 树保持键有序，查找是对数时间"


def test_a_long_quote_is_cut_at_a_word_with_an_ellipsis():
    """Long words stay verbatim up to the ellipsis."""
    long = "word " * 60
    cut = cut_quote(long, limit=40)
    assert cut.endswith("…") and len(cut) <= 41 and long.startswith(cut[:-1])
    assert cut_quote("short one") == "short one"


def test_the_best_questions_give_one_quote_each_for_a_point_they_earned():
    """Highest score first, one quote per main question, only for covered points; a follow-up's
    quote counts for its main question; ungraded questions and missed points give none."""
    details = [
        detail(1, 1, 50, ["p1"], [("missed one", "range scans"), ("p1", "The planner skips it")]),
        detail(2, 1, None, [], [("p9", "The planner")], follow_up=True),
        detail(3, 2, 90, ["p3"], [("p3", "balanced tree so lookups")]),
        detail(4, 3, None, ["p4"], [("p4", "range scans")]),
        detail(5, 4, 70, ["p5"], []),
        detail(6, 4, None, [], [("p5", "ORDER BY")], answer="It serves ORDER BY too.",
               follow_up=True),
    ]  # fmt: skip
    quotes = strong_quotes(details)
    assert [(q.question_id, q.position, q.score, q.point) for q in quotes] == [
        (3, 2, 90, "p3"),
        (5, 4, 70, "p5"),
        (1, 1, 50, "p1"),
    ]
    assert quotes[1].quote == "It serves ORDER BY too."
    assert quotes[2].quote == "The planner skips it when most rows match."
    assert strong_quotes(details, limit=1) == quotes[:1]


def went_well_section(page: str) -> str:
    """The report page's "What went well" card."""
    return re.search(r'<section class="card went-well">.*?</section>', page, re.S).group(0)


def test_the_report_quotes_the_candidates_own_words(logged_in, user):
    """Each line quotes a span of one of the candidate's answers, names a key point that answer
    earned and links to its question; no question text is read back."""
    session = evaluated_session(logged_in, user)
    data = logged_in.get(f"/session/{session.id}/report", headers=JSON).get_json()["data"]
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    section = went_well_section(page)
    quotes = re.findall(r"<q>(.*?)</q>", section)
    assert len(quotes) == 3
    assert all(any(q in answer for answer in ANSWERS) for q in quotes)
    assert not any(d["question"][:30] in section for d in data["question_details"])
    covered = {p for d in data["question_details"] for p in d["covered_points"]}
    earned = re.findall(r"earned “(.*?)”", section)
    assert len(earned) == 3 and set(earned) <= covered
    assert len(re.findall(r'href="#q-\d+"', section)) == 3


def test_a_report_without_quotes_keeps_the_summarys_strengths(logged_in, user):
    """A grade stored before receipts existed has no quotes: the summary's strengths are shown."""
    session = evaluated_session(logged_in, user)
    for question in db.session.get_one(InterviewSession, session.id).questions:
        question.receipt = None
    db.session.commit()
    data = logged_in.get(f"/session/{session.id}/report", headers=JSON).get_json()["data"]
    section = went_well_section(
        logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    )
    assert "<q>" not in section
    assert data["strengths"][0].split()[0] in section


def test_the_pdf_says_what_went_well_in_the_same_words(logged_in, user):
    """The PDF's lead quotes the same words as the page."""
    session = evaluated_session(logged_in, user)
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    first = re.findall(r"<q>(.*?)</q>", went_well_section(page))[0]
    pdf = logged_in.get(f"/session/{session.id}/report.pdf").data
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert " ".join(first.split()[:4]) in text and "earned" in text


def test_the_same_words_are_quoted_once():
    """Two answers that share a sentence: the second question gives its next earning quote, and
    a question with nothing new to quote gives none."""
    details = [
        detail(1, 1, 90, ["a"], [("a", "The planner skips it")]),
        detail(2, 2, 80, ["b", "c"], [("b", "The planner skips it"), ("c", "range scans")]),
        detail(3, 3, 70, ["d"], [("d", "when most rows match")]),
    ]
    quotes = strong_quotes(details)
    assert [(q.question_id, q.point) for q in quotes] == [(1, "a"), (2, "c")]
    assert len({q.quote for q in quotes}) == 2


def test_a_labelled_story_is_quoted_from_each_parts_own_stretch() -> None:
    """The grade's evidence for each STAR point is a quote from the stretch labelled as that
    part, and the report's "What went well" widens it to a clause of that same stretch."""
    entry = next(
        q
        for q in load_bank().questions
        if q.kind == "behavioral" and q.language == "zh" and "分歧" in q.text
    )
    result = grade_answer(
        entry.text, ZH_LABELLED, entry.points, entry.reference_answer, kind=entry.kind
    )
    quoted = 0
    for point, quote in result.evidence.items():
        part = star_of(point)
        if part not in PART_LABELS:
            continue
        lo, hi = section(ZH_LABELLED, part)
        words = own_words(ZH_LABELLED, max(quote.split("…"), key=len).strip())
        assert lo <= ZH_LABELLED.find(words) < hi, (part, words)
        quoted += 1
    assert quoted >= 2
