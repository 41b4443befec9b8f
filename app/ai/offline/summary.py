"""The written summary of an interview: the `summarize_interview` task, offline.

Everything is derived from the server's numbers and the graded answers: strengths from the best
categories and answers, weaknesses from the weakest ones and their missed key points, CV advice
from the job terms the CV lacks and its unquantified achievements, and a study plan for the weakest
categories with real resources. Written in the interview's language.
"""

from __future__ import annotations

from app.ai.offline.cv import read_achievements
from app.ai.offline.grading import star_parts
from app.ai.offline.insights import numbers_in
from app.ai.offline.projects import shorten
from app.ai.offline.requirements import requirement_skills
from app.ai.offline.resources import resources_for
from app.ai.offline.summary_text import (
    band,
    cv_markdown,
    recommendation_for,
    recommendation_text,
    says,
    tidy,
)
from app.ai.offline.taxonomy import Skill, load_taxonomy
from app.ai.schemas import GradedAnswer, ImprovementItem, InterviewSummary, SummaryRequest

STRONG, WEAK = 70, 60


def _q(answer: GradedAnswer) -> str:
    return shorten(answer.question, 90)


def _points(points: list[str], n: int = 2, language: str = "en") -> str:
    """The first `n` points, shortened, joined as the language punctuates a list ("；" in Chinese,
    where "; " reads as a stray half-width mark)."""
    separator = "；" if language == "zh" else "; "
    return separator.join(shorten(p, 70) for p in points[:n])


def _by_category(req: SummaryRequest) -> dict[str, list[GradedAnswer]]:
    groups: dict[str, list[GradedAnswer]] = {}
    for answer in req.answers:
        groups.setdefault(answer.category or answer.skill or "General", []).append(answer)
    return groups


def category_scores(req: SummaryRequest) -> dict[str, int]:
    """The server's category scores, or the mean per category when it sent none."""
    if req.category_scores:
        return dict(req.category_scores)
    return {
        c: round(sum(a.score for a in group) / len(group)) for c, group in _by_category(req).items()
    }


def _answered(answer: GradedAnswer) -> bool:
    return bool(answer.answer.strip())


def strengths(req: SummaryRequest) -> list[str]:
    """3–5 concrete strengths, best categories and answers first."""
    t, groups = says(req.language), _by_category(req)
    out: list[str] = []
    for category, score in sorted(category_scores(req).items(), key=lambda kv: -kv[1]):
        best = max(groups.get(category, []), key=lambda a: a.score, default=None)
        if score >= STRONG and best is not None and len(out) < 3:
            covered = _points(best.covered_points, language=req.language) or t["clear_answer"]
            out.append(
                t["strong_category"].format(
                    category=category, score=score, question=_q(best), points=covered
                )
            )
    out += _habit_strengths(req)
    if len(out) < 3:
        out += _relative_strengths(
            req, len(out), used=[a for a in req.answers if _q(a) in " ".join(out)]
        )
    if len(out) < 3:
        out += _within_reach(req, len(out), used=" ".join(out))
    if len(out) < 3 and any(map(_answered, req.answers)):
        out.append(
            t["completed"].format(n=sum(map(_answered, req.answers)), total=len(req.answers))
        )
    return _fill(
        out, [t["completed"].format(n=sum(map(_answered, req.answers)), total=len(req.answers))]
    )


