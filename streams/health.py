"""The worker's HTTP endpoint on ``TICKETFLOW_METRICS_PORT``: ``/metrics`` (Prometheus text,
the injected registry), ``/livez`` and ``/readyz``; any other path is a 404.

* ``/livez``: 200 when the worker's asyncio event loop ran a callback posted to it
  (``call_soon_threadsafe``) within ``LIVE_TIMEOUT_S``; 503 otherwise (a loop blocked by a
  synchronous call, or closed). Before the loop runs (model loading, start-up) the process is
  starting, not stuck: 200 with that said.
* ``/readyz``: 200 or 503 with ``{"ready": …, "checks": {…}}`` (``streams/readiness.py`` says
  what each check means). The broker and the database are asked by probes in their own daemon
  threads, so a request never waits for a slow broker or database; a probe that has not
  reported for a while fails its check. The consumer-group and table-recovery facts are read on
  the event loop itself, by the same kind of posted callback as ``/livez``.

The same evaluation runs every ``EVALUATE_EVERY_S`` in a daemon thread: it keeps the gauges
``ticketflow_ready`` and ``ticketflow_readiness_check{check}`` current and logs the worker's one
"ready" line (INFO) the first time every check passes.

Served by the standard library (``wsgiref``, one thread per request, daemon threads);
``/metrics`` is prometheus_client's own WSGI app, so it answers exactly as
``start_http_server`` did (content negotiation, gzip, ``name[]`` filters).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any, TypeVar
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import faust
from prometheus_client import CollectorRegistry, Gauge, make_wsgi_app

from core.settings import KafkaSecurity
from streams.faust_adapter import is_rebalancing
from streams.readiness import (
    CHECKS,
    Check,
    LoopFacts,
    Probed,
    database_check,
    fresh,
    loop_checks,
    ruleset_check,
    verdict,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

LIVE_TIMEOUT_S = 1.0
BROKER_PROBE_EVERY_S = 2.0
BROKER_TIMEOUT_S = 3.0
DATABASE_PROBE_EVERY_S = 5.0
DATABASE_TIMEOUT_S = 6.0  # PostgreSQL's connect timeout (store/db.py) is 5 s
EVALUATE_EVERY_S = 2.0


class Prober:
    """Calls ``probe`` every ``every_s`` in a daemon thread and keeps its last result."""

    def __init__(self, name: str, probe: Callable[[], Check], every_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self.probe = probe
        self.every_s = every_s
        self.clock = clock
        self.last: Probed | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"ticketflow-health-{name}",
                                        daemon=True)

    def start(self) -> Prober:
        self._thread.start()
        return self

    def run_once(self) -> Probed:
        try:
            check = self.probe()
        except Exception as exc:  # a probe's own failure is the check's failure, said
            check = Check(False, f"{self.name} probe failed: {type(exc).__name__}: {exc}")
        self.last = Probed(check, self.clock())
        return self.last

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.every_s)

    def stop(self) -> None:
        self._stop.set()


def broker_probe(bootstrap: str, security: KafkaSecurity,
                 timeout_s: float = BROKER_TIMEOUT_S) -> Callable[[], Check]:
    """A metadata request to the cluster with kafka-python's admin client, which is kept
    between calls and made again after a failure."""
    from kafka import KafkaAdminClient

    from streams.kafka_security import kafka_python_options

    held: list[Any] = []

    def probe() -> Check:
        try:
            if not held:
                held.append(KafkaAdminClient(
                    bootstrap_servers=bootstrap.split(","), client_id="ticketflow-health",
                    request_timeout_ms=int(timeout_s * 1000),
                    bootstrap_timeout_ms=int(timeout_s * 1000),
                    **kafka_python_options(security)))
            brokers = held[0].describe_cluster()["brokers"]
        except Exception as exc:
            for admin in held:
                with contextlib.suppress(Exception):  # a broken client; the error is below
                    admin.close()
            held.clear()
            return Check(False, f"no answer from {bootstrap} within {timeout_s:g} s "
                         f"({type(exc).__name__}: {exc})")
        return Check(True, f"{len(brokers)} broker(s) answer at {bootstrap}")

    return probe


def database_probe(engine: Any) -> Callable[[], Check]:
    """One ``SELECT 1`` on the enrichment store's engine (``store.db.check``)."""
    from store.db import check
    from store.errors import StoreError, StoreUnavailable, describe

    where = describe(engine.url)

    def probe() -> Check:
        try:
            check(engine)
        except StoreUnavailable as exc:
            return database_check(exc, where, transient=True)
        except StoreError as exc:
            return database_check(exc, where, transient=False)
        return database_check(None, where, transient=False)

    return probe


def describe_assignment(tps: Iterable[Any]) -> str:
    """``12 (inbound.chat 0-3, tickets.routed 1,3)``: partitions per topic, for the log."""
    by_topic: dict[str, list[int]] = {}
    for tp in tps:
        by_topic.setdefault(tp.topic, []).append(tp.partition)
    if not by_topic:
        return "none (more workers than partitions)"
    parts = []
    for topic, partitions in sorted(by_topic.items()):
        ps = sorted(partitions)
        contiguous = ps == list(range(ps[0], ps[-1] + 1)) and len(ps) > 2
        parts.append(f"{topic} {ps[0]}-{ps[-1]}" if contiguous else
                     f"{topic} {','.join(map(str, ps))}")
    return f"{sum(map(len, by_topic.values()))} ({', '.join(parts)})"


