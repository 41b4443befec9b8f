"""Running a document reader in a confined child process.

pypdf and python-docx are pure Python working on attacker-chosen bytes, and a request thread
cannot be interrupted (gunicorn's timeout does not fire for a busy gthread request). So each PDF
or Word file is read by `app/documents/readers.py` in a fresh interpreter whose address space
and CPU time are limited (`EXTRACT_MEMORY_MB`, `EXTRACT_TIMEOUT_S`), killed at the deadline.
At most `EXTRACT_CONCURRENCY` children run per server process, so a burst of uploads cannot
multiply the memory limit by the number of threads.
"""

from __future__ import annotations

import json
import logging
import math
import subprocess
import sys
import threading
import time
from pathlib import Path

from flask import current_app

from app.documents.readers import TOO_COMPLEX_DOCX, TOO_COMPLEX_PDF, Limits, Unreadable, limits_json
from app.errors import AppError

READERS_SCRIPT = str(Path(__file__).with_name("readers.py"))
TOO_COMPLEX = {"pdf": TOO_COMPLEX_PDF, "docx": TOO_COMPLEX_DOCX}
BUSY = "Too many files are being read right now. Try again in a moment."
_slots_lock = threading.Lock()
log = logging.getLogger(__name__)


def extraction_limits() -> Limits:
    """The readers' limits from the app's configuration."""
    config = current_app.config
    return Limits(
        max_chars=config["RESUME_MAX_CHARS"],
        # The reader stops itself a little before the kill, so it can say why.
        deadline_s=max(0.5, config["EXTRACT_TIMEOUT_S"] * 0.8),
    )


def read_isolated(kind: str, data: bytes) -> str:
    """The text a confined child reads from `data` ("pdf" or "docx"); raises Unreadable with the
    user's message when the file is damaged or over a limit, or the child is stopped."""
    config = current_app.config
    timeout = float(config["EXTRACT_TIMEOUT_S"])
    command = [
        sys.executable,
        "-I",  # no environment variables, user site or current directory on the path
        READERS_SCRIPT,
        kind,
        limits_json(extraction_limits()),
        str(int(config["EXTRACT_MEMORY_MB"]) * 1024 * 1024),
        str(math.ceil(timeout) + 1),
    ]
    slots = extraction_slots()
    if not slots.acquire(timeout=timeout):
        raise AppError(BUSY, 503)
    started = time.monotonic()
    try:
        # An empty environment: the reader needs none, and the server's holds its secrets.
        done = subprocess.run(  # noqa: S603 - our own script, arguments we built
            command, input=data, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            timeout=timeout, check=False, env={},
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:  # run() has killed the child
        log.warning("Reading a %s of %d bytes was stopped after %.1f s", kind, len(data), timeout)
        raise Unreadable(TOO_COMPLEX[kind]) from exc
    finally:
        slots.release()
    reply = child_reply(done)
    log.info(
        "Read a %s of %d bytes in %.2f s, peak memory %s MB, exit %s: %s",
        kind, len(data), time.monotonic() - started, reply.get("peak_rss_mb", "?"),
        done.returncode, "text" if "text" in reply else reply.get("error", "no answer"),
    )  # fmt: skip
    if isinstance(reply.get("text"), str):
        return reply["text"]
    # No answer: the child was stopped (CPU time) or ran out of memory before it could reply.
    raise Unreadable(str(reply.get("error") or TOO_COMPLEX[kind]))


def child_reply(done: subprocess.CompletedProcess) -> dict:
    """The child's JSON answer; empty when it exited abnormally or wrote something else."""
    try:
        reply = json.loads(done.stdout) if done.returncode == 0 else {}
    except ValueError:
        return {}
    return reply if isinstance(reply, dict) else {}


def extraction_slots() -> threading.BoundedSemaphore:
    """This process's semaphore of concurrent readers (one per app)."""
    with _slots_lock:
        slots = current_app.extensions.get("extraction_slots")
        if slots is None:
            slots = threading.BoundedSemaphore(max(1, current_app.config["EXTRACT_CONCURRENCY"]))
            current_app.extensions["extraction_slots"] = slots
        return slots
