"""The candidate's pages in the session's language: English source text → Chinese.

Templates call `t('Submit answer', lang)`; the English text is the key, so an English page reads
exactly as written and an untranslated string falls back to English. Placeholders use
`str.format` names: `t('Question {k} of {n}', lang, k=1, n=8)`. Terms the PDF already names (bands,
report headings) come from `app.reports.pdf.labels`, so the page and the PDF say the same thing.
"""

from __future__ import annotations

from functools import cache

from flask import g
from markupsafe import escape

ZH: dict[str, str] = {
    # The nav bar and footer (base.html)
    "Interviews": "面试记录",
    "Your interview": "你的面试",
    "New interview": "新建面试",
    "CVs": "简历",
    "API tokens": "API 令牌",
    "Sign out ({name})": "退出登录（{name}）",
    "Sign in": "登录",
    "Create account": "注册账号",
    "Interview Coach — rehearse the interview, learn exactly what to fix.": (
        "Interview Coach —— 演练面试，准确找出需要改进的地方。"
    ),
    # Error pages (app.errors.FRIENDLY and the messages shown after a session was loaded)
    "Home": "首页",
    "Something in the request was wrong": "请求有误",
    "Check the form and try again.": "请检查表单后重试。",
    "Please sign in": "请先登录",
    "This needs an account or a valid API token.": "需要登录账号或有效的 API 令牌。",
    "Not yours": "无权访问",
    "This belongs to another account. Sign in with that account to open it.": (
        "此内容属于另一个账号。请使用该账号登录后再打开。"
    ),
    "Not found": "未找到",
    "It may have been deleted, or the link is wrong.": "它可能已被删除，或链接有误。",
    "Not allowed": "不允许的操作",
    "This address does not accept that kind of request.": "此地址不接受这种请求。",
    "Gone": "已失效",
    "This link has expired.": "此链接已过期。",
    "Too large": "文件过大",
    (
        "This file is {size}, over the {limit} upload limit. "
        "Choose a smaller file or paste the text."
    ): ("此文件大小为 {size}，超过了 {limit} 的上传上限。请选择更小的文件，或直接粘贴文本。"),
    "Uploads are limited to {limit}. Try a smaller file or paste the text.": (
        "上传文件不能超过 {limit}。请换一个更小的文件，或直接粘贴文本。"
    ),
    "Slow down": "请求过于频繁",
    "Too many requests. Wait a moment and try again.": "请求过多，请稍等片刻再试。",
    "Something went wrong on our side": "服务器出了点问题",
    "Nothing you entered was lost. Please try again.": "你输入的内容都没有丢失，请重试。",
    "Busy right now": "服务器繁忙",
    "Everything you had already saved is kept. Try again in a moment.": (
        "已保存的内容都完好无损，请稍后再试。"
    ),
    "Internal server error": "服务器内部错误",
    "The service is busy. Everything already saved is kept; try again in a moment.": (
        "服务繁忙。已保存的内容都会保留，请稍后再试。"
    ),
    "The PDF could not be generated. Please try again.": "PDF 生成失败，请重试。",
    # The page shown when every AI provider failed to evaluate (app.feedback.pages)
    "The evaluation could not be finished": "评估未能完成",
    "AI service error": "AI 服务出错",
    "Every AI provider failed to evaluate your answers. Your answers are saved and nothing was "
    "lost: try again in a moment.": (
        "所有 AI 服务都未能完成评估。你的回答均已保存，没有任何丢失，请稍后重试。"
    ),
    "Try the evaluation again": "重新评估",
    "See your answers": "查看你的回答",
    # Shared
    "Interview": "面试",
    "at {company}": "· {company}",
    "Full report": "完整报告",
    "Download PDF": "下载 PDF",
    "Feedback": "反馈",
    "Report": "报告",
    "Refresh": "刷新",
    "Your answers are being evaluated right now. {refresh} in a few seconds.": (
        "正在评估你的回答，请几秒钟后{refresh}页面。"
    ),
    "Evaluating your answers…": "正在评估你的回答…",
    "Evaluating each answer against its key points and writing your report — this takes a few "
    "seconds.": "正在对照要点逐题评估并撰写报告，需要几秒钟。",
    "Get my feedback": "获取反馈",
    "Follow-up to question {n}": "第 {n} 题的追问",
    "technical": "技术题",
    "behavioral": "行为题",
    "project": "项目题",
    "situational": "情景题",
    "coding": "编程题",
    # The interview page
    "Question {k} of {n}": "第 {k} 题，共 {n} 题",
    "— follow-up": "— 追问",
    "Interview finished": "面试已结束",
    "{answered} of {total} answered": "已回答 {answered} / {total} 题",
    "Thinking…": "思考中…",
    "Text": "文本",
    "Code (keeps formatting)": "代码（保留格式）",
    "Your answer": "你的回答",
    "Answer as you would in the interview: explain, give an example, say what happened.": (
        "像在真实面试中那样回答：讲清思路，举一个例子，说明结果。"
    ),
    "Draft restored.": "已恢复草稿。",
    "Finish now? Questions you have not answered will not be graded.": (
        "现在结束吗？未回答的题目不会被评分。"
    ),
    "Finish now? The answer in the box has not been submitted: it is kept as a draft but will "
    "not be graded.": "现在结束吗？输入框中的回答尚未提交：它会保存为草稿，但不会被评分。",
    "Your answer was saved, but the server was too busy to prepare what comes next. "
    "Reload the page in a moment.": (
        "你的回答已保存，但服务器繁忙，暂时无法准备下一步。请稍后刷新页面。"
    ),
    "The server is busy and your answer is not saved yet. It is still below: "
    "submit it again in a moment.": "服务器繁忙，你的回答尚未保存。回答仍在下方，请稍后再次提交。",
    "Draft saved.": "草稿已保存。",
    "Draft not saved.": "草稿未保存。",
    "Offline — draft not saved yet.": "网络已断开，草稿尚未保存。",
    "Up to {limit} characters.": "最多 {limit} 个字符。",
    "Submit answer": "提交回答",
    "Save draft": "保存草稿",
    "Listen to the question": "朗读题目",
    "Read questions aloud": "自动朗读题目",
    # Answering by voice
    "Record answer": "录音作答",
    # Kept recordings (AUDIO_RETENTION_DAYS)
    "Recordings of your spoken answers are kept for {days} days, then deleted.": (
        "语音回答的录音会保留 {days} 天，之后删除。"
    ),
    "The recruiter who invited you can listen to them until then.": (
        "在此期间，邀请你的招聘方可以收听这些录音。"
    ),
    "You can play or delete them at any time.": "你可以随时播放或删除它们。",
    "Recordings are deleted as soon as they are transcribed; only the text is kept.": (
        "录音在转写完成后立即删除，只保留文字。"
    ),
    "Your recordings": "你的录音",
    "Kept until {date}": "保留至 {date}",
    "Delete": "删除",
    "Delete all recordings of this interview": "删除本次面试的全部录音",
    "Recording deleted.": "录音已删除。",
    "Recordings deleted: {n}.": "已删除 {n} 条录音。",
    "Stop": "停止",
    "Microphone level": "麦克风音量",
    "Recording… press Stop when you have finished.": "录音中…说完后请按“停止”。",
    "Transcribing your recording…": "正在转写你的录音…",
    "Transcript added to the answer box: correct it, then submit.": (
        "转写文本已放入回答框：请先修改，再提交。"
    ),
    "The microphone is not available. Allow it in the browser, or type your answer.": (
        "无法使用麦克风。请在浏览器中允许访问，或直接输入回答。"
    ),
    "The recording could not be transcribed. Your typed answer is kept.": (
        "录音未能转写。你输入的回答仍然保留。"
    ),
    "Answering by voice is off on this server; an administrator turns it on by setting "
    "TRANSCRIBE_PROVIDER (see the README).": (
        "此服务器未开启语音作答；管理员可通过设置 TRANSCRIBE_PROVIDER 开启（见 README）。"
    ),
    "How you spoke": "你的表达方式",
    "(measured from the recording’s timing; context only, not part of any score)": (
        "（根据录音的时间测量；仅供参考，不计入任何评分）"
    ),
    "Pace:": "语速：",
    "{n} words a minute": "每分钟 {n} 词",
    "{n} characters a minute": "每分钟 {n} 字",
    "{low}–{high} is comfortable to follow": "{low}–{high} 听起来最舒适",
    "Filler words:": "口头禅：",
    "{n} a minute": "每分钟 {n} 次",
    "Long pauses (over {s} s):": "长停顿（超过 {s} 秒）：",
    "Longest stretch without a long pause:": "最长连续表达：",
    "{s} s": "{s} 秒",
    "The recording is empty. Record again.": "录音为空。请重新录音。",
    "The recording is over {mb} MB. Record a shorter answer, or type it.": (
        "录音超过 {mb} MB。请录一段更短的回答，或直接输入。"
    ),
    "That file is not a recording we can read (WebM, Ogg, WAV, MP3 or MP4 audio).": (
        "该文件不是可识别的录音（支持 WebM、Ogg、WAV、MP3 或 MP4 音频）。"
    ),
    "The recording is damaged and cannot be played. Record again.": (
        "录音已损坏，无法播放。请重新录音。"
    ),
    "The recording is {seconds} seconds long; the limit is {limit}. "
    "Record a shorter answer, or type it.": (
        "录音时长 {seconds} 秒，上限为 {limit} 秒。请录一段更短的回答，或直接输入。"
    ),
    "No speech was heard in the recording. Check the microphone and record again, "
    "or type your answer.": "录音中没有听到说话声。请检查麦克风后重新录音，或直接输入回答。",
    "Answering by voice is not enabled on this server. Type your answer instead.": (
        "此服务器未开启语音作答。请直接输入回答。"
    ),
    "The recording could not be read as audio. Record again, or type your answer.": (
        "无法将该录音识别为音频。请重新录音，或直接输入回答。"
    ),
    "The transcription service is not answering right now. Your typed answer is kept; "
    "try recording again in a moment, or type your answer.": (
        "转写服务暂时没有响应。你输入的回答仍然保留；请稍后再录音，或直接输入回答。"
    ),
    "Send the answer as text or as a recording, not both.": "请以文字或录音其中一种方式提交回答。",
    "Attach the recording as the audio field.": "请将录音放在 audio 字段中上传。",
    "Thinking… reading your answer and deciding what to ask next.": (
        "思考中…正在阅读你的回答并决定下一个问题。"
    ),
    "Finish early and get feedback on what I've answered": "提前结束，就已回答的题目获取反馈",
    "Your feedback is ready": "你的反馈已生成",
    "That was the last question": "这是最后一道题",
    "You answered {answered} of {total} questions.": "你回答了 {total} 道题中的 {answered} 道。",
    "See my feedback": "查看我的反馈",
    # Insights on the last answer
    "About your last answer": "关于你的上一个回答",
    "Instant observations, not a score — your answers are graded when you finish.": (
        "即时观察，并非评分——全部答完后才会评分。"
    ),
    "Key points touched:": "涉及的要点：",
    "{covered} of {total}": "{covered} / {total}",
    "Job-description terms you used:": "用到的职位描述关键词：",
    "none": "无",
    "not yet: {terms}": "尚未提及：{terms}",
    "Filler and hedging:": "口头禅与含糊用语：",
    "STAR parts found:": "识别到的 STAR 要素：",
    "situation": "情境",
    "task": "任务",
    "action": "行动",
    "result": "结果",
    "Numbers and metrics:": "数字与指标：",
    "none — a number makes an impact concrete": "无——用数字能让成果更具体",
    "Most-used words:": "最常用的词：",
    "Length:": "长度：",
    "{n} words": "{n} 字",
    # The session detail page
    "← All interviews": "← 全部面试",
    "Created": "已创建",
    "In Progress": "进行中",
    "Completed": "已完成",
    "Evaluated": "已评估",
    "created {when}": "创建于 {when}",
    "questions by {who}": "出题：{who}",
    "Continue the interview": "继续面试",
    "Not answered yet.": "尚未作答。",
    "Delete this interview": "删除此面试",
    # The page shown while a job plans the questions
    "Preparing your questions…": "正在准备你的面试题…",
    "Your questions could not be prepared": "未能准备面试题",
    "This page moves on to the first question as soon as it is ready.": (
        "题目准备好后，本页会自动进入第一题。"
    ),
    "Your interview is saved: nothing was lost.": "面试已保存，没有丢失任何内容。",
    "Try again": "重试",
    # The feedback pages
    "Your feedback is being prepared": "正在生成你的反馈",
    "Your interview is finished": "面试已结束",
    "{graded} of {total} answers graded…": "已评分 {graded}/{total} 个回答…",
    "{graded} of {total} answers graded, writing your summary…": (
        "已评分 {graded}/{total} 个回答，正在撰写总结…"
    ),
    "This page updates itself when your feedback is ready.": "反馈生成后，本页会自动更新。",
    "Get a score from 1 to 10, your strengths and weaknesses, and how to improve your CV for "
    "this role.": "获取 1–10 分的评分、你的优势与不足，以及针对该职位改进简历的建议。",
    "Your interview feedback": "你的面试反馈",
    "Score {score} out of 10": "得分 {score}（满分 10）",
    "Weaknesses": "不足",
    "CV improvements for {role}": "针对{role}的简历改进建议",
    "this role": "该职位",
    "No CV changes suggested.": "暂无简历修改建议。",
    "Needs Work": "有待加强",
    "Poor": "较差",
    "Outstanding performance: strong skills, clear communication, well aligned with the role.": (
        "表现出色：技能扎实，表达清晰，与职位高度匹配。"
    ),
    "Solid performance with minor areas for improvement.": "表现稳健，只有少数地方需要改进。",
    "Not verified": "未经核实",
    "the grader could check little of this answer: take the score as a rough guide.": (
        "评分程序能核对的内容很少：这个分数仅供粗略参考。"
    ),
    "Checked by {engine}; key points backed by a quote from the answer: {n}.": (
        "由 {engine} 核对；有回答原文为证的要点：{n} 个。"
    ),
    "You said “{quote}”; in fact: {correction}": "你说“{quote}”；实际上：{correction}",
    "Acceptable, with significant room for improvement and some knowledge gaps.": (
        "基本合格，但仍有较大提升空间，存在一些知识盲点。"
    ),
    "Below expectations: notable knowledge gaps or unclear answers.": (
        "低于预期：知识盲点明显，或回答不够清晰。"
    ),
    "Significant concerns: prepare further before applying.": "问题较多：建议进一步准备后再投递。",
    # The report pages
    "Your report is being generated": "正在生成你的报告",
    "Interview report": "面试报告",
    "This report was produced by a fallback AI provider ({who}) because the preferred one was "
    "unavailable.": "首选 AI 服务不可用，本报告由备用服务（{who}）生成。",
    "Overall score {score} out of 100": "总分 {score}（满分 100）",
    "The overall score is the mean of the main questions' scores; unanswered questions count 0.": (
        "总分为各主问题得分的平均值，未作答的题目计 0 分。"
    ),
    "Strong candidate with deep knowledge.": "候选人实力强，知识扎实深入。",
    "Solid understanding with room to grow.": "理解扎实，仍有成长空间。",
    "Basic knowledge; needs improvement.": "具备基础知识，需要提升。",
    "Consider additional preparation.": "建议进一步准备。",
    "Feedback and CV tips": "反馈与简历建议",
    "Must-haves": "必备",
    "Nice-to-haves": "加分项",
    "No answer.": "未作答。",
    "Notes shared with the recruiter": "招聘方可见的记录",
    "The recruiter who invited you sees these notes about pasting, tab switches and typing "
    "speed. They are prompts for a person to look at, not a verdict, and they never change a "
    "score.": (
        "邀请你的招聘方会看到这些关于粘贴、切换标签页和打字速度的记录。它们只是提示人工查看，"
        "并非结论，也不会改变任何分数。"
    ),
    "(fallback provider)": "（备用服务）",
    "AI calls for this interview: {calls}, using {prompt} prompt and {output} output tokens.": (
        "本次面试的 AI 调用：{calls} 次，输入 {prompt} 个、输出 {output} 个 token。"
    ),
    # Messages of the interview and feedback services
    "This interview is already finished; no more answers can be added.": (
        "本次面试已结束，不能再添加回答。"
    ),
    "This interview is already finished.": "本次面试已结束。",
    "The form did not say which question it answers. Reload the page.": (
        "表单没有注明回答的是哪道题，请刷新页面。"
    ),
    "That question was already answered (the form was sent twice or from an old tab). Here is the "
    "current question.": (
        "这道题已经回答过了（表单被重复提交，或来自旧的标签页）。下面是当前的题目。"
    ),
    "That question is not part of this interview. Reload the page.": (
        "这道题不属于本次面试，请刷新页面。"
    ),
    "That question was already answered. Here is the current question.": (
        "这道题已经回答过了。下面是当前的题目。"
    ),
    "Cannot generate feedback for an empty interview.": "面试中没有任何回答，无法生成反馈。",
    "Feedback has already been generated for this session.": "本次面试的反馈已经生成。",
    "Interview not completed": "面试尚未完成",
    # Integrity flags (app.evaluation.integrity) and the report's category chart
    "Question {n} (follow-up)": "第 {n} 题（追问）",
    "{label}: {value}% of the answer was pasted.": "{label}：回答中有 {value}% 的内容是粘贴的。",
    "{label}: {value} tab {noun} while answering.": "{label}：作答期间切换标签页 {value} 次。",
    "{label}: typed at {value} characters per second (implausibly fast).": (
        "{label}：输入速度达每秒 {value} 个字符（快得不合常理）。"
    ),
    "{score}/100 over {count} question": "{score}/100，基于 {count} 道题",
    "{score}/100 over {count} questions": "{score}/100，基于 {count} 道题",
}

