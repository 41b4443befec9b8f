"""Offline grader: throughput and quality against labelled answers.

Quality on each labelled JSONL file (the adversarial set, the project's own set, the holdout, the
reversals, paraphrase, copies, confident-wrong and relations sets, and the shared dev.jsonl when
present):
- Spearman rank correlation between the 0–100 score and the 0–4 label, overall and on answers to
  bank questions (the `bank` field, else the question text found in the offline bank),
- the share of label-0 answers (invalid, off-topic, addressed to the grader) scoring below 20, and
  the highest score any of them gets,
- the share of questions on which every wrong answer (label ≤ 1) scores below every correct one
  (label ≥ 3),
- the mean score of reversed-fact copies and of confident wrong answers, and of every family,
- keyword-list vs brief-correct pairs: within each question, every bare keyword-list answer must
  score below every brief correct (label 3) answer.
Also, per family (or case, else label) split by question language → answer language and by bank or
own question: the mean score, the share of answers with a wrong statement flagged, the share marked
invalid and the share of key points covered, as aggregates only, so where the grader fails shows
without anyone reading a held-out line. Then the score of every bank question's own reference
answer (it should be high), and throughput.
The targets are printed beside the figures they judge.
Run alone with `python -m bench.bench_grader`.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app.ai.offline import text as tx
from app.ai.offline.bank import load_bank
from app.ai.offline.grading import Grade, grade_answer

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "offline" / "labelled"
ADVERSARIAL_SET = LABELLED / "adversarial.jsonl"  # labels fixed before any grader run
OWN_SET = LABELLED / "answers.jsonl"
HOLDOUT_SET = LABELLED / "holdout.jsonl"  # written after tuning, on new questions
# Reversed facts, swapped roles, confident wrong and invalid answers beside correct ones.
REVERSALS_SET = LABELLED / "reversals_dev.jsonl"
# Correct answers in other words, in the other language and in one line, beside wrong ones;
# labels fixed before any grader run.
PARAPHRASE_SET = LABELLED / "paraphrase_dev.jsonl"
# The reference copied with one fact changed in words no table lists, beside correct answers in
# other words; labels fixed before any grader run.
COPIES_SET = LABELLED / "copies_dev.jsonl"
# Confidently wrong answers and long answers about a neighbouring topic, beside correct answers of
# several lengths, on bank and own questions; labels fixed before any grader run.
CONFIDENT_SET = LABELLED / "confident_dev.jsonl"
# Questions outside the bank: correct answers beside answers that use every key term in false
# relations, antonym copies and role swaps; labels fixed before any grader run.
RELATIONS_SET = LABELLED / "relations_dev.jsonl"
# Correct answers in the other language and in other words to questions outside the bank, beside
# wrong answers in the other language, keyword lists and vague answers; labels fixed before any
# grader run.
CROSSLANG_SET = LABELLED / "crosslang_dev.jsonl"


def find_dev_set() -> Path:
    """The shared dev.jsonl: `GRADING_DEV_SET`, else `shared/grading/dev.jsonl` beside the checkout
    or one of its parents (a worktree sits deeper than the main checkout)."""
    if os.environ.get("GRADING_DEV_SET"):
        return Path(os.environ["GRADING_DEV_SET"])
    candidates = [p / "shared" / "grading" / "dev.jsonl" for p in ROOT.parents]
    return next((p for p in candidates if p.exists()), candidates[0])


DEV_SET = find_dev_set()
WRONG_MAX, CORRECT_MIN = 1, 3  # labels: ≤ 1 is a wrong answer, ≥ 3 a correct one
INVALID_BELOW = 20  # a label-0 answer must score below this


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
    if "case" in row or "family" in row:
        return row.get("case", row.get("family")) == "keyword_list"
    if row["label"] != 1:
        return False
    answer = row["answer"].strip(" .。")
    parts = [p for p in re.split(r"[,，、;；]+", answer) if p.strip()]
    if re.search(r"[\u4e00-\u9fff]", answer):
        parts = [w for p in parts for w in p.split()]
    return len(parts) >= 4 and sum(len(p.split()) <= 3 for p in parts) / len(parts) >= 0.8


def grade_rows(rows: Iterable[dict]) -> list[int]:
    """Scores for each labelled row."""
    return [grade_row(r).score for r in rows]


def grade_row(row: dict) -> Grade:
    """The grade of one labelled row, as `flask interview grade` makes it (stories are inferred)."""
    return grade_answer(
        row["question"],
        row["answer"],
        row["key_points"],
        row.get("reference_answer", ""),
        kind=row.get("kind", "technical"),
    )


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=1)
def bank_question_texts() -> frozenset[str]:
    """The (normalised) text of every question in the offline bank."""
    return frozenset(_normal(entry.text) for entry in load_bank().questions)


def is_bank_row(row: dict) -> bool:
    """Whether the answer is to a bank question: the row says so, or its question is in the bank."""
    if "bank" in row:
        return bool(row["bank"])
    return _normal(row["question"]) in bank_question_texts()


def row_kind(row: dict) -> str | None:
    """The row's annotated family (adversarial set) or case (own set), if any."""
    return row.get("family", row.get("case"))


