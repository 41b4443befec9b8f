"""Row factories: build a realistic row in one call, flushed and committed."""

from __future__ import annotations

from app.documents.services import content_hash
from app.extensions import db
from app.models import Resume, User

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


def make_user(email: str = "user@example.com", password: str = "password123", **fields) -> User:
    """A user with a known password."""
    user = User(email=email, name=fields.pop("name", "Test User"), **fields)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


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
