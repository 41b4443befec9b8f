"""Run every benchmark module in this folder and print its figures.

Each `bench/bench_*.py` exposes `main() -> None` that prints a short table. Pass module names to run
only some: `python -m bench.run_all bench_grader bench_pdf`.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def discover() -> list[str]:
    """Return the benchmark module names in a stable order."""
    folder = Path(__file__).parent
    return sorted(
        m.name for m in pkgutil.iter_modules([str(folder)]) if m.name.startswith("bench_")
    )


def main(argv: list[str]) -> int:
    """Run the named (or all) benchmarks; a failing one is reported and makes the exit code 1."""
    names = argv or discover()
    failed = 0
    for name in names:
        print(f"\n== {name} ==", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(f"bench.{name}").main()
        except Exception as exc:  # noqa: BLE001 - report and carry on with the other benchmarks
            failed += 1
            print(f"FAILED: {exc!r}")
        print(f"({time.perf_counter() - started:.1f}s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
