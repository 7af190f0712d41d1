import json
from datetime import UTC, datetime
from typing import Any

from ticketflow.demo import DemoStats, plain_line


def ticket(tid: str, offset: int, channel: str = "sms", queue: str = "orders") -> dict:
    return {"ticket": {"ticket_id": tid, "channel": channel,
                       "source": {"topic": f"inbound.{channel}", "partition": 0,
                                  "offset": offset}},
            "decision": {"queue": queue, "priority": "P3"}}


def test_counts_dedupe_redeliveries_and_count_messages_not_tickets() -> None:
    stats = DemoStats(published=3)
    stats.add("tickets.routed", ticket("tk_a", 0, "whatsapp"))
    stats.add("tickets.routed", ticket("tk_b", 0, "whatsapp"))  # same webhook, 2nd message
    stats.add("tickets.routed", ticket("tk_a", 0, "whatsapp"))  # at-least-once redelivery
    stats.add("tickets.deadletter", {"deadletter_id": "dl_x", "error_code": "invalid_json"})
    stats.add("tickets.deadletter", {"deadletter_id": "dl_x", "error_code": "invalid_json"})
    summary = stats.summary()
    assert (summary["processed"], summary["tickets"], summary["deadlettered"]) == (1, 2, 1)
    assert summary["deadletters_by_code"] == {"invalid_json": 1}
    assert summary["routed"] == {"orders": 2}
    assert stats.accounted == 2 < stats.published
    assert list(summary)[:3] == ["published", "processed", "deadlettered"]


def sla_event(event_id: str, type_: str) -> dict:
    return {"event_id": event_id, "type": type_, "ticket_id": "tk_a", "metric": "first_response",
            "policy": "standard", "target": 20.0, "threshold": None}


def test_sla_events_are_counted_once_per_event_id_and_reroutes_apart() -> None:
    stats = DemoStats(published=1)
    stats.add("tickets.routed", ticket("tk_a", 0))
    stats.add("sla.events", sla_event("sla_1", "sla.applied"))
    stats.add("sla.events", sla_event("sla_2", "sla.breached"))
    stats.add("sla.events", sla_event("sla_2", "sla.breached"))  # redelivered
    rerouted = {**ticket("tk_a", 0, queue="returns"), "attempt": 2}
    stats.add("tickets.routed", rerouted)
    stats.add("tickets.routed", rerouted)
    summary = stats.summary()
    assert summary["sla_events"] == {"sla.applied": 1, "sla.breached": 1}
    assert summary["reroutes"] == 1
    assert summary["tickets"] == 1 and summary["routed"] == {"orders": 1}


def test_simulated_helpdesk_sends_each_plan_once_when_due() -> None:
    from datetime import UTC, datetime, timedelta

    from ticketflow.demo import SimulatedHelpdesk

    class Producer:
        def __init__(self) -> None:
            self.sent: list[tuple[str, bytes]] = []

        def send(self, topic: str, key: bytes, value: bytes) -> None:
            self.sent.append((topic, key))

    helpdesk = SimulatedHelpdesk()
    routed = {"ticket": {"ticket_id": "tk_" + "1" * 24}, "attempt": 2}
    helpdesk.schedule(routed)
    helpdesk.schedule(routed)  # a redelivery plans nothing more
    producer = Producer()
    assert helpdesk.send_due(producer) == 0  # planned seconds ahead
    helpdesk._queue = [(datetime.now(UTC) - timedelta(seconds=1), *rest)
                       for _, *rest in helpdesk._queue]
    from ticketflow.helpdesk_sim import plan

    planned = len(plan(routed, datetime.now(UTC)))
    assert planned >= 3  # assigned, replied, solved (and maybe a survey answer)
    assert helpdesk.send_due(producer) == planned
    assert helpdesk.send_due(producer) == 0
    assert {t for t, _ in producer.sent} == {"helpdesk.events"}


def test_the_final_line_names_the_worker_metrics_url_and_its_worker_serves_there() -> None:
    from ticketflow.demo import DEMO_WORKER_ENV, demo_worker_env, metrics_url

    stats = DemoStats(published=1, metrics_url=metrics_url(9464))
    summary = stats.summary()
    assert summary["metrics_url"] == "http://127.0.0.1:9464/metrics"
    # added at the end: earlier keys keep their place
    assert list(summary)[-3:] == ["metrics_url", "kpi", "replies"]
    assert DemoStats().summary()["metrics_url"] is None  # before a worker was started
    env = demo_worker_env(9464)
    assert env == {**DEMO_WORKER_ENV, "TICKETFLOW_METRICS_PORT": "9464"}


