"""Which technology stack a bank question is framed in, and whether that stack suits a plan.

A question on deadlocks whose key points credit "jstack", or a Linux question with a key point on
Java's transferTo, is framed in Java: asking it in a Python job grades the candidate on another
stack's tools. A question is foreign to a plan when its text, key points or cues name a language,
framework, platform or stack-bound tool that neither the CV nor the job mentions, counting what a
named technology brings along (a React job knows JavaScript; a Spring job knows Java and the JVM).
"""

from __future__ import annotations

from functools import lru_cache

from app.ai.offline.bank import BankQuestion
from app.ai.offline.taxonomy import Skill, load_taxonomy

# Categories whose every skill is a stack of its own.
STACK_CATEGORIES = {"Languages", "Web Frameworks", "Mobile", "JVM"}
# Skills outside those categories that belong to one stack.
STACK_SKILLS = {
    "react", "vue", "angular", "redux", "nextjs", "java-concurrency", "junit", "pytest",
    "pandas", "numpy", "pytorch", "tensorflow",
}  # fmt: skip
# Garbage collection is asked about in every managed language, not only on the JVM.
_SHARED = {"garbage-collection"}
BRINGS: dict[str, tuple[str, ...]] = {
    "java": ("jvm", "java-concurrency", "class-loading", "jvm-tuning", "junit"),
    "kotlin": ("jvm", "android"), "android": ("kotlin", "java", "jvm"), "scala": ("jvm",),
    "spring": ("java", "jvm"), "spring-boot": ("java", "jvm", "spring"),
    "spring-cloud": ("java", "jvm", "spring", "spring-boot"), "junit": ("java",),
    "typescript": ("javascript",), "nodejs": ("javascript",), "express": ("nodejs", "javascript"),
    "nestjs": ("nodejs", "typescript", "javascript"), "react": ("javascript",),
    "vue": ("javascript",), "angular": ("javascript", "typescript"), "redux": ("javascript",),
    "nextjs": ("react", "javascript"), "react-native": ("react", "javascript"),
    "django": ("python",), "flask": ("python",), "fastapi": ("python",), "pytest": ("python",),
    "pandas": ("python",), "numpy": ("python",), "pytorch": ("python",),
    "tensorflow": ("python",), "gin": ("go",), "rails": ("ruby",), "laravel": ("php",),
    "aspnet": ("csharp",), "ios": ("swift",), "swift": ("ios",),
}  # fmt: skip


def is_stack(skill: Skill) -> bool:
    """Whether a skill ties a question to one language, framework or platform."""
    if skill.id in _SHARED:
        return False
    return skill.category in STACK_CATEGORIES or skill.id in STACK_SKILLS


def known_stacks(skill_ids: set[str]) -> frozenset[str]:
    """The skills mentioned plus everything they bring along."""
    return frozenset(skill_ids | {b for i in skill_ids for b in BRINGS.get(i, ())})


@lru_cache(maxsize=4096)
def stack_mentions(q: BankQuestion) -> frozenset[str]:
    """Stacks a question is framed in besides its own skill: those its text, key points and cues
    name, and the one its bank file is about ("JavaScript" for a question on promises)."""
    cues = [cue for point in q.key_points for cue in point.cues]
    text = "\n".join([q.category, q.text, *q.points, *cues])
    hits = load_taxonomy().find(text)
    return frozenset(h.skill.id for h in hits if is_stack(h.skill) and h.skill.id != q.skill)


def is_foreign(q: BankQuestion, known: frozenset[str]) -> bool:
    """Whether a question is framed in a stack the candidate and the job never mention (a Go
    data-race question for an Android developer, a question crediting jstack in a Python job)."""
    own = load_taxonomy().get(q.skill)
    framed = set(stack_mentions(q)) | ({q.skill} if own is not None and is_stack(own) else set())
    return bool(framed - known)
