"""The gettext catalogs: every English text the pages and the PDF show has its Chinese, and a
catalog edited since it was compiled is read from its source."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app import i18n

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"t": None, "translate": None, "N_": None}


def extracted_messages() -> set[str]:
    """The msgids `make translations` would extract, read with babel.cfg's own mapping."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=())
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def chinese_catalog():
    with (i18n.TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale="zh")


def test_every_text_the_pages_show_has_its_chinese():
    """A string added to a template or marked in code without a translation fails here, not on
    a Chinese candidate's page (run `make translations`, then translate the new msgids)."""
    catalog = chinese_catalog()
    missing = sorted(m for m in extracted_messages() if not (m in catalog and catalog[m].string))
    assert missing == []


def test_the_catalog_holds_no_text_nobody_shows():
    """Every translation is still used somewhere: a renamed string leaves no stale entry."""
    used = extracted_messages()
    stale = sorted(m.id for m in chinese_catalog() if m.id and m.id not in used)
    assert stale == []


def test_the_extraction_finds_text_in_templates_and_code():
    """The mapping reads both sources: a template's t() and code's N_()."""
    messages = extracted_messages()
    assert "Submit answer" in messages  # interview/question.html
    assert "Scores by category" in messages  # reports/pdf/labels.py, N_()
    assert "Interview not completed" in messages  # evaluation/services.py, N_()


def test_a_stale_or_missing_compiled_catalog_is_read_from_its_source(tmp_path, monkeypatch):
    """Pages never lose their Chinese because `make install` has not compiled a new .po yet."""
    folder = tmp_path / "zh" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = i18n.TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po"
    shutil.copy(source, folder / "messages.po")
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    i18n.catalog.cache_clear()
    try:
        assert i18n.catalog("zh").gettext("Submit answer") == "提交回答"  # no .mo at all
        (folder / "messages.mo").write_bytes(b"")  # an older, broken compile
        os.utime(folder / "messages.mo", (0, 0))
        i18n.catalog.cache_clear()
        assert i18n.catalog("zh").gettext("Submit answer") == "提交回答"
        assert i18n.catalog("../zh").gettext("Submit answer") == "Submit answer"
    finally:
        i18n.catalog.cache_clear()
