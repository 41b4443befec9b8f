"""The two languages an interview can run in, spelled one way everywhere.

A session, a report, a prompt and the offline interviewer all speak English or Chinese. Values come
from the database, forms, JSON and models, so anything that is not exactly "zh" reads as English:
`as_language` is that rule, written once. Flask-free, so models, AI code and the PDF can import it.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")
DEFAULT_LANGUAGE: Language = "en"


def as_language(value: object) -> Language:
    """`value` as a supported language: "zh" for Chinese, English for anything else."""
    if value == "zh":
        return "zh"
    return DEFAULT_LANGUAGE
