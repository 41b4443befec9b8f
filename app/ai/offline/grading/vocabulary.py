"""What counts as on the subject when only the question is known.

Without key points or a reference answer, an answer is judged against the question's own words,
the vocabulary of the question bank's nearest questions on the same subject, and any technical
content at all: a skill the taxonomy knows, or code-shaped words (camelCase, snake_case, calls,
acronyms, big-O).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from app.ai.offline import text as tx
from app.ai.offline.bank import BankQuestion, load_bank
from app.ai.offline.taxonomy import load_taxonomy

_RELATED = 4  # bank questions whose vocabulary stands in for the missing key points
_CODE_SHAPED = re.compile(
    r"\b\w+\(\)|\b[a-z]+[A-Z]\w*|\b[a-z]+_\w+|\b[A-Z]{2,}\d*\b(?<!\bOK)|\b[Oo]\(|[{};]\s*$|==|=>|->",
    re.MULTILINE,
)


def _question_terms(entry: BankQuestion) -> frozenset[str]:
    """The terms a bank question is indexed by: its text, key points and cues."""
    parts = [entry.text, *entry.points, *(c for kp in entry.key_points for c in kp.cues)]
    return frozenset(t for p in parts for t in tx.content_terms(p) if not tx.is_weak(t))


@lru_cache(maxsize=1)
def _bank_index() -> tuple[list[tuple[BankQuestion, frozenset[str]]], dict[str, float]]:
    """Every bank question with its index terms, and each term's inverse document frequency."""
    entries = [(q, _question_terms(q)) for q in load_bank().questions]
    df: Counter[str] = Counter(t for _, terms in entries for t in terms)
    idf = {t: math.log(len(entries) / n) for t, n in df.items()}
    return entries, idf


@lru_cache(maxsize=1024)
def related_vocabulary(question: str) -> frozenset[str]:
    """The vocabulary of the bank questions nearest ``question`` (shared rare terms weigh most)."""
    entries, idf = _bank_index()
    asked = {t for t in tx.content_terms(question) if not tx.is_weak(t)}
    scored = sorted(
        ((sum(idf.get(t, 0.0) for t in asked & terms), i) for i, (_, terms) in enumerate(entries)),
        reverse=True,
    )
    best = scored[0][0] if scored else 0.0
    vocab: set[str] = set()
    for score, i in scored[:_RELATED]:
        if score <= 0 or score < best / 2:
            break
        entry, terms = entries[i]
        vocab |= terms | set(tx.content_terms(entry.reference_answer))
    return frozenset(t for t in vocab if not tx.is_weak(t))


def technical_content(answer: str) -> bool:
    """The answer names a technical skill or contains code-shaped words."""
    if _CODE_SHAPED.search(answer):
        return True
    return any(not hit.skill.is_behavioral for hit in load_taxonomy().find(answer))
