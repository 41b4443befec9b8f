"""Decompression bombs and other hostile CVs, uploaded to a real web process: each is refused
with a clear 400 (or, harmless, read) within a memory and a time bound — never gigabytes or
minutes. The files are made in the test (megabytes at most) and inflate to gigabytes.

Bounds: the web process stays under WEB_PEAK_MB at its peak over every upload, the confined
reader under READER_PEAK_MB, and each upload answers within SECONDS. Before the limits a 4 MB
Word file grew a worker by 6 GB and a PDF of huge streams ran for minutes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures import bombs

TOO_COMPLEX_DOCX = "This Word document is too large or complex to read."
TOO_COMPLEX_PDF = "This PDF is too large or complex to read."
TOO_MUCH_TEXT = "more than 200,000 characters"
# name: (builder, expected status, part of the expected message)
CASES = {
    "docx_inflates_to_1gb": (bombs.docx_bomb, 400, TOO_COMPLEX_DOCX),
    "docx_header_understates_1gb": (bombs.docx_lying_bomb, 400, TOO_COMPLEX_DOCX),
    "docx_40_members_of_32mb": (bombs.docx_many_bombs, 400, TOO_COMPLEX_DOCX),
    "docx_20000_entries": (bombs.docx_many_entries, 400, TOO_COMPLEX_DOCX),
    "docx_bzip2_member": (bombs.docx_bzip2_member, 400, TOO_COMPLEX_DOCX),
    "docx_millions_of_characters": (bombs.docx_text_flood, 400, TOO_MUCH_TEXT),
    "docx_nested_zip_bomb": (bombs.docx_nested_bomb, 201, ""),  # never opened: the CV is read
    "pdf_30_pages_of_67mb_streams": (bombs.pdf_huge_streams, 400, TOO_COMPLEX_PDF),
    "pdf_55000_pages": (bombs.pdf_many_pages, 400, TOO_COMPLEX_PDF),
    "pdf_55000_pages_declared_as_1": (bombs.pdf_many_pages_declared_few, 400, TOO_COMPLEX_PDF),
}
WEB_PEAK_MB = 400  # the app itself is ~150 MB; an inflated bomb would be gigabytes
READER_PEAK_MB = 400  # the reader's own limit (EXTRACT_MEMORY_MB) is 768
SECONDS = 15  # the reader is stopped at EXTRACT_TIMEOUT_S (10 s); most answer in about one
PROBE_TIMEOUT_S = 300


@pytest.fixture(scope="module")
def probe(tmp_path_factory) -> dict:
    """Every case uploaded once by a separate web process (upload_probe), with its figures."""
    folder = tmp_path_factory.mktemp("bombs")
    for name, (build, _, _) in CASES.items():
        suffix = ".pdf" if name.startswith("pdf") else ".docx"
        (folder / f"{name}{suffix}").write_bytes(build())
    done = subprocess.run(  # noqa: S603 - the test's own probe
        [sys.executable, "-m", "tests.security.upload_probe", str(folder)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        timeout=PROBE_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return json.loads(done.stdout)


def test_bombs_are_small_on_disk(tmp_path):
    """The generated files are megabytes (under the 10 MB upload limit), not gigabytes."""
    for name, (build, _, _) in CASES.items():
        assert len(build()) < 8 * 1024 * 1024, name


@pytest.mark.parametrize("name", CASES)
def test_each_hostile_file_gets_a_clear_answer_quickly(probe, name):
    """Refused with the message for its class (or read, for an archive merely carried inside),
    within the time bound."""
    _, status, message = CASES[name]
    case = probe["cases"][name]
    assert case["status"] == status, case
    assert message in case["message"], case
    assert case["seconds"] < SECONDS, case


def test_no_upload_grows_the_web_process(probe):
    """The web process's peak memory over every upload stays far from the bombs' sizes."""
    assert probe["peak_rss_mb"] < WEB_PEAK_MB, probe


@pytest.mark.parametrize("name", CASES)
def test_the_confined_reader_stays_within_its_memory_bound(probe, name):
    """The child that read each file reports a peak well under its limit."""
    case = probe["cases"][name]
    assert case["reader_peak_mb"] is not None and case["reader_peak_mb"] < READER_PEAK_MB, case
