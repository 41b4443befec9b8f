"""A web process of its own that uploads each file of a folder as a CV and reports, as JSON on
stdout, the answer, the time and the memory each cost.

Run by test_upload_bombs as `python -m tests.security.upload_probe FOLDER`, so that the memory
measured is this process's alone (its kernel high-water mark, VmHWM) and a file that escaped
the limits could not take the test runner down with it: the address space here is capped too.
"""

from __future__ import annotations

import io
import json
import logging
import resource
import sys
import time
from pathlib import Path

from app import create_app
from app.extensions import db
from tests.conftest import JSON
from tests.support.users import make_user

SAFETY_NET_BYTES = 3 * 1024**3  # far above any bound asserted; keeps a failure from the machine


class ReaderPeaks(logging.Handler):
    """Collects the peak memory the confined reader reports for each file."""

    def __init__(self) -> None:
        super().__init__()
        self.peaks: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the peak of a "Read a …" record."""
        if record.getMessage().startswith("Read a ") and isinstance(record.args, tuple):
            peak = record.args[3]
            self.peaks.append(float(peak) if isinstance(peak, int | float) else 0.0)


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MiB."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return round(int(line.split()[1]) / 1024, 1)


def upload(client, path: Path) -> tuple[int, str]:
    """POST the file as a CV: the status and message, or 500 and the error that escaped."""
    try:
        response = client.post(
            "/resumes",
            headers=JSON,
            content_type="multipart/form-data",
            data={"resume_file": (io.BytesIO(path.read_bytes()), path.name)},
        )
    except Exception as exc:  # noqa: BLE001 - testing propagates errors; report, go on
        return 500, repr(exc)[:300]
    return response.status_code, (response.get_json() or {}).get("message", "")


def upload_each(folder: Path) -> dict:
    """Upload every file in `folder` through POST /resumes; one report per file."""
    app = create_app("testing")
    peaks = ReaderPeaks()
    logging.getLogger("app.documents.isolation").addHandler(peaks)
    logging.getLogger("app.documents.isolation").setLevel(logging.INFO)
    cases = {}
    with app.app_context():
        db.create_all()
        make_user("probe@example.com")
        client = app.test_client()
        client.post("/auth/login", data={"email": "probe@example.com", "password": "password123"})
        for path in sorted(folder.iterdir()):
            peaks.peaks.clear()
            started = time.monotonic()
            status, message = upload(client, path)
            cases[path.stem] = {
                "status": status,
                "message": message,
                "seconds": round(time.monotonic() - started, 2),
                "reader_peak_mb": max(peaks.peaks, default=None),
            }
            db.session.rollback()
    return {"cases": cases, "peak_rss_mb": peak_rss_mb()}


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_AS, (SAFETY_NET_BYTES, SAFETY_NET_BYTES))
    print(json.dumps(upload_each(Path(sys.argv[1]))))
