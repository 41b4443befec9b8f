"""The PDF of a real 8-question interview (planned, answered with follow-ups and graded by the
built-in interviewer): at most 8 pages, in the report page's order, each point said once."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from app.reports.pdf.questions import advice_only
from tests.conftest import JSON
from tests.e2e import pages

CV = (
    "Backend engineer, 6 years on payments at Acme: Python, Flask, PostgreSQL, Redis, Kafka, "
    "Docker and Kubernetes; Java, Spring Boot and MySQL before that. Cut p99 latency by 80%."
)


def answer_for(language: str, number: int, question: str) -> str:
    """Realistic answers: Chinese ones in Chinese; in English, vague and strong in turn."""
    if language == "zh":
        return pages.CHINESE_ANSWER
    template = pages.STRONG_ANSWER if number % 2 else pages.VAGUE_ANSWER
    return template.format(topic=pages.topic_of(question))


def interview_pdf(client, language: str) -> tuple[bytes, dict]:
    """Plan 8 questions, answer every question and follow-up, evaluate; (PDF, report JSON)."""
    job = pages.CHINESE_JOB_DESCRIPTION if language == "zh" else pages.JOB_DESCRIPTION
    form = {
        "job_description": job,
        "job_title": "后端工程师" if language == "zh" else "Backend Engineer",
        "company_name": "Acme",
        "question_count": "8",
        "language": language,
        "resume_text": CV,
    }
    created = client.post("/sessions/new", headers=JSON, data=form)
    assert created.status_code == 201, created.get_json()
    session_id = created.get_json()["data"]["id"]
    for number in range(40):
        current = client.get(f"/session/{session_id}/interview", headers=JSON).get_json()["data"]
        question = current.get("current_question")
        if not question:
            break
        answer = answer_for(language, number, question["text"])
        form = {"question_id": question["id"], "answer": answer}
        response = client.post(f"/session/{session_id}/answer", headers=JSON, data=form)
        assert response.status_code in (200, 201), response.get_json()
    assert client.post(f"/session/{session_id}/complete", headers=JSON).status_code == 200
    report = client.get(f"/session/{session_id}/report", headers=JSON).get_json()["data"]
    return client.get(f"/session/{session_id}/report.pdf").data, report


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_eight_question_interview_prints_on_at_most_eight_pages(logged_in, language):
    """8 main questions with their follow-ups: ≤ 8 pages; page 1 leads with the score, what to
    fix and what went well, then the charts; questions follow in order, follow-ups unscored."""
    data, report = interview_pdf(logged_in, language)
    details = report["question_details"]
    assert sum(not d["is_follow_up"] for d in details) == 8
    assert any(d["is_follow_up"] for d in details)
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert len(texts) <= 8, f"{len(texts)} pages"
    first = texts[0]
    words = {
        "en": ("Overall score", "Fix these first", "What went well", "Category Analysis"),
        "zh": ("总分", "优先改进", "做得好的地方", "类别分析"),
    }[language]
    positions = [first.index(word) for word in words]
    assert positions == sorted(positions)
    # Each thing to fix names its question as the page does: "Question 3 · 20/100".
    named = {"en": r"Question \d+ · \d+/100", "zh": r"第 ?\d+ ?题 · \d+/100"}[language]
    assert re.search(named, " ".join(first.split())), first[:600]
    text = "\n".join(texts)
    badges = re.findall(r"(\d+) / 100", text.split(words[3], 1)[1])
    mains = [d for d in details if not d["is_follow_up"]]
    # One badge per main question (plus the overall score's gauge on page 1, not counted here).
    assert [int(b) for b in badges] == [d["score"] for d in mains]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_each_missed_point_is_printed_once_per_question(logged_in):
    """The feedback no longer restates the covered and missed lists printed beside it."""
    data, report = interview_pdf(logged_in, "en")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "Covered: " not in flat and "Missed: " not in flat
    weakest = min(
        (d for d in report["question_details"] if not d["is_follow_up"]), key=lambda d: d["score"]
    )
    point = weakest["missed_points"][-1]
    assert flat.count(" ".join(point.split())[:40]) == 1


def test_advice_keeps_only_what_the_lists_do_not_say() -> None:
    """The verdict and the restated key points go; advice and corrections stay."""
    english = (
        "Needs work (49/100). Covered: token bucket (“we used a token bucket…”); "
        "refill lazily (“…refill on each request”). Missed: distributed counters; burst size. "
        "You said “Redis is single-threaded so it cannot scale”; in fact it shards."
    )
    assert (
        advice_only(
            english, ["token bucket", "refill lazily"], ["distributed counters", "burst size"]
        )
        == "You said “Redis is single-threaded so it cannot scale”; in fact it shards."
    )
    chinese = "回答较差（0/100）。已覆盖：令牌桶（“令牌桶”）。遗漏：分布式计数。多解释“为什么”。"
    assert advice_only(chinese, ["令牌桶"], ["分布式计数"]) == "多解释“为什么”。"
    zero = "Score 0/100: The answer is off topic. A good answer covers: a; b."
    assert advice_only(zero, [], ["a", "b"]) == "The answer is off topic."
    model = "Good structure, but name the trade-offs."
    assert advice_only(model, ["x"], ["y"]) == model
    # The grader lists covered points in the order it found them in the answer.
    found_order = "Covered: b (“q1”); a (“q2”). Missed: d; c. Say why."
    assert advice_only(found_order, ["a", "b"], ["c", "d"]) == "Say why."
