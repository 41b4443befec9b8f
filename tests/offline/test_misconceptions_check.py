"""`flask interview bank check` vets misconceptions like the probes (format: the data README)."""

from __future__ import annotations

import json

import pytest

from app.ai.offline.bank_check import check_bank

REFERENCE = " ".join(
    ["A multi-stage build compiles in a builder stage and copies only the artifacts out."] * 5
)
GOOD = {
    "claim": "Multi-stage builds make the final image bigger because every stage is kept.",
    "cues": ["multi-stage bigger", "stages kept final image"],
    "correction": "Only what you COPY --from an earlier stage reaches the final image.",
}


def _entry(misconceptions: object = None, on_every_point: bool = False) -> dict:
    points = [
        {
            "point": f"multi-stage builds keep build tools out of the final image {n}",
            "probe": f"What ends up in the runtime image, case {n}?",
            "cues": ["builder stage", "copy artifacts", "slim runtime"],
        }
        for n in range(1, 4)
    ]
    for kp in points if on_every_point else points[:1]:
        if misconceptions is not None:
            kp["misconceptions"] = misconceptions
    return {
        "id": "docker-multi",
        "skill": "docker",
        "kind": "technical",
        "difficulty": "easy",
        "text": "What do multi-stage Docker builds give you?",
        "reference_answer": REFERENCE,
        "key_points": points,
    }


def _problems(tmp_path, entry: dict, require: bool = False) -> list[str]:
    payload = {"category": "Containers", "language": "en", "questions": [entry]}
    (tmp_path / "containers.en.json").write_text(json.dumps(payload), encoding="utf-8")
    return check_bank(tmp_path, require_misconceptions=require).problems


def test_well_formed_misconceptions_pass_and_are_counted(tmp_path) -> None:
    assert _problems(tmp_path, _entry([GOOD])) == []
    counts = check_bank(tmp_path).counts
    assert counts["key_points"] == 3 and counts["key_points_with_misconceptions"] == 1


@pytest.mark.parametrize(
    ("wrong", "problem"),
    [
        ([], "1–3 objects"),
        ([GOOD] * 4, "1–3 objects"),
        ([{**GOOD, "claim": ""}], "needs a claim"),
        ([{**GOOD, "correction": " "}], "needs a correction"),
        ([{**GOOD, "cues": []}], "1–4 cues"),
        ([{**GOOD, "cues": ["a b"] * 5}], "1–4 cues"),
        ([{**GOOD, "cues": ["bigger"]}], "2–5 fragments"),
        ([{**GOOD, "cues": ["multi-stage  bigger"]}], "2–5 fragments"),
        ([{**GOOD, "cues": ["a b c d e f"]}], "2–5 fragments"),
        ([{**GOOD, "cues": ["multi-stage smaller"]}], "no cue finds the claim"),
        ([{**GOOD, "cues": ["multi-stage bigger", "builder stage"]}], "fires on the point's cue"),
        ([{**GOOD, "cues": ["multi-stage bigger", "build tools final"]}], "fires on the point"),
        ([{**GOOD, "cues": ["multi-stage bigger", "copies artifacts"]}], "fires on the reference"),
    ],
)
def test_each_rule_is_enforced(tmp_path, wrong, problem) -> None:
    problems = _problems(tmp_path, _entry(wrong))
    assert any(problem in p and "key point 1" in p for p in problems), problems


def test_missing_misconceptions_fail_only_when_required(tmp_path) -> None:
    assert _problems(tmp_path, _entry()) == []
    required = _problems(tmp_path, _entry(), require=True)
    assert len(required) == 3 and all("needs misconceptions" in p for p in required)
    assert _problems(tmp_path, _entry([GOOD], on_every_point=True), require=True) == []


def test_chinese_claims_must_be_in_chinese(tmp_path) -> None:
    entry = _entry([GOOD])
    payload = {"category": "容器", "language": "zh", "questions": [entry]}
    (tmp_path / "containers.zh.json").write_text(json.dumps(payload), encoding="utf-8")
    assert any("written in Chinese" in p and "claim" in p for p in check_bank(tmp_path).problems)


def test_the_command_fails_on_missing_misconceptions(runner, monkeypatch, tmp_path):
    """Every key point of the bank has misconceptions, so one without them is a failure."""
    from app import offline_cli

    entry = _entry()
    payload = {"category": "Containers", "language": "en", "questions": [entry]}
    (tmp_path / "containers.en.json").write_text(json.dumps(payload), encoding="utf-8")
    monkeypatch.setattr(offline_cli, "check_bank", lambda **kw: check_bank(tmp_path, **kw))
    plain = runner.invoke(args=["interview", "bank", "check"])
    assert plain.exit_code != 0 and "needs misconceptions" in plain.output
    assert "key_points_with_misconceptions: 0" in plain.output
