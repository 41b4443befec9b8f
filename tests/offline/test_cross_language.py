"""An answer in the other language than its question is graded by content, not ruled off-topic."""

from __future__ import annotations

from app.ai.offline.bank import load_bank
from app.ai.offline.grading import grade_answer


def _grade(qid: str, answer: str):
    """Grade an answer to a bank question with the bank's cues."""
    entry = next(q for q in load_bank().questions if q.id == qid)
    cues = [list(kp.cues) for kp in entry.key_points]
    return grade_answer(entry.text, answer, entry.points, entry.reference_answer, cues=cues)


def test_a_chinese_answer_to_an_english_question_earns_its_points() -> None:
    """A correct Chinese Docker answer is valid and covers points; a Chinese answer about
    something else is still off-topic."""
    right = _grade(
        "docker-image-layers",
        "Docker 镜像的每条指令都会生成一个只读层，容器在上面加一个可写层。"
        "某一层变化后，之后所有层的缓存都会失效，所以先复制依赖清单并安装依赖，再复制源代码。"
        "多阶段构建可以把编译工具留在最终镜像之外，用更小的基础镜像和 .dockerignore。",
    )
    assert right.invalid_reason is None and right.score >= 40 and len(right.covered_points) >= 3
    assert _grade("docker-image-layers", "周末我喜欢和家人去爬山。").score == 0


def test_an_english_answer_to_a_chinese_question_earns_its_points() -> None:
    """A correct English deadlock answer to the Chinese question covers its points."""
    grade = _grade(
        "zh-conc-deadlock",
        "Deadlock needs four conditions: mutual exclusion, hold and wait, no preemption and "
        "circular wait. I confirm it with jstack, whose thread dump says found one Java-level "
        "deadlock. To avoid it, take locks in a fixed lock order and use tryLock with a timeout.",
    )
    assert grade.invalid_reason is None and grade.score >= 40 and len(grade.covered_points) >= 2
