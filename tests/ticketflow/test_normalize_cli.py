"""``ticketflow normalize``: what one raw message becomes, with the shop's order formats."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ticketflow.cli import cli

SHOP = """\
name: My Shop
order_numbers:
  - name: plain six digits
    pattern: '9\\d{5}'
    examples: ["Please cancel order 900302"]
  - name: sales order
    pattern: 'SO-\\d{4}-\\d{5}'
    upper: true
    ignore_case: true
"""
SMS = (b"Body=Please+cancel+order+900302+and+so-2024-00017&From=%2B14155550100"
       b"&MessageSid=SM123&To=%2B14155550000")


def run(*args: str, env: dict[str, str]):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_normalize_shows_which_format_found_each_order_number(tmp_path: Path) -> None:
    (tmp_path / "shop.yaml").write_text(SHOP, encoding="utf-8")
    (tmp_path / "sms.txt").write_bytes(SMS)
    result = run("normalize", "--channel", "sms", str(tmp_path / "sms.txt"),
                 env={"TICKETFLOW_SHOP_FILE": str(tmp_path / "shop.yaml")})
    assert result.exit_code == 0, result.output
    (ticket,) = json.loads(result.stdout.splitlines()[-1])["tickets"]
    assert ticket["order_numbers"] == [
        {"number": "900302", "format": "plain six digits"},
        {"number": "SO-2024-00017", "format": "sales order"}]
    assert ticket["customer"] == {"phone": "+14155550100"}
    assert "order numbers: 900302 (plain six digits), SO-2024-00017 (sales order)" in (
        result.stderr)


def test_without_a_shop_file_the_demo_formats_apply(tmp_path: Path) -> None:
    (tmp_path / "sms.txt").write_bytes(SMS)
    result = run("normalize", "--channel", "sms", str(tmp_path / "sms.txt"), env={})
    assert json.loads(result.stdout.splitlines()[-1])["tickets"][0]["order_numbers"] == []


def test_a_dead_letter_exits_1_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"Body=+&From=%2B14155550100&MessageSid=SM1&To=%2B1415")
    result = run("normalize", "--channel", "sms", str(tmp_path / "empty.txt"), env={})
    assert result.exit_code == 1
    assert json.loads(result.stdout.splitlines()[-1])["deadletter"]["error_code"] == (
        "empty_body")
    assert "dead letter empty_body" in result.stderr


def test_a_wrong_shop_file_stops_the_worker_before_it_starts(tmp_path: Path) -> None:
    (tmp_path / "shop.yaml").write_text("order_numbers: [{name: x, pattern: 'a('}]",
                                        encoding="utf-8")
    env = {"TICKETFLOW_SHOP_FILE": str(tmp_path / "shop.yaml"),
           "TICKETFLOW_KAFKA_BOOTSTRAP": "127.0.0.1:1"}
    result = run("worker", env=env)
    assert result.exit_code == 1
    assert "not a valid regular expression" in result.output
    assert "No Kafka broker" not in result.output  # it did not wait for a broker first
