"""The bounded readers themselves, in-process: each limit sits exactly where it says, and an
honest document reads the same through the re-packed archive as it did before."""

from __future__ import annotations

import io
import zipfile

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.documents.readers import (
    TOO_COMPLEX_DOCX,
    TOO_COMPLEX_PDF,
    UNREADABLE_DOCX,
    Limits,
    Unreadable,
    bounded_archive,
    read_docx,
    read_pdf,
)
from tests.fixtures import bombs
from tests.fixtures.documents import docx_with_table


def pdf_of_pages(count: int) -> bytes:
    """A real PDF with one line of text per page."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number in range(count):
        pdf.drawString(50, 800, f"Page {number + 1}: built payment services in Go.")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_the_page_limit_is_exact():
    """pdf_max_pages pages read; one more is refused as too large."""
    limits = Limits(pdf_max_pages=5)
    assert read_pdf(pdf_of_pages(5), limits).count("Page ") == 5
    with pytest.raises(Unreadable) as refused:
        read_pdf(pdf_of_pages(6), limits)
    assert refused.value.message.startswith(TOO_COMPLEX_PDF[:30])


def test_a_header_that_overstates_a_member_is_refused():
    """A member declaring more bytes than it inflates to is not trusted either."""
    member = bombs.document_xml(1)
    member.declared_size = member.size + 1000
    with pytest.raises(Unreadable) as refused:
        read_docx(bombs.docx_with(member), Limits())
    assert refused.value.message == UNREADABLE_DOCX


def test_the_archive_limit_counts_real_bytes_not_declared_ones():
    """A member declaring 200 KB but inflating to 2 MB trips a 1 MB limit while being read."""
    member = bombs.document_xml(2 * bombs.MIB)
    member.declared_size = 200_000
    with pytest.raises(Unreadable) as refused:
        bounded_archive(bombs.docx_with(member), Limits(docx_max_bytes=1_000_000))
    assert refused.value.message == TOO_COMPLEX_DOCX


def test_an_honest_word_file_reads_the_same_after_repacking():
    """The re-packed archive holds every member byte for byte, so the text is unchanged."""
    original = docx_with_table()
    repacked = zipfile.ZipFile(bounded_archive(original, Limits()))
    source = zipfile.ZipFile(io.BytesIO(original))
    assert {i.filename: source.read(i) for i in source.infolist()} == {
        i.filename: repacked.read(i) for i in repacked.infolist()
    }
    text = read_docx(original, Limits())
    assert "Seven years building distributed systems" in text and "Kubernetes | 5" in text
