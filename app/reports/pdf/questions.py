"""Section 4: question by question — question, answer, score, feedback, key points, reference."""

from __future__ import annotations

from collections.abc import Mapping

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from .data import QuestionDetail, ReportView
from .styles import GREEN, MUTED, RED, score_colour, score_tint
from .summary import feedback_paragraphs
from .typeset import Typesetter

BADGE_WIDTH = 24 * mm
HEADING_PAD = 4
CATEGORY_CHARS = 80


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
    """The question's number, category and follow-up mark beside its score badge."""
    parts = [f"<b>{ink.markup(ink.t('question_n', n=question.position))}</b>"]
    if question.category.strip():
        parts.append(ink.markup(question.category[:CATEGORY_CHARS]))
    if question.is_follow_up:
        parts.append(ink.markup(ink.t("follow_up")))
    score = question.score
    number = ink.t("not_scored") if score is None else str(score)
    badge = ink.rich(
        f'<font color="#{score_colour(score).hexval()[2:]}"><b>{number}</b></font>'
        f'<font size="8" color="#{MUTED.hexval()[2:]}"> / 100</font>',
        "score_big",
    )
    title = ink.rich(" · ".join(parts), "heading_label")
    return ScoreHeading(title, badge, score)


def _answer(question: QuestionDetail, code: bool, ink: Typesetter) -> list[Flowable]:
    """The candidate's answer: monospace for code, a shaded block otherwise; both keep their
    indents, since code is often typed in text mode too."""
    label = ink.heading("your_answer")
    if not question.answer.strip():
        return [*label, ink.para(ink.t("no_answer"), "italic")]
    text = question.answer.strip("\n").rstrip()
    return [*label, ink.para(text, "code" if code else "answer", code=True)]


def _points(question: QuestionDetail, ink: Typesetter) -> list[Flowable]:
    """Key points covered and missed; the plain key points when the grade lists neither."""
    story: list[Flowable] = []
    # One run-on line per list ("✓ a · b · c") rather than a bullet per point: the same points in
    # a third of the height.
    for points, key, colour in (
        (question.covered_points, "covered", GREEN),
        (question.missed_points, "missed", RED),
    ):
        if points:
            story += [*ink.heading(key), ink.bullet(" · ".join(points), colour)]
    if not story and question.key_points:
        story += [*ink.heading("key_points"), *ink.bullets(question.key_points, MUTED)]
    return story


def question_block(question: QuestionDetail, code: bool, ink: Typesetter) -> list[Flowable]:
    """Everything about one question, its heading kept with the question text."""
    story: list[Flowable] = [
        KeepTogether(
            [
                _score_heading(question, ink),
                Spacer(1, 3),
                ink.para(question.question.strip() or "—", "qtitle"),
            ]
        ),
    ]
    story += _answer(question, code, ink)
    if question.feedback.strip():
        story += [
            *ink.heading("feedback"),
            *feedback_paragraphs(question.feedback, ink),
        ]
    story += _points(question, ink)
    # A follow-up's reference answer restates part of its main question's: the page keeps it in
    # the card, the printout leaves it out to stay short.
    if question.reference_answer.strip() and not question.is_follow_up:
        story += [
            *ink.heading("reference"),
            ink.para(question.reference_answer.strip(), "reference"),
        ]
    story.append(Spacer(1, 14))
    return story


def questions(view: ReportView, modes: Mapping[int, str], ink: Typesetter) -> list[Flowable]:
    """The question-by-question section's flowables."""
    story: list[Flowable] = [ink.para(ink.t("details"), "h1")]
    if not view.questions:
        story.append(ink.para(ink.t("none"), "muted"))
    for question in view.questions:
        story += question_block(question, modes.get(question.question_id) == "code", ink)
    return story
