"""Grade one interview answer against its question's key points and reference answer.

A validity gate comes first: empty, unreadable, declined, copied-back, grader-addressing and
off-topic answers score 0 and the feedback says why. A valid answer is then scored on key-point
coverage (stemmed terms, synonyms and cue phrases; Chinese by character bigrams), agreement with the
reference answer, depth (explanations, examples, numbers) and, for behavioral questions, STAR
structure. Answers that merely list keywords, or contradict a key point, are held down. The result
names covered and missed points and quotes the answer as evidence, in the question's language.
Everything is deterministic and pure, with no model and no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from app.ai.offline import text as tx
from app.ai.offline.text import Lang, PhraseIndex, Token

COVERED_AT = 0.5  # a key point counts as covered from this match strength
VALID_FLOOR = 12  # the least a valid answer written in sentences scores


@dataclass
class Grade:
    """The grade of one answer: 0–100 with reasons tied to the key points."""

    score: int
    feedback: str
    covered_points: list[str] = field(default_factory=list)
    missed_points: list[str] = field(default_factory=list)
    invalid_reason: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)  # key point → short quote


# ------------------------------------------------------------------ the question side
@dataclass(frozen=True)
class _Point:
    """One key point prepared for matching."""

    text: str
    weights: dict[str, float]
    total: float
    cues: tuple[str, ...]
    context_text: str  # the point and its closest reference sentence
    paired: frozenset[tuple[str, str]]  # (antonym-table word, the word it modifies) in the context
    negated: bool
    denied: tuple[frozenset[str], ...]  # what the point says is not so, as term sets
    star: str | None  # the STAR part a behavioral key point asks for


@dataclass(frozen=True)
class _Topic:
    """Everything about a question that does not depend on the answer, built once and cached."""

    question_terms: frozenset[str]
    vocabulary: frozenset[str]
    reference: frozenset[str]  # the reference answer's terms beyond the question's
    points: tuple[_Point, ...]


_STAR_WORDS = (
    ("result", re.compile(r"\b(results?|outcomes?|impact|measur\w*|quantif\w*)\b|结果|成果|效果")),
    ("lesson", re.compile(r"\b(lessons?|learn\w*|reflect\w*)\b|收获|教训|反思|学到")),
    ("situation", re.compile(r"\b(situation|context|background)\b|情境|背景")),
    ("task", re.compile(r"\b(task|role|goal|responsib\w*|stakes?)\b|任务|职责|目标|角色")),
    ("action", re.compile(r"\b(actions?|steps?|did|approach)\b|行动|做法|措施")),
)


def _star_of(point: str) -> str | None:
    """Which STAR part a behavioral key point is about, judged from its wording."""
    head = point.split(":", 1)[0] if ":" in point else point
    for part, rx in _STAR_WORDS:
        if rx.search(head.lower()):
            return part
    return None


def _denials(point: str) -> tuple[frozenset[str], ...]:
    """The distinctive terms each negation in a key point governs ("never rebase shared …")."""
    if not tx.has_negation(point):
        return ()
    fake = _analyse(point)
    out = []
    for k, toks in enumerate(fake.sentence_tokens):
        for scope, _ in _negated_scopes(fake, toks, fake.sentences[k]):
            kept = frozenset(t for t in scope if tx.is_content(t) and not tx.is_weak(t))
            if len(kept) >= 2:
                out.append(kept)
    return tuple(out)


def _term_weight(term: str, question_terms: frozenset[str]) -> float:
    """How much matching ``term`` proves: words the question already uses prove less."""
    if tx.is_weak(term):
        return 0.3
    return 0.5 if term in question_terms else 1.0


@lru_cache(maxsize=1024)
def _topic(
    question: str,
    key_points: tuple[str, ...],
    reference: str,
    cues: tuple[tuple[str, ...], ...],
    behavioral: bool,
) -> _Topic:
    """Prepare a question's key points, reference terms and vocabulary for matching."""
    q_terms = frozenset(tx.content_terms(question))
    ref_sentences = [(s, frozenset(tx.content_terms(s))) for s in tx.split_sentences(reference)]
    points = tuple(
        _prepare_point(point, cues[i] if i < len(cues) else (), q_terms, ref_sentences, behavioral)
        for i, point in enumerate(key_points)
    )
    ref_terms = frozenset(
        t for t in tx.content_terms(reference) if not tx.is_weak(t) and t not in q_terms
    )
    vocab = set(q_terms) | ref_terms
    vocab.update(t for group in cues for cue in group for t in tx.phrase_terms(cue))
    for p in points:
        vocab |= p.weights.keys()
    return _Topic(
        question_terms=q_terms,
        vocabulary=frozenset(t for t in vocab if not tx.is_weak(t)),
        reference=ref_terms,
        points=points,
    )


def _prepare_point(
    point: str,
    cues: tuple[str, ...],
    question_terms: frozenset[str],
    ref_sentences: list[tuple[str, frozenset[str]]],
    behavioral: bool,
) -> _Point:
    """One key point with its term weights and the reference sentence that explains it."""
    weights = {t: _term_weight(t, question_terms) for t in tx.content_terms(point)}
    near = max(ref_sentences, key=lambda s: len(s[1] & weights.keys()), default=("", None))[0]
    return _Point(
        text=point,
        weights=weights,
        total=sum(weights.values()) or 1.0,
        cues=cues,
        context_text=f"{point} {near}",
        paired=_antonym_pairs(tx.tokens(point)) | _antonym_pairs(tx.tokens(near)),
        negated=tx.has_negation(point),
        denied=_denials(point),
        star=_star_of(point) if behavioral else None,
    )


