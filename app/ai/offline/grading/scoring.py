"""From matches to a 0–100 score: coverage, agreement with the reference, depth and the caps.

Technical answers are scored on key-point coverage and depth; stories on the STAR parts their key
points ask for. Bare keyword lists, self-praise and contradicted points are held down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from app.ai.offline import text as tx
from app.ai.offline.grading.answer import Answer
from app.ai.offline.grading.matching import (
    Match,
    copied_spans,
    inside,
    match_point,
    sentence_concepts,
    without_echoes,
)
from app.ai.offline.grading.star import LESSON, star_parts, story_specifics
from app.ai.offline.grading.topic import Topic
from app.ai.offline.grading.verification import unverified_cap
from app.ai.offline.lexicon import (
    CLICHES,
    CONNECTIVES_EN,
    CONNECTIVES_ZH,
    GENERIC_STORY_WORDS,
    GENERIC_STORY_WORDS_ZH,
    HABITUAL,
    NEGATORS,
    STOPWORDS,
)
from app.language import Language

VALID_FLOOR = 12  # the least a valid answer written in sentences scores
OFF_ASK_CAP = 35  # the most a story that never shows what its question asks about scores
# The most an answer that contradicts a key point scores: below UNVERIFIED_CAP, since an answer
# known to be wrong ranks under one the grader merely cannot check.
CONTRADICTED_CAP = 20


@dataclass
class Assessment:
    """Intermediate findings that the score and the feedback are both written from."""

    matches: list[Match]
    credits: list[float]
    coverage: float
    depth: float
    keyword_list: bool = False
    star: dict[str, bool] = field(default_factory=dict)
    cliche: bool = False
    # Statements about the question's subject the grader cannot verify against its key points
    # (see `verification`): the grade says so and stays low.
    unverified: bool = False
    # A story that never shows what its bank question asks about (a conflict, a failure…): a
    # well-told story about something else answers another question.
    off_ask: bool = False


def credit(match: Match) -> float:
    """Partial credit for a key point: nothing below a faint match, full from a solid one."""
    if match.contradiction or match.misconceptions:
        return 0.0
    if match.across:  # read through the dictionary, a faint match proves less
        return min(1.0, max(0.0, (match.score - 0.22) / 0.43))
    return min(1.0, max(0.0, (match.score - 0.15) / 0.5))


def reference_recall(answer: Answer, topic: Topic) -> float:
    """Share of the reference answer's own terms (beyond the question's) the answer uses, in
    its words or naming the same concepts in other words or the other language."""
    if not topic.reference:
        return 0.0
    said = answer.terms & topic.reference
    if topic.reference_concepts:
        for cids in sentence_concepts(answer):
            for cid in cids & topic.reference_concepts.keys():
                said = said | topic.reference_concepts[cid]
    return len(said) / len(topic.reference)


def assess_technical(answer: Answer, topic: Topic, is_code: bool = False) -> tuple[int, Assessment]:
    """Score a technical answer: coverage, reference agreement and depth, then the caps."""
    matches = [match_point(p, answer, topic) for p in topic.points]
    credits = [credit(m) for m in matches]
    points_cov = sum(credits) / len(credits) if credits else 0.0
    # Agreement with the reference and depth are the candidate's own words' too: a sentence that
    # repeats the question (or a follow-up) lends them nothing.
    own = without_echoes(answer, topic)
    recall = min(1.0, reference_recall(own, topic) / 0.5)
    coverage = 0.75 * points_cov + 0.25 * recall if credits else recall
    depth = max(depth_of(own, topic), 0.5 if is_code else 0.0)  # working code is specific
    found = Assessment(matches, credits, coverage, depth)
    raw = 0.78 * coverage + 0.22 * depth * coverage**0.5
    # Concave: making half the points well is a passable answer, not a failing one. A valid
    # answer in sentences says at least something true, so it stays above a bare keyword list.
    score = max(VALID_FLOOR, round(100 * raw**0.7))
    found.keyword_list = not is_code and is_keyword_list(answer.text, answer.language)
    if found.keyword_list:
        score = min(score, round(4 + 8 * coverage))
    # A point the answer contradicts, or about which it states a known misconception.
    wrong = sum(1 for m in matches if m.contradiction or m.misconceptions)
    if not wrong and not found.keyword_list:
        score = max(score, brief_floor(answer, matches))
    cap = None if is_code else unverified_cap(answer, topic, matches)
    found.unverified = cap is not None
    if cap is not None:
        score = min(score, cap)
    return max(3, min(100, contradicted_cap(score, matches))), found


def contradicted_cap(score: int, matches: list[Match]) -> int:
    """The score held below every correct answer's when the answer contradicts a key point.

    A contradicted point (or a known misconception stated about it) is never covered: its credit
    is 0. Beyond that, saying something wrong about a key point is worse than leaving it out: an
    answer with one critical fact reversed is a wrong answer however much else it copies right,
    so one wrong fact caps it at CONTRADICTED_CAP, under the floor of brief correct answers and
    under the cap of answers the grader cannot verify (which may yet be right), and each further
    one sinks it lower.
    """
    wrong = sum(1 for m in matches if m.contradiction or m.misconceptions)
    if not wrong:
        return score
    return min(score - 15 * wrong, CONTRADICTED_CAP - 8 * (wrong - 1))


BRIEF_FLOOR = 62  # a short answer whose every statement makes a key point: brief and correct
BRIEF_TOP = 74  # the most that floor reaches: thorough answers earn more on coverage


def brief_floor(answer: Answer, matches: list[Match]) -> int:
    """The least a short, dense answer scores: brevity is never punished when the facts are there.

    A few lines that make at least two key points (and at least a third of them) well, with nothing
    wrong, are a brief correct answer whatever the points left unsaid; each further point made
    lifts the floor. Longer answers are judged on coverage alone. 0 when the floor does not apply.
    """
    # Made well: more than one cue word or most of the point's own terms; one shared word of the
    # subject, which a vague answer also has, is not enough.
    made = sum(1 for m in matches if m.score >= 0.65)
    per_line = 18 if answer.language == "zh" else 10  # content terms a short sentence carries
    if made < 2 or 3 * made < len(matches) or answer.term_count > 6 * per_line:
        return 0
    # Dense: about a point made for every short sentence's worth of words.
    if made < answer.term_count / (2 * per_line):
        return 0
    return min(BRIEF_TOP, BRIEF_FLOOR + 4 * (made - 2))


def assess_behavioral(answer: Answer, topic: Topic) -> tuple[int, Assessment]:
    """Score a story: STAR parts (as the key points ask for them), specifics and substance."""
    star = star_parts(answer.text, answer.language)
    lesson = bool(LESSON.search(answer.text))
    matches = [match_point(p, answer, topic) for p in topic.points]
    credits = []
    for point, match in zip(topic.points, matches, strict=True):
        lexical = credit(match)
        if match.contradiction or match.misconceptions:
            credits.append(0.0)  # a story part the answer denies or gets wrong is not told
        elif point.star == "lesson":
            credits.append(1.0 if lesson else lexical * 0.5)
        elif point.star:
            credits.append(1.0 if star.get(point.star) else lexical * 0.5)
        else:
            credits.append(lexical)
    coverage = sum(credits) / len(credits) if credits else sum(star.values()) / 4
    depth = story_specifics(answer)
    found = Assessment(matches, credits, coverage, depth, star=star)
    substance = min(1.0, answer.term_count / 45)
    raw = 0.55 * coverage + 0.25 * depth + 0.2 * substance
    if HABITUAL.search(answer.text) and not star["situation"]:
        raw *= 0.7  # "I usually…" describes a habit, not one real event
    score = max(VALID_FLOOR, round(100 * raw))
    found.cliche = bool(CLICHES.search(answer.text))
    if found.cliche:
        # Self-praise is no evidence: like a keyword list, it sits below an honest vague story.
        score = min(round(score * 0.5), 8)
    # STAR parts and specifics are there in any good story; only the question's subject tells
    # whether it is the story asked for. Sentences that repeat the question show nothing.
    # A reply to a follow-up graded on its own (one starting where the text starts) goes on with
    # the story the main answer told ("How did it turn out?" "Latency fell 35%."), so it need
    # not name the subject again.
    reply_only = any(at == 0 for at, _ in topic.follow_ups)
    found.off_ask = (
        bool(topic.ask_cues)
        and not reply_only
        and not shows_the_ask(without_echoes(answer, topic), topic)
    )
    if found.off_ask:
        score = min(score, OFF_ASK_CAP)
    return max(3, min(100, contradicted_cap(score, matches))), found


COMMON_IN = 2  # a cue the reference stories of this many other questions use is common
COMMON_REPEATS = 3  # how often common cues must come to show the ask


def shows_the_ask(answer: Answer, topic: Topic) -> bool:
    """The story speaks of what its question asks about: one of the question's ask cues, or one of
    the question's own words beyond those every story uses ("team", "handled", "经历").

    A cue that stories about other things use too ("error", "owned", "explained", "定位": the
    bank's reference stories for other questions use it) is said in passing by any work story,
    so it shows the ask only repeated, COMMON_REPEATS times; a cue under a denial ("without a
    rewrite") shows nothing."""
    common_cues, common_terms = common_ask_words(topic.question)
    copied = copied_spans(answer, topic)
    seen: set[int] = set()
    shown = 0.0
    for cue in topic.ask_cues:
        for hit in ask_pattern((cue,)).finditer(answer.text):
            if hit.start() in seen or inside(copied, hit.start()):
                continue
            if denied_before(answer.text, hit.start()):
                continue
            seen.add(hit.start())
            shown += 1 / COMMON_REPEATS if cue in common_cues else 1.0
    for term in own_terms(answer, copied) & asked_subject(topic.question):
        shown += 1 / COMMON_REPEATS if term in common_terms else 1.0
    return shown >= 1.0 - 1e-9


def own_terms(answer: Answer, copied: list[tuple[int, int]]) -> frozenset[str]:
    """The answer's terms less the Latin words it says only inside stretches copied from the
    question (see `copied_spans`)."""
    if not copied:
        return answer.terms
    inner: set[str] = set()
    outer: set[str] = set()
    for token in answer.words:
        (inner if inside(copied, token.start) else outer).add(token.term)
    return answer.terms - (inner - outer)


_DENIAL_BEFORE = re.compile(
    r"(\b(without|no|not|never|instead of|rather than)(\s+\w+){0,2}\s*|[不没无未非](\w{0,2}))$",
    re.IGNORECASE,
)


def denied_before(text: str, at: int) -> bool:
    """The words just before ``at`` deny what follows ("without a rewrite", "没有定位")."""
    return _DENIAL_BEFORE.search(text[max(0, at - 30) : at]) is not None


@lru_cache(maxsize=256)
def common_ask_words(question: str) -> tuple[frozenset[str], frozenset[str]]:
    """(the question's ask cues, the question's own subject words) that the bank's reference
    stories of COMMON_IN or more other behavioral questions use too: common to work stories."""
    from app.ai.offline.bank import load_bank  # the bank is needed only here

    entry = load_bank().find_by_text(question)
    if entry is None:
        return frozenset(), frozenset()
    return common_in_other_stories(entry.id)


@lru_cache(maxsize=256)
def common_in_other_stories(question_id: str) -> tuple[frozenset[str], frozenset[str]]:
    """`common_ask_words` of a bank question, by its id: worked out once, however the question
    is worded."""
    from app.ai.offline.bank import load_bank  # the bank is needed only here

    bank = load_bank()
    entry = next(q for q in bank.questions if q.id == question_id)
    question = entry.text
    others = [q for q in bank.questions if q.ask_cues and q.id != entry.id]
    cues = frozenset(
        cue
        for cue in entry.ask_cues
        if sum(
            1
            for other in others
            if cue not in other.ask_cues and ask_pattern((cue,)).search(other.reference_answer)
        )
        >= COMMON_IN
    )
    told = [frozenset(tx.content_terms(other.reference_answer)) for other in others]
    terms = frozenset(
        t for t in asked_subject(question) if sum(t in words for words in told) >= COMMON_IN
    )
    return cues, terms


STEM_AT = 6  # a Latin ask cue's last word this long is a stem: any ending goes ("priorit…")


# Per question and per cue (the ask check reads each cue alone): a few thousand in all.
@lru_cache(maxsize=4096)
def ask_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern finding any of the ask cues. A Latin cue is matched as written, function words
    and all ("not my job", "on my own", "new to me" say what the story is about only whole): its
    words in order, spaces or hyphens between, the last one with a plural or verb ending, or any
    ending when it is a stem of STEM_AT letters or more. A Chinese cue is matched as a substring.
    """
    parts = []
    for cue in cues:
        if tx.CJK_RE.search(cue):
            parts.append(re.escape(cue))
            continue
        words = [re.escape(w) for w in re.split(r"[\s\-]+", cue.lower()) if w]
        if not words:
            continue
        ending = r"\w*" if len(words[-1]) >= STEM_AT else r"(?:s|es|ed|d|ing)?\b"
        parts.append(r"\b" + r"[\s\-]+".join(words) + ending)
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


@lru_cache(maxsize=512)
def asked_subject(question: str) -> frozenset[str]:
    """The question's own words that say what it asks about: its strong terms, less the words any
    work story uses and the filler of a behavioral question's wording."""
    generic = set(tx.content_terms(" ".join(GENERIC_STORY_WORDS)))
    generic |= {b for word in GENERIC_STORY_WORDS_ZH for b in tx.cjk_bigrams(word)}
    return frozenset(
        t for t in tx.content_terms(question) if not tx.is_weak(t) and t not in generic
    )


_ZH_PREDICATE = re.compile(
    r"[的是用会把被让能要在有就都也不无没靠为由按即指]|因为|所以|可以|通过|保证|实现|防止|避免|导致|适合"
)
_NOTE_LABEL = re.compile(r"(^|[.;。；\n]\s*)[\w\- ]{1,30}\s*[:：=]\s*\S|->|=>|→")
_LIST_SPLIT = re.compile(r"[,;、，；|\n•·]+|(?<=[.!?。！？])\s*")
_RELATION_WORDS = STOPWORDS - {"and", "or", "no"}


def is_keyword_list(answer: str, language: Language) -> bool:
    """True when the answer is a bare list of terms with no statement linking them."""
    if len(_NOTE_LABEL.findall(answer)) >= 2:
        return False  # "Merge: …; Rebase: …" is terse notes, not a bare list
    segments = [s.strip() for s in _LIST_SPLIT.split(answer) if s and s.strip(" .。")]
    if language == "zh":
        # "SYN ACK 序列号" is three names; "原子性靠 undo log" one statement about a name.
        # "客户端先发 SYN 带上初始序列号" is also a statement: spaced around Latin words, but long.
        segments = [
            w for s in segments for w in ([s] if _ZH_PREDICATE.search(s) else _zh_words(s) or [s])
        ]
    if len(segments) < 4:
        return False
    bare = sum(is_bare(s) for s in segments)
    # One explaining sentence among a few bare names is an answer, not a list: weigh by length.
    bare_size = sum(len(s) for s in segments if is_bare(s))
    return bare / len(segments) >= 0.75 and bare_size / sum(len(s) for s in segments) >= 0.5


def _zh_words(segment: str) -> list[str]:
    """A Chinese segment's space-separated words when each is short enough to be a name ("进程 线程
    多路复用 SDS"), else []: "客户端先发 SYN 带上初始序列号" is a statement spaced around its Latin
    words."""
    words = segment.split()
    return words if all(len(tx.CJK_RE.findall(w)) <= 6 for w in words) else []


def is_bare(segment: str) -> bool:
    """A segment that names something without saying anything about it."""
    if tx.CJK_RE.search(segment):
        return len(tx.CJK_RE.findall(segment)) <= 6 and not _ZH_PREDICATE.search(segment)
    words = segment.lower().strip(" .").split()
    return len(words) <= 3 and not any(w in _RELATION_WORDS or w in NEGATORS for w in words)


def depth_of(answer: Answer, topic: Topic) -> float:
    """0–1: explanation connectives, concrete specifics and length against the reference."""
    low = answer.text.lower()
    connectives = len(set(CONNECTIVES_EN.findall(low))) + len(set(CONNECTIVES_ZH.findall(low)))
    specifics = len(set(re.findall(r"\d+(?:\.\d+)?", low))) + len(
        set(re.findall(r"\b\w+\(\)|\b[a-z]+[A-Z]\w*|\b\w+_\w+|\b[A-Z]{2,}\d*\b", answer.text))
    )
    ref_size = max(12, len(topic.reference))
    length = answer.term_count / ref_size
    return (
        0.4 * min(1.0, connectives / 3)
        + 0.3 * min(1.0, specifics / 4)
        + 0.3 * min(1.0, length / 0.8)
    )
