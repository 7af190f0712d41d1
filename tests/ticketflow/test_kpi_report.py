"""``ticketflow kpi``'s aggregation: dedupe, period, groups, final values, percentiles."""

from __future__ import annotations

import io
import json
from collections import namedtuple
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.errors import BrokerError
from schemas.kpi import (
    KpiAlert,
    KpiFcr,
    KpiRollup,
    KpiTicket,
    OrderFactCount,
    SlaMet,
    kpi_record_id,
)
from ticketflow.kpi_report import (
    KpiRecords,
    Period,
    demo_block,
    group_rows,
    parse_duration,
    percentile,
    read_kpi_topics,
    render_table,
    report,
    ticket_views,
)

T0 = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
MET = SlaMet(first_response=True, next_response=True, resolution=True)


def kpi_ticket(n: int, *, channel: str = "chat", queue: str = "orders",
               intent: str | None = "order_status", fr: float | None = 60.0,
               resolution: float = 600.0, solved_at: datetime = T0, csat: int | None = None,
               sla: SlaMet = MET) -> KpiTicket:
    tid = f"tk_{n:024x}"
    return KpiTicket(
        record_id=kpi_record_id(tid, "kpi.ticket"), ticket_id=tid, channel=channel,
        intent=intent, queue=queue, priority="P3", segment=None, language="en",
        sla_policy="standard", received_at=solved_at - timedelta(seconds=resolution),
        solved_at=solved_at, first_response_s=fr, first_response_business_s=fr,
        resolution_s=resolution, resolution_business_s=resolution, agent_replies=1,
        reassignments=0, reroutes=0, reopened=False, sla_met=sla, csat_score=csat,
        emitted_at=solved_at)


def kpi_fcr(ticket: KpiTicket, fcr: bool, csat: int | None = None,
            sla: SlaMet = MET) -> KpiFcr:
    return KpiFcr(
        record_id=kpi_record_id(ticket.ticket_id, "kpi.fcr"), ticket_id=ticket.ticket_id,
        ticket_record_id=ticket.record_id, channel=ticket.channel, intent=ticket.intent,
        queue=ticket.queue, fcr=fcr, recontact_ticket_id=None if fcr else "tk_other",
        window_s=20.0, solved_at=ticket.solved_at, agent_replies=1, reassignments=0,
        reopened=False, sla_met=sla, csat_score=csat, emitted_at=ticket.solved_at)


def rollup(hour: datetime, intent: str, received: int, revision: int = 1,
           channel: str = "chat") -> KpiRollup:
    return KpiRollup(
        rollup_id=f"{hour.isoformat()}|orders|{channel}|{intent}", hour_start=hour,
        queue="orders", channel=channel, intent=intent, revision=revision, received=received,
        solved=0, first_response_p50_s=None, first_response_p90_s=None, resolution_p50_s=None,
        resolution_p90_s=None, fcr_decided=0, fcr_resolved=0, fcr_rate=None, csat_count=0,
        csat_avg=None, breaches=0, emitted_at=hour + timedelta(hours=1))


def alert(hour: datetime, intent: str = "order_status", count: int = 20) -> KpiAlert:
    return KpiAlert(
        alert_id=f"spike|{intent}|{hour.isoformat()}", intent=intent, window_start=hour,
        window_end=hour + timedelta(hours=1), count=count, baseline=1.0,
        ratio=float(count), threshold_ratio=3.0, min_count=10,
        example_ticket_ids=("tk_1",),
        top_order_facts=(OrderFactCount(field="carrier", value="DPD", count=18, share=0.9),),
        detected_at=hour + timedelta(minutes=30))


def add(records: KpiRecords, topic: str, record: Any) -> None:
    records.add(topic, record.model_dump_json().encode())


def test_percentiles_are_nearest_rank_and_exact() -> None:
    assert percentile([], 50) is None
    assert percentile([7.0], 90) == 7.0
    values = [float(v) for v in range(1, 11)]  # 1..10
    assert percentile(values, 50) == 5.0 and percentile(values, 90) == 9.0
    assert percentile(list(reversed(values)), 100) == 10.0
    assert percentile([1.0, 100.0], 50) == 1.0 and percentile([1.0, 100.0], 90) == 100.0


def test_durations() -> None:
    assert parse_duration("24h") == timedelta(hours=24)
    assert parse_duration("90m") == timedelta(minutes=90)
    assert parse_duration("7d") == timedelta(days=7)
    assert parse_duration("2") == timedelta(hours=2)
    for bad in ("", "h", "-1h", "soon", "nanh"):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_redeliveries_count_once_and_the_latest_rollup_revision_wins() -> None:
    records = KpiRecords()
    t = kpi_ticket(1)
    for _ in range(3):
        add(records, "kpi.tickets", t)
        add(records, "kpi.fcr", kpi_fcr(t, True))
        add(records, "kpi.alerts", alert(T0))
    add(records, "kpi.rollups", rollup(T0, "order_status", 5, revision=2))
    add(records, "kpi.rollups", rollup(T0, "order_status", 3, revision=1))  # older, read later
    records.add("kpi.rollups", None)  # a tombstone
    records.add("kpi.tickets", b"{not json")
    records.add("kpi.tickets", json.dumps({"record_id": "kpi_x"}).encode())
    assert (len(records.tickets), len(records.fcr), len(records.alerts)) == (1, 1, 1)
    assert [r.received for r in records.rollups.values()] == [5]
    assert records.invalid == {"kpi.tickets": 2}
    out = report(records, Period(), "queue")
    assert out["rows"][-1]["tickets"] == 1 and out["volume_by_intent"] == {"order_status": 5}
    assert out["invalid_records"] == {"kpi.tickets": 2}


