"""Answering by voice over HTTP: transcribing without storing, answering with a recording,
delivery figures from the segments, and clear refusals that never lose typed text."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Question
from app.models.ai_call import AICall
from tests.conftest import JSON, build_app
from tests.fixtures.audio import MP4_START, OGG_START, PDF_START, WEBM_START, make_wav
from tests.support.fake_servers import openai_error
from tests.support.sessions import make_session
from tests.support.users import make_user
from tests.voice.conftest import current, upload

EXPECTED_DELIVERY = {
    "words": 14,
    "words_per_minute": 112.0,  # 14 words over the 7.5 s from the first word to the last
    "fillers_per_minute": 8.0,  # one "um"
    "long_pauses": 1,  # 3.0 s between the two segments
    "longest_stretch_s": 2.5,
}


def test_transcribe_returns_the_transcript_and_measured_delivery_and_stores_nothing(
    logged_in, session, transcriber
):
    """The JSON reply carries the engine's text, language and length, and delivery figures
    computed from its segments; no answer is stored, and the call has its ai_calls row."""
    question = current(session)
    response = logged_in.post(
        f"/session/{session.id}/transcribe",
        data=upload(make_wav(9.0), question_id=question.id),
        headers=JSON,
    )
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    assert (
        data["transcript"] == "I added an index on the customer id, um, and the query got faster."
    )
    assert data["language"] == "en" and data["duration_s"] == pytest.approx(9.0)
    assert {k: data["delivery"][k] for k in EXPECTED_DELIVERY} == EXPECTED_DELIVERY
    assert data["delivery"]["comfortable_wpm"] == [130, 160]
    assert current(session).id == question.id and current(session).answer_text is None
    sent = transcriber.uploads[-1]
    assert sent.fields["language"] == "en" and sent.filename == "answer.wav"
    calls = db.session.scalars(sa.select(AICall)).all()
    assert [(c.task, c.outcome, c.session_id) for c in calls] == [
        ("transcribe_audio", "ok", session.id)
    ]


@pytest.mark.parametrize(
    ("audio", "name"),
    [(WEBM_START, "answer.webm"), (OGG_START, "x.bin"), (MP4_START, "answer.m4a")],
)
def test_the_type_is_read_from_the_bytes_not_the_name(logged_in, session, transcriber, audio, name):
    """WebM, Ogg and MP4 recordings go to the engine named by what they are, whatever their
    file name says."""
    response = logged_in.post(
        f"/session/{session.id}/transcribe",
        data=upload(audio, name, question_id=current(session).id),
        headers=JSON,
    )
    assert response.status_code == 200, response.get_json()
    extension = transcriber.uploads[-1].filename.rsplit(".", 1)[1]
    assert extension == {"answer.webm": "webm", "x.bin": "ogg", "answer.m4a": "mp4"}[name]


def test_an_answer_given_as_audio_is_stored_as_text_with_its_delivery(logged_in, session):
    """POST /answer with ``audio`` stores the transcript as the answer and keeps the delivery."""
    question = current(session)
    response = logged_in.post(
        f"/session/{session.id}/answer",
        data=upload(make_wav(9.0), question_id=question.id),
        headers=JSON,
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["delivery"]["long_pauses"] == 1
    stored = db.session.get_one(Question, question.id)
    assert stored.answer_text.startswith("I added an index")
    assert {k: stored.delivery[k] for k in EXPECTED_DELIVERY} == EXPECTED_DELIVERY


def test_a_corrected_transcript_keeps_the_measured_delivery(logged_in, session):
    """The page's flow: transcribe, edit the text, submit it with the signed delivery token."""
    question = current(session)
    data = logged_in.post(
        f"/session/{session.id}/transcribe",
        data=upload(make_wav(9.0), question_id=question.id),
        headers=JSON,
    ).get_json()["data"]
    edited = data["transcript"].replace("um, ", "") + " From 2 s to 40 ms."
    response = logged_in.post(
        f"/session/{session.id}/answer",
        data={
            "question_id": question.id,
            "answer": edited,
            "delivery_token": data["delivery_token"],
        },
    )
    assert response.status_code == 302
    stored = db.session.get_one(Question, question.id)
    assert stored.answer_text == edited
    assert stored.delivery["words_per_minute"] == 112.0  # measured on what was said, not typed


def test_a_forged_delivery_token_is_ignored(logged_in, session):
    """A token not signed by the server (or for another question) stores no figures, and the
    answer itself is still accepted."""
    first = current(session)
    token = logged_in.post(
        f"/session/{session.id}/transcribe",
        data=upload(make_wav(9.0), question_id=first.id),
        headers=JSON,
    ).get_json()["data"]["delivery_token"]
    for question_id, sent in ((first.id, token[:-4] + "AAAA"),):
        logged_in.post(
            f"/session/{session.id}/answer",
            data={"question_id": question_id, "answer": "An index.", "delivery_token": sent},
        )
    assert db.session.get_one(Question, first.id).delivery is None
    second = current(session)
    logged_in.post(
        f"/session/{session.id}/answer",
        data={"question_id": second.id, "answer": "A cache.", "delivery_token": token},
    )
    assert db.session.get_one(Question, second.id).delivery is None  # signed for the first


def silent_engine(transcriber):
    """The engine hears nothing in the clip."""
    transcriber.segments = []


