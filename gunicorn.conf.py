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
# 4x2, 4x4) in one run. On the 2-core machine it was measured on, shared and saturated (load
# average 10-12), the bare route's own p99 ranged 200-830 ms from mix to mix, so no mix was
# better beyond the noise; the interview page's p99 at 20 connections was 3,370 ms (2x32), 475 ms
# (2x4), 1,030 ms (4x2), 4,450 ms (4x4). Fewer threads (2x4) is the candidate to confirm on a
# quiet machine before it replaces this default: with AI calls on the job queue, few requests
# wait on a provider any more.
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
