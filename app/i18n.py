"""The candidate's pages and PDF in the session's language: English source text → Chinese.

One mechanism: gettext catalogs under `app/translations/<language>/LC_MESSAGES/messages.po`,
managed with Babel (`make translations` extracts new text from the code and templates and updates
the catalogs; `make install` compiles them). The English text is the msgid, so an English page
reads exactly as written and an untranslated string falls back to English.

Templates call `t('Submit answer', lang)`; code calls `translate(text, language, **values)`;
tables of text that is translated later mark it with `N_()` so that extraction finds it.
Placeholders use `str.format` names: `t('Question {k} of {n}', lang, k=1, n=8)`. Flask-Babel
(set up in `app.extensions`) serves `gettext` in the request's page language from the same
catalogs.
"""

from __future__ import annotations

import io
from functools import lru_cache
from gettext import GNUTranslations, NullTranslations
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g
from markupsafe import escape

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"


def N_(text: str) -> str:  # noqa: N802 — gettext's conventional name for "mark, translate later"
    """Mark `text` for extraction without translating it now (it is translated where shown)."""
    return text


# Values that reach `t()`/`translate()` as data rather than as text in the code: question kinds,
# STAR parts, session statuses as pages show them, and the offline grader's answer bands.
TERMS_BY_VALUE = (
    N_("technical"),
    N_("behavioral"),
    N_("project"),
    N_("situational"),
    N_("coding"),
    N_("situation"),
    N_("task"),
    N_("action"),
    N_("result"),
    N_("Created"),
    N_("In Progress"),
    N_("Completed"),
    N_("Evaluated"),
    N_("Needs Work"),
    N_("Poor"),
)


@lru_cache(maxsize=8)
def catalog(language: str) -> NullTranslations:
    """The compiled catalog of `language`, English (no translation) when there is none.

    `make install` compiles the catalogs; when the compiled file is missing or older than its
    `.po` (a catalog edited since), the `.po` is compiled in memory, so a page never silently
    loses its translation."""
    if not language.isalpha():  # a language code names a folder: nothing else may
        return NullTranslations()
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if not po.exists():
        return NullTranslations()
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as fh:
            return GNUTranslations(fh)
    with po.open("rb") as fh:
        messages = read_po(fh, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    buffer.seek(0)
    return GNUTranslations(buffer)


def translate(text: str, language: str | None, **values: object) -> str:
    """`text` in `language` ("zh" or English), with `{name}` placeholders filled from `values`.

    Unknown text and unknown languages give the English. When a value is markup (a link built in
    the template), the sentence is escaped and the markup kept, so the result is safe HTML.
    """
    template = catalog(language).gettext(text) if language and language != "en" else text
    if not values:
        return template
    if any(hasattr(value, "__html__") for value in values.values()):
        return escape(template).format(**values)
    return template.format(**values)


def remember_page_language(language: str) -> None:
    """Note the language of the session this request is about, so that an error page shown
    for it (after the session was loaded) speaks that language too."""
    g.page_language = language


def forget_page_language() -> None:
    """Before each request: nothing is known yet, so pages are English. (Requests made inside
    an app context that is already open, as tests do, share its `g`.)"""
    g.page_language = "en"


def page_language() -> str:
    """The language noted for this request's session, else English."""
    return str(g.get("page_language", "en"))


def counted(count: int, noun: str) -> str:
    """ "1 report", "3 reports": an English count with its noun, never "report(s)"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
