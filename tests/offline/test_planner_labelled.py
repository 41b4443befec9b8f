"""The planner against hand-labelled jobs: every must-have group asked about, in the job's stack."""

from __future__ import annotations

import pytest

from app.ai.offline import plan_questions, split_requirements
from app.ai.offline.bank import load_bank
from app.ai.offline.plan_context import build_context
from app.ai.offline.plan_mix import quotas
from app.ai.offline.requirements import requirement_groups
from app.ai.offline.stacks import is_foreign
from app.ai.offline.taxonomy import has_cjk, load_taxonomy
from app.ai.schemas import PlannedQuestion, PlanRequest
from bench.plan_coverage import (
    LABELLED,
    coverage,
    foreign_technologies,
    known_technologies,
    load_pairs,
    rubric_text,
)

PAIRS = {pair.slug: pair for pair in load_pairs()}


def test_labelled_set_is_large_varied_and_resolvable():
    """At least 15 pairs, 5 of them Chinese, and every label names a taxonomy skill."""
    assert len(PAIRS) >= 15
    assert sum(p.request.language == "zh" for p in PAIRS.values()) >= 5
    for pair in PAIRS.values():
        assert pair.must_groups and all(pair.must_groups), pair.slug
    labels = [f.read_text(encoding="utf-8") for f in LABELLED.glob("*.labels.json")]
    assert len(labels) == len(PAIRS)


def test_every_must_have_group_is_asked_about():
    """Every must-have group covered in >= 90% of pairs; >= 70% of questions on must-haves."""
    figures = coverage()
    assert figures.all_groups_share >= 0.9, figures.lines()
    assert figures.must_share >= 0.7, figures.lines()


def test_no_question_is_graded_on_a_stack_the_job_and_cv_never_mention():
    """No rubric names a language, framework or stack tool absent from CV and job."""
    figures = coverage()
    assert figures.foreign_questions == 0, [r.foreign for r in figures.results if r.foreign]


def test_the_stack_check_catches_a_java_tool_in_a_python_job():
    """The measurement can fail: a deadlock question crediting jstack is foreign to Python."""
    entry = next(q for q in load_bank().questions if q.id == "conc-deadlock")
    question = PlannedQuestion(
        text=entry.text,
        category=entry.category,
        skill="Concurrency",
        kind="technical",
        difficulty="medium",
        reference_answer=entry.reference_answer,
        key_points=entry.points,
    )
    python_job = PairRequest("Python developer: asyncio, threads, deadlocks.")
    assert "JVM tuning" in foreign_technologies(rubric_text(question), known(python_job))
    assert not foreign_technologies(rubric_text(question), known(PairRequest("Java, JVM, jstack")))


def PairRequest(job: str) -> PlanRequest:  # noqa: N802 - reads as the request it builds
    """A plan request for a one-line job and an empty CV."""
    return PlanRequest(resume_text="", job_description=job, count=8)


def known(request: PlanRequest) -> set[str]:
    """The technologies the measurement treats as known for a request."""
    return known_technologies(request)


@pytest.mark.parametrize(
    ("requirement", "groups"),
    [
        ("Experience with FastAPI, Django or Flask", "fastapi django flask"),
        ("Python, Django, PostgreSQL", "python / django / postgresql"),
        ("Java and Spring Boot", "java / spring-boot"),
        ("Docker and Kubernetes", "docker kubernetes"),
        ("Linux: processes, signals, TCP/IP", "linux tcp-ip"),
        ("Reading code in Python, Go or TypeScript", "python go typescript"),
        ("熟悉JVM原理，有GC调优经验", "jvm garbage-collection"),
        ("熟悉MySQL和Redis", "mysql / redis"),
        ("熟悉Linux，沟通能力强", "linux / communication"),
    ],
)
def test_requirements_are_read_as_groups(requirement, groups):
    """One group per stated requirement: alternatives and one topic together, "and" apart."""
    found = requirement_groups(f"Requirements:\n- {requirement}")
    assert " / ".join(" ".join(s.id for s in group) for group in found) == groups


def test_one_question_per_must_have_group_before_anything_else():
    """The first technical questions cover every must-have group, one each, in the job's order."""
    request = PAIRS["py-fastapi"].request
    groups = build_context(request).must_groups
    kinds = ("technical", "coding", "situational")
    technical = [q for q in plan_questions(request).questions if q.kind in kinds]
    taxonomy = load_taxonomy()
    first = [taxonomy.lookup(q.skill) for q in technical[: len(groups)]]
    assert all(any(s is not None and s.id in g for s in first) for g in groups)


def test_must_haves_passed_by_the_caller_keep_the_jobs_groups():
    """Sessions pass the must-haves read from the job; the groups stay the job's own."""
    request = PAIRS["zh-python"].request
    names = split_requirements(request.job_description)[0]
    passed = request.model_copy(update={"must_haves": names})
    assert build_context(passed).must_groups == build_context(request).must_groups
    assert plan_questions(passed) == plan_questions(request)


def test_behavioral_questions_give_way_to_must_have_groups_down_to_one():
    """Six must-have groups in 8 questions: 6 technical, 1 behavioral, 1 on the CV."""
    assert quotas(8) == (5, 2, 1)
    assert quotas(8, must_groups=6) == (6, 1, 1)
    assert quotas(8, must_groups=9) == (6, 1, 1)
    assert quotas(20, must_groups=6) == (12, 5, 3)


@pytest.mark.parametrize("slug", ["py-async", "zh-python", "zh-test", "zh-go"])
def test_python_and_go_jobs_get_no_java_framed_questions(slug):
    """Concurrency, Linux and CAS questions that credit Java tools stay out of these plans."""
    request = PAIRS[slug].request
    known_stacks = build_context(request).known
    bank = load_bank()
    for question in plan_questions(request).questions:
        entry = bank.find_by_text(question.text)
        assert entry is None or not is_foreign(entry, known_stacks), question.text


@pytest.mark.parametrize(("slug", "skills"), [("zh-python", {"Python"}), ("zh-go", {"Go"})])
def test_chinese_plans_ask_about_the_jobs_own_language(slug, skills):
    """A Chinese Python or Go job gets Chinese questions on Python or Go, not only on MySQL."""
    plan = plan_questions(PAIRS[slug].request)
    assert skills <= {q.skill for q in plan.questions if has_cjk(q.text)}
    assert all(has_cjk(q.text) for q in plan.questions)


def test_a_chinese_plan_asks_in_english_about_a_group_the_chinese_bank_lacks():
    """A Chinese Rust job gets its Rust question in English rather than none at all."""
    job = "任职要求：\n1、熟练使用Rust语言；\n2、熟悉MySQL；\n3、熟悉Redis"
    request = PlanRequest(resume_text="", job_description=job, count=8, language="zh")
    plan = plan_questions(request).questions
    rust = [q for q in plan if q.skill == "Rust"]
    assert rust and not has_cjk(rust[0].text)
    assert {"MySQL", "Redis"} <= {q.skill for q in plan if has_cjk(q.text)}


def test_must_have_groups_are_not_asked_in_a_stack_the_job_only_prefers():
    """A C++ job where Go is a plus gets no Go-framed question for its concurrency requirement."""
    request = PAIRS["zh-cpp-game"].request
    taxonomy = load_taxonomy()
    for question in plan_questions(request).questions:
        rubric = rubric_text(question)
        assert "go" not in {hit.skill.id for hit in taxonomy.find(rubric)}, question.text
