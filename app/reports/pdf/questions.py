"""Question by question: each main question with its follow-ups, in one compact section.

A follow-up is graded through its main question, so it is printed inside that question's section
with its own question and answer but no score, feedback or key points of its own. Each point is
said once: the covered and missed key points are listed, and the feedback keeps only what the
lists do not already say.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from .data import QuestionDetail, ReportView
from .styles import GREEN, MUTED, RED, score_colour, score_tint
from .typeset import Typesetter

BADGE_WIDTH = 24 * mm
HEADING_PAD = 3
CATEGORY_CHARS = 80

# The offline grader's feedback opens with its verdict and restates the covered and missed key
# points ("Covered: a (“quote”); b. Missed: c; d."): the section lists those points already.
_VERDICT = re.compile(
    r"^(?:[^.。()（）]{1,24}[(（]\d{1,3}/100[)）][.。]|Score \d{1,3}/100:|\d{1,3}/100 分：)\s*"
)
_LEADS = {
    "covered": ("Covered: ", "已覆盖："),
    # A zero names every key point as what a good answer covers.
    "missed": ("Missed: ", "遗漏：", "A good answer covers: ", "好的回答应覆盖："),
}
_QUOTED = r"\s?[(（]“[^”]*”[)）]"


class ScoreHeading(Flowable):
    """A rule in the score's colour over a title on the left and a tinted score badge."""

    def __init__(self, title: Paragraph, badge: Paragraph, score: int | None) -> None:
        super().__init__()
        self.title, self.badge, self.score = title, badge, score

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Lay out both paragraphs; the heading is as tall as the taller one plus padding."""
        self.width = avail_width
        _, title_height = self.title.wrap(avail_width - BADGE_WIDTH - HEADING_PAD, avail_height)
        _, badge_height = self.badge.wrap(BADGE_WIDTH, avail_height)
        self.height = max(title_height, badge_height) + 2 * HEADING_PAD
        return self.width, self.height

    def draw(self) -> None:
        """Draw the badge's tint, the coloured rule, then the two paragraphs centred."""
        canvas = self.canv
        canvas.setFillColor(score_tint(self.score))
        canvas.rect(self.width - BADGE_WIDTH, 0, BADGE_WIDTH, self.height, stroke=0, fill=1)
        canvas.setStrokeColor(score_colour(self.score))
        canvas.setLineWidth(1.2)
        canvas.line(0, self.height, self.width, self.height)
        self.title.drawOn(canvas, 0, (self.height - self.title.height) / 2)
        self.badge.drawOn(canvas, self.width - BADGE_WIDTH, (self.height - self.badge.height) / 2)


def _score_heading(question: QuestionDetail, ink: Typesetter) -> ScoreHeading:
    """The question's number and category beside its score badge."""
    parts = [f"<b>{ink.markup(ink.t('question_n', n=question.position))}</b>"]
    if question.category.strip():
        parts.append(ink.markup(question.category[:CATEGORY_CHARS]))
    score = question.score
    number = ink.t("not_scored") if score is None else str(score)
    badge = ink.rich(
        f'<font color="#{score_colour(score).hexval()[2:]}"><b>{number}</b></font>'
        f'<font size="8" color="#{MUTED.hexval()[2:]}"> / 100</font>',
        "score_big",
    )
    title = ink.rich(" · ".join(parts), "heading_label")
    return ScoreHeading(title, badge, score)


def _answer(question: QuestionDetail, code: bool, ink: Typesetter) -> Flowable:
    """The candidate's answer: monospace for code, a shaded block otherwise; both keep their
    indents, since code is often typed in text mode too."""
    if not question.answer.strip():
        return ink.para(ink.t("no_answer"), "italic")
    text = question.answer.strip("\n").rstrip()
    return ink.para(text, "code" if code else "answer", code=True)


def _lead(key: str, colour: str, ink: Typesetter) -> str:
    """A bold, coloured label that opens a line ("Missed: …")."""
    colon = "：" if ink.language == "zh" else ": "
    return f'<font color="#{colour}"><b>{ink.markup(ink.t(key) + colon)}</b></font>'


