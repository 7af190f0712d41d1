from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

import corpus
from channels import RawRecord, normalize
from classifiers.classify import classify_tickets
from routing_rules import DEFAULT_RULESET_PATH, load_compiled
from schemas import Source
from schemas.routing import RoutedTicket
from ticketflow.cli import cli

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def recorded(tmp_path: Path, intent_model) -> Path:
    """Routed messages as the worker writes them, for the sample corpus' emails."""
    tickets = []
    for offset, f in enumerate(corpus.iter_files("email")):
        if f.expected_error:
            continue
        out = normalize(RawRecord("email", f.path.read_bytes(), Source(
            topic="inbound.email", partition=0, offset=offset), NOW), NOW)
        assert isinstance(out, tuple)
        tickets.extend(out)
    compiled = load_compiled()
    path = tmp_path / "routed.jsonl"
    path.write_text("\n".join(
        RoutedTicket(ticket=t, decision=compiled.route(t), routed_at=NOW).model_dump_json()
        for t in classify_tickets(tickets, intent_model)))
    return path


def test_check_names_the_file_and_fails_on_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nqueues: [{name: a, description: a}]\nrules:\n"
                      "  - {id: r1, when: {field: classification.intnet, op: eq, value: refund},"
                      " then: {queue: a}}\n")
    result = run("rules", "check", str(broken))
    assert result.exit_code == 1
    assert "broken.yaml" in result.output and "intnet" in result.output
    assert run("rules", "check").exit_code == 0


def test_the_bundled_rule_tests_pass() -> None:
    result = run("rules", "test")
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output


def test_replay_counts_moves_between_queues_and_publishes_nothing(tmp_path, intent_model) -> None:
    routed = recorded(tmp_path, intent_model)
    same = run("rules", "replay", "--rules", str(DEFAULT_RULESET_PATH), "--from", str(routed),
               "--json")
    assert json.loads(same.output)["moved"] == 0
    changed = tmp_path / "changed.yaml"
    changed.write_text(DEFAULT_RULESET_PATH.read_text().replace(
        "queue: returns", "queue: general"))
    result = run("rules", "replay", "--rules", str(changed), "--from", str(routed), "--json")
    report = json.loads(result.output)
    assert report["moved"] > 0
    assert {m["from"] for m in report["moves"]} == {"returns"}
    assert {m["to"] for m in report["moves"]} == {"general"}
    assert all(m["examples"] for m in report["moves"])


def test_explain_shows_the_rules_and_why(tmp_path, intent_model) -> None:
    line = recorded(tmp_path, intent_model).read_text().splitlines()[0]
    ticket_file = tmp_path / "ticket.json"
    ticket_file.write_text(json.dumps(json.loads(line)["ticket"]))
    result = run("rules", "explain", str(ticket_file))
    assert result.exit_code == 0
    assert "queue " in result.output and "because " in result.output
    assert load_compiled().version in result.output


def test_publish_refuses_a_broken_ruleset_before_touching_kafka(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nrules: []\n")
    result = run("rules", "publish", str(broken), "--bootstrap", "127.0.0.1:1")
    assert result.exit_code == 1
    assert "not published" in result.output


def test_rules_test_without_a_cases_file_says_which_file_is_missing(tmp_path: Path) -> None:
    rules = tmp_path / "my-rules.yaml"
    rules.write_text(DEFAULT_RULESET_PATH.read_text())
    result = run("rules", "test", str(rules))
    assert result.exit_code == 1
    assert "my-rules.tests.yaml: no test cases file" in result.output
    assert "cannot read ruleset" not in result.output


def test_every_problem_of_a_rule_is_reported(tmp_path: Path) -> None:
    rules = tmp_path / "two.yaml"
    rules.write_text("name: x\nqueues: [{name: a, description: a}]\nrules:\n"
                     "  - {id: r1, when: {field: classification.intnet, op: equalz, "
                     "value: refund}, then: {queue: b}}\n"
                     "  - {id: rest, default: true, then: {queue: a}}\n")
    result = run("rules", "check", str(rules))
    assert result.exit_code == 1
    assert "field 'classification.intnet' is unknown" in result.output
    assert "operator 'equalz' is unknown" in result.output
    assert "queue 'b' is not declared" in result.output


def test_explain_takes_plain_text(model_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["rules", "explain", "--text", "the charger caught fire!!"],
                                env={"TICKETFLOW_MODEL_DIR": str(model_dir)},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("queue safety (queue.safety), priority P1")
    assert "urgency cues: safety_hazard" in result.output


def test_explain_compares_with_the_decision_a_routed_message_recorded(
    tmp_path: Path, intent_model
) -> None:
    routed = recorded(tmp_path, intent_model)
    first = next(d for d in map(json.loads, routed.read_text().splitlines())
                 if d["decision"]["queue"] == "returns")
    one = tmp_path / "one.json"
    one.write_text(json.dumps(first))
    same = run("rules", "explain", str(one))
    assert "same as recorded (ruleset version" in same.output
    changed = tmp_path / "changed.yaml"
    queue = first["decision"]["queue"]
    text = DEFAULT_RULESET_PATH.read_text()
    changed.write_text(text.replace(f"queue: {queue},", "queue: general,").replace(
        f"queue: {queue}}}", "queue: general}"))
    result = run("rules", "explain", str(one), "--rules", str(changed))
    assert "differs from the recorded decision" in result.output
    assert "queue returns → general" in result.output
    data = json.loads(run("rules", "explain", str(one), "--json").output)
    assert data["changed"] is False and data["recorded"]["queue"] == queue
