"""``ticketflow demo``: the whole pipeline on embedded defaults, shown live.

Starts the embedded broker (unless a bootstrap is given), creates topics, starts a worker,
replays the bundled corpus and shows tickets as they come out. Ends with one JSON line on
stdout — the demo's machine-readable result.
"""

from __future__ import annotations

import contextlib
import heapq
import json
import signal
import time
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

import corpus
from classifiers.artifact import ensure_model
from core.settings import Settings
from replies import ReplayReport
from schemas.replies import ReplySuggestion
from streams.admin import create_topics
from streams.kafka_io import make_consumer, make_producer
from streams.topics import (
    HELPDESK_EVENTS,
    KPI,
    REPLIES_SUGGESTED,
    SLA_EVENTS,
    TICKETS_DEADLETTER,
    TICKETS_ROUTED,
    all_topics,
)
from ticketflow.broker import EmbeddedBroker, find_tansu, free_port
from ticketflow.helpdesk_sim import plan
from ticketflow.ingest import publish
from ticketflow.kpi_report import KpiRecords, demo_block, duration_label
from ticketflow.processes import WorkerProcess
from ticketflow.time_shift import shift_payload

KPI_TOPICS = frozenset(spec.name for spec in KPI)
_RECENT = 14
_RECENT_SLA = 8
_RECENT_REPLIES = 4
DEMO_POLICIES = Path(__file__).resolve().parent.parent / "sla" / "demo-policies.yaml"
# The demo's worker: SLA targets in seconds, clocks from routing (the corpus spans a month,
# moved so its newest message is now: clocks started when its customers wrote would mostly
# breach at once), re-routing of tickets nobody took within 25 s, a first-contact-resolution
# window of 8 s (+ 2 s grace) instead of 7 days, so FCR is decided while the demo runs, and
# hourly KPI rollups kept open for two days of event time: the month replays in seconds, a
# day at a time (Pacer), not in strict order.
DEMO_WORKER_ENV = {
    "TICKETFLOW_SLA_POLICIES_PATH": str(DEMO_POLICIES),
    "TICKETFLOW_SLA_CLOCK_START": "routed_at",
    "TICKETFLOW_SLA_ASSIGN_WITHIN_S": "25",
    "TICKETFLOW_KPI_FCR_WINDOW_S": "8",
    "TICKETFLOW_KPI_FCR_GRACE_S": "2",
    "TICKETFLOW_KPI_ROLLUP_LATENESS_S": str(2 * 86400),
    "TICKETFLOW_KPI_ROLLUP_KEEP_H": "96",
}


