"""The offline interviewer's own wording (project questions, follow-ups, summaries) in English and
Chinese, kept as data in `data/phrases.json` so the logic stays readable."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from app.ai.offline.taxonomy import DATA_DIR
from app.language import as_language


@lru_cache(maxsize=1)
def phrases() -> dict[str, Any]:
    """Every phrase table, read once per process."""
    loaded: dict[str, Any] = json.loads((DATA_DIR / "phrases.json").read_text(encoding="utf-8"))
    return loaded


def phrase_table(section: str, language: str) -> dict[str, Any]:
    """One section's phrases in one language ("en" unless "zh")."""
    table: dict[str, Any] = phrases()[section][as_language(language)]
    return table
