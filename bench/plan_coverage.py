"""What a plan asks, measured against hand-labelled job descriptions (tests/offline/plan_pairs).

For each pair the planner plans 8 questions offline; a plan is judged on three things:
- must-have groups covered: a group (one stated requirement, e.g. "FastAPI, Django or Flask") is
  covered when some question's skill is one of the group's skills;
- share of questions on must-haves: questions whose skill belongs to any must-have group;
- foreign technologies: languages, frameworks and stack-specific tools that a question's rubric
  (its text, key points and, for a bank question, the cues that credit each point) names while
  neither the CV nor the job mentions them (a Java tool in a Python job). A framework or platform
  the job names brings its language along (React brings JavaScript, Spring brings Java). Reference
  answers that name another stack in passing ("React escapes output by default") are counted
  apart, as mentions, not held against the plan.
The labels are the pairs' own; the planner never sees them.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from app.ai.offline import plan_questions
from app.ai.offline.bank import load_bank
from app.ai.offline.taxonomy import Skill, has_cjk, load_taxonomy
from app.ai.schemas import PlannedQuestion, PlanRequest

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "offline" / "plan_pairs"

# Skills that frame a question in one stack: every language, framework and mobile platform, and
# the stack-specific tools and runtimes below.
_STACK_CATEGORIES = {"Languages", "Web Frameworks", "Mobile"}
_STACK_TOOLS = {
    "react", "vue", "angular", "redux", "nextjs", "junit", "pytest", "java-concurrency",
    "jvm", "class-loading", "jvm-tuning", "pandas", "numpy", "pytorch", "tensorflow", "spark",
}  # fmt: skip
# What mentioning a technology makes known too: its language, or a platform's own languages.
_BRINGS: dict[str, tuple[str, ...]] = {
    "typescript": ("javascript",), "nodejs": ("javascript",), "express": ("nodejs", "javascript"),
    "nestjs": ("nodejs", "typescript", "javascript"), "react": ("javascript",),
    "vue": ("javascript",), "angular": ("javascript", "typescript"), "redux": ("javascript",),
    "nextjs": ("react", "javascript"), "react-native": ("react", "javascript"),
    "django": ("python",), "flask": ("python",), "fastapi": ("python",), "pytest": ("python",),
    "pandas": ("python",), "numpy": ("python",), "pytorch": ("python",),
    "tensorflow": ("python",), "spring": ("java",), "spring-boot": ("java", "spring"),
    "spring-cloud": ("java", "spring", "spring-boot"), "junit": ("java",), "gin": ("go",),
    "rails": ("ruby",), "laravel": ("php",), "aspnet": ("csharp",), "ios": ("swift",),
    "swift": ("ios",), "android": ("kotlin", "java"), "kotlin": ("android",),
    "java": ("jvm", "java-concurrency", "class-loading", "jvm-tuning", "junit"),
}  # fmt: skip


@dataclass(frozen=True)
class LabelledPair:
    """One CV/job pair with the must-have groups and nice-to-haves labelled by hand."""

    slug: str
    request: PlanRequest
    must_groups: tuple[frozenset[str], ...]  # skill ids per group
    nice: frozenset[str]


@dataclass
class PairResult:
    """How one plan did against its pair's labels."""

    slug: str
    language: str
    groups_total: int
    groups_covered: int
    questions: int
    on_must: int
    in_language: int  # questions asked in the interview's language
    foreign: list[tuple[str, str]] = field(default_factory=list)  # (question, technology)
    mentions: list[tuple[str, str]] = field(default_factory=list)  # only in reference answers

    @property
    def all_covered(self) -> bool:
        """Whether every must-have group got a question."""
        return self.groups_covered == self.groups_total


def _skill_ids(labels: list[str]) -> frozenset[str]:
    taxonomy = load_taxonomy()
    found = (taxonomy.lookup(label) for label in labels)
    return frozenset(s.id for s in found if s is not None)


def load_pairs(count: int = 8, folder: Path = LABELLED) -> list[LabelledPair]:
    """Every labelled pair of the folder, as plan requests for `count` questions."""
    pairs = []
    for labels_file in sorted(folder.glob("*.labels.json")):
        slug = labels_file.name.removesuffix(".labels.json")
        labels = json.loads(labels_file.read_text(encoding="utf-8"))
        request = PlanRequest(
            resume_text=(folder / f"{slug}.resume.txt").read_text(encoding="utf-8"),
            job_description=(folder / f"{slug}.job.txt").read_text(encoding="utf-8"),
            job_title=labels["title"],
            count=count,
            language=labels["language"],
        )
        groups = tuple(_skill_ids(group) for group in labels["must_groups"])
        pairs.append(LabelledPair(slug, request, groups, _skill_ids(labels["nice"])))
    return pairs


