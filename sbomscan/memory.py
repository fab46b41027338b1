"""How sbomscan spends collector time and cache memory: the one way to pause Python's
cyclic garbage collector (:func:`gc_paused`) and the one rule that bounds a memo cache
(:func:`make_room`).

Reading, graph building and a scan make records that live as long as the result and free
almost nothing meanwhile, so every collection the allocations trigger walks the whole
growing heap and finds nothing: on a 100,000-component SBOM that costs about as much as the
reading itself (benchmarks/bench_ingest.py, bench_scan.py). The stages wrap their bulk work in
:func:`gc_paused` — a context manager, or a decorator as ``@gc_paused()`` — which restores the
collector's previous state however the block ends (a collector the caller had disabled stays
disabled). Nested pauses are harmless: the innermost sees the collector already off.

>>> import gc
>>> with gc_paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["CACHE_LIMIT", "gc_paused", "make_room"]

CACHE_LIMIT = 100_000
"""Entries a memo cache keeps before it starts again (about 10-30 MB for the matcher's keys)."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (or decorated call), then restore it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def make_room(cache: dict[Any, Any] | set[Any], limit: int = CACHE_LIMIT) -> None:
    """Empty ``cache`` when it holds more than ``limit`` entries; call it before storing.

    The memo caches of matching and reading remember what repeats in an SBOM (suppliers,
    URLs, purl namespaces). Emptying the whole cache when it is full, rather than evicting
    one entry at a time, keeps the miss path to one length check and the memory bounded on
    an SBOM of millions of distinct values; what repeats is soon remembered again.

    >>> seen = {1: "a", 2: "b"}
    >>> make_room(seen, limit=1)
    >>> seen
    {}
    """
    if len(cache) > limit:
        cache.clear()
