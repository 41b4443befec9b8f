"""Reading text out of PDF and Word files within fixed bounds, meant to run in a child process.

A hostile file can inflate a few megabytes into gigabytes (a zip bomb in a DOCX, a page whose
content stream inflates to 67 MB) or keep a parser busy for minutes. Each reader here checks what
it can before the work — entries and declared sizes, declared page counts — and counts what it
really gets while working: inflated bytes, decoded stream bytes, parsed tokens, pages, characters
and elapsed time, stopping at the first limit with a message for the user.

What cannot be bounded from inside (one pathological page in pypdf's pure-Python parser) is
bounded from outside: `app.documents.isolation` runs this file as a script in a fresh interpreter
with an address-space and CPU limit and kills it at a deadline. So this module imports nothing
from the app, and the script starts in a fraction of a second.
"""

from __future__ import annotations

import copy
import io
import json
import sys
import time
import zipfile
from dataclasses import asdict, dataclass
from typing import Any

TOO_COMPLEX_PDF = "This PDF is too large or complex to read. Paste the text instead."
TOO_COMPLEX_DOCX = "This Word document is too large or complex to read. Paste the text instead."
TOO_MUCH_TEXT = (
    "This file holds more than {n:,} characters of text, far more than a CV. "
    "Upload the CV alone or paste its text."
)
UNREADABLE_PDF = "This PDF could not be read. It may be damaged; try another export."
UNREADABLE_DOCX = "This Word document could not be read. Try saving it again or paste the text."
ENCRYPTED_PDF = "This PDF is password-protected. Remove the password or paste the text."
NO_TEXT_IN_PDF = "This PDF has no selectable text (is it a scanned image?). Paste the text instead."

CHUNK = 64 * 1024  # bytes inflated per read: the most a member can overshoot a limit by


class Unreadable(Exception):
    """A file that cannot be read (damaged, or beyond a limit); the message is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    """How much work one file may cost. The text limit is the stored CV's; twice as much raw
    text is collected before refusing, because normalising (blank lines, trailing spaces)
    shrinks it."""

    max_chars: int = 200_000
    deadline_s: float = 8.0
    pdf_max_pages: int = 50
    pdf_max_stream_bytes: int = 10_000_000  # one decoded stream
    pdf_max_content_bytes: int = 40_000_000  # every page's content streams together
    pdf_max_tokens: int = 200_000  # operands and operators parsed per content stream
    docx_max_entries: int = 1_000
    docx_max_bytes: int = 32_000_000  # every member together, inflated

    def raw_text_budget(self) -> int:
        """Characters collected before the file is refused as too long."""
        return 2 * self.max_chars


class TextBudget:
    """Text collected from a file, refused once it passes the budget."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: str) -> None:
        """Keep `text`, or raise Unreadable when the file holds too much."""
        self.size += len(text) + 1
        if self.size > self.limits.raw_text_budget():
            raise Unreadable(TOO_MUCH_TEXT.format(n=self.limits.max_chars))
        self.parts.append(text)

    def text(self) -> str:
        """Everything collected, one part per line."""
        return "\n".join(self.parts)


def read_pdf(data: bytes, limits: Limits) -> str:
    """Text of every page of a PDF, within the limits; an image-only PDF is refused clearly."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    try:
        with apply_configuration(**pypdf_limits(limits)):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise Unreadable(ENCRYPTED_PDF)
            text = pdf_text(reader, limits)
    except Unreadable:
        raise
    except (LimitReachedError, MemoryError, RecursionError) as exc:
        raise Unreadable(TOO_COMPLEX_PDF) from exc
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types for broken files
        # (PdfReadError, ValueError, KeyError, NotImplementedError for an unknown stream
        # filter…): whatever it is, the file is unreadable, not the server broken.
        raise Unreadable(UNREADABLE_PDF) from exc
    if not text.strip():
        raise Unreadable(NO_TEXT_IN_PDF)
    return text


def pypdf_limits(limits: Limits) -> dict[str, Any]:
    """pypdf's own resource limits, tightened from its 75 MB defaults to a CV's scale."""
    stream = limits.pdf_max_stream_bytes
    return {
        "maximum_declared_stream_length": stream,
        "array_based_stream_maximum_output_length": stream,
        "zlib_maximum_output_length": stream,
        "lzw_maximum_output_length": stream,
        "run_length_maximum_output_length": stream,
        "jbig2_maximum_output_length": stream,
        "brotli_maximum_output_length": stream,
        "image_maximum_buffer_size": stream,
        "stream_decoding_work_maximum_length": 4 * stream,
        "stream_parsing_work_maximum_count": limits.pdf_max_tokens,
        "page_tree_maximum_entries": 4 * limits.pdf_max_pages,
        "xform_maximum_invocations_per_extraction": 200,
    }


def pdf_text(reader, limits: Limits) -> str:
    """The pages' text, refused past the page, content-byte, text or time limit."""
    declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
    if not isinstance(declared, int) or declared > limits.pdf_max_pages:
        raise Unreadable(TOO_COMPLEX_PDF)
    deadline = time.monotonic() + limits.deadline_s
    content_bytes = 0
    budget = TextBudget(limits)
    for number, page in enumerate(reader.pages):
        if number >= limits.pdf_max_pages or time.monotonic() > deadline:
            raise Unreadable(TOO_COMPLEX_PDF)
        content_bytes += page_content_bytes(page)
        if content_bytes > limits.pdf_max_content_bytes:
            raise Unreadable(TOO_COMPLEX_PDF)
        budget.add(page.extract_text() or "")
    return budget.text()


