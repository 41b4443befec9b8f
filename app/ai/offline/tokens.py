"""Words as the grader compares them: tokens with spans, a light stemmer and synonym folding.

A token's term is its comparable form: stemmed ("caching" and "cached" meet), folded onto a synonym
group, or kept whole when it is a technical token such as "O(log n)", "HTTP/2", "2PC" or "@After".
Negation is decided in context: "never blocks" denies, while Python's None or TypeScript's `never`
written as code is a name. Pure and memoised; `text` builds on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.ai.offline.lexicon import (
    CODE_AFTER,
    CODE_BEFORE,
    CODE_NEGATORS,
    CODE_SUBJECT_OF,
    DERIVATIONAL,
    FILLERS,
    NEGATION,
    NEGATORS,
    STOPWORDS,
    SYNONYM_GROUPS,
)

# Technical tokens first, so "O(log n)", "@ts-ignore", "HTTP/2", "2PC" and "8:1:1" stay whole.
_TOKEN_RE = re.compile(
    r"(?P<big_o>\b[Oo] ?\((?:[^()\n]|\([^()\n]*\)){1,30}\))"
    r"|(?P<tag>@[A-Za-z][\w-]*)"
    r"|(?P<versioned>\b[A-Za-z]+/\d+(?:\.\d+)?\b)"
    r"|(?P<mixed>\b\d+[A-Za-z][A-Za-z0-9]*)"
    r"|(?P<number>\d+(?:[.:/]\d+)*)"
    r"|(?P<word>[A-Za-z][A-Za-z0-9+#]*(?:'[A-Za-z]+)?)"
    r"|(?P<symbol>===?|!==?|%)"
)
# "100ms", "3x", "4kb": a number with a unit is two tokens, unlike "2pc", "3nf" or "5xx".
_UNITS = frozenset(
    """ms s sec secs m min mins h hr hrs d k kb mb gb tb pb x px em rem ns us hz khz mhz ghz
    st nd rd th w b bit bits""".split()
)
_SYMBOL_TERMS = {"%": "percent"}
_COMPLEXITY_WORDS = {"constant": "o(1)", "linear": "o(n)"}  # before "time" or "space"
_CAMEL_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Reduce an English word to a light stem: plurals, -ed/-ing, -ly and common derivations.

    Over-stemming is harmless because both sides of every comparison go through the same function;
    what matters is that "caching", "cached" and "caches" meet.
    """
    w = word.lower()
    if len(w) <= 3 or not w.isalpha():
        return w
    w = _strip_inflection(w)
    for suffix, replacement in DERIVATIONAL:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)] + replacement
            break
    if w.endswith("e") and len(w) >= 4:
        w = w[:-1]
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    return w


def _strip_inflection(w: str) -> str:
    """Plural, past and progressive endings (a Porter step-1 in miniature)."""
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ied") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("eed"):
        return w
    for suffix in ("ing", "ed"):
        base = w[: -len(suffix)]
        if w.endswith(suffix) and len(base) >= 2 and _VOWELS & set(base):
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]
            if base.endswith(("is", "ys")) and len(base) > 4:
                base = base[:-1] + "z"  # British -ised/-ysed meet American -ized/-yzed
            if len(base) == 2 and base[0] in _VOWELS and base[1] not in _VOWELS:
                base += "e"  # "used", "using" meet "use" rather than the pronoun "us"
            return base
    if w.endswith("ly") and len(w) > 5:
        return w[:-2]
    return w


@lru_cache(maxsize=1)
def _synonym_table() -> dict[str, str]:
    """Map every synonym's stem to the group's first stem."""
    table: dict[str, str] = {}
    for group in SYNONYM_GROUPS:
        words = group.split()
        head = stem(words[0])
        for word in words:
            table.setdefault(stem(word), head)
    return table


@lru_cache(maxsize=65536)
def term(word: str) -> str:
    """The comparable form of one Latin word: stemmed, then folded onto its synonym group.

    Stopwords and fillers stay as written so they are still recognised after this step; every
    negator becomes NEGATION ("not"), so "never", "no" and "doesn't" meet in a cue phrase.
    """
    if word in NEGATORS:
        return NEGATION
    if word in STOPWORDS or word in FILLERS:
        return word
    stemmed = stem(word)
    return _synonym_table().get(stemmed, stemmed)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: its surface form, comparable term and character span."""

    surface: str
    term: str
    start: int
    end: int
    negates: bool = False  # a natural negation ("not", "never"), not a name such as Python's None


def tokens(text: str) -> list[Token]:
    """Latin words, numbers and technical tokens of ``text`` with spans.

    camelCase also yields its parts: "setTimeout" gives "settimeout", "set" and "timeout", so a key
    point written either way meets an answer written the other way. Big-O expressions, versions,
    digit-led names and a few operators stay whole ("o(logn)", "http/2", "2pc", "==="). A natural
    negation gets the term "not" and ``negates``; "None" or `never` written as code keeps its name.
    """
    return list(_tokens(text or ""))


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[Token, ...]:
    """`tokens`, memoised: reference answers and key points are read for every answer graded."""
    prepared = _prepare(text)
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(prepared):
        out.extend(_technical(m) if m.lastgroup != "word" else _word(m.group(), m.start()))
    _fold_complexity(out)
    return tuple(_mark_negation(prepared, out))


def _technical(m: re.Match[str]) -> list[Token]:
    """Tokens for a match that is not a plain word (its group says which kind)."""
    raw, at, kind = m.group(), m.start(), m.lastgroup
    if kind == "big_o":
        inner = raw[raw.index("(") + 1 : -1].lower().replace("²", "^2").replace("³", "^3")
        return [Token(raw, term("o(" + re.sub(r"[\s*·×()]", "", inner) + ")"), at, m.end())]
    if kind == "tag":  # @Transactional is its name; @After keeps its @ ("after" means little)
        parts = [t for t in _tokens(raw[1:]) if is_content(t.term)]
        if parts:
            return [Token(raw, t.term, at + 1 + t.start, at + 1 + t.end) for t in parts]
        return [Token(raw, raw.lower(), at, m.end())]
    if kind == "versioned":  # HTTP/2 is also HTTP
        name = raw.split("/", 1)[0]
        return [
            Token(raw, raw.lower(), at, m.end()),
            Token(name, term(name.lower()), at, at + len(name)),
        ]
    if kind == "number" and re.search(r"[:/]", raw):  # 8:1:1 and 301/302 are also their parts
        runs = re.finditer(r"\d+", raw)
        whole = Token(raw, raw, at, m.end())
        return [whole, *(Token(d.group(), d.group(), at + d.start(), at + d.end()) for d in runs)]
    if kind == "mixed":
        digits = re.match(r"\d+", raw)
        cut = digits.end() if digits else 0
        if raw[cut:].lower() in _UNITS:
            return [Token(raw[:cut], raw[:cut], at, at + cut), *_word(raw[cut:], at + cut)]
        return [Token(raw, raw.lower(), at, m.end())]
    return [Token(raw, _SYMBOL_TERMS.get(raw, raw), at, m.end())]


def _word(raw: str, at: int) -> list[Token]:
    """A word's token, and its camelCase parts."""
    return [Token(raw, t, at, at + len(raw)) for t in _word_terms(raw)]


