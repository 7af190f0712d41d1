"""Hourly rollups and volume spikes, driven through RollupStage with an injected clock and a
dict as table (kpi/rollups.py)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kpi.rollups import (
    HOUR,
    MAX_EXAMPLES,
    MAX_SAMPLE,
    HourState,
    IntentState,
    Output,
    PartitionState,
    RollupConfig,
    RollupStage,
    alert_id,
    baseline_for,
    hour_key,
    hour_of,
    partition_key,
    percentile,
    rollup_config,
)
from kpi.stage import fact_messages
from schemas.kpi import (
    KpiAlert,
    KpiFact,
    KpiFactKind,
    KpiFacts,
    KpiRollup,
    OrderFact,
    kpi_fact_id,
)
from sla.stage import InMessage
from tests.conftest import ManualClock

M = timedelta(minutes=1)
T9 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # the demo corpus' month: event time, not now
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
WISMO = "where_is_my_order"
OTHER = "refund_request"
CONFIG = RollupConfig(spike_ratio=3.0, spike_min_count=10, half_life_h=24.0,
                      lateness=timedelta(minutes=5), keep=timedelta(hours=48))




class Table(dict[str, bytes]):
    """The kpi-rollups table: writes applied as faust_adapter.write_table_batch would."""

    def apply(self, writes: list[tuple[int, str, bytes | None]]) -> None:
        for _, key, value in writes:
            if value is None:
                self.pop(key, None)
            else:
                self[key] = value


def fact(kind: KpiFactKind, ticket: str, at: datetime, intent: str = WISMO,
         queue: str = "orders", channel: str = "email", detail: str = "",
         **fields: Any) -> KpiFact:
    return KpiFact(fact_id=kpi_fact_id(ticket, kind, detail), kind=kind, ticket_id=ticket,
                   at=at, queue=queue, channel=channel, intent=intent, **fields)


def received(n: int, start: datetime, intent: str = WISMO, prefix: str = "t",
             **fields: Any) -> list[KpiFact]:
    """``n`` tickets received one minute apart from ``start``."""
    return [fact("received", f"{prefix}-{intent}-{start:%d%H%M}-{i}", start + i * M,
                 intent=intent, **fields) for i in range(n)]


def message(f: KpiFact | bytes, partition: int = 0, offset: int = 0) -> InMessage:
    """One fact in a facts message (bytes: a message as is)."""
    value = f if isinstance(f, bytes) else KpiFacts(
        intent=f.intent, facts=(f,)).model_dump_json().encode()
    return InMessage(topic="ticketflow-kpi-facts", partition=partition, offset=offset,
                     value=value, timestamp=NOW, key=None)


class Run:
    """A stage, its table and everything it emitted, batch after batch."""

    def __init__(self, config: RollupConfig = CONFIG, clock: ManualClock | None = None) -> None:
        self.stage = RollupStage(config, clock or ManualClock(NOW))
        self.table = Table()
        self.rollups: list[KpiRollup] = []
        self.alerts: list[KpiAlert] = []
        self.late = 0

    def batch(self, facts: Sequence[KpiFact | bytes], partition: int = 0) -> Output:
        out = self.stage.handle_batch([message(f, partition) for f in facts], self.table.get)
        self.table.apply(out.writes)
        self.rollups += out.rollups
        self.alerts += out.alerts
        self.late += out.late
        return out

    def one_by_one(self, facts: list[KpiFact]) -> None:
        for f in facts:
            self.batch([f])

    def latest(self) -> dict[str, KpiRollup]:
        """The compacted topic's view: the highest revision per rollup_id."""
        out: dict[str, KpiRollup] = {}
        for r in self.rollups:
            if r.rollup_id not in out or r.revision > out[r.rollup_id].revision:
                out[r.rollup_id] = r
        return out

    def intent(self, intent: str = WISMO) -> IntentState:
        return IntentState.model_validate_json(self.table[intent])


def tick(at: datetime, n: int = 0) -> KpiFact:
    """A fact of another intent: moves the partition's watermark."""
    return fact("received", f"tick-{at.isoformat()}-{n}", at, intent="other_tick")


def mine(rollups: list[KpiRollup] | dict[str, KpiRollup], intent: str = WISMO) -> list[KpiRollup]:
    values = rollups.values() if isinstance(rollups, dict) else rollups
    return [r for r in values if r.intent == intent]


