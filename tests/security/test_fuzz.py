"""Fuzzing uploads and forms with hypothesis: random bytes, disguised files, odd encodings, huge
and hostile fields. Whatever arrives, the answer is a clear 4xx or a success — never a 500."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import InterviewSession
from tests.conftest import JSON
from tests.fixtures.documents import docx_with_table, text_pdf
from tests.support.sessions import SAMPLE_CV, SAMPLE_JD
from tests.support.users import login

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
OK_OR_REFUSED = {200, 201, 204, 302, 400, 404, 409, 413}

# Any character a form can carry, NUL and other controls included (PostgreSQL refuses NUL in
# text columns, so the app must clean it), but no lone surrogates (not encodable as UTF-8).
chars = st.one_of(
    st.characters(blacklist_categories=("Cs",)),
    st.sampled_from(["\x00", "\u202e", "\ufeff", "\r", "\u2028", "\x1b"]),
)
text = st.text(chars, max_size=300)
names = st.text(chars, min_size=1, max_size=80).map(lambda s: s.replace("/", "_"))
extensions = st.sampled_from([".pdf", ".docx", ".txt", ".md", ".PDF", "", ".exe", ".pdf.txt"])
# Answers just under, at and over ANSWER_MAX_CHARS (10,000), built by repeating a short text.
around_the_limit = st.tuples(
    st.text(chars, min_size=1, max_size=20), st.integers(9_990, 10_010)
).map(lambda unit_size: (unit_size[0] * (unit_size[1] // len(unit_size[0]) + 1))[: unit_size[1]])
ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-be",
    "gb18030",
    "big5",
    "shift_jis",
    "latin-1",
    "cp1252",
    "koi8-r",
]


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A ZIP archive (a DOCX is one) with the given members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def mangled(data: bytes, cut: int, junk: bytes) -> bytes:
    """A real document truncated and spliced with junk."""
    cut = cut % max(1, len(data))
    return data[:cut] + junk + data[cut + len(junk) :]


documents = st.one_of(
    st.binary(max_size=4096),
    st.binary(max_size=2048).map(lambda b: b"%PDF-1.7\n" + b),
    st.binary(max_size=2048).map(lambda b: b"PK\x03\x04" + b),
    st.builds(mangled, st.just(text_pdf()), st.integers(0, 10_000), st.binary(max_size=64)),
    st.builds(mangled, st.just(docx_with_table()), st.integers(0, 50_000), st.binary(max_size=64)),
    st.dictionaries(
        st.sampled_from(["word/document.xml", "[Content_Types].xml", "x"]),
        st.binary(max_size=512),
        max_size=3,
    ).map(zip_bytes),
    st.tuples(text, st.sampled_from(ENCODINGS)).map(
        lambda te: te[0].encode(te[1], errors="replace")
    ),
)


@pytest.fixture
def owner_client(app, world):
    """The owner signed in."""
    client = app.test_client()
    login(client, world.owner.email)
    return client


@FUZZ
@given(data=documents, name=names, ext=extensions)
def test_any_uploaded_file_gets_a_clear_answer(owner_client, data, name, ext):
    """Random, truncated, disguised and oddly encoded files: stored, or refused with a message."""
    response = owner_client.post(
        "/resumes",
        headers=JSON,
        content_type="multipart/form-data",
        data={"resume_file": (io.BytesIO(data), name + ext), "title": name},
    )
    assert response.status_code in OK_OR_REFUSED, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert body["code"] == response.status_code and body["message"]
    db.session.rollback()


@FUZZ
@given(
    data=documents,
    ext=extensions,
    fields=st.dictionaries(
        st.sampled_from(
            [
                "job_title",
                "company_name",
                "job_description",
                "question_count",
                "language",
                "force_new",
                "resume_id",
                "resume_text",
            ]
        ),
        text,
    ),
)
def test_create_form_with_a_file_never_fails(owner_client, data, ext, fields):
    """The create form with a random file and random fields never crashes."""
    fields.setdefault("job_description", SAMPLE_JD)
    response = owner_client.post(
        "/sessions/new",
        headers=JSON,
        content_type="multipart/form-data",
        data={**fields, "resume_file": (io.BytesIO(data), "cv" + ext)},
    )
    assert response.status_code in OK_OR_REFUSED, response.get_data(as_text=True)[:300]
    db.session.rollback()


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "job_title": text,
            "company_name": text,
            "job_description": text,
            "question_count": st.one_of(text, st.integers(-(10**12), 10**12).map(str)),
            "language": text,
            "force_new": text,
            "resume_id": st.one_of(text, st.integers().map(str)),
            "resume_text": st.one_of(text, st.text(chars, min_size=50, max_size=2000)),
        },
    )
)
def test_create_form_fields_never_fail(owner_client, fields):
    """Any mix of create-form fields: planned, reused, or refused in words."""
    response = owner_client.post("/sessions/new", headers=JSON, data=fields)
    assert response.status_code in OK_OR_REFUSED, response.get_data(as_text=True)[:300]
    db.session.rollback()


@FUZZ
@given(
    answer=st.one_of(text, around_the_limit),
    question_id=st.one_of(st.none(), text, st.integers(-10, 10**20).map(str)),
    signals=st.dictionaries(
        st.sampled_from(["time_spent_ms", "paste_chars", "tab_switches", "answer_mode"]), text
    ),
)
def test_answers_and_drafts_never_fail(owner_client, world, answer, question_id, signals):
    """Answers and drafts with any text, any question id and any signal values never crash."""
    session = db.session.get_one(InterviewSession, world.open.id)
    current = next((q.id for q in session.questions if q.answered_at is None), None)
    qid = question_id if question_id is not None else str(current)
    for path in ("draft", "answer"):
        data = {"question_id": qid, "answer": answer, **signals}
        response = owner_client.post(f"/session/{world.open.id}/{path}", headers=JSON, data=data)
        assert response.status_code in OK_OR_REFUSED, response.get_data(as_text=True)[:300]
    page = owner_client.get(f"/session/{world.open.id}/interview")
    assert page.status_code == 200
    db.session.rollback()


@FUZZ
@given(email=text, password=text, confirm=text, name=text, remember=text)
def test_account_forms_never_fail(app, email, password, confirm, name, remember):
    """Registration and sign-in with any input: success or a refusal, never a crash."""
    client = app.test_client()
    registered = client.post(
        "/auth/register",
        headers=JSON,
        data={"email": email, "password": password, "confirm_password": confirm, "name": name},
    )
    assert registered.status_code in OK_OR_REFUSED | {401}
    signed_in = client.post(
        "/auth/login",
        headers=JSON,
        data={"email": email, "password": password, "remember": remember},
    )
    assert signed_in.status_code in OK_OR_REFUSED | {401}
    db.session.rollback()


@FUZZ
@given(
    body=st.binary(max_size=2048),
    content_type=st.sampled_from(
        [
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=utf-16",
            "text/plain",
            "application/json",
        ]
    ),
)
def test_malformed_bodies_never_fail(owner_client, world, body, content_type):
    """Raw bytes under any content type, to every form endpoint, never crash the parser."""
    for path in (
        "/resumes",
        "/sessions/new",
        f"/session/{world.open.id}/answer",
        f"/session/{world.open.id}/draft",
        "/account/tokens",
    ):
        response = owner_client.post(path, data=body, content_type=content_type, headers=JSON)
        assert response.status_code in OK_OR_REFUSED, (path, response.get_data(as_text=True)[:300])
    db.session.rollback()


def test_an_upload_over_the_limit_is_413(owner_client):
    """A file over 10 MB is refused with 413 and a message, not a crash or a hang."""
    big = io.BytesIO(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1))
    response = owner_client.post(
        "/resumes",
        headers=JSON,
        content_type="multipart/form-data",
        data={"resume_file": (big, "huge.pdf")},
    )
    response.request.environ["wsgi.input"].close()  # the test client spools big bodies to a file
    assert response.status_code == 413 and "10 MB" in response.get_json()["message"]


@pytest.mark.parametrize("size", [10_001, 200_000, 2_000_000])
def test_huge_form_fields_are_refused_cleanly(owner_client, size):
    """Very large job descriptions and CV text get a 400 or 413 with a message."""
    response = owner_client.post(
        "/sessions/new",
        headers=JSON,
        data={"resume_text": "x " * size, "job_description": "y " * size, "question_count": "3"},
    )
    response.request.environ["wsgi.input"].close()  # the test client spools big bodies to a file
    assert response.status_code in (400, 413), response.status_code
    assert response.get_json()["message"]


def valid_form(world, field: str, value: str) -> tuple[str, dict]:
    """A form that would succeed, with `value` in `field`."""
    session = db.session.get_one(InterviewSession, world.open.id)
    current = next(q.id for q in session.questions if q.answered_at is None)
    forms = {
        "answer": (f"/session/{world.open.id}/answer", {"question_id": current}),
        "draft": (f"/session/{world.open.id}/draft", {"question_id": current}),
        "session": (
            "/sessions/new",
            {
                "resume_text": SAMPLE_CV + " new",
                "job_description": SAMPLE_JD,
                "force_new": "1",
            },
        ),
        "resume": ("/resumes", {"resume_text": SAMPLE_CV + " other"}),
        "token": ("/account/tokens", {}),
    }
    kind, name = field.split(".")
    path, data = forms[kind]
    return path, {**data, name: (data.get(name, "") + value)}


@pytest.mark.parametrize(
    "field",
    [
        "answer.answer",
        "draft.answer",
        "session.job_title",
        "session.company_name",
        "session.job_description",
        "session.resume_text",
        "resume.resume_text",
        "resume.title",
        "token.name",
    ],
)
def test_nul_characters_never_cause_a_500(owner_client, world, field):
    """A NUL character (PostgreSQL text columns refuse it) is cleaned or refused, never a 500."""
    path, data = valid_form(world, field, "before\x00after B-tree index lookups")
    response = owner_client.post(path, data=data, headers=JSON)
    assert response.status_code in OK_OR_REFUSED, (path, response.get_data(as_text=True)[:200])


@pytest.mark.parametrize("body", ["0", "[1, 2]", '"text"', "true", "null", "{}", '{"email": 5}'])
@pytest.mark.parametrize("path", ["/resumes", "/account/tokens", "/auth/login", "/auth/register"])
def test_json_bodies_on_form_routes_never_fail(owner_client, path, body):
    """A JSON body that is not a form — a number, a list, a string — is refused, not a 500."""
    response = owner_client.post(path, data=body, content_type="application/json", headers=JSON)
    assert response.status_code in OK_OR_REFUSED | {401}, response.get_data(as_text=True)[:200]
