"""The skill taxonomy: which skills exist, what people call them, and where a text mentions them.

Aliases are matched case-insensitively on word boundaries for Latin text and as substrings for
Chinese. A few skill names are ordinary words or single letters ("Go", "C", "R", "Spring",
"Express"); those are matched only as written and, for the riskiest, only where the text reads like
a list of technologies, so "go live" or "Series C" do not turn into skills.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_URLS_AND_EMAILS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_JOINERS = re.compile(r"[\s_\-]+")
_JOINER_CHARS = re.compile(r"[\s_\-]")
_LATIN_RUN = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Skill:
    """One skill: a stable id, the name shown to people, its category and what people call it."""

    id: str
    name: str
    category: str
    aliases: tuple[str, ...]

    @property
    def is_behavioral(self) -> bool:
        """Soft skills are asked about with behavioral questions, not technical ones."""
        return self.category == "Behavioral"


@dataclass(frozen=True)
class SkillHit:
    """Where and how often a text mentions a skill."""

    skill: Skill
    count: int
    first: int


def skill_key(text: str) -> str:
    """A skill label as the taxonomy looks it up: lower-cased, runs of spaces, hyphens and
    underscores folded into one space (not `text.normalize`, which folds width too)."""
    return _JOINERS.sub(" ", text.lower()).strip()


def _searchable(text: str) -> str:
    """Lower-cased text with joiners turned into spaces, keeping every offset where it was."""
    low = text.lower()
    if len(low) != len(text):  # a few characters grow when lower-cased ("İ")
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _JOINER_CHARS.sub(" ", low)


def has_cjk(text: str) -> bool:
    """Whether the text contains Chinese characters."""
    return _CJK.search(text) is not None


def _probe(alias: str) -> tuple[str, bool]:
    """What must be in a text for the alias to possibly match: its first Latin run, or itself."""
    run = _LATIN_RUN.search(alias)
    if run and run.start() == 0:
        return run.group(), True
    return alias, False


@cache
def _alias_pattern(alias: str) -> re.Pattern[str]:
    """A pattern for one normalised alias: word boundaries only where the alias has Latin edges."""
    body = " +".join(re.escape(part) for part in alias.split(" "))
    head = r"(?<![a-z0-9_])" if alias[0].isascii() and alias[0].isalnum() else ""
    # A trailing digit is allowed ("java8", "vue3"); a trailing letter is not ("javascript").
    tail = r"(?![a-z_])" if alias[-1].isascii() and alias[-1].isalpha() else ""
    return re.compile(head + body + tail)


class Taxonomy:
    """Every skill, indexed by id and by alias, with a matcher for free text."""

    def __init__(self, categories: list[dict]) -> None:
        self.skills: dict[str, Skill] = {}
        self.categories: list[str] = []
        self._alias_to_skill: dict[str, Skill] = {}
        for category in categories:
            self.categories.append(category["name"])
            for raw in category["skills"]:
                self._add(Skill(raw["id"], raw["name"], category["name"], tuple(raw["aliases"])))
        # Longer aliases first so "react native" claims its text before "react" does.
        self._aliases = [
            (alias, _probe(alias)) for alias in sorted(self._alias_to_skill, key=len, reverse=True)
        ]

    def _add(self, skill: Skill) -> None:
        self.skills[skill.id] = skill
        names = list(skill.aliases)
        if skill.id not in CONTEXT_TOKENS:
            names.append(skill.name)
        for alias in names:
            self._alias_to_skill.setdefault(skill_key(alias), skill)

    def get(self, skill_id: str) -> Skill | None:
        """The skill with this id, if any."""
        return self.skills.get(skill_id)

    def lookup(self, label: str) -> Skill | None:
        """The skill a label names (id, display name or alias), else the first one it mentions."""
        key = skill_key(label)
        for skill in self.skills.values():
            if key in (skill.id, skill_key(skill.name)):
                return skill
        if key in self._alias_to_skill:
            return self._alias_to_skill[key]
        hits = self.find(label)
        return hits[0].skill if hits else None

    def in_category(self, category: str) -> list[Skill]:
        """The skills of one taxonomy category, in file order."""
        return [s for s in self.skills.values() if s.category == category]

    def find(self, text: str) -> list[SkillHit]:
        """Every skill the text mentions, in order of first mention."""
        text = _URLS_AND_EMAILS.sub(lambda m: " " * len(m.group()), text)
        spans = self._alias_spans(_searchable(text)) + _context_spans(text, self.skills)
        return _hits_from_spans(spans)

    def _alias_spans(self, low: str) -> list[tuple[int, int, Skill]]:
        spans = []
        words = set(_LATIN_RUN.findall(low))
        for alias, (probe, is_word) in self._aliases:
            # A cheap filter before the regex: the alias's first Latin word, or its Chinese text.
            if (probe in words) if is_word else (probe in low):
                skill = self._alias_to_skill[alias]
                spans += [(start, end, skill) for start, end in _occurrences(low, alias)]
        return spans


def _occurrences(low: str, alias: str) -> list[tuple[int, int]]:
    """Where an alias occurs; str.find jumps between candidates far faster than a regex scan."""
    pattern, head = _alias_pattern(alias), alias.split(" ")[0]
    found, at = [], low.find(head)
    while at != -1:
        match = pattern.match(low, at)
        if match:
            found.append(match.span())
        at = low.find(head, match.end() if match else at + 1)
    return found


def _hits_from_spans(spans: list[tuple[int, int, Skill]]) -> list[SkillHit]:
    """Drop mentions inside a longer mention, then count per skill."""
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, Skill]] = []
    reach = -1
    for start, end, skill in spans:
        if end <= reach:
            continue
        kept.append((start, end, skill))
        reach = max(reach, end)
    counts: dict[str, list[int]] = {}
    order: dict[str, Skill] = {}
    for start, _end, skill in kept:
        counts.setdefault(skill.id, []).append(start)
        order.setdefault(skill.id, skill)
    hits = [SkillHit(order[i], len(pos), min(pos)) for i, pos in counts.items()]
    return sorted(hits, key=lambda h: h.first)


# ------------------------------------------------------------------ ambiguous names
# skill id -> (the token as written, how much context it needs)
CONTEXT_TOKENS: dict[str, tuple[str, str]] = {
    "go": ("Go", "list"),
    "c": ("C", "list"),
    "r": ("R", "list"),
    "express": ("Express", "list"),
    "gin": ("Gin", "list"),
    "spring": ("Spring", "spring"),
    "rest": ("REST", "exact"),
    "swift": ("Swift", "exact"),
    "rust": ("Rust", "exact"),
    "ruby": ("Ruby", "exact"),
    "rails": ("Rails", "exact"),
    "helm": ("Helm", "exact"),
    "spark": ("Spark", "exact"),
}
_SEPARATORS = ",/;|()&、，（）：:"
_NOT_TECH_NEXT = set("端轮级类位")
_TECH_NEXT = re.compile(
    r"\s*(?:language|lang|programming|developers?|engineers?|code|codebase|services?|microservices"
    r"|backend|modules?|runtime|compiler|toolchain|sdk|stack|1\.\d+|语言|开发|编程|工程师)",
    re.IGNORECASE,
)
_LIST_PREV = re.compile(
    r"(?:\b(?:and|or|in|with|using|like|including|e\.g\.)|熟悉|精通|掌握|使用)\s*$"
)
_NOT_TECH_PREV = {
    "series",
    "plan",
    "vitamin",
    "grade",
    "type",
    "class",
    "level",
    "tier",
    "section",
    "part",
    "appendix",
    "block",
    "building",
    "room",
    "team",
    "option",
    "category",
}
_SPRING_NEXT = re.compile(
    r"\s+(?:boot|cloud|mvc|framework|data|security|batch|webflux|aop|ioc|core)\b", re.IGNORECASE
)
_SEASON_NEXT = re.compile(
    r"\s*(?:'?\d{2,4}\b|semester|term|break|festival|quarter|season|intern)", re.IGNORECASE
)
_SEASON_PREV = re.compile(r"\b(?:this|last|next|during|early|late|of|the)\s+$", re.IGNORECASE)


@cache
def _token_pattern(token: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9_+#.])" + re.escape(token) + r"(?![A-Za-z0-9_+#]|-\w|\.\w)")


def _context_spans(text: str, skills: dict[str, Skill]) -> list[tuple[int, int, Skill]]:
    """Mentions of the ambiguous names, kept only where the surrounding text supports them."""
    spans = []
    for skill_id, (token, mode) in CONTEXT_TOKENS.items():
        if token not in text or skill_id not in skills:
            continue
        for m in _token_pattern(token).finditer(text):
            if _context_ok(text, m.start(), m.end(), mode):
                spans.append((m.start(), m.end(), skills[skill_id]))
    return spans


def _context_ok(text: str, start: int, end: int, mode: str) -> bool:
    before, after = text[max(0, start - 24) : start], text[end : end + 24]
    if mode == "exact":
        return True
    if mode == "spring":
        if _SPRING_NEXT.match(after):
            return True
        return not (_SEASON_NEXT.match(after) or _SEASON_PREV.search(before))
    if after[:1] in _NOT_TECH_NEXT:
        return False  # "C端", "C轮": consumer-facing, a funding round
    return _reads_like_a_list(before, after)


def _reads_like_a_list(before: str, after: str) -> bool:
    """A bare "Go" or "C" counts only beside other list items or a word like "language"."""
    prev_words = re.findall(r"[A-Za-z]+", before)
    if prev_words and prev_words[-1].lower() in _NOT_TECH_PREV:
        return False
    if _single_letter_neighbour(before, after):
        return False  # "A, B, C" is a list of letters, not of languages
    stripped_before, stripped_after = before.rstrip(), after.lstrip()
    if stripped_before and stripped_before[-1] in _SEPARATORS:
        return True
    if not stripped_after or stripped_after[0] in _SEPARATORS or after.startswith("\n"):
        return True
    return bool(_TECH_NEXT.match(after) or _LIST_PREV.search(before))


def _single_letter_neighbour(before: str, after: str) -> bool:
    prev = re.search(r"(?:^|[^A-Za-z0-9+#])([A-Za-z])[\s,/;|&]*$", before)
    nxt = re.match(r"[\s,/;|&]*([A-Za-z])(?![A-Za-z0-9+#])", after)
    return bool((prev and prev.group(1).isupper()) or (nxt and nxt.group(1).isupper()))


# ------------------------------------------------------------------ loading
@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """The taxonomy from data/taxonomy.json, read once per process."""
    raw = json.loads((DATA_DIR / "taxonomy.json").read_text(encoding="utf-8"))
    return Taxonomy(raw["categories"])


def extract_skills(text: str) -> list[str]:
    """Display names of the skills a text mentions, in order of first mention."""
    return [hit.skill.name for hit in load_taxonomy().find(text)]
