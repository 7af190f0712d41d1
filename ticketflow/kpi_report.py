"""``ticketflow kpi``: the service KPIs of a period, from the four KPI topics.

Pure: :class:`KpiRecords` collects what was read off ``kpi.tickets``, ``kpi.fcr``,
``kpi.rollups`` and ``kpi.alerts`` (deduplicated: delivery is at-least-once), and the functions
below turn it into per-group rows, the demo's summary and the plot's series. Reading the broker
is :func:`read_kpi_topics`, thin over :class:`streams.kafka_offsets.BrokerOffsets`; nothing else
here does I/O.

Definitions (the README's "Service KPIs" section has the KPIs themselves):

- A ticket belongs to the period when its first solve (``KpiTicket.solved_at``) is in
  ``[since, until)``; its group is its queue, channel or intent (``unknown`` when none).
- Final values win: when the ticket's :class:`~schemas.kpi.KpiFcr` follow-up has been read,
  its CSAT, SLA-met flags and FCR are used, else the :class:`~schemas.kpi.KpiTicket`'s.
- Percentiles are exact, nearest-rank (the smallest value with at least p % of the values at
  or below it), over the tickets that have the value (no first response: left out).
- FCR rate: FCR-true / tickets whose FCR was decided (null when none was).
- CSAT average: over the tickets with a score (null when none has).
- Breaches: tickets with at least one SLA metric not met.
- Volume: ``received`` of the hourly rollups (the latest revision of each) whose hour starts
  in the period; spikes: alerts whose window starts in the period.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import ValidationError

from core.errors import BrokerError
from schemas.kpi import KpiAlert, KpiFcr, KpiRollup, KpiTicket
from streams.topics import KPI, KPI_ALERTS, KPI_FCR, KPI_ROLLUPS, KPI_TICKETS

GroupBy = Literal["queue", "channel", "intent"]
GROUP_BYS: tuple[GroupBy, ...] = ("queue", "channel", "intent")
UNKNOWN = "unknown"
KPI_TOPIC_NAMES = tuple(spec.name for spec in KPI)


@dataclass
class KpiRecords:
    """The KPI records read so far, each once: tickets and FCR follow-ups by ``record_id``,
    rollups by ``rollup_id`` (the highest revision), alerts by ``alert_id``; records that do not
    validate are counted in ``invalid`` by topic, not guessed at."""

    tickets: dict[str, KpiTicket] = field(default_factory=dict)
    fcr: dict[str, KpiFcr] = field(default_factory=dict)
    rollups: dict[str, KpiRollup] = field(default_factory=dict)
    alerts: dict[str, KpiAlert] = field(default_factory=dict)
    invalid: Counter[str] = field(default_factory=Counter)

    def add(self, topic: str, value: bytes | str | dict[str, Any] | None) -> None:
        if value is None:  # a tombstone on the compacted rollups topic
            return
        try:
            data = json.loads(value) if isinstance(value, bytes | str) else value
            if topic == KPI_TICKETS.name:
                ticket = KpiTicket.model_validate(data)
                self.tickets.setdefault(ticket.record_id, ticket)
            elif topic == KPI_FCR.name:
                fcr = KpiFcr.model_validate(data)
                self.fcr.setdefault(fcr.record_id, fcr)
            elif topic == KPI_ROLLUPS.name:
                rollup = KpiRollup.model_validate(data)
                known = self.rollups.get(rollup.rollup_id)
                if known is None or rollup.revision > known.revision:
                    self.rollups[rollup.rollup_id] = rollup
            elif topic == KPI_ALERTS.name:
                alert = KpiAlert.model_validate(data)
                self.alerts.setdefault(alert.alert_id, alert)
        except (ValidationError, ValueError, TypeError):
            self.invalid[topic] += 1


@dataclass(frozen=True)
class Period:
    """``[since, until)``; either end open when None."""

    since: datetime | None = None
    until: datetime | None = None

    def __contains__(self, moment: datetime) -> bool:
        return ((self.since is None or moment >= self.since)
                and (self.until is None or moment < self.until))


def parse_duration(text: str) -> timedelta:
    """``90s``, ``15m``, ``24h``, ``7d``, ``2w`` (a bare number is hours)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
    raw = text.strip().lower()
    unit = raw[-1] if raw and raw[-1] in units else "h"
    number = raw[:-1] if raw and raw[-1] in units else raw
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"not a duration: {text!r} (e.g. 90m, 24h, 7d)") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"not a positive duration: {text!r}")
    return timedelta(seconds=value * units[unit])


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest rank: the smallest value with at least ``p`` % of ``values`` at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(p / 100 * len(ordered)), 1)
    return ordered[rank - 1]