def _points(question: QuestionDetail, ink: Typesetter) -> list[Flowable]:
    """Key points covered and missed, one line each ("Covered: a · b · c"); the plain key points
    when the grade lists neither."""
    story: list[Flowable] = []
    for points, key, colour in (
        (question.covered_points, "covered", GREEN),
        (question.missed_points, "missed", RED),
    ):
        if points:
            text = " · ".join(ink.markup(p) for p in points)
            story.append(ink.rich(_lead(key, colour.hexval()[2:], ink) + text, "line"))
    if not story and question.key_points:
        text = " · ".join(ink.markup(p) for p in question.key_points)
        story.append(ink.rich(_lead("key_points", MUTED.hexval()[2:], ink) + text, "line"))
    return story


def _listed(lead: str, points: list[str]) -> re.Pattern[str]:
    """The sentence that lists `points` after `lead`, in any order, each perhaps with its quote
    (the grader lists them in the order it found them, which need not be the key points')."""
    one = "(?:" + "|".join(re.escape(p) for p in sorted(points, key=len, reverse=True)) + ")"
    item = one + f"(?:{_QUOTED})?"
    items = item + (r"(?:[;；]\s?" + item + f"){{{len(points) - 1}}}" if len(points) > 1 else "")
    return re.compile(re.escape(lead) + items + r"[.。]\s*")


def advice_only(feedback: str, covered: list[str], missed: list[str]) -> str:
    """The feedback without the verdict (the badge shows the score) and without the sentences
    that restate the covered and missed key points listed beside it; any other words are kept."""
    text = _VERDICT.sub("", feedback.strip(), count=1)
    for key, points in (("covered", covered), ("missed", missed)):
        if points:
            for lead in _LEADS[key]:
                text = _listed(lead, points).sub("", text, count=1)
    return text.strip()


def _feedback(question: QuestionDetail, ink: Typesetter) -> list[Flowable]:
    """The feedback's own advice, after a bold "Feedback" label."""
    advice = advice_only(question.feedback, question.covered_points, question.missed_points)
    if not advice:
        return []
    return [ink.rich(_lead("feedback", MUTED.hexval()[2:], ink) + ink.markup(advice), "line")]


def _follow_up(question: QuestionDetail, code: bool, ink: Typesetter) -> list[Flowable]:
    """A follow-up inside its main question's section: its question and the answer to it."""
    lead = _lead("follow_up", MUTED.hexval()[2:], ink)
    return [
        CondPageBreak(40),
        ink.rich(lead + ink.markup(question.question.strip() or "—"), "follow_up"),
        _answer(question, code, ink),
    ]


def question_block(
    question: QuestionDetail,
    follow_ups: list[QuestionDetail],
    modes: Mapping[int, str],
    ink: Typesetter,
) -> list[Flowable]:
    """One main question: heading, question, answer, its follow-ups, key points, the feedback's
    advice and the reference answer."""
    story: list[Flowable] = [
        KeepTogether(
            [
                _score_heading(question, ink),
                Spacer(1, 2),
                ink.para(question.question.strip() or "—", "qtitle"),
            ]
        ),
        _answer(question, modes.get(question.question_id) == "code", ink),
    ]
    for follow_up in follow_ups:
        story += _follow_up(follow_up, modes.get(follow_up.question_id) == "code", ink)
    story += _points(question, ink)
    story += _feedback(question, ink)
    if question.reference_answer.strip():
        reference = _lead("reference", MUTED.hexval()[2:], ink)
        story.append(
            ink.rich(reference + ink.markup(question.reference_answer.strip()), "reference")
        )
    story.append(Spacer(1, 10))
    return story


def grouped(view: ReportView) -> list[tuple[QuestionDetail, list[QuestionDetail]]]:
    """Each main question with the follow-ups asked after it (a leading follow-up stands alone)."""
    groups: list[tuple[QuestionDetail, list[QuestionDetail]]] = []
    for question in view.questions:
        if question.is_follow_up and groups:
            groups[-1][1].append(question)
        else:
            groups.append((question, []))
    return groups


def questions(view: ReportView, modes: Mapping[int, str], ink: Typesetter) -> list[Flowable]:
    """The question-by-question section's flowables."""
    story: list[Flowable] = [CondPageBreak(120), ink.para(ink.t("details"), "h1")]
    if not view.questions:
        story.append(ink.para(ink.t("none"), "muted"))
    for main, follow_ups in grouped(view):
        story += question_block(main, follow_ups, modes, ink)
    return story
