"""The planner: exact counts, must-haves first, the mix of kinds, history, seniority, languages."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path

import pytest

from app.ai.offline import plan_questions
from app.ai.offline import planner as planner_module
from app.ai.offline.bank import Bank
from app.ai.offline.plan_context import seniority_level
from app.ai.offline.requirements import requirement_groups, requirement_skills
from app.ai.offline.taxonomy import has_cjk
from app.ai.schemas import PlanRequest

PAIRS = Path(__file__).parent / "pairs"
EXPECT = json.loads((PAIRS / "pairs.json").read_text(encoding="utf-8"))


def pair_request(slug: str, count: int = 8, **changes) -> PlanRequest:
    """The plan request for one CV/job pair of tests/offline/pairs."""
    meta = EXPECT[slug]
    fields = {
        "resume_text": (PAIRS / f"{slug}.resume.txt").read_text(encoding="utf-8"),
        "job_description": (PAIRS / f"{slug}.job.txt").read_text(encoding="utf-8"),
        "job_title": meta["title"],
        "count": count,
        "language": meta["language"],
    }
    fields.update(changes)
    return PlanRequest(**fields)


def must_have_share(slug: str, count: int = 8) -> float:
    """Share of planned questions whose skill is one of the job's must-haves."""
    request = pair_request(slug, count)
    must = {skill.name for skill in requirement_skills(request.job_description)[0]}
    plan = plan_questions(request)
    return sum(q.skill in must for q in plan.questions) / len(plan.questions)


@pytest.mark.parametrize("count", [1, 3, 5, 8, 13, 20])
@pytest.mark.parametrize("slug", ["backend-java", "zh-backend", "zh-frontend", "junior-python"])
def test_plan_has_exactly_count_distinct_questions(slug, count):
    """Exactly `count` questions, never the same one twice."""
    plan = plan_questions(pair_request(slug, count))
    assert len(plan.questions) == count
    assert len({q.text for q in plan.questions}) == count


def test_same_inputs_give_the_same_plan():
    """Planning is deterministic."""
    first = plan_questions(pair_request("go-microservices"))
    second = plan_questions(pair_request("go-microservices"))
    assert first == second


def test_questions_seen_before_are_not_repeated():
    """A second session avoids every question of the first."""
    first = plan_questions(pair_request("backend-java"))
    seen = [q.text for q in first.questions]
    second = plan_questions(pair_request("backend-java", avoid_questions=seen))
    assert len(second.questions) == 8
    assert not {q.text for q in second.questions} & set(seen)


def test_plan_is_complete_even_when_everything_was_seen(monkeypatch):
    """With the whole bank in the history, the plan still has `count` questions."""
    every = [q.text for q in planner_module.load_bank().questions]
    plan = plan_questions(pair_request("backend-java", 20, avoid_questions=every))
    assert len(plan.questions) == 20


def test_plan_is_complete_with_an_empty_bank(monkeypatch):
    """Even with no bank at all, questions about the CV's own work fill the plan."""
    monkeypatch.setattr(planner_module, "load_bank", lambda: Bank([]))
    plan = plan_questions(pair_request("backend-java", 20))
    assert len(plan.questions) == 20
    assert {q.kind for q in plan.questions} == {"project"}


def test_must_haves_come_first():
    """The first technical question targets a must-have, and the top must-haves are covered."""
    plan = plan_questions(pair_request("backend-java"))
    technical = [q for q in plan.questions if q.kind in ("technical", "coding", "situational")]
    assert technical[0].skill == "Java"
    assert {"Java", "Spring Boot"} <= {q.skill for q in technical}


def test_mix_is_mostly_technical_with_behavioral_and_project_questions():
    """About 60% technical, 25% behavioral, 15% about the CV's own work."""
    kinds = Counter(q.kind for q in plan_questions(pair_request("backend-java", 20)).questions)
    assert kinds["project"] == 3
    assert kinds["behavioral"] + kinds["situational"] >= 5
    assert kinds["technical"] + kinds["coding"] + kinds["situational"] >= 10


def test_project_questions_come_from_the_cv():
    """Project questions name the CV's employer and what the candidate did there."""
    plan = plan_questions(pair_request("backend-java"))
    projects = [q for q in plan.questions if q.kind == "project"]
    assert projects
    question = projects[0]
    assert "Northwind Payments" in question.text or "Contoso Retail" in question.text
    assert 3 <= len(question.key_points) <= 6
    assert len(question.reference_answer.split()) >= 60


def test_explicit_must_haves_override_the_job_description():
    """Must-haves given by the caller decide what comes first."""
    plan = plan_questions(pair_request("backend-java", must_haves=["Redis"]))
    technical = [q for q in plan.questions if q.kind != "project" and q.kind != "behavioral"]
    assert technical[0].skill == "Redis"


@pytest.mark.parametrize("slug", sorted(EXPECT))
def test_seniority_is_read_from_title_years_and_cv(slug):
    """Junior, mid and senior roles are told apart."""
    request = pair_request(slug)
    level = seniority_level(request.job_title, request.job_description, request.resume_text)
    assert level == EXPECT[slug]["level"]


def test_difficulty_follows_seniority():
    """A graduate role gets easier questions than a senior one."""
    rank = {"easy": 0, "medium": 1, "hard": 2}
    junior = plan_questions(pair_request("junior-python")).questions
    senior = plan_questions(pair_request("backend-java")).questions
    assert statistics.mean(rank[q.difficulty] for q in junior) < statistics.mean(
        rank[q.difficulty] for q in senior
    )
    assert "hard" not in {q.difficulty for q in junior if q.kind == "project"}


@pytest.mark.parametrize("slug", ["zh-backend", "zh-frontend"])
def test_chinese_interviews_get_chinese_questions(slug):
    """A zh plan asks in Chinese, even for a stack the Chinese bank covers thinly."""
    plan = plan_questions(pair_request(slug))
    assert all(has_cjk(q.text) for q in plan.questions)
    assert all(has_cjk(q.reference_answer) for q in plan.questions)


def test_planned_questions_target_must_haves_across_pairs():
    """Over all pairs, most questions target a must-have skill (figure reported by the bench)."""
    shares = {slug: must_have_share(slug) for slug in EXPECT}
    assert statistics.mean(shares.values()) >= 0.5, shares


def test_a_kept_reading_of_a_job_is_not_changed_by_what_a_caller_does_with_it():
    """The job's reading is kept between calls; a caller changing its lists changes no later
    reading of the same job."""
    job = "Requirements:\n- 5+ years with Python and PostgreSQL\n- Kubernetes in production\n"
    must, nice = requirement_skills(job)
    groups = requirement_groups(job)
    first = ([s.name for s in must], [[s.name for s in g] for g in groups])
    must.clear()
    nice.append(must[0] if must else None)
    groups[0].clear()
    again_must, again_nice = requirement_skills(job)
    again_groups = requirement_groups(job)
    assert [s.name for s in again_must] == first[0] and again_nice == []
    assert [[s.name for s in g] for g in again_groups] == first[1]
