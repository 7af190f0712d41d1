"""The Grafana dashboard and its provisioning: valid JSON Grafana loads, one datasource for
every query, the provisioning pointing where docker-compose.yml mounts the files. That every
query reads a metric the worker exports is checked against a live worker in
test_dashboard_live.py."""

from __future__ import annotations

from typing import Any

import yaml

from tests.conftest import REPO

from .dashboard import DASHBOARD, load, panels, queries, used_metrics
from .promql import recording_rules

PROVISIONING = REPO / "ops" / "grafana" / "provisioning"


def compose() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return doc


def provisioned_datasource() -> dict[str, Any]:
    doc = yaml.safe_load((PROVISIONING / "datasources" / "prometheus.yml").read_text())
    [datasource] = doc["datasources"]
    assert isinstance(datasource, dict)
    return datasource


def test_the_dashboard_is_a_current_grafana_dashboard() -> None:
    doc = load()
    assert doc["uid"] == "ticketflow" and doc["title"]
    # 39: Grafana 11.0; Grafana migrates older models on load, which would hide mistakes
    assert 39 <= doc["schemaVersion"] <= 42
    assert len(list(queries(doc))) >= 30


def test_panel_ids_are_unique_and_panels_do_not_overlap() -> None:
    doc = load()
    ids = [panel["id"] for panel in panels(doc)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    taken: dict[tuple[int, int], int] = {}
    for panel in panels(doc):
        pos = panel["gridPos"]
        assert pos["x"] >= 0 and pos["x"] + pos["w"] <= 24, panel["title"]
        for dx in range(pos["w"]):
            for dy in range(pos["h"]):
                cell = (pos["x"] + dx, pos["y"] + dy)
                assert cell not in taken, f"panel {panel['id']} overlaps panel {taken[cell]}"
                taken[cell] = panel["id"]


def test_every_query_has_the_prometheus_datasource() -> None:
    doc = load()
    uid = provisioned_datasource()["uid"]
    [variable] = [v for v in doc["templating"]["list"] if v["type"] == "datasource"]
    assert (variable["name"], variable["query"]) == ("DS_PROMETHEUS", "prometheus")
    assert variable["current"]["value"] == uid  # the provisioned one by default
    allowed = ({"type": "prometheus", "uid": "${DS_PROMETHEUS}"},
               {"type": "prometheus", "uid": uid})
    for panel in panels(doc):
        if panel["type"] == "row":
            continue
        assert panel.get("datasource") in allowed, panel["title"]
        assert panel["targets"], f"panel {panel['title']!r} has no query"
        ref_ids = [t["refId"] for t in panel["targets"]]
        assert len(ref_ids) == len(set(ref_ids)), panel["title"]
        for target in panel["targets"]:
            assert target.get("datasource") in allowed, (panel["title"], target["refId"])
            assert target["expr"].strip()
    for variable in doc["templating"]["list"]:
        if variable["type"] == "query":
            assert variable["datasource"] in allowed, variable["name"]


def test_the_dashboard_answers_what_on_call_asks() -> None:
    """The issue's list, by the metric each needs (which names exist: test_dashboard_live)."""
    used = used_metrics(load())
    for name in ["ticketflow_tickets_total", "ticketflow_routed_total",
                 "ticketflow_sla_breaches_total", "ticketflow_sla_events_total",
                 "ticketflow_e2e_latency_seconds_bucket",
                 "ticketflow_stage_duration_seconds_bucket",
                 "ticketflow_consumer_lag_messages", "ticketflow_triage_total",
                 "ticketflow_deadletters_total", "ticketflow_ready", "up",
                 "ticketflow_last_batch_timestamp_seconds"]:
        assert name in used, f"no panel reads {name}"
    latency = [expr for _, expr in queries(load()) if "e2e_latency_seconds_bucket" in expr]
    assert any("histogram_quantile(0.99" in expr for expr in latency)


def test_provisioning_points_where_compose_mounts_the_files() -> None:
    grafana = compose()["services"]["grafana"]
    mounts = dict(v.rsplit(":", 1)[0].split(":", 1) for v in grafana["volumes"]
                  if v.startswith("./"))
    assert mounts["./ops/grafana/provisioning"] == "/etc/grafana/provisioning"
    providers = yaml.safe_load((PROVISIONING / "dashboards" / "ticketflow.yml").read_text())
    [provider] = providers["providers"]
    assert provider["type"] == "file"
    assert mounts["./ops/grafana/dashboards"] == provider["options"]["path"]
    assert (REPO / "ops" / "grafana" / "dashboards" / DASHBOARD.name).is_file()
    datasource = provisioned_datasource()
    prometheus = compose()["services"]["prometheus"]
    port = prometheus["ports"][0].rsplit(":", 1)[1]
    assert datasource["url"] == f"http://prometheus:{port}"
    assert datasource["type"] == "prometheus"


def test_the_service_kpis_have_their_row() -> None:
    """Issue 14: first response and resolution by channel and by queue, FCR and CSAT by queue,
    intent volume ratio and spikes. Recorded series (``level:metric:operations``) come from
    Prometheus' recording rules, not from a worker: each one read must be recorded in
    ops/prometheus/alerts.yml (test_dashboard_live checks the rules' own inputs)."""
    doc = load()
    rows = [p["title"] for p in doc["panels"] if p["type"] == "row"]
    assert rows == ["Health", "Volume", "Lag and latency", "SLA", "Service KPIs", "Replies",
                    "Workers"]
    used = used_metrics(doc)
    for name in ["ticketflow:kpi_first_response_seconds:p50_1h",
                 "ticketflow:kpi_first_response_seconds:p90_1h",
                 "ticketflow_kpi_queue_first_response_seconds_bucket",
                 "ticketflow_kpi_resolution_seconds_bucket",
                 "ticketflow_kpi_queue_resolution_seconds_bucket",
                 "ticketflow:kpi_fcr_ratio:24h", "ticketflow:kpi_csat_avg:24h",
                 "ticketflow_kpi_intent_volume_ratio", "ticketflow_kpi_volume_spike"]:
        assert name in used, f"no panel reads {name}"
    recorded = set(recording_rules())
    unknown = {name: sorted(where) for name, where in used.items()
               if ":" in name and name not in recorded}
    assert not unknown, f"the dashboard reads series no recording rule makes: {unknown}"
    # the KPI row's panels are below its header and above the next row's
    header = next(p for p in doc["panels"] if p.get("title") == "Service KPIs")
    following = next(p for p in doc["panels"] if p.get("title") == "Workers")
    kpi = [p for p in doc["panels"] if 44 < p["id"] <= 53]
    assert len(kpi) == 9
    assert all(header["gridPos"]["y"] < p["gridPos"]["y"] < following["gridPos"]["y"]
               for p in kpi)


def test_the_replies_have_their_row() -> None:
    """Issue 16: suggestions, answers by kind, withheld answers by reason, what may be sent
    unreviewed, and failed renders."""
    used = used_metrics(load())
    for name in ["ticketflow_replies_suggested_total", "ticketflow_replies_answered_total",
                 "ticketflow_replies_suppressed_total", "ticketflow_replies_auto_send_total",
                 "ticketflow_replies_failed_total"]:
        assert name in used, f"no panel reads {name}"
