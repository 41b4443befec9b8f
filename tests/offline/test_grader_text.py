"""Text primitives the grader, insights and follow-ups share."""

from __future__ import annotations

import pytest

from app.ai.offline import text as tx
from app.ai.offline.grading.phrases import PhraseIndex, contains_phrase, find_phrase
from app.ai.offline.grading.validity import looks_like_noise


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Explain the JavaScript event loop.", "en"),
        ("JVM 会自动回收没用的对象", "zh"),
        ("synchronized 和 ReentrantLock 有什么区别？", "zh"),
        ("We used Redis (缓存) for sessions and Kafka for events in production.", "en"),
        ("", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    """Chinese wins when Chinese characters carry the text, even around English terms."""
    assert tx.detect_language(text) == language


@pytest.mark.parametrize(
    "words",
    [
        ("caching", "cached", "caches", "cache"),
        ("queue", "queued", "queues", "queuing"),
        ("consistency", "consistent", "consistently"),
        ("availability", "available"),
        ("replication", "replicated", "replicate"),
        ("serialise", "serialize", "serialization"),
        ("iterator", "iterative", "iteration", "iterate"),
        ("memoised", "memoized", "memoization"),
        ("running", "run", "runs"),
        ("difference", "differ"),
    ],
)
def test_stemming_brings_word_forms_together(words: tuple[str, ...]) -> None:
    """Inflections, derivations and British/American spellings meet on one stem."""
    assert len({tx.stem(w) for w in words}) == 1


def test_synonyms_and_stopwords() -> None:
    """Synonym groups fold together; stopwords are not content; negation reads as "not"."""
    assert tx.term("one") == tx.term("single")
    assert tx.term("k8s") == tx.term("kubernetes")
    assert tx.term("have") == "have" and not tx.is_content(tx.term("have"))
    assert [t.term for t in tx.tokens("doesn't")] == ["not"]
    assert tx.has_negation("threads don't share memory")
    assert tx.has_negation("不保证原子性")
    assert not tx.has_negation("threads share memory")


def test_tokens_keep_spans_and_split_camel_case() -> None:
    """Spans point back into the text; camelCase yields the whole word and its parts."""
    text = "Use setTimeout here"
    toks = tx.tokens(text)
    assert {t.term for t in toks} >= {"settimeout", "set", "timeout"}
    assert all(text[t.start : t.end] == t.surface for t in toks)


def test_io_is_one_word_and_latin_abbreviations_are_no_words() -> None:
    """ "I/O" reads as the word "io" and "e.g." / "i.e." as nothing, in any case; "I/Obound" and
    "e.g" without its last dot are left as written."""
    assert [t.term for t in tx.tokens("Async I/O helps, E.g. sockets")] == [
        tx.term("async"),
        "io",
        tx.term("helps"),
        tx.term("sockets"),
    ]
    assert [(t.term, t.start) for t in tx.tokens("i/o, i.e. bound")] == [("io", 0), ("bound", 10)]
    assert [t.term for t in tx.tokens("I/Obound e.g")] == ["i", "obound", "e", "g"]


def test_cjk_bigrams_skip_function_characters() -> None:
    """Chinese is compared by character pairs; pairs glued by 的/了/是 are dropped."""
    assert tx.cjk_bigrams("可达性分析") == ["可达", "达性", "性分", "分析"]
    assert "的对" not in tx.cjk_bigrams("不可达的对象")
    assert tx.cjk_bigrams("堆") == ["堆"]
    assert "可达" in tx.content_terms("JVM 用可达性分析")


def test_phrase_matching_in_both_languages() -> None:
    """Latin phrases match stemmed and in order with small gaps; Chinese ignores spaces/hyphens."""
    assert contains_phrase("Only one thread runs at any time.", "one thread at a time")
    assert not contains_phrase("Time for one thread.", "one thread at a time")
    assert contains_phrase("算法有标记 清除和复制", "标记-清除")
    text = "It uses I/O-bound threads."
    start, end = find_phrase(text, "I/O-bound") or (0, 0)
    assert "I/O-bound" in text[start:end]
    assert find_phrase("nothing here", "global lock") is None


def test_phrase_lookups_on_one_prepared_text() -> None:
    """One prepared answer serves Latin and Chinese cues alike: a Chinese cue is found at its
    place in mixed text (full-width letters before it), never in ASCII text, and a Latin cue with
    a term the text lacks is not found."""
    mixed = PhraseIndex("Ｊａｖａ 的 synchronized 保证 互-斥 访问")
    start, end = mixed.find("互斥") or (0, 0)
    assert mixed.text[start:end] == "互-斥"
    assert mixed.find("保证互斥") is not None
    assert mixed.find("synchronized") is not None
    assert PhraseIndex("mutual exclusion only").find("互斥") is None
    assert PhraseIndex("one thread at a time").find("one thread at any moment") is None


def test_sentences_and_quotes() -> None:
    """Sentences split on both scripts' punctuation; quotes are short and marked when cut."""
    assert tx.split_sentences("Use e.g. Redis. Then wait! 中文。第二句；third") == [
        "Use e.g. Redis.",
        "Then wait!",
        "中文",
        "第二句",
        "third",
    ]
    text = "word " * 40 + "KEY PHRASE " + "word " * 40
    at = text.index("KEY")
    snippet = tx.quote(text, at, at + len("KEY PHRASE"))
    assert "KEY PHRASE" in snippet and snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 80


@pytest.mark.parametrize(
    ("word", "noise"),
    [("asdfgh", True), ("zxcv", True), ("trrr", True), ("hello", False), ("thread", False)],
)
def test_noise_words(word: str, noise: bool) -> None:
    """Keyboard mashes and stuck keys read as noise; ordinary words do not."""
    assert looks_like_noise(word) is noise
