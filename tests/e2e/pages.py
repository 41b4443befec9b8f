"""What a candidate does in the browser, step by step, shared by the browser tests."""

from __future__ import annotations

import re
import uuid

CJK = re.compile(r"[\u4e00-\u9fff]")
PASSWORD = "correct-horse-battery"

JOB_DESCRIPTION = """We are hiring a Senior Backend Engineer for our payments platform.

Requirements:
- 5+ years of Python and Flask or Django in production
- PostgreSQL: schema design, indexing, transactions and query tuning
- Redis caching and Kafka or another message queue
- Docker and Kubernetes, CI/CD, observability

Nice to have:
- AWS
- Go
"""

CHINESE_JOB_DESCRIPTION = (
    "岗位职责：负责电商订单系统的后端Java服务开发与性能优化，参与分布式架构设计。\n"
    "任职要求：\n- 精通Java、Spring Boot和JVM调优\n- 熟悉MySQL索引与事务、Redis缓存\n"
    "- 有Kafka消息队列和高并发系统经验\n加分项：熟悉Kubernetes和云原生。"
)

VAGUE_ANSWER = "I would probably look into {topic} and maybe try a few things until it works."

STRONG_ANSWER = (
    "At Acme I owned this area for our payments API, so here is how I approach {topic}. "
    "Situation: p99 latency on checkout had grown to 900 ms and the team was responsible for a "
    "200 ms target. Task: I had to find the bottleneck without a rewrite. Action: I measured "
    "first with tracing, added a composite index on the PostgreSQL orders table, cached hot reads "
    "in Redis with a TTL and deleted keys after each write, moved slow work to a Kafka consumer, "
    "and load-tested the change in our Kubernetes staging cluster before rolling it out behind a "
    "feature flag. I explained the trade-offs — consistency versus latency, memory cost, and the "
    "operational risk — and wrote tests for the failure paths. Result: p99 fell from 900 ms to "
    "120 ms, error rate dropped by 40%, and we handled 2,000 requests per second on Black Friday."
)

CHINESE_ANSWER = (
    "在阿里巴巴负责订单系统时，我遇到过类似的问题。情况：接口延迟高达800毫秒。任务：我需要在不重写系统的前提下"
    "把延迟降到200毫秒以内。行动：我先用链路追踪定位瓶颈，为MySQL订单表添加了联合索引，用Redis缓存热点数据并设置过期时间，"
    "把耗时操作放到Kafka异步处理。结果：延迟降低了70%，双十一期间支撑了每秒两万次请求。"
)


def unique_email(prefix: str) -> str:
    """A fresh address for each test's new user."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"


def register(page, live, email: str, name: str = "Ada Candidate") -> None:
    """Create an account through the form; the app signs the new user in."""
    page.goto(live("/auth/register"))
    page.fill("input[name=email]", email)
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm_password]", PASSWORD)
    page.click("form button[type=submit]:has-text('Create account')")
    page.wait_for_url(lambda url: "/auth/register" not in url)
    assert "Sign out" in page.inner_text("header")


def topic_of(question: str) -> str:
    """A few words of the question, so an answer is recognisably about it."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z+#.-]{3,}", question)]
    return " ".join(words[:6]) or question[:60]


def question_text(page) -> str:
    """The question on screen."""
    return page.inner_text("h1.question-text")


def on_follow_up(page) -> bool:
    """Whether the question on screen is a follow-up."""
    return "follow-up" in page.inner_text("p.step")


def has_question(page) -> bool:
    """Whether the interview page shows a question (rather than the finished state)."""
    return page.locator("h1.question-text").count() > 0


def submit_answer(page, text: str) -> None:
    """Type an answer and submit it, waiting for the next page."""
    page.fill("form.answer-form textarea[name=answer]", text)
    with page.expect_navigation():
        page.click("form.answer-form button[type=submit] >> nth=0")  # "Submit answer" / "提交回答"


def answer_remaining(page, answer_for, limit: int = 40) -> int:
    """Answer whatever question is shown until the interview is done; returns answers given."""
    given = 0
    while has_question(page):
        assert given < limit, "the interview never finished"
        submit_answer(page, answer_for(question_text(page)))
        given += 1
    return given


CV_TEXT = (
    "Python Flask PostgreSQL Redis Docker Kubernetes, 6 years of backend work on payments at Acme."
)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def session_id_from(page) -> int:
    """The session id in the current /session/<id>/… URL."""
    match = re.search(r"/session/(\d+)/", page.url)
    assert match, page.url
    return int(match.group(1))


def create_interview(
    page,
    live,
    *,
    job_description: str,
    count: int,
    language: str = "en",
    resume_text: str | None = None,
    resume_id: int | None = None,
) -> None:
    """Fill the new-interview form and land on the first question."""
    page.goto(live("/sessions/new" + (f"?resume_id={resume_id}" if resume_id else "")))
    if resume_text is not None:
        page.fill("textarea[name=resume_text]", resume_text)
    page.fill("input[name=job_title]", "Senior Backend Engineer")
    page.fill("input[name=company_name]", "Acme Payments")
    page.fill("textarea[name=job_description]", job_description)
    page.fill("input[name=question_count]", str(count))
    page.select_option("select[name=language]", language)
    page.click("form button[type=submit]:has-text('Plan my interview')")
    page.wait_for_url(re.compile(r"/session/\d+/interview"))


def finish_interview(
    page,
    live,
    answer_for,
    *,
    count: int = 3,
    language: str = "en",
    email_prefix: str = "candidate",
    snap=None,
) -> int:
    """Register a new user, plan `count` questions from the backend job description and CV,
    answer every question and follow-up with `answer_for(question)`, and press "Get my
    feedback"; returns the session id (the browser is on its feedback page). `snap(step)` is
    called on the registration form ("register") and on the first question ("interview")."""
    if snap is not None:
        page.goto(live("/auth/register"))
        snap("register")
    register(page, live, unique_email(email_prefix))
    job = CHINESE_JOB_DESCRIPTION if language == "zh" else JOB_DESCRIPTION
    create_interview(
        page, live, job_description=job, count=count, language=language, resume_text=CV_TEXT
    )
    session_id = session_id_from(page)
    if snap is not None:
        snap("interview")
    answer_remaining(page, answer_for)
    page.click("section.done form button[type=submit]")
    page.wait_for_url(re.compile(rf"/session/{session_id}/feedback"))
    return session_id


def vague(question: str) -> str:
    """A vague answer about the question (misses most key points)."""
    return VAGUE_ANSWER.format(topic=topic_of(question))


def strong(question: str) -> str:
    """A full answer about the question."""
    return STRONG_ANSWER.format(topic=topic_of(question))


def page_height(page) -> int:
    """The document's full height in CSS pixels."""
    return page.evaluate("() => document.documentElement.scrollHeight")


def both_widths(page, shots, step: str, within: str = "") -> None:
    """Screenshots of the page at desktop and phone width; on the phone, the page (or the
    `within` element) must not run off the screen."""
    page.set_viewport_size(DESKTOP)
    shots(page, f"{step} 1280")
    page.set_viewport_size(PHONE)
    if within:
        overflow = page.locator(within).evaluate(
            "e => Math.max(e.scrollWidth - e.clientWidth, e.getBoundingClientRect().right - 390)"
        )
    else:
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    shots(page, f"{step} 390")
    page.set_viewport_size(DESKTOP)
    assert overflow <= 1, f"{step}: the page is {overflow}px wider than a phone"
