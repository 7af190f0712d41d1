"""The README's "Plug in your shop" walkthrough, run as written: its files, its commands, the
outputs it shows, and the queues it promises."""

from __future__ import annotations

import json
import re
import shlex
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from channels import RawRecord, normalize
from channels.orders import load_order_formats
from classifiers.classify import classify_tickets
from enrichment.stage import EnrichStage
from routing_rules import load_compiled
from schemas import Source, Ticket
from store.db import make_engine, make_session_factory
from ticketflow.cli import cli

from .conftest import REPO

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## Plug in your shop")
    return text[start:text.index("\n## ", start + 1)]


def marked_blocks(kind: str) -> dict[str, str]:
    """``<!-- shop-<kind>: NAME -->`` followed by a fenced block: NAME → the block's text."""
    pattern = re.compile(rf"<!-- shop-{kind}: (.+?) -->\n```[a-z]*\n(.*?)```", re.DOTALL)
    return {name: body for name, body in pattern.findall(section())}


def commands() -> list[list[str]]:
    """The ``ticketflow …`` lines of the section's sh blocks that need no broker."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", section(), re.DOTALL):
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith("ticketflow ") and not line.endswith("&"):
                lines.append(shlex.split(line)[1:])
    return lines


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    for name, body in marked_blocks("file").items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    env = {"TICKETFLOW_SHOP_FILE": str(tmp_path / "shop.yaml"),
           "TICKETFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}",
           "TICKETFLOW_DATA_DIR": str(tmp_path / "data")}
    return tmp_path, env


def test_the_walkthrough_as_written(shop: tuple[Path, dict[str, str]], monkeypatch,
                                    intent_model) -> None:
    folder, env = shop
    monkeypatch.chdir(folder)
    outputs = marked_blocks("output")
    offline = [c for c in commands() if c[0] in ("db", "normalize")]
    assert [c[0] for c in offline] == ["db", "normalize", "normalize", "normalize"]
    # 2. the import: the summary the README shows, exit 1 for the rejected row
    result = CliRunner().invoke(cli, offline[0], env=env, catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr == outputs["db import"]
    # 3. each message: the order numbers and formats the README shows
    shown = outputs["normalize"].splitlines()
    tickets: list[Ticket] = []
    for args, expected in zip(offline[1:], shown, strict=True):
        result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        line = result.stderr.strip()
        assert re.fullmatch(re.escape(expected).replace("…", "[0-9a-f]{24}"), line), line
        (data,) = json.loads(result.stdout.splitlines()[-1])["tickets"]
        channel, path = args[2], folder / args[3]
        out = normalize(RawRecord(channel, path.read_bytes(), Source(
            topic=f"inbound.{channel}", partition=0, offset=0), NOW), NOW,
            order_formats=load_order_formats(folder / "shop.yaml"))
        assert isinstance(out, tuple) and out[0].ticket_id == data["ticket_id"]
        tickets.append(out[0])
    # 4. the queues it promises, through the pipeline's own stages and the demo ruleset
    engine = make_engine(env["TICKETFLOW_DATABASE_URL"])
    enriched = EnrichStage(make_session_factory(engine), clock=lambda: NOW)(
        classify_tickets(tickets, intent_model))
    engine.dispose()
    ruleset = load_compiled()
    email, whatsapp, sms = enriched
    for ticket in (email, sms):
        assert ticket.enrichment and ticket.enrichment.customer
        assert ticket.enrichment.customer.customer_id == "K1"
        assert ticket.enrichment.customer.segment == "vip"
        assert ruleset.route(ticket).queue == "vip"
    assert whatsapp.enrichment and whatsapp.enrichment.customer
    assert whatsapp.enrichment.customer.customer_id == "K3"
    (order,) = whatsapp.enrichment.orders
    assert (order.number, order.late, order.carrier) == ("114-3941689-8772232", True, "SEUR")
    assert ruleset.route(whatsapp).queue == "orders"