def page_content_bytes(page) -> int:
    """Decoded size of a page's content streams (pypdf keeps the decoded data for extraction)."""
    from pypdf.generic import ArrayObject

    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    return sum(len(stream.get_object().get_data()) for stream in streams)


def read_docx(data: bytes, limits: Limits) -> str:
    """Paragraphs and table rows of a Word document, in document order, within the limits."""
    import docx
    from docx.table import Table

    archive = bounded_archive(data, limits)
    try:
        document = docx.Document(archive)
    except MemoryError as exc:  # past the child's address-space limit
        raise Unreadable(TOO_COMPLEX_DOCX) from exc
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types for broken files
        raise Unreadable(UNREADABLE_DOCX) from exc
    budget = TextBudget(limits)
    deadline = time.monotonic() + limits.deadline_s
    for block in document.iter_inner_content():
        if time.monotonic() > deadline:
            raise Unreadable(TOO_COMPLEX_DOCX)
        for line in table_rows(block) if isinstance(block, Table) else [block.text]:
            budget.add(line)
    return budget.text()


def table_rows(table) -> list[str]:
    """A table's rows as ' | '-joined lines, merged cells shown once."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = cell.text.strip()
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


def bounded_archive(data: bytes, limits: Limits) -> io.BytesIO:
    """The zip re-packed (uncompressed) from what its members really inflate to.

    The declared sizes are checked first (entry count, total); then every member is inflated in
    chunks with no regard for its declared size, so a header that understates it is caught
    instead of trusted, and reading stops at the limit. python-docx then reads only the
    re-packed copy, whose sizes are true.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            members = [m for m in source.infolist() if not m.is_dir()]
            if len(members) > limits.docx_max_entries:
                raise Unreadable(TOO_COMPLEX_DOCX)
            if sum(m.file_size for m in members) > limits.docx_max_bytes:
                raise Unreadable(TOO_COMPLEX_DOCX)
            repacked = io.BytesIO()
            with zipfile.ZipFile(repacked, "w", zipfile.ZIP_STORED) as target:
                room = limits.docx_max_bytes
                for member in members:
                    content = inflate_member(source, member, room)
                    room -= len(content)
                    target.writestr(member.filename, content)
    except Unreadable:
        raise
    except MemoryError as exc:  # past the child's address-space limit
        raise Unreadable(TOO_COMPLEX_DOCX) from exc
    except Exception as exc:  # noqa: BLE001 - zipfile raises BadZipFile, EOFError, zlib.error…
        raise Unreadable(UNREADABLE_DOCX) from exc
    repacked.seek(0)
    return repacked


def inflate_member(source: zipfile.ZipFile, member: zipfile.ZipInfo, room: int) -> bytes:
    """A member's bytes, inflated in chunks; refused past `room` bytes or when the header lied.

    Only stored and deflated members are read: zipfile inflates bzip2 and LZMA without an output
    bound, and Word never writes them.
    """
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Unreadable(TOO_COMPLEX_DOCX)
    # zipfile stops at the declared size; declaring more than the room plus a chunk makes it
    # inflate what the data really holds (the true size is what gets counted) and never end the
    # read, with its CRC check, before the count passes the room.
    probe = copy.copy(member)
    probe.file_size = room + CHUNK + 1
    chunks: list[bytes] = []
    size = 0
    with source.open(probe) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > room:
                raise Unreadable(TOO_COMPLEX_DOCX)
            chunks.append(chunk)
    if size != member.file_size:
        raise Unreadable(UNREADABLE_DOCX)  # the header's size is not the data's
    return b"".join(chunks)


READERS = {"pdf": read_pdf, "docx": read_docx}


def main(argv: list[str]) -> int:
    """Child-process entry: `readers.py KIND LIMITS_JSON MEMORY_BYTES CPU_SECONDS`, the file on
    stdin; writes {"text": ...} or {"error": ...} as JSON on stdout."""
    kind, limits_json, memory, cpu = argv
    confine(int(memory), int(cpu))
    limits = Limits(**json.loads(limits_json))
    data = sys.stdin.buffer.read()
    reply: dict[str, Any]
    try:
        reply = {"text": READERS[kind](data, limits)}
    except Unreadable as exc:
        reply = {"error": exc.message}
    except MemoryError:  # past the address-space limit, wherever it happened
        reply = {"error": TOO_COMPLEX_DOCX if kind == "docx" else TOO_COMPLEX_PDF}
    reply["peak_rss_mb"] = peak_rss_mb()
    sys.stdout.write(json.dumps(reply))
    return 0


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started its interpreter, in MiB (the
    kernel's VmHWM; getrusage would also count the parent's pages from before the exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def confine(memory_bytes: int, cpu_seconds: int) -> None:
    """Limit this process: address space (an allocation past it raises MemoryError), CPU time
    (the kernel stops it), no files written, no core dumps."""
    import logging
    import resource

    logging.disable(logging.CRITICAL)  # pypdf warns per broken object; nobody reads it here
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def limits_json(limits: Limits) -> str:
    """The limits as the child's argument."""
    return json.dumps(asdict(limits))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
