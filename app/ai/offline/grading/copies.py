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

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[\u4e00-\u9fff]|[,，、/&]")
_NEGATOR_WORDS = frozenset(
    """not no never cannot without none neither nor don't doesn't didn't isn't aren't wasn't
    weren't won't can't couldn't shouldn't mustn't needn't hasn't haven't""".split()
)
_NEGATOR_CHARS = frozenset("不没无非未别")
# Words that join the items of a list: reordering items joined by them changes nothing.
_JOINERS = frozenset("and or both either 和 或 与 及 跟 同 , ， 、 / &".split())
_PUNCTUATION = frozenset(", ， 、 / &".split())
_UN = ("un", "non", "in", "im", "dis", "ir", "il")
_NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten twice once half double".split()
)
_NUMBER_CHARS = frozenset("零一二两三四五六七八九十百千万半双")
NEAR_COPY = 0.75  # share of tokens a sentence must have in common with a reference sentence
_SMALL = 4  # tokens: an opposite is a word-level change, not a rewritten clause


def tokens(text: str) -> tuple[str, ...]:
    """Lower-case Latin words and single Chinese characters; of punctuation only what joins the
    items of a list."""
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


_NUMBER_VALUES = dict(
    zip(
        "zero one two three four five six seven eight nine ten 零 一 二 三 四 五 六 七 八 九 十 两"
        " twice double".split(),
        "0 1 2 3 4 5 6 7 8 9 10 0 1 2 3 4 5 6 7 8 9 10 2 2 2".split(),
        strict=True,
    )
)


def _number(word: str) -> str:
    """A number word as its digits ("three" and "3" are the same number)."""
    return _NUMBER_VALUES.get(word, word)


_CONTRACTED = {
    "cannot": "can",
    "can't": "can",
    "don't": "do",
    "doesn't": "does",
    "didn't": "did",
    "isn't": "is",
    "aren't": "are",
    "wasn't": "was",
    "weren't": "were",
    "won't": "will",
    "shouldn't": "should",
    "mustn't": "must",
    "needn't": "need",
    "hasn't": "has",
    "haven't": "have",
    "couldn't": "could",
}


def _negation_only(old: list[str], new: list[str]) -> bool:
    """The edit adds or drops a negation and nothing else ("can" / "cannot", "does" / "does not",
    "有必要" / "没有必要"); a negative phrase put in other words ("can't be decrypted" / "is
    one-way") is a paraphrase, not a reversal."""
    if _negations(old) == _negations(new):
        return False

    def rest(words: list[str]) -> list[str]:
        kept = (_CONTRACTED.get(w, w) for w in words)
        return [_fold(w) for w in kept if w not in _NEGATOR_WORDS and w not in _NEGATOR_CHARS]

    return rest(old) == rest(new)


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
    # The same words in another order need less in common in place: a long stretch moved.
    permuted = _same_words(list(truth), list(said))
    if matcher.ratio() < (NEAR_COPY - 0.2 if permuted else NEAR_COPY):
        return False
    edits = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    removed = [w for _, i1, i2, _, _ in edits for w in truth[i1:i2]]
    added = [w for _, _, _, j1, j2 in edits for w in said[j1:j2]]
    if removed and _same_words(removed, added):
        if _content(truth) == _content(said):
            return False  # only function words moved: "it has no values" / "no value has it"
        return _swapped_around(truth, said)
    for _, i1, i2, j1, j2 in edits:
        old, new = list(truth[i1:i2]), list(said[j1:j2])
        if _negation_only(old, new):
            return True  # "can" / "cannot", "有必要" / "没有必要"
        if _opposite(old, new):
            return True
        old_n = [_number(w) for w in old if _is_number(w)]
        new_n = [_number(w) for w in new if _is_number(w)]
        if old_n and new_n and old_n != new_n:
            return True
    return False


