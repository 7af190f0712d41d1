"""Where the pipeline (normalize, classify, enrich) runs for the pipeline agent, and the reply
suggestions for the routing agent: in a thread of the worker (``ThreadRunner``) or in a child
process of its own (``ProcessRunner``, the default on a machine with more than one core;
``TICKETFLOW_PIPELINE_PROCESS``).

Why a process: a worker is bound by one core (the GIL). Under a backlog its event loop, the
routing agent, the SLA/KPI agent and faust's send machinery share that core with the batch
stage, which took 14 % of the worker's CPU under a backlog and 27 % at 500 msg/s (py-spy).
In a child process the batch stage runs on another core, and each agent gets more of the first.
What crosses the boundary is small: the raw records in, the encoded records and the counts the
metrics want out (``EncodedBatch``, no ``Ticket`` objects). Rendering the reply suggestions
(Jinja templates, 15 % of the worker's core once the batch stage had left it) goes the same way:
the routed tickets as they are sent in, the encoded suggestions out (``Suggested``).

The child process:

* is spawned, not forked (the worker runs threads and an event loop), and builds its own
  pipeline and replies from the settings: the intent model, the store's engine, the templates,
  a metrics registry;
* ignores SIGINT: Ctrl-C reaches the whole process group, and the worker stops it; exits by
  itself when the worker is gone, and trims its heap every 10 s (``housekeeping``);
* returns with every batch the samples of its registry, which the worker serves on /metrics
  (``ChildMetrics``), so ``ticketflow_enrichment_*`` are where they always were;
* is supervised by the worker: if it dies, the pool breaks, and the worker starts a new one and
  runs the batch again. A batch on which two children in a row die is dead-lettered
  (``internal_error``), never lost and never retried forever (its suggestions: none, the
  tickets routed all the same). If a new child cannot even start,
  the worker exits (71) without committing, for its supervisor to restart it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, Protocol

from prometheus_client import CollectorRegistry, Counter
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from channels import RawRecord
from channels.dispatch import dead_letter
from core.clock import Clock
from core.errors import TicketflowError
from core.settings import Settings
from replies import Replies
from schemas import ErrorCode
from schemas.routing import RoutedTicket
from streams.pipeline import BatchOutput, EncodedBatch, Pipeline, encode_output
from streams.replies_batch import Suggested, none_suggested, suggest_encoded, suggest_from_json

log = logging.getLogger(__name__)

EXIT_PIPELINE_FAILED = 71  # EX_OSERR: the pipeline process cannot be started again
TRIM_EVERY_S = 10.0
ORPHAN_CHECK_S = 1.0

# (settings, the child's registry) -> its pipeline; a module-level function, so the child can
# unpickle it
Build = Callable[[Settings, CollectorRegistry], Pipeline]


def use_process(settings: Settings, cpu_count: int | None = None) -> bool:
    """``TICKETFLOW_PIPELINE_PROCESS`` if set, else whether the machine has a second core."""
    if settings.pipeline_process is not None:
        return settings.pipeline_process
    return (cpu_count if cpu_count is not None else os.cpu_count() or 1) > 1


class Runner(Protocol):
    def start(self) -> None: ...

    async def run(self, records: list[RawRecord]) -> EncodedBatch: ...

    async def suggest(self, routed: list[RoutedTicket], encoded: list[bytes]) -> Suggested:
        """The suggestions for the first routings of ``routed`` (``encoded``: the same, as
        sent)."""
        ...

    def close(self) -> None: ...


class ThreadRunner:
    """The pipeline in one thread of this process, one batch at a time: the model and the
    database run off the event loop, so heartbeats and fetches go on meanwhile."""

    def __init__(self, pipeline: Pipeline, replies: Replies) -> None:
        self.pipeline, self.replies = pipeline, replies
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ticketflow-pipeline")

    def start(self) -> None:
        pass

    async def run(self, records: list[RawRecord]) -> EncodedBatch:
        return await asyncio.get_running_loop().run_in_executor(self.executor, self._run, records)

    def _run(self, records: list[RawRecord]) -> EncodedBatch:
        return encode_output(self.pipeline.process_safely(records))

    async def suggest(self, routed: list[RoutedTicket], encoded: list[bytes]) -> Suggested:
        return await asyncio.get_running_loop().run_in_executor(
            self.executor, suggest_encoded, self.replies, routed)

    def close(self) -> None:
        self.executor.shutdown(wait=False)


class ChildMetrics(Collector):
    """The child process's metrics as it last reported them, served with the worker's own."""

    def __init__(self) -> None:
        self.families: list[Metric] = []

    def collect(self) -> list[Metric]:
        return self.families


class ProcessRunner:
    """The pipeline in a child process (see the module's docstring)."""

    def __init__(
        self,
        build: Build,
        settings: Settings,
        registry: CollectorRegistry,
        clock: Clock,
        restarts: Counter,
        exit_process: Callable[[int], None] = os._exit,
    ) -> None:
        """``registry`` serves the child's metrics; ``restarts`` counts new children."""
        self.build, self.settings, self.clock = build, settings, clock
        self.restarts, self.exit_process = restarts, exit_process
        self.child_metrics = ChildMetrics()
        registry.register(self.child_metrics)
        self._pool: ProcessPoolExecutor | None = None

    @property
    def pid(self) -> int | None:
        """The child's process id (None before ``start``)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return next(iter(processes), None)

    def start(self) -> None:
        """Spawn the child and wait until its pipeline is built (the model loaded, the store
        reachable). Raises ``TicketflowError`` saying why if it cannot be."""
        pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
        try:
            families = pool.submit(_start_child, self.build, self.settings).result()
        except BrokenProcessPool as exc:
            pool.shutdown(wait=False, cancel_futures=True)
            raise TicketflowError(
                "the pipeline process died while starting; its log lines above say why "
                "(TICKETFLOW_PIPELINE_PROCESS=false runs the pipeline in the worker's own "
                "process)") from exc
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise  # the child's own error, with its message (a missing model, a bad store URL)
        self._pool = pool
        self.child_metrics.families = families

    async def run(self, records: list[RawRecord]) -> EncodedBatch:
        batch = await self._call(_run_in_child, records, "records")
        if batch is None:
            return encode_output(self._dead_letters(records))
        assert isinstance(batch, EncodedBatch)
        return batch

    async def suggest(self, routed: list[RoutedTicket], encoded: list[bytes]) -> Suggested:
        first = [value for r, value in zip(routed, encoded, strict=True) if r.attempt == 1]
        if not first:
            return none_suggested([], "")
        suggested = await self._call(_suggest_in_child, first, "routed tickets to suggest for")
        if suggested is None:
            log.error("the pipeline process died twice on a batch of %d suggestions; none "
                      "for them, the tickets are routed all the same", len(first))
            return none_suggested(routed, "the pipeline process died twice on this batch")
        assert isinstance(suggested, Suggested)
        return suggested

    async def _call(self, call: Callable[[list[Any]], tuple[Any, list[Metric]]],
                    batch: list[Any], what: str) -> Any:
        """``call(batch)`` in the child, its metrics taken; a child that dies is replaced and
        the batch given to the next; None when that one dies too."""
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            assert self._pool is not None, "start() first"
            try:
                result, families = await loop.run_in_executor(self._pool, call, batch)
            except BrokenProcessPool:
                log.error("the pipeline process died on a batch of %d %s (attempt %d); "
                          "starting a new one", len(batch), what, attempt)
                self.restarts.inc()
                await loop.run_in_executor(None, self._restart)
                continue
            self.child_metrics.families = families
            return result
        return None

    def _restart(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        try:
            self.start()
        except Exception as exc:
            log.critical("cannot start the pipeline process again (%s); exiting without "
                         "committing", exc)
            self.exit_process(EXIT_PIPELINE_FAILED)
            raise  # only reached when exit_process is a test double

    def _dead_letters(self, records: Sequence[RawRecord]) -> BatchOutput:
        now = self.clock()
        log.error("the pipeline process died twice on a batch of %d records; dead-lettered",
                  len(records))
        return BatchOutput(records=len(records), deadletters=[
            dead_letter(r, ErrorCode.INTERNAL_ERROR,
                        "The pipeline process died twice on this record's batch (killed, out of "
                        "memory or a crash in native code); replay the original after the fix.",
                        now)
            for r in records
        ])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def build_pipeline(settings: Settings, registry: CollectorRegistry) -> Pipeline:
    """The worker's pipeline: normalize (the shop's order formats), then classify and enrich
    over the whole batch. Loads the intent and language models. A ``Build``."""
    from functools import partial

    from channels.orders import shop_order_formats
    from classifiers.artifact import ensure_model
    from classifiers.classify import classify_tickets
    from classifiers.language import detect_languages
    from core.clock import system_clock
    from enrichment.enrich import segment_rules
    from enrichment.stage import EnrichStage
    from store.db import make_engine, make_session_factory, url_for
    from streams.pipeline import NamedStage

    model = ensure_model(settings.models_dir, settings.model_dir, log.info)
    detect_languages(["load the language model now, so that it is frozen with the rest"])
    return Pipeline(
        clock=system_clock,
        order_formats=shop_order_formats(settings.shop_file),
        max_payload_bytes=settings.max_payload_bytes,
        redact=settings.redact,
        stages=[
            NamedStage("classify", partial(classify_tickets, model=model,
                                           threshold=settings.triage_threshold)),
            NamedStage("enrich", EnrichStage(
                make_session_factory(make_engine(url_for(settings))),
                clock=system_clock, rules=segment_rules(settings), registry=registry,
            )),
        ],
    )


def make_runner(settings: Settings, registry: CollectorRegistry, clock: Clock,
                restarts: Counter, replies: Replies, build: Build = build_pipeline) -> Runner:
    """The runner ``use_process`` chooses, started: its pipeline built (in the child, or here).
    ``restarts`` counts the child's restarts (stays 0 in a thread); ``replies``: the worker's
    (a child loads its own from the same settings)."""
    runner: Runner = (ProcessRunner(build, settings, registry, clock, restarts)
                      if use_process(settings)
                      else ThreadRunner(build(settings, registry), replies))
    runner.start()
    return runner


# --- in the child process --------------------------------------------------------------------

_child: tuple[Pipeline, Replies, CollectorRegistry] | None = None


def _start_child(build: Build, settings: Settings) -> list[Metric]:
    global _child
    from core.logs import configure_logging
    from streams.gc_tuning import memory_trimmer, tune_gc

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    housekeeping(os.getppid(), memory_trimmer())
    configure_logging(settings.log_format, settings.log_level)
    registry = CollectorRegistry()
    _child = (build(settings, registry), Replies.from_settings(settings), registry)
    tune_gc()  # the model and the modules frozen, young collections rarer (gc_tuning)
    return list(registry.collect())


def housekeeping(parent: int, trim: Callable[[], int], every_s: float = ORPHAN_CHECK_S,
                 trim_every_s: float = TRIM_EVERY_S,
                 exit_process: Callable[[int], None] = os._exit,
                 stop: threading.Event | None = None) -> threading.Thread:
    """A daemon thread of the child (until ``stop`` is set) that

    * exits the process once ``parent`` is no longer its parent. A worker killed with SIGKILL
      (or exiting through ``os._exit``) never shuts its pool down, and its child would wait
      for the next batch forever: the pool's call queue is a ``multiprocessing.Queue``, whose
      pickled state gives the child the writing end too, so it never sees end-of-file;
    * trims the heap every ``trim_every_s`` (``gc_tuning.memory_trimmer``), idle or not: after
      a burst the freed batches' memory stays in the heap, and an idle child gets no batch
      that could trim it (the worker trims its own heap on a timer likewise)."""
    stopped = stop or threading.Event()

    def watch() -> None:
        trimmed = time.monotonic()
        while os.getppid() == parent:
            if stopped.wait(every_s):
                return
            if time.monotonic() - trimmed >= trim_every_s:
                trimmed = time.monotonic()
                trim()
        exit_process(0)

    thread = threading.Thread(target=watch, name="ticketflow-child-housekeeping", daemon=True)
    thread.start()
    return thread


def _run_in_child(records: list[RawRecord]) -> tuple[EncodedBatch, list[Metric]]:
    assert _child is not None, "_start_child first"
    pipeline, _, registry = _child
    return encode_output(pipeline.process_safely(records)), list(registry.collect())


def _suggest_in_child(routed: list[bytes]) -> tuple[Suggested, list[Metric]]:
    assert _child is not None, "_start_child first"
    _, replies, registry = _child
    return suggest_from_json(replies, routed), list(registry.collect())
