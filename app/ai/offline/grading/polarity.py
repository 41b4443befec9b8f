"""Polarity: a clause that speaks of a key point but denies or reverses it contradicts it.

`contradictions` finds antonyms of the words a point pairs and negations of a point's claim inside
the best-matching window. This module adds the general rules that window misses, checked on every
clause of the answer that is about the point (it carries most of the point's weight, or one of its
cue phrases):

- denial: a negator whose scope carries the point's claim ("no need to look at thread dumps",
  "不需要看线程栈", "never use a .dockerignore"), and whole-statement denials ("it is not true
  that…", "…is a myth", "并不是…");
- reversal: the clause says the opposite word of one the point (or its reference sentence) uses
  of the same thing ("bigger" where the truth is "smaller", "most" for "least", "training" for
  "new data", "之后" for "之前"): the domain pairs of the opposites table, and any English pair
  WordNet gives (`wordnet.antonyms`: "highest" for "lowest", "enable" for "disable");
- order: the point puts A before B and the clause does B first.

A point that itself denies something is agreed with by a word-level negation, so only the
whole-statement denials and reversals count against it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from app.ai.offline import text as tx
from app.ai.offline.grading.contradictions import is_about
from app.ai.offline.grading.copies import reversed_copies
from app.ai.offline.lexicon import (
    POLARITY_TURNS,
    REVERSAL_ROLES,
    REVERSALS,
    REVERSALS_ZH,
    ZH_POLARITY_TURNS,
)
from app.ai.offline.wordnet import antonyms

if TYPE_CHECKING:
    from app.ai.offline.grading.answer import Answer
    from app.ai.offline.grading.topic import Point, Topic

_BREAK = re.compile(
    r"[,;:，；：]|\b(?:but|while|whereas|so|because|although|though|unless|until|except)\b"
    r"|但是|但|而是|所以|因为|除非"
)
# "No need to…" denies the whole action that follows, lists and colons included, up to a contrast.
_NEED_NEGATOR = re.compile(
    r"\b(?:no\s+need|never\s+need|(?:do|does|did)\s*n[o']t\s+need|needn'?t)\b"
    r"|不需要|无需|无须|没必要|不必|不用|用不着",
    re.IGNORECASE,
)
_CONTRAST = re.compile(
    r"\b(?:but|instead|rather|however)\b|但|而是|却|不过|[()（）→]", re.IGNORECASE
)
_TURN_ZH = re.compile("|".join(ZH_POLARITY_TURNS))
# Where the clause a "no need" governs ends; a colon or an enumeration comma runs on into its list.
_CLAUSE_END = re.compile(r"[,;，；。]")
# What may stand between the start of a clause and a "no need" that leads it: "…，也没必要用".
_LEADS = re.compile(
    r"(?:.*[,.;:!?，。；：！？]|^)\s*(?:also|and|so|you|we|there\s+is|there's|it\s+is|也|就|都|还|根本|完全|并)?\s*",
    re.IGNORECASE | re.DOTALL,
)
_CUE_REACH = 6  # words (Chinese: twice as many characters) a "no need" must govern a cue within
_SCOPE_END = re.compile(
    r"[,.;:!?()，。；：！？（）、]|\b(?:and|or|but|unless|until|if|when|because)\b"
)
_SCOPE_WORDS = 5  # an English negator governs about this many words
_SCOPE_CHARS = 12  # a Chinese one about this many characters
# Negators that deny what follows them in their clause.
_NEGATOR_EN = re.compile(
    r"\b(?:not|never|no|without|cannot|neither|nor|don'?t|doesn'?t|isn'?t|aren'?t|won'?t|can'?t"
    r"|shouldn'?t|mustn'?t|wasn'?t|weren'?t|didn'?t|needn'?t|no need to|unnecessary to"
    r"|there'?s no need|pointless to|useless to)\b",
    re.IGNORECASE,
)
_NEGATOR_ZH = re.compile(
    r"不需要|不必|无需|无须|没必要|不用|用不着|并不|并非|不是|不会|不能|没有|不要|别|从不|从来不|不"
)
# Whole statements denied: the rest of the sentence, or what came before, is said to be false.
_DENY_AHEAD = re.compile(
    r"\b(?:it\s+is|it'?s|that\s+is|that'?s)\s+(?:not\s+true|false|a\s+myth|wrong|incorrect|"
    r"not\s+the\s+case)\s+that\b|\bcontrary\s+to\s+(?:popular\s+belief|what)|并不是|不是说|并非"
    r"|^\s*(?:不是|没有)",
    re.IGNORECASE,
)
_DENY_BEHIND = re.compile(
    r"\b(?:is|are)\s+(?:false|wrong|incorrect|a\s+myth|not\s+true|untrue)\b|是错的|是错误的|是误区|"
    r"不对|不成立|是谣言",
    re.IGNORECASE,
)
_ORDER_EARLY = re.compile(
    r"\b(?:first|firstly|at\s+the\s+start|to\s+begin)\b|首先|先", re.IGNORECASE
)
_THEN = re.compile(r"\b(?:then|and then|after that|afterwards|later)\b|然后|再|之后", re.IGNORECASE)
_BEFORE_EN = re.compile(r"\bbefore\b", re.IGNORECASE)
_AFTER_EN = re.compile(r"\bafter\b", re.IGNORECASE)
_MARKERS = (_NEGATOR_EN, _NEGATOR_ZH, _DENY_AHEAD, _DENY_BEHIND, _ORDER_EARLY)


@lru_cache(maxsize=65536)
def _terms(text: str) -> frozenset[str]:
    """The comparable terms of a piece of text (answers repeat across key points, so cached)."""
    return frozenset(tx.content_terms(text))


@lru_cache(maxsize=65536)
def _words(text: str) -> frozenset[str]:
    """Every word of a piece of text as a term, function words included."""
    return frozenset(t.term for t in tx.tokens(text))


@lru_cache(maxsize=65536)
def _marked(text: str) -> bool:
    """The text holds something that can turn a claim around: a negator, a denial, a reversal
    word or an order word. Clauses without one cannot contradict anything and are skipped."""
    if any(rx.search(text) for rx in _MARKERS):
        return True
    return bool(_words(text) & _opposites().keys()) or any(
        a in text or b in text for a, b in REVERSALS_ZH
    )


def clause_spans(text: str, sentences: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """Every clause of an answer: its sentences cut at commas and conjunctions."""
    spans: list[tuple[int, int]] = []
    for start, end in sentences:
        sentence = text[start:end]
        cuts = [0, *(m.start() for m in _BREAK.finditer(sentence)), len(sentence)]
        spans.extend(
            (start + a, start + b)
            for a, b in zip(cuts, cuts[1:], strict=False)
            if sentence[a:b].strip(" ,;:()，；：（）")
        )
    return spans


def _share(point: Point, text: str) -> float:
    """Share of the point's weight the text carries."""
    terms = _terms(text)
    return sum(w for t, w in point.weights.items() if t in terms) / point.total


