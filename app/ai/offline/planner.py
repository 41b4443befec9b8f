"""Planning the main questions of an interview from a CV and a job description.

First one question per must-have group of the job (a stated requirement: "FastAPI, Django or
Flask"), in the job's order, on the group's skill the CV backs best; then more on must-haves, skills
the CV and job share, and nice-to-haves. About 60% technical questions, 25% behavioral and 15%
about the CV's own work, except that behavioral questions give way (down to one) while must-have
groups are left without a question, and a question about the CV's work prefers work on such a
group. Questions framed in a stack neither the CV nor the job mentions (a Java tool in a Python
job) are left out while anything else fits, and a must-have group is never asked about in a stack
only the nice-to-haves mention. Difficulty follows the role's seniority; nothing the
candidate saw in earlier sessions comes back; the same inputs always give the same plan. A Chinese
interview gets Chinese questions; a must-have group the Chinese bank cannot ask about gets an
English question on it once every other group has its Chinese one, before any general question.
The plan always has exactly `count` questions.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import cast

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
from app.ai.offline.plan_mix import LEVEL_DIFFICULTY, difficulty_order, interleave, jitter, quotas
from app.ai.offline.projects import (
    first_per,
    generic_openings,
    opening,
    rank_achievements,
    subject,
    templates,
)
from app.ai.offline.stacks import is_foreign
from app.ai.offline.taxonomy import load_taxonomy
from app.ai.schemas import Difficulty, Kind, PlannedQuestion, PlanRequest, QuestionPlan

_ROUNDS = 3  # at most this many questions on one skill before moving to general ones


class Planner:
    """Picks questions for one plan, remembering what is used so nothing repeats."""

    def __init__(self, ctx: PlanContext, bank: Bank) -> None:
        self.ctx, self.bank = ctx, bank
        self.taken: set[str] = set()
        self.respect_history = True
        self.allow_foreign = False  # only when nothing else can complete the plan
        self.core_only = False  # while asking about must-have groups
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
            if q.kind != "behavioral" and self.free(q.text) and self._fits(q)
        ]

    def _foreign(self, q: BankQuestion) -> bool:
        """Whether a question is framed in a stack the candidate and job never mention; while
        must-have groups are asked about, in a stack only the nice-to-haves mention (a Go
        question is a poor concurrency question for a C++ job where Go is a plus)."""
        return is_foreign(q, self.ctx.core if self.core_only else self.ctx.known)

    def _fits(self, q: BankQuestion) -> bool:
        """Whether a question may be planned now: in the job's stacks, or nothing else is left."""
        return self.allow_foreign or not self._foreign(q)

    # ---------------------------------------------------------------- must-have groups
    def covers(self, group: list[str]) -> bool:
        """Whether a planned technical or project question is on a skill of the group."""
        taxonomy = load_taxonomy()
        names = {s.name for i in group if (s := taxonomy.get(i))}
        return any(q.skill in names for q in self.technical + self.projects)

    def add_must_groups(self, wanted: int, language: str) -> None:
        """One question per technical must-have group, in order: first every group the bank can
        ask about in the interview's language, then, in a Chinese interview, the others in
        English (a Python question in English beats none in a Python job)."""
        self.core_only = True
        try:
            for lang in [language] + (["en"] if language == "zh" else []):
                for group in self.ctx.must_groups:
                    if len(self.technical) >= wanted:
                        return
                    found = None if self.covers(group) else self._for_group(group, lang)
                    if found is not None:
                        self._take(self.technical, self.from_bank(*found))
        finally:
            self.core_only = False

    def _for_group(self, group: list[str], language: str) -> tuple[BankQuestion, str] | None:
        """The best question that is shown under one of the group's skills, trying the skills in
        the group's order (and, for each, the stand-ins that genuinely test it)."""
        for skill_id in group:
            found = self._for_skill(skill_id, language, with_related=True)
            if found is not None and found[1] in group:
                return found
        return None

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
                jitter(self.ctx.seed, q.id),
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
            if q.kind != "behavioral"
            and not _is_behavioral_skill(q)
            and self._fits(q)
            and relevance(q) > 0
        ]
        return sorted(pool, key=lambda q: (-relevance(q), jitter(self.ctx.seed, q.id)))

    # ---------------------------------------------------------------- behavioral
    def add_behavioral(self, wanted: int, language: str) -> None:
        """Behavioral questions on the job's soft skills first, then on the level's defaults."""
        pool = [
            q
            for q in self.bank.in_language(language)
            if (q.kind == "behavioral" or _is_behavioral_skill(q))
            and self.free(q.text)
            and self._fits(q)
        ]
        order = {skill: n for n, skill in enumerate(self.ctx.behavioral_targets)}
        prefs = LEVEL_DIFFICULTY[self.ctx.level]
        pool.sort(
            key=lambda q: (
                order.get(q.skill, len(order)),
                prefs.index(q.difficulty) if q.difficulty in prefs else 3,
                jitter(self.ctx.seed, q.id),
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
        """(achievement or None for an open question, template, opening) in the order to try:
        work on a must-have group still without a question first."""
        first = jitter(self.ctx.seed, "template") % len(templates(language))
        open_ids = self._open_group_skills()
        ranked = sorted(rank_achievements(self.ctx), key=lambda a: not self._mentions(a, open_ids))
        slots: list[tuple[Achievement | None, int, int]] = [
            (item, (first + n) % 4, 0) for n, item in enumerate(ranked)
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
            difficulty=LEVEL_DIFFICULTY[self.ctx.level][0],
            reference_answer=template.reference.format(work=subject(item, language)),
            key_points=list(template.key_points),
        )

    def _open_group_skills(self) -> set[str]:
        """Skills of the must-have groups that no planned question covers yet."""
        return {i for group in self.ctx.must_groups if not self.covers(group) for i in group}

    @staticmethod
    def _mentions(item: Achievement, skill_ids: set[str]) -> bool:
        return any(h.skill.id in skill_ids for h in load_taxonomy().find(item.text))

    def _project_skill(self, item: Achievement | None) -> str:
        """The skill a project question probes: the job-relevant one its line names, if any,
        a must-have group still without a question first."""
        hits = load_taxonomy().find(item.text) if item else []
        mentioned = [h.skill for h in hits if not h.skill.is_behavioral]
        open_ids = self._open_group_skills()
        preferred = [s for s in mentioned if self.ctx.targets_must(s.id) or s.id in self.ctx.jd_ids]
        chosen = ([s for s in mentioned if s.id in open_ids] or preferred or mentioned)[:1]
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


def plan_questions(req: PlanRequest) -> QuestionPlan:
    """Plan exactly `req.count` main questions for an interview."""
    planner = Planner(build_context(req), load_bank())
    technical, behavioral, project = quotas(req.count, len(planner.ctx.must_groups))
    planner.add_must_groups(technical, req.language)
    planner.add_technical(technical, req.language)
    planner.add_behavioral(behavioral, req.language)
    planner.add_projects(project, req.language)
    # Repeats only when nothing new is left; another stack's questions only after that.
    for respect_history, allow_foreign in ((True, False), (False, False), (False, True)):
        planner.respect_history, planner.allow_foreign = respect_history, allow_foreign
        for step in _fill_steps(planner, req.count):
            if planner.size < req.count:
                step()
    ordered = interleave(planner.technical, planner.behavioral, planner.projects)
    return QuestionPlan(questions=ordered[: req.count])
