"""Step 4 of the README's "Plug in your shop", live: the shop's import, shop file and messages
through a real worker on the embedded broker, replayed with ``ingest --shift-to-now`` and
``--shift-by``, routed to the queues the README promises."""

from __future__ import annotations

import json
import re
import shlex
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from streams.kafka_io import make_consumer
from streams.topics import TICKETS_ROUTED
from ticketflow.cli import cli

from ..test_plug_in_walkthrough import commands, marked_blocks
from .conftest import wait_until


def step_four() -> list[list[str]]:
    """The section's ``ticketflow ingest`` lines, in order (the broker, the worker and tail are
    the test's own)."""
    return [c for c in commands() if c[0] == "ingest"]


def test_the_shops_messages_reach_the_promised_queues(topics: str, start_worker,
                                                     tmp_path: Path, monkeypatch) -> None:
    for name, body in marked_blocks("file").items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    env = {"TICKETFLOW_SHOP_FILE": str(tmp_path / "shop.yaml"),
           "TICKETFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}",
           "TICKETFLOW_DATA_DIR": str(tmp_path / "data"), "TICKETFLOW_KAFKA_BOOTSTRAP": topics}
    runner = CliRunner()
    imported = runner.invoke(cli, ["db", "import", "--customers", "customers.csv", "--orders",
                                   "orders.jsonl", "--allow-rejects"], env=env)
    assert imported.exit_code == 0, imported.output
    ids = {}
    for channel, name in (("email", "email.eml"), ("whatsapp", "whatsapp.json"),
                          ("sms", "sms.txt")):
        shown = runner.invoke(cli, ["normalize", "--channel", channel, name], env=env)
        ids[channel] = json.loads(shown.stdout.splitlines()[-1])["tickets"][0]["ticket_id"]
    consumer = make_consumer(topics, [TICKETS_ROUTED.name], from_beginning=False)
    routed: dict[str, dict] = {}

    def poll() -> None:
        for _tp, messages in consumer.poll(timeout_ms=200).items():
            for message in messages:
                value = json.loads(message.value)
                if value["ticket"]["ticket_id"] in ids.values():
                    routed.setdefault(value["ticket"]["ticket_id"], value)

    start_worker(TICKETFLOW_SHOP_FILE=env["TICKETFLOW_SHOP_FILE"],
                 TICKETFLOW_DATABASE_URL=env["TICKETFLOW_DATABASE_URL"])
    shift: str | None = None
    started = datetime.now(UTC)
    for args in step_four():
        args = [shift if a == "N" else a for a in args]
        assert None not in args, "the README uses --shift-by N before --shift-to-now printed N"
        result = runner.invoke(cli, [str(a) for a in args], env=env)
        assert result.exit_code == 0, result.output
        moved = re.search(r"--shift-by (\d+) keeps", result.stderr)
        if moved:
            shift = moved.group(1)
    assert shift is not None and int(shift) > 0
    wait_until(lambda: len(routed) == 3, 180, lambda: f"3 routed tickets, got {len(routed)}",
               poll)
    consumer.close()
    email, whatsapp, sms = (routed[ids[c]] for c in ("email", "whatsapp", "sms"))
    # the README's promises: Mina is vip by the import, Lucía's marketplace order is late
    assert email["decision"]["queue"] == sms["decision"]["queue"] == "vip"
    assert whatsapp["decision"]["queue"] == "orders"
    (order,) = whatsapp["ticket"]["enrichment"]["orders"]
    assert (order["number"], order["late"], order["carrier"]) == (
        "114-3941689-8772232", True, "SEUR")
    # --shift-to-now put the e-mail (its only message) at now; --shift-by moved WhatsApp by as
    # much, so the two keep the spacing they were written with
    received = {c: datetime.fromisoformat(routed[ids[c]]["ticket"]["received_at"])
                for c in ids}
    assert abs(received["email"] - started) < timedelta(minutes=2)
    original = datetime(2026, 12, 3, 17, 12, tzinfo=UTC)  # Thu, 03 Dec 2026 09:12 -0800
    wa_written = datetime.fromtimestamp(1796295600, UTC)  # 5 h before the e-mail
    assert received["whatsapp"] - received["email"] == wa_written - original
    assert shlex.join(step_four()[0]).startswith("ingest --channel email --shift-to-now")
