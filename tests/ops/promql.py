"""What the ops tests read from the shipped alert rules, the runbook and the README: the
alerts, the metric names their expressions use, the documented metric names, and a copy of
the rules with every duration divided by 60 for a test on a 1-second scrape."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO

ALERTS = REPO / "ops" / "prometheus" / "alerts.yml"
RULE_TESTS = REPO / "ops" / "prometheus" / "tests"
RUNBOOK = REPO / "ops" / "RUNBOOK.md"
README = REPO / "README.md"

# Prometheus's own series the rules may use besides the worker's.
PROMETHEUS_SERIES = frozenset({"up"})


@dataclass(frozen=True)
class Alert:
    name: str
    expr: str
    for_: str | None
    labels: dict[str, str]
    annotations: dict[str, str]


def load_rules(path: Path = ALERTS) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text())
    return loaded


def alerts(path: Path = ALERTS) -> list[Alert]:
    return [Alert(rule["alert"], rule["expr"], rule.get("for"), rule.get("labels", {}),
                  rule.get("annotations", {}))
            for group in load_rules(path)["groups"] for rule in group["rules"] if "alert" in rule]


def recording_rules(path: Path = ALERTS) -> dict[str, str]:
    """Recorded name → expression of every recording rule (``record:``)."""
    found: dict[str, str] = {}
    for group in load_rules(path)["groups"]:
        for rule in group["rules"]:
            if "record" in rule:
                assert rule["record"] not in found, f"{rule['record']} recorded twice"
                found[rule["record"]] = rule["expr"]
    return found


def rule_names(path: Path = ALERTS) -> list[str]:
    """The name of every rule, alerts and recording rules, as Prometheus' rules API lists them."""
    return [rule.get("alert") or rule["record"]
            for group in load_rules(path)["groups"] for rule in group["rules"]]