@dataclass
class DemoStats:
    """What came out, deduplicated by id: delivery is at-least-once."""

    published: int = 0
    ticket_ids: set[str] = field(default_factory=set)
    processed_sources: set[tuple[str, int, int]] = field(default_factory=set)
    deadletter_ids: set[str] = field(default_factory=set)
    by_channel: Counter[str] = field(default_factory=Counter)
    by_error: Counter[str] = field(default_factory=Counter)
    by_intent: Counter[str] = field(default_factory=Counter)
    by_priority: Counter[str] = field(default_factory=Counter)
    enriched: Counter[str] = field(default_factory=Counter)
    routed: Counter[str] = field(default_factory=Counter)
    repeat_customers: int = 0
    classified: int = 0
    needs_triage: int = 0
    recent: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=_RECENT))
    sla_event_ids: set[str] = field(default_factory=set)
    sla_events: Counter[str] = field(default_factory=Counter)
    recent_sla: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=_RECENT_SLA))
    reroutes: set[tuple[str, int]] = field(default_factory=set)
    helpdesk_sent: int = 0
    complete_after_s: float | None = None  # when every published message had come out
    metrics_url: str | None = None  # the demo worker's /metrics (its /livez, /readyz beside)
    kpi: KpiRecords = field(default_factory=KpiRecords)  # kpi.* records, deduplicated
    replies: ReplayReport = field(default_factory=ReplayReport)  # replies.suggested counts
    suggestion_ids: set[str] = field(default_factory=set)
    recent_answers: deque[ReplySuggestion] = field(
        default_factory=lambda: deque(maxlen=_RECENT_REPLIES))

    @property
    def accounted(self) -> int:
        return len(self.processed_sources) + len(self.deadletter_ids)

    def add(self, topic: str, value: dict[str, Any]) -> bool:
        """Count one record; False when it was seen before (at-least-once delivery)."""
        if topic in KPI_TOPICS:
            self.kpi.add(topic, value)
            return True
        if topic == REPLIES_SUGGESTED.name:
            if value["suggestion_id"] in self.suggestion_ids:
                return False
            self.suggestion_ids.add(value["suggestion_id"])
            suggestion = ReplySuggestion.model_validate(value)
            self.replies.add(suggestion)
            if suggestion.answer is not None:
                self.recent_answers.appendleft(suggestion)
            return True
        if topic == SLA_EVENTS.name:
            if value["event_id"] in self.sla_event_ids:
                return False
            self.sla_event_ids.add(value["event_id"])
            self.sla_events[value["type"]] += 1
            self.recent_sla.appendleft(value)
            return True
        if topic == TICKETS_ROUTED.name and value.get("attempt", 1) > 1:
            key = (value["ticket"]["ticket_id"], value["attempt"])
            new = key not in self.reroutes
            self.reroutes.add(key)
            return new
        if topic == TICKETS_ROUTED.name:
            decision = value["decision"]
            value = {**value["ticket"], "decision": decision}
            if value["ticket_id"] in self.ticket_ids:
                return False
            self.ticket_ids.add(value["ticket_id"])
            src = value["source"]
            self.processed_sources.add((src["topic"], src["partition"], src["offset"]))
            self.by_channel[value["channel"]] += 1
            self.routed[decision["queue"]] += 1
            enrichment = value.get("enrichment") or {}
            self.enriched[enrichment.get("status", "missing")] += 1
            contacts = enrichment.get("contacts") or {}
            self.repeat_customers += contacts.get("last_7d", 1) > 1
            classification = value.get("classification")
            if classification:
                self.classified += 1
                self.needs_triage += bool(classification["needs_triage"])
                self.by_intent[classification["intent"]] += 1
                self.by_priority[classification["priority"]] += 1
        else:
            if value["deadletter_id"] in self.deadletter_ids:
                return False
            self.deadletter_ids.add(value["deadletter_id"])
            self.by_error[value["error_code"]] += 1
        self.recent.appendleft({"topic": topic, **value})
        return True

    def summary(self) -> dict[str, Any]:
        return {
            "published": self.published,
            "processed": len(self.processed_sources),
            "deadlettered": len(self.deadletter_ids),
            "tickets": len(self.ticket_ids),
            "tickets_by_channel": dict(sorted(self.by_channel.items())),
            "deadletters_by_code": dict(sorted(self.by_error.items())),
            "enriched": {k: self.enriched.get(k, 0) for k in ("ok", "not_found", "unavailable")},
            "repeat_contacts": self.repeat_customers,
            "routed": dict(self.routed.most_common()),
            "classified": self.classified,
            "needs_triage": self.needs_triage,
            "tickets_by_intent": dict(self.by_intent.most_common()),
            "tickets_by_priority": dict(sorted(self.by_priority.items())),
            "complete_after_s": self.complete_after_s,
            "sla_events": dict(sorted(self.sla_events.items())),
            "reroutes": len(self.reroutes),
            "helpdesk_events_sent": self.helpdesk_sent,
            "metrics_url": self.metrics_url,
            "kpi": demo_block(self.kpi),
            "replies": {"acknowledged": self.replies.acknowledged,
                        "answered": self.replies.answered,
                        "suppressed": self.replies.suppressed,
                        "answerable_share": self.replies.answerable_share},
        }


