"""The validity gate: answers that cannot be graded on their merits score 0 with the reason.

Empty, unreadable, too short, the question copied back, "I don't know", text that addresses the
grader, and answers about something else.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.ai.offline import text as tx
from app.ai.offline.grading.answer import Answer, analyse
from app.ai.offline.grading.crossing import on_topic_across
from app.ai.offline.grading.matching import match_point, without_echoes
from app.ai.offline.grading.star import asks_for_story, star_parts
from app.ai.offline.grading.topic import Topic, prepare_topic
from app.ai.offline.grading.vocabulary import related_vocabulary, technical_content
from app.ai.offline.lexicon import (
    DONT_KNOW,
    DONT_KNOW_ZH,
    GRADER_ADDRESS,
    GRADER_ADDRESS_ZH,
    GRADER_WORDS,
    KEY_ROWS,
    SELF_TARGET,
    STOPWORDS,
    TOP_SCORE,
)
from app.language import Language, as_language

REASONS: dict[str, tuple[str, str]] = {
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

    With only the question the check is lenient: an answer is off-topic only when it shares next
    to nothing with the question and its subject and has no technical content at all (a story, for
    a question that asks for one). Pass ``key_points``/``reference_answer`` for the fuller check
    `grade_answer` uses.
    """
    lang = feedback_language(language, question, answer)
    behavioral = asks_for_story(question)
    topic = prepare_topic(question, tuple(key_points or ()), reference_answer, (), behavioral)
    code = invalid_code(
        question, answer, analyse(answer), topic, behavioral, strict=bool(key_points)
    )
    return reason_text(code, lang) if code else None


def reason_text(code: str, lang: Language) -> str:
    """The reason for an invalid answer, in the feedback language."""
    en, zh = REASONS[code]
    return zh if lang == "zh" else en


def feedback_language(language: str | None, question: str, answer: str) -> Language:
    """The feedback language: as asked, else the question's, else the answer's."""
    if language in ("en", "zh"):
        return as_language(language)
    return tx.detect_language(question) if question.strip() else tx.detect_language(answer)


def invalid_code(
    question: str,
    answer: str,
    analysed: Answer,
    topic: Topic,
    behavioral: bool,
    strict: bool,
    code: bool = False,
) -> str | None:
    """The first validity rule the answer breaks, as a key of `REASONS`."""
    if not re.search(rf"[A-Za-z0-9{tx._CJK}]", answer):
        return "empty"
    if addresses_grader(answer) or GRADER_ADDRESS_ZH.search(answer) or asks_for_score(answer):
        return "grader"
    if not code and is_noise(analysed, topic):
        return "noise"
    strong = {t for t in analysed.terms if not tx.is_weak(t)}
    if not analysed.terms:
        return "hollow"
    if is_copy(analysed.terms, topic.question_terms, answer, question):
        return "copied"
    # An answer in the other language names the subject in its own words.
    on_topic = strong & topic.vocabulary | on_topic_across(analysed, topic)
    declined = DONT_KNOW.search(answer) or DONT_KNOW_ZH.search(answer)
    if declined and len(on_topic) < 3:
        return "declined"
    if is_off_topic(analysed, strong, on_topic, topic, behavioral, strict):
        return "off_topic"
    # Whether the answer is on the subject is judged on the candidate's own words too: a
    # sentence that only repeats the question would put any answer on the subject.
    own = without_echoes(analysed, topic)
    if own is not analysed:
        own_strong = {t for t in own.terms if not tx.is_weak(t)}
        if is_off_topic(own, own_strong, own_strong & topic.vocabulary, topic, behavioral, strict):
            return "off_topic"
    return None


# Every wording GRADER_ADDRESS catches holds one of these (its verb, "marks", the grader's title or
# "system prompt"). That pattern tries each of its alternatives at every character, which made it
# the slowest step of the gate, so an answer holding none of these is passed over without it.
_GRADER_TRIGGERS = (
    "ignore", "disregard", "forget", "override", "give", "award", "assign", "grant", "score",
    "grade", "rate", "mark", "deserve", "earn", "worth", "evaluator", "examiner", "language model",
    "system prompt",
)  # fmt: skip
# Letters the pattern's IGNORECASE takes for i or s although str.lower() does not lower them to it
# (İ, ı, ſ): an answer holding one is always given to the pattern.
_CASE_ODD = re.compile("[\u0130\u0131\u017f]")