# --- closing hours by event time -------------------------------------------------------------

def test_an_hour_closes_when_the_watermark_passes_its_end_plus_lateness_with_any_intent():
    run = Run()
    facts = [
        fact("received", "a", T9 + 1 * M, order_facts=(OrderFact(field="carrier", value="DHL"),)),
        fact("received", "b", T9 + 2 * M, channel="chat"),
        fact("solved", "a", T9 + 30 * M, first_response_s=60.0, resolution_s=600.0),
        fact("solved", "c", T9 + 31 * M, first_response_s=120.0, resolution_s=1200.0),
        fact("solved", "d", T9 + 32 * M, first_response_s=None, resolution_s=300.0),
        fact("fcr", "e", T9 + 40 * M, fcr=True),
        fact("fcr", "f", T9 + 41 * M, fcr=False),
        fact("fcr", "g", T9 + 42 * M, fcr=True),
        fact("breach", "a", T9 + 43 * M, metric="first_response", detail="first_response"),
        fact("csat", "a", T9 + 50 * M, csat_score=5),
        fact("csat", "c", T9 + 51 * M, csat_score=2),
    ]
    run.batch(facts)
    assert run.rollups == []
    run.batch([tick(T9 + HOUR + 4 * M)])  # end + 4 min: still open
    assert run.rollups == []
    run.batch([tick(T9 + HOUR + 5 * M)])  # end + lateness, by another intent's fact
    by_channel = {r.channel: r for r in mine(run.rollups)}
    assert set(by_channel) == {"email", "chat"}
    email = by_channel["email"]
    assert email.rollup_id == f"{T9.isoformat()}|orders|email|{WISMO}"
    assert (email.hour_start, email.queue, email.intent, email.revision) == (
        T9, "orders", WISMO, 1)
    assert (email.received, email.solved) == (1, 3)
    assert (email.first_response_p50_s, email.first_response_p90_s) == (60.0, 120.0)
    assert (email.resolution_p50_s, email.resolution_p90_s) == (600.0, 1200.0)
    assert (email.fcr_decided, email.fcr_resolved) == (3, 2)
    assert email.fcr_rate == pytest.approx(2 / 3)
    assert (email.csat_count, email.csat_avg, email.breaches) == (2, 3.5, 1)
    assert email.emitted_at == NOW  # the wall clock, only here
    chat = by_channel["chat"]
    assert (chat.received, chat.solved, chat.fcr_rate, chat.csat_avg,
            chat.first_response_p50_s) == (1, 0, None, None, None)


def test_an_hour_without_facts_of_its_own_closes_and_the_next_one_waits():
    run = Run()
    run.batch(received(2, T9) + received(1, T9 + HOUR))
    run.batch([tick(T9 + 2 * HOUR + 5 * M)])
    hours = sorted((r.hour_start, r.received) for r in mine(run.rollups))
    assert hours == [(T9, 2), (T9 + HOUR, 1)]
    run.batch([tick(T9 + 5 * HOUR)])
    assert len(mine(run.rollups)) == 2  # nothing more: empty hours emit nothing


def test_watermarks_are_per_partition():
    run = Run()
    run.batch(received(1, T9), partition=0)
    run.batch([tick(T9 + 3 * HOUR)], partition=1)
    assert run.rollups == []
    run.batch([tick(T9 + 3 * HOUR)], partition=0)
    assert [r.received for r in mine(run.rollups)] == [1]


def test_only_tickets_arrival_moves_the_watermark_so_a_replay_answered_today_still_counts():
    """The demo: November's corpus replayed, answered by a help desk living in December. The
    solves (dated now) count in their own hour but close no November hour, and the burst
    that arrives after them is still a spike."""
    run = Run(clock=ManualClock(NOW))
    out = run.batch([*received(3, T9, prefix="early"),
                     fact("solved", f"early-{WISMO}-020900-0", NOW - M, resolution_s=60.0),
                     fact("csat", f"early-{WISMO}-020900-0", NOW - 2 * M, csat_score=4)])
    assert (out.late, out.rollups) == (0, [])
    part = PartitionState.model_validate_json(run.table[partition_key(0)])
    assert part.watermark == T9 + 2 * M
    out = run.batch(received(10, T9 + 20 * M, prefix="burst"))
    assert out.late == 0
    assert [(a.window_start, a.count) for a in out.alerts] == [(T9, 10)]
    run.batch([tick(T9 + 2 * HOUR)])
    assert [(r.hour_start, r.received) for r in mine(run.rollups)] == [(T9, 13)]
    # the solve's hour (now) stays open until tickets of that time arrive
    assert {h.start for h in run.intent().hours} == {T9, hour_of(NOW - M)}


