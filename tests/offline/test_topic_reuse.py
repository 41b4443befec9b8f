"""A question worded afresh reuses what its key points and reference were prepared into, and is
prepared exactly as if nothing had been reused."""

from __future__ import annotations

from app.ai.offline.grading.topic import point_under, prepare_topic, reference_vocabulary

REFERENCE = (
    "A B-tree keeps keys sorted in pages, so a range scan reads neighbouring pages in order."
)
POINTS = ("Keys are kept sorted in pages", "A range scan reads neighbouring pages in order")


def test_a_new_wording_is_prepared_as_the_first_was_prepared() -> None:
    """The second wording gets the same points and vocabulary it would get on its own."""
    first = prepare_topic(
        "How does a B-tree index serve range scans?", POINTS, REFERENCE, (), False
    )
    other = "Explain how range scans use a B-tree index."
    again = prepare_topic(other, POINTS, REFERENCE, (), False)
    for cached in (prepare_topic, point_under, reference_vocabulary):
        cached.cache_clear()
    alone = prepare_topic(other, POINTS, REFERENCE, (), False)
    assert again == alone
    assert first.points[0].text == again.points[0].text


def test_a_key_point_listed_twice_is_two_points() -> None:
    """Points are told apart by identity, so a repeated key point is never one shared object."""
    topic = prepare_topic("What does a B-tree keep?", (POINTS[0], POINTS[0]), REFERENCE, (), False)
    assert topic.points[0] is not topic.points[1]
    assert topic.points[0] == topic.points[1]
