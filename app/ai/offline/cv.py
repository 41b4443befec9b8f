"""Reading a CV: the employers, projects and concrete achievements a candidate can be asked about.

CVs come as text pulled from PDFs and Word files, in English or Chinese, with every layout there is.
The reader is deliberately forgiving: it tracks which section a line is in, treats short non-bullet
lines in experience and project sections as headers (employer, role, dates or a project name), and
treats bullets or verb-led lines under them as achievements.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

_SECTION_HEADS = (
    (
        "experience",
        re.compile(
            r"^(?:work |professional |employment |relevant )?(?:experience|employment(?: history)?"
            r"|work history|career(?: history)?)$|^(?:工作|实习|职业)(?:经历|经验)$",
            re.IGNORECASE,
        ),
    ),
    (
        "projects",
        re.compile(
            r"^(?:selected |key |personal |side |notable )?projects?(?: experience| highlights)?$"
            r"|^项目(?:经历|经验)$",
            re.IGNORECASE,
        ),
    ),
    (
        "other",
        re.compile(
            r"^(?:education|(?:technical |core )?skills|certifications?|languages|interests|awards"
            r"|publications|summary|profile|objective|about me|contact|references|hobbies)$"
            r"|^(?:教育(?:背景|经历)?|(?:专业|个人)?技能|证书|自我评价|个人(?:简介|信息|总结)|荣誉|获奖情况)$",
            re.IGNORECASE,
        ),
    ),
)
_BULLET = re.compile(r"^\s*(?:[-–•·●▪◦*✓➢►]|\d{1,2}[.)、]|[（(]\d{1,2}[)）])\s*")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_DATE_RANGE = re.compile(
    r"(?:[A-Za-z]{3,9}\.?\s+)?(?:19|20)\d{2}(?:[./年-]\s*\d{1,2}月?)?\s*(?:[-–—~至到]|to)\s*"
    r"(?:(?:[A-Za-z]{3,9}\.?\s+)?(?:19|20)\d{2}(?:[./年-]\s*\d{1,2}月?)?|present|now|current|today|至今|现在)",
    re.IGNORECASE,
)
_ROLE = re.compile(
    r"\b(?:engineer|developer|manager|scientist|analyst|architect|lead|intern|consultant|designer"
    r"|director|head|sre|devops|programmer|specialist|administrator|tester|qa|officer|cto|founder"
    r"|co-founder|researcher|student)s?\b|工程师|开发|经理|架构师|实习|专家|负责人|总监|主管|组长|测试|运维|研发",
    re.IGNORECASE,
)
_AT_EMPLOYER = re.compile(r"(?:\bat|@)\s+([A-Z0-9][\w&.'’ -]{1,48}?)\s*(?=[,|(–—·]|\s-\s|\d{4}|$)")
_LABELLED = re.compile(r"^(?:公司(?:名称)?|company|employer)\s*[:：]\s*(.+)$", re.IGNORECASE)
_PROJECT_LABEL = re.compile(r"^(?:项目(?:名称)?|project(?: name)?)\s*[:：]\s*(.+)$", re.IGNORECASE)
_DETAIL_LABEL = re.compile(
    r"^(?:项目描述|项目简介|项目介绍|项目职责|个人职责|主要职责|责任描述|工作内容|工作职责|项目业绩|主要工作"
    r"|responsibilities|achievements|key achievements|description|role)\s*[:：]\s*",
    re.IGNORECASE,
)
_SEGMENT_SPLIT = re.compile(r"\s*(?:[|｜·•,，、\t]|\s[-–—]\s|[–—]|\s{2,}|[(（)）])\s*")
EN_VERBS = (
    "built|designed|led|developed|implemented|migrated|created|launched|architected|owned|wrote"
    "|automated|introduced|shipped|optimized|optimised|reduced|improved|scaled|rebuilt|refactored"
    "|delivered|drove|established|integrated|deployed|maintained|managed|mentored|rewrote|replaced"
    "|cut|increased|decreased|spearheaded|engineered|set up|moved|split|added|ran|researched"
    "|trained|analyzed|analysed|modeled|modelled|tested|coordinated|organized|designed and built"
)
_EN_VERB = re.compile(rf"^(?:{EN_VERBS}|[a-z]+(?:-[a-z]+)*ed)\b", re.IGNORECASE)
_ZH_VERB = re.compile(
    r"^(?:独立|主要|全面|深度)?(?:负责|主导|设计|开发|实现|搭建|优化|重构|参与|推动|带领|完成|牵头|建立"
    r"|引入|迁移|编写|维护|落地|构建|研发|改造|上线|接入|封装|制定|解决|提升|降低)"
)
_METRIC = re.compile(
    r"\d[\d,.]*\s*(?:%|％|x\b|×|倍|[kmb]\b|[tgm]b\b|ms\b|s\b|h\b|minutes?|hours?|days?|weeks?"
    r"|qps|tps|rps|users|customers|clients|requests|transactions|engineers|services|teams|stores"
    r"|tests|hosts|accounts|features|issues|builds|cases|毫秒|秒|分钟|小时|天|万|亿|人|次|张|家)"
    r"|\bfrom\s+\S*\d\S*\s+to\s+\S*\d|从\s*\S*\d.{0,12}?(?:到|至|降到|降低到|提升到)\s*\S*\d",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Achievement:
    """One thing the CV says the candidate did, with where they did it."""

    text: str
    employer: str
    project: str
    order: int

    @property
    def has_metric(self) -> bool:
        """Whether the line carries a number that measures something."""
        return _METRIC.search(self.text) is not None

    @property
    def starts_with_verb(self) -> bool:
        """Whether the line reads "Built X", which turns into "you built X"."""
        return bool(_EN_VERB.match(self.text) or _ZH_VERB.match(self.text))


def _section_of(line: str) -> str | None:
    title = re.sub(r"^[#*\s]+|[*:：\s]+$", "", line)
    for name, pattern in _SECTION_HEADS:
        if pattern.match(title):
            return name
    return None


def employer_from_header(line: str) -> str:
    """The employer named in an experience header line, or "" when none is clear."""
    labelled = _LABELLED.match(line.strip())
    if labelled:
        return _clean_name(labelled.group(1))
    at = _AT_EMPLOYER.search(line)
    if at:
        return _clean_name(at.group(1))
    for segment in _SEGMENT_SPLIT.split(_DATE_RANGE.sub(" | ", line)):
        segment = segment.strip(" .:：")
        if _looks_like_employer(segment):
            return _clean_name(segment)
    return ""


def _looks_like_employer(segment: str) -> bool:
    if not 2 <= len(segment) <= 50 or _ROLE.search(segment) or _YEAR.search(segment):
        return False
    if re.search(r"[.。;；!?]\s|\d", segment) or segment.lower() in {
        "remote",
        "present",
        "full-time",
    }:
        return False
    latin = re.sub(r"[^A-Za-z]", "", segment)
    return not latin or segment[0].isupper()  # lower-case Latin text is prose, not a name


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(" ,.-–—|:：")[:60]


def _is_header(line: str, section: str) -> bool:
    if _BULLET.match(line) or len(line) > 120 or _DETAIL_LABEL.match(line):
        return False
    if _LABELLED.match(line) or _PROJECT_LABEL.match(line):
        return True
    if section == "experience":
        return bool(_DATE_RANGE.search(line) or _ROLE.search(line) or _AT_EMPLOYER.search(line))
    return section == "projects" and not _starts_like_achievement(line)


def _starts_like_achievement(line: str) -> bool:
    return bool(_EN_VERB.match(line) or _ZH_VERB.match(line))


def _lines_by_section(resume_text: str) -> Iterator[tuple[str, str]]:
    """Each non-empty line of a CV with the section it sits in; section headings are not yielded.

    A CV with no experience or project heading at all is read as one long experience section.
    """
    lines = resume_text.splitlines()
    headed = any(_section_of(line.strip()) in ("experience", "projects") for line in lines)
    section = "other" if headed else "experience"
    for raw in lines:
        line = raw.strip()
        heading = _section_of(line) if line else None
        if heading:
            section = heading
            yield section, ""  # marks a new section so readers can reset what they carry
        elif line:
            yield section, line


def read_achievements(resume_text: str) -> list[Achievement]:
    """Every achievement line of a CV, with the employer or project it sits under."""
    found: list[Achievement] = []
    employer = project = ""
    for section, line in _lines_by_section(resume_text):
        if not line:
            employer = project = ""
            continue
        if section == "other" and not (_PROJECT_LABEL.match(line) or _LABELLED.match(line)):
            continue
        if _is_header(line, section):
            employer, project = _read_header(line, section, employer, project)
            continue
        text = _achievement_text(line)
        if text:
            found.append(Achievement(text, employer, project, len(found)))
    return found


def _read_header(line: str, section: str, employer: str, project: str) -> tuple[str, str]:
    """Update the current employer and project from a header line."""
    labelled = _PROJECT_LABEL.match(line)
    if labelled or section == "projects":
        name = labelled.group(1) if labelled else line
        return employer, _clean_name(_SEGMENT_SPLIT.split(_DATE_RANGE.sub("", name))[0])
    return employer_from_header(line) or employer, ""


def _achievement_text(line: str) -> str:
    """The cleaned text of an achievement line, or "" when the line is not one."""
    text = _DETAIL_LABEL.sub("", _BULLET.sub("", line)).strip().rstrip("。.;；")
    if not text or not (_BULLET.match(line) or _starts_like_achievement(text)):
        return ""
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    size = cjk + len(re.findall(r"[A-Za-z0-9]+", text))
    return text if 5 <= size <= 80 else ""


def seniority_years(text: str) -> int:
    """Years of experience a text claims ("8 years", "5+ yrs", "5年以上"), else 0."""
    claims = re.findall(
        r"(\d{1,2})\s*\+?\s*(?:years?|yrs?)\b|(\d{1,2})\s*\+?\s*年(?:以上|及以上|经验|工作)",
        text,
        re.IGNORECASE,
    )
    years = [int(a or b) for a, b in claims if int(a or b) <= 40]
    return max(years, default=0)


def experience_span_years(resume_text: str) -> int:
    """Years between the first job's start and the last job's end, from the experience section.

    "Present" is read as the current year, or the latest year the CV mentions if that is later.
    """
    latest = max([date.today().year, *(int(y) for y in _YEAR.findall(resume_text))])
    starts, ends = [], []
    for section, line in _lines_by_section(resume_text):
        if section != "experience" or not line:
            continue
        for match in _DATE_RANGE.finditer(line):
            years = [int(y) for y in _YEAR.findall(match.group())]
            starts.append(years[0])
            ends.append(years[1] if len(years) > 1 else latest)
    return max(0, max(ends) - min(starts)) if starts else 0
