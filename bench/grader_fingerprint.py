"""The offline grader's full output on every labelled row, to prove a change alters no grade.

Writes one JSON file: for each labelled set, each row's grade as the app stores it (score,
feedback, covered and missed points, invalid reason, evidence, errors and the receipt's
confidence), plus each bank question's own reference answer graded with and without its kind.
The held-out set (adversarial.jsonl) is never written line by line: only one SHA-256 digest of
its grades goes into the file, so a change to any of its grades shows without anyone reading it.

    python -m bench.grader_fingerprint /tmp/before.json   # before a change
    python -m bench.grader_fingerprint /tmp/after.json    # after it
    diff /tmp/before.json /tmp/after.json                 # no output: every grade is identical
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

from app.ai.offline.bank import load_bank
from app.ai.offline.evaluate import confidence
from app.ai.offline.grading import Grade, grade_answer
from bench.bench_grader import (
    ADVERSARIAL_SET,
    CONFIDENT_SET,
    COPIES_SET,
    CROSSLANG_SET,
    DEV_SET,
    HOLDOUT_SET,
    OWN_SET,
    PARAPHRASE_SET,
    RELATIONS_SET,
    REVERSALS_SET,
    grade_row,
    load_rows,
)

OPEN_SETS = (
    OWN_SET,
    HOLDOUT_SET,
    REVERSALS_SET,
    PARAPHRASE_SET,
    COPIES_SET,
    CONFIDENT_SET,
    RELATIONS_SET,
    CROSSLANG_SET,
    DEV_SET,
)


def fingerprint(grade: Grade, in_bank: bool) -> dict:
    """Everything a grade carries, and the receipt confidence derived from it."""
    return {**asdict(grade), "confidence": confidence(grade, in_bank)}


def row_fingerprint(row: dict) -> dict:
    """A labelled row's full grade; the receipt treats it as a bank question as the app would."""
    return fingerprint(grade_row(row), load_bank().find_by_text(row["question"]) is not None)


def labelled(path: Path) -> list[dict]:
    """Each row's id and full grade."""
    return [{"id": row.get("id"), **row_fingerprint(row)} for row in load_rows(path)]


def held_out_digest() -> str:
    """One digest over the held-out set's grades, in file order; no line is kept or shown."""
    digest = hashlib.sha256()
    for row in load_rows(ADVERSARIAL_SET):
        grade = row_fingerprint(row)
        digest.update(json.dumps(grade, ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def references() -> dict[str, dict]:
    """Each bank question's reference answer graded as the benchmark does, with and without kind."""
    out = {}
    for entry in load_bank().questions:
        for with_kind in (True, False):
            grade = grade_answer(
                entry.text,
                entry.reference_answer,
                entry.points,
                entry.reference_answer,
                kind=entry.kind if with_kind else "technical",  # the default when none is given
                cues=[list(kp.cues) for kp in entry.key_points],
            )
            out[f"{entry.id}/{'kind' if with_kind else 'no-kind'}"] = fingerprint(grade, True)
    return out


def main(argv: list[str]) -> int:
    """Write the fingerprint to the path given (stdout without one)."""
    result: dict = {p.name: labelled(p) for p in OPEN_SETS if p.exists()}
    if ADVERSARIAL_SET.exists():
        result[f"{ADVERSARIAL_SET.name} (sha256)"] = held_out_digest()
    result["bank references"] = references()
    text = json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
