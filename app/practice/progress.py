"""Progress that means something: each category's score interview by interview, and the key
points that went from missed to covered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.fragments import FragmentCache
from app.models import SessionStatus, User
from app.practice.history import point_records
from app.sessions.services import History

MAX_MOVED = 12


@dataclass
class CategoryTrend:
    """One category's scores, oldest first, as (date, score, session id)."""

    category: str
    points: list[tuple[datetime, int, int]] = field(default_factory=list)

    @property
    def change(self) -> int:
        """Last score minus first."""
        return self.points[-1][1] - self.points[0][1] if self.points else 0


@dataclass(frozen=True)
class MovedPoint:
    """A key point that was missed and has since been covered (and was not missed again)."""

    point: str
    misses: int
    missed_at: datetime
    covered_at: datetime


@dataclass
class Progress:
    """What the history page's progress panel shows."""

    categories: list[CategoryTrend]
    moved: list[MovedPoint]

    def __bool__(self) -> bool:
        return bool(self.categories or self.moved)


def category_trends(history: History) -> list[CategoryTrend]:
    """Each category's score from every evaluated interview's report, oldest first; the
    categories asked most often come first. Read from the history page's own query."""
    trends: dict[str, CategoryTrend] = {}
    for session in reversed(history.sessions):
        for entry in history.categories.get(session.id, []):
            name = str(entry.get("category") or "General").strip() or "General"
            # One category whatever its case: reports stored before categories were folded
            # may hold "Behavioral" in one interview and "behavioral" in another.
            trend = trends.setdefault(name.casefold(), CategoryTrend(name))
            trend.points.append((session.created_at, int(entry.get("score") or 0), session.id))
    return sorted(trends.values(), key=lambda t: (-len(t.points), t.category))


def moved_points(user: User) -> list[MovedPoint]:
    """Key points covered the last time they were graded after being missed before; the most
    recent first."""
    moved = []
    for record in point_records(user):
        outcomes = record.outcomes
        if not outcomes[-1].covered or record.misses == 0:
            continue
        last_miss = max(i for i, o in enumerate(outcomes) if not o.covered)
        covered = outcomes[last_miss + 1]  # the last outcome is covered, so one follows
        moved.append(MovedPoint(record.point, record.misses, outcomes[last_miss].at, covered.at))
    moved.sort(key=lambda m: m.covered_at, reverse=True)
    return moved[:MAX_MOVED]


# What moved changes only when an interview is evaluated or a question is tried again (grades
# are never overwritten): kept per user under the evaluations and tries it was computed from, so
# a view of the history page reads no graded answer unless one was added since.
KEPT_MOVED_POINTS: FragmentCache[tuple[MovedPoint, ...]] = FragmentCache(size=1024)


def kept_moved_points(user: User, history: History) -> list[MovedPoint]:
    """`moved_points`, computed once per new evaluation or try (see `KEPT_MOVED_POINTS`)."""
    evaluated = tuple(
        (s.id, s.created_at, s.evaluated_at)
        for s in history.sessions
        if s.status == SessionStatus.EVALUATED
    )
    key = (user.id, evaluated, history.attempts)
    return list(KEPT_MOVED_POINTS.get_or_render(key, lambda: tuple(moved_points(user))))


def progress_for(user: User, history: History) -> Progress:
    """The progress panel's data; a user with no evaluated interview costs no query."""
    evaluated = any(s.status == SessionStatus.EVALUATED for s in history.sessions)
    return Progress(category_trends(history), kept_moved_points(user, history) if evaluated else [])
