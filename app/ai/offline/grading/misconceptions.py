"""Misconceptions: finding, in an answer, a clause that asserts a known wrong claim about a point.

Each key point may carry the common wrong claims an interviewer listens for (from the question bank,
or from a remote plan), each with cues: short phrases of 2–5 fragments. A cue matches one clause
when every fragment occurs in it (Latin fragments as words compared by stem, in any order; Chinese
fragments as substrings) and the clause asserts it: no negation or turn-around of its own ("not",
"avoid", "不", "避免") beyond what the cue itself says, no rejection of the claim in its sentence
("it is a myth that…", "误区"), and not a question. Cues are compiled once per question (the topic
is cached); an answer is cut into clauses once, however many points are checked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.ai.offline import text as tx
from app.ai.offline.grading.answer import analyse
from app.ai.offline.grading.contradictions import Clause as SaidClause
from app.ai.offline.grading.contradictions import turned
from app.ai.offline.lexicon import NEGATION, NEGATORS, POLARITY_TURNS, ZH_POLARITY_TURNS
from app.ai.offline.tokens import Token

if TYPE_CHECKING:
    from app.ai.offline.bank import Misconception
    from app.ai.offline.grading.answer import Answer

# Where a claim's clause ends: where the contradiction check's clauses end (so "containers share
# the host kernel and VMs run their own" is two claims), and at "however", "although", "yet"; but
# not at a colon or comma inside a word ("ubuntu:latest", "1,000") nor at brackets that belong to a
# word ("O(1)", "gc.collect()"): an aside in brackets starts a clause of its own.
_CLAUSE_BREAK = re.compile(
    r"[;，；：（）、]|[,:](?!\S)|(?<!\S)\("
    r"|\b(?:and|but|while|whereas|so|because|however|although|though|yet)\b"
    r"|而且|但是|所以|因为|然而|不过|但|而",
    re.I,
)
# Words that set a claim up to reject it ("it is a myth that…", "people think…, which is wrong").
_REJECT_EN = re.compile(
    r"\b(?:myths?|misconceptions?|misbeliefs?|fallac(?:y|ies)|mistaken(?:ly)?|wrong(?:ly)?"
    r"|untrue|incorrect(?:ly)?|not true|people (?:think|believe|assume|say)|some (?:say|think)"
    r"|commonly believed|debunk\w*)\b",
    re.I,
)
_REJECT_ZH = (
    "误区",
    "误解",
    "误以为",
    "以为",
    "谬误",
    "错误",
    "不对",
    "有人认为",
    "有人说",
    "并非如此",
)
_QUESTION_END = re.compile(r"[?？吗]\s*$")
_SQUEEZE = frozenset(" \t\r\n-_")


@dataclass(frozen=True)
class Cue:
    """A cue compiled for matching: the Latin terms and Chinese fragments that must all occur."""

    latin: frozenset[str]
    cjk: tuple[str, ...]
    turns: bool  # the cue itself negates or turns round ("no need", "不需要", "less")
    negations: int = 0  # how many negations the cue itself says ("without wraps nothing changes")


@dataclass(frozen=True)
class Wrong:
    """One misconception of a point, compiled."""

    claim: str
    correction: str
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class Hit:
    """A misconception an answer asserts, with the verbatim span of the answer that asserts it."""

    point: str
    claim: str
    quote: str
    correction: str

    def as_json(self) -> dict[str, str]:
        """The shape a grade's `errors` list carries."""
        return {
            "point": self.point,
            "claim": self.claim,
            "quote": self.quote,
            "correction": self.correction,
        }


@dataclass(frozen=True)
class Clause:
    """Part of a sentence a claim is made in, ready for cue look-ups."""

    start: int
    end: int
    sentence: tuple[int, int]
    terms: frozenset[str]  # every Latin token's term, function words and "not" included
    squeezed: str  # lower-cased text without spaces or hyphens, for Chinese fragments
    tokens: tuple[Token, ...]


def squeeze(text: str) -> str:
    """Width- and case-folded text without spaces or hyphens, as Chinese fragments are compared."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if ch not in _SQUEEZE)


def _fragment_terms(fragment: str) -> list[str]:
    """The terms of one Latin fragment; a lone negator ("never") means negation, as in a clause,
    except "none", which alone in a cue names Python's None."""
    out = []
    for tok in tx.tokens(fragment):
        plain = tok.surface.lower().replace("'", "")
        negator = tok.negates or (plain in NEGATORS and plain != "none")
        out.append(NEGATION if negator else tok.term)
    return out


