"""CV library logic: store CV text once per user, look it up, delete it."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import current_app

from app.documents.extract import TEXT, extract_document, normalise_text
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.models import Resume, User

RESUME_REQUIRED = {"en": "Resume text is required", "zh": "简历文本不能为空"}
RESUME_TOO_SHORT = {
    "en": "The CV needs at least {n} characters of text.",
    "zh": "简历文本至少需要{n}个字符",
}


def content_hash(text: str) -> str:
    """Identity of a CV's content, ignoring whitespace differences."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def check_resume_text(text: str, language: str = "en") -> str:
    """Normalised CV text, or a ValidationFailed in the user's language."""
    clean = normalise_text(text or "")
    if not clean:
        raise ValidationFailed(RESUME_REQUIRED.get(language, RESUME_REQUIRED["en"]))
    minimum = current_app.config["RESUME_MIN_CHARS"]
    if len(clean) < minimum:
        raise ValidationFailed(
            RESUME_TOO_SHORT.get(language, RESUME_TOO_SHORT["en"]).format(n=minimum)
        )
    return clean


def store_resume(
    user: User,
    text: str,
    *,
    filename: str = "",
    content_type: str = TEXT,
    title: str = "",
    language: str = "en",
) -> tuple[Resume, bool]:
    """Save CV text for a user; the same content again returns the existing row (created=False)."""
    clean = check_resume_text(text, language)
    digest = content_hash(clean)
    existing = find_same_resume(user, clean)
    if existing is not None:
        return existing, False
    resume = Resume(
        user_id=user.id,
        title=(title or default_title(filename, clean))[:200],
        filename=filename[:255],
        content_type=content_type,
        text=clean,
        content_hash=digest,
    )
    db.session.add(resume)
    db.session.flush()
    return resume, True


def find_same_resume(user: User, text: str) -> Resume | None:
    """The user's CV with this content (whitespace aside), if it was saved before."""
    digest = content_hash(text)
    return db.session.scalar(
        sa.select(Resume).where(Resume.user_id == user.id, Resume.content_hash == digest)
    )


def store_uploaded_resume(
    user: User, data: bytes, filename: str, title: str = "", language: str = "en"
) -> tuple[Resume, bool]:
    """Extract an uploaded file's text and store it."""
    document = extract_document(data, filename)
    return store_resume(
        user,
        document.text,
        filename=filename,
        content_type=document.content_type,
        title=title,
        language=language,
    )


def default_title(filename: str, text: str) -> str:
    """A title from the file name, else from the CV's first line."""
    if filename:
        return filename.rsplit(".", 1)[0]
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "CV")
    return first_line[:80]


def list_resumes(user: User) -> list[Resume]:
    """The user's CVs, newest first."""
    return list(
        db.session.scalars(
            sa.select(Resume)
            .where(Resume.user_id == user.id)
            .order_by(Resume.created_at.desc(), Resume.id.desc())
        )
    )


def get_resume(user: User, resume_id: int) -> Resume:
    """One of the user's CVs: 404 when missing or someone else's (the two answer alike)."""
    resume = db.session.get(Resume, resume_id)
    if resume is None or resume.user_id != user.id:
        raise NotFound("Resume not found")
    return resume


def delete_resume(user: User, resume_id: int) -> None:
    """Delete one of the user's CVs (sessions made from it keep their own copy of the text)."""
    db.session.delete(get_resume(user, resume_id))
