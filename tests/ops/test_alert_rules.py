"""The shipped alert rules (ops/prometheus/alerts.yml) against what must go with them: a runbook
section each, promtool unit tests that expect each alert both firing and not firing, metric
names the README documents, and configs Prometheus and Alertmanager accept. promtool itself
runs the rule tests (`make promtool`); these tests check that nothing is left out."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from tests.ops.promql import (
    ALERTS,
    PROMETHEUS_SERIES,
    alerts,
    documented_metrics,
    fast_rules,
    github_anchor,
    is_documented,
    metric_names,
    promtool_cases,
    promtool_expr_tests,
    recording_rules,
    rule_names,
    runbook_queries,
    runbook_sections,
    scale_expr,
    without_durations,
)

# Fixed by issues 13 and 14 (the names on-call people and the dashboards refer to).
ALERT_NAMES = {
    "TicketflowWorkerDown", "TicketflowWorkerNotReady", "TicketflowConsumerLagGrowing",
    "TicketflowNoBatchWhileLagging", "TicketflowDeadLetterRateHigh",
    "TicketflowSlaBreachRateHigh", "TicketflowVipBreach", "TicketflowSlaWarningsPilingUp",
    "TicketflowRulesetReloadRefused", "TicketflowTriageShareHigh",
    "TicketflowDefaultQueueShareHigh",
    "TicketflowIntentVolumeSpike", "TicketflowFcrBelowTarget",
}
# Issue 14's per-queue KPI gauges, recorded over all workers (the README and the dashboard
# name them).
RECORDED_NAMES = {
    "ticketflow:kpi_fcr_ratio:24h", "ticketflow:kpi_fcr_decided:24h",
    "ticketflow:kpi_csat_avg:24h", "ticketflow:kpi_first_response_seconds:p50_1h",
    "ticketflow:kpi_first_response_seconds:p90_1h",
}
RUNBOOK_PARTS = ("**What it means.**", "**How to confirm.**", "**What to do.**")


def test_the_alerts_of_issues_13_and_14_are_shipped_once_each() -> None:
    names = [a.name for a in alerts()]
    assert sorted(names) == sorted(ALERT_NAMES)


def test_the_recording_rules_are_shipped_once_each_and_named_level_metric_operations() -> None:
    assert set(recording_rules()) == RECORDED_NAMES  # recording_rules() refuses a duplicate
    assert len(rule_names()) == len(ALERT_NAMES) + len(RECORDED_NAMES)
    for name in RECORDED_NAMES:
        level, metric, operations = name.split(":")
        assert level == "ticketflow" and metric.startswith("kpi_") and operations, name


def test_every_recording_rule_has_a_promtool_test_with_samples() -> None:
    tested = {name for expr, has_samples in promtool_expr_tests() if has_samples
              for name in metric_names(expr)}
    untested = sorted(set(recording_rules()) - tested)
    assert not untested, f"no promql_expr_test expects samples of {untested}"


def test_recorded_names_read_by_rules_and_runbook_are_recorded() -> None:
    # a recorded name is no worker metric: a typo in one would read nothing, forever
    recorded = set(recording_rules())
    read = set().union(*(metric_names(a.expr) for a in alerts()),
                       *(metric_names(q) for q in runbook_queries()),
                       *(metric_names(e) for e in recording_rules().values()))
    assert {n for n in read if ":" in n} <= recorded, sorted(
        n for n in read if ":" in n and n not in recorded)
    assert "ticketflow:kpi_fcr_ratio:24h" in read  # the check above is not vacuous


@pytest.mark.parametrize("alert", alerts(), ids=lambda a: a.name)
def test_an_alert_has_a_severity_its_texts_and_a_runbook_section(alert) -> None:
    assert alert.labels.get("severity") in {"page", "ticket"}
    assert alert.annotations.get("summary") and alert.annotations.get("description")
    anchor = github_anchor(alert.name)
    assert alert.annotations.get("runbook_url") == f"ops/RUNBOOK.md#{anchor}"
    sections = runbook_sections()
    assert alert.name in sections, f"ops/RUNBOOK.md has no section '## {alert.name}'"
    section = sections[alert.name]
    for part in RUNBOOK_PARTS:
        assert part in section, f"the runbook section of {alert.name} lacks {part}"
    # how to confirm: at least one query to paste, in a code block
    assert "```promql" in section, f"the runbook section of {alert.name} has no PromQL"


def test_every_alert_has_promtool_tests_firing_and_not_firing() -> None:
    cases = promtool_cases()
    unknown = set(cases) - ALERT_NAMES
    assert not unknown, f"promtool tests name alerts that do not exist: {unknown}"
    for name in sorted(ALERT_NAMES):
        counts = cases.get(name, {"firing": 0, "not_firing": 0})
        assert counts["firing"] >= 1, f"no promtool test expects {name} firing"
        assert counts["not_firing"] >= 1, f"no promtool test expects {name} silent"


def test_the_metric_names_of_the_rules_are_found() -> None:
    # the parser the documentation check relies on: every alert reads at least one series,
    # and a few known ones are found where they are (a parser that finds nothing would let
    # the check below pass on anything)
    found = {a.name: metric_names(a.expr) for a in alerts()}
    assert all(found.values()), found
    assert found["TicketflowWorkerDown"] == {"up"}
    assert found["TicketflowDeadLetterRateHigh"] == {
        "ticketflow_deadletters_total", "ticketflow_inbound_records_total"}
    assert found["TicketflowVipBreach"] == {"ticketflow_sla_breaches_total", "up"}
    assert metric_names('rate(a_total{x="sum(b)"}[5m] offset 1h) / on (le) c > 1e3') == {
        "a_total", "c"}


def test_every_metric_the_rules_read_is_in_the_readme_metrics_table() -> None:
    documented = documented_metrics()
    if not documented:
        pytest.skip("the README's metrics table (block ops:metrics-table) is empty in this "
                    "checkout: no documented names to check the rules against")
    made_by_prometheus = PROMETHEUS_SERIES | set(recording_rules())
    used = set().union(*(metric_names(a.expr) for a in alerts()),
                       *(metric_names(e) for e in recording_rules().values())
                       ) - made_by_prometheus
    missing = sorted(n for n in used if not is_documented(n, documented))
    assert not missing, f"alerts.yml reads metrics the README does not document: {missing}"
    in_runbook = set().union(*(metric_names(q) for q in runbook_queries())) - made_by_prometheus
    missing = sorted(n for n in in_runbook if not is_documented(n, documented))
    assert not missing, f"RUNBOOK.md queries metrics the README does not document: {missing}"


def test_the_runbook_queries_name_metrics() -> None:
    queries = runbook_queries()
    assert len(queries) >= len(ALERT_NAMES)
    assert all(metric_names(q) for q in queries), [q for q in queries if not metric_names(q)]


def test_the_fast_copy_for_the_live_test_differs_only_in_its_durations() -> None:
    shipped = {a.name: a for a in alerts()}
    fast_groups = fast_rules()["groups"]
    fast = {rule["alert"]: rule for group in fast_groups for rule in group["rules"]
            if "alert" in rule}
    assert set(fast) == set(shipped)
    for name, alert in shipped.items():
        rule = fast[name]
        assert without_durations(rule["expr"]) == without_durations(alert.expr), name
        assert rule["labels"] == alert.labels and rule["annotations"] == alert.annotations
    fast_recorded = {rule["record"]: rule["expr"] for group in fast_groups
                     for rule in group["rules"] if "record" in rule}
    assert set(fast_recorded) == set(recording_rules())
    for name, expr in recording_rules().items():
        assert without_durations(fast_recorded[name]) == without_durations(expr), name
    assert "[1440s]" in fast_recorded["ticketflow:kpi_fcr_ratio:24h"]
    assert fast["TicketflowFcrBelowTarget"]["for"] == "360s"
    assert fast["TicketflowDeadLetterRateHigh"]["for"] == "5s"
    assert "[10s]" in fast["TicketflowDeadLetterRateHigh"]["expr"]
    assert "[15s:1s]" in fast["TicketflowConsumerLagGrowing"]["expr"]
    assert "offset 60s" in fast["TicketflowRulesetReloadRefused"]["expr"]
    assert scale_expr("x[1h] offset 2h + y[15m:]", 60) == "x[60s] offset 120s + y[15s:]"


def _promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.skip("promtool is not installed (Debian package prometheus; .ci/run installs it)")
    return found


def test_promtool_accepts_the_fast_copy(tmp_path: Path) -> None:
    path = tmp_path / "alerts.yml"
    path.write_text(yaml.safe_dump(fast_rules()))
    result = subprocess.run([_promtool(), "check", "rules", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_prometheus_config_loads_the_shipped_rules_and_scrapes_job_ticketflow() -> None:
    config = yaml.safe_load((REPO / "ops" / "prometheus" / "prometheus.yml").read_text())
    rule_files = [ALERTS.parent / f for f in config["rule_files"]]
    assert rule_files == [ALERTS]
    assert "ticketflow" in {job["job_name"] for job in config["scrape_configs"]}
    assert config["alerting"]["alertmanagers"]


def test_alertmanager_routes_each_severity_to_its_receiver() -> None:
    path = REPO / "ops" / "alertmanager" / "alertmanager.yml"
    config = yaml.safe_load(path.read_text())
    receivers = {r["name"] for r in config["receivers"]}
    route = config["route"]
    by_severity = {}
    for sub in route.get("routes", []):
        for matcher in sub.get("matchers", []):
            m = re.fullmatch(r'severity="(\w+)"', matcher)
            if m:
                by_severity[m.group(1)] = sub["receiver"]
    severities = {a.labels["severity"] for a in alerts()}
    for severity in severities:
        assert by_severity.get(severity, route["receiver"]) == severity, severity
    assert severities <= receivers
    # inhibitions name real alerts
    for rule in config.get("inhibit_rules", []):
        for matcher in rule["source_matchers"] + rule["target_matchers"]:
            names = re.fullmatch(r'alertname=~?"([\w|]+)"', matcher)
            assert names and set(names.group(1).split("|")) <= ALERT_NAMES, matcher
    amtool = shutil.which("amtool")
    if amtool is None:
        pytest.skip("amtool is not installed (Debian package prometheus-alertmanager): "
                    "the routes were checked, the file's syntax was not")
    result = subprocess.run([amtool, "check-config", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_metrics_table_is_read_from_its_readme_block(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        "| `not_in_block_total` | outside |\n"
        "<!-- ops:metrics-table:start -->\n"
        "| metric | type | meaning |\n|---|---|---|\n"
        "| `ticketflow_deadletters_total{channel,error_code}` | counter | … |\n"
        "| `ticketflow_batch_seconds` | histogram | … |\n"
        "| `ticketflow_ruleset` | info | … |\n"
        "| `process_*` | | process collector |\n"
        "<!-- ops:metrics-table:end -->\n")
    documented = documented_metrics(readme)
    assert documented == {"ticketflow_deadletters_total", "ticketflow_batch_seconds",
                          "ticketflow_ruleset", "process_*"}
    for name in ("ticketflow_deadletters_total", "ticketflow_deadletters_created",
                 "ticketflow_batch_seconds_bucket", "ticketflow_ruleset_info",
                 "process_cpu_seconds_total"):
        assert is_documented(name, documented), name
    for name in ("not_in_block_total", "ticketflow_batch_seconds_max", "ticketflow_tickets_total"):
        assert not is_documented(name, documented), name