@lru_cache(maxsize=16384)
def compile_cue(cue: str) -> Cue:
    """A cue's fragments as terms to find (Latin) and substrings to find (Chinese)."""
    latin: list[str] = []
    cjk: list[str] = []
    for fragment in cue.split():
        if tx.CJK_RE.search(fragment):
            cjk.append(squeeze(fragment))
        else:
            latin.extend(_fragment_terms(fragment))
    negations = latin.count(NEGATION) + sum(len(tx.zh_negations(f)) for f in cjk)
    turns = bool(negations) or bool(set(latin) & _turn_terms()) or any(map(_has_zh_turn, cjk))
    return Cue(frozenset(latin), tuple(cjk), turns, negations)


def _has_zh_turn(text: str) -> bool:
    return any(word in text for word in ZH_POLARITY_TURNS)


def compile_misconceptions(items: Iterable[Misconception]) -> tuple[Wrong, ...]:
    """A point's misconceptions compiled (cues without a fragment are dropped)."""
    out = []
    for item in items:
        cues = tuple(c for c in (compile_cue(cue) for cue in item.cues) if c.latin or c.cjk)
        if cues:
            out.append(Wrong(item.claim, item.correction, cues))
    return tuple(out)


# ------------------------------------------------------------------ the answer side
@dataclass
class Sentences:
    """An answer's sentences ready for cue look-ups: each one's token terms and squeezed text,
    with the clauses of a sentence cut the first time a cue could be in it."""

    terms: list[frozenset[str]]
    squeezed: list[str]  # empty for a sentence without Chinese
    cut: dict[int, tuple[Clause, ...]]


def sentences_of(answer: Answer) -> Sentences:
    """The answer prepared once and kept on it for every point checked after."""
    cached = vars(answer).get("_claim_sentences")
    if cached is None:
        chinese = tx.CJK_RE.search(answer.text) is not None
        cached = Sentences(
            [frozenset(t.term for t in toks) for toks in answer.sentence_tokens],
            [squeeze(answer.text[a:b]) if chinese else "" for a, b in answer.sentences],
            {},
        )
        vars(answer)["_claim_sentences"] = cached
    return cached


def clauses_of(answer: Answer, k: int) -> tuple[Clause, ...]:
    """Sentence ``k`` cut into clauses, once."""
    prepared = sentences_of(answer)
    found = prepared.cut.get(k)
    if found is None:
        found = prepared.cut[k] = tuple(_cut(answer, k, bool(prepared.squeezed[k])))
    return found


def claim_clauses(answer: Answer) -> tuple[Clause, ...]:
    """Every clause of the answer, in order."""
    return tuple(c for k in range(len(answer.sentences)) for c in clauses_of(answer, k))


def _cut(answer: Answer, n: int, any_chinese: bool) -> Iterable[Clause]:
    (start, end), toks = answer.sentences[n], answer.sentence_tokens[n]
    sentence = answer.text[start:end]
    cuts = [0, *(m.start() for m in _CLAUSE_BREAK.finditer(sentence)), len(sentence)]
    k = 0  # tokens are in order: each clause takes the next run of them
    for a, b in zip(cuts, cuts[1:], strict=False):
        lo, hi = start + a, start + b
        first = k
        while k < len(toks) and toks[k].start < hi:
            k += 1
        own = tuple(toks[first:k])
        piece = answer.text[lo:hi]
        chinese = any_chinese and tx.CJK_RE.search(piece) is not None
        if own or chinese:
            # Only a clause with Chinese in it can hold a Chinese fragment.
            squeezed = squeeze(piece) if chinese else ""
            yield Clause(lo, hi, (start, end), frozenset(t.term for t in own), squeezed, own)


def matches(cue: Cue, clause: Clause) -> bool:
    """Every fragment of the cue occurs in the clause."""
    return cue.latin <= clause.terms and all(f in clause.squeezed for f in cue.cjk)


def asserts(cue: Cue, clause: Clause, text: str) -> bool:
    """The clause makes the claim instead of denying, rejecting or asking it."""
    sentence = text[clause.sentence[0] : clause.sentence[1]]
    if _QUESTION_END.search(sentence) or _REJECT_EN.search(sentence):
        return False
    if any(word in sentence for word in _REJECT_ZH):
        return False
    if not cue.turns:
        return not turned_clause(clause, text)
    # The cue's own negation is the claim ("no need to read thread dumps"); another one denies it.
    piece = text[clause.start : clause.end]
    said = sum(1 for t in clause.tokens if t.negates) + len(tx.zh_negations(piece))
    if said > cue.negations:
        return False
    turns = _turn_terms()
    if any(t.term in turns and t.term not in cue.latin for t in clause.tokens):
        return False
    return not any(w in piece and not any(w in f for f in cue.cjk) for w in ZH_POLARITY_TURNS)


@lru_cache(maxsize=1)
def _turn_terms() -> frozenset[str]:
    return frozenset(tx.term(w) for w in POLARITY_TURNS)


def turned_clause(clause: Clause, text: str) -> bool:
    """The contradiction check's own test of a clause that denies or turns its statement round."""
    piece = text[clause.start : clause.end]
    return turned(SaidClause(clause.start, clause.end, piece, list(clause.tokens), clause.terms))