def _snippet(text: str | None, width: int = 70) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


MESSAGE_MIN = 30
"""The message column never gets narrower than this: what a ticket says matters most."""
# The other columns in the order they give way when the terminal is narrow (first: kept
# longest), each with its width. A column costs its width + 3 (borders and padding).
COLUMNS: tuple[tuple[str, int], ...] = (
    ("channel", 8), ("intent", 21), ("queue", 11), ("prio", 4), ("customer", 20),
    ("order", 16), ("segment", 7), ("lang", 4), ("conf", 4),
)
_SHOWN = ("channel", "customer", "segment", "lang", "order", "intent", "conf", "prio", "queue")


def columns_for(width: int) -> list[tuple[str, int]]:
    """The columns that fit ``width`` terminal columns beside a message of at least
    :data:`MESSAGE_MIN`, most important first kept, shown in the usual order."""
    room = width - 4 - MESSAGE_MIN  # the table's outer borders and the message's padding
    kept: list[str] = []
    for name, column_width in COLUMNS:
        if column_width + 3 <= room:
            kept.append(name)
            room -= column_width + 3
    widths = dict(COLUMNS)
    return [(name, widths[name]) for name in _SHOWN if name in kept]


def ticket_cells(item: dict[str, Any]) -> dict[str, Any]:
    """A routed ticket's cells for the live view (and its plain line)."""
    customer = item["customer"]
    who = customer.get("display_name") or customer.get("email") or customer.get("phone")
    c = item.get("classification") or {}
    decision = item.get("decision") or {}
    priority = decision.get("priority") or c.get("priority", "-")
    e = item.get("enrichment") or {}
    orders = e.get("orders") or []
    order = (f"{orders[0]['number']} {orders[0]['status']}"
             + (" LATE" if orders[0]["late"] else "")) if orders else (
        ",".join(item["order_numbers"]) or "-")
    return {
        "channel": item["channel"], "customer": _snippet(who or "?", 20),
        "segment": (e.get("customer") or {}).get("segment") or e.get("status", "-"),
        "lang": item["language"], "order": Text(order, "red" if "LATE" in order else ""),
        "intent": Text(c.get("intent", "-"), "yellow" if c.get("needs_triage") else ""),
        "conf": f"{c.get('confidence', 0):.2f}",
        "prio": Text(priority, "bold red" if priority in ("P1", "P2") else ""),
        "queue": decision.get("queue", "-"),
        "message": f"{item.get('subject') or ''} {item['body']}",
    }


def deadletter_cells(item: dict[str, Any]) -> dict[str, Any]:
    """A dead letter's cells: its code where the intent goes, its reason as the message."""
    return {"channel": Text(item.get("channel") or "?", "red"),
            "customer": Text("DEAD LETTER", "red"), "intent": Text(item["error_code"], "red"),
            "queue": Text("deadletter", "red"), "message": Text(item["reason"], "red")}


def _styled(message: Any, width: int) -> Text:
    text = message if isinstance(message, Text) else Text(message)
    return Text(_snippet(text.plain, width), text.style)


def plain_line(topic: str, item: dict[str, Any]) -> str:
    """One line per event, for a log or a pipe (no terminal to redraw a live view on)."""
    if topic == TICKETS_ROUTED.name:
        cells = ticket_cells(item)
        return (f"ticket {item['ticket_id']} {cells['channel']} {cells['intent']} → "
                f"{cells['queue']} {cells['prio']} [{cells['customer']}, {cells['segment']}, "
                f"order {cells['order']}] {_snippet(cells['message'], 100)}")
    if topic == TICKETS_DEADLETTER.name:
        return (f"dead letter {item.get('channel') or '?'} {item['error_code']}: "
                f"{item['reason']}")
    if topic == REPLIES_SUGGESTED.name:
        return reply_line(ReplySuggestion.model_validate(item))
    if topic == SLA_EVENTS.name:
        what = f"{item['metric']} ({item['policy']}, target {item['target']:.0f} s)"
        if item["type"] == "sla.warning":
            what += f" {item['threshold']:.0%} elapsed"
        return f"{item['type']} {item['ticket_id']} {what}"
    return f"{topic} {json.dumps(item, ensure_ascii=False)[:160]}"


