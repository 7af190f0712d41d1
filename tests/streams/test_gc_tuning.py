from __future__ import annotations

import gc

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
