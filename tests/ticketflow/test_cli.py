from __future__ import annotations

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
