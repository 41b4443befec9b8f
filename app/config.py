"""Configuration classes. Every value comes from the environment, read when the class is used.

`create_app` picks a class from ``APP_ENV`` (development | testing | production);
`instance/config.py` may override any key for local secrets.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from werkzeug.sansio.utils import host_is_trusted

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"

log = logging.getLogger(__name__)

# A placeholder used in development only; production refuses it.
DEV_SECRET_KEY = "dev-only-secret-change-me"  # noqa: S105


def env_str(name: str, default: str = "") -> str:
    """Return an environment variable, or the default when unset or blank."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_int(name: str, default: int) -> int:
    """Return an integer environment variable; a malformed value falls back to the default."""
    try:
        return int(env_str(name, str(default)))
    except ValueError:
        return default


def env_float(name: str, default: float) -> float:
    """Return a float environment variable; a malformed value falls back to the default."""
    try:
        return float(env_str(name, str(default)))
    except ValueError:
        return default


def env_bool(name: str, default: bool) -> bool:
    """Return a boolean environment variable (1/true/yes/on)."""
    raw = env_str(name, "")
    if not raw:
        return default
    return raw.lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    """A comma- or space-separated environment variable as a list (empty when unset)."""
    return env_str(name, "").replace(",", " ").split()


def public_base_url(value: str) -> str:
    """PUBLIC_BASE_URL checked and without its trailing slash ("" when unset).

    Every absolute link is this base plus a path, so it must be a bare http(s) origin, with an
    optional path prefix: a query, fragment or credentials would corrupt every link.
    """
    if not value:
        return ""
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.query
        or parts.fragment
    ):
        raise RuntimeError(
            f"PUBLIC_BASE_URL must look like https://coach.example (got {value!r}): the "
            "address people reach the site at, without query, fragment or credentials"
        )
    return value.rstrip("/")


def check_base_is_trusted(base: str, trusted_hosts: list[str] | None) -> None:
    """Refuse a PUBLIC_BASE_URL whose own host TRUSTED_HOSTS would answer with 400."""
    host = urlsplit(base).hostname
    if host and trusted_hosts and not host_is_trusted(host, trusted_hosts):
        raise RuntimeError(f"TRUSTED_HOSTS must include the host of PUBLIC_BASE_URL ({host})")