def _cue_in(point: Point, text: str) -> bool:
    """One of the point's cue phrases appears in the text."""
    low = text.lower()
    return any(cue in low for cue in _lowered(point.cues))


# Pure in the cues, and the result is a tuple: a point's cues are lowered once, not once per
# clause of every answer.
@lru_cache(maxsize=4096)
def _lowered(cues: tuple[str, ...]) -> tuple[str, ...]:
    """The cue phrases of two characters or more, in lower case."""
    return tuple(cue.lower() for cue in cues if len(cue) >= 2)


def _claims(point: Point, text: str, share: float = 0.5) -> bool:
    """The text carries the point's claim: most of its weight, or one of its cue phrases."""
    return _cue_in(point, text) or (_share(point, text) >= share and _strong_hits(point, text) >= 2)


def _states(point: Point, text: str) -> bool:
    """The text states the point itself, not just names its subject: most of its weight, and all
    or two of its strongest terms."""
    return _share(point, text) >= 0.6 and _strong_hits(point, text) >= 2


def _strong_hits(point: Point, text: str) -> int:
    """How many of the point's strongest terms the text uses (2 when it uses all of them)."""
    terms = _terms(text)
    top = max(point.weights.values(), default=0.0)
    strong = [t for t, w in point.weights.items() if w >= min(1.0, top)]
    hits = sum(1 for t in strong if t in terms)
    return 2 if hits and hits == len(strong) else hits