# ------------------------------------------------------------------ the answer side
@dataclass
class _Answer:
    """An answer analysed once: sentences with their terms and tokens."""

    text: str
    language: Lang
    sentences: list[tuple[int, int]]  # character spans
    sentence_terms: list[frozenset[str]]
    sentence_tokens: list[list[Token]]
    terms: frozenset[str]
    term_count: int
    _phrases: PhraseIndex | None = None

    @property
    def phrases(self) -> PhraseIndex:
        """The answer ready for cue look-ups, built on first use (most questions have no cues)."""
        if self._phrases is None:
            self._phrases = PhraseIndex(self.text)
        return self._phrases

    @property
    def words(self) -> list[Token]:
        """Every Latin token of the answer, in order."""
        return [t for toks in self.sentence_tokens for t in toks]


def _analyse(answer: str, code: bool = False) -> _Answer:
    """Split an answer into sentences and compute the terms of each.

    Code is one unit (its lines are not sentences) and also carries the words its constructs
    imply, so a loop can meet "iterative" and a cache decorator "memoised".
    """
    spans = _sentence_spans(answer, code)
    sent_terms, sent_tokens = [], []
    all_terms: list[str] = []
    implied = tx.content_terms(_code_implies(answer)) if code else []
    for start, end in spans:
        piece = answer[start:end]
        toks = tx.tokens(piece)
        terms = (
            [t.term for t in toks if tx.is_content(t.term)]
            + tx.cjk_bigrams(piece.lower())
            + implied
        )
        sent_tokens.append([Token(t.surface, t.term, t.start + start, t.end + start) for t in toks])
        sent_terms.append(frozenset(terms))
        all_terms.extend(terms)
    return _Answer(
        text=answer,
        language=tx.detect_language(answer),
        sentences=spans,
        sentence_terms=sent_terms,
        sentence_tokens=sent_tokens,
        terms=frozenset(all_terms),
        term_count=len(all_terms),
    )


def _sentence_spans(answer: str, code: bool) -> list[tuple[int, int]]:
    """Character spans of the answer's sentences (code is one span)."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in [answer.strip()] if code else tx.split_sentences(answer):
        start = answer.find(sentence, cursor)
        spans.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return spans


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


def _looks_like_code(answer: str) -> bool:
    """Several lines that read as program text."""
    return len(_CODE_LINE.findall(answer)) >= 3


def _code_implies(code: str) -> str:
    """Words a program's constructs stand for, for matching against key points."""
    words = [meaning for rx, meaning in _CODE_IMPLIES if rx.search(code)]
    name = re.search(r"(?:def|function|func)\s+(\w+)\s*\(", code)
    if name and len(re.findall(rf"\b{re.escape(name.group(1))}\s*\(", code)) >= 2:
        words.append("recursion recursive")
    return " ".join(words)


# ------------------------------------------------------------------ key-point matching
@dataclass
class _Match:
    """How well an answer makes one key point, and where."""

    score: float = 0.0
    window: tuple[int, int] = (0, 0)  # sentence indexes, inclusive
    matched: frozenset[str] = frozenset()
    cue_span: tuple[int, int] | None = None
    contradiction: str | None = None  # a quote that says the opposite


def _match_point(point: _Point, answer: _Answer, topic: _Topic) -> _Match:
    """Best window (one sentence or two neighbours) for a key point, or its cue phrases."""
    best = _Match()
    n = len(answer.sentences)
    for i in range(n):
        for j in (i, i + 1) if i + 1 < n else (i,):
            terms = answer.sentence_terms[i] | answer.sentence_terms[j]
            matched = terms & point.weights.keys()
            score = sum(point.weights[t] for t in matched) / point.total
            if score > best.score:
                best = _Match(score, (i, j), frozenset(matched))
    hits = [span for cue in point.cues if (span := answer.phrases.find(cue)) is not None]
    if hits:
        cue_score = min(1.0, 0.55 + 0.2 * (len(hits) - 1))
        if cue_score > best.score:
            best.score = cue_score
        best.cue_span = hits[0]
    if best.score >= 0.3:
        best.contradiction = _contradiction(point, answer, best, topic)
    return best


def _window_text(answer: _Answer, match: _Match) -> tuple[int, int]:
    """Character span of a match's sentence window."""
    i, j = match.window
    return answer.sentences[i][0], answer.sentences[j][1]


def _contradiction(point: _Point, answer: _Answer, match: _Match, topic: _Topic) -> str | None:
    """A quote where the answer says the opposite of the point (antonym or negated claim).

    Checked clause by clause, and only where the clause is about the point's subject, so "only
    one" or a "not" said of something else proves nothing.
    """
    i, j = match.window
    for k in sorted({i, j}):
        for clause in _clauses(answer, k):
            if not _is_about(point, clause.terms, topic):
                continue
            if _opposite_said(point, clause) or _affirms_denial(point, clause):
                return tx.quote(answer.text, clause.start, clause.end)
        terms = answer.sentence_terms[k]
        if (
            point.negated
            or sum(point.weights[t] for t in terms & point.weights.keys()) / point.total < 0.5
        ):
            continue
        negated = _negated_claim(point, answer, answer.sentence_tokens[k], answer.sentences[k])
        if negated:
            return tx.quote(answer.text, *negated)
    return None


