"""Interview plans: create, list and read a recruiter's own plans, and their JSON shape.

A plan is what the recruiter interviews for; every invited candidate takes an interview planned
from its job description and skills. When the recruiter names no skills they are read from the job
description by the offline extractor (must-haves from requirements, nice-to-haves from
"preferred" lines), so the report's skill_wise_scores always have something to score.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.models import ApiToken, InterviewPlan, User
from app.recruiter import payload
from app.responses import iso
from app.sessions.services import (
    DEFAULT_QUESTIONS,
    JD_MAX_CHARS,
    JD_MIN_CHARS,
    MAX_QUESTIONS,
    MIN_QUESTIONS,
)

PLAN_NOT_FOUND = "AI interview not found"
MAX_DERIVED_MUST, MAX_DERIVED_NICE = 12, 8


def derive_skills(job_description: str) -> tuple[list[str], list[str]]:
    """Must-have and nice-to-have skills read from a job description; every skill it names, as
    must-haves, when it has no requirement structure to split on."""
    from app.ai.coach import extract_skills, split_requirements

    must, nice = split_requirements(job_description)
    if not must and not nice:
        must = extract_skills(job_description)
    return must[:MAX_DERIVED_MUST], [s for s in nice if s not in must][:MAX_DERIVED_NICE]


def plan_language(body: dict[str, Any], job_description: str) -> str:
    """The interview language: as given, else the job description's."""
    language = payload.text(body, "language", max_len=5, required=False)
    if language is None:
        from app.ai.coach import detect_language

        return detect_language(job_description)
    if language not in ("en", "zh"):
        raise ValidationFailed('language must be "en" or "zh".')
    return language


def create_plan(
    owner: User, body: dict[str, Any], api_key: ApiToken | None = None
) -> InterviewPlan:
    """A new plan from the API's JSON body (validated; skills derived when omitted).

    `api_key` is the key that created it; its webhook secret signs the plan's notifications.
    """
    name = payload.text(body, "name", max_len=200)
    job_role = payload.text(body, "job_role", max_len=200)
    job_description = payload.text(body, "job_description", max_len=JD_MAX_CHARS) or ""
    if len(job_description) < JD_MIN_CHARS:
        raise ValidationFailed(
            f"job_description must be {JD_MIN_CHARS}–{JD_MAX_CHARS:,} characters."
        )
    must = payload.skills(body, "must_haves")
    nice = payload.skills(body, "nice_to_haves")
    if must is None or nice is None:
        derived_must, derived_nice = derive_skills(job_description)
        must = derived_must if must is None else must
        nice = [s for s in derived_nice if s not in must] if nice is None else nice
    plan = InterviewPlan(
        owner_id=owner.id,
        api_token_id=api_key.id if api_key is not None else None,
        name=name,
        job_role=job_role,
        job_description=job_description,
        must_haves=must,
        nice_to_haves=nice,
        question_count=payload.integer(
            body, "question_count", low=MIN_QUESTIONS, high=MAX_QUESTIONS, default=DEFAULT_QUESTIONS
        ),
        language=plan_language(body, job_description),
        notification_url=payload.webhook_url(body, "notification_url"),
    )
    db.session.add(plan)
    db.session.flush()
    return plan


def list_plans(owner: User) -> list[InterviewPlan]:
    """The recruiter's plans, newest first."""
    return list(
        db.session.scalars(
            sa.select(InterviewPlan)
            .where(InterviewPlan.owner_id == owner.id)
            .order_by(InterviewPlan.created_at.desc(), InterviewPlan.id.desc())
        )
    )


def get_plan(owner: User, plan_id: int) -> InterviewPlan:
    """One of the recruiter's plans; another recruiter's is simply not found."""
    plan = db.session.get(InterviewPlan, plan_id)
    if plan is None or plan.owner_id != owner.id:
        raise NotFound(PLAN_NOT_FOUND)
    return plan


def plan_json(plan: InterviewPlan) -> dict[str, Any]:
    """A plan as the API returns it."""
    return {
        "ai_interview_id": plan.id,
        "name": plan.name,
        "job_role": plan.job_role,
        "job_description": plan.job_description,
        "must_haves": list(plan.must_haves or []),
        "nice_to_haves": list(plan.nice_to_haves or []),
        "question_count": plan.question_count,
        "language": plan.language,
        "notification_url": plan.notification_url,
        "created_at": iso(plan.created_at),
    }
