"""What the planner knows before it picks a question: skills to cover, seniority, the CV's work.

Built once per plan from the request: must-have and nice-to-have skills (from the request or read
from the job description) with the must-haves' groups, one per stated requirement, the skills CV
and job share, the stacks they know, the order in which skills deserve
questions, how senior the role is, and a seed so that ties break the same way for the same inputs
but differently for different candidates.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from app.ai.offline.bank import question_key
from app.ai.offline.cv import Achievement, experience_span_years, read_achievements, seniority_years
from app.ai.offline.requirements import must_have_groups, requirement_skills
from app.ai.offline.stacks import known_stacks
from app.ai.offline.taxonomy import Skill, SkillHit, load_taxonomy
from app.ai.schemas import PlanRequest

# Skills whose questions stand in when a skill has none of its own, closest first.
RELATED: dict[str, tuple[str, ...]] = {
    "spring-boot": ("spring",),
    "spring-cloud": ("microservices", "spring-boot", "spring"),
    "spring": ("spring-boot",),
    "rocketmq": ("message-queues", "kafka"),
    "rabbitmq": ("message-queues",),
    "kafka": ("message-queues", "event-driven"),
    "message-queues": ("kafka", "rabbitmq"),
    "nodejs": ("javascript", "async-programming", "express"),
    "express": ("nodejs", "javascript"),
    "nestjs": ("nodejs", "typescript"),
    "nextjs": ("react",),
    "redux": ("react",),
    "react-native": ("react", "javascript"),
    "typescript": ("javascript",),
    "rpc": ("grpc", "microservices"),
    "grpc": ("rpc", "microservices"),
    "helm": ("kubernetes",),
    "gin": ("go",),
    "java-concurrency": ("concurrency", "multithreading"),
    "multithreading": ("java-concurrency", "concurrency"),
    "concurrency": ("multithreading", "java-concurrency", "async-programming"),
    "jvm-tuning": ("garbage-collection", "jvm"),
    "garbage-collection": ("jvm",),
    "class-loading": ("jvm",),
    "postgresql": ("sql", "database-design"),
    "mysql": ("sql", "database-design"),
    "sql": ("database-design", "mysql", "postgresql"),
    "orm": ("sql", "database-design"),
    "sqlite": ("sql",),
    "sql-server": ("sql",),
    "oracle": ("sql",),
    "memcached": ("caching-strategies",),
    "redis": ("caching-strategies",),
    "caching-strategies": ("redis",),
    "pytest": ("unit-testing",),
    "junit": ("unit-testing",),
    "selenium": ("test-automation",),
    "alibaba-cloud": ("aws", "gcp", "azure"),
    "high-concurrency": ("scalability", "concurrency", "caching-strategies"),
    "distributed-systems": ("microservices", "system-design"),
    "scalability": ("system-design",),
    "pytorch": ("deep-learning",),
    "tensorflow": ("deep-learning",),
    "spark": ("data-engineering",),
    "etl": ("data-engineering",),
    "llm": ("nlp", "deep-learning"),
    "prometheus": ("monitoring",),
    "kotlin": ("android",),
    "swift": ("ios",),
    "android": ("kotlin",),
    "ios": ("swift",),
}
# Stand-ins that genuinely test the skill they stand in for, so the question counts for it
# (a Java-concurrency question tests concurrency; a React question does not test Redux).
COUNTS_AS: dict[str, tuple[str, ...]] = {
    "concurrency": ("java-concurrency", "multithreading", "async-programming"),
    "multithreading": ("java-concurrency", "concurrency"),
    "java-concurrency": ("multithreading",),
    "spring-boot": ("spring",), "spring": ("spring-boot",),
    "caching-strategies": ("redis", "memcached"),
    "message-queues": ("kafka", "rabbitmq", "rocketmq"), "event-driven": ("kafka",),
    "jvm": ("garbage-collection", "class-loading", "jvm-tuning"),
    "garbage-collection": ("jvm-tuning",), "jvm-tuning": ("garbage-collection",),
    "unit-testing": ("pytest", "junit", "tdd"), "test-automation": ("selenium",),
    "deep-learning": ("pytorch", "tensorflow"),
}  # fmt: skip
# Categories whose questions suit any engineer when the job's own skills run out.
GENERAL_CATEGORIES = {
    "Networking",
    "Operating Systems",
    "Algorithms",
    "System Design",
    "Software Design",
    "Testing",
    "Security",
    "Observability",
    "Delivery",
}
# Categories too wide to stand in for one another: a Django question says nothing about Spring.
BROAD_CATEGORIES = {"Languages", "Web Frameworks", "Mobile"}
DEFAULT_BEHAVIORAL = {
    0: ("teamwork", "learning-from-failure", "problem-solving", "communication", "adaptability"),
    1: ("ownership", "conflict-resolution", "problem-solving", "communication", "prioritization"),
    2: (
        "leadership",
        "decision-making",
        "conflict-resolution",
        "mentoring",
        "stakeholder-management",
    ),
    3: (
        "leadership",
        "decision-making",
        "stakeholder-management",
        "mentoring",
        "conflict-resolution",
    ),
}
_JUNIOR = re.compile(
    r"\b(?:junior|jr\.?|graduate|entry[- ]level|intern(?:ship)?|trainee)\b|初级|实习|应届|校招|助理"
)
_SENIOR = re.compile(r"\b(?:senior|sr\.?|lead|team lead)\b|高级|资深|负责人|组长")
_STAFF = re.compile(
    r"\b(?:staff|principal|architect|head of|distinguished)\b|专家|架构师|总监|技术经理"
)


@dataclass
class PlanContext:
    """The inputs of a plan, digested."""

    language: str
    level: int  # 0 junior, 1 mid, 2 senior, 3 staff and above
    seed: str
    must: list[Skill]
    nice: list[Skill]
    jd_ids: set[str]
    cv_ids: set[str]
    technical_targets: list[str]
    behavioral_targets: list[str]
    achievements: list[Achievement]
    avoid: set[str] = field(default_factory=set)
    must_groups: list[list[str]] = field(default_factory=list)  # technical, in asking order
    known: frozenset[str] = frozenset()  # stacks the CV or the job mention, with what they bring
    core: frozenset[str] = frozenset()  # stacks the CV or the job's must-haves mention

    def targets_must(self, skill_id: str) -> bool:
        """Whether a skill is one of the job's must-haves."""
        return any(s.id == skill_id for s in self.must)


