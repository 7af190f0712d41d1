"""What a shop needs on day one from ``db import``: its own segment and lifetime value per
customer, order lines, and a summary a person can read."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enrichment.enrich import SegmentRules, segment_of
from store.importer import import_files
from store.models import Customer, OrderLine
from store.queries import lookup_batch

CUSTOMERS = """\
id,name,email,segment,lifetime_value
V1,Vera Important,vera@example.com,VIP,
L1,Long Time,long@example.com,,2500.00
N1,Nobody Special,nobody@example.com,,
B1,Bad Segment,bad@example.com,gold,
B2,Bad Value,badvalue@example.com,,lots
"""

ORDERS = [
    {"number": "SO-1", "customer_id": "V1", "status": "paid", "total": "40.00",
     "currency": "EUR", "placed_at": "2026-11-20",
     "lines": [{"sku": "CH-1", "name": "Charger", "quantity": 2, "price": "15.00"},
               {"sku": "CB-1", "name": "Cable", "price": "10.00"}]},
    {"number": "SO-2", "customer_id": "L1", "status": "paid", "total": "9.00",
     "currency": "EUR", "placed_at": "2026-11-21"},
    {"number": "SO-3", "customer_id": "N1", "status": "paid", "total": "9.00",
     "currency": "EUR", "placed_at": "2026-11-21", "lines": [{"sku": "X", "quantity": 0}]},
]

LINES = """\
order_number,sku,name,quantity,price
#SO-2,MUG-1,Mug,3,3.00
SO-404,MUG-1,Mug,1,3.00
SO-2,,No sku,1,1.00
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _import(session: Session, tmp_path: Path):
    orders = "\n".join(json.dumps(o) for o in ORDERS)
    return import_files(session, write(tmp_path / "customers.csv", CUSTOMERS),
                        write(tmp_path / "orders.jsonl", orders),
                        write(tmp_path / "order_lines.csv", LINES))


def test_segment_and_lifetime_value_override_the_computed_ones(
    session: Session, tmp_path: Path
) -> None:
    summary = _import(session, tmp_path)
    reasons = {(r.file, r.line): r.reason for r in summary.rejected}
    assert reasons[("customers.csv", 5)] == (
        "segment 'gold' is not one of vip, high, regular, new")
    assert reasons[("customers.csv", 6)] == "lifetime_value 'lots' is not an amount like 59.90"
    facts = lookup_batch(session, [("email", "vera@example.com"), ("email", "long@example.com"),
                                   ("email", "nobody@example.com")], [])
    by_id = {c.id: c for matches in facts.customers_by_identity.values() for c in matches}
    rules = SegmentRules()
    assert segment_of(by_id["V1"], rules) == "vip"  # one 40 EUR order: computed, it is "new"
    assert by_id["L1"].lifetime_value == 2500.0  # the shop's figure, not 9.00
    assert segment_of(by_id["L1"], rules) == "vip"
    # its only order was rejected (a bad line): nothing computed, nothing overridden
    assert by_id["N1"].lifetime_value == 0.0 and segment_of(by_id["N1"], rules) == "new"
    # an empty cell in a later import clears the override: computed values apply again
    write(tmp_path / "again.csv", "id,segment,lifetime_value\nV1,,\nL1,,\n")
    import_files(session, tmp_path / "again.csv", None)
    stored = {c.id: c for c in session.scalars(sa.select(Customer))}
    assert stored["V1"].segment_override is None
    assert stored["L1"].lifetime_value_override is None
    assert stored["L1"].lifetime_value == Decimal("9.00")


def test_order_lines_inline_and_from_their_own_file(session: Session, tmp_path: Path) -> None:
    summary = _import(session, tmp_path)
    lines = {(line.order_number, line.sku): (line.title, line.quantity, line.unit_price)
             for line in session.scalars(sa.select(OrderLine))}
    assert lines == {
        ("SO-1", "CH-1"): ("Charger", 2, Decimal("15.00")),
        ("SO-1", "CB-1"): ("Cable", 1, Decimal("10.00")),
        ("SO-2", "MUG-1"): ("Mug", 3, Decimal("3.00")),
    }
    reasons = {(r.file, r.line): r.reason for r in summary.rejected}
    assert reasons[("orders.jsonl", 3)] == "lines[1]: name None: required, up to 200 characters"
    assert reasons[("order_lines.csv", 3)] == (
        "unknown order 'SO-404': not in the store nor in the orders file")
    assert reasons[("order_lines.csv", 4)] == "sku None: required, up to 64 characters"
    assert summary.order_lines_written == 3
    # lines given again for an order replace its stored ones
    write(tmp_path / "new_lines.csv", "order_number,sku,name,quantity,price\nSO-1,CH-2,Plug,1,5\n")
    import_files(session, None, None, tmp_path / "new_lines.csv")
    assert [(x.sku, x.title) for x in session.scalars(
        sa.select(OrderLine).where(OrderLine.order_number == "SO-1"))] == [("CH-2", "Plug")]


def test_the_summary_reads_as_a_sentence(session: Session, tmp_path: Path) -> None:
    summary = _import(session, tmp_path)
    text = str(summary)
    first, *rest = text.splitlines()
    assert first == ("3 customers inserted, 2 orders inserted, 3 order lines written, "
                     "5 rows rejected:")
    assert "  customers.csv:5: segment 'gold' is not one of vip, high, regular, new" in rest
    assert summary.as_dict()["rejected"][0] == {
        "file": "customers.csv", "line": 5,
        "reason": "segment 'gold' is not one of vip, high, regular, new"}
    write(tmp_path / "one.csv", "id,name\nZ1,Zed\n")
    assert str(import_files(session, tmp_path / "one.csv", None)) == "1 customer inserted"
