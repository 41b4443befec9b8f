"""Planning the main questions of an interview from a CV and a job description.

About 60% technical questions (must-haves first, then skills the CV and job share), 25% behavioral
and 15% about the CV's own work; difficulty follows the role's seniority; nothing the candidate saw
in earlier sessions comes back; and the same inputs always give the same plan. A Chinese interview
gets Chinese questions, with general and behavioral Chinese questions before any English one.
The plan always has exactly `count` questions.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar, cast

from app.ai.offline.bank import Bank, BankQuestion, load_bank, question_key
from app.ai.offline.cv import Achievement
from app.ai.offline.phrases import phrase_table
from app.ai.offline.plan_context import (
    BROAD_CATEGORIES,
    COUNTS_AS,
    GENERAL_CATEGORIES,
    RELATED,
    PlanContext,
    build_context,
)
from app.ai.offline.projects import (
    first_per,
    generic_openings,
    opening,
    rank_achievements,
    subject,
    templates,
)
from app.ai.offline.taxonomy import load_taxonomy
from app.ai.schemas import Difficulty, Kind, PlannedQuestion, PlanRequest, QuestionPlan

T = TypeVar("T")

_LEVEL_DIFFICULTY: dict[int, tuple[Difficulty, ...]] = {
    0: ("easy", "medium", "hard"),
    1: ("medium", "easy", "hard"),
    2: ("hard", "medium", "easy"),
    3: ("hard", "medium", "easy"),
}
_ROUNDS = 3  # at most this many questions on one skill before moving to general ones


def difficulty_order(level: int, slot: int) -> tuple[Difficulty, ...]:
    """Preferred difficulties for one technical slot; every third slot steps aside for variety."""
    first, second, third = _LEVEL_DIFFICULTY[level]
    return (second, first, third) if slot % 3 == 2 else (first, second, third)


def quotas(count: int) -> tuple[int, int, int]:
    """(technical, behavioral, project) for a plan of `count` questions: about 60/25/15."""
    project = round(count * 0.15) if count >= 4 else 0
    behavioral = max(1, round(count * 0.25)) if count >= 3 else 0
    return count - project - behavioral, behavioral, project


def _jitter(seed: str, key: str) -> int:
    """A stable pseudo-random rank, so ties break per candidate but never at random."""
    return int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:8], 16)


class Planner:
    """Picks questions for one plan, remembering what is used so nothing repeats."""

    def __init__(self, ctx: PlanContext, bank: Bank) -> None:
        self.ctx, self.bank = ctx, bank
        self.taken: set[str] = set()
        self.respect_history = True
        self.technical: list[PlannedQuestion] = []
        self.behavioral: list[PlannedQuestion] = []
        self.projects: list[PlannedQuestion] = []

    # ---------------------------------------------------------------- bookkeeping
    @property
    def size(self) -> int:
        """How many questions are planned so far."""
        return len(self.technical) + len(self.behavioral) + len(self.projects)

    def free(self, text: str) -> bool:
        """Whether a question text is neither planned already nor (while it matters) seen before."""
        key = question_key(text)
        return key not in self.taken and not (self.respect_history and key in self.ctx.avoid)

    def _take(self, into: list[PlannedQuestion], question: PlannedQuestion) -> None:
        self.taken.add(question_key(question.text))
        into.append(question)

    # ---------------------------------------------------------------- technical
    def _tech_pool(self, skill_id: str, language: str) -> list[BankQuestion]:
        return [
            q
            for q in self.bank.for_skill(skill_id, language)
            if q.kind != "behavioral" and self.free(q.text)
        ]

    def _foreign(self, q: BankQuestion) -> bool:
        """Whether a question is framed in a stack the candidate and job never mention
        (a Go data-race question is a poor concurrency question for an Android developer)."""
        known = self.ctx.jd_ids | self.ctx.cv_ids
        return any(skill_id not in known for skill_id in stack_mentions(q))

    def _for_skill(
        self, skill_id: str, language: str, with_related: bool
    ) -> tuple[BankQuestion, str] | None:
        """The best question on a skill and the skill it is shown under. On the first round
        stand-ins from related skills may win when the skill's own questions are missing or framed
        in a foreign stack; a stand-in that genuinely tests the skill is shown under it."""
        tiers = [self._tech_pool(skill_id, language)]
        if with_related:
            tiers += [
                self._tech_pool(other, language)
                for other in RELATED.get(skill_id, ()) + self._same_category(skill_id)
            ]
        prefs = difficulty_order(self.ctx.level, len(self.technical))
        candidates = [
            (
                self._foreign(q),
                tier,
                prefs.index(q.difficulty) if q.difficulty in prefs else 3,
                _jitter(self.ctx.seed, q.id),
                q,
            )
            for tier, pool in enumerate(tiers)
            for q in pool
        ]
        if not candidates:
            return None
        question = min(candidates, key=lambda c: c[:4])[4]
        honest = question.skill in COUNTS_AS.get(skill_id, ())
        return question, skill_id if honest else question.skill

    def _same_category(self, skill_id: str) -> tuple[str, ...]:
        taxonomy = load_taxonomy()
        skill = taxonomy.get(skill_id)
        if skill is None or skill.category in BROAD_CATEGORIES:
            return ()
        near = [s.id for s in taxonomy.in_category(skill.category) if s.id != skill_id]
        # Skills the job or CV also mention are closer stand-ins than the rest of the category.
        return tuple(
            sorted(near, key=lambda i: (i not in self.ctx.jd_ids, i not in self.ctx.cv_ids))
        )

    def add_technical(self, wanted: int, language: str) -> None:
        """Technical questions: targets round by round, then general ones that suit the job."""
        for round_ in range(_ROUNDS):
            for skill_id in self.ctx.technical_targets:
                if len(self.technical) >= wanted:
                    return
                found = self._for_skill(skill_id, language, with_related=round_ == 0)
                if found is not None:
                    question, as_skill = found
                    self._take(self.technical, self.from_bank(question, as_skill))
        for question in self._general_technical(language):
            if len(self.technical) >= wanted:
                return
            if self.free(question.text):
                self._take(self.technical, self.from_bank(question))

    def _general_technical(self, language: str) -> list[BankQuestion]:
        """Remaining technical questions that relate to the job or CV, or suit any engineer."""
        taxonomy = load_taxonomy()
        target_categories = {
            s.category for i in self.ctx.technical_targets if (s := taxonomy.get(i))
        }

        def relevance(q: BankQuestion) -> int:
            skill = taxonomy.get(q.skill)
            category = skill.category if skill else ""
            near = category in target_categories and category not in BROAD_CATEGORIES
            score = 3 * (q.skill in self.ctx.jd_ids) + 2 * (q.skill in self.ctx.cv_ids)
            score += near + (category in GENERAL_CATEGORIES)
            return score - 2 * self._foreign(q) if score else 0

        pool = [
            q
            for q in self.bank.in_language(language)
            if q.kind != "behavioral" and not _is_behavioral_skill(q) and relevance(q) > 0
        ]
        return sorted(pool, key=lambda q: (-relevance(q), _jitter(self.ctx.seed, q.id)))

    # ---------------------------------------------------------------- behavioral
    def add_behavioral(self, wanted: int, language: str) -> None:
        """Behavioral questions on the job's soft skills first, then on the level's defaults."""
        pool = [
            q
            for q in self.bank.in_language(language)
            if (q.kind == "behavioral" or _is_behavioral_skill(q)) and self.free(q.text)
        ]
        order = {skill: n for n, skill in enumerate(self.ctx.behavioral_targets)}
        prefs = _LEVEL_DIFFICULTY[self.ctx.level]
        pool.sort(
            key=lambda q: (
                order.get(q.skill, len(order)),
                prefs.index(q.difficulty) if q.difficulty in prefs else 3,
                _jitter(self.ctx.seed, q.id),
            )
        )
        # First pass: one question per soft skill; second pass: whatever is left.
        for question in first_per(pool, lambda q: q.skill) + pool:
            if len(self.behavioral) >= wanted:
                return
            if self.free(question.text):
                self._take(self.behavioral, self.from_bank(question))

    # ---------------------------------------------------------------- projects
    def add_projects(self, wanted: int, language: str) -> None:
        """Questions about the CV's own work, best achievements first, one template each."""
        for item, template_index, generic_index in self._project_slots(language):
            if len(self.projects) >= wanted:
                return
            question = self.project_question(item, template_index, language, generic_index)
            if self.free(question.text):
                self._take(self.projects, question)

    def _project_slots(self, language: str) -> list[tuple[Achievement | None, int, int]]:
        """(achievement or None for an open question, template, opening) in the order to try."""
        first = _jitter(self.ctx.seed, "template") % len(templates(language))
        slots: list[tuple[Achievement | None, int, int]] = [
            (item, (first + n) % 4, 0) for n, item in enumerate(rank_achievements(self.ctx))
        ]
        slots += [(None, (first + n) % 4, n) for n in range(len(generic_openings(language)))]
        # Further rounds ask about the same work from another angle.
        return slots + [(item, (t + turn) % 4, g) for turn in (1, 2, 3) for item, t, g in slots]

    def project_question(
        self, item: Achievement | None, template_index: int, language: str, generic_index: int = 0
    ) -> PlannedQuestion:
        """One question about the candidate's own work (or a project of their choice)."""
        says = phrase_table("project_openings", language)
        template = templates(language)[template_index]
        lead = opening(item, language) if item else generic_openings(language)[generic_index]
        return PlannedQuestion(
            text=f"{lead}{'' if language == 'zh' else ' '}{template.ask}",
            category=says["category"],
            skill=self._project_skill(item) or says["skill"],
            kind="project",
            difficulty=_LEVEL_DIFFICULTY[self.ctx.level][0],
            reference_answer=template.reference.format(work=subject(item, language)),
            key_points=list(template.key_points),
        )

    def _project_skill(self, item: Achievement | None) -> str:
        """The skill a project question probes: the job-relevant one its line names, if any."""
        hits = load_taxonomy().find(item.text) if item else []
        mentioned = [h.skill for h in hits if not h.skill.is_behavioral]
        preferred = [s for s in mentioned if self.ctx.targets_must(s.id) or s.id in self.ctx.jd_ids]
        chosen = (preferred or mentioned)[:1]
        return chosen[0].name if chosen else ""

    # ---------------------------------------------------------------- conversions
    def from_bank(self, q: BankQuestion, as_skill: str | None = None) -> PlannedQuestion:
        """A bank entry as a planned question; the skill is shown by its display name."""
        skill_id = as_skill or q.skill
        skill = load_taxonomy().get(skill_id)
        return PlannedQuestion(
            text=q.text,
            category=q.category,
            skill=skill.name if skill else skill_id,
            kind=cast(Kind, q.kind),
            difficulty=cast(Difficulty, q.difficulty),  # the bank check vets both
            reference_answer=q.reference_answer,
            key_points=q.points,
        )