def test_a_partition_without_a_ticket_yet_has_no_watermark():
    run = Run()
    out = run.batch([fact("solved", "s", T9, resolution_s=1.0)])
    assert out.rollups == [] and out.volumes == {}
    assert PartitionState.model_validate_json(run.table[partition_key(0)]).watermark is None


def test_the_watermark_never_passes_the_wall_clock():
    clock = ManualClock(T9 + 30 * M)
    run = Run(clock=clock)
    run.batch(received(1, T9))
    run.batch([tick(T9 + 80 * M)])  # 50 min in the future: counted, but closes nothing
    assert run.rollups == []
    part = PartitionState.model_validate_json(run.table[partition_key(0)])
    assert part.watermark == T9 + 30 * M
    clock.now = T9 + HOUR + 10 * M
    run.batch([tick(T9 + HOUR + 6 * M)])
    assert [r.received for r in mine(run.rollups)] == [1]


# --- late facts, duplicates, batches ---------------------------------------------------------

def test_a_late_fact_for_a_kept_hour_re_emits_its_cell_one_revision_up():
    run = Run()
    run.batch([*received(2, T9), tick(T9 + 3 * HOUR)])
    (first,) = mine(run.rollups)
    assert (first.revision, first.received) == (1, 2)
    run.batch([fact("received", "late-1", T9 + 50 * M),
               fact("received", "late-2", T9 + 55 * M, queue="billing")])
    latest = mine(run.latest())
    assert sorted((r.queue, r.revision, r.received) for r in latest) == [
        ("billing", 1, 1), ("orders", 2, 3)]


def test_a_fact_older_than_the_kept_hours_is_late_and_in_no_rollup():
    run = Run()
    run.batch(received(1, T9 + 60 * HOUR))
    before = dict(run.table)
    out = run.batch([fact("received", "too-late", T9 + 60 * HOUR - CONFIG.keep - HOUR)])
    assert (out.late, out.rollups, out.alerts) == (1, [], [])
    # only the watermark's partition entry may be rewritten; no hour of the fact appears
    assert {k for k in run.table if k.startswith(WISMO)} == {
        k for k in before if k.startswith(WISMO)}
    # the hour ending exactly keep before the watermark is gone; the next one is kept
    gone = fact("received", "gone", T9 + 60 * HOUR - CONFIG.keep - 1 * M)
    assert run.batch([gone]).late == 1
    kept = fact("received", "just-kept", T9 + 60 * HOUR - CONFIG.keep)
    assert run.batch([kept]).late == 0


def test_duplicates_count_once_in_a_batch_across_batches_and_after_a_crash():
    solved = fact("solved", "s", T9 + 10 * M, first_response_s=5.0, resolution_s=50.0)
    facts = [*received(3, T9), solved]
    run = Run()
    out = run.batch(facts + facts[:2])
    assert out.duplicates == 2
    crashed_before_storing = dict(run.table)
    assert run.batch(facts).duplicates == 4
    # a crash between delivery and storing: the batch comes again to the old state
    run.table = Table(crashed_before_storing)
    run.batch(facts)
    run.batch([tick(T9 + 2 * HOUR)])
    (r,) = mine(run.rollups)
    assert (r.received, r.solved, r.revision) == (3, 1, 1)


