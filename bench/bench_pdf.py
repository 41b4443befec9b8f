"""PDF export: time to draw a 20-question report and the file size, per CJK font path.

Targets: at most 150 ms and 300 KB with the embedded TrueType subset. The built-in CID
font path embeds nothing and is reported for comparison. Font loading happens once per process,
so it is done before timing starts.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import UTC, datetime

from app.reports.pdf import fonts
from app.reports.pdf.document import build_report_pdf
from tests.support.reports import sample_meta, sample_report

QUESTIONS = 20
WARM_UP = 3
RUNS = 15
TARGET_MS = 150
TARGET_KB = 300


def embedded_font_set() -> fonts.FontSet | None:
    """The first CJK TrueType font on this machine (PDF_CJK_FONT first), if any."""
    configured = os.environ.get("PDF_CJK_FONT", "")
    for path in (configured, *fonts.SYSTEM_CJK_FONT_PATHS):
        if path and os.path.isfile(path):
            found = fonts.load_truetype(path)
            if found is not None:
                return found
    return None


def measure(language: str, font_set: fonts.FontSet) -> tuple[float, float]:
    """Median milliseconds to draw and the size in KB of a 20-question report."""
    report, meta = sample_report(QUESTIONS, language), sample_meta(language)
    now = datetime.now(UTC)
    for _ in range(WARM_UP):
        build_report_pdf(report, meta, font_set, now)
    timings, size = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        size = len(build_report_pdf(report, meta, font_set, now))
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), size / 1024


def main() -> None:
    """Print one row per language and font path, marking the rows held to the targets."""
    embedded = embedded_font_set()
    paths: list[tuple[str, fonts.FontSet | None]] = [
        ("embedded TTF subset", embedded),
        ("built-in CID font", fonts.builtin_cid_fonts()),
    ]
    print(f"{QUESTIONS}-question report, median of {RUNS} runs")
    print(f"{'language':<9} {'font path':<22} {'ms':>7} {'KB':>7}  target")
    for language in ("zh", "en"):
        for name, font_set in paths:
            if font_set is None:
                print(f"{language:<9} {name:<22} skipped: no CJK TrueType font installed")
                continue
            millis, kilobytes = measure(language, font_set)
            verdict = "—"
            if font_set.embedded:
                ok = millis <= TARGET_MS and kilobytes <= TARGET_KB
                verdict = f"{'ok' if ok else 'MISSED'} (≤ {TARGET_MS} ms, ≤ {TARGET_KB} KB)"
            print(f"{language:<9} {name:<22} {millis:7.1f} {kilobytes:7.1f}  {verdict}")
    if embedded is not None:
        print(f"embedded font: {embedded.source}")


if __name__ == "__main__":
    main()
