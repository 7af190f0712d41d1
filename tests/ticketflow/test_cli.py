from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from ticketflow.cli import cli


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env or {}, catch_exceptions=False)


def test_topics_list_names_every_topic() -> None:
    result = run("topics", "list")
    assert result.exit_code == 0
    assert "inbound.whatsapp" in result.output and "tickets.deadletter" in result.output


def test_commands_that_need_kafka_say_how_to_get_one() -> None:
    result = run("topics", "create", env={"TICKETFLOW_KAFKA_BOOTSTRAP": ""})
    assert result.exit_code == 1
    assert "--bootstrap" in result.output and "ticketflow broker" in result.output


def test_unreachable_broker_is_one_actionable_line() -> None:
    result = run("ingest", "--channel", "sms", "--bootstrap", "127.0.0.1:1", "README.md",
                 env={})
    assert result.exit_code == 1
    assert "No Kafka broker answers at 127.0.0.1:1" in result.output


def test_invalid_setting_is_a_usage_error() -> None:
    result = run("topics", "list", env={"TICKETFLOW_PARTITIONS": "zero"})
    assert result.exit_code == 2
    assert "TICKETFLOW_" in result.output


def test_schemas_check_passes_on_committed_schemas() -> None:
    result = run("schemas", "export", "--check")
    assert result.exit_code == 0, result.output


def test_classify_reads_json_lines_and_writes_one_line_each(model_dir) -> None:
    import json

    stdin = "\n".join([
        json.dumps({"text": "The kettle caught fire, I want a refund NOW"}),
        "not json",
        json.dumps({"subject": "Commande 104512", "body": "Où est mon colis ?"}),
        json.dumps({"text": ""}),
    ])
    result = CliRunner().invoke(cli, ["classify"], input=stdin,
                                env={"TICKETFLOW_MODEL_DIR": str(model_dir)})
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4
    fire, broken, french, empty = lines
    assert fire["priority"] in ("P1", "P2")
    assert fire["urgency"][0]["kind"] == "safety_hazard"
    assert {"intent", "confidence", "needs_triage", "sentiment", "language", "priority",
            "priority_factors"} <= set(fire)
    assert "not JSON" in broken["error"] and "no text" in empty["error"]
    assert french["language"] == "fr" and french["intent"] == "order_status"


def test_train_on_a_help_desk_export_writes_a_verified_artifact(tmp_path) -> None:
    import json

    from classifiers.artifact import load

    rows = [{"text": f"where is my parcel number {i}", "intent": "order_status"} for i in range(30)]
    rows += [{"text": f"I want my money back for item {i}", "intent": "refund"} for i in range(30)]
    data = tmp_path / "export.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows))
    out = tmp_path / "model"
    result = CliRunner().invoke(cli, ["train", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["examples"] == 60
    model = load(out)
    assert model.metadata["labels"] == ["order_status", "refund"]
    assert model.predict(["money back please"])[0].intent == "refund"


def test_classify_eval_rejects_unknown_labels(tmp_path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("text,intent\nhello,greeting\n")
    result = CliRunner().invoke(cli, ["classify", "eval", "--data", str(data)])
    assert result.exit_code == 1
    assert "greeting" in result.output and "--map" in result.output


SECRET_ENV = {
    "TICKETFLOW_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
    "TICKETFLOW_KAFKA_SASL_MECHANISM": "SCRAM-SHA-256",
    "TICKETFLOW_KAFKA_SASL_USERNAME": "router",
    "TICKETFLOW_KAFKA_SASL_PASSWORD": "cli-sasl-pw",
    "TICKETFLOW_DATABASE_URL": "postgresql+psycopg://app:cli-db-pw@db/tf",
}


@pytest.mark.parametrize("command", [[], ["worker"], ["ingest"], ["topics", "create"],
                                     ["db", "upgrade"], ["tail"]])
def test_help_never_shows_a_secret(command: list[str]) -> None:
    result = run(*command, "--help", env=SECRET_ENV)
    assert result.exit_code == 0, result.output
    assert "cli-sasl-pw" not in result.output and "cli-db-pw" not in result.output


def test_a_cli_start_path_logs_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(cli, ["ingest", "--channel", "sms", "--bootstrap",
                                      "127.0.0.1:1", "README.md"], env=SECRET_ENV)
    assert result.exit_code == 1
    assert "No Kafka broker answers at 127.0.0.1:1" in result.output
    assert caplog.records
    for secret in ("cli-sasl-pw", "cli-db-pw"):
        assert secret not in caplog.text and secret not in result.output


def test_an_invalid_security_combination_stops_at_start_up(tmp_path: Path) -> None:
    result = run("topics", "list", env={"TICKETFLOW_KAFKA_SECURITY_PROTOCOL": "SSL",
                                        "TICKETFLOW_KAFKA_SSL_CAFILE": str(tmp_path / "ca.pem")})
    assert result.exit_code == 2
    assert f"TICKETFLOW_KAFKA_SSL_CAFILE={tmp_path / 'ca.pem'}: no such file" in result.output


def test_topics_list_names_the_active_rulesets_queue_topics() -> None:
    result = CliRunner().invoke(cli, ["topics", "list"], env={}, catch_exceptions=False)
    lines = result.stdout.splitlines()
    assert any(line.startswith("queue.returns ") for line in lines)
    assert any(line.startswith("queue.triage ") for line in lines)
    assert "queue.* topics: the queues of ruleset demo-shop" in result.stderr


def test_the_published_ruleset_wins_over_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import Settings
    from routing_rules import DEFAULT_RULESET_PATH
    from ticketflow import rules_tools

    text = DEFAULT_RULESET_PATH.read_text().replace("{name: returns,", "{name: returns-eu,")
    text = text.replace("queue: returns", "queue: returns-eu")
    monkeypatch.setattr(rules_tools, "published_ruleset_text", lambda *a: [
        (text, "routing.rules[0]@0"), ("name: broken\n", "routing.rules[0]@1")])
    source, queues = rules_tools.active_queues(Settings(kafka_bootstrap="x:1"), True)
    assert "returns-eu" in queues and "returns" not in queues
    assert source.endswith("from routing.rules[0]@0")  # the broken later version is refused
    monkeypatch.setattr(rules_tools, "published_ruleset_text", lambda *a: [])
    source, queues = rules_tools.active_queues(Settings(kafka_bootstrap="x:1"), True)
    assert "returns" in queues and source.endswith("demo-shop.yaml")
