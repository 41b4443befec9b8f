"""Production server settings: `gunicorn wsgi:app` reads this file from the project root.

Environment: BIND (0.0.0.0:8000), WEB_CONCURRENCY (worker processes, one per CPU),
GUNICORN_THREADS (threads per worker, 32).
"""

from __future__ import annotations

import os

bind = os.environ.get("BIND", "0.0.0.0:8000")

# Threads, because a request may wait seconds on an AI provider: it holds one thread, not a
# whole worker, and pages that make no AI call are served by the others meanwhile. A waiting
# thread costs little; 32 per worker let 20 candidates wait on a slow provider at once.
#
# Kept after measuring other mixes: `LOAD_PAGES_ONLY=1 LOAD_SECONDS=5 make bench-load` serves the
# interview page, history and a bare Flask route with each mix (LOAD_MIXES, default 2x32, 2x4,
# 4x2, 4x4) in one run. On the 2-core machine it was measured on, shared and busy (load average
# 5-10), the bare route's own p99 at 20 connections ranged 17-89 ms from mix to mix. Two runs with
# the pages' kept bodies in place, interview page at 20 connections:
#   2x32: 776 req/s, p99 104 ms (6.2x the bare route's) | 487 req/s, p99 282 ms (6.6x)
#   2x4 : 594 req/s, p99 453 ms (13.3x)                 | 577 req/s, p99 855 ms (35.6x)
#   4x2 : 806 req/s, p99 331 ms (3.7x)                  | (second run: 2x32 and 2x4 only)
# and history at 20 connections 759 / 682 req/s (2x32) against 702 / 516 (2x4). 2x32 had the
# lower page p99 and the higher throughput in both runs, so it stays; 2x4, the candidate of an
# earlier run (page p99 475 ms against 3,370 ms), did not hold up (likely, not verified: with
# 20 keep-alive connections and 4 threads a worker, connections queue for a thread). Figures
# this noisy decide nothing finer; measure again on a quiet machine before changing the mix.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
threads = int(os.environ.get("GUNICORN_THREADS", "32"))

# One listening socket per worker, so the kernel spreads connections across workers. With a
# shared socket, whichever worker wakes first takes every new keep-alive connection, and one
# core ends up serving all of them while the other idles.
reuse_port = True
keepalive = 5

# A worker stuck past the longest AI deadline is replaced, not waited on forever.
timeout = 120
graceful_timeout = 30


def post_worker_init(worker) -> None:
    """Build the offline interviewer's bank index before the worker takes requests: built on the
    first answer instead, it made that answer's request take seconds (3.4 s cold, measured)."""
    from app.ai.offline.grading.vocabulary import related_vocabulary

    related_vocabulary("warm up the question bank index")