def test_batch_boundaries_change_neither_rollups_nor_alerts():
    rng = random.Random(14)
    facts = received(14, T9) + received(3, T9 + HOUR, intent=OTHER)
    facts += [fact("solved", f"s{i}", T9 + (5 + i) * M, resolution_s=float(rng.randint(1, 999)))
              for i in range(20)]
    facts.sort(key=lambda f: f.at)
    # hour 9 closes, then a late fact of it (revision 2), then more of hour 11
    facts += [tick(T9 + 2 * HOUR), fact("received", "late", T9 + 30 * M)]
    facts += received(2, T9 + 2 * HOUR + M)
    whole, single = Run(), Run()
    whole.batch(facts)
    single.one_by_one(facts)
    assert {r.revision for r in single.rollups} == {1, 2}
    strip = {"emitted_at", "detected_at"}
    # one batch publishes only a rollup's latest revision; the compacted topic agrees
    assert {k: r.model_dump(exclude=strip) for k, r in whole.latest().items()} == {
        k: r.model_dump(exclude=strip) for k, r in single.latest().items()}
    assert len(whole.rollups) == len(whole.latest())
    assert [a.model_dump(exclude=strip) for a in whole.alerts] == [
        a.model_dump(exclude=strip) for a in single.alerts]
    assert whole.table == single.table


def test_facts_sent_as_the_kpi_stage_sends_them_count_as_one_by_one():
    facts = received(14, T9) + received(3, T9 + HOUR, intent=OTHER)
    facts += [fact("solved", f"s{i}", T9 + (5 + i) * M, resolution_s=float(i)) for i in range(5)]
    facts += [tick(T9 + 2 * HOUR), *received(2, T9 + 2 * HOUR + M)]
    batched, single = Run(), Run()
    messages = [InMessage(topic="ticketflow-kpi-facts", partition=0, offset=i,
                          value=m.model_dump_json().encode(), timestamp=NOW, key=None)
                for i, m in enumerate(fact_messages(facts))]
    assert len(messages) == 3  # one per intent
    out = batched.stage.handle_batch(messages, batched.table.get)
    batched.table.apply(out.writes)
    batched.rollups += out.rollups
    single.one_by_one(facts)
    strip = {"emitted_at", "detected_at"}
    assert {k: r.model_dump(exclude=strip) for k, r in batched.latest().items()} == {
        k: r.model_dump(exclude=strip) for k, r in single.latest().items()}
    assert batched.table == single.table


def test_a_message_that_is_not_a_facts_batch_counts_as_invalid():
    run = Run()
    lone = fact("received", "t1", T9).model_dump_json().encode()  # a bare fact: not a batch
    assert run.batch([lone, b"{not json"]).invalid == 2


def test_a_replay_of_old_traffic_gives_what_live_traffic_gave():
    facts = received(12, T9) + received(2, T9 + HOUR) + [tick(T9 + 3 * HOUR)]
    live, replay = Run(clock=ManualClock(T9 + 3 * HOUR + M)), Run(clock=ManualClock(NOW))
    for f in facts:  # live: each fact as it happens
        live.stage.clock.now = max(f.at, live.stage.clock.now)  # type: ignore[attr-defined]
        live.batch([f])
    replay.batch(facts)  # weeks later, in one backlog
    strip = {"emitted_at", "detected_at"}
    assert [r.model_dump(exclude=strip) for r in live.rollups] == [
        r.model_dump(exclude=strip) for r in replay.rollups]
    assert [a.model_dump(exclude=strip) for a in live.alerts] == [
        a.model_dump(exclude=strip) for a in replay.alerts]
    assert len(replay.alerts) == 1


# --- baseline and spikes ---------------------------------------------------------------------

def test_the_baseline_starts_at_the_first_hour_and_decays_across_empty_hours():
    run = Run()
    run.batch([*received(8, T9), tick(T9 + HOUR + 5 * M)])
    state = run.intent()
    assert (state.baseline, state.baseline_through) == (8.0, T9)
    alpha = 0.5 ** (1 / 24)
    # hour 10 empty, hour 11 with 2: two hours of decay, one of them mixing in the 2
    run.batch([*received(2, T9 + 2 * HOUR), tick(T9 + 3 * HOUR + 5 * M)])
    state = run.intent()
    assert state.baseline_through == T9 + 2 * HOUR
    assert state.baseline == pytest.approx(alpha * alpha * 8 + (1 - alpha) * 2)
    # 24 empty hours later: halved, and the expectation for hour 12 + 24 is that
    later = T9 + 3 * HOUR + 24 * HOUR
    assert baseline_for(state, later, CONFIG) == pytest.approx(state.baseline / 2)
    assert baseline_for(state, T9 + 3 * HOUR, CONFIG) == pytest.approx(state.baseline)