def _swapped_around(truth: tuple[str, ...], said: tuple[str, ...]) -> bool:
    """Two stretches trade places around a pivot: X R Y said as Y R X ("read after write" as
    "write after read", "client … server" as "server … client"). A pivot of joiners only is a
    list reordered ("AES or ChaCha20", "进程、线程"); no pivot at all is a phrase moved to the front
    ("before B, A" for "A before B"), which says the same."""
    t, s = [_fold(w) for w in truth], [_fold(w) for w in said]
    while t and s and t[0] == s[0]:
        t, s = t[1:], s[1:]
    while t and s and t[-1] == s[-1]:
        t, s = t[:-1], s[:-1]
    if len(t) > 60:
        return False
    for i in range(1, len(t)):
        for j in range(i + 1, len(t)):
            x, pivot, y = t[:i], t[i:j], t[j:]
            if s == y + pivot + x:
                kept = [w for w in pivot if w not in _JOINERS]
                # "进程、线程": the words' shared character 程 stays in place beside the joiner.
                chinese = all(tx.CJK_RE.match(w) for w in kept)
                listed = chinese and len(kept) < len(pivot) and len(kept) <= 2
                return not (listed or not kept)
    return False


def _same_words(removed: list[str], added: list[str]) -> bool:
    """The words taken out are the words put back in (inflection aside): a reordering."""
    return Counter(_fold(w) for w in removed) == Counter(_fold(w) for w in added)


def _content(words: tuple[str, ...]) -> list[str]:
    """The content words in order, inflection aside."""
    folded = (_fold(w) for w in words if w not in _PUNCTUATION)
    return [w for w in folded if tx.CJK_RE.match(w) or tx.is_content(w)]


def _fold(word: str) -> str:
    return word if tx.CJK_RE.match(word) else tx.term(word)


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
    pairs: list[tuple[int, int, str, tuple[str, ...], tuple[str, ...]]] = []
    for start, end in spans:
        said = tokens(text[start:end])
        if len(said) < 4:
            continue
        said_set = set(said)
        for sentence, truth in refs:
            if len(truth) < 4 or abs(len(truth) - len(said)) > 0.3 * len(truth) + 2:
                continue
            shared = len(said_set & set(truth)) / max(len(said_set), len(set(truth)))
            if shared >= NEAR_COPY:
                pairs.append((start, end, sentence, truth, said))
                break
    # An answer that is the reference copied out, sentence after sentence, says nothing of its
    # own but what it changed: a content word swapped for another there is a changed fact.
    copied_out = len(pairs) >= 3 and 2 * len(pairs) >= len(spans)
    found = []
    for start, end, sentence, truth, said in pairs:
        if turned_around(truth, said) or (copied_out and _word_changed(truth, said)):
            lo, hi = changed_span(text[start:end], truth, said)
            found.append((start + lo, start + hi, sentence))
    return tuple(found)


def _word_changed(truth: tuple[str, ...], said: tuple[str, ...]) -> bool:
    """A near-copy in which a few content words stand in for others (not a detail dropped or
    added, not the same word inflected or a number written out)."""
    if truth == said:
        return False
    for op, i1, i2, j1, j2 in SequenceMatcher(None, truth, said, autojunk=False).get_opcodes():
        if op != "replace" or max(i2 - i1, j2 - j1) > 3:
            continue
        old = set(_content(truth[i1:i2])) - {_number(w) for w in truth[i1:i2]}
        new = set(_content(said[j1:j2])) - {_number(w) for w in said[j1:j2]}
        if old and new and not old & new and not _number_same(truth[i1:i2], said[j1:j2]):
            return True
    return False


def _number_same(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    return [_number(w) for w in old] == [_number(w) for w in new]


_CLAUSE_END = re.compile(r"[,;:，；：]")


def changed_span(sentence: str, truth: tuple[str, ...], said: tuple[str, ...]) -> tuple[int, int]:
    """Where in the sentence the copy departs from the reference, widened to its clauses: the
    part to quote as what was said wrong."""
    spans = [m.span() for m in _TOKEN.finditer(sentence.lower().replace("’", "'"))]
    if len(spans) != len(said):
        return 0, len(sentence)
    edits = [
        (j1, j2)
        for op, _, _, j1, j2 in SequenceMatcher(None, truth, said, autojunk=False).get_opcodes()
        if op != "equal" and j2 > j1
    ]
    if not edits:
        return 0, len(sentence)
    lo = spans[min(j for j, _ in edits)][0]
    hi = spans[max(j for _, j in edits) - 1][1]
    before = [m.end() for m in _CLAUSE_END.finditer(sentence, 0, lo)]
    after = _CLAUSE_END.search(sentence, hi)
    return (before[-1] if before else 0), (after.start() if after else len(sentence))
