"""A program's comments and docstrings are prose: one that repeats the question earns nothing,
as a sentence repeating it does; the code itself is still judged as code."""

from __future__ import annotations

from app.ai.offline.grading.answer import analyse
from app.ai.offline.grading.grade import grade_answer

LRU_Q = (
    "Implement an LRU cache with O(1) get and put, using a hash map and a doubly linked list, "
    "that evicts the least recently used entry when full."
)
LRU_POINTS = [
    "a hash map from key to list node gives O(1) lookup",
    "a doubly linked list keeps entries in recency order; an accessed entry moves to the front",
    "when over capacity, evict the least recently used entry from the tail",
]
LRU_REF = (
    "Keep a hash map from key to node and a doubly linked list ordered by recency. get looks the "
    "node up in the map and moves it to the front; put inserts at the front and, when over "
    "capacity, removes the tail node and its key. Both are O(1)."
)
# A plain dict with no eviction, under a docstring and a comment that read the question back.
ECHOING_CODE = '''class LRUCache:
    """An LRU cache with O(1) get and put, using a hash map and a doubly linked list."""
    # evicts the least recently used entry when full
    def __init__(self, capacity):
        self.data = {}

    def get(self, key):
        return self.data.get(key)

    def put(self, key, value):
        self.data[key] = value
'''


def test_a_docstring_repeating_the_question_earns_nothing() -> None:
    """The question's words in a docstring or comment cover no key point and are never quoted."""
    result = grade_answer(LRU_Q, ECHOING_CODE, LRU_POINTS, LRU_REF, kind="coding")
    assert result.covered_points == []
    assert result.evidence == {}


HEAP_Q = "Write a function that returns the k largest numbers of a list using a min-heap of size k."
HEAP_POINTS = [
    "keep a min-heap of at most k elements",
    "push each number and pop the smallest when the heap grows past k",
    "O(n log k) time",
]
HEAP_REF = (
    "Keep a min-heap of size k: push each number, and when the heap holds more than k pop the "
    "smallest. What remains are the k largest, in O(n log k) time."
)
HEAP_CODE = '''def k_largest(nums, k):
    """Keep a min-heap of at most k items; pop the smallest when it grows past k."""
    heap = []
    for n in nums:
        heapq.heappush(heap, n)
        if len(heap) > k:
            heapq.heappop(heap)
    return heap
'''


def test_a_docstring_in_the_candidate_s_own_words_keeps_its_credit() -> None:
    """A docstring that explains the code in the candidate's words is evidence like any sentence."""
    result = grade_answer(HEAP_Q, HEAP_CODE, HEAP_POINTS, HEAP_REF, kind="coding")
    assert "keep a min-heap of at most k elements" in result.covered_points


def test_code_stays_one_unit_and_comments_are_its_prose() -> None:
    """Program text between comments is one unit carrying the words its constructs stand for;
    a comment on its own line and a docstring are sentences of their own; an inline comment and
    an #include stay with the code."""
    code = "#include <stdio.h>\nint main() {\n  // print it\n  for (;;) { i--; }  // spin\n}\n"
    analysed = analyse(code, code=True)
    parts = [code[start:end] for start, end in analysed.sentences]
    assert parts == [
        "#include <stdio.h>\nint main() {",
        "print it",
        "for (;;) { i--; }  // spin\n}",
    ]
    assert "loop" in analysed.sentence_terms[0] and "loop" not in analysed.sentence_terms[1]