@dataclass(frozen=True)
class TicketView:
    """One solved ticket with its final values (the FCR follow-up's, when read)."""

    ticket: KpiTicket
    fcr: bool | None
    csat: int | None
    breached: bool

    def group(self, by: GroupBy) -> str:
        value = getattr(self.ticket, by)
        return value if value else UNKNOWN


def ticket_views(records: KpiRecords, period: Period) -> list[TicketView]:
    follow_ups = {f.ticket_record_id: f for f in records.fcr.values()}
    views = []
    for ticket in records.tickets.values():
        if ticket.solved_at not in period:
            continue
        follow = follow_ups.get(ticket.record_id)
        sla = follow.sla_met if follow else ticket.sla_met
        csat = follow.csat_score if follow and follow.csat_score is not None else ticket.csat_score
        views.append(TicketView(
            ticket=ticket, fcr=follow.fcr if follow else None, csat=csat,
            breached=not (sla.first_response and sla.next_response and sla.resolution)))
    return views


@dataclass(frozen=True)
class GroupRow:
    group: str
    tickets: int
    first_response_p50_s: float | None
    first_response_p90_s: float | None
    resolution_p50_s: float | None
    resolution_p90_s: float | None
    fcr_decided: int
    fcr_rate: float | None
    csat_count: int
    csat_avg: float | None
    breaches: int


def summarize(group: str, views: Sequence[TicketView]) -> GroupRow:
    first = [v.ticket.first_response_s for v in views if v.ticket.first_response_s is not None]
    resolution = [v.ticket.resolution_s for v in views]
    decided = [v.fcr for v in views if v.fcr is not None]
    scores = [v.csat for v in views if v.csat is not None]
    return GroupRow(
        group=group, tickets=len(views),
        first_response_p50_s=percentile(first, 50), first_response_p90_s=percentile(first, 90),
        resolution_p50_s=percentile(resolution, 50), resolution_p90_s=percentile(resolution, 90),
        fcr_decided=len(decided),
        fcr_rate=round(sum(decided) / len(decided), 4) if decided else None,
        csat_count=len(scores),
        csat_avg=round(sum(scores) / len(scores), 3) if scores else None,
        breaches=sum(v.breached for v in views),
    )


def group_rows(views: Sequence[TicketView], by: GroupBy) -> list[GroupRow]:
    """One row per group, most tickets first (then by name), and the total row last."""
    groups: dict[str, list[TicketView]] = defaultdict(list)
    for view in views:
        groups[view.group(by)].append(view)
    rows = [summarize(name, members) for name, members in groups.items()]
    rows.sort(key=lambda r: (-r.tickets, r.group))
    return [*rows, summarize("all", views)]


def volume_by_intent(records: KpiRecords, period: Period) -> dict[str, int]:
    volume: Counter[str] = Counter()
    for rollup in records.rollups.values():
        if rollup.hour_start in period and rollup.received:
            volume[rollup.intent] += rollup.received
    return dict(sorted(volume.items(), key=lambda kv: (-kv[1], kv[0])))


def hourly_volume(records: KpiRecords, period: Period) -> dict[str, dict[datetime, int]]:
    """Per intent, tickets received per hour (hours with none left out)."""
    series: dict[str, Counter[datetime]] = defaultdict(Counter)
    for rollup in records.rollups.values():
        if rollup.hour_start in period and rollup.received:
            series[rollup.intent][rollup.hour_start] += rollup.received
    return {intent: dict(sorted(hours.items())) for intent, hours in sorted(series.items())}


def spikes(records: KpiRecords, period: Period) -> list[KpiAlert]:
    return sorted((a for a in records.alerts.values() if a.window_start in period),
                  key=lambda a: (a.window_start, a.intent))


