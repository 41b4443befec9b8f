"""The PDF's own words: its English text by layout key, in the report's language."""

from __future__ import annotations

from datetime import datetime

from app.i18n import N_, translate

# Keys the PDF layout uses → its English text; the Chinese comes from the catalog (app.i18n).
LABELS: dict[str, str] = {
    "product": N_("Interview Coach"),
    "report_title": N_("Interview Assessment Report"),
    "role_at": N_("{role} at {company}"),
    "candidate": N_("Candidate"),
    "interview_date": N_("Interview date"),
    "session": N_("Session"),
    "questions_answered": N_("Questions"),
    "overall_score": N_("Overall score"),
    "evaluated_by": N_("Evaluated by {who}"),
    "fallback": N_(
        "The first-choice AI provider was unavailable; a fallback provider produced this "
        "evaluation."
    ),
    "summary": N_("Summary"),
    "overall_feedback": N_("Overall feedback"),
    "category_scores": N_("Scores by category"),
    "strengths": N_("Strengths"),
    "fix_first": N_("Fix these first"),
    "went_well": N_("What went well"),
    "earned": N_("earned “{point}”"),
    "improvements": N_("Areas to improve"),
    "analysis": N_("Category Analysis"),
    "category": N_("Category"),
    "score": N_("Score"),
    "band": N_("Band"),
    "notes": N_("Notes"),
    "questions_n": N_("{n} questions"),
    "questions_1": N_("1 question"),
    "with_follow_ups": N_("{n} + {f} follow-ups"),
    "with_follow_up": N_("{n} + 1 follow-up"),
    "strongest": N_("Strongest area."),
    "weakest": N_("Needs the most work."),
    "review": N_("Review: {points}"),
    "skills": N_("Skills from the job description"),
    "must_haves": N_("Must-have"),
    "nice_to_haves": N_("Nice-to-have"),
    "skill": N_("Skill"),
    "skill_type": N_("Type"),
    "radar_needs_three": N_("The radar chart needs at least three categories."),
    "charts_truncated": N_(
        "The charts show the first {shown} of {total} categories; the table lists them all."
    ),
    "details": N_("Question by Question"),
    "question_n": N_("Question {n}"),
    "follow_up": N_("Follow-up"),
    "your_answer": N_("Answer"),
    "no_answer": N_("(No answer given)"),
    "feedback": N_("Feedback"),
    "covered": N_("Key points covered"),
    "missed": N_("Key points missed"),
    "reference": N_("Reference answer"),
    "key_points": N_("Key points"),
    "not_scored": N_("n/a"),
    "plan": N_("Improvement Plan"),
    "topic": N_("Topic"),
    "action": N_("Action"),
    "resources": N_("Resources"),
    "no_plan": N_("No improvement plan was produced for this interview."),
    "none": N_("None noted."),
    "footer": N_("Session {session} · Generated {time}"),
    "excellent": N_("Excellent"),
    "good": N_("Good"),
    "adequate": N_("Adequate"),
    "needs_improvement": N_("Needs significant improvement"),
    "title_meta": N_("Interview report: {role} at {company}"),
    "subject_meta": N_("Interview assessment of {candidate} for {role}"),
}


def label(language: str, key: str, **values: object) -> str:
    """The text for `key` in `language` (English when the language is unknown)."""
    return translate(LABELS[key], language, **values)


def question_count(language: str, count: int) -> str:
    """'1 question' / '8 questions' (no "question(s)")."""
    return label(language, "questions_1") if count == 1 else label(language, "questions_n", n=count)


def main_and_follow_ups(language: str, main: int, follow_ups: int) -> str:
    """How many questions were asked: the main ones, and the follow-ups beside them."""
    if follow_ups == 0:
        return str(main)
    if follow_ups == 1:
        return label(language, "with_follow_up", n=main)
    return label(language, "with_follow_ups", n=main, f=follow_ups)


def format_date(value: datetime, language: str) -> str:
    """A date as a reader of `language` writes it."""
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value:%B %Y}"


def format_timestamp(value: datetime) -> str:
    """A generation time with minutes and the time zone (UTC when the time is naive)."""
    zone = value.tzname() or "UTC"
    return f"{value:%Y-%m-%d %H:%M} {zone}"
