"""Offline grader: throughput and quality against labelled answers.

Quality on a labelled JSONL file (dev.jsonl and the project's own set):
- Spearman rank correlation between the 0–100 score and the 0–4 label,
- the highest score any label-0 (invalid or off-topic) answer gets,
- keyword-list vs brief-correct pairs: within each question, every bare keyword-list answer must
  score below every brief correct (label 3) answer.
Also the score of every bank question's own reference answer (it should be high), and throughput.
Run alone with `python -m bench.bench_grader`.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.ai.offline.bank import load_bank
from app.ai.offline.grader import grade_answer

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "grading" / "dev.jsonl"
LABELLED = ROOT / "tests" / "offline" / "labelled"
OWN_SET = LABELLED / "answers.jsonl"
HOLDOUT_SET = LABELLED / "holdout.jsonl"  # written after tuning, on new questions


def load_rows(path: Path) -> list[dict]:
    """Read a JSONL file of labelled answers."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def ranks(values: list[float]) -> list[float]:
    """1-based ranks with ties given their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rho: Pearson correlation of the ranks (handles ties)."""
    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else 0.0


def is_keyword_list_row(row: dict) -> bool:
    """A label-1 answer that is a bare list of terms (annotated, or judged by its shape)."""
    if "case" in row:
        return row["case"] == "keyword_list"
    if row["label"] != 1:
        return False
    answer = row["answer"].strip(" .。")
    parts = [p for p in re.split(r"[,，、;；]+", answer) if p.strip()]
    if re.search(r"[\u4e00-\u9fff]", answer):
        parts = [w for p in parts for w in p.split()]
    return len(parts) >= 4 and sum(len(p.split()) <= 3 for p in parts) / len(parts) >= 0.8


def grade_rows(rows: Iterable[dict]) -> list[int]:
    """Scores for each labelled row."""
    return [
        grade_answer(
            r["question"],
            r["answer"],
            r["key_points"],
            r.get("reference_answer", ""),
            kind=r.get(
                "kind", "technical"
            ),  # as `flask interview grade` does; stories are inferred
        ).score
        for r in rows
    ]


@dataclass
class Quality:
    """The quality figures for one labelled set."""

    count: int
    spearman: float
    label0_max: int
    label0_count: int
    pairs_ok: int
    pairs_total: int
    means: dict[int, float]

    def lines(self) -> list[str]:
        """Human-readable summary lines."""
        means = "  ".join(f"{k}:{v:5.1f}" for k, v in sorted(self.means.items()))
        return [
            f"answers            {self.count}",
            f"spearman           {self.spearman:.3f}",
            f"label-0 max score  {self.label0_max} (over {self.label0_count} answers)",
            f"keyword < brief    {self.pairs_ok}/{self.pairs_total} pairs",
            f"mean score/label   {means}",
        ]


def quality(rows: list[dict], scores: list[int] | None = None) -> Quality:
    """Compute the quality figures for ``rows`` (grading them unless scores are given)."""
    scores = scores if scores is not None else grade_rows(rows)
    labels = [r["label"] for r in rows]
    by_question: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for row, score in zip(rows, scores, strict=True):
        if is_keyword_list_row(row):
            by_question[row["question"]]["list"].append(score)
        elif row["label"] == 3:
            by_question[row["question"]]["brief"].append(score)
    pairs = [(k, b) for q in by_question.values() for k in q["list"] for b in q["brief"]]
    zero = [s for s, lab in zip(scores, labels, strict=True) if lab == 0]
    grouped: dict[int, list[int]] = defaultdict(list)
    for s, lab in zip(scores, labels, strict=True):
        grouped[lab].append(s)
    return Quality(
        count=len(rows),
        spearman=spearman([float(s) for s in scores], [float(x) for x in labels]),
        label0_max=max(zero, default=0),
        label0_count=len(zero),
        pairs_ok=sum(k < b for k, b in pairs),
        pairs_total=len(pairs),
        means={k: sum(v) / len(v) for k, v in grouped.items()},
    )


def reference_scores(with_kind: bool = True) -> dict[str, int]:
    """Each bank question's id and the score its own reference answer gets, with the bank's cues.

    Without ``with_kind`` no kind is passed, like a `flask interview grade` line that has none.
    """
    scores = {}
    for entry in load_bank().questions:
        grade = grade_answer(
            entry.text,
            entry.reference_answer,
            entry.points,
            entry.reference_answer,
            **({"kind": entry.kind} if with_kind else {}),
            cues=[list(kp.cues) for kp in entry.key_points],
        )
        scores[entry.id] = grade.score
    return scores


def throughput(rows: list[dict], minimum: int = 1000, cold: bool = False) -> float:
    """Answers graded per second over at least ``minimum`` answers (repeating the set).

    ``cold`` makes every question new, so nothing prepared for a question is reused.
    """
    batch = (rows * (minimum // max(1, len(rows)) + 1))[:minimum]
    if cold:
        batch = [dict(r, question=f"{r['question']} #{i}") for i, r in enumerate(batch)]
    started = time.perf_counter()
    grade_rows(batch)
    return len(batch) / (time.perf_counter() - started)


def main() -> None:
    """Print throughput and the quality figures for every labelled set present."""
    named = (("dev.jsonl", DEV_SET), ("own set", OWN_SET), ("holdout", HOLDOUT_SET))
    everything: list[dict] = []
    for name, path in ((n, p) for n, p in named if p.exists()):
        rows = load_rows(path)
        everything.extend(rows)
        print(f"-- {name} ({path.name})")
        for line in quality(rows).lines():
            print("  " + line)
    for with_kind in (True, False):
        scores = reference_scores(with_kind)
        low = min(scores, key=scores.__getitem__)
        print(f"-- bank reference answers ({'with' if with_kind else 'without'} kind)")
        print(
            f"  lowest score       {scores[low]} ({low}), below 75: "
            f"{sum(v < 75 for v in scores.values())} of {len(scores)}"
        )
    if everything:
        warm, cold = throughput(everything), throughput(everything, cold=True)
        print(f"-- throughput       {warm:,.0f} answers/s (questions repeat)")
        print(f"                    {cold:,.0f} answers/s (every question new)")


if __name__ == "__main__":
    main()