def test_an_open_earlier_hour_counts_in_the_baseline_of_the_next():
    run = Run()
    run.batch(received(30, T9, prefix="a"))
    # hour 10 starts before hour 9 closes (lateness): hour 9's 30 are its expectation already
    out = run.batch(received(12, T9 + HOUR, prefix="b"))
    assert out.alerts == [a for a in out.alerts if a.window_start == T9]  # none for hour 10
    state = run.intent()
    assert baseline_for(state, T9 + HOUR, CONFIG) == 30.0


def test_a_new_intent_spikes_once_an_hour_at_the_minimum_count_with_the_floored_ratio():
    run = Run()
    first = received(9, T9)
    assert run.batch(first).alerts == []  # the first few tickets of a new intent: no spike
    out = run.batch(received(3, T9 + 20 * M, prefix="more"))
    (alert,) = out.alerts
    assert alert.alert_id == alert_id(WISMO, T9)
    assert (alert.intent, alert.window_start, alert.window_end) == (WISMO, T9, T9 + HOUR)
    assert (alert.count, alert.baseline, alert.min_count) == (10, 0.0, 10)
    assert alert.ratio == pytest.approx(3.0)  # 10 / floor (10 / 3)
    assert alert.threshold_ratio == 3.0
    assert alert.detected_at == NOW
    assert run.batch(received(5, T9 + 40 * M, prefix="again")).alerts == []  # once an hour
    assert len(run.alerts) == 1
    nxt = run.batch(received(60, T9 + HOUR, prefix="next"))  # 60 ≥ 3 × 10 (+ the 17)
    assert [a.window_start for a in nxt.alerts] == [T9 + HOUR]
    assert nxt.alerts[0].alert_id != alert.alert_id


def test_a_spike_needs_the_ratio_over_a_steady_baseline():
    run = Run()
    for h in range(6):  # a steady 10 an hour: one spike at the very first hour only
        run.batch(received(10, T9 + h * HOUR))
    assert [a.window_start for a in run.alerts] == [T9]
    busy = T9 + 6 * HOUR
    baseline = baseline_for(run.intent(), busy, CONFIG)
    assert baseline == pytest.approx(10.0)
    out = run.batch(received(29, busy))
    assert out.alerts == []
    (alert,) = run.batch(received(1, busy + 30 * M, prefix="30th")).alerts
    assert alert.count == 30
    assert alert.ratio == pytest.approx(30 / baseline)
    assert alert.baseline == pytest.approx(baseline)


def test_min_count_holds_even_far_over_a_tiny_baseline():
    config = RollupConfig(spike_ratio=2.0, spike_min_count=6, keep=timedelta(hours=48))
    run = Run(config)
    run.batch([*received(1, T9), tick(T9 + 2 * HOUR)])  # baseline 1: floor 3
    assert run.batch(received(5, T9 + 3 * HOUR)).alerts == []  # 5 / 3 < 2 and 5 < 6
    (alert,) = run.batch(received(1, T9 + 3 * HOUR + 30 * M, prefix="6th")).alerts
    assert (alert.count, alert.ratio) == (6, pytest.approx(2.0))


def test_a_closed_hour_becomes_a_spike_with_late_facts_against_the_baseline_it_closed_with():
    """A replay compressed into minutes arrives out of order: an hour's burst can come after
    the watermark closed the hour."""
    run = Run()
    for h in range(6):
        run.batch(received(10, T9 + h * HOUR))
    busy = T9 + 6 * HOUR
    expected = baseline_for(run.intent(), busy, CONFIG)
    assert expected == pytest.approx(10.0)
    run.batch(received(5, busy, prefix="on-time"))
    run.batch([tick(busy + 2 * HOUR)])  # closes it, and folds its 5 into the baseline
    held = next(h for h in run.intent().hours if h.start == busy)
    assert held.closed and held.expected == pytest.approx(expected)
    assert run.intent().baseline < expected
    assert run.batch(received(24, busy + 10 * M, prefix="late")).alerts == []  # 29 < 30
    (alert,) = run.batch(received(1, busy + 50 * M, prefix="30th")).alerts
    assert (alert.window_start, alert.count) == (busy, 30)
    assert alert.baseline == pytest.approx(expected)
    assert run.batch(received(5, busy + 55 * M, prefix="more")).alerts == []  # once


