"""``ticketflow kpi`` against an embedded broker of its own (Tansu starts in milliseconds), so
every record on the four KPI topics is known: redeliveries, two revisions of a rollup, a
follow-up with final values, records outside the period."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from kafka import KafkaProducer
from pydantic import BaseModel

from streams.admin import create_topics
from streams.topics import KPI
from tests.ticketflow.test_kpi_report import T0, alert, kpi_fcr, kpi_ticket, rollup
from ticketflow.broker import EmbeddedBroker, find_tansu
from ticketflow.cli import cli


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[str]:
    with EmbeddedBroker(find_tansu(), log_path=tmp_path / "tansu.log") as broker:
        yield broker.bootstrap


def kpi(bootstrap: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["kpi", "--bootstrap", bootstrap, *args], env={},
                                catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.integration
def test_kpi_reads_the_topics_to_their_end_and_counts_each_record_once(
    own_broker: str, tmp_path: Path,
) -> None:
    code, out = kpi(own_broker, "--json")
    assert code == 1 and "does not exist" in out and "ticketflow topics create" in out
    create_topics(own_broker, list(KPI), partitions=3)
    chat = [kpi_ticket(n, channel="chat", fr=60.0 * n) for n in range(1, 5)]  # 1..4 min
    mail = kpi_ticket(9, channel="email", queue="returns", fr=7200.0)
    old = kpi_ticket(10, channel="chat", solved_at=T0 - timedelta(days=3))
    producer = KafkaProducer(bootstrap_servers=own_broker)

    def send(topic: str, key: str, record: BaseModel) -> None:
        producer.send(topic, key=key.encode(), value=record.model_dump_json().encode())

    for t in [*chat, mail, old, *chat[:2]]:  # two redelivered
        send("kpi.tickets", t.ticket_id, t)
    send("kpi.fcr", chat[0].ticket_id, kpi_fcr(chat[0], True, csat=5))
    send("kpi.fcr", chat[1].ticket_id, kpi_fcr(chat[1], False, csat=2))
    send("kpi.fcr", chat[1].ticket_id, kpi_fcr(chat[1], False, csat=2))
    first = rollup(T0, "order_status", 12)
    send("kpi.rollups", first.rollup_id, first)
    send("kpi.rollups", first.rollup_id, rollup(T0, "order_status", 21, revision=2))
    send("kpi.rollups", "x", rollup(T0 + timedelta(hours=1), "refund", 2))
    send("kpi.rollups", "y", rollup(T0 - timedelta(days=3), "refund", 7))  # before the period
    send("kpi.alerts", "order_status", alert(T0, count=21))
    send("kpi.alerts", "order_status", alert(T0, count=21))
    producer.flush()
    producer.close()

    plot = tmp_path / "kpi.png"
    code, out = kpi(own_broker, "--from", "2026-11-24", "--until", "2026-11-25", "--by",
                    "channel", "--json", "--plot", str(plot))
    assert code == 0, out
    data = json.loads(out.strip().splitlines()[-1])
    rows = {r["group"]: r for r in data["rows"]}
    assert [r["group"] for r in data["rows"]] == ["chat", "email", "all"]
    assert (rows["chat"]["tickets"], rows["email"]["tickets"], rows["all"]["tickets"]) == (4, 1,
                                                                                          5)
    assert (rows["chat"]["first_response_p50_s"], rows["chat"]["first_response_p90_s"]) == (
        120.0, 240.0)
    assert (rows["chat"]["fcr_decided"], rows["chat"]["fcr_rate"]) == (2, 0.5)
    assert rows["chat"]["csat_avg"] == 3.5
    assert data["volume_by_intent"] == {"order_status": 21, "refund": 2}
    assert [(s["intent"], s["count"]) for s in data["spikes"]] == [("order_status", 21)]
    assert data["records"] == {"tickets": 6, "fcr": 2, "rollups": 3, "alerts": 1}
    assert plot.read_bytes().startswith(b"\x89PNG") and data["plot"] == str(plot)

    code, out = kpi(own_broker, "--from", "2026-11-24T00:00:00+00:00", "--until",
                    "2026-11-25T00:00:00Z", "--by", "queue")
    assert code == 0, out
    assert "SPIKE order_status" in out and "carrier=DPD" in out
    assert out.splitlines()[3].split()[:2] == ["orders", "4"]
    code, out = kpi(own_broker, "--since", "24h", "--json")  # now: nothing of November
    assert code == 0 and json.loads(out.strip().splitlines()[-1])["rows"][-1]["tickets"] == 0
