"""Near-copies of the reference with a fact turned around.

An answer that copies a reference sentence almost word for word but changes one small thing in it
is judged by that change, since everything else in the sentence is the reference's and true:

- a swap: the changed words on both sides are the same words in another order ("the server sends
  SYN … the client replies" for "the client sends SYN … the server replies"; "读先行发生于写" for
  "写先行发生于读"), unless they only reorder a list ("AES or ChaCha20");
- an opposite: a changed word is replaced by its opposite (faster/slower, before/after, 大/小);
- a negation added or removed ("can be bypassed" / "cannot be bypassed", "有必要" / "没必要");
- a number changed ("three messages" / "two messages").

Matching is on the sentence's own tokens (Latin words and single Chinese characters), so it works
in both languages and needs no list of roles.

Any other edit of content words is found too (`edited_copies`), with no table at all. A candidate
never sees the reference answer before answering, so a sentence that nearly copies a reference
sentence is no evidence of knowing it when it changes what the sentence says: a content word put in
place of another ("the kernel" for "the JVM", "one extra bucket" for "doubles", a wrong reason after
"because"), or a word of a claim's logic added, dropped or changed ("only when" for "unless",
"every" for "one"). Whatever the edit, the changed clause credits nothing of the key point it
copies, since the words that would earn the credit are the reference's and the words that are the
candidate's own say something else. Only a copy with no content change keeps its credit: changed
function words, a known synonym or inflection, a number written out, a detail dropped or added.
Unlike the reversals above, such an edit is not known to be false, so feedback says what was
changed rather than "in fact".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
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
    truths = _truths(topic)
    key = ("reversed_copies", truths, topic.sentences)
    found = answer.memo.get(key)
    if found is None:
        edits = _copy_edits(answer.text, tuple(answer.sentences), truths, topic.sentences)
        found = answer.memo[key] = tuple((a, b, truth) for a, b, truth, known in edits if known)
    return found


def edited_copies(answer: Answer, topic: Topic) -> tuple[tuple[int, int, str], ...]:
    """(start, end, reference sentence) for each answer sentence that copies a reference sentence
    (or key point) with its content changed in a way no table knows as a reversal (module doc)."""
    points = tuple(p.text for p in topic.points)
    truths = _truths(topic)
    # Every key point of the question asks the same of the answer, so it is worked out once.
    key = ("edited_copies", truths, topic.sentences, points)
    found = answer.memo.get(key)
    if found is None:
        edits = _copy_edits(answer.text, tuple(answer.sentences), truths, topic.sentences)
        found = answer.memo[key] = tuple(
            (start, end, truth)
            for start, end, truth, known in edits
            if not known and not _says_a_point(answer.text[start:end], points)
        )
    return found


def _says_a_point(said: str, points: tuple[str, ...]) -> bool:
    """The changed sentence is a key point in its own words, and a key point is true (the same
    content words in another order are not: "false negatives … but false positives are not")."""
    words = tokens(said)
    return any(
        not content_changed(tokens(p), words)
        and (_content(tokens(p)) == _content(words) or _meaning(tokens(p)) != _meaning(words))
        for p in points
        if len(set(tokens(p)) & set(words)) >= NEAR_COPY * len(set(tokens(p)))
        and len(words) <= 1.5 * len(tokens(p)) + 2
    )


def _truths(topic: Topic) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*topic.sentences, *(p.text for p in topic.points))))


@lru_cache(maxsize=4096)
def _copy_edits(
    text: str,
    spans: tuple[tuple[int, int], ...],
    truths: tuple[str, ...],
    reference: tuple[str, ...],
) -> tuple[tuple[int, int, str, bool], ...]:
    """(start, end, reference sentence, known reversal?) for each near-copy with its content
    changed, the span narrowed to the changed clauses.

    Reversals are looked for in near-copies of reference sentences and key points alike. Other
    edits only in copies of the reference's own sentences: a key point is a few plain words an
    answer in its own words can come close to by chance ("an interface is only nil when both are
    nil"), while a stretch of a reference sentence said word for word is copied."""
    found = []
    seen = set()
    for start, end, sentence, truth, said in _near_copies(text, spans, truths):
        if turned_around(truth, said):
            seen.add(start)
            lo, hi = changed_span(text[start:end], truth, said)
            found.append((start + lo, start + hi, sentence, True))
    # Edits no table knows are judged only in an answer that is mostly the reference word for
    # word: a thorough answer of the candidate's own that borrows some of its sentences is not
    # one, and a reworded sentence there is a paraphrase as often as a mistake.
    if not _mostly_copied(text, reference):
        return tuple(found)
    stretches = _copied_stretches(text, spans, reference)
    for start, end, sentence, truth, said in stretches:
        if start not in seen and content_changed(truth, said):
            seen.add(start)
            lo, hi = changed_span(text[start:end], truth, said)
            found.append((start + lo, start + hi, sentence, False))
    # An answer that is the reference copied out, sentence after sentence, says nothing of its
    # own but what it changed, wherever the change falls: read it as one edit of the reference.
    if len(stretches) >= 3 and 2 * len(stretches) >= len(spans):
        found.extend(e for e in _edits_of_copy(text, spans, reference) if e[0] not in seen)
    return tuple(found)


def _mostly_copied(text: str, reference: tuple[str, ...]) -> bool:
    """Most of the answer's tokens are the reference's, in its order."""
    truth = [w for sentence in reference for w in tokens(sentence)]
    said = tokens(text)
    if not truth or not said:
        return False
    blocks = SequenceMatcher(None, truth, said, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) >= _COPIED_MOSTLY * len(said)


_COPIED_MOSTLY = 0.9  # of the answer's tokens


def _edits_of_copy(
    text: str, spans: tuple[tuple[int, int], ...], reference: tuple[str, ...]
) -> list[tuple[int, int, str, bool]]:
    """The answer sentences of a copied-out reference that change its content, each with the
    reference sentence it changes."""
    truth: list[str] = []
    owner: list[int] = []  # the reference sentence of each reference token
    for k, sentence in enumerate(reference):
        words = tokens(sentence)
        truth.extend(words)
        owner.extend([k] * len(words))
    low = text.lower().replace("’", "'")
    places = [m.start() for m in _TOKEN.finditer(low)]
    said = tokens(text)
    found: dict[int, tuple[int, int, str, bool]] = {}
    # Copied out means nearly all of it, both ways: a thorough answer that follows the
    # reference's order in its own words is not a copy, whatever phrases it shares.
    blocks = SequenceMatcher(None, truth, said, autojunk=False).get_matching_blocks()
    copied = sum(b.size for b in blocks)
    if copied < _COPIED_OUT * len(said) or copied < _COPIED_OUT * len(truth):
        return []
    logic = _logic(truth) != _logic(said)
    named = _named(truth)
    for i1, i2, j1, j2 in edit_regions(truth, said):
        if not _changes(truth[i1:i2], said[j1:j2], logic, _names(said, j1, j2, named)):
            continue
        at = places[min(j1, len(places) - 1)]
        where = next(((a, b) for a, b in spans if a <= at < b), None)
        if where and where[0] not in found:
            found[where[0]] = (*where, reference[owner[min(i1, len(owner) - 1)]], False)
    return list(found.values())


_COPIED_RUN = 6  # tokens said word for word in one stretch: copied, not met by chance
_COPIED_SHARE = 0.7  # of the reference sentence's tokens said in the same order
_COPIED_OWN = 0.6  # of the answer sentence's tokens that are the reference's
_COPIED_OUT = 0.85  # of the whole answer and the whole reference, for an answer copied out


def _copied_stretches(
    text: str, spans: tuple[tuple[int, int], ...], reference: tuple[str, ...]
) -> list[tuple[int, int, str, tuple[str, ...], tuple[str, ...]]]:
    """Each answer sentence that repeats most of a reference sentence in its order, with a
    stretch of it word for word, and the sentence it repeats most of. Unlike `_near_copies` the
    answer's sentence may be longer: a wrong reason put after a copied claim is still a copy."""
    pairs = []
    refs = _reference_sentences(reference)
    for start, end in spans:
        said = tokens(text[start:end])
        if len(said) < _COPIED_RUN:
            continue
        said_set = set(said)
        # A Chinese token is one character: a run must be twice as long, and more of the
        # sentence shared, before it is a copy and not the same words of the subject.
        chinese = 2 * sum(bool(tx.CJK_RE.match(w)) for w in said) > len(said)
        run, share = (2 * _COPIED_RUN, 0.8) if chinese else (_COPIED_RUN, _COPIED_SHARE)
        best, most = None, 0.0
        for sentence, truth in refs:
            if len(truth) < run or len(said_set & set(truth)) < share * len(set(truth)):
                continue
            if len(said) > 1.5 * len(truth) + 2:
                continue  # far longer: the candidate's own sentence, borrowing a phrase
            blocks = SequenceMatcher(None, truth, said, autojunk=False).get_matching_blocks()
            copied = sum(b.size for b in blocks)
            if (
                max(b.size for b in blocks) >= run
                and copied >= share * len(truth)
                and copied >= _COPIED_OWN * len(said)
            ):
                share = copied / len(truth)
                if share > most:
                    best, most = (sentence, truth), share
        if best:
            pairs.append((start, end, best[0], best[1], said))
    return pairs


def _near_copies(
    text: str, spans: tuple[tuple[int, int], ...], truths: tuple[str, ...]
) -> list[tuple[int, int, str, tuple[str, ...], tuple[str, ...]]]:
    """Each answer sentence that nearly copies a reference sentence, with the first it copies."""
    refs = _reference_sentences(truths)
    pairs = []
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
    return pairs


# Function words that carry a claim's logic (a condition, a quantity, an order, a cause): adding,
# dropping or changing one changes the fact ("only when" / "unless", "every" / "one").
_LOGIC_WORDS = frozenset(
    """only unless when whenever if always never all any every each none both either neither
    before after first then until except because since so more less most least fewer same
    instead without == !=""".split()
)
_LOGIC_CHARS = frozenset("只才仅每都先后再前因所除非不没无未别必总均皆全")
# Chinese characters that only mark grammar: changing one changes no fact.
_PARTICLES = frozenset("的地得了着过吗呢吧啊呀么嘛哦")


def content_changed(truth: tuple[str, ...], said: tuple[str, ...]) -> bool:
    """A near-copy whose edits change what the sentence says: a content word stands in for
    another, or a logic word is added, dropped or changed. A detail dropped or added, a function
    word, a known synonym or inflection and a number written out change nothing; so does the same
    content in another order (a reordered list), which `turned_around` judges."""
    if truth == said or _meaning(truth) == _meaning(said):
        return False
    logic = _logic(truth) != _logic(said)
    named = _named(truth)
    return any(
        _changes(truth[i1:i2], said[j1:j2], logic, _names(said, j1, j2, named))
        for i1, i2, j1, j2 in edit_regions(truth, said)
        if not (i2 == len(truth) and len(said) == j2 > j1 and said[j1] in _CLAUSE_JOINERS)
    )


# A sentence's tail put in other words after one of these is a clause of the candidate's own
# added where the reference's ended ("…before copying the source, and pin the base image" for
# "…before copying the source so the layer cache survives"): the copied claim stands intact.
_CLAUSE_JOINERS = frozenset(", ， ; ； and 并 并且 而且 同时".split())


def edit_regions(truth: Sequence[str], said: Sequence[str]) -> list[tuple[int, int, int, int]]:
    """The edits that turn ``truth`` into ``said``, neighbouring ones joined: a word or two left in
    place between them ("sends a … query" / "sends the query straight to …") is chance, not copy."""
    regions: list[list[int]] = []
    last_equal = 99
    for op, i1, i2, j1, j2 in SequenceMatcher(None, truth, said, autojunk=False).get_opcodes():
        if op == "equal":
            # A Chinese token is one character: one left in place is about a word of chance.
            chinese = any(tx.CJK_RE.match(w) for w in truth[i1:i2])
            last_equal = (2 if chinese else 1) * (i2 - i1)
        elif regions and last_equal <= 2:
            regions[-1][1], regions[-1][3] = i2, j2
        else:
            regions.append([i1, i2, j1, j2])
    return [(a, b, c, d) for a, b, c, d in regions]


def _named(truth: Sequence[str]) -> frozenset[str]:
    """The Chinese two-character words of the reference."""
    text = "".join(w if tx.CJK_RE.match(w) else " " for w in truth)
    return frozenset(text[k : k + 2] for k in range(len(text) - 1) if " " not in text[k : k + 2])


def _names(said: Sequence[str], j1: int, j2: int, named: frozenset[str]) -> bool:
    """The Chinese characters put in at ``said[j1:j2]`` make, with a neighbour, a word the
    reference uses elsewhere: another thing of the answer named ("乐观锁" for "悲观锁")."""
    around = "".join(w if tx.CJK_RE.match(w) else " " for w in said[max(0, j1 - 1) : j2 + 1])
    return any(around[k : k + 2] in named for k in range(len(around) - 1))


def _logic(words: Sequence[str]) -> Counter[str]:
    return Counter(w for w in words if w in _LOGIC)


def _changes(
    old_words: Sequence[str], new_words: Sequence[str], logic: bool, names: bool = False
) -> bool:
    """One edit changes content: content words stand in for others, or (when the sentence's logic
    words are not the same ones moved about) a logic word comes or goes. A long stretch added or
    dropped is a detail, whatever words it holds; so is a stretch said in one word of the
    candidate's ("requires four conditions at once" / "needs"), and a single Chinese character
    taken out ("持续" / "继续", "回溯" / "来回跳"), since a word is two or more, unless the new
    characters make a word the reference uses for something else (``names``)."""
    old, new = _meaning(old_words), _meaning(new_words)
    replace = bool(old_words and new_words)
    small = max(len(old_words), len(new_words)) <= 3
    if logic and (old ^ new) & _LOGIC and (replace or small):
        return True
    if not replace or not (old - new and new - old):
        return False
    if len(new - old) == 1 and len(old - new) > 1:
        return False
    gone = [w for w in old - new if tx.CJK_RE.match(w)]
    return len(gone) != 1 or len(old - new) > 1 or names


_LOGIC = _LOGIC_WORDS | _LOGIC_CHARS


def _meaning(words: Sequence[str]) -> frozenset[str]:
    """The words that say something: content words (folded, numbers as digits) and logic words."""
    out = set()
    for w in words:
        if w in _PUNCTUATION or w in _PARTICLES:
            continue
        if w in _LOGIC_WORDS or tx.CJK_RE.match(w):
            out.add(w)
        elif tx.is_content(_fold(w)) or _is_number(w):
            out.add(_number(_fold(w)))
    return frozenset(out)


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
