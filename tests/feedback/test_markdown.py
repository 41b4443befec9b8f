"""The Markdown stored for the feedback page: bullet lists and lists that render as lists."""

from __future__ import annotations

from app.evaluation.store import bullets, tidy_markdown
from app.templating import render_markdown


def test_bullets_are_one_line_each_without_doubled_markers():
    """Items become "- item" lines; a model's own marker is dropped, emphasis is kept."""
    items = ["- Clear\n  answers", "**Strong** on caching", "2. Good metrics", "   ", "• Calm"]
    assert bullets(items) == "- Clear answers\n- **Strong** on caching\n- Good metrics\n- Calm"


def test_a_list_right_after_a_paragraph_still_renders_as_a_list():
    """ "for example:" followed directly by items gets the blank line Markdown needs."""
    text = "Rewrite them, for example:\n- Led a team\n- Cut costs\n\n1. One\n2. Two"
    tidy = tidy_markdown(text)
    assert tidy == "Rewrite them, for example:\n\n- Led a team\n- Cut costs\n\n1. One\n2. Two"
    html = str(render_markdown(tidy))
    assert "<li>Led a team</li>" in html and "<li>Two</li>" in html