def render(stats: DemoStats, elapsed_s: float, bootstrap: str, width: int = 160) -> Group:
    s = stats.summary()
    header = Text.assemble(
        ("ticketflow demo ", "bold"), (f"on {bootstrap}  ", "dim"),
        f"{elapsed_s:5.1f} s   published {s['published']}   ",
        (f"tickets {s['tickets']} ", "green"), f"(from {s['processed']} messages)   ",
        (f"dead-lettered {s['deadlettered']}", "red"),
        f"   needs triage {s['needs_triage']}   ",
        " ".join(f"{p}:{n}" for p, n in s["tickets_by_priority"].items()),
        (f"   metrics {s['metrics_url']}" if s["metrics_url"] else "", "dim"),
    )
    columns = columns_for(width)
    names = [name for name, _ in columns]
    table = Table(expand=True, show_lines=False, header_style="bold")
    for name, column_width in columns:
        table.add_column(name, width=column_width, no_wrap=True)
    table.add_column("message", ratio=1, no_wrap=True, min_width=MESSAGE_MIN)
    for item in stats.recent:
        routed = item["topic"] == TICKETS_ROUTED.name
        cells = ticket_cells(item) if routed else deadletter_cells(item)
        text_width = max(MESSAGE_MIN, width - sum(w + 3 for _, w in columns) - 4)
        table.add_row(*(cells.get(name, "") for name in names),
                      _styled(cells["message"], text_width))
    sla = Text.assemble(
        ("SLA ", "bold"),
        *(Text.assemble((f"{t.removeprefix('sla.')} ", _SLA_STYLE.get(t, "")), f"{n}   ")
          for t, n in s["sla_events"].items()),
        f"re-routed {s['reroutes']}   help-desk events sent {s['helpdesk_events_sent']}",
    )
    recent_sla = Table(expand=True, show_header=False, box=None)
    recent_sla.add_column("event", width=13, no_wrap=True)
    recent_sla.add_column("ticket", width=28, no_wrap=True)
    recent_sla.add_column("what", ratio=1, no_wrap=True)
    for e in stats.recent_sla:
        what = f"{e['metric']} ({e['policy']}, target {e['target']:.0f} s)"
        if e["type"] == "sla.warning":
            what += f" {e['threshold']:.0%} elapsed"
        recent_sla.add_row(Text(e["type"], _SLA_STYLE.get(e["type"], "")), e["ticket_id"], what)
    return Group(Panel(header), table, Panel(Group(sla, recent_sla)), Panel(kpi_line(s["kpi"])),
                 Panel(replies_view(stats)))


def reply_line(s: ReplySuggestion) -> str:
    """A suggestion in one line: its answer if it has one, else its acknowledgement, and why
    no answer when one was withheld."""
    text = s.answer if s.answer is not None else s.acknowledgement
    what = f"answer ({s.answer_kind})" if s.answer is not None else "acknowledgement"
    why = (" [no answer: " + ", ".join(x.reason for x in s.suppressed) + "]"
           if s.suppressed else "")
    return (f"reply {s.ticket_id} {s.channel} {text.language} {what}, auto-send "
            f"{s.auto_send}{why}: {_snippet(text.text, 100)}")


