"""Text going into the PDF: escaping, font choice per character, score colours, data coercion."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from app.reports.pdf import fonts
from app.reports.pdf.data import read_report
from app.reports.pdf.styles import AMBER, GREEN, RED, band_key, score_colour
from app.reports.pdf.text import is_latin, needs_cjk_wrap, plain, to_markup

CID = fonts.builtin_cid_fonts()
STYLE = ParagraphStyle("probe", fontName=fonts.LATIN)
CJK_STYLE = ParagraphStyle("probe_cjk", fontName=fonts.LATIN, wordWrap="CJK")


def fragments(text: str, font_set: fonts.FontSet = CID) -> list[tuple[str, str]]:
    """(text, font) of each run ReportLab will draw for `text`."""
    paragraph = Paragraph(to_markup(text, font_set), STYLE)
    return [(frag.text, frag.fontName) for frag in paragraph.frags if frag.text]


@given(st.text(alphabet=st.characters(codec="cp1252", exclude_categories=["Cc"])))
def test_latin_text_round_trips_through_markup(text: str) -> None:
    """Whatever Latin text is typed, including markup characters, is what gets drawn."""
    drawn = "".join(run for run, _ in fragments(text))
    assert " ".join(drawn.split()) == " ".join(text.split())


@settings(max_examples=200)
@given(st.text())
def test_every_drawn_character_has_a_glyph_in_its_font(text: str) -> None:
    """No character reaches a font that lacks it, so nothing is drawn as an empty box."""
    paragraph = Paragraph(to_markup(text, CID), CJK_STYLE)
    paragraph.wrap(200, 10_000)
    for run, font in ((f.text, f.fontName) for f in paragraph.frags if f.text):
        if font == fonts.CID_FONT:
            assert all(CID.cjk_covers(char) for char in run)
        else:
            assert is_latin(run.replace("\n", ""))


def merged_runs(text: str) -> list[tuple[str, str]]:
    """Consecutive fragments in the same font joined, with whitespace squeezed."""
    merged: list[tuple[str, str]] = []
    for run, font in fragments(text):
        if merged and merged[-1][1] == font:
            merged[-1] = (merged[-1][0] + run, font)
        else:
            merged.append((run, font))
    return [(" ".join(run.split()), font) for run, font in merged]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", [("<script>alert(1)</script>", fonts.LATIN)]),
        ("A 🚀 B", [("A B", fonts.LATIN)]),
        ("Łódź", [("Lódz", fonts.LATIN)]),
        ("面试 ok", [("面试", fonts.CID_FONT), ("ok", fonts.LATIN)]),
        ("\u0915", [("?", fonts.LATIN)]),  # a Devanagari letter neither font has
    ],
)
def test_characters_go_to_a_font_that_has_them(text: str, expected: list[tuple[str, str]]) -> None:
    """Latin to Helvetica, Chinese to the CJK font, emoji dropped, others spelled or "?"."""
    assert merged_runs(text) == expected


def test_code_keeps_line_breaks_and_indentation() -> None:
    """Code markup keeps each line and its leading spaces (as non-breaking spaces)."""
    markup = to_markup("if x:\n    return 1", CID, keep_spaces=True)
    assert markup == "if x:<br/>\xa0\xa0\xa0\xa0return 1"


def test_chart_labels_are_single_font_and_shortened() -> None:
    """Chart labels fit one font and a length limit."""
    assert plain("System Design and Architecture", CID, 12) == ("System Desi…", False)
    assert plain("系统设计", CID) == ("系统设计", True)
    assert needs_cjk_wrap("mixed 中文") and not needs_cjk_wrap("plain")


@pytest.mark.parametrize(
    ("score", "colour", "band"),
    [
        (100, GREEN, "excellent"),
        (90, GREEN, "excellent"),
        (89, GREEN, "good"),
        (75, GREEN, "good"),
        (74, AMBER, "adequate"),
        (60, AMBER, "adequate"),
        (59, RED, "needs_improvement"),
        (0, RED, "needs_improvement"),
    ],
)
def test_score_colours_and_bands_follow_the_spec(score: int, colour: object, band: str) -> None:
    """Green from 75, amber 60–74, red below 60; bands at 90/75/60."""
    assert score_colour(score) == colour
    assert band_key(score) == band


def test_a_malformed_report_is_read_without_failing() -> None:
    """Missing fields, wrong types and out-of-range scores are coerced, not fatal."""
    view = read_report(
        {
            "overall_score": "87.6",
            "category_scores": [{"category": None, "score": 140}, "junk"],
            "skill_scores": {"must_haves": [{"skill_name": "SQL", "score": None}]},
            "question_details": [{"question": "Q?", "score": "n/a", "covered_points": "one"}],
            "strengths": "just one",
            "improvement_plan": [{"topic": "T", "resources": None}],
        }
    )
    assert view.overall_score == 88
    assert view.categories[0].category == "—" and view.categories[0].score == 100
    assert view.must_haves[0].score == 0
    assert view.questions[0].score is None and view.questions[0].covered_points == ["one"]
    assert view.strengths == ["just one"] and view.plan[0].resources == []


def test_property_checks_have_no_time_limit() -> None:
    """Property tests judge output, not speed: a slow example on a busy machine is no failure."""
    assert settings().deadline is None