def normalise_database_url(url: str) -> str:
    """Point plain ``postgres://`` URLs at the psycopg 3 driver SQLAlchemy needs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(url: str) -> dict[str, Any]:
    """Connection-pool settings for the database at `url`.

    The pool keeps DATABASE_POOL_SIZE connections open; connections beyond it are closed when
    returned, so it should cover the requests a worker runs at once (with SQLAlchemy's default
    of five, eight busy threads kept opening and closing connections). Each checkout is pinged,
    so a restarted database server, or a SQLite connection closed under the pool, costs no
    request (tests/faults/test_database_drop.py). In-memory SQLite keeps its one shared
    connection.
    """
    if url.startswith("sqlite") and (":memory:" in url or url in {"sqlite:", "sqlite://"}):
        return {}
    options: dict[str, Any] = {
        "pool_pre_ping": True,
        "pool_size": env_int("DATABASE_POOL_SIZE", 10),
        "max_overflow": env_int("DATABASE_MAX_OVERFLOW", 20),
    }
    if url.startswith("sqlite"):
        # SQLite lets one writer in at a time; the others wait up to this long for their turn.
        # The driver's 5 s default turned a burst of 50 candidates into "database is locked".
        options["connect_args"] = {"timeout": env_float("SQLITE_BUSY_TIMEOUT_S", 30.0)}
    return options


def rate_limit_storage_options(uri: str, timeout_s: float) -> dict[str, Any]:
    """Options for the rate-limit storage at `uri`: Redis gets connect and read timeouts, since
    without them a Redis that accepts connections but never answers holds a request forever and
    the in-memory fallback never starts."""
    if not uri.startswith("redis"):
        return {}
    return {"socket_connect_timeout": timeout_s, "socket_timeout": timeout_s}


# Per-task defaults: (timeout in seconds, output-token cap, thinking budget in tokens). A follow-up
# is asked while the candidate waits, so it is fast and thinks little; grading reads every answer
# and writes feedback for each, so it gets the most time, room and thought.
AI_TASK_DEFAULTS: dict[str, tuple[float, int, int]] = {
    "PLAN": (45.0, 8_192, 1_024),
    "FOLLOW_UP": (15.0, 1_024, 0),
    "EVALUATE": (60.0, 8_192, 2_048),
    "SUMMARISE": (30.0, 4_096, 512),
}


# The AI router's retry and cool-down tuning and the prompts' character budgets: the config keys
# and their defaults, written here once. `RouterSettings` and `PromptLimits` (app/ai), which run
# without Flask too, take their defaults from these tables.
AI_ROUTER_DEFAULTS: dict[str, float] = {
    "AI_TIMEOUT_S": 30.0,
    "AI_MAX_ATTEMPTS": 3,
    "AI_DEADLINE_S": 90.0,
    "AI_BACKOFF_BASE_S": 0.5,
    "AI_BACKOFF_MAX_S": 8.0,
    "AI_COOLDOWN_S": 60.0,
    "AI_COOLDOWN_FAILURES": 3,
}
PROMPT_BUDGET_DEFAULTS: dict[str, int] = {
    "PROMPT_RESUME_MAX_CHARS": 6_000,
    "PROMPT_JD_MAX_CHARS": 4_000,
    "PROMPT_ANSWER_MAX_CHARS": 3_000,
}


def jobs_url() -> str:
    """Where the job queue lives: JOBS_URL, else the Redis of REDIS_URL, else a SQLite file."""
    return env_str("JOBS_URL", env_str("REDIS_URL", f"sqlite:///{INSTANCE_DIR / 'jobs.sqlite3'}"))


class Config:
    """Settings shared by every environment; subclasses adjust a few."""

    def __init__(self) -> None:
        self.SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            env_str("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'interview_coach.sqlite3'}")
        )
        self.MAX_CONTENT_LENGTH = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
        # Absolute links (recruiter API, webhooks) start with PUBLIC_BASE_URL; without it they
        # use the request's host, which only TRUSTED_HOSTS (Flask answers 400 to any other Host)
        # or TRUST_REQUEST_HOST — development and tests only — make safe to use.
        self.PUBLIC_BASE_URL = public_base_url(env_str("PUBLIC_BASE_URL", ""))
        self.TRUSTED_HOSTS: list[str] | None = env_list("TRUSTED_HOSTS") or None
        check_base_is_trusted(self.PUBLIC_BASE_URL, self.TRUSTED_HOSTS)
        self.TRUST_REQUEST_HOST = True

        self.WTF_CSRF_ENABLED = True
        self.WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the login session
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        # "Remember me" (and any sign-in, on the server) lasts this long at most.
        self.REMEMBER_COOKIE_DURATION = timedelta(days=env_int("REMEMBER_DAYS", 14))

        self.RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
        self.RATELIMIT_STORAGE_URI = env_str("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_HEADERS_ENABLED = True
        # Redis down (or hung) must not take sign-in and the API with it: after a wait of at most
        # RATELIMIT_STORAGE_TIMEOUT_S, limits are counted in process memory (logged as a
        # warning) and go back to the shared storage once it answers a periodic check again.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_STORAGE_TIMEOUT_S = env_float("RATELIMIT_STORAGE_TIMEOUT_S", 1.0)
        # Registrations per address; failed sign-ins per account from one address.
        self.LOGIN_LIMIT = env_str("LOGIN_LIMIT", "10 per minute")
        self.LOGIN_ACCOUNT_LIMIT = env_str("LOGIN_ACCOUNT_LIMIT", "50 per hour")
        self.LOGIN_IP_LIMIT = env_str("LOGIN_IP_LIMIT", "100 per hour")
        self.INVALID_CREDENTIAL_LIMIT = env_str("INVALID_CREDENTIAL_LIMIT", "20 per minute")
        self.SESSION_CREATE_LIMIT_PER_IP = env_str("SESSION_CREATE_LIMIT_PER_IP", "5 per minute")
        self.SESSION_CREATE_LIMIT_GLOBAL = env_str("SESSION_CREATE_LIMIT_GLOBAL", "5 per second")
        self.RECRUITER_API_LIMIT = env_str("RECRUITER_API_LIMIT", "120 per minute")
        self.UPLOAD_LIMIT_PER_IP = env_str("UPLOAD_LIMIT_PER_IP", "10 per minute")
        self.TRANSCRIBE_LIMIT_PER_IP = env_str("TRANSCRIBE_LIMIT_PER_IP", "20 per minute")

        self.ANSWER_MAX_CHARS = env_int("ANSWER_MAX_CHARS", 10_000)
        self.FOLLOW_UPS_PER_QUESTION = max(0, min(2, env_int("FOLLOW_UPS_PER_QUESTION", 1)))
        self.RESUME_MIN_CHARS = 50
        self.RESUME_MAX_CHARS = env_int("RESUME_MAX_CHARS", 200_000)
        # PDF and Word files are read in a child process limited to this memory and time.
        self.EXTRACT_TIMEOUT_S = env_float("EXTRACT_TIMEOUT_S", 10.0)
        self.EXTRACT_MEMORY_MB = env_int("EXTRACT_MEMORY_MB", 768)
        self.EXTRACT_CONCURRENCY = env_int("EXTRACT_CONCURRENCY", 2)
        for key, chars in PROMPT_BUDGET_DEFAULTS.items():
            setattr(self, key, env_int(key, chars))
        self.REPORT_LINK_TTL_S = env_int("REPORT_LINK_TTL_S", 24 * 3600)
        self.PDF_CJK_FONT = env_str("PDF_CJK_FONT", "")

        self.AI_PROVIDERS = env_str("AI_PROVIDERS", "")  # empty: keyed remotes, then offline
        ai = AI_ROUTER_DEFAULTS
        self.AI_TIMEOUT_S = env_float("AI_TIMEOUT_S", ai["AI_TIMEOUT_S"])
        self.AI_MAX_ATTEMPTS = max(1, env_int("AI_MAX_ATTEMPTS", int(ai["AI_MAX_ATTEMPTS"])))
        self.AI_DEADLINE_S = env_float("AI_DEADLINE_S", ai["AI_DEADLINE_S"])
        self.AI_BACKOFF_BASE_S = env_float("AI_BACKOFF_BASE_S", ai["AI_BACKOFF_BASE_S"])
        self.AI_BACKOFF_MAX_S = env_float("AI_BACKOFF_MAX_S", ai["AI_BACKOFF_MAX_S"])
        self.AI_COOLDOWN_S = env_float("AI_COOLDOWN_S", ai["AI_COOLDOWN_S"])
        self.AI_COOLDOWN_FAILURES = max(
            1, env_int("AI_COOLDOWN_FAILURES", int(ai["AI_COOLDOWN_FAILURES"]))
        )
        # AI_TIMEOUT_S, when set, is every task's timeout unless AI_<TASK>_TIMEOUT_S says otherwise.
        shared_timeout = env_str("AI_TIMEOUT_S", "")
        for task, (timeout, tokens, thinking) in AI_TASK_DEFAULTS.items():
            key = f"AI_{task}_"
            default = self.AI_TIMEOUT_S if shared_timeout else timeout
            setattr(self, key + "TIMEOUT_S", env_float(key + "TIMEOUT_S", default))
            setattr(self, key + "MAX_OUTPUT_TOKENS", env_int(key + "MAX_OUTPUT_TOKENS", tokens))
            setattr(self, key + "THINKING_BUDGET", env_int(key + "THINKING_BUDGET", thinking))
        # Speech to text for answers given by voice (openai_compatible, gemini or local); an
        # empty provider means typing only. For `local`, TRANSCRIBE_MODEL is a model directory.
        self.TRANSCRIBE_PROVIDER = env_str("TRANSCRIBE_PROVIDER", "")
        self.TRANSCRIBE_BASE_URL = env_str("TRANSCRIBE_BASE_URL", "")
        self.TRANSCRIBE_MODEL = env_str("TRANSCRIBE_MODEL", "")
        self.TRANSCRIBE_API_KEY = env_str("TRANSCRIBE_API_KEY", "")
        self.AI_TRANSCRIBE_TIMEOUT_S = env_float(
            "AI_TRANSCRIBE_TIMEOUT_S", self.AI_TIMEOUT_S if shared_timeout else 60.0
        )
        self.AUDIO_MAX_BYTES = env_int("AUDIO_MAX_BYTES", 8 * 1024 * 1024)
        self.AUDIO_MAX_SECONDS = env_int("AUDIO_MAX_SECONDS", 300)
        # Days a spoken answer's audio is kept after transcription (0: discarded at once), where
        # (several app servers need one shared directory), and how long a recruiter's signed
        # link to one recording works.
        self.AUDIO_RETENTION_DAYS = max(0, env_int("AUDIO_RETENTION_DAYS", 0))
        self.RECORDINGS_DIR = env_str("RECORDINGS_DIR", str(INSTANCE_DIR / "recordings"))
        self.RECORDING_LINK_TTL_S = env_int("RECORDING_LINK_TTL_S", 3600)
        self.GEMINI_API_KEY = env_str("GEMINI_API_KEY", "")
        # A generally available Flash model (gemini-2.5-flash was shut down in 2026).
        self.GEMINI_MODEL = env_str("GEMINI_MODEL", "gemini-3.8-flash")
        self.GEMINI_BASE_URL = env_str("GEMINI_BASE_URL", "")
        self.GEMINI_API_VERSION = env_str("GEMINI_API_VERSION", "")
        self.OPENROUTER_API_KEY = env_str("OPENROUTER_API_KEY", "")
        self.OPENROUTER_MODEL = env_str("OPENROUTER_MODEL", "google/gemini-3.8-flash")
        self.OPENROUTER_BASE_URL = env_str("OPENROUTER_BASE_URL", "https://openrouter.ai/api/v1")
        self.OPENAI_COMPAT_BASE_URL = env_str("OPENAI_COMPAT_BASE_URL", "")
        self.OPENAI_COMPAT_MODEL = env_str("OPENAI_COMPAT_MODEL", "")  # required with the URL
        self.OPENAI_COMPAT_API = env_str("OPENAI_COMPAT_API", "auto")  # auto | openai | ollama
        # Context window per provider, e.g. "openai_compatible=32768"; defaults in the providers.
        self.AI_CONTEXT_TOKENS = env_str("AI_CONTEXT_TOKENS", "")
        self.OPENAI_COMPAT_API_KEY = env_str("OPENAI_COMPAT_API_KEY", "")

        self.WEBHOOK_TIMEOUT_S = env_float("WEBHOOK_TIMEOUT_S", 10.0)
        self.WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 5)
        self.WEBHOOK_BACKOFF_BASE_S = env_float("WEBHOOK_BACKOFF_BASE_S", 5.0)
        self.WEBHOOK_BACKOFF_MAX_S = env_float("WEBHOOK_BACKOFF_MAX_S", 60.0)
        # Private and loopback receivers are refused unless allowed (e.g. a local test receiver).
        self.WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
        # Certificate authorities trusted for https receivers ("" = the certifi bundle).
        self.WEBHOOK_CA_BUNDLE = env_str("WEBHOOK_CA_BUNDLE", "")
        self.EVALUATION_CLAIM_STALE_S = env_int("EVALUATION_CLAIM_STALE_S", 300)

        self.JOBS_URL = jobs_url()
        self.JOBS_WORKERS = max(1, env_int("JOBS_WORKERS", 4))
        self.JOBS_LEASE_S = env_float("JOBS_LEASE_S", 300.0)
        self.JOBS_MAX_RUNS = max(1, env_int("JOBS_MAX_RUNS", 3))
        self.JOBS_KEEP_DAYS = env_float("JOBS_KEEP_DAYS", 7.0)
        # A grading job that has not stored its grade by then is presumed dead; the evaluation
        # grades the answer itself.
        self.GRADING_CLAIM_STALE_S = env_float("GRADING_CLAIM_STALE_S", 120.0)
        self.COMPLETE_WAIT_S = env_float("COMPLETE_WAIT_S", 20.0)
        # A JSON client creating an interview waits this long for its questions (else 202).
        self.PLAN_WAIT_S = env_float("PLAN_WAIT_S", 20.0)
        # A remote provider gets this long to word a follow-up; then the offline wording is used.
        self.FOLLOW_UP_WAIT_S = env_float("FOLLOW_UP_WAIT_S", 1.0)


class DevelopmentConfig(Config):
    """`make run`: SQLite under instance/, offline AI unless keys are set."""

    def __init__(self) -> None:
        super().__init__()
        self.DEBUG = env_bool("FLASK_DEBUG", False)


class TestingConfig(Config):
    """Tests: in-memory SQLite, no CSRF or rate limits unless a test turns them on, offline AI."""

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "testing-secret-key"  # noqa: S105
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            env_str("TEST_DATABASE_URL", env_str("DATABASE_URL", "sqlite://"))
        )
        self.WTF_CSRF_ENABLED = False
        self.RATELIMIT_ENABLED = False
        self.RATELIMIT_STORAGE_URI = env_str("RATELIMIT_STORAGE_URI", "memory://")
        self.AI_PROVIDERS = "offline"
        self.TRANSCRIBE_PROVIDER = ""  # voice tests configure their own engine
        self.AI_TRANSCRIBE_TIMEOUT_S = 5.0
        self.AI_BACKOFF_BASE_S = 0.01
        self.AI_BACKOFF_MAX_S = 0.05
        self.AI_TIMEOUT_S = 5.0
        self.AI_DEADLINE_S = 10.0
        for task in AI_TASK_DEFAULTS:
            setattr(self, f"AI_{task}_TIMEOUT_S", 5.0)
        # Jobs run where they are enqueued unless a test brings its own queue and worker.
        self.JOBS_URL = env_str("TEST_JOBS_URL", "immediate")


class ProductionConfig(Config):
    """Production: a real SECRET_KEY is required and cookies are Secure."""

    def __init__(self) -> None:
        super().__init__()
        if self.SECRET_KEY in ("", DEV_SECRET_KEY) or len(self.SECRET_KEY) < 16:
            raise RuntimeError(
                "SECRET_KEY must be set to a long random value when APP_ENV=production"
            )
        self.SESSION_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_SECURE = True
        self.PREFERRED_URL_SCHEME = "https"
        # Anyone can send any Host header: links need PUBLIC_BASE_URL or TRUSTED_HOSTS here.
        self.TRUST_REQUEST_HOST = False
        if not (self.PUBLIC_BASE_URL or self.TRUSTED_HOSTS):
            log.warning(
                "Neither PUBLIC_BASE_URL nor TRUSTED_HOSTS is set: the recruiter API will refuse "
                "requests and hold back webhooks until one is"
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None) -> Config:
    """Build the config object for an environment name (default: APP_ENV, else development)."""
    key = (name or env_str("APP_ENV", "development")).lower()
    if key not in CONFIGS:
        raise RuntimeError(f"Unknown APP_ENV {key!r}; use development, testing or production")
    return CONFIGS[key]()