def seniority_level(job_title: str, job_description: str, resume_text: str) -> int:
    """0–3 from the job title's wording, else the job's years, else the CV's years."""
    head = (
        f"{job_title}\n{job_description.strip().splitlines()[0] if job_description.strip() else ''}"
    )
    for pattern, level in ((_STAFF, 3), (_SENIOR, 2), (_JUNIOR, 0)):
        if pattern.search(head.lower() if head.isascii() else head):
            return level
    years = seniority_years(job_description)
    if not years:
        years = max(seniority_years(resume_text), experience_span_years(resume_text))
        return 0 if years < 2 else 1 if years < 6 else 2
    return 0 if years < 2 else 1 if years < 5 else 2


def _skills_from_labels(labels: list[str]) -> list[Skill]:
    taxonomy = load_taxonomy()
    found = (taxonomy.lookup(label) for label in labels if label.strip())
    return _unique([s for s in found if s is not None])


def _unique(skills: list[Skill]) -> list[Skill]:
    """The skills without repeats, in first-seen order."""
    first: dict[str, Skill] = {}
    for skill in skills:
        first.setdefault(skill.id, skill)
    return list(first.values())


def build_context(req: PlanRequest) -> PlanContext:
    """Digest a plan request."""
    taxonomy = load_taxonomy()
    jd_text = f"{req.job_title}\n{req.job_description}"
    must, nice = requirement_skills(req.job_description)
    if req.must_haves:
        must = _skills_from_labels(req.must_haves)
    if req.nice_to_haves:
        nice = _skills_from_labels(req.nice_to_haves)
    jd_hits = taxonomy.find(jd_text)
    cv_hits = taxonomy.find(req.resume_text)
    title_ids = {h.skill.id for h in taxonomy.find(req.job_title)}
    jd_ids, cv_ids = {h.skill.id for h in jd_hits}, {h.skill.id for h in cv_hits}
    level = seniority_level(req.job_title, req.job_description, req.resume_text)
    seed_text = "\x00".join((req.resume_text, req.job_description, req.job_title, req.language))
    return PlanContext(
        language=req.language,
        level=level,
        seed=hashlib.sha256(seed_text.encode("utf-8")).hexdigest()[:16],
        must=must,
        nice=nice,
        jd_ids=jd_ids,
        cv_ids=cv_ids,
        technical_targets=_technical_targets(must, nice, jd_hits, cv_hits, title_ids),
        behavioral_targets=_behavioral_targets(must, jd_hits, level),
        achievements=read_achievements(req.resume_text),
        avoid={question_key(text) for text in req.avoid_questions},
        must_groups=_technical_groups(
            must_have_groups(req.job_description, must), title_ids, cv_ids
        ),
        known=known_stacks(jd_ids | cv_ids),
        core=known_stacks(cv_ids | {s.id for s in must} | title_ids),
    )