def wrong_below_correct(rows: list[dict], scores: list[int]) -> tuple[int, int]:
    """Questions on which every wrong answer scores below every correct one, out of the questions
    that have both."""
    by_question: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for row, score in zip(rows, scores, strict=True):
        if row["label"] <= WRONG_MAX:
            by_question[row["question"]]["wrong"].append(score)
        elif row["label"] >= CORRECT_MIN:
            by_question[row["question"]]["correct"].append(score)
    both = [q for q in by_question.values() if q["wrong"] and q["correct"]]
    return sum(max(q["wrong"]) < min(q["correct"]) for q in both), len(both)


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
    bank_count: int = 0
    bank_spearman: float | None = None
    label0_low: int = 0  # label-0 answers scoring below INVALID_BELOW
    ordered_questions: int = 0  # questions with every wrong answer below every correct one
    ordered_total: int = 0
    kinds: dict[str, tuple[float, int]] = field(default_factory=dict)  # family: (mean, count)

    def kind_mean(self, kind: str) -> float | None:
        """Mean score of one family (or case), None when the set has none."""
        return self.kinds[kind][0] if kind in self.kinds else None

    def lines(self) -> list[str]:
        """Human-readable summary lines, with the targets where one applies."""
        means = "  ".join(f"{k}:{v:5.1f}" for k, v in sorted(self.means.items()))
        bank = f"{self.bank_spearman:.3f}" if self.bank_spearman is not None else "n/a"
        out = [
            f"answers            {self.count} ({self.bank_count} to bank questions)",
            f"spearman           {self.spearman:.3f} overall [target >= 0.80], "
            f"{bank} on bank questions [>= 0.85]",
            f"invalid < {INVALID_BELOW}       {_share(self.label0_low, self.label0_count)} of "
            f"{self.label0_count} label-0 answers [>= 95%], max {self.label0_max}",
            f"wrong < correct    {_share(self.ordered_questions, self.ordered_total)} of "
            f"{self.ordered_total} questions [>= 90%]",
        ]
        fooled = [
            (k, self.kind_mean(k))
            for k in ("reversed_fact_copy", "role_swap_copy", "confident_wrong")
        ]
        if any(m is not None for _, m in fooled):
            out.append(
                "fooling families   "
                + "  ".join(f"{k} {m:.1f}" for k, m in fooled if m is not None)
                + " [each < 35]"
            )
        out += [
            f"keyword < brief    {self.pairs_ok}/{self.pairs_total} pairs",
            f"mean score/label   {means}",
        ]
        if self.kinds:
            out.append("mean score/family")
            out += [
                f"  {kind:<24} {mean:5.1f}  ({n})"
                for kind, (mean, n) in sorted(self.kinds.items(), key=lambda kv: -kv[1][0])
            ]
        return out


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "  n/a "


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
    kinds: dict[str, list[int]] = defaultdict(list)
    bank_pairs: list[tuple[float, float]] = []
    for row, s, lab in zip(rows, scores, labels, strict=True):
        grouped[lab].append(s)
        if row_kind(row):
            kinds[row_kind(row)].append(s)
        if is_bank_row(row):
            bank_pairs.append((float(s), float(lab)))
    ordered, ordered_total = wrong_below_correct(rows, scores)
    return Quality(
        count=len(rows),
        spearman=spearman([float(s) for s in scores], [float(x) for x in labels]),
        label0_max=max(zero, default=0),
        label0_count=len(zero),
        pairs_ok=sum(k < b for k, b in pairs),
        pairs_total=len(pairs),
        means={k: sum(v) / len(v) for k, v in grouped.items()},
        bank_count=len(bank_pairs),
        bank_spearman=(
            spearman([s for s, _ in bank_pairs], [lab for _, lab in bank_pairs])
            if len(bank_pairs) > 1
            else None
        ),
        label0_low=sum(s < INVALID_BELOW for s in zero),
        ordered_questions=ordered,
        ordered_total=ordered_total,
        kinds={k: (sum(v) / len(v), len(v)) for k, v in kinds.items()},
    )


