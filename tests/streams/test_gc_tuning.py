from __future__ import annotations

import gc

import pytest

from streams.gc_tuning import THRESHOLDS, tune_gc


def test_tune_gc_freezes_the_heap_and_sets_the_thresholds() -> None:
    before = gc.get_threshold()
    kept = [object() for _ in range(3)]  # alive at the freeze
    try:
        frozen = tune_gc()
        assert frozen == gc.get_freeze_count() > 0
        assert gc.get_threshold() == THRESHOLDS
        # frozen objects are no longer in any generation a collection traverses
        assert not any(o is kept for g in range(3) for o in gc.get_objects(g))
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_garbage_is_still_collected_after_tuning() -> None:
    before = gc.get_threshold()
    try:
        tune_gc()

        class Node:
            other: object

        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
        assert gc.collect() >= 2
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_memory_trimmer_returns_free_heap_pages() -> None:
    """Freed memory below a block still in use stays in the process (RSS) until trimmed."""
    from pathlib import Path

    from streams.gc_tuning import memory_trimmer

    def rss_mb() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")

    trim = memory_trimmer()
    blocks = [bytearray(64 * 1024) for _ in range(2000)]  # ≈128 MB from malloc's heap
    pin = bytearray(64 * 1024)  # above them: free() alone cannot give their pages back
    del blocks
    before = rss_mb()
    released = trim()
    after = rss_mb()
    if released == 0 and before - after < 1:
        pytest.skip("not glibc, or nothing to release here")
    assert before - after > 64, (before, after)
    del pin