def test_the_period_is_by_solve_time_and_half_open() -> None:
    records = KpiRecords()
    for n, solved in enumerate((T0 - timedelta(seconds=1), T0, T0 + timedelta(hours=1))):
        add(records, "kpi.tickets", kpi_ticket(n, solved_at=solved))
    period = Period(T0, T0 + timedelta(hours=1))
    assert [v.ticket.ticket_id for v in ticket_views(records, period)] == [f"tk_{1:024x}"]
    assert len(ticket_views(records, Period(since=T0))) == 2
    assert len(ticket_views(records, Period(until=T0))) == 1


def test_rows_per_group_with_final_values_from_the_fcr_follow_up() -> None:
    records = KpiRecords()
    chats = [kpi_ticket(n, channel="chat", fr=float(10 * (n + 1)), resolution=100.0 * (n + 1))
             for n in range(10)]  # first response 10..100 s, resolution 100..1000 s
    late_sla = SlaMet(first_response=True, next_response=True, resolution=False)
    mail = kpi_ticket(20, channel="email", queue="returns", intent=None, fr=None,
                      resolution=7200.0, csat=2)
    for t in [*chats, mail]:
        add(records, "kpi.tickets", t)
    # follow-ups: 3 of 4 decided chats resolved at first contact; the CSAT and a breach
    # known only after the solve come with them; the mail's late CSAT replaces its first
    for n, t in enumerate(chats[:4]):
        add(records, "kpi.fcr", kpi_fcr(t, fcr=n != 0, csat=5 if n < 2 else None,
                                         sla=late_sla if n == 3 else MET))
    add(records, "kpi.fcr", kpi_fcr(mail, fcr=False, csat=4))
    rows = {r.group: r for r in group_rows(ticket_views(records, Period()), "channel")}
    chat, email, total = rows["chat"], rows["email"], rows["all"]
    assert (chat.tickets, email.tickets, total.tickets) == (10, 1, 11)
    assert (chat.first_response_p50_s, chat.first_response_p90_s) == (50.0, 90.0)
    assert (chat.resolution_p50_s, chat.resolution_p90_s) == (500.0, 900.0)
    assert (chat.fcr_decided, chat.fcr_rate) == (4, 0.75)
    assert (chat.csat_count, chat.csat_avg) == (2, 5.0)
    assert chat.breaches == 1
    assert email.first_response_p50_s is None and email.csat_avg == 4.0  # the final score
    assert email.fcr_rate == 0.0
    assert total.csat_avg == round(14 / 3, 3) and total.fcr_rate == 0.6
    by_intent = [r.group for r in group_rows(ticket_views(records, Period()), "intent")]
    assert by_intent == ["order_status", "unknown", "all"]  # most tickets first, total last


def test_volume_and_spikes_in_the_period_and_the_demo_block() -> None:
    records = KpiRecords()
    add(records, "kpi.tickets", kpi_ticket(1, fr=30.0, resolution=300.0))
    add(records, "kpi.fcr", kpi_fcr(kpi_ticket(1), True))
    add(records, "kpi.rollups", rollup(T0, "order_status", 20))
    add(records, "kpi.rollups", rollup(T0, "order_status", 2, channel="sms"))
    add(records, "kpi.rollups", rollup(T0 - timedelta(days=2), "refund", 3))
    add(records, "kpi.alerts", alert(T0))
    out = report(records, Period(since=T0 - timedelta(hours=1)), "intent")
    assert out["volume_by_intent"] == {"order_status": 22}
    assert [s["intent"] for s in out["spikes"]] == ["order_status"]
    assert out["spikes"][0]["top_order_facts"] == ["carrier=DPD (90%)"]
    assert out["spikes"][0]["hour_received"] == 22  # the whole hour, beside the alert's count
    assert report(records, Period(until=T0), "intent")["spikes"] == []
    block = demo_block(records)
    assert block == {"first_response_s": {"p50": 30.0, "p90": 30.0},
                     "resolution_s": {"p50": 300.0, "p90": 300.0}, "fcr_rate": 1.0,
                     "csat_avg": None, "volume_by_intent": {"order_status": 22, "refund": 3},
                     "spikes": 1}
    text = render_table(out)
    assert "SPIKE order_status" in text and "carrier=DPD" in text
    assert "order_status 22" in text


