"""Fake AI backends for tests: HTTP servers on 127.0.0.1 speaking the real wire formats, and an
in-process scripted provider.

`FakeGemini` answers ``POST /<version>/models/<model>:generateContent``; `FakeOpenAI` answers
``POST <prefix>/chat/completions``; `FakeOllama` answers Ollama's ``/api/chat``, ``/api/version``
and ``/v1/chat/completions``. Each records what it received (`received`) and replies from a queue
of scripted `Reply` objects (or callables), falling back to a valid answer for the schema the
request asked for. A `Reply` with `delay` hangs before answering, to exercise timeouts.

They are as strict as the real services: a key is required (and, when `key` is set, checked), a
model outside `models` (or in `retired`) answers the real 404, request fields are validated the
way the API does (unknown fields, a schema without a JSON MIME type, a thinking budget and level
together), and a prompt over `context_limit` tokens answers the real 400 (Ollama instead silently
drops the start of the prompt, as it does). `FakeGemini` also reads inline audio parts as the API
does: base64 (standard or URL-safe alphabet) with a MIME type from `audio_types`, in a request no
larger than `inline_limit` bytes; a request asking for the app's ``Transcription`` schema is
answered with the scripted `speech` segments.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from app.ai.providers.base import estimate_tokens

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
    raw: bytes = b""  # the body as sent (multipart uploads are not text)

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

    def get_reply(self, received: Received) -> Reply:
        """The answer to a GET; most APIs here serve none."""
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
                data = self.rfile.read(length)
                raw = data.decode("utf-8", errors="replace")
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                headers = {k.lower(): v for k, v in self.headers.items()}
                received = Received("POST", self.path, headers, body, data)
                fake.received.append(received)
                fake._respond(self, fake._next_reply(received))

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's naming
                """Record the request and answer it (only FakeOllama serves GETs)."""
                headers = {k.lower(): v for k, v in self.headers.items()}
                received = Received("GET", self.path, headers, None)
                fake._respond(self, fake.get_reply(received))

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


def gemini_retry_info(seconds: int) -> Reply:
    """A 429 whose body carries google.rpc.RetryInfo, as the quota errors do."""
    reply = gemini_error(429, "You exceeded your current quota.")
    reply.body["error"]["details"] = [
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f"{seconds}s"}
    ]
    return reply


def gemini_empty(finish_reason: str = "STOP") -> Reply:
    """A candidate with no text parts: what Gemini sends when it stops early."""
    return Reply(
        {
            "candidates": [{"content": {"role": "model"}, "finishReason": finish_reason}],
            "usageMetadata": {"promptTokenCount": 10, "totalTokenCount": 10},
        }
    )


_GENERATION_FIELDS = {
    "temperature",
    "topP",
    "topK",
    "candidateCount",
    "maxOutputTokens",
    "stopSequences",
    "responseMimeType",
    "responseSchema",
    "responseJsonSchema",
    "thinkingConfig",
    "seed",
    "presencePenalty",
    "frequencyPenalty",
}


def camel_keys(data: Any) -> dict[str, Any]:
    """A JSON object with snake_case names in lowerCamelCase: proto JSON accepts both spellings
    (the SDK sends thinkingConfig's fields as thinking_level), so the fake reads both too."""
    if not isinstance(data, dict):
        return {}
    return {re.sub(r"_([a-z])", lambda m: m.group(1).upper(), k): v for k, v in data.items()}


def gemini_request_problem(body: Any, model: str) -> str | None:
    """What the real API would refuse in a generateContent body (400), or None."""
    if not isinstance(body, dict) or not body.get("contents"):
        return "* GenerateContentRequest.contents: contents is not specified"
    config = camel_keys(body.get("generationConfig", {}))
    unknown = sorted(set(config) - _GENERATION_FIELDS)
    if unknown:
        return (
            f"Invalid JSON payload received. Unknown name \"{unknown[0]}\" at 'generation_config'"
        )
    if "responseSchema" in config and config.get("responseMimeType") != "application/json":
        return "response_schema is only supported with response_mime_type application/json"
    thinking = camel_keys(config.get("thinkingConfig", {}))
    if "thinkingBudget" in thinking and "thinkingLevel" in thinking:
        return "You can only set one of thinking budget and thinking level."
    if "thinkingLevel" in thinking and not re.match(r"gemini-[3-9]", model):
        return "Thinking level is not supported for this model."
    cap = config.get("maxOutputTokens")
    if cap is not None and not (isinstance(cap, int) and 0 < cap <= 65_536):
        return "max_output_tokens must be between 1 and 65536"
    return None


# The audio types Gemini's model pages list for audio understanding.
GEMINI_AUDIO_TYPES = frozenset(
    {
        "audio/wav", "audio/mp3", "audio/mpeg", "audio/mpga", "audio/aiff", "audio/aac",
        "audio/x-aac", "audio/ogg", "audio/flac", "audio/webm", "audio/mp4", "audio/m4a",
        "audio/pcm",
    }
)  # fmt: skip
# The audio understanding guide lists fewer (no WebM or MP4): a server that keeps to it.
GEMINI_GUIDE_AUDIO_TYPES = frozenset(
    {"audio/wav", "audio/mp3", "audio/aiff", "audio/aac", "audio/ogg", "audio/flac"}
)
GEMINI_INLINE_LIMIT = 100 * 1024 * 1024  # the whole request, base64 included (since Jan 2026)


def decode_base64(text: Any) -> bytes | None:
    """Bytes from proto JSON's base64, which accepts the standard and URL-safe alphabets."""
    if not isinstance(text, str):
        return None
    try:
        return base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None


def inline_parts(body: Any) -> list[tuple[str, str, Any]]:
    """(where, MIME type, base64 data) of every inline data part, in either spelling."""
    found = []
    contents = body.get("contents") if isinstance(body, dict) else None
    for c, content in enumerate(contents if isinstance(contents, list) else []):
        parts = content.get("parts") if isinstance(content, dict) else None
        for p, part in enumerate(parts if isinstance(parts, list) else []):
            blob = camel_keys(part).get("inlineData") if isinstance(part, dict) else None
            if blob is not None:
                blob = camel_keys(blob)
                found.append((f"contents[{c}].parts[{p}]", blob.get("mimeType"), blob.get("data")))
    return found


def inline_problem(body: Any, audio_types: Iterable[str]) -> str | None:
    """What the real API refuses in an inline part: no type, a type it cannot read, bad base64."""
    for where, mime, data in inline_parts(body):
        if not mime:
            return f"* GenerateContentRequest.{where}.inline_data.mime_type: mime_type is empty"
        if str(mime).startswith("audio/") and mime not in audio_types:
            return f"Unsupported MIME type: {mime}"
        if decode_base64(data) is None:
            return (
                f"Invalid value at '{where}.inline_data.data' (TYPE_BYTES), Base64 decoding failed"
            )
    return None


def gemini_transcription(segments: Iterable[tuple[float, float, str]], language: str) -> Reply:
    """A reply to the app's Transcription schema: the scripted segments and their text."""
    timed = [{"start": s, "end": e, "text": t} for s, e, t in segments]
    text = " ".join(item["text"] for item in timed)
    return gemini_reply({"text": text, "language": language, "segments": timed})


class FakeGemini(FakeServer):
    """Gemini's generateContent under /v1 and /v1beta.

    `key`: the only accepted API key (None: any non-empty key). `models`: the models served
    (None: any not `retired`). `context_limit`: prompt tokens allowed (estimated like the app).
    `audio_types` and `inline_limit`: the inline audio accepted; `speech`: the timed segments a
    transcription request gets back.
    """

    PATH = re.compile(r"^/(v1|v1beta)/models/([^/:]+):generateContent$")
    RETIRED = frozenset({"gemini-2.5-flash", "gemini-2.0-flash", "gemini-1.5-flash"})

    def __init__(
        self,
        *,
        key: str | None = None,
        models: Iterable[str] | None = None,
        context_limit: int = 1_048_576,
        audio_types: Iterable[str] = GEMINI_AUDIO_TYPES,
        inline_limit: int = GEMINI_INLINE_LIMIT,
        speech: Iterable[tuple[float, float, str]] = (),
        language: str = "en",
    ) -> None:
        super().__init__()
        self.key = key
        self.models = set(models) if models is not None else None
        self.context_limit = context_limit
        self.audio_types = frozenset(audio_types)
        self.inline_limit = inline_limit
        self.speech = list(speech)
        self.language = language

    def _next_reply(self, received: Received) -> Reply:
        """Refuse what the real API refuses before any scripted reply is used."""
        refusal = self.refusal(received)
        return refusal if refusal else super()._next_reply(received)

    def refusal(self, received: Received) -> Reply | None:
        """The real API's error for a bad key, an unknown model, a bad body or a long prompt."""
        match = self.PATH.match(received.path.split("?")[0])
        if not match:
            return gemini_error(404, "no such method")
        key = received.headers.get("x-goog-api-key", "")
        if not key:
            return gemini_error(403, "Method doesn't allow unregistered callers.")
        if self.key is not None and key != self.key:
            return gemini_error(400, "API key not valid. Please pass a valid API key.")
        model = match.group(2)
        if model in self.RETIRED or (self.models is not None and model not in self.models):
            return gemini_error(
                404,
                f"models/{model} is not found for API version {match.group(1)}, or is not "
                "supported for generateContent.",
            )
        if len(received.raw) > self.inline_limit:
            return gemini_error(
                400, f"Request payload size exceeds the limit: {self.inline_limit} bytes."
            )
        problem = gemini_request_problem(received.body, model) or inline_problem(
            received.body, self.audio_types
        )
        if problem:
            return gemini_error(400, problem)
        if inline_parts(received.body):  # audio is counted by length, not by its base64 text
            return None
        tokens = estimate_tokens(received.text())
        if tokens > self.context_limit:
            return gemini_error(
                400,
                f"The input token count ({tokens}) exceeds the maximum number of tokens "
                f"allowed ({self.context_limit}).",
            )
        return None

    def default_reply(self, received: Received) -> Reply:
        """A valid answer for the requested responseSchema."""
        config = received.body.get("generationConfig", {})
        title = config.get("responseSchema", {}).get("title", "")
        if title == "Transcription":
            return gemini_transcription(self.speech, self.language)
        return gemini_reply(canned_output(title, received.text()))

    def audio_received(self) -> list[tuple[str, bytes]]:
        """(MIME type, decoded bytes) of every inline part received, in order."""
        return [
            (str(mime), decode_base64(data) or b"")
            for received in self.received
            for _, mime, data in inline_parts(received.body)
        ]

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


def openai_reasoning_reply(output: Any, *, field: str = "reasoning_content") -> Reply:
    """A reply with empty content and the answer in a reasoning field (vLLM, DeepSeek)."""
    reply = openai_reply("")
    message = reply.body["choices"][0]["message"]
    message[field] = "Let me think. " + (output if isinstance(output, str) else json.dumps(output))
    return reply


def openai_think_reply(output: Any) -> Reply:
    """A reasoning model's reply: a <think> block with braces, then prose around the JSON."""
    text = json.dumps(output)
    return openai_reply(
        '<think>The schema wants {question, reason}; maybe {"a": 1}?</think>\n'
        f"Sure! Here is the object {{as asked}}:\n{text}\nHope that helps {{:}}"
    )


_CHAT_FIELDS = {
    "model",
    "messages",
    "temperature",
    "top_p",
    "max_tokens",
    "max_completion_tokens",
    "response_format",
    "stream",
    "stop",
    "seed",
    "n",
    "presence_penalty",
    "frequency_penalty",
    "user",
}


def chat_request_problem(body: Any, extra_fields: Iterable[str] = ()) -> str | None:
    """What a strict OpenAI-compatible server refuses in a chat body (400), or None."""
    if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
        return "'messages' is a required property"
    unknown = sorted(set(body) - _CHAT_FIELDS - set(extra_fields))
    if unknown:
        return f"Unrecognized request argument supplied: {unknown[0]}"
    for message in body["messages"]:
        if message.get("role") not in ("system", "user", "assistant") or "content" not in message:
            return "Invalid message: each needs a role and content"
    fmt = body.get("response_format")
    if fmt is not None:
        kind = fmt.get("type")
        if kind not in ("json_schema", "json_object", "text"):
            return f"Invalid value for response_format.type: {kind}"
        schema = fmt.get("json_schema", {})
        if kind == "json_schema" and not (schema.get("name") and schema.get("schema")):
            return "response_format.json_schema needs a name and a schema"
    cap = body.get("max_tokens")
    if cap is not None and not (isinstance(cap, int) and cap > 0):
        return "max_tokens must be a positive integer"
    return None


class FakeOpenAI(FakeServer):
    """An OpenAI-compatible /chat/completions endpoint under `prefix` (e.g. /api/v1).

    `key`: the only accepted Bearer key (None: any, or none). `models`: the models served (None:
    any). `context_limit`: prompt plus max_tokens allowed, in tokens. `extra_fields`: body fields
    beyond OpenAI's that this server accepts (OpenRouter: ``provider``).
    """

    def __init__(
        self,
        prefix: str = "/api/v1",
        *,
        key: str | None = None,
        models: Iterable[str] | None = None,
        context_limit: int = 1_000_000,
        extra_fields: Iterable[str] = ("provider",),
    ) -> None:
        super().__init__()
        self.prefix = prefix
        self.key = key
        self.models = set(models) if models is not None else None
        self.context_limit = context_limit
        self.extra_fields = tuple(extra_fields)

    def _next_reply(self, received: Received) -> Reply:
        """Refuse what a real server refuses before any scripted reply is used."""
        refusal = self.refusal(received)
        return refusal if refusal else super()._next_reply(received)

    def refusal(self, received: Received) -> Reply | None:
        """401 for a wrong key, 404 model_not_found, 400 for a bad body or an overlong prompt."""
        if received.path != f"{self.prefix}/chat/completions":
            return openai_error(404, "no such route")
        if self.key is not None and received.headers.get("authorization") != f"Bearer {self.key}":
            return openai_error(401, "Incorrect API key provided.")
        model = received.body.get("model") if isinstance(received.body, dict) else None
        if self.models is not None and model not in self.models:
            reply = openai_error(404, f"The model `{model}` does not exist.")
            reply.body["error"]["code"] = "model_not_found"
            return reply
        problem = chat_request_problem(received.body, self.extra_fields)
        if problem:
            return openai_error(400, problem)
        prompt = sum(estimate_tokens(str(m["content"])) for m in received.body["messages"])
        wanted = prompt + int(received.body.get("max_tokens") or 0)
        if wanted > self.context_limit:
            reply = openai_error(
                400,
                f"This model's maximum context length is {self.context_limit} tokens. "
                f"However, you requested {wanted} tokens. Please reduce the messages.",
            )
            reply.body["error"]["code"] = "context_length_exceeded"
            return reply
        return None

    @property
    def base_url(self) -> str:
        """The base URL a provider is configured with."""
        return self.url + self.prefix

    def default_reply(self, received: Received) -> Reply:
        """A valid answer for the schema named in response_format or the system prompt."""
        messages = received.body.get("messages", []) if isinstance(received.body, dict) else []
        match = _TITLE.search(received.text()) or _TITLE.search(
            " ".join(str(m.get("content", "")) for m in messages)
        )
        return openai_reply(canned_output(match.group(1) if match else "", received.text()))


class FakeOllama(FakeServer):
    """An Ollama server: /api/version, /api/chat and the OpenAI-compatible /v1/chat/completions.

    Like Ollama, it gives each request a context of ``options.num_ctx`` tokens (default 4,096;
    /v1 cannot change it) and silently keeps only the end of a longer prompt: the system text,
    rules and schema go first. A model that lost them answers in prose; `truncated` counts it.
    """

    def __init__(self, *, models: Iterable[str] = ("qwen3:8b",), default_ctx: int = 4_096) -> None:
        super().__init__()
        self.models = set(models)
        self.default_ctx = default_ctx
        self.truncated = 0

    @property
    def base_url(self) -> str:
        """What OPENAI_COMPAT_BASE_URL is set to for Ollama."""
        return self.url + "/v1"

    def get_reply(self, received: Received) -> Reply:
        """Only /api/version answers GET."""
        if received.path == "/api/version":
            return Reply({"version": "0.13.5"})
        return Reply("404 page not found", status=404)

    def default_reply(self, received: Received) -> Reply:
        """Answer /api/chat natively or /v1/chat/completions in OpenAI's shape."""
        body = received.body if isinstance(received.body, dict) else {}
        model = body.get("model")
        if model not in self.models:
            message = f'model "{model}" not found, try pulling it first'
            return Reply({"error": message}, status=404)
        native = received.path == "/api/chat"
        if not native and received.path != "/v1/chat/completions":
            return Reply("404 page not found", status=404)
        num_ctx = int(body.get("options", {}).get("num_ctx") or self.default_ctx)
        output = self._answer(body, num_ctx)
        if native:
            return Reply(
                {
                    "model": model,
                    "created_at": "2026-12-07T00:00:00Z",
                    "message": {"role": "assistant", "content": output},
                    "done": True,
                    "done_reason": "stop",
                    "prompt_eval_count": 100,
                    "eval_count": 50,
                }
            )
        return openai_reply(output)

    def _answer(self, body: dict[str, Any], num_ctx: int) -> str:
        """The schema's canned answer, or prose when truncation cut the rules off."""
        text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        tokens = estimate_tokens(text)
        if tokens > num_ctx:
            self.truncated += 1
            return "I am happy to help with your interview. What would you like to discuss?"
        match = _TITLE.search(json.dumps(body))
        return json.dumps(canned_output(match.group(1) if match else "", text))