@lru_cache(maxsize=4096)
def stack_mentions(q: BankQuestion) -> frozenset[str]:
    """Languages, frameworks and platforms a question is framed in besides its own skill: those its
    text names and the one its bank file is about ("JavaScript" for a question on promises)."""
    hits = load_taxonomy().find(f"{q.category}\n{q.text}")
    return frozenset(
        h.skill.id for h in hits if h.skill.category in BROAD_CATEGORIES and h.skill.id != q.skill
    )


def _is_behavioral_skill(q: BankQuestion) -> bool:
    skill = load_taxonomy().get(q.skill)
    return skill is not None and skill.is_behavioral


def _fill_steps(p: Planner, count: int) -> list[Callable[[], None]]:
    """Ways to reach `count` when the normal mix falls short, most fitting first."""
    lang = p.ctx.language
    other = "en" if lang == "zh" else "zh"
    half, third = math.ceil(count / 2), math.ceil(count * 0.3)

    def room() -> int:
        return count - p.size

    return [
        lambda: p.add_behavioral(min(half, len(p.behavioral) + room()), lang),
        lambda: p.add_projects(min(third, len(p.projects) + room()), lang),
        lambda: p.add_technical(len(p.technical) + room(), lang),
        lambda: p.add_technical(len(p.technical) + room(), other) if lang == "zh" else None,
        lambda: p.add_behavioral(len(p.behavioral) + room(), lang),
        lambda: p.add_projects(len(p.projects) + room(), lang),
        lambda: p.add_behavioral(len(p.behavioral) + room(), other) if lang == "zh" else None,
    ]


def interleave(technical: list[T], behavioral: list[T], projects: list[T]) -> list[T]:
    """Spread each kind evenly through the interview, keeping each kind's own order."""
    placed: list[tuple[float, T]] = []
    for offset, items in ((0.0, technical), (0.01, projects), (0.02, behavioral)):
        placed += [((n + 0.5) / len(items) + offset, item) for n, item in enumerate(items)]
    return [item for _pos, item in sorted(placed, key=lambda pair: pair[0])]


def plan_questions(req: PlanRequest) -> QuestionPlan:
    """Plan exactly `req.count` main questions for an interview."""
    planner = Planner(build_context(req), load_bank())
    technical, behavioral, project = quotas(req.count)
    planner.add_technical(technical, req.language)
    planner.add_behavioral(behavioral, req.language)
    planner.add_projects(project, req.language)
    for respect_history in (True, False):
        planner.respect_history = respect_history  # repeats only when nothing new is left
        for step in _fill_steps(planner, req.count):
            if planner.size < req.count:
                step()
    ordered = interleave(planner.technical, planner.behavioral, planner.projects)
    return QuestionPlan(questions=ordered[: req.count])
