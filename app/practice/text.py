"""The practice pages' Chinese text, merged into `app.i18n`'s table (English is the key)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "Question not found": "未找到该题目",
    "A question can be answered again once the interview is evaluated.": (
        "面试评估完成后，才能重新回答题目。"
    ),
    "A follow-up is graded with its main question: answer the main question again.": (
        "追问与其主问题一起评分：请重新回答主问题。"
    ),
    "Write your new answer before submitting it.": "请先写下新的回答再提交。",
    "The grader is unavailable right now; try again in a moment.": "评分服务暂不可用，请稍后再试。",
    "now covers {points}": "新覆盖了{points}",
    "still missing {points}": "仍缺少{points}",
    "no key point changed": "要点没有变化",
    "Drill: what you missed": "专项练习：你遗漏的要点",
    "Drills": "专项练习",
    "Your other tries": "你的其他作答",
    "Try {n}: your answer and feedback": "第{n}次重答：回答与反馈",
    "Answer this again": "重新回答这道题",
    "Your new answer — it is graded like the first, and the first is kept.": (
        "你的新回答——评分方式与第一次相同，第一次的回答会保留。"
    ),
    "Grade my new answer": "为新回答评分",
    "Drill list": "练习清单",
    "Start a drill": "开始专项练习",
    (
        "The key points your evaluated interviews missed. A point you miss comes back at once; "
        "each time you cover it, it comes back later (1, 3, 7, 21, then 60 days). A drill asks "
        "the questions that are due."
    ): (
        "这里列出你已评估的面试中遗漏的要点。遗漏的要点会立即再次出现；每答对一次，下次出现的间隔就更长"
        "（1、3、7、21天，然后60天）。专项练习只问到期的题目。"
    ),
    "You missed “{point}” {n} times": "你{n}次遗漏了“{point}”",
    "You missed “{point}” once": "你遗漏过一次“{point}”",
    "Due now": "现在到期",
    "Due {when}": "{when}到期",
    (
        "Nothing to drill yet: the drill list fills up with the key points your evaluated "
        "interviews missed."
    ): "暂无可练习的内容：练习清单会收录你已评估的面试中遗漏的要点。",
    "Start an interview": "开始一场面试",
    "Repeated mistakes": "反复出现的错误",
    "You said “{claim}” {n} times; in fact {correction}": (
        "你{n}次说过“{claim}”；实际上{correction}"
    ),
    "Last in: {question}": "最近一次出现在：{question}",
}
