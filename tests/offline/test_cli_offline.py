"""`flask interview grade | plan | bank check`, run through Flask's CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import offline_cli
from app.ai.offline.bank import load_bank
from app.ai.offline.bank_check import check_bank
from app.ai.offline.taxonomy import has_cjk
from app.offline_cli import interview_cli

PAIRS = Path(__file__).parent / "pairs"


@pytest.fixture
def interview(app):
    """Invoke `flask interview …` on the testing app (registering the group if the app has not)."""
    if "interview" not in app.cli.commands:
        app.cli.add_command(interview_cli)
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["interview", *args])


def test_grade_prints_one_result_per_line(interview, tmp_path):
    """Each JSONL line gives a JSON object with its id and a 0–100 score."""
    entry = load_bank().questions[0]
    lines = [
        {
            "id": "good",
            "question": entry.text,
            "reference_answer": entry.reference_answer,
            "key_points": entry.points,
            "answer": entry.reference_answer,
        },
        {
            "question": entry.text,
            "reference_answer": entry.reference_answer,
            "key_points": entry.points,
            "answer": "I don't know.",
        },
    ]
    source = tmp_path / "answers.jsonl"
    source.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    result = interview("grade", str(source))
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert first["id"] == "good" and "id" not in second
    assert 0 <= second["score"] < first["score"] <= 100
    assert {"feedback", "covered", "missed"} <= set(first)


def test_grade_rejects_a_line_that_is_not_json(interview, tmp_path):
    """A malformed line stops the run with its line number."""
    source = tmp_path / "bad.jsonl"
    source.write_text('{"question": "q", "answer": "a"}\nnot json\n', encoding="utf-8")
    result = interview("grade", str(source))
    assert result.exit_code != 0
    assert "line 2" in result.output


@pytest.mark.parametrize("count", [3, 8, 20])
def test_plan_prints_exactly_n_questions(interview, count):
    """The plan is {"questions": [...]} with every documented field, exactly N long."""
    result = interview(
        "plan",
        "--resume",
        str(PAIRS / "backend-java.resume.txt"),
        "--jd",
        str(PAIRS / "backend-java.job.txt"),
        "--count",
        str(count),
    )
    assert result.exit_code == 0, result.output
    questions = json.loads(result.output)["questions"]
    assert len(questions) == count
    fields = {"text", "category", "skill", "kind", "difficulty", "reference_answer", "key_points"}
    assert all(fields <= set(q) for q in questions)


def test_plan_language_follows_the_job_description(interview):
    """Without --language a Chinese job description gives a Chinese plan; --language overrides."""
    args = [
        "plan",
        "--resume",
        str(PAIRS / "zh-backend.resume.txt"),
        "--jd",
        str(PAIRS / "zh-backend.job.txt"),
        "--count",
        "5",
    ]
    chinese = json.loads(interview(*args).output)["questions"]
    assert all(has_cjk(q["text"]) for q in chinese)
    english = json.loads(interview(*args, "--language", "en").output)["questions"]
    assert not any(has_cjk(q["text"]) for q in english if q["kind"] != "project")


def test_bank_check_passes_and_prints_counts(interview):
    """The shipped bank passes; the counts are printed."""
    result = interview("bank", "check")
    assert result.exit_code == 0, result.output
    assert "questions: " in result.output and "bank OK" in result.output


def test_bank_check_fails_on_problems(interview, monkeypatch, tmp_path):
    """A bank with a broken entry makes the command exit non-zero and name the problem."""
    (tmp_path / "python.en.json").write_text(
        json.dumps({"category": "Python", "language": "en", "questions": [{"id": "x"}]}),
        encoding="utf-8",
    )
    monkeypatch.setattr(offline_cli, "check_bank", lambda: check_bank(tmp_path))
    result = interview("bank", "check")
    assert result.exit_code != 0
    assert "python.en.json:x: missing" in result.output