def polarity_conflict(point: Point, answer: Answer, topic: Topic) -> tuple[int, int] | None:
    """The span of the first clause that denies or reverses the point, if any.

    Only clauses about the point's own subject count ("it is not stable" said of quicksort says
    nothing of mergesort). A denial is judged on the clause's whole statement (a list-like point
    spans many clauses); a reversed word or order on the clause itself. A sentence copied from the
    reference with a fact turned around contradicts the point that sentence explains.
    """
    copied = copied_reversal(point, answer, topic)
    if copied:
        return copied
    for start, end, clause, sentence, at, terms, around in _candidate_clauses(point, answer):
        if not _about(point, clause, around, topic) and not (
            terms & _subject_opposites(point.subject)
            and _swapped_subject(point, clause, terms, topic)
        ):
            continue
        about = _cue_in(point, clause) or _share(point, clause) >= 0.34
        if not about and _share(point, sentence) < 0.34:
            continue  # says too little of the point to deny or reverse it
        if _in_reference(clause, topic):
            continue
        # A part that states another key point right way round speaks of that point's case.
        reverses = any(
            _reverses(point, part, sentence, whole=part is clause)
            and not _states_another(point, part, sentence, topic)
            for part in _conjuncts(clause)
        )
        reverses = reverses or (
            reversed_order(point, clause) and not _states_another(point, clause, sentence, topic)
        )
        if reverses and _inside_denial(clause, sentence, at):
            continue  # "it is a myth that <the reversed claim>" agrees with the point
        if denied(point, clause, sentence, at, topic):
            return start, end
        if (
            about
            and reverses
            and (is_about(point, terms, topic) or _swapped_subject(point, clause, terms, topic))
        ):
            return start, end
    return None


def _in_reference(clause: str, topic: Topic) -> bool:
    """The clause is the reference answer's own words (case and spacing aside): true, so it
    contradicts nothing, whatever pair of opposites the reference names."""
    core = " ".join(clause.lower().split()).strip(" ,;:.，；：。")
    return len(core) >= 12 and core in _reference_text(topic.sentences)


@lru_cache(maxsize=1024)
def _reference_text(sentences: tuple[str, ...]) -> str:
    """The reference answer's sentences, lower case with single spaces, once per question."""
    return " ".join(" ".join(s.lower().split()) for s in sentences)


def _candidate_clauses(
    point: Point, answer: Answer
) -> tuple[tuple[int, int, str, str, int, frozenset[str], frozenset[str]], ...]:
    """The clauses that may turn the point around: those with a negator, denial, order word or
    table opposite, and those using a WordNet opposite of a word of the point's context."""
    marked = marked_clauses(answer.text, tuple(answer.sentences))
    wrong = _context_opposites(point.context_text)
    if not wrong or wrong.isdisjoint(_words(answer.text)):
        return marked  # most answers use none of the point's opposites
    seen = {c[0] for c in marked}
    extra = tuple(
        c
        for c in _all_clauses(answer.text, tuple(answer.sentences))
        if c[0] not in seen
        if _words(c[2]) & wrong
    )
    return marked + extra if extra else marked


@lru_cache(maxsize=512)
def _all_clauses(
    text: str, sentences: tuple[tuple[int, int], ...]
) -> tuple[tuple[int, int, str, str, int, frozenset[str], frozenset[str]], ...]:
    """Every clause of an answer in the shape of `marked_clauses`, once per answer."""
    out = []
    for start, end in clause_spans(text, sentences):
        sentence, at = _statement(text, sentences, start)
        clause = text[start:end]
        terms = _terms(clause)
        out.append((start, end, clause, sentence, at, terms, terms | _terms(sentence)))
    return tuple(out)


@lru_cache(maxsize=4096)
def _context_opposites(context: str) -> frozenset[str]:
    """The terms of WordNet's opposites of the words of a point's context (outside the table):
    what a clause must use to reverse the point in general words. Worked out once per point."""
    found: set[str] = set()
    for tok in tx.tokens(context):
        low = tok.surface.lower()
        if low not in _NOT_OPPOSED and tx.is_content(tok.term):
            found |= antonyms(low)
    return frozenset(found - _truth_terms(context))


def _swapped_subject(point: Point, clause: str, terms: frozenset[str], topic: Topic) -> bool:
    """The clause names the opposite of the point's own subject and says the point's claim of it:
    "a too large learning rate converges very slowly" against "a too small learning rate converges
    very slowly". The question's words it uses beyond the point's are all opposites of words of the
    point's subject, so it is the point's claim moved onto the other case, not another subject.
    A clause that states another key point ("big-endian puts the most significant byte first",
    beside "little-endian the least") says what is true of the other case: no swap."""
    rivals = {t for t in (terms & topic.question_terms) - point.weights.keys() if not tx.is_weak(t)}
    if not rivals or not point.subject:
        return False
    if not all(_opposed_terms(t) & point.subject for t in rivals):
        return False
    return not any(_states(other, clause) for other in topic.points if other is not point)


