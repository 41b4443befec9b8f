"""The shape of a plan: how many questions of each kind, which difficulties, in what order.

Kept apart from the planner's choice of questions so the mix can be read (and tested) on its own.
"""

from __future__ import annotations

import hashlib
from typing import TypeVar

from app.ai.schemas import Difficulty

T = TypeVar("T")

LEVEL_DIFFICULTY: dict[int, tuple[Difficulty, ...]] = {
    0: ("easy", "medium", "hard"),
    1: ("medium", "easy", "hard"),
    2: ("hard", "medium", "easy"),
    3: ("hard", "medium", "easy"),
}


def difficulty_order(level: int, slot: int) -> tuple[Difficulty, ...]:
    """Preferred difficulties for one technical slot; every third slot steps aside for variety."""
    first, second, third = LEVEL_DIFFICULTY[level]
    return (second, first, third) if slot % 3 == 2 else (first, second, third)


def quotas(count: int, must_groups: int = 0) -> tuple[int, int, int]:
    """(technical, behavioral, project) for a plan of `count` questions: about 60/25/15, with
    behavioral questions giving way, down to one, while must-have groups outnumber technical
    slots."""
    project = round(count * 0.15) if count >= 4 else 0
    behavioral = max(1, round(count * 0.25)) if count >= 3 else 0
    technical = count - project - behavioral
    extra = max(0, min(must_groups - technical, behavioral - 1))
    return technical + extra, behavioral - extra, project


def jitter(seed: str, key: str) -> int:
    """A stable pseudo-random rank, so ties break per candidate but never at random."""
    return int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:8], 16)


def interleave(technical: list[T], behavioral: list[T], projects: list[T]) -> list[T]:
    """Spread each kind evenly through the interview, keeping each kind's own order."""
    placed: list[tuple[float, T]] = []
    for offset, items in ((0.0, technical), (0.01, projects), (0.02, behavioral)):
        placed += [((n + 0.5) / len(items) + offset, item) for n, item in enumerate(items)]
    return [item for _pos, item in sorted(placed, key=lambda pair: pair[0])]
