"""Concepts: one idea under every wording the grader knows, in English and Chinese.

`data/concepts.json` lists each concept's wordings in both languages ("immutable", "cannot be
changed", "不可变"), and `lexicon.BILINGUAL_TERMS` adds its term pairs. A text's concepts are found
once per text: English wordings as consecutive words after stemming and synonym folding (so
"caching" meets "cache"), Chinese ones as written. For each concept found, the text's own terms
that name it are kept, so a key point written one way can be met by an answer written another way
or in the other language: the answer's concepts stand in for the point's own terms.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from app.ai.offline import text as tx
from app.ai.offline.lexicon import BILINGUAL_TERMS
from app.ai.offline.taxonomy import DATA_DIR

CONCEPTS_FILE = DATA_DIR / "concepts.json"


@dataclass(frozen=True)
class Concept:
    """One idea: its English wordings (as term sequences) and its Chinese wordings."""

    english: tuple[tuple[str, ...], ...]
    chinese: tuple[str, ...]


def wording_terms(wording: str) -> tuple[str, ...]:
    """An English wording as the grader compares it: every word's term, function words included,
    so "no guarantee" keeps its negation and "in order" its preposition."""
    return tuple(t.term for t in tx.tokens(tx.normalize(wording)))


@lru_cache(maxsize=1)
def load_concepts() -> tuple[Concept, ...]:
    """Every concept of the data file, then one per bilingual term pair of the lexicon."""
    raw = json.loads(CONCEPTS_FILE.read_text(encoding="utf-8"))["concepts"]
    pairs = [(entry["en"], entry["zh"]) for entry in raw]
    pairs += [([en], [zh]) for zh, en in BILINGUAL_TERMS]
    out = []
    for english, chinese in pairs:
        en = tuple(t for t in (wording_terms(w) for w in english) if t)
        # One Chinese character alone is too often part of another word ("表" in "表现").
        zh = tuple(tx.normalize(w) for w in chinese if len(tx.CJK_RE.findall(w)) >= 2)
        if en or zh:
            out.append(Concept(en, zh))
    return tuple(out)


@dataclass(frozen=True)
class _Index:
    english: dict[str, tuple[tuple[tuple[str, ...], int], ...]]  # first term → (terms, concept)
    chinese: re.Pattern[str] | None
    chinese_ids: dict[str, tuple[int, ...]]


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Wordings indexed for look-up: English by first term, Chinese as one alternation."""
    english: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    chinese: dict[str, list[int]] = {}
    for cid, concept in enumerate(load_concepts()):
        for terms in concept.english:
            english.setdefault(terms[0], []).append((terms, cid))
        for wording in concept.chinese:
            chinese.setdefault(wording, []).append(cid)
    # Longest first, so "缓存未命中" claims its text before "命中" does.
    words = sorted(chinese, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None
    return _Index(
        english={k: tuple(v) for k, v in english.items()},
        chinese=pattern,
        chinese_ids={k: tuple(v) for k, v in chinese.items()},
    )


@lru_cache(maxsize=65536)
def concepts_in(text: str) -> dict[int, frozenset[str]]:
    """The concepts ``text`` names, each with the text's own content terms that name it."""
    index = _index()
    found: dict[int, set[str]] = {}
    norm = tx.normalize(text)
    toks = tx.tokens(norm)
    seq = [t.term for t in toks]
    for k, first in enumerate(seq):
        for terms, cid in index.english.get(first, ()):
            if tuple(seq[k : k + len(terms)]) == terms:
                found.setdefault(cid, set()).update(t for t in terms if tx.is_content(t))
    if index.chinese is not None and tx.CJK_RE.search(norm):
        for m in index.chinese.finditer(norm):
            own = set(tx.cjk_bigrams(m.group())) | {
                t for t in tx.content_terms(m.group()) if not tx.CJK_RE.match(t)
            }
            for cid in index.chinese_ids[m.group()]:
                found.setdefault(cid, set()).update(own)
    return {cid: frozenset(own) for cid, own in found.items()}


@lru_cache(maxsize=8192)
def concept_ids(text: str) -> frozenset[int]:
    """Just which concepts ``text`` names."""
    return frozenset(concepts_in(text))


@lru_cache(maxsize=4096)
def wordings_of(cids: frozenset[int]) -> frozenset[str]:
    """Every term any wording of these concepts uses, in both languages: what an answer about
    them may say."""
    concepts = load_concepts()
    out: set[str] = set()
    for cid in cids:
        concept = concepts[cid]
        out.update(t for terms in concept.english for t in terms if tx.is_content(t))
        for wording in concept.chinese:
            out.update(tx.content_terms(wording))
    return frozenset(out)
