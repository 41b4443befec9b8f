"""The one rule for reading a language value."""

import pytest

from app.language import LANGUAGES, as_language


@pytest.mark.parametrize(
    ("value", "expected"),
    [("zh", "zh"), ("en", "en"), (None, "en"), ("", "en"), ("ZH", "en"), ("fr", "en"), (1, "en")],
)
def test_only_zh_reads_as_chinese(value: object, expected: str) -> None:
    assert as_language(value) == expected


def test_every_supported_language_reads_as_itself() -> None:
    assert all(as_language(code) == code for code in LANGUAGES)
