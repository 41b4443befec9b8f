"""The answer side: an answer split into sentences, with the terms and tokens of each.

Program text is kept as one unit and also carries the words its constructs stand for, so a loop
can meet a key point about an "iterative" solution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.ai.offline import text as tx
from app.ai.offline.concepts import concept_ids
from app.ai.offline.grading.phrases import PhraseIndex
from app.ai.offline.tokens import Token
from app.language import Language


@dataclass
class Answer:
    """An answer analysed once: sentences with their terms and tokens."""

    text: str
    language: Language
    sentences: list[tuple[int, int]]  # character spans
    sentence_terms: list[frozenset[str]]
    sentence_tokens: list[list[Token]]
    terms: frozenset[str]
    term_count: int
    _phrases: PhraseIndex | None = None
    # What the grader reads off the answer once and uses for every key point (its clauses, the
    # concepts of its sentences), filled on first use.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def phrases(self) -> PhraseIndex:
        """The answer ready for cue look-ups, built on first use (most questions have no cues)."""
        if self._phrases is None:
            self._phrases = PhraseIndex(self.text)
        return self._phrases

    @property
    def concepts(self) -> list[frozenset[int]]:
        """The concepts each sentence names, found on first use."""
        found = self.memo.get("concepts")
        if found is None:
            found = self.memo["concepts"] = [
                concept_ids(self.text[start:end]) for start, end in self.sentences
            ]
        return found

    @property
    def words(self) -> list[Token]:
        """Every Latin token of the answer, in order."""
        return [t for toks in self.sentence_tokens for t in toks]


def analyse(answer: str, code: bool = False) -> Answer:
    """Split an answer into sentences and compute the terms of each.

    Code is one unit (its lines are not sentences) and also carries the words its constructs
    imply, so a loop can meet "iterative" and a cache decorator "memoised".
    """
    marked = code_spans(answer) if code else [(*span, False) for span in sentence_spans(answer)]
    spans = [(start, end) for start, end, _ in marked]
    sent_terms, sent_tokens = [], []
    all_terms: list[str] = []
    implied = tx.content_terms(code_implies(answer)) if code else []
    seen_program = False
    for start, end, is_program in marked:
        piece = answer[start:end]
        toks = tx.tokens(piece)
        terms = [t.term for t in toks if tx.is_content(t.term)] + tx.cjk_bigrams(piece.lower())
        all_terms.extend(terms)
        if is_program:
            # The words the program's constructs stand for go with each stretch of code, and
            # count once in the answer's size.
            if not seen_program:
                all_terms.extend(implied)
            seen_program = True
            terms = terms + implied
        # Tokens are frozen: the first sentence's, already placed in the answer, serve as they are.
        sent_tokens.append(
            toks
            if start == 0
            else [Token(t.surface, t.term, t.start + start, t.end + start, t.negates) for t in toks]
        )
        sent_terms.append(frozenset(terms))
    return Answer(
        text=answer,
        language=tx.detect_language(answer),
        sentences=spans,
        sentence_terms=sent_terms,
        sentence_tokens=sent_tokens,
        terms=frozenset(all_terms),
        term_count=len(all_terms),
    )


def sentence_spans(answer: str, offset: int = 0) -> list[tuple[int, int]]:
    """Character spans of the sentences of prose (``offset``: where it starts in the answer)."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in tx.split_sentences(answer):
        start = answer.find(sentence, cursor)
        spans.append((offset + start, offset + start + len(sentence)))
        cursor = start + len(sentence)
    return spans


# Comments on lines of their own and docstrings: the prose inside a program. A comment after code
# on its line stays with that code; "#include"-style directives are program text.
_COMMENT = re.compile(
    r'^[ \t]*(?:"""[\s\S]*?"""' + r"|'''[\s\S]*?'''|/\*[\s\S]*?\*/"
    r"|//[^\n]*|#(?!include|define|pragma|if|endif|else|import)[^\n]*|--\s[^\n]*)",
    re.MULTILINE,
)


def code_spans(answer: str) -> list[tuple[int, int, bool]]:
    """(start, end, is program text) of a program's parts: each stretch of code between comments
    is one unit (its lines are not sentences), and the comments and docstrings are prose, split
    into sentences, so one that repeats the question is read as the echo it is."""
    parts: list[tuple[int, int, bool]] = []
    cursor = 0
    for comment in _COMMENT.finditer(answer):
        parts.extend(program_span(answer, cursor, comment.start()))
        body = comment.group().strip("\"'/*#- \n\t")
        at = answer.find(body, comment.start()) if body else -1
        if at >= 0 and re.search(rf"[A-Za-z{tx._CJK}]", body):
            parts.extend((start, end, False) for start, end in sentence_spans(body, at))
        cursor = comment.end()
    parts.extend(program_span(answer, cursor, len(answer)))
    return parts or [(0, len(answer), True)]


def program_span(answer: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """The stretch of program text between ``start`` and ``end``, trimmed; none if blank."""
    piece = answer[start:end]
    if not piece.strip():
        return []
    lead = len(piece) - len(piece.lstrip())
    return [(start + lead, start + len(piece.rstrip()), True)]


_CODE_LINE = re.compile(
    r"^\s*(def|class|for|while|if|elif|else|return|public|private|static|func|function|const|let|var"
    r"|import|from|#include|try|catch|except|SELECT|select)\b|[;{}]\s*$|=>|:=|==|\+=",
    re.MULTILINE,
)
_CODE_IMPLIES = (
    (re.compile(r"\b(for|while)\b"), "iterative loop"),
    (re.compile(r"lru_cache|@cache\b|memo|\bcache\b"), "memoization cache"),
    (re.compile(r"\bsort(ed)?\s*\(|\.sort\("), "sort sorted"),
    (re.compile(r"heapq|PriorityQueue|\bheap"), "heap priority queue"),
    (
        re.compile(r"\bdict\s*\(|=\s*\{\s*\}|HashMap|HashSet|\bset\s*\(|new Map"),
        "hash map dictionary",
    ),
    (re.compile(r"\bdeque\b|\bQueue\b"), "queue"),
    (re.compile(r"\b(try|catch|except|raise|throw)\b"), "error exception handling"),
    (re.compile(r"\b(Lock|lock|mutex|synchronized)\b"), "lock"),
    (re.compile(r"\byield\b"), "generator lazy"),
    (re.compile(r"\bif\b[^\n]*(==|<=|<|>=|>|is None|null|nil)"), "edge case base case"),
)


def looks_like_code(answer: str) -> bool:
    """Several lines that read as program text."""
    return len(_CODE_LINE.findall(answer)) >= 3


def code_implies(code: str) -> str:
    """Words a program's constructs stand for, for matching against key points."""
    words = [meaning for rx, meaning in _CODE_IMPLIES if rx.search(code)]
    name = re.search(r"(?:def|function|func)\s+(\w+)\s*\(", code)
    if name and len(re.findall(rf"\b{re.escape(name.group(1))}\s*\(", code)) >= 2:
        words.append("recursion recursive")
    return " ".join(words)
