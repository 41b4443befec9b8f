"""Reading a job description: which skills it requires and which it only prefers.

Job descriptions are loosely structured: headed sections ("Requirements", "Nice to have",
"任职要求", "加分项"), bullet lists, and inline hedges ("Kafka is a plus", "有 Go 经验者优先").
Must-haves come from requirement sections (or, when there are none, from everything except the
preferred parts and the company blurb); nice-to-haves from preferred sections and hedged lines.
Must-haves come in groups, one per stated requirement: "FastAPI, Django or Flask" is one group,
"Python, Django, PostgreSQL" three, so a plan can ask one question per requirement.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from app.ai.offline.taxonomy import Skill, load_taxonomy

_NICE_HEAD = re.compile(
    r"prefer|nice[\s-]*to[\s-]*have|bonus|\bplus(?:es)?\b|desir|good[\s-]to[\s-]have"
    r"|would be (?:great|nice)|extra credit|加分|优先|最好",
    re.IGNORECASE,
)
_MUST_HEAD = re.compile(
    r"requir|qualif|must|what you(?:'ll| will)? (?:need|bring)|you (?:have|bring)|about you"
    r"|who you are|skills|experience|expertise|tech stack|looking for|what we need"
    r"|you(?:'ll| will)? need"
    r"|ideal candidate|you should have|任职|要求|资格|技能|我们希望|你需要|你应该",
    re.IGNORECASE,
)
_DUTY_HEAD = re.compile(
    r"responsib|what you(?:'ll| will) do|the role|duties|your role|day[\s-]to[\s-]day|you will"
    r"|职责|工作内容|职位描述|岗位描述|你将",
    re.IGNORECASE,
)
_OTHER_HEAD = re.compile(
    r"about (?:us|the company|the team)|benefits|perks|we offer|why join|compensation|salary"
    r"|location|公司介绍|关于我们|福利|待遇|薪资|工作地点",
    re.IGNORECASE,
)
_NICE_INLINE = re.compile(
    r"\ba (?:big |huge |strong |real )?plus\b|\bbonus\b|\bpreferred\b|\bnice[\s-]to[\s-]have\b"
    r"|\bdesirable\b|\bideally\b|\bwould be (?:great|nice|a plus)\b|\bgood[\s-]to[\s-]have\b"
    r"|\bis an advantage\b|加分|优先(?!级)|最好",
    re.IGNORECASE,
)
_HEADINGS = (
    ("nice", _NICE_HEAD),
    ("other", _OTHER_HEAD),
    ("duties", _DUTY_HEAD),
    ("must", _MUST_HEAD),
)
_BULLET = re.compile(r"\s*(?:[-•·●▪◦]|\*(?!\*)|\d+[.)、])\s*")
_CLAUSE_BREAK = re.compile(r"[;；。！？!?]|\.\s+(?=[A-Z])")
_MARKUP = re.compile(r"^[\s#>*_\-•·●▪◦\d.)、]+|[\s*_:：]+$")
# Commas and "and" join requirements ("Java and Spring Boot"); "or" joins alternatives.
_PART_BREAK = re.compile(r"[,，、;；&]|\band\b|以及|和|与|及", re.IGNORECASE)
_BRACKETS = re.compile(r"\([^()]*\)|（[^（）]*）")


@dataclass
class JobSections:
    """A job description's lines sorted by what kind of section they sit in."""

    must: list[str] = field(default_factory=list)
    nice: list[str] = field(default_factory=list)
    duties: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)


def _heading_kind(line: str) -> tuple[str | None, str]:
    """The section a heading line opens (None for an ordinary line) and any text after its colon."""
    if _BULLET.match(line):
        return None, line
    colon = re.search(r"[:：]", line)
    head, rest = (line[: colon.start()], line[colon.end() :]) if colon else (line, "")
    title = _MARKUP.sub("", head).strip()
    words = len(title.split()) if title.isascii() else len(title) // 4 + 1
    if not title or len(title) > 60 or words > (4 if rest.strip() else 8):
        return None, line
    if not colon and re.search(r"[.。;；,，]", title):
        return None, line  # a sentence, not a heading
    for kind, pattern in _HEADINGS:
        if pattern.search(title):
            return kind, rest.strip()
    return None, line


def split_sections(job_description: str) -> JobSections:
    """Sort the lines of a job description into must, nice, duties and intro."""
    sections = JobSections()
    current = "intro"
    for raw in job_description.splitlines():
        line = raw.strip()
        if not line:
            continue
        kind, content = _heading_kind(line)
        if kind is not None:
            current = kind
            if not content:
                continue
            line = content
        _file_line(sections, current, line)
    return sections


