"""Data read once per process, however many threads ask for it first.

`functools.lru_cache` keeps a result but does not stop concurrent first calls: when a fresh web
worker's threads all reach the grader at once, each would parse WordNet or CC-CEDICT itself, all
under one interpreter lock (seconds of delay for every request in flight). `loaded_once` makes the
first caller load while the others wait for its result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from functools import _CacheInfo, lru_cache, update_wrapper
from typing import Generic, TypeVar

R = TypeVar("R")


class LoadedOnce(Generic[R]):
    """A cached loader whose misses are taken one at a time; hits wait only for a miss in flight."""

    def __init__(self, load: Callable[..., R], maxsize: int | None) -> None:
        self._cached = lru_cache(maxsize=maxsize)(load)
        self._lock = threading.Lock()
        update_wrapper(self, load)

    def __call__(self, *args: Hashable) -> R:
        with self._lock:
            return self._cached(*args)

    def cache_info(self) -> _CacheInfo:
        """The underlying cache's hits, misses and size."""
        return self._cached.cache_info()

    def cache_clear(self) -> None:
        """Forget what was loaded."""
        self._cached.cache_clear()


def loaded_once(maxsize: int | None = None) -> Callable[[Callable[..., R]], LoadedOnce[R]]:
    """Decorate a loader so each distinct argument is loaded once per process."""
    return lambda load: LoadedOnce(load, maxsize)