def test_an_hour_first_seen_closed_is_compared_with_the_current_baseline():
    run = Run()
    run.batch([*received(10, T9, prefix="a"), *received(10, T9 + 2 * HOUR, prefix="b"),
               tick(T9 + 4 * HOUR)])
    assert [a.window_start for a in run.alerts] == [T9]  # b: 10 < 3 × (10 decayed 1 h)
    baseline = run.intent().baseline  # folded through T9 + 2 h: ≈ 9.7
    assert run.batch(received(29, T9 + HOUR, prefix="gap")).alerts == []
    (alert,) = run.batch(received(1, T9 + HOUR + 40 * M, prefix="30th")).alerts
    assert (alert.window_start, alert.count) == (T9 + HOUR, 30)
    assert alert.baseline == pytest.approx(baseline)
    assert alert.ratio == pytest.approx(30 / baseline)


def test_the_alert_has_the_earliest_examples_and_the_top_order_facts():
    dhl = OrderFact(field="carrier", value="DHL")
    ups = OrderFact(field="carrier", value="UPS")
    late = OrderFact(field="late", value="true")
    shipped = OrderFact(field="status", value="shipped")
    facts = received(6, T9 + 10 * M, prefix="dhl", order_facts=(dhl, late, shipped))
    facts += received(2, T9 + 20 * M, prefix="ups", order_facts=(ups, shipped))
    facts += received(2, T9, prefix="none")  # no matched order
    facts += received(2, T9 + 30 * M, prefix="dup", order_facts=(dhl, dhl))
    random.Random(3).shuffle(facts)
    (alert,) = Run().batch(facts).alerts
    assert alert.count == 10  # detected at the 10th, whichever it was
    run = Run(RollupConfig(spike_min_count=12))
    in_order: list[KpiFact] = sorted(facts, key=lambda f: f.at)
    (alert,) = run.batch(in_order).alerts
    assert len(alert.example_ticket_ids) == MAX_EXAMPLES
    assert alert.example_ticket_ids[:2] == (f"none-{WISMO}-020900-0", f"none-{WISMO}-020900-1")
    ranked = [(o.field, o.value, o.count, o.share) for o in alert.top_order_facts]
    assert ranked == [
        ("carrier", "DHL", 8, pytest.approx(0.8)),
        ("status", "shipped", 8, pytest.approx(0.8)),
        ("late", "true", 6, pytest.approx(0.6)),
        ("carrier", "UPS", 2, pytest.approx(0.2)),
    ]


# --- gauges ---------------------------------------------------------------------------------

def test_volumes_follow_the_watermarks_hour():
    run = Run()
    out = run.batch(received(10, T9))
    assert out.volumes[WISMO].ratio == pytest.approx(3.0)
    assert out.volumes[WISMO].spiking is True
    assert out.volumes[WISMO].partition == 0
    out = run.batch(received(4, T9 + HOUR + 10 * M, intent=OTHER))
    # a new hour on the partition: every intent's gauge moves to it (none of WISMO yet)
    assert out.volumes[WISMO].ratio == 0.0
    assert out.volumes[WISMO].spiking is False
    assert out.volumes[OTHER].ratio == pytest.approx(4 / CONFIG.floor)
    assert run.stage.volumes(run.table.get, [0]) == out.volumes
    assert run.stage.volumes(run.table.get, [1]) == {}


# --- state bound -----------------------------------------------------------------------------

def test_state_is_bounded_hours_are_forgotten_then_the_intent():
    run = Run()
    days = 6
    for h in range(days * 24):
        run.batch(received(3, T9 + h * HOUR) + received(1, T9 + h * HOUR, intent=OTHER))
    hours = [k for k in run.table if k.startswith(f"{WISMO}/")]
    # kept: keep_h after the hour's end, plus the open ones
    assert len(hours) <= CONFIG.keep / HOUR + 2
    assert len(run.intent().hours) == len(hours)
    oldest = min(HourState.model_validate_json(run.table[k]).start for k in hours)
    assert oldest >= T9 + (days * 24 - 50) * HOUR
    # WISMO stops; OTHER goes on: its hours go, then its baseline decays and it is deleted
    out = None
    for h in range(days * 24, days * 24 + 24 * 12):
        out = run.batch(received(1, T9 + h * HOUR, intent=OTHER))
        if WISMO not in run.table:
            break
    assert out is not None and out.forgotten == [WISMO]
    assert not [k for k in run.table if k.startswith(WISMO)]
    part = PartitionState.model_validate_json(run.table[partition_key(0)])
    assert WISMO not in part.due and OTHER in part.due
    assert run.late == 0