def test_kpi_records_feed_the_final_lines_kpi_block_once_each() -> None:
    from datetime import UTC, datetime, timedelta

    from schemas.kpi import KpiFcr, KpiTicket, SlaMet, kpi_record_id

    met = SlaMet(first_response=True, next_response=True, resolution=True)
    solved = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    tickets = [KpiTicket(
        record_id=kpi_record_id(f"tk_{n}", "kpi.ticket"), ticket_id=f"tk_{n}", channel="chat",
        intent="order_status", queue="orders", priority="P3", segment=None, language="en",
        sla_policy="standard", received_at=solved - timedelta(seconds=60 * n),
        solved_at=solved, first_response_s=10.0 * n, first_response_business_s=10.0 * n,
        resolution_s=60.0 * n, resolution_business_s=60.0 * n, agent_replies=1,
        reassignments=0, reroutes=0, reopened=False, sla_met=met, emitted_at=solved)
        for n in (1, 2, 3)]
    stats = DemoStats(published=3)
    assert stats.summary()["kpi"]["first_response_s"] == {"p50": None, "p90": None}
    for t in [*tickets, tickets[0]]:  # a redelivery
        stats.add("kpi.tickets", t.model_dump(mode="json"))
    fcr = KpiFcr(record_id=kpi_record_id("tk_1", "kpi.fcr"), ticket_id="tk_1",
                 ticket_record_id=tickets[0].record_id, channel="chat", intent="order_status",
                 queue="orders", fcr=True, recontact_ticket_id=None, window_s=15.0,
                 solved_at=solved, agent_replies=1, reassignments=0, reopened=False,
                 sla_met=met, csat_score=4, emitted_at=solved)
    stats.add("kpi.fcr", fcr.model_dump(mode="json"))
    kpi = stats.summary()["kpi"]
    assert kpi["first_response_s"] == {"p50": 20.0, "p90": 30.0}
    assert kpi["resolution_s"] == {"p50": 120.0, "p90": 180.0}
    assert (kpi["fcr_rate"], kpi["csat_avg"], kpi["spikes"]) == (1.0, 4.0, 0)
    assert summary_keys() == ["first_response_s", "resolution_s", "fcr_rate", "csat_avg",
                              "volume_by_intent", "spikes"]
    assert stats.summary()["tickets"] == 0  # KPI records are not tickets


def summary_keys() -> list[str]:
    return list(DemoStats().summary()["kpi"])


def test_the_demo_worker_decides_fcr_within_the_demo() -> None:
    from core.settings import Settings
    from ticketflow.demo import demo_worker_env

    env = demo_worker_env(9464)
    settings = Settings(kpi_fcr_window_s=float(env["TICKETFLOW_KPI_FCR_WINDOW_S"]),
                        kpi_fcr_grace_s=float(env["TICKETFLOW_KPI_FCR_GRACE_S"]))
    assert settings.kpi_fcr_window_s + settings.kpi_fcr_grace_s <= 30  # the demo runs ~45 s+


def test_the_pacer_sends_a_day_at_a_time_once_the_last_came_out_or_patience_ran_out() -> None:
    from datetime import UTC, datetime, timedelta
    from pathlib import Path

    from ticketflow.demo import Pacer

    day = datetime(2026, 11, 2, 8, tzinfo=UTC)
    times = [day, day + timedelta(hours=23), day + timedelta(hours=24), day + timedelta(days=3),
             None, None]
    items = [(at, ("email", Path(f"m{n}"))) for n, at in enumerate(times)]
    pacer = Pacer(items, patience_s=5.0)
    assert pacer.due(accounted=0, now=100.0) == [i for _, i in items[:2]]
    assert pacer.due(accounted=1, now=104.9) == []  # one still in the pipeline
    assert pacer.due(accounted=2, now=105.0) == [items[2][1]]  # all out: the next day
    assert pacer.due(accounted=2, now=109.0) == []
    assert pacer.due(accounted=2, now=110.0) == [items[3][1]]  # one lost? on after 5 s
    assert pacer.due(accounted=4, now=110.1) == [i for _, i in items[4:]]  # the untimed, last
    assert pacer.done and pacer.due(accounted=6, now=200.0) == []


