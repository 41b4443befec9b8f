"""Turning uploaded bytes into CV text. The type is decided by content, never by the file name.

Text files are decoded here; PDF and Word files are read by `readers` in a confined child
process (`isolation`), because a hostile one can cost gigabytes or minutes.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from charset_normalizer import from_bytes

from app.documents.isolation import read_isolated
from app.documents.readers import Unreadable
from app.errors import ValidationFailed

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
MARKDOWN = "text/markdown"

UNSUPPORTED = "Unsupported file type. Upload a PDF, DOCX, TXT or Markdown file, or paste the text."


@dataclass(frozen=True)
class ExtractedDocument:
    """Text taken from a file, with the type its content showed."""

    text: str
    content_type: str


def sniff_type(data: bytes, filename: str = "") -> str:
    """The document type from the leading bytes; text only when it decodes as text."""
    if data.startswith(b"%PDF-") or data[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        if is_docx(data):
            return DOCX
        raise ValidationFailed(UNSUPPORTED)
    if looks_binary(data):
        raise ValidationFailed(UNSUPPORTED)
    return MARKDOWN if filename.lower().endswith((".md", ".markdown")) else TEXT


def is_docx(data: bytes) -> bool:
    """A zip is a Word document only when it carries word/document.xml."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def looks_binary(data: bytes) -> bool:
    """Executables, images and archives contain NUL bytes or many control characters."""
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NULs but a BOM first
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return bool(sample) and controls / len(sample) > 0.05


def extract_document(data: bytes, filename: str = "") -> ExtractedDocument:
    """Extract normalised text from PDF, DOCX or text bytes, or raise a clear ValidationFailed."""
    if not data:
        raise ValidationFailed("The file is empty.")
    content_type = sniff_type(data, filename)
    readers = {PDF: read_pdf, DOCX: read_docx, TEXT: decode_text, MARKDOWN: decode_text}
    return ExtractedDocument(normalise_text(readers[content_type](data)), content_type)


def read_pdf(data: bytes) -> str:
    """Text of every page of a PDF, read by a confined child process (see isolation)."""
    return read_confined("pdf", data)


def read_docx(data: bytes) -> str:
    """Paragraphs and table rows of a Word document, read by a confined child process."""
    return read_confined("docx", data)


def read_confined(kind: str, data: bytes) -> str:
    """A reader's text, its refusal turned into the user's ValidationFailed."""
    try:
        return read_isolated(kind, data)
    except Unreadable as exc:
        raise ValidationFailed(exc.message) from exc


def decode_text(data: bytes) -> str:
    """Decode text in whatever encoding it came in (UTF-8, UTF-16, GBK, Latin-1…)."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise ValidationFailed(
            "The text file's encoding could not be recognised. Save it as UTF-8."
        )
    return str(best)


def normalise_text(text: str) -> str:
    """Keep line breaks, drop control characters and runs of blank lines and trailing spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = re.sub(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