def _habit_strengths(req: SummaryRequest) -> list[str]:
    t, answered = says(req.language), [a for a in req.answers if _answered(a)]
    out = []
    measured = [a for a in answered if numbers_in(a.answer)[1]]
    if len(measured) >= max(1, len(answered) // 3):
        out.append(t["uses_numbers"].format(n=len(measured), total=len(answered)))
    stories = [a for a in answered if a.kind == "behavioral"]
    complete = [a for a in stories if all(star_parts(a.answer, language=req.language).values())]
    if stories and len(complete) == len(stories):
        out.append(t["star_complete"].format(n=len(stories)))
    return out


def _relative_strengths(req: SummaryRequest, have: int, used: list[GradedAnswer]) -> list[str]:
    t = says(req.language)
    ranked = sorted(
        (a for a in req.answers if _answered(a) and a.covered_points and a not in used),
        key=lambda a: -a.score,
    )
    return [
        t["relative"].format(
            category=a.category or a.skill,
            question=_q(a),
            score=a.score,
            points=_points(a.covered_points, language=req.language),
        )
        for a in ranked[: 3 - have]
    ]


def _within_reach(req: SummaryRequest, have: int, used: str) -> list[str]:
    """Categories close to a good score, framed by the one point that would lift them."""
    t, groups = says(req.language), _by_category(req)
    out = []
    for category, score in sorted(category_scores(req).items(), key=lambda kv: -kv[1]):
        best = max(
            (a for a in groups.get(category, []) if _answered(a)),
            key=lambda a: a.score,
            default=None,
        )
        if best is None or category in used or not (WEAK - 15 <= score < STRONG):
            continue
        point = _points(best.missed_points, 1, req.language) or t["thin_answer"]
        out.append(
            t["within_reach"].format(category=category, score=score, question=_q(best), point=point)
        )
    return out[: 3 - have]


def weaknesses(req: SummaryRequest) -> list[str]:
    """3–5 concrete weaknesses: unanswered questions, weak categories and what they missed."""
    t, groups, out = says(req.language), _by_category(req), []
    cited: set[str] = set()  # each question is named once, however many points it missed
    blank = [a for a in req.answers if not _answered(a)]
    if blank:
        out.append(t["unanswered"].format(n=len(blank), question=_q(blank[0])))
    for category, score in sorted(category_scores(req).items(), key=lambda kv: kv[1]):
        worst = min(
            (a for a in groups.get(category, []) if _answered(a)),
            key=lambda a: a.score,
            default=None,
        )
        if score < WEAK and worst is not None and len(out) < 4:
            cited.add(worst.question)
            missed = _points(worst.missed_points, language=req.language) or t["thin_answer"]
            out.append(
                t["weak_category"].format(
                    category=category, score=score, question=_q(worst), points=missed
                )
            )
    out += _habit_weaknesses(req)
    if len(out) < 3:
        ranked = sorted(
            (
                a
                for a in req.answers
                if _answered(a) and a.missed_points and a.question not in cited
            ),
            key=lambda a: a.score,
        )
        out += [
            t["still_missed"].format(
                category=a.category or a.skill,
                question=_q(a),
                points=_points(a.missed_points, language=req.language),
            )
            for a in ranked[: 3 - len(out)]
        ]
    return _fill(out, [t["no_weakness"]])


def _habit_weaknesses(req: SummaryRequest) -> list[str]:
    t, out = says(req.language), []
    stories = [a for a in req.answers if a.kind in ("behavioral", "project") and _answered(a)]
    no_result = [
        a for a in stories if not star_parts(a.answer, language=req.language).get("result", True)
    ]
    if no_result:
        out.append(t["no_result"].format(question=_q(no_result[0])))
    answered = [a for a in req.answers if _answered(a)]
    if answered and not any(numbers_in(a.answer)[1] for a in answered):
        out.append(t["no_numbers"])
    return out


def _fill(items: list[str], fallback: list[str]) -> list[str]:
    """Between one and five items without repeats."""
    unique = list(dict.fromkeys(items)) or fallback
    return unique[:5]


def _skills_for(category: str, answers: list[GradedAnswer]) -> list[Skill]:
    taxonomy = load_taxonomy()
    found = [taxonomy.lookup(a.skill) for a in answers if a.skill]
    found.append(taxonomy.lookup(category))
    by_id = {s.id: s for s in found if s is not None}
    return list(by_id.values())


def improvement_plan(req: SummaryRequest) -> list[ImprovementItem]:
    """One study step per weak category (weakest first), with what to review and where."""
    t, groups = says(req.language), _by_category(req)
    ranked = sorted(category_scores(req).items(), key=lambda kv: kv[1])
    weak = [(c, s) for c, s in ranked if s < 75][:5] or ranked[:2]
    plan = []
    for category, score in weak:
        answers = sorted(groups.get(category, []), key=lambda a: a.score)
        missed = [p for a in answers for p in a.missed_points]
        review = _points(list(dict.fromkeys(missed)), 3, req.language) or t["fundamentals"].format(
            category=category
        )
        question = _q(answers[0]) if answers else category
        plan.append(
            ImprovementItem(
                topic=f"{category} ({score}/100)"[:200],
                action=t["plan_action"].format(review=review, question=question)[:1000],
                resources=resources_for(_skills_for(category, answers), req.language),
            )
        )
    return plan


def cv_improvements(req: SummaryRequest) -> str:
    """Markdown advice from the gap between the CV's terms and the job's, and unmeasured lines."""
    cv_ids = {h.skill.id for h in load_taxonomy().find(req.resume_text)}
    must, nice = requirement_skills(req.job_description)
    # Technical terms only: soft skills are shown in stories, not listed as keywords.
    missing = [s.name for s in must + nice if s.id not in cv_ids and not s.is_behavioral]
    unmeasured = [a.text for a in read_achievements(req.resume_text) if not a.has_metric]
    weak = [c for c, s in sorted(category_scores(req).items(), key=lambda kv: kv[1]) if s < WEAK]
    return cv_markdown(req.language, bool(req.resume_text.strip()), missing, unmeasured, weak)[
        :6000
    ]


def summarize_interview(req: SummaryRequest) -> InterviewSummary:
    """The written feedback for one interview."""
    t = says(req.language)
    scores = category_scores(req)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    recommendation = recommendation_for(req.overall_score)
    best, worst = (ranked[0], ranked[-1]) if ranked else (("-", 0), ("-", 0))
    answered = sum(map(_answered, req.answers))
    role = t["role"].format(title=req.job_title or t["the_role"])
    role += t["at"].format(company=req.company_name) if req.company_name else ""
    facts = {
        "role": role,
        "score": req.overall_score,
        "band": band(req.overall_score, req.language),
        "best": best[0],
        "best_score": best[1],
        "worst": worst[0],
        "worst_score": worst[1],
        "answered": answered,
        "total": len(req.answers),
        "recommendation": recommendation_text(recommendation, req.language),
    }
    weak_list = weaknesses(req)
    overall = t["overall"].format(**facts, first_step=weak_list[0] if weak_list else "")
    plan = [step.model_copy(update={"action": tidy(step.action)}) for step in improvement_plan(req)]
    return InterviewSummary(
        overall_feedback=tidy(overall)[:6000],
        strengths=[tidy(item) for item in strengths(req)],
        weaknesses=[tidy(item) for item in weak_list],
        cv_improvements=tidy(cv_improvements(req)),
        improvement_plan=plan,
        candidate_summary=tidy(t["candidate"].format(**facts))[:2000],
        recommendation=recommendation,
    )
