"""The summary prompt's CV and job description are cut once, by the prompt, so it says how much
of the text it leaves out."""

from __future__ import annotations

import re

from app.ai.prompts import PromptLimits, render_prompt
from app.evaluation.scoring import ScoreCard
from app.evaluation.snapshot import Facts, summary_request

CV = "Built Python services on PostgreSQL and Redis for payments. " * 500  # ≈30,000 characters
JD = "We need a backend engineer for Python APIs on PostgreSQL. " * 300  # ≈17,000 characters


def test_the_summary_prompt_says_how_many_characters_it_leaves_out(app):
    """The marker counts what is left out of the whole text, not of a copy cut short before."""
    facts = Facts(1, "en", "Backend Engineer", "Acme", JD, CV, [], [])
    card = ScoreCard(70, 7, "Adequate", [], {"must_haves": [], "nice_to_haves": []}, "Hire")
    with app.app_context():
        request = summary_request([], card, facts)
        prompt = render_prompt("summarize_interview", request, PromptLimits.from_config(app.config))
    left_out = [
        int(n) for n in re.findall(r"\[\.\.\. (\d+) more characters not shown\]", prompt.user)
    ]
    assert len(left_out) == 2
    assert max(left_out) > len(CV.strip()) - app.config["PROMPT_RESUME_MAX_CHARS"]
    assert min(left_out) > len(JD.strip()) - app.config["PROMPT_JD_MAX_CHARS"]
