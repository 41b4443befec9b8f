"""Answering by voice in a real browser: Chromium's fake microphone plays speech made at test
time by espeak-ng, MediaRecorder records it, the strict fake transcription server on 127.0.0.1
returns the transcript, the candidate corrects it and submits, and the stored delivery figures
are the ones the segments give."""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db
from app.models import Question
from tests.e2e import pages
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer, serve
from tests.e2e.webm import last_block_ms
from tests.support.fake_transcription import FakeTranscription
from tests.support.sessions import make_session

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.e2e

SPOKEN = (
    '<speak>I added an index on the customer id. <break time="2500ms"/> '
    "And the query got faster.</speak>"
)
# What the fake engine hears in it: 13 words from 0.2 s to 6.6 s with a 2.5 s pause.
SEGMENTS = [
    (0.2, 2.6, "I added an index on the customer id."),
    (5.1, 6.6, "And the query got faster."),
]
DELIVERY = {
    "words_per_minute": 121.9,  # 13 words over 6.4 s
    "fillers_per_minute": 0.0,
    "long_pauses": 1,
    "longest_stretch_s": 2.4,
}


@pytest.fixture
def speech_wav(tmp_path: Path) -> Path:
    """A WAV of the answer spoken by espeak-ng (apt package espeak-ng)."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    path = tmp_path / "answer.wav"
    subprocess.run([espeak, "-m", "-v", "en-us", "-s", "150", "-w", str(path), SPOKEN], check=True)  # noqa: S603
    return path


@pytest.fixture
def transcriber() -> Iterator[FakeTranscription]:
    """The strict fake OpenAI-compatible speech-to-text server."""
    fake = FakeTranscription(segments=SEGMENTS).start()
    yield fake
    fake.stop()


@pytest.fixture
def voice_server(tmp_path: Path, transcriber: FakeTranscription) -> Iterator[LiveServer]:
    """The real app with CSRF on and voice input pointed at the fake engine."""
    app = create_app(
        "testing",
        overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'voice.sqlite3'}",
            "WTF_CSRF_ENABLED": True,
            "TRANSCRIBE_PROVIDER": "openai_compatible",
            "TRANSCRIBE_BASE_URL": transcriber.base_url,
            "TRANSCRIBE_MODEL": "whisper-1",
            "TRANSCRIBE_API_KEY": "sk-test-audio",
        },
    )
    with app.app_context():
        db.create_all()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server, thread = serve(app)
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def microphone_page(browser, speech_wav: Path):
    """A page in a Chromium whose microphone plays `speech_wav` once, permission granted."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    fake_microphone = [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-audio-capture={speech_wav}%noloop",
        "--autoplay-policy=no-user-gesture-required",
    ]
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS + fake_microphone
    )
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()
    chromium.close()


def test_a_spoken_answer_is_transcribed_corrected_and_stored_with_its_delivery(
    microphone_page, voice_server, transcriber, shots
):
    """Record → real WebM of the recorded length reaches the engine → transcript in the box
    after the typed draft → the candidate corrects it → stored text and delivery are right."""
    page, live = microphone_page, voice_server
    pages.register(page, live, pages.unique_email("voice"))
    with live.app.app_context():
        from app.models import User

        user = db.session.scalars(db.select(User).order_by(User.id.desc())).first()
        session_id = make_session(user).id
    page.goto(live(f"/session/{session_id}/interview"))
    expect(page.locator("[data-record]")).to_be_visible()
    page.fill("textarea[name=answer]", "Context first:")

    page.click("[data-record]")
    started = time.monotonic()
    expect(page.locator("[data-stop]")).to_be_visible()
    expect(page.locator("[data-record]")).to_be_hidden()
    page.wait_for_timeout(1_500)
    assert page.locator("[data-timer]").inner_text() != "0:00"
    # The level meter moves with the voice playing into the microphone.
    page.wait_for_function("() => document.querySelector('[data-level]').value > 0.05")
    shots(page, "recording")
    page.wait_for_timeout(6_000)
    page.click("[data-stop]")
    recorded_s = time.monotonic() - started
    expect(page.locator("[data-voice-status]")).to_contain_text("Transcript added", timeout=20_000)
    expect(page.locator("[data-stop]")).to_be_hidden()

    box = page.locator("textarea[name=answer]")
    expected_text = "Context first:\nI added an index on the customer id. And the query got faster."
    assert box.input_value() == expected_text
    expect(page.locator("[data-delivery-figures]")).to_contain_text("121.9 words a minute")
    expect(page.locator("[data-delivery-figures]")).to_contain_text("130–160")
    shots(page, "transcript-in-the-box")

    sent = transcriber.uploads[-1]
    assert sent.filename.endswith(".webm") and sent.audio[:4] == b"\x1a\x45\xdf\xa3"
    assert len(sent.audio) > 5_000  # real encoded audio, not an empty container
    assert abs(last_block_ms(sent.audio) / 1000 - recorded_s) < 1.5, recorded_s

    corrected = box.input_value().replace("customer id", "customer_id column")
    box.fill(corrected)
    with page.expect_navigation():
        page.click("form.answer-form button[type=submit] >> nth=0")
    expect(page.locator(".insights")).to_contain_text("How you spoke")
    expect(page.locator(".insights")).to_contain_text("121.9 words a minute")
    shots(page, "delivery-shown-with-the-next-question")

    with live.app.app_context():
        stored = db.session.scalars(
            db.select(Question).where(Question.session_id == session_id).order_by(Question.id)
        ).first()
        assert stored is not None  # browsers send a textarea's line breaks as CRLF
        assert stored.answer_text.replace("\r\n", "\n") == corrected.strip()
        assert {k: stored.delivery[k] for k in DELIVERY} == DELIVERY


def test_questions_are_read_aloud_in_the_sessions_language(page, live_server, shots):
    """ "Listen" speaks the question with the browser's speech synthesis in the session's
    language; "Read questions aloud" is remembered and reads each new page's question."""
    page.add_init_script(
        """
        window.__spoken = [];
        if (window.speechSynthesis) {
          window.speechSynthesis.speak = u => window.__spoken.push([u.text, u.lang]);
        }
        """
    )
    pages.register(page, live_server, pages.unique_email("listen"))
    with live_server.app.app_context():
        from app.models import User

        user = db.session.scalars(db.select(User).order_by(User.id.desc())).first()
        english = make_session(user).id
        chinese = make_session(user, language="zh").id
    page.goto(live_server(f"/session/{english}/interview"))
    question = pages.question_text(page)
    assert page.locator("text=Answering by voice is off").count() == 1  # no engine configured
    assert page.locator("[data-record]").count() == 0
    page.click("[data-listen-play]")
    assert page.evaluate("window.__spoken") == [[question, "en-US"]]
    page.check("[data-listen-auto]")
    shots(page, "listen")
    page.goto(live_server(f"/session/{chinese}/interview"))
    assert page.evaluate("window.__spoken") == [[pages.question_text(page), "zh-CN"]]