def addresses_grader(answer: str) -> bool:
    """GRADER_ADDRESS finds text aimed at the grader (an imperative about the instructions or the
    score, or a claim to be the grader), run only when the answer holds one of its words."""
    if not _CASE_ODD.search(answer):
        folded = answer.lower()
        if not any(word in folded for word in _GRADER_TRIGGERS):
            return False
    return GRADER_ADDRESS.search(answer) is not None


def asks_for_score(answer: str) -> bool:
    """A sentence that asks for a top score or a pass, and speaks to the grader or about this
    answer's own grade: caught by what it means, whatever its wording."""
    for sentence in tx.split_sentences(answer):
        if TOP_SCORE.search(sentence) and (
            GRADER_WORDS.search(sentence) or SELF_TARGET.search(sentence)
        ):
            return True
    return False


def is_noise(answer: Answer, topic: Topic) -> bool:
    """Keyboard mashes, stuck keys and a single character repeated."""
    words = [t.surface for t in answer.words if t.surface.isalpha()]
    unknown = [
        w
        for w in words
        if w.lower() not in STOPWORDS and tx.term(w.lower()) not in topic.vocabulary
    ]
    cjk = tx.CJK_RE.findall(answer.text)
    size = len(words) + len(cjk) / 2  # about two Chinese characters to a word
    if size and sum(looks_like_noise(w) for w in unknown) / size >= 0.5:
        return True
    # Long Chinese text repeats characters naturally; only a short one made of a few is noise.
    return 4 <= len(cjk) <= 40 and len(set(cjk)) / len(cjk) <= 0.3


def is_copy(
    terms: frozenset[str], question_terms: frozenset[str], answer: str, question: str
) -> bool:
    """The answer adds nothing to the question's own words. One that denies what the question
    says ("X does not need Y" to "Why does X need Y?") adds a claim, and is graded as one."""
    if tx.has_negation(answer) and not tx.has_negation(question):
        return False
    said = tx.normalize(answer).strip("?？。. ")
    if said and said in tx.normalize(question):
        return True
    new = terms - question_terms
    return len(terms) >= 2 and len(new) <= len(terms) // 8


def is_off_topic(
    analysed: Answer,
    strong: set[str],
    on_topic: set[str],
    topic: Topic,
    behavioral: bool,
    strict: bool,
) -> bool:
    """Nothing (or next to nothing, for a long answer) of the topic's vocabulary appears."""
    if behavioral:
        return not on_topic and not any(star_parts(analysed.text).values())
    if not strict:
        return _unrelated(analysed, strong, topic)
    if not on_topic:
        return True
    beyond_question = on_topic - topic.question_terms
    share = len(on_topic) / max(1, len(strong))
    new_share = len(beyond_question) / max(1, len(strong))
    long_enough = 24 if analysed.language == "zh" else 12  # Chinese bigrams run about 2 per word
    if len(strong) >= long_enough and share < 0.25 and new_share < 0.12:
        best = max((match_point(p, analysed, topic).score for p in topic.points), default=0.0)
        return best < 0.35
    return False


def _unrelated(analysed: Answer, strong: set[str], topic: Topic) -> bool:
    """With nothing to grade against: shares next to nothing with the subject, and is not technical.

    The subject is the question's words (and the reference answer's, when there is one) and the
    vocabulary of the bank's nearest questions; a single shared word in a long answer ("long
    walks") is chance, not a subject.
    """
    subject = topic.vocabulary | related_vocabulary(topic.question)
    shared = strong & subject
    if len(shared) >= 2 or 3 * len(shared) >= len(strong):
        return False
    return not technical_content(analysed.text)


# Keys on one keyboard row next to each other: a long run of them is a keyboard mash.
_KEY_NEIGHBOURS = frozenset(
    pair
    for row in KEY_ROWS
    for i in range(len(row) - 1)
    for pair in (row[i : i + 2], row[i + 1] + row[i])
)


@lru_cache(maxsize=16384)
def looks_like_noise(word: str) -> bool:
    """True for a word that reads as a keyboard mash or a stuck key rather than language."""
    w = word.lower()
    if not w.isalpha() or len(w) < 3:
        return False
    if re.search(r"(.)\1\1", w) or not (set("aeiouy") & set(w)) or re.search(r"[^aeiouy]{5,}", w):
        return True
    pairs = [w[i : i + 2] for i in range(len(w) - 1)]
    return sum(p in _KEY_NEIGHBOURS for p in pairs) / len(pairs) >= 0.75
