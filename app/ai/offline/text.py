"""Text primitives for the offline interviewer, in English and Chinese.

Everything here is pure, deterministic and cheap: language detection, normalisation, content terms
(Latin tokens from `tokens`, stemmed and folded onto synonyms, plus CJK character bigrams: Chinese
has no spaces, so overlapping character pairs stand in for words), weak terms, sentence splitting,
negation in both languages and short quotes. The grader, insights and follow-ups build on these.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from app.ai.offline.lexicon import (
    WEAK_WORDS,
    ZH_NEGATED_TERMS,
    ZH_NEGATORS,
    ZH_STOP_CHARS,
    ZH_WEAK_BIGRAMS,
)
from app.ai.offline.tokens import Token as Token
from app.ai.offline.tokens import is_content as is_content
from app.ai.offline.tokens import stem as stem
from app.ai.offline.tokens import term as term
from app.ai.offline.tokens import tokens as tokens
from app.language import Language

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{_CJK}]")
_CJK_RUN_RE = re.compile(f"[{_CJK}]+")
_SENTENCE_RE = re.compile(r"(?<!e\.g\.)(?<!i\.e\.)(?<=[.!?])\s+|[。！？；;\n]+")
_SPACES_RE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Fold width and case (NFKC + lower) and collapse whitespace."""
    return _SPACES_RE.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().lower()


def detect_language(text: str) -> Language:
    """Return "zh" when Chinese characters carry the text, else "en".

    Chinese answers often contain English terms (JVM, GC Roots), so one Chinese character is
    weighed against about two Latin words rather than against letters.
    """
    cjk = len(CJK_RE.findall(text or ""))
    if cjk == 0:
        return "en"
    latin_words = len(re.findall(r"[A-Za-z]{2,}", text))
    if cjk * 2 >= latin_words or cjk >= 20:
        return "zh"
    return "en"


def cjk_bigrams(text: str) -> list[str]:
    """Overlapping character pairs of each Chinese run, skipping pairs glued by function words.

    A run of one character yields that character, so a lone 堆 or 栈 still counts.
    """
    out: list[str] = []
    for run in _CJK_RUN_RE.findall(text or ""):
        if len(run) == 1:
            if run not in ZH_STOP_CHARS:
                out.append(run)
            continue
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if pair[0] not in ZH_STOP_CHARS and pair[1] not in ZH_STOP_CHARS:
                out.append(pair)
    return out


def content_terms(text: str) -> list[str]:
    """Terms that carry meaning: stemmed Latin content words plus Chinese bigrams, in order.

    Case is left to `tokens` so "CPython" splits into its parts on every side of a comparison.
    """
    text = unicodedata.normalize("NFKC", text or "")
    latin = [t.term for t in tokens(text) if is_content(t.term)]
    return latin + cjk_bigrams(text)


_WEAK_SYMBOLS = frozenset({"==", "===", "!=", "!=="})


@lru_cache(maxsize=1)
def _weak_terms() -> frozenset[str]:
    """WEAK_WORDS as terms, with the weak Chinese bigrams."""
    return frozenset(term(w) for w in WEAK_WORDS) | ZH_WEAK_BIGRAMS


# Pure in one term, and asked of every term of every vocabulary and answer: answered once a term.
@lru_cache(maxsize=65536)
def is_weak(term_: str) -> bool:
    """True for a term so common in answers that it proves little on its own."""
    return term_ in _weak_terms() or term_.isdigit() or len(term_) == 1 or term_ in _WEAK_SYMBOLS


def split_sentences(text: str) -> list[str]:
    """Sentences (and list lines) of ``text``; Chinese and English punctuation both end one."""
    parts = (p.strip() for p in _SENTENCE_RE.split(text or ""))
    return [p for p in parts if p]


def has_negation(text: str) -> bool:
    """True when the text denies something (not, never, n't, 不, 没有…), code names aside."""
    return any(t.negates for t in tokens(text)) or bool(zh_negations(text))


_ZH_NEGATION_RE = re.compile("|".join(ZH_NEGATORS))


def zh_negations(text: str) -> list[tuple[int, int]]:
    """Spans of Chinese negators that deny what follows (not 不同 "different", 无锁 "lock-free")."""
    return [
        m.span()
        for m in _ZH_NEGATION_RE.finditer(text or "")
        if not any(text.startswith(word, m.start()) for word in ZH_NEGATED_TERMS)
    ]


def phrase_terms(phrase: str) -> tuple[str, ...]:
    """The comparable terms of a cue phrase, in order (Latin content words and Chinese bigrams)."""
    return tuple(content_terms(normalize(phrase)))


def quote(text: str, start: int, end: int, limit: int = 90) -> str:
    """A short quote of ``text`` around ``start``–``end``, cut on word boundaries with ellipses."""
    text = text or ""
    if end - start >= limit:
        end = start + limit
    pad = min(8 if CJK_RE.search(text[start:end]) else 24, max(0, (limit - (end - start)) // 2))
    lo, hi = max(0, start - pad), min(len(text), end + pad)
    while lo > 0 and text[lo - 1].isalnum() and not CJK_RE.match(text[lo - 1]):
        lo -= 1
    while hi < len(text) and text[hi].isalnum() and not CJK_RE.match(text[hi]):
        hi += 1
    snippet = _SPACES_RE.sub(" ", text[lo:hi]).strip(" ,;:，；：")
    return ("…" if lo > 0 else "") + snippet + ("…" if hi < len(text) else "")