def replies_view(stats: DemoStats) -> Group:
    """The replies block of the final line, and the latest suggested answers."""
    r = stats.replies
    share = "-" if r.answerable_share is None else format(r.answerable_share, ".0%")
    line = Text.assemble(
        ("Replies ", "bold"), f"acknowledged {r.acknowledged}   ",
        (f"answered {r.answered}", "green"), f" ({share} of the answerable)   ",
        (f"suppressed {r.suppressed}", "yellow"),
        "   " + " ".join(f"{k}:{n}" for k, n in r.by_reason.most_common(3)),
    )
    answers = Table(expand=True, show_header=False, box=None)
    answers.add_column("ticket", width=28, no_wrap=True)
    answers.add_column("kind", width=16, no_wrap=True)
    answers.add_column("answer", ratio=1, no_wrap=True)
    for s in stats.recent_answers:
        assert s.answer is not None
        answers.add_row(s.ticket_id, f"{s.answer_kind} {s.answer.language}",
                        _snippet(s.answer.text, 200))
    return Group(line, answers)


def kpi_line(kpi: dict[str, Any]) -> Text:
    """The KPI block of the final line, as it grows (kpi.tickets, kpi.fcr, kpi.alerts)."""
    def span(figures: dict[str, float | None]) -> str:
        return "/".join(duration_label(figures[p]) for p in ("p50", "p90"))

    volume = " ".join(f"{i}:{n}" for i, n in list(kpi["volume_by_intent"].items())[:5])
    return Text.assemble(
        ("KPI ", "bold"),
        f"first response p50/p90 {span(kpi['first_response_s'])}   ",
        f"resolution {span(kpi['resolution_s'])}   ",
        f"FCR {'-' if kpi['fcr_rate'] is None else format(kpi['fcr_rate'], '.0%')}   ",
        f"CSAT {'-' if kpi['csat_avg'] is None else format(kpi['csat_avg'], '.2f')}   ",
        (f"spikes {kpi['spikes']}", "bold red" if kpi["spikes"] else ""),
        (f"   received {volume}" if volume else "", "dim"),
    )


_SLA_STYLE = {"sla.breached": "bold red", "sla.warning": "yellow", "sla.fulfilled": "green",
              "sla.paused": "cyan", "sla.resumed": "cyan"}


def received_times(files: Sequence[corpus.CorpusFile]
                   ) -> list[tuple[datetime | None, corpus.CorpusFile]]:
    """Each file with the earliest ``received_at`` of its tickets as the worker's normalizers
    read it (None for a broken file), in that order, broken files last in manifest order.
    SMS carry no time (the worker stamps them when it reads them): they come out as now."""
    from channels import RawRecord, normalize
    from schemas import Source

    now = datetime.now(UTC)
    timed: list[tuple[datetime, int, corpus.CorpusFile]] = []
    broken: list[tuple[datetime | None, corpus.CorpusFile]] = []
    for n, f in enumerate(files):
        result = normalize(RawRecord(f.channel, f.read_bytes(), Source(
            topic=f"inbound.{f.channel}", partition=0, offset=n), now), now)
        if isinstance(result, tuple) and result:
            timed.append((min(t.received_at for t in result), n, f))
        else:
            broken.append((None, f))
    return [(at, f) for at, _, f in sorted(timed, key=lambda item: item[:2])] + broken


def in_received_order(files: Sequence[corpus.CorpusFile]) -> list[corpus.CorpusFile]:
    """The corpus in the order its customers wrote, broken files last: the KPI rollups close
    hours by event time, so a replay must move forward in time as live traffic does, and the
    burst hour must not be split by messages of other days."""
    return [f for _, f in received_times(files)]


