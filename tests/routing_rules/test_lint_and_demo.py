from __future__ import annotations

from pathlib import Path

from routing_rules import DEFAULT_RULESET_PATH, DEFAULT_TESTS_PATH, check, run_tests
from ticketflow.rules_bench import bench_rules

from .conftest import rules_text

DEFAULT = "- {id: default, default: true, then: {queue: general}}\n"


def lint(tmp_path: Path, rules: str) -> list:
    path = tmp_path / "r.yaml"
    path.write_text(rules_text(rules))
    return check(path)


def test_lint_finds_dead_rules(tmp_path: Path) -> None:
    problems = lint(tmp_path, """\
        - id: r1
          when: {field: language, op: eq, value: fr}
          then: {queue: a}
        - id: r2
          when: {field: language, op: eq, value: fr}
          then: {queue: a}
        - id: r1
          when: {all: []}
          then: {queue: a}
        - id: after
          when: {field: language, op: eq, value: de}
          then: {queue: a}
        """ + DEFAULT)
    text = [str(p) for p in problems]
    assert any("rule 'r2'" in t and "shadowed" in t for t in text)
    assert any("duplicate rule id" in p.message and p.severity == "error" for p in problems)
    assert any(p.rule_id == "after" and "unreachable" in p.message and p.severity == "error"
               for p in problems)
    assert any("queue 'b'" in p.message and p.severity == "warning" for p in problems)


def test_lint_reports_unknown_calendar_and_schema_errors(tmp_path: Path) -> None:
    problems = lint(tmp_path, """\
        - id: r1
          when: {business_hours: {calendar: nope}}
          then: {queue: a}
        """ + DEFAULT)
    assert any("calendar 'nope'" in p.message for p in problems)
    assert lint(tmp_path, "- {id: x, bogus: 1}\n")[0].severity == "error"


def test_demo_ruleset_lints_clean() -> None:
    problems = check(DEFAULT_RULESET_PATH)
    assert [p for p in problems if p.severity == "error"] == []


def test_demo_cases_pass() -> None:
    results = run_tests(DEFAULT_RULESET_PATH, DEFAULT_TESTS_PATH)
    assert len(results) >= 15
    assert [str(r) for r in results if not r.passed] == []


def test_bench_returns_figures() -> None:
    result = bench_rules(n_tickets=200, n_rules=50)
    assert {"tickets_per_s", "compile_ms", "n_rules", "n_tickets", "us_per_ticket"} <= set(result)
    assert result["n_rules"] == 50