def busy_engine(transcriber):
    """The engine answers 503 to every try (three per request)."""
    transcriber.queue(*[openai_error(503, "overloaded")] * 10)


BAD_RECORDINGS = [
    # (what, audio, file name, engine set-up, status, words of the message)
    ("empty", b"", "a.webm", None, 400, "empty"),
    ("oversized", WEBM_START + b"\x00" * 400_001, "a.webm", None, 413, "over"),
    ("not audio", PDF_START, "a.webm", None, 415, "not a recording"),
    ("corrupt WAV", make_wav(1.0)[:44], "a.wav", None, 400, "damaged"),
    ("silent WAV", make_wav(2.0, silent=True), "a.wav", None, 400, "No speech"),
    ("too long", make_wav(22.0, rate=4_000), "a.wav", None, 413, "limit is 20"),
    ("nothing said", WEBM_START, "a.webm", silent_engine, 400, "No speech"),
    ("engine down", WEBM_START, "a.webm", busy_engine, 503, "not answering"),
]


@pytest.mark.parametrize(
    ("audio", "name", "setup", "status", "words"),
    [case[1:] for case in BAD_RECORDINGS],
    ids=[case[0] for case in BAD_RECORDINGS],
)
def test_a_bad_recording_is_refused_clearly_and_the_typed_draft_is_kept(
    logged_in, session, transcriber, audio, name, setup, status, words
):
    """Each bad recording gets its own status and a message saying what to do; the draft typed
    before recording survives, and no answer is stored."""
    if setup:
        setup(transcriber)
    question = current(session)
    logged_in.post(
        f"/session/{session.id}/draft", data={"question_id": question.id, "answer": "My draft."}
    )
    for route in ("transcribe", "answer"):
        response = logged_in.post(
            f"/session/{session.id}/{route}",
            data=upload(audio, name, question_id=question.id),
            headers=JSON,
        )
        assert response.status_code == status, (route, response.get_json())
        assert words in response.get_json()["message"]
    kept = current(session)
    assert kept.id == question.id and kept.answer_text is None
    assert kept.draft_text == "My draft."


def test_the_page_shows_the_error_with_the_typed_text_still_in_the_box(logged_in, session):
    """A browser posting a bad recording with typed text gets the page back, text intact."""
    question = current(session)
    response = logged_in.post(
        f"/session/{session.id}/transcribe",
        data=upload(PDF_START, "a.webm", question_id=question.id, answer="Typed so far."),
    )
    assert response.status_code == 415
    html = response.get_data(as_text=True)
    assert "not a recording we can read" in html and "Typed so far.</textarea>" in html


def test_text_and_audio_together_are_refused(logged_in, session):
    """One answer is either typed or spoken; both at once is a 400 and keeps the text."""
    question = current(session)
    response = logged_in.post(
        f"/session/{session.id}/answer",
        data=upload(make_wav(2.0), question_id=question.id, answer="Typed."),
        headers=JSON,
    )
    assert response.status_code == 400
    assert current(session).draft_text == "Typed."


def test_the_page_offers_recording_and_the_microphone_policy_allows_it(logged_in, session):
    """With an engine configured the record control is on the page and the microphone is
    allowed for this origin only."""
    response = logged_in.get(f"/session/{session.id}/interview")
    html = response.get_data(as_text=True)
    assert "data-record" in html and "data-transcribe-url" in html
    assert "microphone=(self)" in response.headers["Permissions-Policy"]
    assert "TRANSCRIBE_PROVIDER" not in html


def test_without_an_engine_there_is_no_record_button_and_the_page_says_to_type(user):
    """Voice off: typing only, a line saying so (no server setting named to the candidate), and
    audio posts get a clear 501."""
    application = build_app()
    with application.app_context():
        from tests.conftest import prepare_schema

        prepare_schema(application)
        candidate = make_user(email="solo@example.com")
        session = make_session(candidate)
        client = application.test_client()
        client.post("/auth/login", data={"email": "solo@example.com", "password": "password123"})
        html = client.get(f"/session/{session.id}/interview").get_data(as_text=True)
        assert "data-record>" not in html and "TRANSCRIBE_PROVIDER" not in html
        assert "Answering by voice is off on this server" in html
        question = session.questions[0]
        response = client.post(
            f"/session/{session.id}/transcribe",
            data=upload(make_wav(2.0), question_id=question.id),
            headers=JSON,
        )
        assert response.status_code == 501 and "not enabled" in response.get_json()["message"]


def test_a_chinese_interview_records_in_chinese(logged_in, user, transcriber):
    """The engine is asked for Chinese, the controls and the refusals are in Chinese."""
    session = make_session(user, language="zh")
    html = logged_in.get(f"/session/{session.id}/interview").get_data(as_text=True)
    assert "录音作答" in html and 'data-lang="zh-CN"' in html
    question = current(session)
    response = logged_in.post(
        f"/session/{session.id}/transcribe",
        data=upload(make_wav(2.0, silent=True), question_id=question.id),
        headers=JSON,
    )
    assert response.status_code == 400 and "没有听到说话声" in response.get_json()["message"]
    logged_in.post(
        f"/session/{session.id}/transcribe",
        data=upload(make_wav(3.0), question_id=question.id),
        headers=JSON,
    )
    assert transcriber.uploads[-1].fields["language"] == "zh"
