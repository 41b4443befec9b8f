"""The CV library: uploads of every supported type, clear errors for the rest, dedupe, isolation."""

from __future__ import annotations

import io
import os

import pytest

from app.models import Resume
from tests.conftest import JSON, count_rows
from tests.fixtures.documents import (
    CHINESE_CV,
    FAKE_EXE,
    docx_with_table,
    image_only_pdf,
    text_pdf,
)
from tests.support.sessions import SAMPLE_CV, make_resume
from tests.support.users import make_user


def upload(client, data: bytes, filename: str, headers=None):
    """Post a file to the CV library as a multipart form."""
    return client.post(
        "/resumes",
        data={"resume_file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
        headers=headers or JSON,
    )


def test_real_pdf_is_extracted_with_line_breaks(logged_in):
    """A text PDF becomes a CV whose text keeps its lines."""
    response = upload(logged_in, text_pdf(), "cv.pdf")
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["content_type"] == "application/pdf"
    assert data["text_length"] > 100
    detail = logged_in.get(f"/resumes/{data['id']}", headers=JSON).get_json()["data"]
    assert "Acme Corp, Senior Backend Engineer" in detail["text"]
    assert "\n" in detail["text"]


def test_docx_table_cells_are_kept(logged_in):
    """A Word CV's table rows are part of the text."""
    response = upload(logged_in, docx_with_table(), "cv.docx")
    assert response.status_code == 201
    detail = logged_in.get(f"/resumes/{response.get_json()['data']['id']}", headers=JSON)
    text = detail.get_json()["data"]["text"]
    assert "Kubernetes | 5" in text and "Initech" in text


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_chinese_text_in_any_common_encoding(logged_in, encoding):
    """Chinese CVs in UTF-8, GBK or UTF-16 decode to the same text."""
    response = upload(logged_in, CHINESE_CV.encode(encoding), "cv.txt")
    assert response.status_code == 201, response.get_json()
    detail = logged_in.get(f"/resumes/{response.get_json()['data']['id']}", headers=JSON)
    assert "微服务改造" in detail.get_json()["data"]["text"]


# Found by the upload fuzzer: pypdf raises NotImplementedError("Unsupported filter") for it.
UNKNOWN_FILTER_PDF = (
    b"%PDF-.3 0 obj<</Contents 7  0 R[]6/Resources<</[]\n />>Paeg4 0 obj<<///Pages 6 0 R6 0 obj "
    b"<<1/Kids[3 0 R]7 0 obj<</Filter/] 5>>stream\nGaendstreamtrailer<<<>]\n 5/Root 4 0 R>\n"
    b"startxref1\n%"
)


@pytest.mark.parametrize(
    ("data", "filename", "status", "message"),
    [
        (os.urandom(4096), "cv.pdf", 400, "Unsupported file type"),
        (b"", "cv.txt", 400, "empty"),
        (FAKE_EXE, "cv.docx", 400, "Unsupported file type"),
        (image_only_pdf(), "scan.pdf", 400, "no selectable text"),
        (b"%PDF-1.7\n garbage that is not a pdf", "cv.pdf", 400, "could not be read"),
        (UNKNOWN_FILTER_PDF, "cv.pdf", 400, "could not be read"),
        (b"PK\x03\x04 not really a zip", "cv.docx", 400, "Unsupported file type"),
        (b"Too short", "cv.txt", 400, "at least 50 characters"),
    ],
    ids=[
        "random-bytes",
        "empty",
        "exe-as-docx",
        "image-only-pdf",
        "broken-pdf",
        "pdf-with-unknown-filter",
        "fake-zip",
        "short",
    ],
)
def test_bad_uploads_get_a_clear_error(logged_in, data, filename, status, message):
    """Each unusable file is refused with a reason and nothing is stored."""
    response = upload(logged_in, data, filename)
    assert response.status_code == status
    assert message in response.get_json()["message"]
    assert count_rows(Resume) == 0


def test_upload_over_ten_megabytes_is_413(logged_in):
    """An 11 MB upload is refused before it is read."""
    response = upload(logged_in, b"a" * (11 * 1024 * 1024), "big.txt")
    response.request.environ["wsgi.input"].close()  # the test client spools big bodies to a file
    assert response.status_code == 413
    assert response.get_json()["code"] == 413


def test_browser_upload_error_is_shown_on_the_page(logged_in):
    """A browser sees the reason on the CV page, not a bare error."""
    response = upload(logged_in, image_only_pdf(), "scan.pdf", headers={})
    assert response.status_code == 400
    assert b"no selectable text" in response.data


def test_pasted_text_and_duplicate_is_recognised(logged_in):
    """The same CV twice is one row; the second post answers 200 with the same id."""
    first = logged_in.post("/resumes", data={"resume_text": SAMPLE_CV}, headers=JSON)
    second = logged_in.post("/resumes", data={"resume_text": SAMPLE_CV + "\n\n"}, headers=JSON)
    assert first.status_code == 201 and second.status_code == 200
    assert first.get_json()["data"]["id"] == second.get_json()["data"]["id"]
    assert count_rows(Resume) == 1


def test_missing_cv_text_says_so(logged_in):
    """No file and no text: the spec's message."""
    response = logged_in.post("/resumes", data={"resume_text": "  "}, headers=JSON)
    assert response.status_code == 400
    assert response.get_json()["message"] == "Resume text is required"


def test_another_users_cv_is_not_found(app, logged_in):
    """A CV of someone else's can be neither read nor deleted, and answers as a missing one."""
    other = make_user(email="other@example.com")
    resume = make_resume(other)
    missing = logged_in.get("/resumes/9999", headers=JSON)
    assert missing.status_code == 404
    assert logged_in.get(f"/resumes/{resume.id}", headers=JSON).get_json() == missing.get_json()
    deleted = logged_in.post(f"/resumes/{resume.id}/delete", headers=JSON)
    assert deleted.status_code == 404
    assert count_rows(Resume) == 1


def test_list_and_delete(logged_in, user):
    """The library lists the user's CVs and deletes on request."""
    resume = make_resume(user)
    listing = logged_in.get("/resumes", headers=JSON).get_json()["data"]
    assert [item["id"] for item in listing] == [resume.id]
    assert logged_in.post(f"/resumes/{resume.id}/delete").status_code == 302
    assert count_rows(Resume) == 0


def test_anonymous_is_sent_to_sign_in(client):
    """The CV library needs an account: browsers are redirected, scripts get 401."""
    assert client.get("/resumes").status_code == 302
    assert client.get("/resumes", headers=JSON).status_code == 401
