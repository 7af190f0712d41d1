"""docker-compose.yml cannot run here (no Docker engine): keep it valid and consistent."""

from __future__ import annotations

import yaml

from ticketflow.cli import cli

from .conftest import REPO


def test_compose_has_kafka_kraft_postgres_and_worker() -> None:
    doc = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = doc["services"]
    assert {"kafka", "postgres", "worker"} <= set(services)
    kafka_env = services["kafka"]["environment"]
    assert "controller" in kafka_env["KAFKA_PROCESS_ROLES"]  # KRaft, no ZooKeeper
    assert "zookeeper" not in services


def test_ticketflow_services_run_existing_commands() -> None:
    doc = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    for name, service in doc["services"].items():
        if "build" not in service:
            continue
        command = service["command"]
        group = cli
        for word in command:
            assert word in group.commands, f"{name}: `ticketflow {' '.join(command)}` is unknown"
            group = group.commands[word]
        env = service["environment"]
        assert all(key.startswith("TICKETFLOW_") for key in env)
        assert env["TICKETFLOW_KAFKA_BOOTSTRAP"].startswith("kafka:")


def test_dockerfile_copies_every_package() -> None:
    import tomllib

    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    packages = pyproject["tool"]["setuptools"]["packages"]
    dockerfile = (REPO / "Dockerfile").read_text()
    for top in {p.split(".")[0] for p in packages}:
        assert f"COPY {top} {top}" in dockerfile
