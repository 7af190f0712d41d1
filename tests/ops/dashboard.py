"""Reading ops/grafana/dashboards/ticketflow.json for the tests: its panels and queries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.conftest import REPO

from .promql_names import label_values_query, metric_names

DASHBOARD = REPO / "ops" / "grafana" / "dashboards" / "ticketflow.json"


def load(path: Path = DASHBOARD) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def panels(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel, those inside collapsed rows included."""
    for panel in doc.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def queries(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, PromQL expression) of every panel target."""
    for panel in panels(doc):
        for target in panel.get("targets", []):
            where = f"panel {panel['id']} {panel.get('title')!r} {target.get('refId')}"
            yield where, target["expr"]


def used_metrics(doc: dict[str, Any]) -> dict[str, set[str]]:
    """Metric name → where the dashboard reads it (panels and template variables)."""
    used: dict[str, set[str]] = {}
    for where, expr in queries(doc):
        for name in metric_names(expr):
            used.setdefault(name, set()).add(where)
    for variable in doc.get("templating", {}).get("list", []):
        if variable.get("type") != "query":
            continue
        query = variable["query"]
        text = query["query"] if isinstance(query, dict) else query
        for name in label_values_query(text):
            used.setdefault(name, set()).add(f"variable {variable['name']}")
    return used