@lru_cache(maxsize=4096)
def _subject_opposites(subject: frozenset[str]) -> frozenset[str]:
    """The opposites of the words of a point's subject: a clause using none of them cannot have
    moved the point's claim onto the other case."""
    return frozenset(t for word in subject for t in _opposed_terms(word))


@lru_cache(maxsize=4096)
def _opposed_terms(term: str) -> frozenset[str]:
    """The opposites of a term, from the table or WordNet (a term is its own best spelling)."""
    return _opposites().get(term, frozenset()) | antonyms(term)


def copied_reversal(point: Point, answer: Answer, topic: Topic) -> tuple[int, int] | None:
    """The span of a sentence that copies a reference sentence with a fact turned around, when
    ``point`` is the key point it speaks against."""
    for start, end, truth in reversed_copies(answer, topic):
        if owner(topic, truth, answer.text[start:end]) is point:
            return start, end
    return None


def owner(topic: Topic, truth: str, said: str) -> Point | None:
    """The key point a reference sentence explains: among the points it is the closest reference
    sentence of (all points when none), the one the copied sentence carries most of; when it
    carries none of any, the point explained nearest to it in the reference."""
    near = [p for p in topic.points if truth == p.text or truth in p.context_text]
    if not topic.points:
        return None
    best = max(near or topic.points, key=lambda p: _share(p, said))
    if near or _share(best, said) > 0:
        return best
    if truth not in topic.sentences:
        return None
    at = topic.sentences.index(truth)
    placed = [
        (abs(k - at), i)
        for i, p in enumerate(topic.points)
        for k, s in enumerate(topic.sentences)
        if s in p.context_text
    ]
    return topic.points[min(placed)[1]] if placed else None


def denies_a_denial(answer: Answer, span: tuple[int, int], point: str) -> bool:
    """The sentence around ``span`` rejects, as a whole, a statement that itself negates ("it is a
    myth that containers have no limits", "说不需要看线程栈是错误的"): two denials make an
    agreement, so the point is not contradicted there. A negation or turn the point itself says
    ("… to avoid off-by-one") is the point's own wording, not a second denial."""
    for start, end in answer.sentences:
        if end <= span[0] or start >= span[1]:
            continue
        sentence = answer.text[start:end]
        ahead = _DENY_AHEAD.search(sentence)
        if ahead:
            scope = sentence[ahead.end() :]
        else:
            behind = _DENY_BEHIND.search(sentence)
            if not behind:
                continue
            scope = sentence[: behind.start()]
        negator = _NEGATOR_ZH if tx.CJK_RE.search(scope) else _NEGATOR_EN
        own = {m.group(0).lower() for m in negator.finditer(point)}
        if any(m.group(0).lower() not in own for m in negator.finditer(scope)):
            return True  # "… that containers have no limits"
        if (_words(scope) & _turn_terms()) - _words(point):
            return True  # "… that any ORDER BY avoids a filesort"
    return False


def _inside_denial(clause: str, sentence: str, at: int) -> bool:
    """The clause lies in the scope of a whole-statement denial ("it is a myth that …",
    "… is false"), so what it says is rejected, not claimed."""
    ahead, behind = _whole_denials(sentence)
    if ahead and at + len(clause) > ahead.start():
        return True
    return bool(behind and at < behind.end())


# Pure in the sentence, and match objects are never changed: every key point checks the same
# sentences of an answer, so their denials are found once per sentence.
@lru_cache(maxsize=4096)
def _whole_denials(sentence: str) -> tuple[re.Match[str] | None, re.Match[str] | None]:
    """The first whole-statement denial ahead of what it denies ("it is a myth that …"), and
    the first behind it ("… is false"), in the sentence."""
    return _DENY_AHEAD.search(sentence), _DENY_BEHIND.search(sentence)


@lru_cache(maxsize=512)
def marked_clauses(
    text: str, sentences: tuple[tuple[int, int], ...]
) -> tuple[tuple[int, int, str, str, int, frozenset[str], frozenset[str]], ...]:
    """(start, end, clause, its statement, offset in it, the clause's terms, those with the
    statement's) for each clause whose statement can turn a claim around; computed once per
    answer, not once per key point."""
    out = []
    for start, end in clause_spans(text, sentences):
        sentence, at = _statement(text, sentences, start)
        if _marked(sentence):
            clause = text[start:end]
            terms = _terms(clause)
            out.append((start, end, clause, sentence, at, terms, terms | _terms(sentence)))
    return tuple(out)


