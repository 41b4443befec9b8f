"""The skill taxonomy: coverage, aliases in both languages, matching that avoids false friends."""

from __future__ import annotations

import re

import pytest

from app.ai.offline import extract_skills
from app.ai.offline.taxonomy import load_taxonomy, skill_key


def test_taxonomy_covers_enough_skills_and_categories():
    """At least 150 skills in at least 20 categories, every one with aliases."""
    taxonomy = load_taxonomy()
    assert len(taxonomy.skills) >= 150
    assert len(taxonomy.categories) >= 20
    assert all(skill.aliases for skill in taxonomy.skills.values())


def test_skill_ids_are_stable_slugs():
    """Ids are lowercase slugs (bank files and stored sessions refer to them)."""
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", skill_id) for skill_id in load_taxonomy().skills)


def test_no_alias_is_claimed_by_two_skills():
    """An alias names exactly one skill, so a mention is never counted twice."""
    owners: dict[str, str] = {}
    clashes = []
    for skill in load_taxonomy().skills.values():
        for alias in {skill_key(a) for a in skill.aliases}:
            if alias in owners and owners[alias] != skill.id:
                clashes.append((alias, owners[alias], skill.id))
            owners.setdefault(alias, skill.id)
    assert clashes == []


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("负责微服务拆分", "Microservices"),
        ("有分布式系统经验", "Distributed systems"),
        ("支撑高并发场景", "High concurrency"),
        ("设计多级缓存", "Caching strategies"),
        ("熟悉消息队列", "Message queues"),
        ("精通多线程编程", "Multithreading"),
        ("熟悉垃圾回收机制", "Garbage collection"),
        ("熟悉Java、Go语言", "Go"),
        ("熟悉Redis集群", "Redis"),
    ],
)
def test_chinese_aliases_are_found_inside_chinese_text(text, skill):
    """Chinese aliases match as substrings, Latin ones even when glued to Chinese characters."""
    assert skill in extract_skills(text)


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("Languages: Go, Python, Java", {"Go", "Python", "Java"}, set()),
        ("We go live next week and Go-to-market is in May.", set(), {"Go"}),
        ("Built Go microservices; golang since 2018", {"Go"}, set()),
        ("C/C++ developer, also C#", {"C", "C++", "C#"}, set()),
        ("We raised a Series C round; reports to C-level; Plan C", set(), {"C"}),
        ("Grades A, B, C", set(), {"C"}),
        ("C端用户增长，C轮融资", set(), {"C"}),
        ("Designed REST APIs and RESTful services", {"REST"}, set()),
        ("the rest of the team took a rest", set(), {"REST"}),
        ("Spring Boot and Spring MVC", {"Spring Boot", "Spring"}, set()),
        ("Intern, Spring 2021 semester", set(), {"Spring"}),
        ("Node.js and Express on the backend", {"Node.js", "Express"}, set()),
        ("I express ideas clearly", set(), {"Express"}),
        ("Statistics in R, Python and SQL", {"R", "Python", "SQL"}, set()),
        ("Our R&D team", set(), {"R"}),
        ("React Native apps", {"React Native"}, {"React"}),
        ("See https://github.com/someone/http-tools or mail me@site.io", set(), {"Git", "HTTP"}),
        ("a solid understanding of the domain", set(), {"Object-oriented design"}),
    ],
)
def test_ambiguous_names_need_context(text, present, absent):
    """Words that are also ordinary words or letters count only where they mean the technology."""
    found = set(extract_skills(text))
    assert present <= found
    assert not (absent & found)


def test_skills_come_back_in_order_of_first_mention():
    """extract_skills keeps the text's order, without repeats."""
    assert extract_skills("Kafka, then Docker, then Kafka again and PostgreSQL") == [
        "Kafka",
        "Docker",
        "PostgreSQL",
    ]


@pytest.mark.parametrize(
    ("label", "skill_id"),
    [
        ("MySQL", "mysql"),
        ("k8s", "kubernetes"),
        ("golang", "go"),
        ("Go", "go"),
        ("5+ years of Java", "java"),
        ("spring-boot", "spring-boot"),
    ],
)
def test_lookup_reads_ids_names_aliases_and_phrases(label, skill_id):
    """A must-have label resolves to its skill however it is written."""
    skill = load_taxonomy().lookup(label)
    assert skill is not None and skill.id == skill_id


@pytest.mark.parametrize(
    ("text", "skill", "not_skill"),
    [
        ("The container was OOM-killed twice last week.", "Memory management", "JVM tuning"),
        ("具备良好的问题分析和解决能力", "Problem solving", None),
        ("机器学习基础扎实，熟悉分类、回归和排序模型", "Machine learning", "Algorithms"),
        ("手写常见的排序算法", "Algorithms", None),
    ],
)
def test_general_terms_read_as_general_skills(text, skill, not_skill):
    """OOM is a memory problem in any stack, not a JVM tool; 问题分析 is problem solving; a
    排序模型 ranks results (machine learning), only a 排序算法 is a sorting algorithm."""
    found = extract_skills(text)
    assert skill in found
    assert not_skill not in found
