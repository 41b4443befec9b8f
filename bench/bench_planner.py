"""Planner benchmark: planning latency, bank load time and memory, and must-have coverage.

Figures are printed, not asserted. Latency and the must-have share as the planner reads the job
use the pairs in tests/offline/pairs; must-have group coverage against hand labels, the share of
questions on labelled must-haves and questions graded on a foreign technology use the labelled
pairs in tests/offline/plan_pairs (bench/plan_coverage.py).
"""

from __future__ import annotations

import json
import statistics
import time
import tracemalloc
from pathlib import Path

from app.ai.offline import plan_questions
from app.ai.offline.bank import load_bank
from app.ai.offline.requirements import requirement_skills
from app.ai.offline.taxonomy import load_taxonomy
from app.ai.schemas import PlanRequest
from bench.plan_coverage import coverage

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "offline" / "pairs"
RUNS = 50


def pair_requests(count: int = 8) -> dict[str, PlanRequest]:
    """One plan request per CV/job pair."""
    meta = json.loads((PAIRS / "pairs.json").read_text(encoding="utf-8"))
    return {
        slug: PlanRequest(
            resume_text=(PAIRS / f"{slug}.resume.txt").read_text(encoding="utf-8"),
            job_description=(PAIRS / f"{slug}.job.txt").read_text(encoding="utf-8"),
            job_title=info["title"],
            count=count,
            language=info["language"],
        )
        for slug, info in meta.items()
    }


def bank_load() -> tuple[float, float, int]:
    """(seconds to load the bank and taxonomy cold, MiB they hold, number of questions)."""
    load_bank.cache_clear()
    load_taxonomy.cache_clear()
    tracemalloc.start()
    started = time.perf_counter()
    bank = load_bank()
    load_taxonomy()
    elapsed = time.perf_counter() - started
    held, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, held / 2**20, len(bank)


def latency(requests: list[PlanRequest]) -> list[float]:
    """Seconds per plan of 8 questions, cycling through the pairs (warm caches)."""
    for request in requests:
        plan_questions(request)
    timings = []
    for n in range(RUNS):
        started = time.perf_counter()
        plan_questions(requests[n % len(requests)])
        timings.append(time.perf_counter() - started)
    return timings


def must_have_share(requests: dict[str, PlanRequest]) -> dict[str, float]:
    """Per pair, the share of planned questions whose skill is a must-have of the job."""
    shares = {}
    for slug, request in requests.items():
        must = {s.name for s in requirement_skills(request.job_description)[0]}
        plan = plan_questions(request)
        shares[slug] = sum(q.skill in must for q in plan.questions) / len(plan.questions)
    return shares


def main() -> None:
    """Print the planner's figures."""
    seconds, mib, questions = bank_load()
    print(f"bank load: {seconds * 1000:.1f} ms cold, {mib:.2f} MiB held, {questions} questions")
    requests = pair_requests()
    timings = sorted(latency(list(requests.values())))
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"plan 8 questions: median {statistics.median(timings) * 1000:.2f} ms, "
        f"p95 {p95 * 1000:.2f} ms over {RUNS} runs (target <= 50 ms)"
    )
    shares = must_have_share(requests)
    for slug, share in shares.items():
        print(f"  must-have share {slug:<20} {share:.0%}")
    print(f"must-have share: mean {statistics.mean(shares.values()):.0%} over {len(shares)} pairs")
    print("labelled pairs (must-have groups labelled by hand, 8 questions each):")
    for line in coverage().lines():
        print(line)


if __name__ == "__main__":
    main()
