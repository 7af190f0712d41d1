from ticketflow.demo import DemoStats


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
    assert helpdesk.send_due(producer) == 2
    assert {t for t, _ in producer.sent} == {"helpdesk.events"}


def test_the_final_line_names_the_worker_metrics_url_and_its_worker_serves_there() -> None:
    from ticketflow.demo import DEMO_WORKER_ENV, demo_worker_env, metrics_url

    stats = DemoStats(published=1, metrics_url=metrics_url(9464))
    summary = stats.summary()
    assert summary["metrics_url"] == "http://127.0.0.1:9464/metrics"
    assert list(summary)[-1] == "metrics_url"  # added at the end: earlier keys keep their place
    assert DemoStats().summary()["metrics_url"] is None  # before a worker was started
    env = demo_worker_env(9464)
    assert env == {**DEMO_WORKER_ENV, "TICKETFLOW_METRICS_PORT": "9464"}
