"""The PromQL name extraction the dashboard check relies on: it must find every metric an
expression reads and nothing else (functions, keywords, label names, strings, durations)."""

from __future__ import annotations

import pytest

from .promql_names import PromQLError, label_values_query, metric_names, series_names


@pytest.mark.parametrize(("expr", "names"), [
    ("ticketflow_tickets_total", {"ticketflow_tickets_total"}),
    ('sum by (channel) (rate(ticketflow_tickets_total{channel=~"e.*", job="t"}[5m]))',
     {"ticketflow_tickets_total"}),
    # the modifier after the aggregation, and label lists that look like metric names
    ("sum(rate(a_total[1h30m])) by (instance, job) / sum(b) without (instance)",
     {"a_total", "b"}),
    ("histogram_quantile(0.95, sum by (le, stage) "
     "(rate(ticketflow_stage_duration_seconds_bucket[$__rate_interval])))",
     {"ticketflow_stage_duration_seconds_bucket"}),
    ("a / on(instance) group_left(version) b", {"a", "b"}),
    ("a * ignoring (x) group_right c", {"a", "c"}),
    ("a + on (job) group_left sum(d)", {"a", "d"}),
    ("sum(x) > bool 0 and y unless z or w atan2 v", {"x", "y", "z", "w", "v"}),
    ("time() - max by (agent) (last_batch)", {"last_batch"}),
    ('{__name__="by_name", job="ticketflow"}', {"by_name"}),
    ('{"quoted.name", job="t"}', {"quoted.name"}),
    ("x offset 5m + y @ end() + z @ 1609746000", {"x", "y", "z"}),
    ("max_over_time(rate(x[5m])[1h:1m]) offset -1d", {"x"}),
    ('label_replace(x, "dst", "$1 by sum", "src", "(.*)")', {"x"}),
    ('count_values("value", version_info)', {"version_info"}),
    ("topk(3, x) * 1e-9 + 0x1F - .5 + Inf + NaN + inf", {"x"}),
    ("SUM BY (x) (m) OR n", {"m", "n"}),
    ("job:ticketflow_routed:rate5m", {"job:ticketflow_routed:rate5m"}),
    ("a # the comment names no_metric\n + b", {"a", "b"}),
    ('sum(a{instance=~"$instance"}[$__range]) / ${DS_X} + b[${window}]', {"a", "b"}),
    ("sum (\n  rate(a[5m])\n) by (\n  q\n)", {"a"}),
])
def test_metric_names(expr: str, names: set[str]) -> None:
    assert metric_names(expr) == names


@pytest.mark.parametrize("expr", [
    "sum by channel (x)",  # no label list
    'x{job="t"',  # unclosed matchers
    "rate(x[5m)",  # unclosed range
    "x{job=t}",  # unquoted value
    "x ; y",  # not PromQL
    "sum(x) by",
])
def test_what_it_cannot_read_is_an_error(expr: str) -> None:
    with pytest.raises(PromQLError):
        metric_names(expr)


def test_grafana_variable_queries() -> None:
    assert label_values_query('label_values(up{job="ticketflow"}, instance)') == {"up"}
    assert label_values_query("label_values(job)") == set()
    assert label_values_query("query_result(topk(5, x_total))") == {"x_total"}
    with pytest.raises(PromQLError):
        label_values_query("metrics(ticketflow_.*)")


def test_series_names_cover_every_family_even_without_samples() -> None:
    exposition = "\n".join([
        "# HELP a_total Raw records.",
        "# TYPE a_total counter",
        "# HELP b_seconds Time.",
        "# TYPE b_seconds histogram",
        'b_seconds_bucket{le="+Inf"} 0.0',
        "# HELP c_info Ruleset.",
        "# TYPE c_info gauge",
        'c_info{name="x",version="1"} 1.0',
        "# TYPE d summary",
        "process_cpu_seconds_total 1.5",
    ])
    names = series_names(exposition)
    assert {"a_total", "a_created", "b_seconds_bucket", "b_seconds_sum", "b_seconds_count",
            "c_info", "d_sum", "d_count", "process_cpu_seconds_total"} <= names
    assert "a" not in names and "b_seconds" in names  # a family's own name is kept
    assert "b_bucket" not in names