def test_an_empty_read_is_an_empty_report_not_an_error() -> None:
    out = report(KpiRecords(), Period(since=T0), "queue")
    assert out["rows"] == [{**out["rows"][0], "group": "all", "tickets": 0}]
    assert out["rows"][0]["fcr_rate"] is None and out["rows"][0]["csat_avg"] is None
    assert demo_block(KpiRecords())["spikes"] == 0
    assert "none in the period" in render_table(out)


Record = namedtuple("Record", "topic partition offset timestamp value")


class FakeOffsets:
    """BrokerOffsets' three calls, over fixed records: what is past the ends is not read."""

    bootstrap = "broker:9092"

    def __init__(self, records: list[Record], topics: set[str]) -> None:
        self.records, self.topics = records, topics

    def partitions(self, topics: Sequence[str]) -> list[tuple[str, int]]:
        return [(t, p) for t in topics if t in self.topics for p in (0, 1)]

    def ends(self, tps: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
        return {tp: 2 for tp in tps}

    def read_records(self, ends: dict[tuple[str, int], int]) -> list[Record]:
        return [r for r in self.records if r.offset < ends[(r.topic, r.partition)]]


def test_reading_feeds_every_record_up_to_the_ends_and_names_a_missing_topic() -> None:
    values = [kpi_ticket(n).model_dump_json().encode() for n in range(3)]
    records = [Record("kpi.tickets", 0, 0, 0, values[0]),
               Record("kpi.tickets", 0, 1, 0, values[1]),
               Record("kpi.tickets", 0, 2, 0, values[2]),  # written after the ends were read
               Record("kpi.rollups", 1, 0, 0, None)]
    read = read_kpi_topics(FakeOffsets(records, {"kpi.tickets", "kpi.fcr", "kpi.rollups",
                                                 "kpi.alerts"}))
    assert sorted(t.ticket_id for t in read.tickets.values()) == [
        f"tk_{n:024x}" for n in (0, 1)]
    with pytest.raises(BrokerError, match=r"kpi\.alerts, kpi\.fcr does not exist on broker"):
        read_kpi_topics(FakeOffsets(records, {"kpi.tickets", "kpi.rollups"}))


def red_pixels(png: bytes) -> int:
    from PIL import Image

    raw = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    return sum(1 for i in range(0, len(raw), 3)
               if raw[i] > 200 and raw[i + 1] < 60 and raw[i + 2] < 60)


def test_the_plot_marks_spikes_and_draws_a_spiking_intent_outside_the_busiest() -> None:
    from ticketflow.kpi_plot import plot_png, volume_series

    records = KpiRecords()
    for n, intent in enumerate(("a", "b", "c", "d", "e", "f", "g")):
        add(records, "kpi.rollups", rollup(T0 - timedelta(hours=n), intent, 50 - n))
    add(records, "kpi.rollups", rollup(T0 + timedelta(hours=3), "order_status", 12))
    for n in range(4):
        add(records, "kpi.tickets", kpi_ticket(n, channel=("chat", "email")[n % 2],
                                               fr=60.0 * (n + 1)))
    axis, series = volume_series(records, Period(), top=3)
    assert len(axis) == 10 and axis[0] == T0 - timedelta(hours=6)
    assert list(series) == ["a", "b", "c", "other intents"]  # no spike: the busiest
    add(records, "kpi.alerts", alert(T0 + timedelta(hours=3), count=12))
    axis, series = volume_series(records, Period(), top=3)
    assert list(series) == ["order_status", "a", "b", "other intents"]
    assert series["order_status"][-1] == 12 and sum(series["order_status"]) == 12
    assert series["other intents"] == [sum(x) for x in zip(*(
        [50 - n if h == 6 - n else 0 for h in range(10)] for n in range(2, 7)), strict=True)]
    with_spike = plot_png(records, Period(), "test")
    assert with_spike.startswith(b"\x89PNG")
    without = KpiRecords(tickets=records.tickets, rollups=records.rollups)
    assert red_pixels(with_spike) > 50 and red_pixels(plot_png(without, Period(), "test")) == 0


def test_the_plot_of_nothing_says_so() -> None:
    from ticketflow.kpi_plot import plot_png

    assert plot_png(KpiRecords(), Period(), "empty").startswith(b"\x89PNG")


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "24h", "--from", "2026-11-01"], "give one"),
    (["--since", "soon"], "not a duration"),
    (["--from", "yesterday"], "not an ISO 8601"),
    (["--from", "2026-11-02", "--until", "2026-11-01"], "the period is empty"),
])
def test_kpi_period_options_are_checked_before_any_broker(args: list[str],
                                                          message: str) -> None:
    from click.testing import CliRunner

    from ticketflow.cli import cli

    result = CliRunner().invoke(cli, ["kpi", "--bootstrap", "127.0.0.1:1", *args], env={})
    assert result.exit_code == 2 and message in result.output, result.output
