"""Near-copies of the reference with a fact turned around.

An answer that copies a reference sentence almost word for word but changes one small thing in it
is judged by that change, since everything else in the sentence is the reference's and true:

- a swap: the changed words on both sides are the same words in another order ("the server sends
  SYN … the client replies" for "the client sends SYN … the server replies"; "读先行发生于写" for
  "写先行发生于读"), unless they only reorder a list ("AES or ChaCha20");
- an opposite: a changed word is replaced by its opposite (faster/slower, before/after, 大/小);
- a negation added or removed ("can be bypassed" / "cannot be bypassed", "有必要" / "没必要");
- a number changed ("three messages" / "two messages").

Any other edit (a synonym, a dropped detail) proves nothing and is left to the other checks.
Matching is on the sentence's own tokens (Latin words and single Chinese characters), so it works
in both languages and needs no list of roles.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING

from app.ai.offline import text as tx
from app.ai.offline.lexicon import (
    ANTONYM_WORDS,
    ANTONYMS_ZH,
    COPY_FLIPS,
    COPY_FLIPS_ZH,
    REVERSALS,
    REVERSALS_ZH,
)

if TYPE_CHECKING:
    from app.ai.offline.grading.answer import Answer
    from app.ai.offline.grading.topic import Topic

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[\u4e00-\u9fff]")
_NEGATOR_WORDS = frozenset(
    """not no never cannot without none neither nor don't doesn't didn't isn't aren't wasn't
    weren't won't can't couldn't shouldn't mustn't needn't hasn't haven't""".split()
)
_NEGATOR_CHARS = frozenset("不没无非未别")
# Words that join the items of a list: reordering items joined by them changes nothing.
_JOINERS = frozenset("and or both either 和 或 与 及 跟 同".split())
_UN = ("un", "non", "in", "im", "dis", "ir", "il")
_NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten twice once half double".split()
)
_NUMBER_CHARS = frozenset("零一二两三四五六七八九十百千万半双")
NEAR_COPY = 0.75  # share of tokens a sentence must have in common with a reference sentence
_SMALL = 4  # tokens: an opposite is a word-level change, not a rewritten clause


def tokens(text: str) -> tuple[str, ...]:
    """Lower-case Latin words and single Chinese characters, punctuation dropped."""
    return tuple(_TOKEN.findall(text.lower().replace("’", "'")))


@lru_cache(maxsize=1)
def _flips_en() -> dict[str, frozenset[str]]:
    """Each English opposite (as a term) with the words it reverses."""
    table: dict[str, set[str]] = {}
    for a, b in (*REVERSALS, *ANTONYM_WORDS, *COPY_FLIPS):
        for x, y in ((tx.term(a), tx.term(b)), (tx.term(b), tx.term(a))):
            table.setdefault(x, set()).add(y)
    return {k: frozenset(v) for k, v in table.items()}


_ZH_PAIRS = (*REVERSALS_ZH, *ANTONYMS_ZH, *COPY_FLIPS_ZH)


def _negations(words: list[str]) -> int:
    return sum(w in _NEGATOR_WORDS or w in _NEGATOR_CHARS for w in words)


def _is_number(word: str) -> bool:
    return word.isdigit() or word in _NUMBER_WORDS or word in _NUMBER_CHARS


def _opposite(old: list[str], new: list[str]) -> bool:
    """The new words put an opposite in place of the old ones: a table pair, or a word with its
    negative prefix ("suited" / "unsuited")."""
    if not old or not new or len(old) > _SMALL or len(new) > _SMALL:
        return False
    table = _flips_en()
    old_terms = {tx.term(w) for w in old}
    new_terms = {tx.term(w) for w in new}
    if any(table.get(t, frozenset()) & new_terms for t in old_terms - new_terms):
        return True
    for a in old:
        for b in new:
            longer, shorter = (a, b) if len(a) > len(b) else (b, a)
            if any(longer == p + shorter for p in _UN) and len(shorter) >= 4:
                return True
    old_text, new_text = "".join(old), "".join(new)
    return any(
        (a in old_text and b in new_text and a not in new_text and b not in old_text)
        or (b in old_text and a in new_text and b not in new_text and a not in old_text)
        for a, b in _ZH_PAIRS
    )


def turned_around(truth: tuple[str, ...], said: tuple[str, ...]) -> bool:
    """``said`` is a near-copy of ``truth`` whose changes reverse it (see the module doc)."""
    if truth == said:
        return False
    matcher = SequenceMatcher(None, truth, said, autojunk=False)
    if matcher.ratio() < NEAR_COPY:
        return False
    removed: list[str] = []
    added: list[str] = []
    changed_at: list[int] = []
    edits = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    for _, i1, i2, j1, j2 in edits:
        removed += truth[i1:i2]
        added += said[j1:j2]
        changed_at += range(i1, i2)
    if removed and Counter(removed) == Counter(added):
        return not _list_reordered(truth, changed_at)
    if _negations(removed) % 2 != _negations(added) % 2:
        return True
    for _, i1, i2, j1, j2 in edits:
        old, new = list(truth[i1:i2]), list(said[j1:j2])
        if _opposite(old, new):
            return True
        old_n = [w for w in old if _is_number(w)]
        new_n = [w for w in new if _is_number(w)]
        if old_n and new_n and old_n != new_n:
            return True
    return False


def _list_reordered(truth: tuple[str, ...], changed_at: list[int]) -> bool:
    """The reordered words stand side by side in a list: between them only joiners."""
    lo, hi = min(changed_at), max(changed_at)
    moved = set(changed_at)
    between = [truth[k] for k in range(lo, hi + 1) if k not in moved]
    return all(w in _JOINERS for w in between)


@lru_cache(maxsize=2048)
def _reference_sentences(sentences: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((s, tokens(s)) for s in sentences)


def reversed_copies(answer: Answer, topic: Topic) -> tuple[tuple[int, int, str], ...]:
    """(start, end, reference sentence) for each answer sentence that copies a reference sentence
    (or key point) with a fact turned around."""
    return _reversed_copies(answer.text, tuple(answer.sentences), _truths(topic))


def _truths(topic: Topic) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*topic.sentences, *(p.text for p in topic.points))))


@lru_cache(maxsize=4096)
def _reversed_copies(
    text: str, spans: tuple[tuple[int, int], ...], truths: tuple[str, ...]
) -> tuple[tuple[int, int, str], ...]:
    refs = _reference_sentences(truths)
    found = []
    for start, end in spans:
        said = tokens(text[start:end])
        if len(said) < 4:
            continue
        said_set = set(said)
        for sentence, truth in refs:
            if len(truth) < 4 or abs(len(truth) - len(said)) > 0.3 * len(truth) + 2:
                continue
            shared = len(said_set & set(truth)) / max(len(said_set), len(set(truth)))
            if shared >= NEAR_COPY and turned_around(truth, said):
                found.append((start, end, sentence))
                break
    return tuple(found)