@dataclass
class Pacer:
    """Hands out the corpus a day of event time at a time: the next chunk once every message
    sent so far has come out (routed or dead-lettered), or ``patience_s`` after the last chunk,
    whichever comes first. The worker reads its topics and partitions side by side, so a corpus
    published at once reaches the KPI stage in any order; this keeps the replay moving forward
    in event time as live traffic does, out of order only within a chunk, which the demo
    worker's rollup lateness (DEMO_WORKER_ENV) covers. Untimed items (broken files) go
    together, last."""

    items: list[tuple[datetime | None, tuple[str, Path]]]
    span: timedelta = timedelta(days=1)
    patience_s: float = 5.0
    sent: int = 0
    last_at: float | None = None

    @property
    def done(self) -> bool:
        return self.sent >= len(self.items)

    def due(self, accounted: int, now: float) -> list[tuple[str, Path]]:
        """The chunk to publish now (empty: not yet, or nothing left)."""
        if self.done:
            return []
        if (self.last_at is not None and accounted < self.sent
                and now - self.last_at < self.patience_s):
            return []
        first = self.items[self.sent][0]
        end = self.sent + 1
        while end < len(self.items) and self._together(first, self.items[end][0]):
            end += 1
        batch = [item for _, item in self.items[self.sent:end]]
        self.sent = end
        self.last_at = now
        return batch

    def _together(self, first: datetime | None, other: datetime | None) -> bool:
        if first is None or other is None:
            return first is None and other is None
        return other < first + self.span


def prepare_store(settings: Settings, err: Console) -> None:
    """Migrate the store and load the demo shop (idempotent), so tickets find their customers."""
    from core.clock import system_clock
    from store.db import url_for
    from ticketflow.seed import db_seed

    url = url_for(settings)
    summary = db_seed(url, system_clock())
    err.print(f"[dim]store {url.split('@')[-1]}: {summary}[/dim]")


class _Stop(Exception):
    pass


class SimulatedHelpdesk:
    """Sends each routed ticket's planned help-desk events (ticketflow.helpdesk_sim) when due."""

    def __init__(self) -> None:
        self._queue: list[tuple[datetime, int, bytes, bytes]] = []
        self._seen: set[tuple[str, int]] = set()
        self._seq = 0

    def schedule(self, routed: dict[str, Any]) -> None:
        key = (routed["ticket"]["ticket_id"], routed.get("attempt", 1))
        if key in self._seen:  # a redelivery
            return
        self._seen.add(key)
        for when, event in plan(routed, datetime.now(UTC)):
            self._seq += 1
            heapq.heappush(self._queue, (when, self._seq, event.ticket_id.encode(),
                                         event.model_dump_json().encode()))

    def send_due(self, producer: Any) -> int:
        now = datetime.now(UTC)
        sent = 0
        while self._queue and self._queue[0][0] <= now:
            _, _, key, value = heapq.heappop(self._queue)
            producer.send(HELPDESK_EVENTS.name, key=key, value=value)
            sent += 1
        return sent


def demo_worker_env(metrics_port: int) -> dict[str, str]:
    """The demo worker's environment: the demo's SLA settings and a metrics port."""
    return {**DEMO_WORKER_ENV, "TICKETFLOW_METRICS_PORT": str(metrics_port)}


def metrics_url(metrics_port: int) -> str:
    return f"http://127.0.0.1:{metrics_port}/metrics"


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop()