def test_the_demo_rollups_wait_longer_than_a_chunk_spans_and_the_burst_is_one_chunk() -> None:
    from datetime import timedelta

    import corpus
    from corpus.generate import BURST_HOUR
    from ticketflow.demo import DEMO_WORKER_ENV, Pacer, received_times

    timed = received_times(corpus.load_manifest())
    pacer = Pacer([(at, (f.channel, f.path)) for at, f in timed])
    chunks = []
    while not pacer.done:
        chunks.append(pacer.due(accounted=pacer.sent, now=0.0))
    at = {(f.channel, f.path): t for t, f in timed}
    spans = [max(at[i] for i in c) - min(at[i] for i in c) for c in chunks if at[c[0]]]
    lateness = timedelta(seconds=float(DEMO_WORKER_ENV["TICKETFLOW_KPI_ROLLUP_LATENESS_S"]))
    assert max(spans) < timedelta(days=1) < lateness
    assert 20 <= len(chunks) <= 40  # about a second each: the demo's first half minute
    burst = [c for c in chunks if any(
        (t := at[i]) and BURST_HOUR <= t < BURST_HOUR + timedelta(hours=1) for i in c)]
    assert len(burst) == 1 and len(burst[0]) >= 22


def test_the_corpus_is_published_in_the_order_its_customers_wrote() -> None:
    import corpus
    from channels import RawRecord, normalize
    from schemas import Source
    from ticketflow.demo import in_received_order

    files = corpus.load_manifest()
    ordered = in_received_order(files)
    assert sorted(f.relative_path for f in ordered) == sorted(f.relative_path for f in files)
    assert ordered != files  # the manifest is sorted by path, not by time
    broken = [f for f in ordered if f.broken]
    assert ordered[-len(broken):] == broken
    times = []
    for f in ordered[:-len(broken)]:
        result = normalize(RawRecord(f.channel, f.read_bytes(), Source(
            topic=f"inbound.{f.channel}", partition=0, offset=0), datetime_now()), datetime_now())
        assert isinstance(result, tuple)
        times.append(min(t.received_at for t in result))
    assert times == sorted(times)


def datetime_now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _suggestion(ticket: str, answered: bool) -> dict[str, Any]:
    from schemas.replies import Promise, ReplySuggestion, ReplyText, Suppression, suggestion_id

    ack = ReplyText(template="acknowledge.en.j2", language="en", text="Thanks, we got it.",
                    characters=18)
    answer = ReplyText(template="order_status.en.j2", language="en",
                       text="Order 10001 left with DPD on Monday.", characters=36)
    s = ReplySuggestion(
        suggestion_id=suggestion_id(ticket), ticket_id=ticket, channel="email", queue="orders",
        intent="order_status", language="en", created_at=datetime(2026, 12, 5, tzinfo=UTC),
        promise=Promise(reply_by=None, open_now=True, policy="standard"), acknowledgement=ack,
        answer_kind="order_status", answer=answer if answered else None,
        suppressed=() if answered else (Suppression(reason="low_confidence",
                                                    detail="confidence 0.41 < 0.70"),),
        can_auto_resolve=answered, auto_send="answer" if answered else "acknowledgement",
        templates_version="v1")
    return json.loads(s.model_dump_json())


def test_suggested_replies_feed_the_final_lines_replies_block_once_each() -> None:
    stats = DemoStats()
    answered, withheld = _suggestion("tk_1", True), _suggestion("tk_2", False)
    assert stats.add("replies.suggested", answered)
    assert not stats.add("replies.suggested", answered)  # a redelivery
    assert stats.add("replies.suggested", withheld)
    assert stats.summary()["replies"] == {"acknowledged": 2, "answered": 1, "suppressed": 1,
                                          "answerable_share": 0.5}
    assert [s.ticket_id for s in stats.recent_answers] == ["tk_1"]
    assert "[no answer: low_confidence]" in plain_line("replies.suggested", withheld)
    assert "answer (order_status)" in plain_line("replies.suggested", answered)
