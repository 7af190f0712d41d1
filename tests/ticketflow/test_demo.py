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