def question_skill(question: PlannedQuestion) -> str:
    """The taxonomy id of the skill a planned question is shown under ("" if none)."""
    skill = load_taxonomy().lookup(question.skill)
    return skill.id if skill else ""


def _is_stack(skill: Skill) -> bool:
    return skill.category in _STACK_CATEGORIES or skill.id in _STACK_TOOLS


def known_technologies(request: PlanRequest) -> set[str]:
    """Skill ids the CV or the job mention, with what they bring along."""
    taxonomy = load_taxonomy()
    text = f"{request.job_title}\n{request.job_description}\n{request.resume_text}"
    known = {hit.skill.id for hit in taxonomy.find(text)}
    return known | {brought for skill_id in known for brought in _BRINGS.get(skill_id, ())}


def rubric_text(question: PlannedQuestion) -> str:
    """What a question is graded on: its text, key points and (bank questions) their cues."""
    entry = load_bank().find_by_text(question.text)
    cues = [cue for point in entry.key_points for cue in point.cues] if entry else []
    return "\n".join([question.text, *question.key_points, *cues])


def foreign_technologies(text: str, known: set[str], skill: str = "") -> list[str]:
    """Stack technologies a text names (and the skill it is shown under) that are not known."""
    taxonomy = load_taxonomy()
    named = [hit.skill for hit in taxonomy.find(text)]
    own = taxonomy.lookup(skill) if skill else None
    named += [own] if own is not None else []
    return sorted({s.name for s in named if _is_stack(s) and s.id not in known})


def measure(pair: LabelledPair) -> PairResult:
    """Plan the pair's questions and hold the plan against the labels."""
    plan = plan_questions(pair.request)
    skills = [question_skill(q) for q in plan.questions]
    every_must = frozenset().union(*pair.must_groups)
    known = known_technologies(pair.request)
    result = PairResult(
        slug=pair.slug,
        language=pair.request.language,
        groups_total=len(pair.must_groups),
        groups_covered=sum(any(s in group for s in skills) for group in pair.must_groups),
        questions=len(plan.questions),
        on_must=sum(s in every_must for s in skills),
        in_language=sum(has_cjk(q.text) == (pair.request.language == "zh") for q in plan.questions),
    )
    for question in plan.questions:
        rubric = foreign_technologies(rubric_text(question), known, question.skill)
        passing = foreign_technologies(question.reference_answer, known)
        result.foreign += [(question.text, tech) for tech in rubric]
        result.mentions += [(question.text, tech) for tech in passing if tech not in rubric]
    return result


@dataclass
class Coverage:
    """Figures over all labelled pairs."""

    results: list[PairResult]

    @property
    def all_groups_share(self) -> float:
        """Share of pairs whose every must-have group got a question."""
        return sum(r.all_covered for r in self.results) / len(self.results)

    @property
    def must_share(self) -> float:
        """Share of all planned questions that are on a must-have."""
        return sum(r.on_must for r in self.results) / sum(r.questions for r in self.results)

    @property
    def chinese_share(self) -> float:
        """Share of the Chinese plans' questions asked in Chinese."""
        chinese = [r for r in self.results if r.language == "zh"]
        return sum(r.in_language for r in chinese) / max(1, sum(r.questions for r in chinese))

    @property
    def foreign_questions(self) -> int:
        """Questions whose rubric is framed in a technology neither CV nor job mentions."""
        return sum(len({text for text, _tech in r.foreign}) for r in self.results)

    @property
    def mention_questions(self) -> int:
        """Questions whose reference answer alone names such a technology."""
        return sum(len({text for text, _tech in r.mentions}) for r in self.results)

    def lines(self) -> list[str]:
        """A printable table: one line per pair, then the totals."""
        rows = [
            f"  {r.slug:<16} {r.language}  groups {r.groups_covered}/{r.groups_total}  "
            f"on must-haves {r.on_must}/{r.questions}"
            + (f"  foreign: {', '.join(sorted({t for _q, t in r.foreign}))}" if r.foreign else "")
            for r in self.results
        ]
        mean_groups = statistics.mean(r.groups_covered / r.groups_total for r in self.results)
        return [
            *rows,
            f"labelled pairs: {len(self.results)}; every must-have group covered in "
            f"{self.all_groups_share:.0%} of pairs (target >= 90%), mean group coverage "
            f"{mean_groups:.0%}; questions on must-haves {self.must_share:.0%} (target >= 70%); "
            f"questions graded on a foreign technology: {self.foreign_questions} (target 0), "
            f"reference answers naming one in passing: {self.mention_questions}; "
            f"Chinese plans' questions in Chinese {self.chinese_share:.0%}",
        ]


def coverage(count: int = 8) -> Coverage:
    """Measure every labelled pair."""
    return Coverage([measure(pair) for pair in load_pairs(count)])