def run_demo(settings: Settings, duration_s: float | None, out: Console, err: Console) -> int:
    """Run the demo; print the live view on ``err`` and the final JSON line on ``out``."""
    stats = DemoStats()
    interrupted = False
    worker_died = False
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        try:
            bootstrap = settings.kafka_bootstrap
            if bootstrap is None:
                broker = EmbeddedBroker(
                    find_tansu(settings.tansu_bin), log_path=settings.data_dir / "broker.log"
                )
                stack.callback(broker.stop)
                bootstrap = broker.start()
                err.print(f"[dim]embedded Tansu broker on {bootstrap} (memory-only)[/dim]")
            security = settings.security_for(bootstrap)
            create_topics(bootstrap, all_topics(), settings.partitions,
                          settings.replication_factor, security=security)
            prepare_store(settings, err)
            # Train (first run) or verify the model here, with progress on the terminal,
            # rather than silently inside the worker.
            ensure_model(settings.models_dir, settings.model_dir,
                         lambda line: err.print(f"[dim]{line}[/dim]"))
            # TICKETFLOW_METRICS_PORT when set, else a free port: metrics, /livez, /readyz
            metrics_port = settings.metrics_port or free_port()
            worker = WorkerProcess(bootstrap, settings.data_dir / "demo-worker.log",
                                   env=demo_worker_env(metrics_port))
            stack.callback(worker.stop)
            worker.start()
            stats.metrics_url = metrics_url(metrics_port)
            err.print(f"worker metrics: {stats.metrics_url}  (health: "
                      f"{stats.metrics_url.removesuffix('/metrics')}/readyz, /livez)",
                      markup=False, highlight=False, soft_wrap=True)
            consumer = make_consumer(
                bootstrap, [TICKETS_ROUTED.name, TICKETS_DEADLETTER.name, SLA_EVENTS.name,
                            REPLIES_SUGGESTED.name, *sorted(KPI_TOPICS)],
                from_beginning=False, fetch_max_wait_ms=100, security=security,
            )
            stack.callback(consumer.close)
            producer = make_producer(bootstrap, security=security)
            stack.callback(producer.close)
            helpdesk = SimulatedHelpdesk()
            # The corpus was written in November 2026: moved as a whole so its newest message
            # is now (``ingest --shift-to-now``), spacing kept; the order and the days of the
            # pacing are the moved times
            timed = received_times(corpus.load_manifest())
            delta = max((datetime.now(UTC) - max(at for at, _ in timed if at is not None)),
                        timedelta(0))
            pacer = Pacer([(None if at is None else at + delta, (f.channel, f.path))
                           for at, f in timed])
            shift = partial(shift_payload, delta=delta)
            started = time.monotonic()
            # A terminal gets the live view; a pipe or a log one plain line per event (a live
            # view there would only leave its last frame)
            live_view = err.is_terminal
            view = (Live(render(stats, 0.0, bootstrap, err.width), console=err,
                         refresh_per_second=4) if live_view else contextlib.nullcontext())
            with view as live:
                while duration_s is None or time.monotonic() - started < duration_s:
                    if worker.poll() is not None:
                        worker_died = True
                        err.print(f"[red]worker exited ({worker.poll()}); see "
                                  f"{settings.data_dir / 'demo-worker.log'}[/red]")
                        break
                    for tp, messages in consumer.poll(timeout_ms=250).items():
                        for message in messages:
                            if message.value is None:  # a tombstone (compacted kpi.rollups)
                                continue
                            value = json.loads(message.value)
                            new = stats.add(tp.topic, value)
                            if new and not live_view and tp.topic not in KPI_TOPICS and (
                                    tp.topic != REPLIES_SUGGESTED.name
                                    or value.get("answer") is not None):  # answers only
                                err.print(plain_line(tp.topic, value if tp.topic !=
                                                     TICKETS_ROUTED.name else {
                                                         **value["ticket"],
                                                         "decision": value["decision"]}),
                                          markup=False, highlight=False, soft_wrap=True)
                            if tp.topic == TICKETS_ROUTED.name:
                                helpdesk.schedule(value)
                    stats.helpdesk_sent += helpdesk.send_due(producer)
                    chunk = pacer.due(stats.accounted, time.monotonic())
                    if chunk:
                        stats.published += len(publish(producer, chunk, transform=shift))
                    if (stats.complete_after_s is None and pacer.done
                            and stats.accounted >= stats.published):
                        stats.complete_after_s = round(time.monotonic() - started, 2)
                    if live is not None:
                        live.update(render(stats, time.monotonic() - started, bootstrap,
                                           err.width))
        except (KeyboardInterrupt, _Stop):
            interrupted = True
            err.print("[yellow]stopping: worker and broker are being shut down[/yellow]")
        finally:
            signal.signal(signal.SIGTERM, previous)
    out.print(json.dumps(stats.summary(), sort_keys=False), markup=False, highlight=False,
              soft_wrap=True)
    if worker_died:
        return 1
    return 130 if interrupted else 0