def _technical_groups(
    groups: list[list[Skill]], title_ids: set[str], cv_ids: set[str]
) -> list[list[str]]:
    """The technical must-have groups, those the job title names first; within a group the skills
    the CV backs come first, since that is where the candidate can show most."""
    technical = [[s.id for s in group if not s.is_behavioral] for group in groups]
    technical = [group for group in technical if group]
    technical.sort(key=lambda group: not set(group) & title_ids)
    return [sorted(group, key=lambda i: i not in cv_ids) for group in technical]


def _technical_targets(
    must: list[Skill],
    nice: list[Skill],
    jd_hits: list[SkillHit],
    cv_hits: list[SkillHit],
    title_ids: set[str],
) -> list[str]:
    """Skill ids in the order they deserve questions: must-haves (those in the title first), then
    skills CV and job share, then nice-to-haves the CV backs, other nice-to-haves, the rest of the
    job, and finally what the CV claims."""
    cv_ids = {h.skill.id for h in cv_hits}
    tech_must = sorted(
        (s for s in must if not s.is_behavioral), key=lambda s: s.id not in title_ids
    )
    shared = [h.skill for h in jd_hits if h.skill.id in cv_ids]
    nice_backed = [s for s in nice if s.id in cv_ids]
    cv_claims = sorted(cv_hits, key=lambda h: (-h.count, h.first))
    ordered = _spread(tech_must) + _spread(shared) + nice_backed + list(nice)
    ordered += [h.skill for h in jd_hits]
    ordered += [h.skill for h in cv_claims]
    return [s.id for s in _unique(ordered) if not s.is_behavioral]


def _spread(skills: list[Skill]) -> list[Skill]:
    """The first skill of each taxonomy category, then the rest, each in the given order, so
    "Linux, TCP/IP, DNS, TLS" on one line does not take every question from networking."""
    firsts = _unique(
        [next(s for s in skills if s.category == c) for c in {s.category: 0 for s in skills}]
    )
    return firsts + [s for s in skills if s not in firsts]


def _behavioral_targets(must: list[Skill], jd_hits: list[SkillHit], level: int) -> list[str]:
    wanted = [s.id for s in must if s.is_behavioral]
    wanted += [h.skill.id for h in jd_hits if h.skill.is_behavioral]
    wanted += list(DEFAULT_BEHAVIORAL[level])
    return list(dict.fromkeys(wanted))
