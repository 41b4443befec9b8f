"""Cue phrases: finding a phrase from the question bank in an answer, stemmed and in order.

Chinese phrases match as substrings with spaces and hyphens ignored. Latin phrases match when their
terms appear in order with small gaps; a negation in the phrase ("never reuse") must be there too.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from app.ai.offline.text import CJK_RE, normalize
from app.ai.offline.tokens import Token, is_content, tokens


def contains_phrase(text: str, phrase: str, slack: int = 2) -> bool:
    """True when ``phrase`` occurs in ``text`` after normalising and stemming both.

    Chinese phrases match as substrings (spaces and hyphens ignored); Latin phrases match when their
    content terms appear in order with at most ``slack`` extra words between neighbours, so "one
    thread at a time" meets "only one thread runs at any time".
    """
    return PhraseIndex(text).find(phrase, slack) is not None


def find_phrase(text: str, phrase: str, slack: int = 2) -> tuple[int, int] | None:
    """Character span of the first match of ``phrase`` in ``text`` (see `contains_phrase`)."""
    return PhraseIndex(text).find(phrase, slack)


_SQUEEZE = frozenset(" \t\r\n-_")


_ARTICLES = frozenset({"a", "an", "the"})


@lru_cache(maxsize=8192)
def _phrase_plan(phrase: str) -> tuple[bool, tuple[str, ...] | str]:
    """How to look for a phrase: (True, squeezed Chinese text) or (False, Latin terms).

    The Latin terms are the phrase's content terms, unless its other words carry its meaning: a
    phrase of several words with one content term ("within a partition", "as the key") would
    otherwise be found wherever that one word is ("the partition exceeds…"), so all its words
    but articles are looked for, marked by a leading "" (see `PhraseIndex.find`)."""
    norm = normalize(phrase)
    if CJK_RE.search(norm):
        return True, "".join(ch for ch in norm if ch not in _SQUEEZE)
    every = [t for t in tokens(norm) if t.term not in _ARTICLES]
    content = tuple(t.term for t in every if is_content(t.term) or t.negates)
    if len(content) == 1 and len(every) > 1:
        return False, ("", *(t.term for t in every))
    return False, content


class PhraseIndex:
    """A text prepared once for many phrase look-ups (every cue is checked against each answer)."""

    def __init__(self, text: str) -> None:
        self.text = text or ""
        self.words = [t for t in tokens(self.text) if is_content(t.term) or t.negates]
        self._terms = frozenset(w.term for w in self.words)
        self._squeezed: tuple[str, list[int]] | None = None
        self._all_words: list[Token] | None = None

    def find(self, phrase: str, slack: int = 2) -> tuple[int, int] | None:
        """Character span of the first match of ``phrase``, or None."""
        is_cjk, plan = _phrase_plan(phrase)
        if not plan:
            return None
        if isinstance(plan, str):
            if not is_cjk or self.text.isascii():
                return None  # Chinese is never found in a text made of ASCII alone
            squeezed, origin = self.squeezed()
            at = squeezed.find(plan)
            if at < 0:
                return None
            return origin[at], origin[at + len(plan) - 1] + 1
        if plan[0] == "":  # every word of the phrase but articles, next to each other
            return self._find_in_order(plan[1:], 1, self.all_words())
        return self._find_in_order(plan, slack)

    def all_words(self) -> list[Token]:
        """Every token of the text but articles, made on the first look-up needing them."""
        if self._all_words is None:
            self._all_words = [t for t in tokens(self.text) if t.term not in _ARTICLES]
        return self._all_words

    def squeezed(self) -> tuple[str, list[int]]:
        """The text folded (NFKC, lower case) without spaces and hyphens, with each character's
        position in the text; made on the first Chinese look-up, as Latin ones need none."""
        if self._squeezed is None:
            chars: list[str] = []
            origin: list[int] = []
            for i, ch in enumerate(self.text):
                # NFKC leaves ASCII as it is, so only other characters are normalised.
                folded = ch.lower() if ch.isascii() else unicodedata.normalize("NFKC", ch).lower()
                for one in folded:
                    if one not in _SQUEEZE:
                        chars.append(one)
                        origin.append(i)
            self._squeezed = "".join(chars), origin
        return self._squeezed

    def _find_in_order(
        self, wanted: tuple[str, ...], slack: int, words: list[Token] | None = None
    ) -> tuple[int, int] | None:
        """First span where ``wanted`` terms appear in order with limited gaps, among ``words``
        (the text's content words unless given)."""
        if words is None:
            if not self._terms.issuperset(wanted):
                return None  # a term the text never uses: no need to scan it
            words = self.words
        for i, word in enumerate(words):
            if word.term != wanted[0]:
                continue
            pos, end = i, word.end
            for target in wanted[1:]:
                stop = min(len(words), pos + slack + 2)
                nxt = next((j for j in range(pos + 1, stop) if words[j].term == target), None)
                if nxt is None:
                    break
                pos, end = nxt, words[nxt].end
            else:
                return word.start, end
        return None