# Pure in one word, which answers keep repeating; the result is a tuple, never changed.
@lru_cache(maxsize=65536)
def _word_terms(raw: str) -> tuple[str, ...]:
    """The terms of a word's tokens: its own, then its camelCase parts'."""
    low = raw.lower()
    if low.endswith("n't"):
        return (NEGATION,)
    if "'" in low:
        low = low.split("'", 1)[0]
    out = [term(low)]
    mixed = not raw.islower() and not raw.isupper()
    parts = _CAMEL_RE.findall(raw) if mixed else []
    if len(parts) > 1:
        out.extend(term(p.lower()) for p in parts)
    return tuple(out)


def _fold_complexity(toks: list[Token]) -> None:
    """ "constant time" is O(1) and "linear time" O(n), whatever the notation."""
    for k, tok in enumerate(toks[:-1]):
        big_o = _COMPLEXITY_WORDS.get(tok.surface.lower())
        if big_o and toks[k + 1].surface.lower() in ("time", "space"):
            toks[k] = Token(tok.surface, big_o, tok.start, tok.end)


def _mark_negation(text: str, toks: list[Token]) -> list[Token]:
    """Mark natural negations; a negator written as code (None, `never`) keeps its name instead."""
    out = []
    for k, tok in enumerate(toks):
        if tok.term != NEGATION:
            out.append(tok)
        elif tok.surface.lower().endswith("n't") or (
            len(toks) > 1 and not _names_code(text, toks, k)  # a lone "never" is a cue for the name
        ):
            out.append(Token(tok.surface, NEGATION, tok.start, tok.end, negates=True))
        else:
            out.append(Token(tok.surface, tok.surface.lower(), tok.start, tok.end))
    return out


_GLUE_BEFORE = frozenset("`'\"-_.@")
_GLUE_AFTER = frozenset("`'\"-_([")


def _names_code(text: str, toks: list[Token], k: int) -> bool:
    """The negator at ``k`` is a name: quoted, glued to code, typed as a name or Capitalised.

    "x is None", "-> None", "`never`", "the never type", "NOT NULL" name things; "it never blocks",
    "NEVER reuse a nonce" and "None of them" deny.
    """
    tok, word = toks[k], toks[k].surface
    if (
        text[tok.start - 1 : tok.start] in _GLUE_BEFORE
        or text[tok.end : tok.end + 1] in _GLUE_AFTER
    ):
        return True
    left = text[: tok.start].rstrip()
    prev = toks[k - 1].surface.lower() if k else ""
    nxt = toks[k + 1].surface if k + 1 < len(toks) else ""
    if left.endswith(("=", "->", "=>", "|", "<", ":")):
        return True
    if word.isupper() and len(word) > 1:  # SQL's NOT NULL, Spring's NEVER; not "NEVER reuse"
        return not nxt.islower()
    if word.lower() not in CODE_NEGATORS:
        return False
    if prev in CODE_BEFORE or nxt.lower() in CODE_AFTER:
        return True
    if word.lower() != "nothing" and nxt.lower() in CODE_SUBJECT_OF:
        return True
    if re.match(r"\s*(?:[.,;:!?)]|$)", text[tok.end :]):
        return True  # the adverb "never" does not end a clause; the type does
    sentence_start = not left or left[-1] in ".!?;:。！？；\n"
    return word[0].isupper() and not sentence_start


_IO_RE = re.compile(r"(?i)\bi/o\b")
_EG_IE_RE = re.compile(r"(?i)\b(e\.g|i\.e)\.")


def _prepare(text: str) -> str:
    """Keep spans stable while joining the few tokens punctuation would split."""
    text = text or ""
    # Most texts hold no "/" or no ".", and then there is nothing to join.
    if "/" in text:
        text = _IO_RE.sub("io ", text)
    if "." in text:
        text = _EG_IE_RE.sub(lambda m: " " * len(m.group()), text)
    return text


def is_content(term_: str) -> bool:
    """True for a Latin term that says something: not a function word, filler or negation.

    Single letters and digits count ("C", "n", "k") but are weak (see `is_weak`).
    """
    if not term_ or term_ in STOPWORDS or term_ in FILLERS:
        return False
    return term_ not in NEGATORS or term_ in CODE_NEGATORS