def report(records: KpiRecords, period: Period, by: GroupBy) -> dict[str, Any]:
    """Everything ``ticketflow kpi`` shows, as one JSON-ready object."""
    views = ticket_views(records, period)
    hourly = hourly_volume(records, Period(None, None))
    return {
        "since": period.since.isoformat() if period.since else None,
        "until": period.until.isoformat() if period.until else None,
        "by": by,
        "rows": [row.__dict__ for row in group_rows(views, by)],
        "volume_by_intent": volume_by_intent(records, period),
        "spikes": [{"intent": a.intent, "window_start": a.window_start.isoformat(),
                    "count": a.count, "baseline": a.baseline, "ratio": a.ratio,
                    # the alert fires once, when the count crosses the threshold; the hour's
                    # rollup has the whole hour (None until it is published)
                    "hour_received": hourly.get(a.intent, {}).get(a.window_start),
                    "top_order_facts": [f"{f.field}={f.value} ({f.share:.0%})"
                                        for f in a.top_order_facts[:3]]}
                   for a in spikes(records, period)],
        "records": {"tickets": len(records.tickets), "fcr": len(records.fcr),
                    "rollups": len(records.rollups), "alerts": len(records.alerts)},
        "invalid_records": dict(records.invalid),
    }


def demo_block(records: KpiRecords) -> dict[str, Any]:
    """The demo's ``"kpi"`` block: the same aggregation over everything read, all groups."""
    total = group_rows(ticket_views(records, Period()), "queue")[-1]
    return {
        "first_response_s": {"p50": total.first_response_p50_s,
                             "p90": total.first_response_p90_s},
        "resolution_s": {"p50": total.resolution_p50_s, "p90": total.resolution_p90_s},
        "fcr_rate": total.fcr_rate,
        "csat_avg": total.csat_avg,
        "volume_by_intent": volume_by_intent(records, Period()),
        "spikes": len(records.alerts),
    }


def duration_label(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.1f}m"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f}h"
    return f"{seconds / 86400:.1f}d"


def render_table(result: dict[str, Any]) -> str:
    """The human-readable report: the table, then volume and spikes."""
    head = (f"{result['by']:<22} {'tickets':>7} {'FRT p50':>8} {'FRT p90':>8} "
            f"{'res p50':>8} {'res p90':>8} {'FCR':>6} {'CSAT':>5} {'breaches':>8}")
    lines = [f"KPIs for tickets solved in [{result['since'] or '-'}, {result['until'] or 'now'})",
             head, "-" * len(head)]
    for row in result["rows"]:
        if row["group"] == "all":
            lines.append("-" * len(head))
        fcr = f"{row['fcr_rate']:.0%}" if row["fcr_rate"] is not None else "-"
        csat = f"{row['csat_avg']:.2f}" if row["csat_avg"] is not None else "-"
        lines.append(
            f"{row['group'][:22]:<22} {row['tickets']:>7} "
            f"{duration_label(row['first_response_p50_s']):>8} "
            f"{duration_label(row['first_response_p90_s']):>8} "
            f"{duration_label(row['resolution_p50_s']):>8} "
            f"{duration_label(row['resolution_p90_s']):>8} "
            f"{fcr:>6} {csat:>5} {row['breaches']:>8}")
    volume = result["volume_by_intent"]
    lines.append("")
    lines.append("received by intent (hourly rollups): " + (
        ", ".join(f"{intent} {n}" for intent, n in volume.items()) or "none in the period"))
    for spike in result["spikes"]:
        facts = "; ".join(spike["top_order_facts"]) or "no order facts"
        total = spike["hour_received"]
        lines.append(f"SPIKE {spike['intent']} at {spike['window_start']}: alerted at "
                     f"{spike['count']} tickets ({spike['ratio']:.1f}x the baseline "
                     f"{spike['baseline']:.1f}/h, floored at min count / ratio), "
                     f"{'?' if total is None else total} in the hour ({facts})")
    if result["invalid_records"]:
        lines.append(f"skipped invalid records: {result['invalid_records']}")
    return "\n".join(lines)


# --- the broker: read the four topics to their end, then stop ------------------------------

def read_kpi_topics(offsets: Any, topics: Sequence[str] = KPI_TOPIC_NAMES) -> KpiRecords:
    """Every record of ``topics`` from the start of each partition to the end it had when
    reading started. ``offsets``: a :class:`streams.kafka_offsets.BrokerOffsets` (its partition
    ends are right on Tansu too, where a plain ListOffsets answers short)."""
    records = KpiRecords()
    tps = offsets.partitions(topics)
    missing = sorted(set(topics) - {topic for topic, _ in tps})
    if missing:
        raise BrokerError(f"Topic {', '.join(missing)} does not exist on "
                          f"{offsets.bootstrap}: run `ticketflow topics create`.")
    for record in offsets.read_records(offsets.ends(tps)):
        records.add(record.topic, record.value)
    return records
