"""What the e2e screenshots showed wrong, fixed in the templates and charts: a lone point on the
trend, Chinese sentences joined with a stray space, a setting's name shown to a candidate."""

from __future__ import annotations

import re

from app.charts import trend_svg
from tests.feedback.helpers import evaluated_session
from tests.support.sessions import make_session


def test_a_lone_trend_point_sits_in_the_middle_not_on_the_axis_labels():
    """With one interview the dot was drawn on the left edge, over the axis' "50"."""
    svg = str(trend_svg([("first", 40)], ["Dec 07"]))
    (cx,) = re.findall(r'<circle cx="([\d.]+)"', svg)
    assert float(cx) == 320.0
    two = str(trend_svg([("a", 40), ("b", 60)], ["Dec 07", "Dec 08"]))
    assert [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', two)] == [36.0, 604.0]


def test_chinese_sentences_on_the_report_are_joined_without_a_space(logged_in, user):
    """ "建议进一步准备。 总分为…": a space after a Chinese full stop reads as a gap; English keeps
    its space."""
    session = evaluated_session(logged_in, user, language="zh")
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    assert "总分为" in page and not re.search(r"。 +\S", page)
    english = evaluated_session(logged_in, user)
    page = logged_in.get(f"/session/{english.id}/report").get_data(as_text=True)
    assert re.search(r"\. The overall score is the mean", page)


def test_a_candidate_is_not_told_a_settings_name(logged_in, user):
    """With voice answers off the interview page says so plainly and how it is turned on; the
    setting's name is the README's."""
    session = make_session(user)
    page = logged_in.get(f"/session/{session.id}/interview").get_data(as_text=True)
    assert "Answering by voice is off on this server" in page
    assert "can turn it on by choosing a speech-to-text engine" in page
    assert "TRANSCRIBE_PROVIDER" not in page


def test_a_chinese_summary_lists_points_with_a_chinese_semicolon(logged_in, user):
    """ "…没有职权的处境; 明确要推动…": points in a Chinese summary were joined with a half-width
    "; "."""
    from tests.conftest import JSON

    session = evaluated_session(logged_in, user, language="zh")
    data = logged_in.get(f"/session/{session.id}/report", headers=JSON).get_json()["data"]
    lines = data["strengths"] + data["improvements"]
    assert any("；" in line for line in lines), lines
    assert not any("; " in line for line in lines), lines


def test_the_built_in_engine_is_not_said_to_use_zero_tokens(logged_in, user):
    """ "AI calls for this interview: 8, using 0 prompt and 0 output tokens" under a report graded
    by the built-in engine, which counts no tokens: the calls are named, tokens only when some."""
    session = evaluated_session(logged_in, user)
    page = logged_in.get(f"/session/{session.id}/report").get_data(as_text=True)
    assert re.search(r"AI calls for this interview: \d+\.", page)
    assert "0 prompt and 0 output tokens" not in page
