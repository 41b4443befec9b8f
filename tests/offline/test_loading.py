"""Data the grader reads once per process is read once even when many threads ask at once."""

from __future__ import annotations

import threading
import time

from app.ai.offline import dictionary, wordnet
from app.ai.offline.loading import LoadedOnce, loaded_once


def test_threads_asking_together_share_one_load() -> None:
    """A fresh worker's threads reaching the grader together wait for one load, not one each."""
    loads: list[str] = []

    @loaded_once()
    def slow_load(name: str) -> object:
        loads.append(name)
        time.sleep(0.05)  # long enough for every thread to ask before the first load ends
        return object()

    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(slow_load("x"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads == ["x"]
    assert len(results) == 8 and all(r is results[0] for r in results)
    assert slow_load("y") is not results[0] and loads == ["x", "y"]


def test_wordnet_and_the_dictionary_load_once_per_process() -> None:
    """The heavy loaders are the guarded kind (a plain lru_cache lets concurrent misses through)."""
    for loader in (wordnet._index, wordnet._data, dictionary.load_dictionary):
        assert isinstance(loader, LoadedOnce)
