"""The question bank loader and its check: the shipped bank is valid, broken entries are caught."""

from __future__ import annotations

import json

import pytest

from app.ai.offline.bank import load_bank
from app.ai.offline.bank_check import check_bank


def test_shipped_bank_passes_the_check():
    """Every entry of data/bank is valid (the same check `flask interview bank check` runs)."""
    result = check_bank()
    assert result.problems == []
    assert result.counts["questions"] > 0
    assert {"categories", "zh_backend", "behavioral", "en", "zh"} <= set(result.counts)


def test_bank_is_loaded_once_and_finds_questions_by_text():
    """The bank is cached, and a question's text finds its entry despite spacing and punctuation."""
    bank = load_bank()
    assert load_bank() is bank
    entry = bank.questions[0]
    assert bank.find_by_text("  " + entry.text.upper().replace("?", " ?") + " ") is entry
    assert bank.find_by_text("A question nobody wrote") is None


def _entry(**changes):
    entry = {
        "id": "py-sample",
        "skill": "python",
        "kind": "technical",
        "difficulty": "medium",
        "text": "What does the with statement do in Python?",
        "reference_answer": " ".join(["The with statement runs a context manager."] * 12),
        "key_points": [
            {
                "point": f"point {n}",
                "probe": f"What happens at step {n} when the block ends early?",
                "cues": ["enter", "exit", "runs cleanup"],
            }
            for n in range(1, 5)
        ],
    }
    entry.update(changes)
    return entry


# What a behavioral entry adds: what it asks about and the cues that show a story tells it.
ASK = {
    "asks_about": {"en": "cleaning up after a block", "zh": "代码块结束后的清理"},
    "ask_cues": {
        "en": [
            "context manager",
            "cleanup",
            "clean up",
            "exit",
            "close",
            "release",
            "leak",
            "finally",
        ],
        "zh": ["清理", "释放", "关闭", "退出", "资源泄漏", "上下文管理器", "善后", "回收"],
    },
}


def _story(**ask) -> dict:
    """A behavioral entry with its ask changed (``None`` removes a field)."""
    entry = _entry(kind="behavioral", **ASK)
    for name, value in ask.items():
        if value is None:
            del entry[name]
        else:
            entry[name] = value
    return entry


def _probe(text: str) -> dict:
    """A valid entry whose first key point has the given probe."""
    entry = _entry()
    entry["key_points"][0]["probe"] = text
    return entry


def _write(folder, name, questions, language="en", category="Python"):
    payload = {"category": category, "language": language, "questions": questions}
    (folder / name).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (_entry(skill="cobol"), "not in taxonomy"),
        (_entry(kind="project"), "kind"),
        (_entry(difficulty="expert"), "difficulty"),
        (_entry(key_points=_entry()["key_points"][:2]), "3–6 key points"),
        (_entry(key_points=[{"point": "p", "cues": []}] * 3), "3–8 cues"),
        (_entry(reference_answer="Too short."), "reference answer"),
        (_entry(id="Py Sample"), "slug"),
        (_story(), None),  # four key points and its ask: a valid STAR question
        (_story(ask_cues=None), "needs ask_cues"),
        (_story(asks_about=None), "needs asks_about"),
        (_story(ask_cues={"en": ASK["ask_cues"]["en"]}), "ask_cues.zh needs"),
        (
            _story(ask_cues={**ASK["ask_cues"], "en": [*ASK["ask_cues"]["en"], "team"]}),
            "every story",
        ),
        (
            _story(ask_cues={**ASK["ask_cues"], "zh": [*ASK["ask_cues"]["zh"], "经历"]}),
            "every story",
        ),
        (
            _story(ask_cues={**ASK["ask_cues"], "en": ["释放", *ASK["ask_cues"]["en"]]}),
            "not English",
        ),
        (
            _story(ask_cues={"en": [f"word{n}" for n in range(8)], "zh": ASK["ask_cues"]["zh"]}),
            "finds the reference answer",
        ),
        (_entry(key_points=[{**kp, "probe": ""} for kp in _entry()["key_points"]]), "probe"),
        (_probe("Tell me about step 1."), "ending in ?"),
        (_probe("What happens, and why? And then?"), "ending in ?"),
        (_probe("Does point 1 hold here?"), "gives the point away"),
        (_probe("When does the with block runs cleanup?"), "gives the point away"),
        ({"id": "x"}, "missing"),
    ],
)
def test_check_flags_each_kind_of_broken_entry(tmp_path, entry, problem):
    """Each rule of the format is enforced and reported with the entry it concerns (these entries
    carry no misconceptions; that rule has tests of its own)."""
    _write(tmp_path, "python.en.json", [entry])
    problems = check_bank(tmp_path, require_misconceptions=False).problems
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p and "python.en.json" in p for p in problems), problems


def test_check_flags_duplicates_and_language(tmp_path):
    """Ids must be unique across files; a Chinese file must be written in Chinese."""
    _write(tmp_path, "python.en.json", [_entry()])
    _write(tmp_path, "python.zh.json", [_entry()], language="zh")
    problems = check_bank(tmp_path).problems
    assert any("id also used" in p for p in problems)
    assert any("written in Chinese" in p for p in problems)


def test_check_reports_unreadable_files_and_loader_skips_them(tmp_path):
    """A broken file is a problem for the check but does not stop the bank from loading."""
    (tmp_path / "broken.en.json").write_text("{not json", encoding="utf-8")
    _write(tmp_path, "python.en.json", [_entry(), {"id": "half"}])
    assert any("broken.en.json" in p for p in check_bank(tmp_path).problems)
    assert [q.id for q in load_bank(tmp_path).questions] == ["py-sample"]