def test_an_intent_forgotten_and_back_in_one_batch_keeps_its_gauge():
    run = Run()
    run.batch(received(1, T9))
    later = T9 + 400 * HOUR  # hour and baseline (1 ticket) long gone
    out = run.batch([tick(later), *received(2, later + M)])
    assert out.forgotten == []
    assert out.volumes[WISMO].ratio == pytest.approx(2 / CONFIG.floor)
    assert [h.start for h in run.intent().hours] == [later]
    assert run.intent().baseline_through is None  # a new intent again


def test_cell_samples_are_bounded_order_independent_and_exact_below_the_cap():
    values = [float(v) for v in range(1, MAX_SAMPLE * 3 + 1)]
    facts = [fact("solved", f"s{i}", T9 + (i % 50) * M, resolution_s=v,
                  first_response_s=v) for i, v in enumerate(values)]
    shuffled = list(facts)
    random.Random(7).shuffle(shuffled)
    a, b = Run(), Run()
    a.batch([*facts, tick(T9 + 2 * HOUR)])
    b.batch([*shuffled, tick(T9 + 2 * HOUR)])
    (ra,), (rb,) = mine(a.rollups), mine(b.rollups)
    assert ra.model_dump(exclude={"emitted_at"}) == rb.model_dump(exclude={"emitted_at"})
    assert ra.solved == MAX_SAMPLE * 3
    hour = HourState.model_validate_json(a.table[hour_key(WISMO, T9)])
    (cell,) = hour.cells.values()
    assert len(cell.resolution) == len(cell.first_response) == MAX_SAMPLE
    # a uniform sample: its median near the true one (lands within 15 %)
    assert ra.resolution_p50_s == pytest.approx(len(values) / 2, rel=0.15)


def test_percentiles_are_nearest_rank():
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.0
    assert percentile([float(v) for v in range(1, 11)], 0.9) == 9.0
    assert percentile([float(v) for v in range(1, 12)], 0.9) == 10.0


# --- bad input, settings ---------------------------------------------------------------------

def test_a_message_that_is_no_fact_is_counted_and_skipped():
    run = Run()
    out = run.batch([b'{"kind": "received"', received(1, T9)[0]])
    assert out.invalid == 1
    assert run.intent().hours[0].received == 1


def test_a_naive_time_is_utc_and_one_out_of_range_is_skipped():
    run = Run()
    naive = fact("received", "naive", T9.replace(tzinfo=None) + 5 * M)
    out = run.batch([naive, fact("received", "far", datetime(2300, 1, 1, tzinfo=UTC))])
    assert out.invalid == 1
    assert [h.start for h in run.intent().hours] == [T9]


def test_a_fact_dated_over_an_hour_ahead_of_the_wall_clock_is_skipped():
    clock = ManualClock(T9)
    run = Run(clock=clock)
    out = run.batch([fact("received", "ahead", T9 + 61 * M),
                     fact("received", "skewed", T9 + 59 * M)])
    assert out.invalid == 1
    assert [(h.start, h.received) for h in run.intent().hours] == [(T9, 1)]


def test_the_config_comes_from_settings():
    from core.settings import Settings

    config = rollup_config(Settings(kpi_spike_ratio=4.0, kpi_spike_min_count=8,
                                    kpi_baseline_half_life_h=12, kpi_rollup_lateness_s=60,
                                    kpi_rollup_keep_h=6))
    assert config == RollupConfig(spike_ratio=4.0, spike_min_count=8, half_life_h=12.0,
                                  lateness=timedelta(seconds=60), keep=timedelta(hours=6))
    assert config.floor == 2.0
    assert config.decay == pytest.approx(0.5 ** (1 / 12))
