"""A copy of the reference with one fact turned around is a wrong answer, not a good one."""

from __future__ import annotations

import re

import pytest

from app.ai.offline.bank import load_bank
from app.ai.offline.grading import grade_answer
from app.ai.offline.grading.copies import tokens, turned_around


def _turned(truth: str, said: str) -> bool:
    return turned_around(tokens(truth), tokens(said))


@pytest.mark.parametrize(
    ("truth", "said"),
    [
        (
            "The client sends a SYN with its sequence number and the server replies with SYN-ACK.",
            "The server sends a SYN with its sequence number and the client replies with SYN-ACK.",
        ),
        (
            "Fit the scaler on the training data only, then apply it to the test data.",
            "Fit the scaler on the test data only, then apply it to the training data.",
        ),
        (
            "Validation loss starts rising while training loss keeps falling.",
            "Training loss starts rising while validation loss keeps falling.",
        ),
        (
            "Client-side validation can be bypassed by anyone.",
            "Client-side validation cannot be bypassed by anyone.",
        ),
        (
            "The tree is wide and shallow, so a lookup reads few pages.",
            "The tree is narrow and deep, so a lookup reads few pages.",
        ),
        (
            "Three messages are the minimum for both sides to sync.",
            "Two messages are the minimum for both sides to sync.",
        ),
        (
            "对一个 volatile 变量的写先行发生于后续对它的读",
            "对一个 volatile 变量的读先行发生于后续对它的写",
        ),
        ("线程的创建和切换开销比进程小得多", "线程的创建和切换开销比进程大得多"),
    ],
)
def test_a_swap_an_opposite_a_negation_or_a_number_turns_a_copy_around(
    truth: str, said: str
) -> None:
    assert _turned(truth, said)


@pytest.mark.parametrize(
    ("truth", "said"),
    [
        (
            "Symmetric ciphers such as AES or ChaCha20 are fast.",
            "Symmetric ciphers such as ChaCha20 or AES are fast.",
        ),
        (
            "It protects reference counting and interpreter state.",
            "It protects interpreter state and reference counting.",
        ),
        (
            "The GIL is released while waiting on I/O.",
            "The GIL is released while it waits for I/O.",
        ),
        (
            "Merge keeps history intact and is safe on shared branches.",
            "Merge keeps history intact and is safe on shared branches.",
        ),
        (
            "Use a TTL on every key as a safety net.",
            "Put a TTL on every single key as a safety net.",
        ),
        ("进程、线程和协程都可以并发执行", "线程、进程和协程都可以并发执行"),
        ("A hash can't be decrypted by anyone.", "A hash is one-way for anyone."),
        ("Write the row before you delete the key.", "Before you delete the key, write the row."),
        (
            "The tree has three or four levels for millions of rows.",
            "The tree has 3 or 4 levels for millions of rows.",
        ),
    ],
)
def test_a_list_reordered_a_synonym_or_an_exact_copy_is_no_reversal(truth: str, said: str) -> None:
    assert not _turned(truth, said)


# Role and opposite words a bank reference often pairs in one sentence.
_PAIRS = (
    ("client", "server"),
    ("training", "test"),
    ("before", "after"),
    ("read", "write"),
    ("public", "private"),
    ("faster", "slower"),
    ("客户端", "服务端"),
    ("之前", "之后"),
    ("读", "写"),
)


def _swap_once(reference: str) -> str | None:
    """The reference with the two words of one pair swapped in the first sentence holding both
    with other words between them (swapping "read and write" or "读写" changes nothing)."""
    for sentence in re.split(r"(?<=[.;。；])", reference):
        for a, b in _PAIRS:
            if a.isascii():
                gap = rf"\b{a}\b(.+?)\b{b}\b|\b{b}\b(.+?)\b{a}\b"
            else:
                gap = f"{a}(.+?){b}|{b}(.+?){a}"
            m = re.search(gap, sentence)
            between = m and (m.group(1) or m.group(2) or "")
            if not between or not re.search(
                r"[^\W\d_]{2,}", re.sub(r"\b(and|or)\b|[和或与及]", "", between)
            ):
                continue
            first, second = (a, b) if m.group(1) is not None else (b, a)
            swapped = sentence[: m.start()] + second + between + first + sentence[m.end() :]
            return reference.replace(sentence, swapped, 1)
    return None


def test_role_swapped_reference_copies_score_well_below_the_reference() -> None:
    """Over the bank: swapping two roles in one sentence of the reference sinks it below 40 and at
    least 40 points below the reference itself, in nearly every case."""
    tried, kept = 0, []
    for entry in load_bank().questions:
        if entry.kind in ("behavioral", "project"):
            continue
        swapped = _swap_once(entry.reference_answer)
        if swapped is None:
            continue
        cues = [list(kp.cues) for kp in entry.key_points]
        args = (entry.text, swapped, entry.points, entry.reference_answer)
        bad = grade_answer(*args, kind=entry.kind, cues=cues)
        good = grade_answer(
            *args[:1], entry.reference_answer, *args[2:], kind=entry.kind, cues=cues
        )
        tried += 1
        if not (bad.score < 40 and good.score - bad.score >= 40):
            kept.append((entry.id, good.score, bad.score))
    assert tried >= 30
    assert len(kept) <= tried // 10, kept


def test_a_reversed_sentence_covers_no_point_and_is_reported() -> None:
    """The point the reversed sentence speaks against is not covered, and the error quotes it."""
    entry = next(q for q in load_bank().questions if q.id == "dm-overfitting")
    answer = entry.reference_answer.replace(
        "performs well on training data but poorly on new data",
        "performs poorly on training data but well on new data",
    )
    grade = grade_answer(entry.text, answer, entry.points, entry.reference_answer)
    assert grade.score < 35
    assert any("poorly on training data" in e["quote"] for e in grade.errors)
    for error in grade.errors:
        assert error["quote"].strip("…") in answer or error["quote"].split("…")[0] in answer
    reversed_point = next(e["point"] for e in grade.errors if "poorly on training" in e["quote"])
    assert reversed_point not in grade.covered_points
