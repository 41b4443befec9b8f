"""The PDF's own words in English and Chinese."""

from __future__ import annotations

from datetime import datetime

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "product": "Interview Coach",
        "report_title": "Interview Assessment Report",
        "role_at": "{role} at {company}",
        "candidate": "Candidate",
        "interview_date": "Interview date",
        "session": "Session",
        "questions_answered": "Questions",
        "overall_score": "Overall score",
        "evaluated_by": "Evaluated by {who}",
        "fallback": "The first-choice AI provider was unavailable; a fallback provider produced "
        "this evaluation.",
        "summary": "Summary",
        "overall_feedback": "Overall feedback",
        "category_scores": "Scores by category",
        "strengths": "Strengths",
        "fix_first": "Fix these first",
        "went_well": "What went well",
        "improvements": "Areas to improve",
        "analysis": "Category Analysis",
        "category": "Category",
        "score": "Score",
        "band": "Band",
        "notes": "Notes",
        "questions_n": "{n} questions",
        "questions_1": "1 question",
        "with_follow_ups": "{n} + {f} follow-ups",
        "with_follow_up": "{n} + 1 follow-up",
        "strongest": "Strongest area.",
        "weakest": "Needs the most work.",
        "review": "Review: {points}",
        "skills": "Skills from the job description",
        "must_haves": "Must-have",
        "nice_to_haves": "Nice-to-have",
        "skill": "Skill",
        "skill_type": "Type",
        "radar_needs_three": "The radar chart needs at least three categories.",
        "charts_truncated": "The charts show the first {shown} of {total} categories; the table "
        "lists them all.",
        "details": "Question by Question",
        "question_n": "Question {n}",
        "follow_up": "Follow-up",
        "your_answer": "Answer",
        "no_answer": "(No answer given)",
        "feedback": "Feedback",
        "covered": "Key points covered",
        "missed": "Key points missed",
        "reference": "Reference answer",
        "key_points": "Key points",
        "not_scored": "n/a",
        "plan": "Improvement Plan",
        "topic": "Topic",
        "action": "Action",
        "resources": "Resources",
        "no_plan": "No improvement plan was produced for this interview.",
        "none": "None noted.",
        "footer": "Session {session} · Generated {time}",
        "excellent": "Excellent",
        "good": "Good",
        "adequate": "Adequate",
        "needs_improvement": "Needs significant improvement",
        "title_meta": "Interview report: {role} at {company}",
        "subject_meta": "Interview assessment of {candidate} for {role}",
    },
    "zh": {
        "product": "Interview Coach",
        "report_title": "模拟面试评估报告",
        "role_at": "{company} · {role}",
        "candidate": "候选人",
        "interview_date": "面试日期",
        "session": "会话",
        "questions_answered": "题目数",
        "overall_score": "总分",
        "evaluated_by": "评估模型：{who}",
        "fallback": "首选 AI 服务不可用，本次评估由备用服务完成。",
        "summary": "总结",
        "overall_feedback": "总体评价",
        "category_scores": "各类别得分",
        "strengths": "优势",
        "fix_first": "优先改进",
        "went_well": "做得好的地方",
        "improvements": "待改进",
        "analysis": "类别分析",
        "category": "类别",
        "score": "得分",
        "band": "等级",
        "notes": "说明",
        "questions_n": "{n} 道题",
        "questions_1": "1 道题",
        "with_follow_ups": "{n}（另有 {f} 道追问）",
        "with_follow_up": "{n}（另有 1 道追问）",
        "strongest": "表现最好的领域。",
        "weakest": "最需要加强的领域。",
        "review": "建议复习：{points}",
        "skills": "职位要求的技能",
        "must_haves": "必备",
        "nice_to_haves": "加分项",
        "skill": "技能",
        "skill_type": "类型",
        "radar_needs_three": "雷达图至少需要三个类别。",
        "charts_truncated": "图表仅显示前 {shown} 个类别（共 {total} 个），表格列出全部类别。",
        "details": "逐题详情",
        "question_n": "第 {n} 题",
        "follow_up": "追问",
        "your_answer": "回答",
        "no_answer": "（未作答）",
        "feedback": "评价",
        "covered": "已覆盖要点",
        "missed": "遗漏要点",
        "reference": "参考答案",
        "key_points": "要点",
        "not_scored": "无",
        "plan": "提升计划",
        "topic": "主题",
        "action": "行动",
        "resources": "学习资源",
        "no_plan": "本次面试没有生成提升计划。",
        "none": "无。",
        "footer": "会话 {session} · 生成于 {time}",
        "excellent": "优秀",
        "good": "良好",
        "adequate": "合格",
        "needs_improvement": "需要显著提升",
        "title_meta": "模拟面试报告：{company} {role}",
        "subject_meta": "{candidate}的{role}面试评估",
    },
}


def label(language: str, key: str, **values: object) -> str:
    """The text for `key` in `language` (English when the language is unknown)."""
    table = LABELS.get(language, LABELS["en"])
    return table[key].format(**values) if values else table[key]


def question_count(language: str, count: int) -> str:
    """'1 question' / '8 questions' (no "question(s)")."""
    return label(language, "questions_1") if count == 1 else label(language, "questions_n", n=count)


def main_and_follow_ups(language: str, main: int, follow_ups: int) -> str:
    """How many questions were asked: the main ones, and the follow-ups beside them."""
    if follow_ups == 0:
        return str(main)
    if follow_ups == 1:
        return label(language, "with_follow_up", n=main)
    return label(language, "with_follow_ups", n=main, f=follow_ups)


def format_date(value: datetime, language: str) -> str:
    """A date as a reader of `language` writes it."""
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value:%B %Y}"


def format_timestamp(value: datetime) -> str:
    """A generation time with minutes and the time zone (UTC when the time is naive)."""
    zone = value.tzname() or "UTC"
    return f"{value:%Y-%m-%d %H:%M} {zone}"
