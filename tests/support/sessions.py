"""Interview rows in one call, committed: CVs, sessions with planned questions, invites and
kept recordings, over a realistic CV and job description."""

from __future__ import annotations

from app.documents.services import content_hash
from app.extensions import db
from app.models import Resume, User
from tests.support.users import make_user

SAMPLE_CV = """Jane Doe — Senior Backend Engineer
jane@example.com

Experience
Acme Corp, Senior Backend Engineer (2019–2024)
- Built a payments API in Python and Flask serving 2,000 requests/s on PostgreSQL and Redis.
- Led the migration of 12 services to Docker and Kubernetes, cutting deploy time by 70%.
Globex, Software Engineer (2016–2019)
- Wrote Kafka consumers in Java and tuned JVM garbage collection.

Skills: Python, Flask, PostgreSQL, Redis, Docker, Kubernetes, Kafka, Java, AWS
"""

SAMPLE_JD = """We are hiring a Backend Engineer to build our payments platform.

Requirements:
- 4+ years of Python and a web framework such as Flask or Django
- Strong SQL and PostgreSQL, including indexing and transactions
- Experience with Redis caching and message queues such as Kafka
- Docker and Kubernetes in production

Nice to have:
- AWS experience
- Go
"""


def make_resume(user: User, text: str = SAMPLE_CV, title: str = "My CV") -> Resume:
    """A pasted-text CV in the user's library."""
    resume = Resume(
        user_id=user.id,
        title=title,
        filename="",
        content_type="text/plain",
        text=text,
        content_hash=content_hash(text),
    )
    db.session.add(resume)
    db.session.commit()
    return resume


def make_session(
    user: User,
    *,
    status: str = "CREATED",
    answers: list[str | None] | None = None,
    language: str = "en",
    job_description: str = SAMPLE_JD,
    questions: list[dict] | None = None,
):
    """A session with planned questions; `answers[i]` answers question i (None leaves it open).

    Status follows the answers unless given: all answered → COMPLETED, some → IN_PROGRESS.
    """
    from app.models import InterviewSession, Question, utcnow

    planned = questions or default_questions(len(answers) if answers else 3)
    session = InterviewSession(
        user_id=user.id,
        job_title="Backend Engineer",
        company_name="Acme",
        job_description=job_description,
        resume_text=SAMPLE_CV,
        question_count=len(planned),
        language=language,
        status=status,
        provider="offline",
        model="offline-interviewer",
        must_haves=["Python", "PostgreSQL", "Redis"],
        nice_to_haves=["AWS"],
        planned_at=utcnow(),
    )
    db.session.add(session)
    db.session.flush()
    for position, spec in enumerate(planned, start=1):
        question = Question(session_id=session.id, position=position, asked_at=utcnow(), **spec)
        answer = (answers or [None] * len(planned))[position - 1] if answers else None
        if answer is not None:
            question.answer_text = answer
            question.answered_at = utcnow()
            question.time_spent_ms = 60_000
            question.paste_chars = 0
            question.tab_switches = 0
        db.session.add(question)
    if answers and status == "CREATED":
        answered = [a for a in answers if a is not None]
        session.status = "COMPLETED" if len(answered) == len(planned) else "IN_PROGRESS"
        session.started_at = utcnow()
        if session.status == "COMPLETED":
            session.completed_at = utcnow()
    db.session.commit()
    return session


def default_questions(count: int) -> list[dict]:
    """Realistic planned questions with reference answers and key points."""
    bank = [
        {
            "text": "How does a B-tree index speed up PostgreSQL queries, and when is it unused?",
            "category": "Databases",
            "skill": "PostgreSQL",
            "kind": "technical",
            "difficulty": "medium",
            "reference_answer": "A B-tree keeps keys sorted in a balanced tree so lookups, "
            "range scans and ORDER BY take O(log n). The planner skips it when a query reads a "
            "large share of the table, when the column is wrapped in a function, or for "
            "leading-wildcard LIKE.",
            "key_points": [
                "balanced sorted tree gives O(log n) lookups",
                "supports range scans and ordering",
                "planner skips it for low selectivity",
                "functions on the column or leading wildcards prevent its use",
            ],
        },
        {
            "text": "Tell me about a time you disagreed with a teammate on a technical decision.",
            "category": "Behavioral",
            "skill": "Teamwork",
            "kind": "behavioral",
            "difficulty": "medium",
            "reference_answer": "Situation and task in a sentence each, the actions you took to "
            "understand their view and decide with data, and a measurable result.",
            "key_points": [
                "situation: the context and the disagreement",
                "task: what you were responsible for",
                "action: how you listened, gathered data and decided",
                "result: the outcome with a number",
            ],
        },
        {
            "text": "How would you cache PostgreSQL reads in Redis without serving stale data?",
            "category": "Caching",
            "skill": "Redis",
            "kind": "technical",
            "difficulty": "medium",
            "reference_answer": "Use cache-aside: read from Redis, on a miss read the database and "
            "set the key with a TTL. On writes update the database then delete the key. TTLs bound "
            "staleness; guard hot keys against stampedes with locks or early refresh.",
            "key_points": [
                "cache-aside read path with TTL",
                "invalidate by deleting the key after the database write",
                "TTL bounds staleness",
                "prevent cache stampede on hot keys",
            ],
        },
    ]
    return [dict(bank[i % len(bank)]) for i in range(count)]


def make_invite(session) -> None:
    """Mark `session` as taken through a recruiter's invite: a plan, and an invite naming it."""
    from app.models import InterviewPlan, Invite

    recruiter = make_user(f"recruiter-{session.id}@example.com")
    plan = InterviewPlan(owner_id=recruiter.id, name="Backend", job_description=SAMPLE_JD)
    db.session.add(plan)
    db.session.flush()
    db.session.add(
        Invite(
            plan_id=plan.id,
            owner_id=recruiter.id,
            candidate_name="Ada",
            candidate_email="ada@example.com",
            candidate_id=session.user_id,
            token_hash=f"{session.id:064d}",
            status="Completed",
            session_id=session.id,
        )
    )
    db.session.commit()


def make_recording(session, question, directory, *, data: bytes = b"", days: float = 7.0):
    """A kept recording of `question` with its file in `directory` (which the app's
    RECORDINGS_DIR must name), expiring `days` from now (negative: already expired)."""
    import secrets
    from datetime import timedelta
    from pathlib import Path

    from app.models import Recording, utcnow
    from tests.fixtures.audio import make_wav

    audio = data or make_wav(1.0)
    name = f"{secrets.token_urlsafe(24)}.wav"
    Path(directory).mkdir(parents=True, exist_ok=True)
    (Path(directory) / name).write_bytes(audio)
    now = utcnow()
    recording = Recording(
        session_id=session.id,
        question_id=question.id,
        file_name=name,
        content_type="audio/wav",
        size_bytes=len(audio),
        duration_s=1.0,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(recording)
    db.session.commit()
    return recording
