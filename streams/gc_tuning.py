"""The worker's garbage-collector settings: the startup heap frozen, young collections rarer.

Measured on ``ticketflow bench pipeline`` (one worker, backlog of 10k records): with CPython's
defaults (thresholds 700/10/10) the worker spent ≈30 % of its CPU in the cyclic GC (11.6 s of
35 s), ≈75 % of that in full collections of ≈200 ms each. A full collection traverses every
container alive: the intent model's vocabularies and feature names, the language model's
tables, every module, function and class of faust, sklearn, SQLAlchemy and pydantic
(≈290k objects) — none of which ever becomes garbage. And with a young generation of 700
objects, the objects of a batch in flight (its tickets, their models, the records) were promoted
while still in use, so the old generation grew and full collections came every second or two.

* :func:`gc.freeze` after startup moves everything alive then (models loaded, agents
  registered) to the permanent generation, which collections never traverse.
* A young generation of 50 000 objects: a batch's short-lived objects mostly die young, and
  a young collection runs ≈70× less often (10 000 cut the GC time from 11.6 s to 2.2 s over
  a 10k backlog and a 20 s latency run, 50 000 to 1.4 s; RSS unchanged).

Nothing here changes what is freed, only when: cyclic garbage lives a little longer (RSS did
not move measurably). Call :func:`tune_gc` once, when startup is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable

THRESHOLDS = (50_000, 20, 10)  # young, middle, old (CPython's defaults: 700, 10, 10)


def tune_gc(thresholds: tuple[int, int, int] = THRESHOLDS) -> int:
    """Collect, freeze what survives, set the thresholds; returns the number of objects
    frozen."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*thresholds)
    return gc.get_freeze_count()


def memory_trimmer() -> Callable[[], int]:
    """glibc's ``malloc_trim(0)``: hand the heap's free pages back to the system. Under a backlog
    the worker holds many batches in flight at once (fetched, buffered, encoded); once they are
    done that memory is free but stays in the process's heap, so RSS kept the peak of the last
    burst. Returns a function that trims and says whether anything was released (1) or not
    (0); a no-op returning 0 where the C library is not glibc."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    trim = getattr(libc, "malloc_trim", None)
    if trim is None:
        return lambda: 0
    return lambda: int(trim(0))