def _about(point: Point, clause: str, terms: frozenset[str], topic: Topic) -> bool:
    """The clause speaks of the point's subject, or names one of its own cues with no rival
    subject beside it ("不需要看线程栈" is about confirming a deadlock with thread dumps)."""
    if is_about(point, terms, topic):
        return True
    echoes = _echoing(point.text, point.cues)
    if not echoes:
        return False  # most points have no cue that repeats their wording
    own_terms = _terms(clause)
    rivals = {
        t for t in (own_terms & topic.question_terms) - point.weights.keys() if not tx.is_weak(t)
    }
    low = clause.lower()
    return not rivals and any(cue in low for cue in echoes)


# Pure in its arguments, and the result is a tuple: worked out once per key point.
@lru_cache(maxsize=4096)
def _echoing(point: str, cues: tuple[str, ...]) -> tuple[str, ...]:
    """The point's cues (lower case) that repeat part of its own wording."""
    own = point.lower()
    return tuple(cue for cue in _lowered(cues) if _echoes(cue, own))


def _statement(text: str, spans: tuple[tuple[int, int], ...], at: int) -> tuple[str, int]:
    """The sentence holding position ``at`` and where ``at`` falls in it; a "?" or "!" followed by
    a lower-case word ("the ? operator") does not end a statement, so such sentences are joined."""
    k = next((i for i, (a, b) in enumerate(spans) if a <= at < b), None)
    if k is None:
        return "", 0
    lo, hi = k, k
    while lo > 0 and _joined(text, spans[lo - 1], spans[lo]):
        lo -= 1
    while hi + 1 < len(spans) and _joined(text, spans[hi], spans[hi + 1]):
        hi += 1
    start = spans[lo][0]
    return text[start : spans[hi][1]], at - start


