"""The load benchmark's clients: a candidate driving the real forms over HTTP, and a bounded load
generator (wrk when installed, else a threaded Python one) that reports requests/s, p50 and p99."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.client import HTTPConnection
from urllib.parse import urlsplit

import requests

JSON = "application/json"


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of a list of numbers; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(pct / 100 * len(ordered)) - 1))]


@dataclass
class Timings:
    """Latencies (ms) of one kind of request, thread-safe to add to."""

    samples: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float) -> None:
        """Record one request."""
        with self.lock:
            self.samples.append(ms)

    def summary(self) -> str:
        """n, p50 and p99."""
        return (
            f"n={len(self.samples):<5} p50={percentile(self.samples, 50):7.1f} ms  "
            f"p99={percentile(self.samples, 99):7.1f} ms"
        )


class Candidate:
    """One person in a browser-like session: cookie sign-in, CSRF-protected JSON form posts."""

    def __init__(self, base: str, email: str, password: str) -> None:
        self.base, self.email, self.password = base, email, password
        self.http = requests.Session()
        self.cookie = ""
        self.csrf = ""

    def send(self, method: str, path: str, timings: Timings | None = None, **kwargs):
        """A request with the session cookie (set by hand: production cookies are Secure)."""
        headers = {"Cookie": self.cookie, **kwargs.pop("headers", {})}
        started = time.perf_counter()
        response = self.http.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=120, **kwargs
        )
        if timings is not None:
            timings.add((time.perf_counter() - started) * 1000)
        if "session" in response.cookies:
            self.cookie = f"session={response.cookies['session']}"
        return response

    def page_headers(self) -> dict[str, str]:
        """What the load generator sends to read pages as this candidate's browser: the cookie,
        and the same User-Agent as the sign-in (Flask-Login ties the session to it; any other
        agent would see the session marked stale and a new cookie on every response)."""
        return {"Cookie": self.cookie, "User-Agent": str(self.http.headers["User-Agent"])}

    def sign_in(self) -> None:
        """GET the form for its CSRF token, POST it: the session cookie carries both."""
        page = self.send("GET", "/auth/login").text
        self.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        response = self.send(
            "POST",
            "/auth/login",
            data={"email": self.email, "password": self.password, "csrf_token": self.csrf},
        )
        assert response.status_code == 302, (response.status_code, response.text[:300])

    def post_form(self, path: str, data: dict, timings: Timings | None = None):
        """A CSRF-protected form post asking for JSON."""
        return self.send(
            "POST", path, timings, data={**data, "csrf_token": self.csrf}, headers={"Accept": JSON}
        )

    def create_interview(self, resume: str, job: str, count: int, timings: Timings | None = None):
        """POST /sessions/new; returns the Session JSON."""
        response = self.post_form(
            "/sessions/new",
            {
                "resume_text": resume,
                "job_description": job,
                "question_count": str(count),
                "job_title": "Backend Engineer",
                "company_name": "Acme",
                "force_new": "1",
            },
            timings,
        )
        return self.planned(response)

    def planned(self, response):
        """The Session of a create response: at once (201), or, after a 202 (a planning job
        still at work), once the status says the questions are there."""
        assert response.status_code in (201, 202), (response.status_code, response.text[:300])
        data = response.json()["data"]
        if response.status_code == 201:
            return data
        while True:
            stage = self.send("GET", data["status_url"]).json()["data"]["stage"]
            assert stage != "planning_failed", stage
            if stage != "planning":
                break
            time.sleep(0.2)
        return self.send("GET", data["redirect"], headers={"Accept": JSON}).json()["data"]


@dataclass
class LoadResult:
    """What a load run measured."""

    tool: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int = 0

    def line(self) -> str:
        """One row of the report."""
        errors = f", errors {self.errors}" if self.errors else ""
        return (
            f"{self.requests_per_s:9.0f} req/s   p50 {self.p50_ms:6.2f} ms   "
            f"p99 {self.p99_ms:6.2f} ms   ({self.tool}{errors})"
        )


def load(
    url: str, *, connections: int, seconds: float, headers: dict[str, str] | None = None
) -> LoadResult:
    """GET `url` over `connections` keep-alive connections for `seconds`."""
    if shutil.which("wrk"):
        return wrk(url, connections=connections, seconds=seconds, headers=headers or {})
    return python_load(url, connections=connections, seconds=seconds, headers=headers or {})


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * _UNITS[unit]


def wrk(url: str, *, connections: int, seconds: float, headers: dict[str, str]) -> LoadResult:
    """Run wrk with its latency distribution and read the figures from its report."""
    threads = max(1, min(connections, 2))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return LoadResult("wrk", rps, p50, p99, int(errors.group(1)) if errors else 0)


def python_load(
    url: str, *, connections: int, seconds: float, headers: dict[str, str]
) -> LoadResult:
    """A bounded threaded generator: each thread keeps one connection busy until time is up."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    timings, errors, stop_at = Timings(), [0], time.monotonic() + seconds

    def worker() -> None:
        connection = HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            timings.add((time.perf_counter() - started) * 1000)
            if response.status >= 400:
                errors[0] += 1
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return LoadResult(
        "python",
        len(timings.samples) / elapsed,
        percentile(timings.samples, 50),
        percentile(timings.samples, 99),
        errors[0],
    )