class WorkerHealth:
    """What ``/livez`` and ``/readyz`` answer, for one worker process."""

    def __init__(
        self, registry: CollectorRegistry, broker: Prober, database: Prober,
        metrics_url: str | None = None, clock: Callable[[], float] = time.monotonic,
        live_timeout_s: float = LIVE_TIMEOUT_S,
    ) -> None:
        self.broker = broker
        self.database = database
        self.metrics_url = metrics_url
        self.clock = clock
        self.live_timeout_s = live_timeout_s
        self.loop: asyncio.AbstractEventLoop | None = None
        self._app: faust.App | None = None
        self._joined = False
        self._ruleset: Callable[[], tuple[str, str]] | None = None
        self._announced = threading.Lock()
        self._ready_said = False
        self._stop = threading.Event()
        self.ready_gauge = Gauge("ticketflow_ready",
                                 "1 when every readiness check passes (/readyz answers 200).",
                                 registry=registry)
        self.check_gauge = Gauge("ticketflow_readiness_check",
                                 "1 when this readiness check passes (the checks of /readyz).",
                                 ["check"], registry=registry)
        self.ready_gauge.set(0)
        for name in CHECKS:
            self.check_gauge.labels(name).set(0)

    # -- wiring -----------------------------------------------------------------------------

    def watch_app(self, app: faust.App) -> None:
        """Follow ``app``'s consumer group (a rebalance completed: joined)."""
        self._app = app

        said: list[str] = []

        async def on_rebalance_complete(sender: Any, *args: Any, **kwargs: Any) -> None:
            self._joined = True
            summary = describe_assignment(tp for tp in app.consumer.assignment()
                                          if not tp.topic.endswith("-changelog"))
            if said != [summary]:  # faust signals twice per rebalance with tables
                said[:] = [summary]
                log.info("partitions assigned: %s", summary)

        app.on_rebalance_complete.connect(on_rebalance_complete)  # type: ignore[arg-type]

    def watch_ruleset(self, active: Callable[[], tuple[str, str]]) -> None:
        """``active()``: the active ruleset's (name, version)."""
        self._ruleset = active

    def loop_started(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def start(self) -> WorkerHealth:
        """The probes, and the evaluation that keeps the gauges and says "ready" once."""
        self.broker.start()
        self.database.start()
        threading.Thread(target=self._evaluate_forever, name="ticketflow-health",
                         daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.broker.stop()
        self.database.stop()

    # -- the event loop ---------------------------------------------------------------------

    def ask_loop(self, fn: Callable[[], T], timeout_s: float) -> tuple[T | None, str]:
        """``fn()`` run on the worker's event loop, waited for at most ``timeout_s``; (None,
        why) when the loop is not running yet, closed, or did not run it in time."""
        loop = self.loop
        if loop is None:
            return None, "starting: the event loop is not running yet"
        done = threading.Event()
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["value"] = fn()
            except Exception as exc:
                box["error"] = exc
            finally:
                done.set()

        try:
            loop.call_soon_threadsafe(run)
        except RuntimeError:
            return None, "the event loop is closed"
        if not done.wait(timeout_s):
            return None, f"the event loop did not answer within {timeout_s:g} s"
        if "error" in box:
            return None, f"reading the worker's state failed: {box['error']!r}"
        return box["value"], ""

    def _facts(self) -> LoopFacts | None:
        app = self._app
        if app is None:
            return None
        recovery = app.tables.recovery  # type: ignore[attr-defined]
        return LoopFacts(
            joined=self._joined,
            rebalancing=is_rebalancing(app),
            stream_partitions=sum(1 for tp in app.consumer.assignment()
                                  if not tp.topic.endswith("-changelog")),
            recovery_completed=recovery.completed.is_set(),
            in_recovery=bool(recovery.in_recovery),
        )

    # -- the endpoints ----------------------------------------------------------------------

    def livez(self) -> tuple[int, dict[str, Any]]:
        if self.loop is None:
            return 200, {"live": True, "detail": "starting: the event loop is not running yet"}
        started = self.clock()
        _, why = self.ask_loop(lambda: None, self.live_timeout_s)
        if why:
            return 503, {"live": False, "detail": why}
        return 200, {"live": True,
                     "detail": f"the event loop answered in {self.clock() - started:.3f} s"}

    def evaluate(self) -> tuple[bool, dict[str, Any]]:
        """Every check now: the verdict and ``/readyz``'s body; the gauges updated."""
        facts, why = self.ask_loop(self._facts, self.live_timeout_s)
        if facts is None and not why:
            why = "starting: the worker's app is not built yet"
        now = self.clock()
        ruleset = self._ruleset() if self._ruleset is not None else (None, None)
        checks = {
            "broker": fresh(self.broker.last, now, BROKER_PROBE_EVERY_S + BROKER_TIMEOUT_S * 2,
                            "broker"),
            **loop_checks(facts, why),
            "ruleset_loaded": ruleset_check(*ruleset),
            "database": fresh(self.database.last, now,
                              DATABASE_PROBE_EVERY_S + DATABASE_TIMEOUT_S * 2, "database"),
        }
        ready, body = verdict(checks)
        self.ready_gauge.set(1 if ready else 0)
        for name, result in body["checks"].items():
            self.check_gauge.labels(name).set(1 if result["ok"] else 0)
        if ready:
            self._say_ready(body)
        return ready, body

    def readyz(self) -> tuple[int, dict[str, Any]]:
        ready, body = self.evaluate()
        return (200 if ready else 503), body

    def _say_ready(self, body: dict[str, Any]) -> None:
        with self._announced:
            if self._ready_said:
                return
            self._ready_said = True
        checks = body["checks"]
        where = (f"metrics {self.metrics_url}" if self.metrics_url
                 else "no metrics endpoint (TICKETFLOW_METRICS_PORT unset)")
        log.info("ticketflow worker ready: %s, %s, database %s; %s",
                 checks["partitions_assigned"]["detail"], checks["ruleset_loaded"]["detail"],
                 "degraded" if checks["database"].get("degraded") else "ok", where)

    def _evaluate_forever(self) -> None:
        while not self._stop.wait(EVALUATE_EVERY_S):
            try:
                self.evaluate()
            except Exception:  # keep evaluating: the gauges must not freeze
                log.exception("readiness evaluation failed")


# -- HTTP ------------------------------------------------------------------------------------


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # the stdlib's names
        pass  # one line per scrape would drown the worker's log


def wsgi_app(registry: CollectorRegistry, health: WorkerHealth) -> Callable[..., Iterable[bytes]]:
    """/metrics, /livez, /readyz; 404 for anything else."""
    metrics = make_wsgi_app(registry)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return metrics(environ, start_response)
        if path == "/livez":
            status, body = health.livez()
        elif path == "/readyz":
            status, body = health.readyz()
        else:
            status, body = 404, {"error": f"no such path: {path}; try /metrics, /livez, /readyz"}
        data = (json.dumps(body) + "\n").encode()
        reason = {200: "OK", 404: "Not Found", 503: "Service Unavailable"}[status]
        start_response(f"{status} {reason}", [("Content-Type", "application/json"),
                                               ("Content-Length", str(len(data))),
                                               ("Cache-Control", "no-store")])
        return [data]

    return app


def serve(port: int, registry: CollectorRegistry, health: WorkerHealth,
          addr: str = "0.0.0.0") -> WSGIServer:  # as start_http_server
    """Serve in a daemon thread; returns the server (``shutdown()`` stops it)."""
    server = make_server(addr, port, wsgi_app(registry, health), _Server,
                         handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="ticketflow-http", daemon=True).start()
    return server


class Worker(faust.Worker):
    """faust's worker, with two changes: the health endpoints learn its event loop as soon as
    it runs, and it leaves the root logger as ``logging_config`` set it (faust's progress
    spinner would add a handler that bypasses the format and lower the root level to DEBUG)."""

    health: WorkerHealth | None = None

    def on_setup_root_logger(self, logger: logging.Logger, level: int) -> None:
        pass

    async def on_first_start(self) -> None:
        if self.health is not None:
            self.health.loop_started(asyncio.get_running_loop())
        await super().on_first_start()


def build_health(
    registry: CollectorRegistry, bootstrap: str, security: KafkaSecurity, engine: Any,
    metrics_url: str | None,
) -> WorkerHealth:
    """The health state of a worker, probes not started yet (``WorkerHealth.start``)."""
    return WorkerHealth(
        registry,
        broker=Prober("broker", broker_probe(bootstrap, security), BROKER_PROBE_EVERY_S),
        database=Prober("database", database_probe(engine), DATABASE_PROBE_EVERY_S),
        metrics_url=metrics_url,
    )


def start_health(registry: CollectorRegistry, bootstrap: str, security: KafkaSecurity,
                 engine: Any, metrics_port: int | None) -> WorkerHealth:
    """The probes and the evaluation started, and the HTTP server when ``metrics_port`` is
    set (else the worker still logs its ready line and keeps the gauges)."""
    url = None if metrics_port is None else f"http://127.0.0.1:{metrics_port}/metrics"
    health = build_health(registry, bootstrap, security, engine, url)
    if metrics_port is not None:
        serve(metrics_port, registry, health)
    return health.start()


def run_worker_process(app: faust.App, health: WorkerHealth, log_level: str,
                       logging_config: dict[str, Any]) -> None:
    """faust's worker for ``app`` (blocks until it stops) with ticketflow's logging and the
    health state hooked in."""
    worker = Worker(app, loglevel=log_level, quiet=True, logging_config=logging_config)
    worker.health = health
    worker.spinner = None  # it writes to stdout, around the log format
    worker.execute_from_commandline()