# Page text whose Chinese is the PDF's label of that key (app/reports/pdf/labels.py).
FROM_PDF_LABELS: dict[str, str] = {
    "Excellent": "excellent",
    "Good": "good",
    "Adequate": "adequate",
    "Needs significant improvement": "needs_improvement",
    "Strengths": "strengths",
    "Fix these first": "fix_first",
    "What went well": "went_well",
    "To improve": "improvements",
    "Overall feedback": "overall_feedback",
    "Score by category": "category_scores",
    "Skills from the job description": "skills",
    "Improvement plan": "plan",
    "Question by question": "details",
    "Question {n}": "question_n",
    "Covered": "covered",
    "Missed": "missed",
    "Reference answer": "reference",
    "Key points": "key_points",
    "(no answer)": "no_answer",
}


@cache
def chinese() -> dict[str, str]:
    """The whole Chinese table: the entries above plus the PDF's shared terms."""
    # Imported on first use: app.reports loads its routes, which load app.templating, which
    # imports this module.
    from app.practice.text import ZH as PRACTICE
    from app.reports.pdf.labels import LABELS

    pdf = LABELS["zh"]
    shared = {english: pdf[key] for english, key in FROM_PDF_LABELS.items()}
    shared["Evaluated by {who}."] = pdf["evaluated_by"] + "。"
    return {**ZH, **PRACTICE, **shared}


def translate(text: str, language: str | None, **values: object) -> str:
    """`text` in `language` ("zh" or English), with `{name}` placeholders filled from `values`.

    Unknown text and unknown languages give the English. When a value is markup (a link built in
    the template), the sentence is escaped and the markup kept, so the result is safe HTML.
    """
    template = chinese().get(text, text) if language == "zh" else text
    if not values:
        return template
    if any(hasattr(value, "__html__") for value in values.values()):
        return escape(template).format(**values)
    return template.format(**values)


def remember_page_language(language: str) -> None:
    """Note the language of the session this request is about, so that an error page shown
    for it (after the session was loaded) speaks that language too."""
    g.page_language = language


def forget_page_language() -> None:
    """Before each request: nothing is known yet, so pages are English. (Requests made inside
    an app context that is already open, as tests do, share its `g`.)"""
    g.page_language = "en"


def page_language() -> str:
    """The language noted for this request's session, else English."""
    return str(g.get("page_language", "en"))


def counted(count: int, noun: str) -> str:
    """ "1 report", "3 reports": an English count with its noun, never "report(s)"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