@dataclass
class Group:
    """Aggregate figures for one family, language pair and question origin."""

    answers: int = 0
    score_sum: int = 0
    with_error: int = 0
    invalid: int = 0
    points: int = 0
    covered: int = 0

    def add(self, grade: Grade) -> None:
        """Count one graded answer in."""
        self.answers += 1
        self.score_sum += grade.score
        self.with_error += bool(grade.errors)
        self.invalid += grade.invalid_reason is not None
        self.points += len(grade.covered_points) + len(grade.missed_points)
        self.covered += len(grade.covered_points)


def answer_language(row: dict) -> str:
    """The answer's language: annotated, else detected."""
    return row.get("language") or tx.detect_language(row["answer"])


def breakdown(rows: list[dict], grades: list[Grade]) -> dict[tuple[str, str, str], Group]:
    """Figures per (family, question → answer language, bank or own question); a row without a
    family or case is grouped by its label."""
    groups: dict[tuple[str, str, str], Group] = defaultdict(Group)
    for row, grade in zip(rows, grades, strict=True):
        family = row_kind(row) or f"label {row['label']}"
        languages = f"{tx.detect_language(row['question'])}→{answer_language(row)}"
        origin = "bank" if is_bank_row(row) else "own"
        groups[(family, languages, origin)].add(grade)
    return groups


def breakdown_lines(groups: dict[tuple[str, str, str], Group]) -> list[str]:
    """The breakdown as a table, families in name order."""
    out = [
        f"{'family':<24} {'q→a':<6} {'origin':<6} {'n':>4} {'mean':>6} {'error':>7} "
        f"{'invalid':>7} {'covered':>7}"
    ]
    for (family, languages, origin), g in sorted(groups.items()):
        out.append(
            f"{family:<24} {languages:<6} {origin:<6} {g.answers:>4} "
            f"{g.score_sum / g.answers:6.1f} {_share(g.with_error, g.answers):>7} "
            f"{_share(g.invalid, g.answers):>7} {_share(g.covered, g.points):>7}"
        )
    return out


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
    named = (
        ("adversarial", ADVERSARIAL_SET),
        ("own set", OWN_SET),
        ("holdout", HOLDOUT_SET),
        ("reversals", REVERSALS_SET),
        ("paraphrase dev", PARAPHRASE_SET),
        ("copies dev", COPIES_SET),
        ("confident dev", CONFIDENT_SET),
        ("relations dev", RELATIONS_SET),
        ("crosslang dev", CROSSLANG_SET),
        ("dev.jsonl", DEV_SET),
    )
    everything: list[dict] = []
    for name, path in ((n, p) for n, p in named if p.exists()):
        rows = load_rows(path)
        everything.extend(rows)
        grades = [grade_row(r) for r in rows]
        print(f"-- {name} ({path.name})")
        for line in quality(rows, [g.score for g in grades]).lines():
            print("  " + line)
        print("  by family, question → answer language and origin (aggregates only)")
        for line in breakdown_lines(breakdown(rows, grades)):
            print("    " + line)
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