# --- metric names in an expression ------------------------------------------------------------

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGE = re.compile(r"\[[^\]]*\]")
_OFFSET = re.compile(r"\boffset\s+-?\d+[a-z]+", re.IGNORECASE)
_LABEL_LIST = re.compile(
    r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", re.IGNORECASE)
_IDENTIFIER = re.compile(r"(?<![\w.])[A-Za-z_:][A-Za-z0-9_:]*")
_KEYWORDS = frozenset({"and", "or", "unless", "bool", "by", "without", "on", "ignoring",
                       "group_left", "group_right", "offset", "inf", "nan", "atan2"})


def metric_names(expr: str) -> set[str]:
    """The metric names an expression selects: identifiers that are not functions, aggregation
    operators, keywords, label names or numbers."""
    text = _STRING.sub('""', expr)
    text = _MATCHERS.sub(" ", text)
    text = _RANGE.sub(" ", text)
    text = _OFFSET.sub(" ", text)
    text = _LABEL_LIST.sub(" ", text)
    found = set()
    for match in _IDENTIFIER.finditer(text):
        name = match.group()
        if name.lower() in _KEYWORDS:
            continue
        if text[match.end():].lstrip().startswith("("):  # a function or an aggregation
            continue
        found.add(name)
    return found


# --- durations -----------------------------------------------------------------------------------

_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
_DURATION = r"(?:\d+(?:ms|[smhdwy]))+"
_ONE = re.compile(r"(\d+)(ms|[smhdwy])")
# durations inside an expression: ranges and subqueries [10m], [15m:1m], and offsets
_EXPR_DURATION = re.compile(
    rf"(?P<open>\[)(?P<range>{_DURATION})(?::(?P<step>{_DURATION})?)?(?P<close>\])"
    rf"|(?P<offset>\boffset\s+)(?P<by>{_DURATION})")


def seconds(duration: str) -> float:
    return sum(int(n) * _UNITS[unit] for n, unit in _ONE.findall(duration))


def _scaled(duration: str, factor: float) -> str:
    value = seconds(duration) / factor
    if value < 1 or value != int(value):
        raise ValueError(f"{duration} / {factor} is not a whole number of seconds")
    return f"{int(value)}s"


def scale_expr(expr: str, factor: float) -> str:
    """``expr`` with each range, subquery step and offset divided by ``factor``."""
    def repl(m: re.Match[str]) -> str:
        if m.group("offset"):
            return m.group("offset") + _scaled(m.group("by"), factor)
        step = m.group("step")
        inner = _scaled(m.group("range"), factor)
        if step is not None:
            inner += ":" + _scaled(step, factor)
        elif m.group(0).endswith(":]"):
            inner += ":"
        return f"[{inner}]"
    return _EXPR_DURATION.sub(repl, expr)


def without_durations(expr: str) -> str:
    """``expr`` with every duration replaced by a placeholder (to compare two expressions that
    differ only in their windows)."""
    return _EXPR_DURATION.sub(
        lambda m: "offset D" if m.group("offset") else "[D]", expr)


def fast_rules(factor: float = 60) -> dict[str, Any]:
    """The shipped rules with every duration — each alert's ``for`` and each range, subquery
    step and offset in its expression — divided by ``factor`` (60: minutes become seconds).
    Nothing else changes: thresholds stay, including the ones in seconds."""
    rules = load_rules()
    for group in rules["groups"]:
        if "interval" in group:
            group["interval"] = _scaled(group["interval"], factor)
        for rule in group["rules"]:
            rule["expr"] = scale_expr(rule["expr"], factor)
            if "for" in rule:
                rule["for"] = _scaled(rule["for"], factor) if seconds(rule["for"]) else "0s"
    return rules


# --- the README's metrics table, the runbook, the promtool tests -------------------------------

def readme_block(part: str, readme: Path = README) -> str:
    text = readme.read_text()
    start, end = f"<!-- ops:{part}:start -->", f"<!-- ops:{part}:end -->"
    return text[text.index(start) + len(start):text.index(end)]


def documented_metrics(readme: Path = README) -> set[str]:
    """The metric names of the README's metrics table (block ops:metrics-table): the first
    `code` of each table row's first cell, without labels; "process_*" stays a pattern."""
    names = set()
    for line in readme_block("metrics-table", readme).splitlines():
        if not line.lstrip().startswith("|"):
            continue
        first = line.strip().strip("|").split("|")[0]
        code = re.search(r"`([^`]+)`", first)
        if code is None:
            continue
        name = re.match(r"[A-Za-z_:][A-Za-z0-9_:]*\*?", code.group(1).strip())
        if name:
            names.add(name.group())
    return names


def is_documented(name: str, documented: set[str]) -> bool:
    """``name`` (as in an expression or an exposition) is in the table: itself, or the table's
    name plus a suffix the exposition adds (histograms' _bucket/_sum/_count, counters' _total
    and _created, info metrics' _info), or a "prefix_*" pattern."""
    for entry in documented:
        if entry.endswith("*"):
            if name.startswith(entry[:-1]):
                return True
            continue
        if name == entry or any(name == entry + suffix for suffix in _SUFFIXES):
            return True
        if entry.endswith("_total") and name == entry[:-len("_total")] + "_created":
            return True
    return False


_SUFFIXES = ("_bucket", "_sum", "_count", "_total", "_created", "_info")


def runbook_sections(runbook: Path = RUNBOOK) -> dict[str, str]:
    """Level-2 sections of the runbook by heading."""
    sections: dict[str, str] = {}
    current = None
    for line in runbook.read_text().splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = ""
        elif current is not None:
            sections[current] += line + "\n"
    return sections


def runbook_queries(runbook: Path = RUNBOOK) -> list[str]:
    """The PromQL queries of the runbook: each line of its ```promql blocks, with the indented
    lines that continue it."""
    queries: list[str] = []
    for block in re.findall(r"```promql\n(.*?)```", runbook.read_text(), re.DOTALL):
        for line in block.splitlines():
            if line.startswith(" ") and queries:
                queries[-1] += "\n" + line
            elif line.strip():
                queries.append(line)
    return queries


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading (lower case, punctuation dropped, spaces to -)."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def promtool_expr_tests(directory: Path = RULE_TESTS) -> list[tuple[str, bool]]:
    """(expression, expects samples) of every promql_expr_test case."""
    return [(case["expr"], bool(case.get("exp_samples")))
            for path in sorted(directory.glob("*.yml"))
            for test in yaml.safe_load(path.read_text()).get("tests", [])
            for case in test.get("promql_expr_test", [])]


def promtool_cases(directory: Path = RULE_TESTS) -> dict[str, dict[str, int]]:
    """Per alert name: how many alert_rule_test cases expect it firing and not firing."""
    cases: dict[str, dict[str, int]] = {}
    for path in sorted(directory.glob("*.yml")):
        for test in yaml.safe_load(path.read_text()).get("tests", []):
            for case in test.get("alert_rule_test", []):
                kind = "firing" if case.get("exp_alerts") else "not_firing"
                counts = cases.setdefault(case["alertname"], {"firing": 0, "not_firing": 0})
                counts[kind] += 1
    return cases
