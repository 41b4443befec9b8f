"""Graders prove their claims: every quote is checked against the answer before it counts.

Whatever produced an evaluation (a remote model or the offline grader), each covered key point
and each flagged error carries a quote from the answer. Here the quote is looked up in the answer
text (whitespace and case normalised; ellipses at the ends allowed) and replaced by the answer's
own words, so what a page or the API shows as a quote is a verbatim span of the answer. A covered
point whose quote is not in the answer is dropped to the missed ones, an error whose quote is not
there is dropped, and the score is recomputed from what holds: it keeps the share of the claimed
coverage that was proven. Pure functions, no Flask.
"""

from __future__ import annotations

import re

from app.ai.schemas import AnswerEvaluation, AnswerToGrade, QuotedError, QuotedPoint

_ELLIPSIS = "…."
_SPACE = re.compile(r"\s+")


def find_quote(answer: str, quote: str) -> str | None:
    """The verbatim span of ``answer`` that ``quote`` reproduces, or None when it is not there.

    Whitespace runs match any whitespace and case is ignored; leading and trailing ellipses (a
    shortened quote) are not part of the match. Very short quotes prove nothing and never match.
    """
    words = quote.strip().strip(_ELLIPSIS).strip().split()
    if not words or sum(len(w) for w in words) < 2:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    found = re.search(pattern, answer, re.IGNORECASE)
    return found.group() if found else None


def _same_point(point: str, key_points: list[str]) -> str | None:
    """The key point a model's point names (exactly, ignoring case and spacing), if any."""
    wanted = _SPACE.sub(" ", point).strip().lower()
    return next((k for k in key_points if _SPACE.sub(" ", k).strip().lower() == wanted), None)


def verified(evaluation: AnswerEvaluation, item: AnswerToGrade) -> AnswerEvaluation:
    """The evaluation with only proven coverage and errors, and the score they support.

    A covered point counts when some evidence quote for it is in the answer. With no key points to
    check against (a question from outside the bank with none), the model's points stand only as
    far as their quotes do.
    """
    evidence = _proven_evidence(evaluation, item)
    errors = _proven_errors(evaluation, item.answer)
    proven = [e.point for e in evidence]
    claimed = [p for p in evaluation.covered_points if p.strip()] or proven
    missed = [p for p in (item.key_points or claimed) if p not in proven]
    share = len(proven) / len(claimed) if claimed else 1.0
    score = evaluation.score if share >= 1.0 else round(evaluation.score * share)
    confidence = evaluation.confidence * (share if claimed else 1.0)
    return evaluation.model_copy(
        update={
            "covered_points": proven,
            "missed_points": missed,
            "evidence": evidence,
            "errors": errors,
            "score": max(0, min(100, score)),
            "confidence": round(max(0.0, min(1.0, confidence)), 2),
        }
    )


def _proven_evidence(evaluation: AnswerEvaluation, item: AnswerToGrade) -> list[QuotedPoint]:
    """One proven quote per covered point, in the order of the key points."""
    proven: dict[str, str] = {}
    for quoted in evaluation.evidence:
        point = _same_point(quoted.point, item.key_points) if item.key_points else quoted.point
        span = find_quote(item.answer, quoted.quote)
        if point and span and point not in proven:
            proven[point] = span
    order = {p: i for i, p in enumerate(item.key_points)}
    ranked = sorted(proven.items(), key=lambda pq: order.get(pq[0], len(order)))
    return [QuotedPoint(point=p, quote=q) for p, q in ranked]


def _proven_errors(evaluation: AnswerEvaluation, answer: str) -> list[QuotedError]:
    """The flagged errors whose quotes are in the answer, quoted verbatim."""
    out = []
    for error in evaluation.errors:
        span = find_quote(answer, error.quote)
        if span:
            out.append(error.model_copy(update={"quote": span}))
    return out
