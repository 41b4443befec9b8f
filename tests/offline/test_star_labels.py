"""A story's explicit STAR labels ("情况：", "结果：", "Result:") say which part each stretch tells:
they win over keyword guesses, so the grade quotes the right sentence for each part."""

from __future__ import annotations

import pytest

from app.ai.offline.grading.star import star_spans

ZH_LABELLED = (
    "情况：去年双十一期间，我们的订单服务在高峰时延迟达到800毫秒，用户投诉很多，"
    "我和同事对方案有分歧。"
    "任务：我负责在两周内和同事一起定下方案，把延迟降下来。"
    "行动：我先倾听他的想法，再用压测数据对比两个方案，最后找了一个折中方案。"
    "结果：活动期间延迟降到了120毫秒，投诉下降了九成，我们的合作也更顺了。"
)
EN_LABELLED = (
    "Situation: during the sale last year checkout took 900 ms at peak, and a colleague and I "
    "disagreed on the fix. "
    "Task: I owned the decision and had two weeks to bring latency down with him. "
    "Action: I listened to his proposal, load-tested both designs and we chose a compromise. "
    "Result: p99 went down to 120 ms in the sale period, and we work together better since."
)
PART_LABELS = {
    "situation": ("情况：", "Situation:"),
    "task": ("任务：", "Task:"),
    "action": ("行动：", "Action:"),
    "result": ("结果：", "Result:"),
}


def section(answer: str, part: str) -> tuple[int, int]:
    """Where the stretch labelled as ``part`` lies in the answer."""
    label = next(lab for lab in PART_LABELS[part] if lab in answer)
    start = answer.index(label)
    ends = [answer.find(other) for labs in PART_LABELS.values() for other in labs]
    return start, min((at for at in ends if at > start), default=len(answer))


@pytest.mark.parametrize("answer", [ZH_LABELLED, EN_LABELLED], ids=["zh", "en"])
def test_each_labelled_part_is_found_under_its_own_label(answer: str) -> None:
    """ "期间" in the result and "800毫秒" in the situation are no guesses against the labels:
    every part is found inside the stretch its label opens."""
    spans = star_spans(answer)
    for part in PART_LABELS:
        span = spans[part]
        lo, hi = section(answer, part)
        assert span is not None and lo <= span[0] < hi, (part, span)


def test_a_keyword_in_another_parts_stretch_is_passed_over() -> None:
    """Without a label of its own, a part is guessed outside the stretches labelled as others:
    the result is not the situation's "800毫秒"."""
    answer = (
        "情况：去年双十一期间，我们的订单服务在高峰时延迟达到800毫秒，用户投诉很多。"
        "我先用链路追踪定位慢查询，然后加了索引和缓存。最终延迟降到了120毫秒。"
    )
    span = star_spans(answer)["result"]
    assert span is not None and span[0] > answer.index("。")
