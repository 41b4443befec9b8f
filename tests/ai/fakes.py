"""Fake AI backends for tests: HTTP servers on 127.0.0.1 speaking the real wire formats, and an
in-process scripted provider.

`FakeGemini` answers ``POST /<version>/models/<model>:generateContent``; `FakeOpenAI` answers
``POST <prefix>/chat/completions``. Each records what it received (`received`) and replies from a
queue of scripted `Reply` objects (or callables), falling back to a valid answer for the schema the
request asked for. A `Reply` with `delay` hangs before answering, to exercise timeouts.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from app.ai.providers.base import Provider, ProviderRequest

SCHEMA_TITLES = ("QuestionPlan", "FollowUpQuestion", "EvaluationBatch", "InterviewSummary")
_TITLE = re.compile(r'"title":\s*"(' + "|".join(SCHEMA_TITLES) + r')"')
_ITEM_ID = re.compile(r"ITEM question_id=(\d+)")


@dataclass
class Reply:
    """One scripted HTTP reply: a JSON-able body (or raw text), status, headers and a delay."""

    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Received:
    """One request the fake received."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: Any

    def text(self) -> str:
        """The raw JSON body as text, for substring checks."""
        return json.dumps(self.body, ensure_ascii=False)


ReplySource = Reply | Callable[[Received], Reply]


# ---------------------------------------------------------------- canned valid answers
def sample_plan(count: int = 3) -> dict[str, Any]:
    """A valid QuestionPlan with `count` questions."""
    return {
        "questions": [
            {
                "text": f"Tell me about a system you designed, part {n}.",
                "category": "System Design",
                "skill": "distributed systems",
                "kind": "technical",
                "difficulty": "medium",
                "reference_answer": "Describe the constraints, the design and the trade-offs.",
                "key_points": ["constraints", "design", "trade-offs"],
            }
            for n in range(1, count + 1)
        ]
    }


def sample_follow_up() -> dict[str, Any]:
    """A valid FollowUpQuestion."""
    return {
        "question": "What was the measurable result of that change?",
        "reason": "The answer gave no result.",
        "key_points": ["metric", "before and after"],
    }


def sample_evaluations(
    question_ids: Iterable[int], score: int = 72, quote: str = "", point: str = "design"
) -> dict[str, Any]:
    """A valid EvaluationBatch for the given question ids; with ``quote``, the covered point is
    backed by it (the server keeps coverage only where the quote is in the answer)."""
    evidence = [{"point": point, "quote": quote}] if quote else []
    return {
        "evaluations": [
            {
                "question_id": qid,
                "feedback": "Clear structure; add a concrete metric.",
                "covered_points": [point],
                "missed_points": ["trade-offs"],
                "evidence": evidence,
                "score": score,
            }
            for qid in question_ids
        ]
    }


def sample_summary() -> dict[str, Any]:
    """A valid InterviewSummary."""
    return {
        "overall_feedback": "A solid interview with room to quantify impact.",
        "strengths": ["Structured answers", "Good system design instincts", "Clear language"],
        "weaknesses": ["Few metrics", "Thin on testing", "Vague on trade-offs"],
        "cv_improvements": "1. **Quantify impact** for the Kubernetes migration.",
        "improvement_plan": [
            {"topic": "Testing", "action": "Practise explaining test pyramids.", "resources": []}
        ],
        "candidate_summary": "A capable backend engineer.",
        "recommendation": "Recommended",
    }


def canned_output(title: str, prompt_text: str) -> dict[str, Any]:
    """A valid answer for the schema named `title`, matching ids found in the prompt."""
    if title == "QuestionPlan":
        match = re.search(r"Plan exactly (\d+) main questions", prompt_text)
        return sample_plan(int(match.group(1)) if match else 3)
    if title == "FollowUpQuestion":
        return sample_follow_up()
    if title == "EvaluationBatch":
        return sample_evaluations(int(i) for i in _ITEM_ID.findall(prompt_text))
    return sample_summary()