def quote_for(cue: Cue, clause: Clause, text: str) -> str:
    """A verbatim span of the answer: the clause, or the stretch holding the cue if it is long."""
    lo, hi = clause.start, clause.end
    if hi - lo > 160:
        spots = [(t.start, t.end) for t in clause.tokens if t.term in cue.latin]
        piece = text[lo:hi].lower()
        for fragment in cue.cjk:
            at = piece.find(fragment)
            if at >= 0:
                spots.append((lo + at, lo + at + len(fragment)))
        if spots:
            lo, hi = min(s for s, _ in spots), max(e for _, e in spots)
    while lo < hi and (text[lo].isspace() or text[lo] in ",;:，；："):
        lo += 1
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in ",;:，；："):
        hi -= 1
    return text[lo:hi]


def find_misconceptions(point: str, wrongs: tuple[Wrong, ...], answer: Answer) -> tuple[Hit, ...]:
    """Each misconception of a point that some clause of the answer asserts, with its quote."""
    if not wrongs:
        return ()
    hits = []
    for wrong in wrongs:
        hit = _first_hit(point, wrong, answer)
        if hit is not None:
            hits.append(hit)
    return tuple(hits)


def names_wrong_claim(wrongs: tuple[Wrong, ...], answer: Answer, span: tuple[int, int]) -> bool:
    """Some sentence overlapping ``span`` names one of these wrong claims, asserted or not.

    A denial around a known wrong claim ("it is a myth that a changed layer keeps the later
    layers' cache") rejects the misconception, so it agrees with the point instead of
    contradicting it."""
    prepared = sentences_of(answer)
    for k, (start, end) in enumerate(answer.sentences):
        if end <= span[0] or start >= span[1]:
            continue
        terms, squeezed = prepared.terms[k], prepared.squeezed[k]
        for wrong in wrongs:
            # A cue that says a negation itself ("vm no hypervisor") would find it in the denial's
            # own "not": only cues that assert something plainly can show a rejected claim.
            live = [
                c
                for c in wrong.cues
                if not c.negations and c.latin <= terms and all(f in squeezed for f in c.cjk)
            ]
            if live and any(matches(c, clause) for clause in clauses_of(answer, k) for c in live):
                return True
    return False


def _first_hit(point: str, wrong: Wrong, answer: Answer) -> Hit | None:
    prepared = sentences_of(answer)
    for k, (terms, squeezed) in enumerate(zip(prepared.terms, prepared.squeezed, strict=True)):
        # Most sentences lack some fragment of every cue: only the rest are cut into clauses.
        live = [c for c in wrong.cues if c.latin <= terms and all(f in squeezed for f in c.cjk)]
        for clause in clauses_of(answer, k) if live else ():
            for cue in live:
                if matches(cue, clause) and asserts(cue, clause, answer.text):
                    quote = quote_for(cue, clause, answer.text)
                    return Hit(point, wrong.claim, quote, wrong.correction)
    return None


@lru_cache(maxsize=4096)
def bank_misconceptions(
    question: str, points: tuple[str, ...]
) -> tuple[tuple[Misconception, ...], ...]:
    """The bank's misconceptions for these key points when the question is a bank question."""
    from app.ai.offline.bank import load_bank, question_key  # grading needs the bank only here

    entry = load_bank().find_by_text(question)
    if entry is None:
        return ()
    by_point = {question_key(kp.point): kp.misconceptions for kp in entry.key_points}
    return tuple(by_point.get(question_key(point), ()) for point in points)


def misconceptions_for(
    question: str, points: list[str], planned: Iterable[Mapping[str, Any]] = ()
) -> tuple[tuple[Misconception, ...], ...]:
    """Wrong claims aligned with the key points: the bank's (vetted) ones for a bank question,
    else those its plan gave ({point, claim, cues, correction} each, matched to a point by text)."""
    from app.ai.offline.bank import Misconception, load_bank, question_key

    if load_bank().find_by_text(question) is not None:
        return bank_misconceptions(question, tuple(points))
    by_point: dict[str, list[Misconception]] = {}
    for item in planned:
        cues = tuple(" ".join(str(c).split()) for c in item.get("cues") or [])
        wrong = Misconception(str(item.get("claim", "")), cues, str(item.get("correction", "")))
        by_point.setdefault(question_key(str(item.get("point", ""))), []).append(wrong)
    return tuple(tuple(by_point.get(question_key(point), ())) for point in points)


def cue_fires(cue: str, text: str) -> bool:
    """Whether one cue finds an assertion of its claim in a text (the bank check asks this)."""
    compiled = compile_cue(cue)
    if not compiled.latin and not compiled.cjk:
        return False
    answer = analyse(text)
    return any(
        matches(compiled, c) and asserts(compiled, c, answer.text) for c in claim_clauses(answer)
    )
