"""The entry point: grade one answer against its question's key points and reference answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.ai.offline import text as tx
from app.ai.offline.grading.answer import Answer, analyse, looks_like_code
from app.ai.offline.grading.feedback import invalid_grade, write_feedback
from app.ai.offline.grading.matching import COVERED_AT, Match, evidence, without_echoes
from app.ai.offline.grading.misconceptions import bank_misconceptions
from app.ai.offline.grading.result import Grade
from app.ai.offline.grading.scoring import Assessment, assess_behavioral, assess_technical
from app.ai.offline.grading.star import LESSON, asks_for_story, labelled_sections, star_spans
from app.ai.offline.grading.topic import (
    Point,
    Topic,
    bank_cues,
    cue_key,
    prepare_topic,
    with_ask,
    with_follow_ups,
)
from app.ai.offline.grading.validity import feedback_language, invalid_code, reason_text
from app.ai.offline.grading.verification import answers_a_neighbour, verified_evidence

if TYPE_CHECKING:
    from app.ai.offline.bank import Misconception


def grade_answer(
    question: str,
    answer: str,
    key_points: list[str],
    reference_answer: str = "",
    kind: str = "technical",
    language: str | None = None,
    cues: list[list[str]] | None = None,
    misconceptions: list[tuple[Misconception, ...]] | None = None,
    follow_ups: tuple[tuple[int, str], ...] = (),
) -> Grade:
    """Score an answer 0–100 against the key points and reference answer, with reasons.

    ``cues`` (per key point phrase lists) sharpen matching; they default to the bank's when the
    question is a bank question, and the grader works from the key point text and reference answer
    alone otherwise. Feedback is in
    ``language``, else the question's language. ``misconceptions`` (per key point wrong claims,
    e.g. from a remote plan) default to the bank's when the question is a bank question.
    ``follow_ups`` are the interviewer's follow-up questions the answer also replies to, each with
    the offset in ``answer`` where the reply to it starts: a sentence of a reply that only repeats
    its follow-up earns nothing, as one repeating the question does.
    """
    answer = answer or ""
    lang = feedback_language(language, question, answer)
    points = key_points or points_from_reference(reference_answer)
    behavioral = is_story(kind, question)
    if cues is None:
        cues = bank_cues(question, points)
    wrong = (
        tuple(tuple(m) for m in misconceptions)
        if misconceptions is not None
        else bank_misconceptions(question, tuple(points))
    )
    topic = with_follow_ups(
        prepare_topic(
            question, tuple(points), reference_answer, cue_key(cues, len(points)), behavioral, wrong
        ),
        follow_ups,
    )
    if behavioral:
        topic = with_ask(topic, question)
    is_code = looks_like_code(answer) or (kind == "coding" and "\n" in answer.strip())
    if is_code and (topic.follow_ups or looks_like_code(answer)):
        # Whether the answer is code is judged on the candidate's own words: the question or a
        # follow-up read back ("=== compares…"), or the line breaks that join the replies to
        # follow-ups, do not make prose code.
        own = without_echoes(analyse(answer), topic).text
        is_code = looks_like_code(own) or (kind == "coding" and has_line_breaks(own, topic))
    analysed = analyse(answer, code=is_code)
    reason = invalid_code(question, answer, analysed, topic, behavioral, bool(points), is_code)
    if reason:
        return invalid_grade(lang, reason_text(reason, lang), points)
    if behavioral:
        score, found = assess_behavioral(analysed, topic)
    else:
        score, found = assess_technical(analysed, topic, is_code)
        if not is_code and answers_a_neighbour_in_own_words(analysed, topic, found.matches):
            return invalid_grade(lang, reason_text("off_topic", lang), points)
    quotes = covered_with_quotes(topic, found, analysed, behavioral)
    if found.unverified:
        quotes = verified_evidence(analysed, topic, quotes)
    return Grade(
        score=score,
        feedback=write_feedback(lang, score, topic, found, quotes, behavioral),
        covered_points=[p.text for p in topic.points if p.text in quotes],
        missed_points=[p.text for p in topic.points if p.text not in quotes],
        invalid_reason=None,
        evidence=quotes,
        errors=wrong_statements(topic, found.matches),
        verified=not found.unverified,
    )


def has_line_breaks(text: str, topic: Topic) -> bool:
    """A line break inside the answer to the question or inside one reply to a follow-up (the
    breaks that join the replies are not the candidate's)."""
    bounds = [0, *(at for at, _ in topic.follow_ups if at > 0), len(text)]
    return any("\n" in text[lo:hi].strip() for lo, hi in zip(bounds, bounds[1:], strict=False))


def answers_a_neighbour_in_own_words(answer: Answer, topic: Topic, matches: list[Match]) -> bool:
    """The answer fits another bank question better, as written or without the sentences that
    repeat the question (the question's words make it fit the asked subject no better)."""
    if answers_a_neighbour(answer, topic, matches):
        return True
    own = without_echoes(answer, topic)
    return own is not answer and answers_a_neighbour(own, topic, matches)


# Kinds graded as stories. "technical" is also what callers send when they do not know the kind,
# so a technical question that plainly asks for a story ("Tell me about a time…") is one too.
_STORY_KINDS = frozenset({"behavioral", "project"})
_NOT_STORY_KINDS = frozenset({"coding", "situational"})


def is_story(kind: str | None, question: str) -> bool:
    """Grade as a STAR story: by the question's kind, or by its wording when the kind is unknown.

    Key points are not consulted: a technical point about "context" or "steps" is still technical.
    """
    if kind in _STORY_KINDS:
        return True
    return kind not in _NOT_STORY_KINDS and asks_for_story(question)


def covered_with_quotes(
    topic: Topic, found: Assessment, answer: Answer, behavioral: bool
) -> dict[str, str]:
    """Covered key points with a quote each; a bare keyword list is credited with none."""
    quotes = {
        p.text: evidence(answer, m)
        for p, m, c in zip(topic.points, found.matches, found.credits, strict=True)
        if c >= 0.5 and m.score >= COVERED_AT and not found.keyword_list
    }
    return story_evidence(topic, found, answer, quotes) if behavioral else quotes


def story_evidence(
    topic: Topic, found: Assessment, answer: Answer, quotes: dict[str, str]
) -> dict[str, str]:
    """Quote the sentence that shows each STAR part a behavioral key point asks for."""
    out = dict(quotes)
    spans = star_spans(answer.text, answer.language)
    lesson = LESSON.search(answer.text)
    labelled = labelled_sections(answer.text)
    for point, credit in zip(topic.points, found.credits, strict=True):
        if credit < 0.5:
            continue
        # The candidate's own label says where a part is told: a quote from elsewhere (a
        # keyword of another part's sentence) gives way to the labelled stretch.
        if point.text in out and not outside_label(answer.text, out[point.text], labelled, point):
            continue
        span = (lesson.span() if lesson else None) if point.star == "lesson" else None
        span = span or spans.get(point.star or "")
        if span:
            out[point.text] = tx.quote(answer.text, span[0], min(span[1], span[0] + 80))
    return out


def outside_label(
    text: str, quote: str, labelled: dict[str, tuple[int, int]], point: Point
) -> bool:
    """The quote lies outside the stretch the answer labels with the point's STAR part."""
    stretch = labelled.get(point.star or "")
    if stretch is None:
        return False
    at = text.find(max(quote.split("…"), key=len).strip())
    return at >= 0 and not stretch[0] <= at < stretch[1]


def points_from_reference(reference: str) -> list[str]:
    """Without key points, the reference answer's sentences stand in for them (at most five)."""
    return tx.split_sentences(reference)[:5]


def wrong_statements(topic: Topic, matches: list[Match]) -> list[dict[str, str]]:
    """Each wrong statement, point by point: the known misconceptions the answer states about a
    point (they carry their own correction), else the quote that contradicts the point (the
    point itself is the correction, or the reference sentence the quote copies and changes)."""
    errors: list[dict[str, str]] = []
    for point, match in zip(topic.points, matches, strict=True):
        if match.misconceptions:
            errors.extend(hit.as_json() for hit in match.misconceptions)
        elif match.contradiction:
            quote = match.contradiction
            correction = match.altered or point.text
            errors.append(
                {"point": point.text, "claim": quote, "quote": quote, "correction": correction}
            )
    return errors
