"""Production server settings: `gunicorn wsgi:app` reads this file from the project root.

Environment: BIND (0.0.0.0:8000), WEB_CONCURRENCY (worker processes, one per CPU),
GUNICORN_THREADS (threads per worker, 8).
"""

from __future__ import annotations

import gc
import os

bind = os.environ.get("BIND", "0.0.0.0:8000")

# Threads, because a request may still wait on I/O (the database, a provider's follow-up
# wording): it holds one thread, not a whole worker, and other pages are served meanwhile.
# How many threads was decided by measurement (below, newest last).
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
#
# Measured again with the pages kept whole and the worker's startup heap frozen (see
# `post_worker_init`), `LOAD_PAGES_ONLY=1 LOAD_SECONDS=5 LOAD_MIXES=2x32,4x4,2x8,4x8`, load average
# 9-14 on the 2 cores (other work running), interview page / history p99 as a multiple of the
# bare route's, at 20 | 100 connections:
#   2x32: page 705 req/s 3.1x | 721 req/s 3.8x; history 763 req/s 2.8x | 1,097 req/s 2.6x
#   4x4 : page 444 req/s 11.1x | 443 req/s 2.8x; history 342 req/s 3.5x | 369 req/s 3.1x
#   2x8 : page 614 req/s 2.4x | 694 req/s 2.3x; history 632 req/s 2.6x | 811 req/s 1.3x
#   4x8 : page 507 req/s 53.6x | 941 req/s 2.9x; history 747 req/s 4.1x | 966 req/s 2.0x
# and two more runs of 2x32 and 2x8 alone, in both orders (page req/s, p99 × bare at 20 | 100):
#   2x32: 1,013 7.2x | 1,138 4.1x  then  1,614 3.2x | 1,745 3.5x
#   2x8 : 1,228 3.7x | 1,158 1.9x  then    489 4.2x | 1,605 2.3x
# 2x8's page p99 ratio was lower at 100 connections in all three runs and at 20 in two, but its
# throughput at 20 connections fell below 2x32's in two of three: no mix beat 2x32 on p99 and
# throughput at both loads, so 2x32 stayed then.
#
# Measured again on a quiet machine (load ~1 before each run), `LOAD_PAGES_ONLY=1 LOAD_SECONDS=5
# LOAD_MIXES=2x32,2x8` then `LOAD_MIXES=2x8,2x32`; interview page req/s and p99 as a multiple of
# the bare route's at 20 | 100 connections:
#   2x32: 938 req/s 3.5x | 829 req/s 10.7x   then  1,194 3.1x | 808 8.9x
#   2x8 : 1,267     3.0x | 1,215      3.1x   then    895 2.6x | 884 3.7x
# (history: 2x8 2.5x | 3.2x and 1.9x | 2.7x against 2x32's 2.1x | 4.3x and 2.5x | 4.1x). 2x8 had
# the lower page p99 in all four comparisons, by far at 100 connections, and the higher page
# throughput in three of four, so 8 threads a worker is the default. AI calls no longer hold a
# request (planning with a remote provider and grading are jobs), so 16 threads per two workers
# are enough; GUNICORN_THREADS raises it for a deployment that plans in the request.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))

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
    # Everything loaded so far (the app, the bank index) lives as long as the worker: frozen, the
    # garbage collector's full passes never walk it again. Unfrozen, a full pass over ~90,000
    # objects paused the worker's every thread for up to 200 ms, the interview page's tail
    # (`make bench-load`, 2x32, c=20: p99 825 / 875 ms unfrozen, 269 / 395 ms frozen, alternated).
    gc.collect()
    gc.freeze()