def _joined(text: str, first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Two sentence spans that are one statement cut at a "?" or "!" inside it: an operator (set
    apart by a space, "U ? X : Y") or one followed by a lower-case word ("the ? operator")."""
    ending = text[first[0] : first[1]].rstrip()
    opening = text[second[0] : second[1]].lstrip()
    if ending[-1:] not in ("?", "!") or not opening:
        return False
    operator = ending[-2:-1] == " "
    return operator or not (opening[0].isupper() or tx.CJK_RE.match(opening[0]))


def denied(point: Point, clause: str, sentence: str, at: int, topic: Topic) -> bool:
    """The clause (at ``at`` in its sentence) denies the point's claim: a negator whose scope
    carries it, or a whole-statement denial around it."""
    ahead, behind = _whole_denials(sentence)
    if ahead and at + len(clause) > ahead.start() and _states(point, sentence[ahead.end() :]):
        return True
    if behind and at < behind.end() and _states(point, sentence[: behind.start()]):
        return True
    if point.negated or _other_side(point, clause):
        return False  # a word-level negation agrees with a point that denies something itself
    for need in _NEED_NEGATOR.finditer(sentence):
        stop = _contrast_at(point, sentence, need.end())
        scope = sentence[need.end() : stop]
        if at < stop and at + len(clause) > need.start():
            leads = _LEADS.fullmatch(sentence[max(0, need.start() - 6) : need.start()]) is not None
            clause_scope = _CLAUSE_END.split(scope, maxsplit=1)[0]
            if _states(point, clause_scope) or (
                leads and _needless(point, scope) and not _names_rival(point, topic, sentence)
            ):
                return _denies_assertion(point, scope)
    # In a Chinese sentence an English "never" or "no" is code (TypeScript's never type).
    negators = (_NEGATOR_ZH,) if tx.CJK_RE.search(clause) else (_NEGATOR_EN,)
    for rx in negators:
        for m in rx.finditer(clause):
            if rx is _NEGATOR_ZH and _names_a_thing(point, clause, m.start()):
                continue
            scope = _scope(clause[m.end() :], chinese=rx is _NEGATOR_ZH)
            if _states(point, scope) and _denies_assertion(point, scope):
                return True
    return False


def _denies_assertion(point: Point, scope: str) -> bool:
    """A negation denies what the point asserts, not what the point itself denies or avoids.

    "No need to go back to the table" agrees with "a covering index avoids going back to the
    table": its scope holds only what the point turns away. It contradicts the point when it
    reaches what the point asserts, the words before the point's own "avoid", "never" or "不".
    """
    asserted = _asserted_terms(point.text)
    if asserted is None:
        return True
    return bool(asserted & _terms(scope))


@lru_cache(maxsize=4096)
def _asserted_terms(point: str) -> frozenset[str] | None:
    """The point's terms before its first negator or turn word (None when it has neither)."""
    cut = len(point)
    for token in tx.tokens(point):
        if token.negates or token.term in _turn_terms():
            cut = min(cut, token.start)
            break
    for rx in (_TURN_ZH, _NEGATOR_ZH):
        for m in rx.finditer(point):
            if not any(point.startswith(w, m.start()) for w in tx.ZH_NEGATED_TERMS):
                cut = min(cut, m.start())
                break
    if cut == len(point):
        return None
    return _terms(point[:cut])


def _other_side(point: Point, clause: str) -> bool:
    """The clause speaks of the other one of a pair ("a private subnet has no route…" says nothing
    against "a public subnet routes to the gateway")."""
    said = _words(clause)
    truth = _words(point.text)
    table = _opposites()
    if any(table[w] & truth and w not in truth for w in said & table.keys()):
        return True
    return any(
        (a in clause and b in point.text and a not in point.text)
        or (b in clause and a in point.text and b not in point.text)
        for a, b in REVERSALS_ZH
    )


@lru_cache(maxsize=1)
def _turn_terms() -> frozenset[str]:
    """The words that turn a statement away ("avoids", "prevents"), as terms."""
    return frozenset(tx.term(w) for w in POLARITY_TURNS)


def _needless(point: Point, scope: str) -> bool:
    """Right after a "no need to…" that leads its clause comes a distinctive cue that the point
    itself names ("不需要看线程栈" against "用 jstack 导出线程栈"); a cue for a detail the point
    does not name ("无需 CAS" in a lock-upgrade chain), or a two-character word, proves nothing."""
    chinese = bool(tx.CJK_RE.search(scope[:3]))
    near = (scope[: 2 * _CUE_REACH] if chinese else " ".join(scope.split()[:_CUE_REACH])).lower()
    own = point.text.lower()
    return any(
        cue.lower() in near
        and cue.lower() in own
        and len(cue) >= (3 if tx.CJK_RE.search(cue) else 4)
        for cue in point.cues
    )


def _names_rival(point: Point, topic: Topic, text: str) -> bool:
    """The text names another key point's own cue: it speaks of that one ("共享内存…不需要内核拷贝"
    is about shared memory, not about message queues' copying)."""
    low = text.lower()
    mine = {c.lower() for c in point.cues}
    return any(
        cue.lower() in low and cue.lower() not in mine
        for other in topic.points
        if other is not point
        for cue in other.cues
        if len(cue) >= 2
    )


def _echoes(cue: str, point: str) -> bool:
    """The cue repeats part of the point's own wording."""
    if cue in point:
        return True
    return bool(_terms(cue) & _terms(point))


def _contrast_at(point: Point, sentence: str, start: int) -> int:
    """Where a contrast ("but", "但") after ``start`` turns the statement, or its end; the point's
    own contrast words ("volatile gives visibility but…") do not count."""
    own = point.text.lower()
    for m in _CONTRAST.finditer(sentence, start):
        if m.group() in "()（）→" or m.group().lower() not in own:
            return m.start()
    return len(sentence)


def _scope(tail: str, chinese: bool) -> str:
    """What a negator governs: the next few words, up to punctuation or a conjunction."""
    end = _SCOPE_END.search(tail)
    tail = tail[: end.start()] if end else tail
    if chinese:
        return tail[:_SCOPE_CHARS] if tx.CJK_RE.match(tail[:1] or " ") else tail[:24]
    words = tail.split()
    return " ".join(words[:_SCOPE_WORDS])


def _names_a_thing(point: Point, text: str, at: int) -> bool:
    """A Chinese word that starts with a negator but denies nothing: 不同, 无锁, or a name the point
    or its cues use themselves ("不可剥夺" is one of the deadlock conditions)."""
    if any(text.startswith(word, at) for word in tx.ZH_NEGATED_TERMS):
        return True
    word = text[at : at + 3]
    return len(word) >= 2 and (
        word[:2] in point.context_text or any(word[:2] in cue for cue in point.cues)
    )


def opposites() -> dict[str, frozenset[str]]:
    """Each reversal word (English as a term) with its opposites."""
    return _opposites()


def truth_terms(context: str) -> frozenset[str]:
    """Every term and word of a point's context."""
    return _truth_terms(context)


def asserted_terms(point: str) -> frozenset[str] | None:
    """The point's terms before its first negator or turn word (None when it has neither)."""
    return _asserted_terms(point)


def negates(clause: str) -> bool:
    """The clause holds a negation or a turn word ("avoids", "避免"): what it says of a point may
    be denied."""
    return (
        tx.has_negation(clause)
        or bool(_TURN_ZH.search(clause))
        or not _words(clause).isdisjoint(_turn_terms())
    )


def words_of(text: str) -> frozenset[str]:
    """Every word of a piece of text as a term, function words included."""
    return _words(text)


@lru_cache(maxsize=1)
def _opposites() -> dict[str, frozenset[str]]:
    """Each reversal word (English as a term) with its opposites."""
    table: dict[str, set[str]] = {}
    for a, b in REVERSALS:
        for x, y in ((tx.term(a), tx.term(b)), (tx.term(b), tx.term(a))):
            table.setdefault(x, set()).add(y)
    return {k: frozenset(v) for k, v in table.items()}


def reversed_word(point: Point, clause: str, sentence: str = "") -> bool:
    """The clause uses the opposite of a word the point's context uses, and not the word itself.

    For a pair of roles (client and server, optimistic and pessimistic) an answer often names
    both sides; the swap counts only when the sentence never names the right one.
    """
    truth_terms = _truth_terms(point.context_text)
    said = _words(clause)
    table = _opposites()
    whole = _words(sentence) | said
    for word in said & table.keys():
        right = table[word]
        seen = whole if word in _role_terms() else said
        restored = f"{clause} {' '.join(right)}"
        if (
            word not in truth_terms
            and right & truth_terms
            and not right & seen
            and _states(point, restored)
            and _neighbours(clause, {word}) & _neighbours(point.context_text, set(right))
        ):
            return not _NEGATOR_EN.search(clause)
    if _general_reversal(point, clause, truth_terms, said):
        return True
    for wrong_zh, right_zh in _zh_turns(point.context_text):
        if wrong_zh in clause and right_zh not in sentence and _states(point, clause + right_zh):
            return not _NEGATOR_ZH.search(clause.replace(wrong_zh, ""))
    return False


_AND = re.compile(r"\s+and\s+|\s*&\s*|并且|而且")


def _reverses(point: Point, part: str, sentence: str, whole: bool) -> bool:
    """A clause (``whole``) reverses the point by any opposite; one of its "and" parts by a
    WordNet opposite (the table's pairs are judged on the whole clause, as they always were)."""
    if whole:
        return reversed_word(point, part, sentence)
    return _general_reversal(point, part, _truth_terms(point.context_text), _words(part))


def _conjuncts(clause: str) -> list[str]:
    """The clause, and its parts joined by "and" when it has several: "big-endian stores the
    least significant byte first and little-endian the most" says two things, each of which can
    reverse a point while the whole names both words of a pair."""
    parts = [p for p in _AND.split(clause) if p.strip()]
    return [clause, *parts] if len(parts) > 1 else [clause]


# Adverbs whose WordNet opposites belong to a rare adjective sense ("only" → "multiple").
_NOT_OPPOSED = frozenset({"only", "just", "also", "even", "still", "well", "much"})


def _general_opposites(word: str) -> frozenset[str]:
    """WordNet's opposites of a word; none for the table's role words (client, server…), whose
    swaps the table judges on the whole sentence."""
    low = word.lower()
    if low in _NOT_OPPOSED or tx.term(low) in _role_terms() or not tx.is_content(tx.term(low)):
        return frozenset()
    return antonyms(word)


def _general_reversal(
    point: Point, clause: str, truth: frozenset[str], said: frozenset[str]
) -> bool:
    """The clause uses a word WordNet gives as the opposite of one the point's context uses of the
    same thing, and not that word itself: "the most significant byte at the highest address"
    against "… at the lowest address". As for the table's pairs, the clause with the right word
    put back must state the point, and the two words must describe the same thing."""
    wrong = _context_opposites(point.context_text)
    if not said & wrong:
        return False
    for tok in tx.tokens(clause):
        if tok.term not in wrong or tok.term in _role_terms():
            continue
        # The right word is the point's own: its reference sentence names other cases too.
        right = _general_opposites(tok.surface) & truth & _truth_terms(point.text)
        if not right or right & said:
            continue
        if _compound_only(point.context_text, right) and not _in_compound(clause, tok):
            continue  # "same-origin" names a policy: "other origins" does not turn it around
        restored = f"{clause} {' '.join(right)}"
        if _states(point, restored) and _neighbours(clause, {tok.term}) & _neighbours(
            point.context_text, set(right)
        ):
            return not _NEGATOR_EN.search(clause)
    return False


def _in_compound(text: str, tok: tx.Token) -> bool:
    """The word is part of a hyphenated compound ("big" in "big-endian")."""
    return text[tok.end : tok.end + 1] == "-" or text[max(0, tok.start - 1) : tok.start] == "-"


@lru_cache(maxsize=4096)
def _compound_only(context: str, words: frozenset[str]) -> bool:
    """Every use of these terms in the context is inside a hyphenated compound: a name
    ("same-origin policy"), whose part is no claim on its own."""
    uses = [tok for tok in tx.tokens(context) if tok.term in words]
    return bool(uses) and all(_in_compound(context, tok) for tok in uses)


def _states_another(point: Point, clause: str, sentence: str, topic: Topic) -> bool:
    """The clause states another key point, right way round ("inner join returns only rows that
    match in both tables"): a word of it that is the opposite of one of ``point``'s words speaks
    of that other point's case, not against ``point``."""
    return any(
        _states(other, clause) and not reversed_word(other, clause, sentence)
        for other in topic.points
        if other is not point
    )


# Pure in the context text, and the result is a tuple: every answer is checked against the same
# key points, so which Chinese reversals a point can suffer is worked out once per point.
@lru_cache(maxsize=4096)
def _zh_turns(context: str) -> tuple[tuple[str, str], ...]:
    """(wrong, right) for each Chinese reversal pair whose right word the point's context uses
    and whose wrong word it does not, in table order."""
    return tuple(
        (wrong, right)
        for a, b in REVERSALS_ZH
        for wrong, right in ((a, b), (b, a))
        if right in context and wrong not in context
    )


# Pure in the context text, and the result is a frozenset: read once per key point.
@lru_cache(maxsize=4096)
def _truth_terms(context: str) -> frozenset[str]:
    """Every term and word of a point's context."""
    return _terms(context) | _words(context)


# Pure in the point's text, and the result is immutable: the order a point states is read once,
# not once per clause of every answer.
@lru_cache(maxsize=4096)
def _order(point_text: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(terms done first, terms done later) when the point orders two things with before/after."""
    for rx, early_first in ((_BEFORE_EN, True), (_AFTER_EN, False)):
        m = rx.search(point_text)
        if m:
            left = _terms(point_text[: m.start()])
            right = _terms(point_text[m.end() :])
            left, right = left - right, right - left
            if left and right:
                return (left, right) if early_first else (right, left)
    m = re.search(r"先(.+?)(?:再|然后|后)(.+)", point_text) or re.search(
        r"(.+?)之前(.+)", point_text
    )
    if m:
        first, later = m.group(1), m.group(2)
        if m.re.pattern.startswith("(.+?)之前"):
            first, later = later, first
        a, b = frozenset(tx.cjk_bigrams(first)), frozenset(tx.cjk_bigrams(later))
        if a - b and b - a:
            return a - b, b - a
    return None


def _neighbours(text: str, words: set[str], reach: int = 1) -> set[str]:
    """Content words next to any of ``words`` (function words passed over): what they describe."""
    toks = [t for t in tx.tokens(text) if tx.is_content(t.term) or t.term in words]
    near: set[str] = set()
    for k, tok in enumerate(toks):
        if tok.term in words:
            near.update(
                t.term for t in toks[max(0, k - reach) : k + reach + 1] if t.term not in words
            )
    return near


@lru_cache(maxsize=1)
def _role_terms() -> frozenset[str]:
    """The reversal words that name one of two roles, as terms."""
    return frozenset(tx.term(w) for pair in REVERSAL_ROLES for w in pair)


def reversed_order(point: Point, clause: str) -> bool:
    """The point does A before B; the clause does B first, or says B before A."""
    order = _order(point.text)
    if order is None:
        return False
    early, late = order
    terms = _terms(clause)
    m = _BEFORE_EN.search(clause)
    if m:
        ahead, behind = (
            _terms(clause[: m.start()]),
            _terms(clause[m.end() :]),
        )
        return bool(ahead & late and behind & early and not ahead & early)
    early_mark = _ORDER_EARLY.search(clause)
    if early_mark:
        then = _THEN.search(clause, early_mark.end())
        done_first = _terms(clause[: then.start() if then else len(clause)])
        return bool(done_first & late) and not done_first & early
    del terms
    return False
