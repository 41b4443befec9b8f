"""Reading job descriptions and CVs: must-haves vs nice-to-haves, employers and achievements."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.ai.offline import split_requirements
from app.ai.offline.cv import employer_from_header, experience_span_years, read_achievements

PAIRS = Path(__file__).parent / "pairs"
EXPECT = json.loads((PAIRS / "pairs.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("slug", sorted(EXPECT))
def test_requirements_split_into_must_and_nice(slug):
    """Requirement sections give must-haves, "preferred/bonus/加分" sections nice-to-haves."""
    must, nice = split_requirements((PAIRS / f"{slug}.job.txt").read_text(encoding="utf-8"))
    assert set(EXPECT[slug]["must"]) <= set(must)
    assert set(EXPECT[slug]["nice"]) <= set(nice)
    assert not set(must) & set(nice)


@pytest.mark.parametrize(
    ("job", "must", "nice"),
    [
        ("Requirements:\n- Java; Kafka is a plus", ["Java"], ["Kafka"]),
        (
            "We need React and TypeScript. Jest is a bonus.",
            ["React", "TypeScript"],
            ["Unit testing"],
        ),
        ("任职要求：\n1、熟悉MySQL\n2、有Go语言经验者优先", ["MySQL"], ["Go"]),
        ("About us\nWe love Python.\nRequirements\n- Rust", ["Rust"], []),
    ],
)
def test_inline_hedges_and_company_blurbs(job, must, nice):
    """Hedged clauses are nice-to-haves; the company blurb requires nothing."""
    assert split_requirements(job) == (must, nice)


@pytest.mark.parametrize("slug", sorted(EXPECT))
def test_employers_are_read_from_every_cv_layout(slug):
    """ "Title at Company", "Company | Title | dates", "公司：…" and date-first Chinese lines."""
    text = (PAIRS / f"{slug}.resume.txt").read_text(encoding="utf-8")
    employers = {a.employer for a in read_achievements(text)}
    assert set(EXPECT[slug]["employers"]) <= employers


@pytest.mark.parametrize(
    ("line", "employer"),
    [
        ("Senior Engineer at Acme Corp (2019 – 2023)", "Acme Corp"),
        ("Acme Corp — Backend Engineer, Berlin", "Acme Corp"),
        ("Backend Developer @ Flowlane (2021 - present)", "Flowlane"),
        ("2019.07 - 2023.03  阿里巴巴  高级Java开发工程师", "阿里巴巴"),
        ("公司：字节跳动", "字节跳动"),
        ("Software Engineer | Contoso Retail | 2016 - 2019", "Contoso Retail"),
    ],
)
def test_employer_header_lines(line, employer):
    """The employer is picked out of a header line, not the title or the dates."""
    assert employer_from_header(line) == employer


def test_achievements_keep_their_project_and_drop_headers():
    """Bullets and labelled duties are achievements; section and project headers are not."""
    text = (PAIRS / "zh-backend.resume.txt").read_text(encoding="utf-8")
    items = read_achievements(text)
    assert any(a.project == "秒杀系统" and "Redis" in a.text for a in items)
    assert not any("工作经历" in a.text or "专业技能" in a.text for a in items)
    assert sum(a.has_metric for a in items) >= 4


def test_experience_span_ignores_education_dates():
    """Years of experience come from the experience section only."""
    text = (PAIRS / "junior-python.resume.txt").read_text(encoding="utf-8")
    assert experience_span_years(text) == 0


def test_cv_without_section_headings_is_still_read():
    """A pasted CV with no "Experience" heading still yields its achievements and employer."""
    text = (
        "Jane Doe\nBackend developer, Acme Corp (2019 - 2024)\n"
        "- Built the billing API in Go serving 3k rps\nSkills\nGo, Postgres"
    )
    items = read_achievements(text)
    assert [(a.employer, a.text) for a in items] == [
        ("Acme Corp", "Built the billing API in Go serving 3k rps")
    ]
