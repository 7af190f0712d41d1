"""``ticketflow db import|seed`` as a shop sees them: sentences on stderr, JSON on request, an
exit status that tells a script whether rows were rejected."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ticketflow.cli import cli

CUSTOMERS = "id,name,email\nA1,Ada,ada@example.com\nA2,Bob,bob@example.com\nA3,Cy,cy@example.com\n"
ORDERS = ("number,customer_id,status,total,currency,placed_at\n"
          "1001,A1,paid,10,EUR,2026-11-20\n1002,A1,paid,10,EUR,2026-11-20\n"
          "1003,A2,paid,10,EUR,2026-11-20\n1004,A3,paid,10,EUR,2026-11-20\n"
          "1005,A3,sent,10,EUR,2026-11-20\n")


def run(*args: str, env: dict[str, str]):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def _files(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    env = {"TICKETFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}"}
    return tmp_path / "customers.csv", tmp_path / "orders.csv", env


def test_import_with_a_rejected_row_says_so_and_exits_1(tmp_path: Path) -> None:
    customers, orders, env = _files(tmp_path)
    result = run("db", "import", "--customers", str(customers), "--orders", str(orders),
                 env=env)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "3 customers inserted, 4 orders inserted, 1 row rejected:",
        "  orders.csv:6: status 'sent' is not one of placed, paid, shipped, delivered, "
        "cancelled, returned",
    ]


def test_allow_rejects_and_json(tmp_path: Path) -> None:
    customers, orders, env = _files(tmp_path)
    result = run("db", "import", "--customers", str(customers), "--orders", str(orders),
                 "--allow-rejects", "--json", env=env)
    assert result.exit_code == 0
    data = json.loads(result.stdout.splitlines()[-1])
    assert (data["customers_inserted"], data["orders_inserted"]) == (3, 4)
    assert data["rejected"] == [{"file": "orders.csv", "line": 6, "reason":
                                 "status 'sent' is not one of placed, paid, shipped, "
                                 "delivered, cancelled, returned"}]
    again = run("db", "import", "--customers", str(customers), env=env)
    assert again.exit_code == 0
    assert again.stderr.strip() == "3 customers updated"


def test_seed_prints_a_sentence(tmp_path: Path) -> None:
    env = {"TICKETFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    result = run("db", "seed", env=env)
    assert result.exit_code == 0
    assert result.output.startswith("demo shop seeded in ")
    assert "SeedSummary" not in result.output and "VIP customers: C" in result.output