def _file_line(sections: JobSections, current: str, line: str) -> None:
    """File each clause separately: "Java required; Kafka is a plus" holds one of each."""
    if current == "other":
        return
    for clause in _CLAUSE_BREAK.split(line):
        if current == "nice" or _NICE_INLINE.search(clause):
            sections.nice.append(clause)
        else:
            getattr(sections, current).append(clause)


def _must_clauses(sections: JobSections) -> list[str]:
    """The clauses that state requirements; with no usable requirements section, what the job
    involves is what it requires."""
    taxonomy = load_taxonomy()
    if any(not hit.skill.is_behavioral for hit in taxonomy.find("\n".join(sections.must))):
        return sections.must
    return sections.must + sections.intro + sections.duties


def _part_starts(clause: str) -> list[int]:
    """Where the parts of a clause begin: at commas and "and". Those inside brackets and after a
    colon do not count: the items spell out the head ("Linux: processes, signals", "Vue 3
    (Pinia, Router)")."""
    colon = re.search(r"[:：]", clause)
    head = clause[: colon.start()] if colon else clause
    blanked = _BRACKETS.sub(lambda m: " " * len(m.group()), head)
    return [0, *[m.end() for m in _PART_BREAK.finditer(blanked)]]


def _one_category(skills: list[Skill]) -> str | None:
    categories = {s.category for s in skills}
    return categories.pop() if len(categories) == 1 else None


def _group_clause(clause: str, seen: set[str]) -> list[list[Skill]]:
    """The requirement groups of one clause: each part is a group, and a part on the same single
    category as the part before it joins that group ("FastAPI, Django or Flask", "Docker and
    Kubernetes", "熟悉JVM原理，有GC调优经验"); "Java and Spring Boot" are two."""
    starts = _part_starts(clause)
    parts: dict[int, list[Skill]] = {}
    for hit in load_taxonomy().find(clause):  # found in the whole clause, so "Go" keeps its list
        if hit.skill.id not in seen:
            seen.add(hit.skill.id)
            parts.setdefault(bisect_right(starts, hit.first), []).append(hit.skill)
    groups: list[list[Skill]] = []
    for _index, skills in sorted(parts.items()):
        category = _one_category(skills)
        if groups and category is not None and _one_category(groups[-1]) == category:
            groups[-1] += skills
        else:
            groups.append(skills)
    return groups


def requirement_groups(job_description: str) -> list[list[Skill]]:
    """The must-haves as groups, one per stated requirement, in the job's order; a skill belongs
    to the first group that mentions it. Technical and soft skills never share a group."""
    return [list(group) for group in _requirement_groups(job_description)]


# One job description is read several times while an interview is planned (the prompt, the
# offline planner, its summary), so its reading is kept for the few most recent texts.
@lru_cache(maxsize=32)
def _requirement_groups(job_description: str) -> tuple[tuple[Skill, ...], ...]:
    seen: set[str] = set()
    groups: list[tuple[Skill, ...]] = []
    for clause in _must_clauses(split_sections(job_description)):
        for group in _group_clause(clause, seen):
            for soft in (False, True):
                kind = tuple(s for s in group if s.is_behavioral == soft)
                groups += [kind] if kind else []
    return tuple(groups)


def must_have_groups(job_description: str, must_haves: list[Skill]) -> list[list[Skill]]:
    """The job's requirement groups narrowed to the given must-haves, in the must-haves' order; a
    must-have no group holds (one a recruiter named) is a group of its own. Passing the
    must-haves read from the job (as sessions do) gives the job's groups unchanged."""
    rank = {s.id: n for n, s in enumerate(must_haves)}
    groups = requirement_groups(job_description)
    groups = [kept for group in groups if (kept := [s for s in group if s.id in rank])]
    placed = {s.id for group in groups for s in group}
    groups += [[s] for s in must_haves if s.id not in placed]
    return sorted(groups, key=lambda group: min(rank[s.id] for s in group))


def requirement_skills(job_description: str) -> tuple[list[Skill], list[Skill]]:
    """Must-have and nice-to-have skills, each in order of first mention."""
    must, nice = _requirement_skills(job_description)
    return list(must), list(nice)


@lru_cache(maxsize=32)
def _requirement_skills(job_description: str) -> tuple[tuple[Skill, ...], tuple[Skill, ...]]:
    taxonomy = load_taxonomy()
    sections = split_sections(job_description)
    must = [hit.skill for hit in taxonomy.find("\n".join(_must_clauses(sections)))]
    nice = [hit.skill for hit in taxonomy.find("\n".join(sections.nice)) if hit.skill not in must]
    return tuple(must), tuple(nice)


def split_requirements(job_description: str) -> tuple[list[str], list[str]]:
    """Display names of the must-have and nice-to-have skills of a job description."""
    must, nice = requirement_skills(job_description)
    return [s.name for s in must], [s.name for s in nice]
