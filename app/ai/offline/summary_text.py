"""Wording helpers for the offline summary: bands, recommendations and the CV advice in Markdown.

The sentences themselves live in `data/phrases.json` under "summary", in English and Chinese.
"""

from __future__ import annotations

import re
from typing import Any

from app.ai.offline.phrases import phrase_table
from app.ai.offline.projects import shorten
from app.ai.schemas import Recommendation
from app.bands import report_band
from app.language import as_language

# A shortened point ends in "…"; the sentence's own full stop after it would read "…." or "…。".
_ELLIPSIS_STOP = re.compile(r"…[.。]")


def tidy(text: str) -> str:
    """`text` with no full stop straight after an ellipsis."""
    return _ELLIPSIS_STOP.sub("…", text)


RECOMMENDATION_ZH = {
    "Strongly recommended": "强烈推荐",
    "Recommended": "推荐",
    "Consider": "可考虑",
    "Not recommended": "不推荐",
}


def says(language: str) -> dict[str, Any]:
    """The summary's phrases in the interview's language."""
    return phrase_table("summary", language)


def band(score: int, language: str) -> str:
    """The score's band in the interview's language (the one rule of `app.bands`)."""
    return report_band(score, as_language(language))


def recommendation_for(score: int) -> Recommendation:
    """≥85 Strongly recommended, ≥70 Recommended, ≥55 Consider, else Not recommended."""
    if score >= 85:
        return "Strongly recommended"
    if score >= 70:
        return "Recommended"
    return "Consider" if score >= 55 else "Not recommended"


def recommendation_text(recommendation: str, language: str) -> str:
    """The recommendation as shown in running text."""
    return RECOMMENDATION_ZH[recommendation] if language == "zh" else recommendation


def joined(items: list[str], language: str) -> str:
    """ "a, b and c" (or "a、b、c")."""
    t = says(language)
    if len(items) <= 1:
        return "".join(items)
    return t["list_separator"].join(items[:-1]) + t["list_last"] + items[-1]


def cv_markdown(
    language: str, has_cv: bool, missing: list[str], unmeasured: list[str], weak: list[str]
) -> str:
    """CV advice as Markdown: missing job terms, lines to quantify, weak areas to back up."""
    t = says(language)
    if not has_cv:
        return str(t["cv_none"])
    terms = joined([f"**{term}**" for term in missing[:8]], language)
    parts = [t["cv_missing"].format(terms=terms) if missing else t["cv_all_present"]]
    if unmeasured:
        lines = [shorten(line, 100) for line in unmeasured[:3]]
        examples = "\n".join(t["cv_quantify_line"].format(line=line) for line in lines)
        parts.append(t["cv_quantify"].format(n=len(unmeasured), examples=examples))
    if weak:
        parts.append(t["cv_weak"].format(names=joined(weak[:3], language)))
    return "\n\n".join(parts)