# ---------------------------------------------------------------- the HTTP servers
class FakeServer:
    """A small threaded HTTP server with a queue of scripted replies."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.replies: deque[ReplySource] = deque()
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """http://127.0.0.1:<port>"""
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> Self:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake any hanging handler and shut the server down."""
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def queue(self, *replies: ReplySource) -> None:
        """Script the next replies, in order; afterwards the default answer is used."""
        self.replies.extend(replies)

    def default_reply(self, received: Received) -> Reply:
        """The reply when nothing is scripted."""
        return Reply({"error": "not found"}, status=404)

    def _next_reply(self, received: Received) -> Reply:
        source = self.replies.popleft() if self.replies else self.default_reply
        return source(received) if callable(source) else source

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            """Records each POST and answers with the fake's next reply."""

            def do_POST(self) -> None:  # noqa: N802 - the stdlib's naming
                """Record the request, then answer it."""
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                headers = {k.lower(): v for k, v in self.headers.items()}
                received = Received("POST", self.path, headers, body)
                fake.received.append(received)
                fake._respond(self, fake._next_reply(received))

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Keep test output quiet."""
                return None

        return Handler

    def _respond(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        if reply.delay and self._stop.wait(reply.delay):
            return
        body = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
        data = body.encode("utf-8")
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); nothing to answer


def gemini_reply(output: Any, finish_reason: str = "STOP") -> Reply:
    """A generateContent success whose text part is `output` (JSON-encoded unless a string)."""
    text = output if isinstance(output, str) else json.dumps(output)
    return Reply(
        {
            "candidates": [
                {
                    "content": {"parts": [{"text": text}], "role": "model"},
                    "finishReason": finish_reason,
                    "index": 0,
                }
            ],
            "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 10},
            "modelVersion": "gemini-test",
        }
    )


def gemini_error(
    status: int, message: str = "error", headers: dict[str, str] | None = None
) -> Reply:
    """A Google API error body with the HTTP status."""
    names = {
        400: "INVALID_ARGUMENT",
        401: "UNAUTHENTICATED",
        403: "PERMISSION_DENIED",
        429: "RESOURCE_EXHAUSTED",
        500: "INTERNAL",
        503: "UNAVAILABLE",
    }
    body = {"error": {"code": status, "message": message, "status": names.get(status, "UNKNOWN")}}
    return Reply(body, status=status, headers=headers or {})


class FakeGemini(FakeServer):
    """Gemini's generateContent under /v1 and /v1beta."""

    PATH = re.compile(r"^/(v1|v1beta)/models/([^/:]+):generateContent$")

    def default_reply(self, received: Received) -> Reply:
        """A valid answer for the requested responseSchema."""
        if not self.PATH.match(received.path.split("?")[0]):
            return gemini_error(404, "no such method")
        config = received.body.get("generationConfig", {})
        title = config.get("responseSchema", {}).get("title", "")
        return gemini_reply(canned_output(title, received.text()))

    def model_of(self, received: Received) -> str:
        """The model named in the request path."""
        match = self.PATH.match(received.path.split("?")[0])
        return match.group(2) if match else ""


def openai_reply(output: Any, finish_reason: str = "stop") -> Reply:
    """A chat.completion success whose message content is `output`."""
    text = output if isinstance(output, str) else json.dumps(output)
    return Reply(
        {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": "test-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": finish_reason,
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }
    )


def openai_error(
    status: int, message: str = "error", headers: dict[str, str] | None = None
) -> Reply:
    """An OpenAI-style error body with the HTTP status."""
    body = {"error": {"message": message, "type": "invalid_request_error", "code": status}}
    return Reply(body, status=status, headers=headers or {})


class FakeOpenAI(FakeServer):
    """An OpenAI-compatible /chat/completions endpoint under `prefix` (e.g. /api/v1)."""

    def __init__(self, prefix: str = "/api/v1") -> None:
        super().__init__()
        self.prefix = prefix

    @property
    def base_url(self) -> str:
        """The base URL a provider is configured with."""
        return self.url + self.prefix

    def default_reply(self, received: Received) -> Reply:
        """A valid answer for the schema named in response_format or the system prompt."""
        if received.path != f"{self.prefix}/chat/completions":
            return openai_error(404, "no such route")
        match = _TITLE.search(received.text())
        return openai_reply(canned_output(match.group(1) if match else "", received.text()))


# ---------------------------------------------------------------- an in-process provider
class ScriptedProvider(Provider):
    """A provider that plays back outcomes: a dict answer, an AIError to raise, or a callable."""

    def __init__(self, name: str, outcomes: Iterable[Any] = (), *, remote: bool = True) -> None:
        self.name = name
        self.model = f"{name}-model"
        self.remote = remote
        self.outcomes = deque(outcomes)
        self.requests: list[ProviderRequest] = []
        self.timeouts: list[float] = []

    def generate(self, task: str, request: ProviderRequest, *, timeout: float) -> dict[str, Any]:
        """Record the call and play the next outcome (default: a valid answer)."""
        self.requests.append(request)
        self.timeouts.append(timeout)
        outcome = self.outcomes.popleft() if self.outcomes else None
        if callable(outcome):
            outcome = outcome(request)
        if isinstance(outcome, BaseException):
            raise outcome
        if outcome is None:
            return canned_output(request.schema.__name__, request.system + request.user)
        return dict(outcome)


class FakeClock:
    """A monotonic clock that only moves when the router sleeps (or a test advances it)."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        """Record the wait and move time on."""
        self.sleeps.append(seconds)
        self.now += seconds