def _is_about(point: _Point, terms: frozenset[str], topic: _Topic) -> bool:
    """The clause speaks of the point's subject: the question words the point uses, and no others.

    "Inner join returns only rows…" is about "inner join returns only matching rows", not about
    "left join returns all rows of the left table". A point using no question words is judged by
    how much of it the clause matches.
    """
    subject = {t for t in point.weights if t in topic.question_terms and not tx.is_weak(t)}
    if subject:
        if subject <= terms:
            return True
        rivals = (terms & topic.question_terms) - point.weights.keys()
        return bool(subject & terms) and not {t for t in rivals if not tx.is_weak(t)}
    plain = {t: w for t, w in point.weights.items() if t not in tx.ANTONYM_OF}
    total = sum(plain.values()) or 1.0
    return sum(w for t, w in plain.items() if t in terms) / total >= 0.5


_CLAUSE_BREAK = re.compile(
    r"[,;:()，；：（）、]|\b(?:and|but|while|whereas|so|because)\b|而且|但是|所以|因为|而|但", re.I
)


@dataclass
class _Clause:
    """Part of a sentence between commas or conjunctions, with its Latin tokens and all terms."""

    start: int
    end: int
    text: str
    tokens: list[Token]
    terms: frozenset[str]


def _clauses(answer: _Answer, k: int) -> list[_Clause]:
    """Sentence ``k`` cut into clauses at commas and conjunctions ("…, and …", "while …", "而…")."""
    start, end = answer.sentences[k]
    sentence = answer.text[start:end]
    cuts = [0] + [m.start() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = sentence[a:b]
        if not piece.strip(" ,;:()，；：（）、"):
            continue
        toks = [t for t in answer.sentence_tokens[k] if start + a <= t.start < start + b]
        terms = {t.term for t in toks if tx.is_content(t.term)} | set(tx.cjk_bigrams(piece.lower()))
        out.append(_Clause(start + a, start + b, piece, toks, frozenset(terms)))
    return out


def _antonym_pairs(toks: list[Token]) -> frozenset[tuple[str, str]]:
    """(antonym-table word, neighbouring content word) pairs: "single thread" → (singl, thread)."""
    words = [t.term for t in toks if tx.is_content(t.term)]
    pairs = set()
    for k, word in enumerate(words):
        if word in tx.ANTONYM_OF:
            for other in words[max(0, k - 1) : k] + words[k + 1 : k + 2]:
                if other != word and not tx.is_weak(other):
                    pairs.add((word, other))
    return frozenset(pairs)


def _opposite_said(point: _Point, clause: _Clause) -> bool:
    """The clause pairs a word with the antonym the key point (or reference) pairs it with."""
    said = _antonym_pairs(clause.tokens)
    for word, head in said:
        truth = tx.ANTONYM_OF[word]
        if (
            (truth, head) in point.paired
            and (word, head) not in point.paired
            and (truth, head) not in said
        ):
            return True
    for a, b in tx.ANTONYMS_ZH:
        for wrong, right in ((a, b), (b, a)):
            if right in point.context_text and wrong not in point.context_text:
                if wrong in clause.text and right not in clause.text:
                    return True
    return False


def _affirms_denial(point: _Point, clause: _Clause) -> bool:
    """The point denies something ("does not guarantee atomicity") that the clause asserts."""
    if not point.denied or tx.has_negation(clause.text):
        return False
    for denied in point.denied:
        hit = denied & clause.terms
        if len(hit) >= 2 and len(hit) / len(denied) >= 0.6:
            return True
    return False


def _negated_claim(
    point: _Point, answer: _Answer, toks: list[Token], span: tuple[int, int]
) -> tuple[int, int] | None:
    """Span of a negation whose scope carries most of the point's distinctive words."""
    distinctive = {t: w for t, w in point.weights.items() if w >= 1.0}
    if not distinctive:
        return None
    total = sum(distinctive.values())
    for scope, where in _negated_scopes(answer, toks, span):
        hit = scope & distinctive.keys()
        if sum(distinctive[t] for t in hit) / total >= 0.6 and (
            len(hit) >= 2 or len(distinctive) == 1
        ):
            return where
    return None


_SCOPE_BREAK = re.compile(r"[,.;:!?()，。；：！？（）、]")
_SCOPE_STOP = frozenset(
    {"because", "since", "so", "but", "which", "while", "whereas", "though", "and"}
)


def _negated_scopes(
    answer: _Answer, toks: list[Token], span: tuple[int, int]
) -> list[tuple[set[str], tuple[int, int]]]:
    """The terms each negation governs: up to four words after it, stopping at punctuation."""
    scopes: list[tuple[set[str], tuple[int, int]]] = []
    for k, tok in enumerate(toks):
        if tok.term not in tx.NEGATORS and tok.term != "not":
            continue
        scope: set[str] = set()
        last = tok
        for nxt in toks[k + 1 : k + 5]:
            if (
                _SCOPE_BREAK.search(answer.text[last.end : nxt.start])
                or nxt.surface.lower() in _SCOPE_STOP
            ):
                break
            scope.add(nxt.term)
            last = nxt
        scopes.append((scope, (tok.start, last.end)))
    start, end = span
    for m in re.finditer("[" + "".join(tx.ZH_NEGATORS) + "]", answer.text[start:end]):
        at = start + m.start()
        if any(answer.text.startswith(word, at) for word in tx.ZH_NEGATED_TERMS):
            continue  # 不可达, 非叶子…: a name, not a denial
        tail = _SCOPE_BREAK.split(answer.text[at + 1 : at + 7], maxsplit=1)[0]
        scopes.append((set(tx.cjk_bigrams(tail)), (at, at + 1 + len(tail))))
    return scopes


def _evidence(answer: _Answer, match: _Match) -> str:
    """A short quote showing the point: its best sentence, around the matched words."""
    if match.cue_span and not match.matched:
        return tx.quote(answer.text, *match.cue_span)
    best: list[tuple[int, int]] = []
    i, j = match.window
    for k in sorted({i, j}):
        start, end = answer.sentences[k]
        spans = [(t.start, t.end) for t in answer.sentence_tokens[k] if t.term in match.matched]
        sentence = answer.text[start:end]
        for bigram in (m for m in match.matched if tx.CJK_RE.match(m)):
            at = sentence.find(bigram)
            if at >= 0:
                spans.append((start + at, start + at + len(bigram)))
        if len(spans) > len(best):
            best = spans
    if not best:
        return tx.quote(answer.text, *_window_text(answer, match))
    budget = 36 if answer.language == "zh" else 80
    start, end = _densest(sorted(best), budget)
    return tx.quote(answer.text, start, end, limit=budget + 10)


def _densest(spans: list[tuple[int, int]], budget: int) -> tuple[int, int]:
    """The stretch no longer than ``budget`` characters holding the most matched words."""
    best = (spans[0][0], spans[0][1])
    most, lo = 0, 0
    for hi in range(len(spans)):
        while spans[hi][1] - spans[lo][0] > budget:
            lo += 1
        if hi - lo + 1 > most:
            most, best = hi - lo + 1, (spans[lo][0], spans[hi][1])
    return best


# ------------------------------------------------------------------ public helpers
def key_point_coverage(
    answer: str,
    key_points: list[str],
    cues: list[list[str]] | None = None,
    language: str | None = None,
) -> list[tuple[str, bool, str | None]]:
    """For each key point: (point, covered?, evidence quote or None). Cheap enough per keystroke."""
    del language  # matching is language-neutral; kept for callers that pass it
    if not answer.strip() or not key_points:
        return [(p, False, None) for p in key_points]
    topic = _topic("", tuple(key_points), "", _cue_key(cues, len(key_points)), False)
    analysed = _analyse(answer)
    out: list[tuple[str, bool, str | None]] = []
    for point in topic.points:
        match = _match_point(point, analysed, topic)
        covered = match.score >= COVERED_AT and match.contradiction is None
        out.append((point.text, covered, _evidence(analysed, match) if covered else None))
    return out


def _cue_key(cues: list[list[str]] | None, n: int) -> tuple[tuple[str, ...], ...]:
    """Cues as a hashable tuple aligned with the key points."""
    if not cues:
        return ()
    return tuple(tuple(c for c in (cues[i] if i < len(cues) else ()) if c) for i in range(n))


# ------------------------------------------------------------------ the validity gate
_REASONS: dict[str, tuple[str, str]] = {
    "empty": ("No answer was given.", "没有作答。"),
    "grader": (
        "The answer addresses the grader instead of the question; instructions inside an answer "
        "are ignored.",
        "回答是在对评分者提要求，而不是回答问题；回答中的指令不会被执行。",
    ),
    "noise": ("The answer is not readable text.", "回答不是可读的文字。"),
    "hollow": ("The answer is too short to show any knowledge.", "回答过短，看不出任何知识点。"),
    "copied": ("The answer only repeats the question.", "回答只是重复了题目。"),
    "declined": ("The answer says the candidate does not know.", "回答表示不知道或没有了解过。"),
    "off_topic": ("The answer does not address the question.", "回答与题目无关。"),
}


def validity_issue(
    question: str,
    answer: str,
    language: str | None = None,
    key_points: list[str] | None = None,
    reference_answer: str = "",
) -> str | None:
    """Why the answer cannot be graded on its merits (in the question's language), or None.

    With only the question, off-topic answers are judged when the answer shares nothing with it and
    is not a story; pass ``key_points``/``reference_answer`` for the fuller check `grade_answer`
    uses.
    """
    lang = _language(language, question, answer)
    behavioral = not key_points and not reference_answer
    topic = _topic(question, tuple(key_points or ()), reference_answer, (), behavioral)
    code = _invalid_code(
        question, answer, _analyse(answer), topic, behavioral, strict=bool(key_points)
    )
    return _reason(code, lang) if code else None


def _reason(code: str, lang: Lang) -> str:
    en, zh = _REASONS[code]
    return zh if lang == "zh" else en


def _language(language: str | None, question: str, answer: str) -> Lang:
    """The feedback language: as asked, else the question's, else the answer's."""
    if language in ("en", "zh"):
        return "zh" if language == "zh" else "en"
    return tx.detect_language(question) if question.strip() else tx.detect_language(answer)


def _invalid_code(
    question: str,
    answer: str,
    analysed: _Answer,
    topic: _Topic,
    behavioral: bool,
    strict: bool,
    code: bool = False,
) -> str | None:
    """The first validity rule the answer breaks, as a key of `_REASONS`."""
    if not re.search(rf"[A-Za-z0-9{tx._CJK}]", answer):
        return "empty"
    if tx.GRADER_ADDRESS.search(answer) or tx.GRADER_ADDRESS_ZH.search(answer):
        return "grader"
    if not code and _is_noise(analysed, topic):
        return "noise"
    strong = {t for t in analysed.terms if not tx.is_weak(t)}
    if not analysed.terms:
        return "hollow"
    if _is_copy(analysed.terms, topic.question_terms, answer, question):
        return "copied"
    on_topic = strong & topic.vocabulary
    declined = tx.DONT_KNOW.search(answer) or tx.DONT_KNOW_ZH.search(answer)
    if declined and len(on_topic) < 3:
        return "declined"
    if _is_off_topic(analysed, strong, on_topic, topic, behavioral, strict):
        return "off_topic"
    return None


def _is_noise(answer: _Answer, topic: _Topic) -> bool:
    """Keyboard mashes, stuck keys and a single character repeated."""
    words = [t.surface for t in answer.words if t.surface.isalpha()]
    unknown = [
        w
        for w in words
        if w.lower() not in tx.STOPWORDS and tx.term(w.lower()) not in topic.vocabulary
    ]
    cjk = tx.CJK_RE.findall(answer.text)
    size = len(words) + len(cjk) / 2  # about two Chinese characters to a word
    if size and sum(tx.looks_like_noise(w) for w in unknown) / size >= 0.5:
        return True
    # Long Chinese text repeats characters naturally; only a short one made of a few is noise.
    return 4 <= len(cjk) <= 40 and len(set(cjk)) / len(cjk) <= 0.3


def _is_copy(
    terms: frozenset[str], question_terms: frozenset[str], answer: str, question: str
) -> bool:
    """The answer adds nothing to the question's own words."""
    if tx.normalize(answer).strip("?？。. ") and tx.normalize(answer).strip(
        "?？。. "
    ) in tx.normalize(question):
        return True
    new = terms - question_terms
    return len(terms) >= 2 and len(new) <= len(terms) // 8


def _is_off_topic(
    analysed: _Answer,
    strong: set[str],
    on_topic: set[str],
    topic: _Topic,
    behavioral: bool,
    strict: bool,
) -> bool:
    """Nothing (or next to nothing, for a long answer) of the topic's vocabulary appears."""
    if behavioral:
        return not on_topic and not any(star_parts(analysed.text).values())
    if not strict:
        return False
    if not on_topic:
        return True
    beyond_question = on_topic - topic.question_terms
    share = len(on_topic) / max(1, len(strong))
    new_share = len(beyond_question) / max(1, len(strong))
    long_enough = 24 if analysed.language == "zh" else 12  # Chinese bigrams run about 2 per word
    if len(strong) >= long_enough and share < 0.25 and new_share < 0.12:
        best = max((_match_point(p, analysed, topic).score for p in topic.points), default=0.0)
        return best < 0.35
    return False


# ------------------------------------------------------------------ STAR structure
_STAR_EN = {
    "situation": re.compile(
        r"\b(last (year|month|quarter|week|spring|summer|autumn|fall|winter)|in (19|20)\d\d"
        r"|(at|on) my (previous|last|current|old|first) (job|company|role|team|employer|project)"
        r"|(previous|last|old) (job|company|role|employer)|when (i|we) (was|were|joined|worked)"
        r"|while i was|\w+ (years?|months?|weeks?|days?) (ago|before)|one time|once,|(i|we) once"
        r"|our team (was|had|were)|we (had|were|inherited|needed)|there was"
        r"|(our|the) [a-z]+ (was|were|had|kept|used to) |used to (take|be|fail)"
        r"|kept (failing|breaking)"
        r"|a (client|customer|colleague|teammate|senior|manager)\b)",
        re.IGNORECASE,
    ),
    "task": re.compile(
        r"\b(i was (responsible|in charge|asked|tasked|assigned|leading|the (owner|lead|only))"
        r"|my (job|role|task|goal|responsibility|part) was|i owned|(i|we) (had|needed) to"
        r"|the goal was|it was my (change|job|responsibility|task)"
        r"|as the [a-z ]{0,30}(lead|owner|engineer|developer|manager)"
        r"|i had (\w+ ){0,3}(weeks?|days?) to)\b",
        re.IGNORECASE,
    ),
    "action": re.compile(
        r"\b(i|we) (\w+ed|wrote|built|made|took|ran|set|led|spent|got|went|told|did|found|chose"
        r"|drew|began|brought|sent|put|kept|split|met|gave|sat|rewrote|broke|dug|held|shipped)\b",
        re.IGNORECASE,
    ),
    "result": re.compile(
        r"\b(as a result|in the end|eventually|finally|resulted|outcome|went live|recovered"
        r"|shipped|launched|delivered|finished|released|reduced|improved|increased|decreased|saved"
        r"|halved|doubled|on time|ahead of|(days?|weeks?) early|no (downtime|incidents?)"
        r"|zero \w+|haven'?t had|never had|\d+(\.\d+)? ?(%|percent|x|ms|seconds?|minutes?|hours?|k)"
        r"|(took|in|within|to|by|saved|cut) (one|two|three|four|five|six|seven|eight|nine|ten"
        r"|twenty|thirty|fifty|a hundred|half an?) (minutes?|hours?|days?|weeks?|percent|times)"
        r"|instead of|stopped having|no longer|went from"
        r"|(dropped|fell|down|cut) to)\b",
        re.IGNORECASE,
    ),
}
_STAR_ZH = {
    "situation": re.compile(
        r"当时|那时|去年|前年|之前在|以前在|有一次|有次|\d{4}年|[一二三四五六七八九十两几\d]+(年|个月|周|天)前"
        r"|在.{0,8}(公司|团队|项目)|项目中|背景|上线前|期间|那次|之前做"
    ),
    "task": re.compile(
        r"负责|我的任务|目标是|需要我|要求我|职责|我是.{0,12}(负责人|组长|owner)|需要在"
    ),
    "action": re.compile(
        r"我(先|首先|马上|立刻|立即|然后|又|就|还|主动|决定|约|带|写|做|改|加|查|看|找|提出|推动|组织|协调"
        r"|沟通|设计|实现|优化|排查|定位|回滚|拆分|引入|搭建|建议|没有|把|让|用|拿|跟|和)"
        r"|我们(先|随后|然后|最后|一起|决定|把|用)"
    ),
    "result": re.compile(
        r"结果|最终|最后|上线后|降低|提升|提高|减少|节省|恢复|成功率|按时|提前|没有再"
        r"|\d+(\.\d+)?\s*(%|倍|毫秒|秒|分钟|小时|天)"
    ),
}
_ZH_WORK_VERBS = re.compile(
    r"排查|定位|回滚|修复|优化|重构|拆分|压测|沟通|协调|推动|上线|兼容|加了|改了|做了|写了|查了|补了|约了|拿出"
)
_LESSON = re.compile(
    r"\b(i learned|i learnt|lesson|taught me|since then|next time|from then on|what i took"
    r"|takeaway|in hindsight)\b|收获|学到|教训|经验是|以后|从那以后|反思|体会|意识到",
    re.IGNORECASE,
)


def star_parts(answer: str, language: str | None = None) -> dict[str, bool]:
    """Which parts of a STAR story (situation, task, action, result) the answer contains."""
    lang = language if language in ("en", "zh") else tx.detect_language(answer)
    table = _STAR_ZH if lang == "zh" else _STAR_EN
    found = {part: bool(rx.search(answer)) for part, rx in table.items()}
    actions = len(table["action"].findall(answer))
    if lang == "zh":
        # Chinese drops the subject ("查日志发现…"), so work verbs count as actions too.
        actions += len(_ZH_WORK_VERBS.findall(answer))
    found["action"] = actions >= 2
    return found


# ------------------------------------------------------------------ form of the answer
_ZH_PREDICATE = re.compile(r"[的是用会把被让能要在有就都也不无没]|因为|所以|可以")
_NOTE_LABEL = re.compile(r"(^|[.;。；\n]\s*)[\w\- ]{1,30}\s*[:：=]\s*\S|->|=>|→")
_LIST_SPLIT = re.compile(r"[,;、，；|\n•·]+|(?<=[.!?。！？])\s*")
_RELATION_WORDS = tx.STOPWORDS - {"and", "or", "no"}


def _is_keyword_list(answer: str, language: Lang) -> bool:
    """True when the answer is a bare list of terms with no statement linking them."""
    if len(_NOTE_LABEL.findall(answer)) >= 2:
        return False  # "Merge: …; Rebase: …" is terse notes, not a bare list
    segments = [s.strip() for s in _LIST_SPLIT.split(answer) if s and s.strip(" .。")]
    if language == "zh":
        segments = [w for s in segments for w in s.split()]
    if len(segments) < 4:
        return False
    bare = sum(_is_bare(s) for s in segments)
    return bare / len(segments) >= 0.75


def _is_bare(segment: str) -> bool:
    """A segment that names something without saying anything about it."""
    if tx.CJK_RE.search(segment):
        return len(tx.CJK_RE.findall(segment)) <= 6 and not _ZH_PREDICATE.search(segment)
    words = segment.lower().strip(" .").split()
    return len(words) <= 3 and not any(w in _RELATION_WORDS or w in tx.NEGATORS for w in words)


def _depth(answer: _Answer, topic: _Topic) -> float:
    """0–1: explanation connectives, concrete specifics and length against the reference."""
    low = answer.text.lower()
    connectives = len(set(tx.CONNECTIVES_EN.findall(low))) + len(
        set(tx.CONNECTIVES_ZH.findall(low))
    )
    specifics = len(set(re.findall(r"\d+(?:\.\d+)?", low))) + len(
        {
            m
            for m in re.findall(
                r"\b\w+\(\)|\b[a-z]+[A-Z]\w*|\b\w+_\w+|\b[A-Z]{2,}\d*\b", answer.text
            )
        }
    )
    ref_size = max(12, len(topic.reference))
    length = answer.term_count / ref_size
    return (
        0.4 * min(1.0, connectives / 3)
        + 0.3 * min(1.0, specifics / 4)
        + 0.3 * min(1.0, length / 0.8)
    )


# ------------------------------------------------------------------ scoring
@dataclass
class _Assessment:
    """Intermediate findings that the score and the feedback are both written from."""

    matches: list[_Match]
    credits: list[float]
    coverage: float
    depth: float
    keyword_list: bool = False
    star: dict[str, bool] = field(default_factory=dict)
    cliche: bool = False


def _credit(match: _Match) -> float:
    """Partial credit for a key point: nothing below a faint match, full from a solid one."""
    if match.contradiction:
        return 0.0
    return min(1.0, max(0.0, (match.score - 0.15) / 0.5))


def _reference_recall(answer: _Answer, topic: _Topic) -> float:
    """Share of the reference answer's own terms (beyond the question's) the answer uses."""
    if not topic.reference:
        return 0.0
    return len(answer.terms & topic.reference) / len(topic.reference)


def _assess_technical(
    answer: _Answer, topic: _Topic, is_code: bool = False
) -> tuple[int, _Assessment]:
    """Score a technical answer: coverage, reference agreement and depth, then the caps."""
    matches = [_match_point(p, answer, topic) for p in topic.points]
    credits = [_credit(m) for m in matches]
    points_cov = sum(credits) / len(credits) if credits else 0.0
    recall = min(1.0, _reference_recall(answer, topic) / 0.5)
    coverage = 0.75 * points_cov + 0.25 * recall if credits else recall
    depth = max(_depth(answer, topic), 0.5 if is_code else 0.0)  # working code is itself specific
    found = _Assessment(matches, credits, coverage, depth)
    raw = 0.78 * coverage + 0.22 * depth * coverage**0.5
    # Concave: making half the points well is a passable answer, not a failing one. A valid
    # answer in sentences says at least something true, so it stays above a bare keyword list.
    score = max(VALID_FLOOR, round(100 * raw**0.7))
    found.keyword_list = not is_code and _is_keyword_list(answer.text, answer.language)
    if found.keyword_list:
        score = min(score, round(4 + 8 * coverage))
    contradictions = sum(1 for m in matches if m.contradiction)
    if contradictions:
        # Saying the opposite of a key point is worse than leaving it out.
        score = min(score - 12 * contradictions, 35)
    return max(3, min(100, score)), found


def _assess_behavioral(answer: _Answer, topic: _Topic) -> tuple[int, _Assessment]:
    """Score a story: STAR parts (as the key points ask for them), specifics and substance."""
    star = star_parts(answer.text, answer.language)
    lesson = bool(_LESSON.search(answer.text))
    matches = [_match_point(p, answer, topic) for p in topic.points]
    credits = []
    for point, match in zip(topic.points, matches, strict=True):
        lexical = _credit(match)
        if point.star == "lesson":
            credits.append(1.0 if lesson else lexical * 0.5)
        elif point.star:
            credits.append(1.0 if star.get(point.star) else lexical * 0.5)
        else:
            credits.append(lexical)
    coverage = sum(credits) / len(credits) if credits else sum(star.values()) / 4
    depth = _story_specifics(answer)
    found = _Assessment(matches, credits, coverage, depth, star=star)
    substance = min(1.0, answer.term_count / 45)
    raw = 0.55 * coverage + 0.25 * depth + 0.2 * substance
    if tx.HABITUAL.search(answer.text) and not star["situation"]:
        raw *= 0.7  # "I usually…" describes a habit, not one real event
    score = max(VALID_FLOOR, round(100 * raw))
    found.cliche = bool(tx.CLICHES.search(answer.text))
    if found.cliche:
        # Self-praise is no evidence: like a keyword list, it sits below an honest vague story.
        score = min(round(score * 0.5), 8)
    return max(3, min(100, score)), found


def _story_specifics(answer: _Answer) -> float:
    """0–1: numbers, named things and first-person past-tense actions make a story concrete."""
    numbers = len(re.findall(r"\d+(?:\.\d+)?", answer.text))
    named = len(re.findall(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]+", answer.text)) - answer.text.count(
        " I "
    )
    actions = len(_STAR_EN["action"].findall(answer.text)) + len(
        _STAR_ZH["action"].findall(answer.text)
    )
    return min(1.0, 0.15 * numbers + 0.05 * max(0, named) + 0.1 * actions)


# ------------------------------------------------------------------ feedback
@dataclass(frozen=True)
class _Wording:
    """The feedback's phrases in one language."""

    bands: tuple[tuple[int, str], ...]
    covered: str
    missed: str
    sep: str
    stop: str
    quote: str
    keyword_list: str
    contradiction: str
    depth: str
    star: str
    cliche: str
    invalid: str
    parts: dict[str, str]


_WORDING = {
    "en": _Wording(
        bands=(
            (85, "Strong answer"),
            (70, "Good answer"),
            (50, "Partly there"),
            (25, "Weak answer"),
            (0, "Very weak answer"),
        ),
        covered="Covered: ",
        missed="Missed: ",
        sep="; ",
        stop=".",
        quote="{point} (“{quote}”)",
        keyword_list="It lists terms without explaining them: say how they relate and why.",
        contradiction="This contradicts “{point}”: “{quote}”.",
        depth="Explain the why, and add a concrete example or number.",
        star="The story is missing: {parts}.",
        cliche="Self-descriptions (hard-working, passionate…) prove nothing; tell one real story.",
        invalid="Score 0/100: {reason} A good answer covers: {points}.",
        parts={
            "situation": "the situation",
            "task": "your task",
            "action": "what you did",
            "result": "the result, ideally with a number",
        },
    ),
    "zh": _Wording(
        bands=(
            (85, "回答很好"),
            (70, "回答较好"),
            (50, "部分到位"),
            (25, "回答较弱"),
            (0, "回答很弱"),
        ),
        covered="已覆盖：",
        missed="遗漏：",
        sep="；",
        stop="。",
        quote="{point}（“{quote}”）",
        keyword_list="只是罗列了术语，没有解释：请说明它们之间的关系和原因。",
        contradiction="与要点“{point}”相矛盾：“{quote}”。",
        depth="多解释“为什么”，并补充具体的例子或数字。",
        star="故事缺少：{parts}。",
        cliche="自我评价（认真负责、学习能力强……）不是证据，请讲一个具体的经历。",
        invalid="0/100 分：{reason}好的回答应覆盖：{points}。",
        parts={
            "situation": "背景",
            "task": "你的任务",
            "action": "你具体做了什么",
            "result": "结果（最好有数字）",
        },
    ),
}


def _feedback(
    lang: Lang,
    score: int,
    topic: _Topic,
    found: _Assessment,
    evidence: dict[str, str],
    behavioral: bool,
) -> str:
    """Feedback naming covered and missed points with quotes, then what to improve."""
    w = _WORDING[lang]
    band = next(label for floor, label in w.bands if score >= floor)
    parts = [f"{band} ({score}/100)." if lang == "en" else f"{band}（{score}/100）。"]
    if evidence:
        quoted = (w.quote.format(point=p, quote=q) for p, q in evidence.items())
        parts.append(w.covered + w.sep.join(quoted) + w.stop)
    missed = [p.text for p in topic.points if p.text not in evidence]
    if missed:
        parts.append(w.missed + w.sep.join(missed) + w.stop)
    parts.extend(_advice(w, found, topic, behavioral))
    return (" " if lang == "en" else "").join(parts)


def _advice(w: _Wording, found: _Assessment, topic: _Topic, behavioral: bool) -> list[str]:
    """The notes that tell the candidate what to change."""
    notes = [
        w.contradiction.format(point=point.text, quote=match.contradiction)
        for point, match in zip(topic.points, found.matches, strict=True)
        if match.contradiction
    ]
    if found.keyword_list:
        notes.append(w.keyword_list)
    if behavioral:
        absent = [w.parts[k] for k, v in found.star.items() if not v]
        if absent:
            notes.append(w.star.format(parts=w.sep.join(absent)))
        if found.cliche:
            notes.append(w.cliche)
    elif found.depth < 0.35 and not found.keyword_list and not notes:
        notes.append(w.depth)
    return notes


# ------------------------------------------------------------------ the entry point
def grade_answer(
    question: str,
    answer: str,
    key_points: list[str],
    reference_answer: str = "",
    kind: str = "technical",
    language: str | None = None,
    cues: list[list[str]] | None = None,
) -> Grade:
    """Score an answer 0–100 against the key points and reference answer, with reasons.

    ``cues`` (per key point phrase lists from the question bank) sharpen matching when given; the
    grader works from the key point text and reference answer alone otherwise. Feedback is in
    ``language``, else the question's language.
    """
    answer = answer or ""
    lang = _language(language, question, answer)
    points = key_points or _points_from_reference(reference_answer)
    behavioral = (
        kind == "behavioral" or _STORY_QUESTION.search(question) is not None
    ) or _looks_like_star(tuple(points))
    cue_key = _cue_key(cues, len(points))
    topic = _topic(question, tuple(points), reference_answer, cue_key, behavioral)
    is_code = _looks_like_code(answer) or (kind == "coding" and "\n" in answer.strip())
    analysed = _analyse(answer, code=is_code)
    reason = _invalid_code(question, answer, analysed, topic, behavioral, bool(points), is_code)
    if reason:
        return _invalid_grade(lang, _reason(reason, lang), points)
    if behavioral:
        score, found = _assess_behavioral(analysed, topic)
    else:
        score, found = _assess_technical(analysed, topic, is_code)
    evidence = _covered_with_quotes(topic, found, analysed, behavioral)
    return Grade(
        score=score,
        feedback=_feedback(lang, score, topic, found, evidence, behavioral),
        covered_points=[p.text for p in topic.points if p.text in evidence],
        missed_points=[p.text for p in topic.points if p.text not in evidence],
        invalid_reason=None,
        evidence=evidence,
    )


def _covered_with_quotes(
    topic: _Topic, found: _Assessment, answer: _Answer, behavioral: bool
) -> dict[str, str]:
    """Covered key points with a quote each; a bare keyword list is credited with none."""
    evidence = {
        p.text: _evidence(answer, m)
        for p, m, c in zip(topic.points, found.matches, found.credits, strict=True)
        if c >= 0.5 and m.score >= COVERED_AT and not found.keyword_list
    }
    return _story_evidence(topic, found, answer, evidence) if behavioral else evidence


def _story_evidence(
    topic: _Topic, found: _Assessment, answer: _Answer, evidence: dict[str, str]
) -> dict[str, str]:
    """Quote the sentence that shows each STAR part a behavioral key point asks for."""
    out = dict(evidence)
    lang_table = _STAR_ZH if answer.language == "zh" else _STAR_EN
    for point, credit in zip(topic.points, found.credits, strict=True):
        if credit < 0.5 or point.text in out:
            continue
        rx = _LESSON if point.star == "lesson" else lang_table.get(point.star or "")
        hit = rx.search(answer.text) if rx else None
        if hit:
            out[point.text] = tx.quote(answer.text, hit.start(), hit.end())
    return out


def _invalid_grade(lang: Lang, reason: str, points: list[str]) -> Grade:
    """A zero with the reason and what a good answer would have covered."""
    w = _WORDING[lang]
    text = w.invalid.format(reason=reason, points=w.sep.join(points) or "—")
    return Grade(0, text, [], list(points), reason, {})


def _points_from_reference(reference: str) -> list[str]:
    """Without key points, the reference answer's sentences stand in for them (at most five)."""
    return tx.split_sentences(reference)[:5]


_STORY_QUESTION = re.compile(
    r"\b(tell me about|describe|give (me )?an example of|walk me through) (a|an|one) "
    r"(time|situation|occasion|project|moment|instance)\b"
    r"|讲一次|讲一个.{0,20}经历|请描述一次|举一个.{0,12}例子|有没有.{0,12}经历",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def _looks_like_star(points: tuple[str, ...]) -> bool:
    """Key points phrased as situation/task/action/result mark a behavioral question."""
    return len(points) >= 3 and sum(_star_of(p) is not None for p in points) >= 3
