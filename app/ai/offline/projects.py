"""Questions about the candidate's own work, written from the achievements their CV lists.

"At Acme you built X — what was the hardest decision?" Each question comes with a reference answer
and key points describing what a strong answer contains (context, the decision and its
alternatives, the candidate's own role, a measured result), since only the candidate knows the
facts. The wording lives in `data/phrases.json`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from app.ai.offline.cv import Achievement
from app.ai.offline.phrases import phrase_table, phrases
from app.ai.offline.plan_context import PlanContext
from app.ai.offline.taxonomy import has_cjk, load_taxonomy
from app.language import as_language

T = TypeVar("T")

_PRONOUNS = (
    (r"\bI\b", "you"), (r"\bmy\b", "your"), (r"\bMy\b", "Your"), (r"\bour\b", "your"),
    (r"\bOur\b", "Your"), (r"\bwe\b", "you"), (r"\bWe\b", "You"), (r"\bme\b", "you"),
    (r"\bmyself\b", "yourself"), (r"\bus\b", "you"),
)  # fmt: skip
_ZH_PRONOUNS = (("我们", "你们"), ("我", "你"))
_MAX_CHARS = 150


@dataclass(frozen=True)
class Template:
    """One way of asking about a piece of work: the question, its key points, a model answer."""

    ask: str
    key_points: tuple[str, ...]
    reference: str


def templates(language: str) -> tuple[Template, ...]:
    """The question templates for an interview language."""
    raw = phrases()["project_templates"][as_language(language)]
    return tuple(Template(t["ask"], tuple(t["key_points"]), t["reference"]) for t in raw)


def generic_openings(language: str) -> list[str]:
    """Openings that ask about a project of the candidate's choice, for CVs without usable lines."""
    return list(phrase_table("project_openings", language)["generic"])


def shorten(text: str, limit: int = _MAX_CHARS) -> str:
    """Cut long text at a clause boundary (or a word) so a question stays readable."""
    text = re.sub(r"\s+", " ", text).strip().rstrip("。.;；,，")
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in (", ", "; ", " — ", "，", "；"))
    if cut < limit // 2:
        cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip("，,;； ") + "…"


def second_person(text: str, language: str) -> str:
    """Turn the CV's "I built" and "our team" into "you built" and "your team"."""
    if language == "zh":
        for mine, yours in _ZH_PRONOUNS:
            text = text.replace(mine, yours)
        return text
    for pattern, replacement in _PRONOUNS:
        text = re.sub(pattern, replacement, text)
    return text


def opening(item: Achievement, language: str) -> str:
    """The sentence that puts the candidate's own work on the table."""
    says = phrase_table("project_openings", language)
    work = shorten(item.text)
    place = item.employer or item.project
    # "you built X" reads well only for a verb-led line written in the interview's language.
    if item.starts_with_verb and has_cjk(work) == (language == "zh"):
        clause = second_person(work if language == "zh" else work[0].lower() + work[1:], language)
        key = "employer" if item.employer else "project" if item.project else "plain"
        return str(says[key]).format(place=place, work=clause)
    return str(says["quoted_place" if place else "quoted"]).format(place=place, work=work)


def subject(item: Achievement | None, language: str) -> str:
    """How the reference answer refers to the work."""
    says = phrase_table("project_openings", language)
    if item is None:
        return str(says["subject_generic"])
    return str(says["subject"]).format(work=shorten(item.text, 80))


def rank_achievements(ctx: PlanContext) -> list[Achievement]:
    """The CV's achievements most worth asking about first: measured, relevant, led, recent;
    one per employer or project before a second from the same place."""
    taxonomy = load_taxonomy()

    def worth(item: Achievement) -> tuple[int, int]:
        ids = {h.skill.id for h in taxonomy.find(item.text)}
        score = 3 * item.has_metric + 2 * bool(ids & ctx.jd_ids) + item.starts_with_verb
        score += 2 * any(ctx.targets_must(i) for i in ids) + bool(item.employer or item.project)
        return -score, item.order

    ranked = sorted(ctx.achievements, key=worth)
    first_of_place = first_per(ranked, lambda a: a.employer + a.project)
    return first_of_place + [a for a in ranked if a not in first_of_place]


def first_per(items: list[T], key: Callable[[T], str]) -> list[T]:
    """The first item for each key, in order."""
    seen: dict[str, T] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())
