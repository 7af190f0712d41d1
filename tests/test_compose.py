"""docker-compose.yml cannot run here (no Docker engine): keep it valid against the Compose
Specification and consistent with the repository — files it mounts, commands it runs, settings
it sets, the Kafka quorum, replication, published ports, secrets."""

from __future__ import annotations

import base64
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from core.settings import Settings
from ticketflow.cli import cli

from .conftest import REPO

COMPOSE_SPEC = REPO / "tests" / "vendor" / "compose-spec" / "compose-spec.json"
SECRETS_SCRIPT = REPO / "ops" / "secrets" / "generate"

# The monitoring configuration the stack mounts: it must be in the repository.
MONITORING_FILES = frozenset({
    "ops/prometheus/prometheus.yml",
    "ops/prometheus/alerts.yml",
    "ops/alertmanager/alertmanager.yml",
})
LOOPBACK = ("127.0.0.1", "${TICKETFLOW_BIND:-127.0.0.1}")


def compose() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return doc


def services(profile: str | None = None) -> dict[str, dict[str, Any]]:
    """All services, or those a `--profile <profile>` start runs (unprofiled ones included)."""
    every: dict[str, dict[str, Any]] = compose()["services"]
    if profile is None:
        return every
    return {name: s for name, s in every.items()
            if not s.get("profiles") or profile in s["profiles"]}


def ticketflow_services(profile: str | None = None) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in services(profile).items() if "build" in s}


def kafka_brokers(profile: str) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in services(profile).items()
            if s.get("image", "").startswith("apache/kafka:")}


def settings_of(service: dict[str, Any], tmp_path: Path) -> Settings:
    """The settings a container of ``service`` starts with (its secret files replaced by
    stand-ins: they exist only in a running stack)."""
    values: dict[str, Any] = {}
    for key, value in service["environment"].items():
        field = key.removeprefix("TICKETFLOW_").lower()
        if field.endswith("_file") and str(value).startswith("/run/secrets/"):
            stand_in = tmp_path / Path(value).name
            stand_in.write_text("postgresql+psycopg://ticketflow:pw@postgres:5432/ticketflow\n")
            value = stand_in
        values[field] = value
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_the_file_is_valid_against_the_compose_specification() -> None:
    schema = json.loads(COMPOSE_SPEC.read_text())
    validator = jsonschema.Draft7Validator(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(compose())]
    assert not errors, "\n".join(errors)
    # the schema does catch mistakes (not a validator that accepts anything)
    broken = compose()
    broken["services"]["worker"]["healthcheck"]["intervall"] = "5s"
    broken["services"]["postgres"]["depends_on"] = {"migrate": {"conditon": "x"}}
    assert len(list(validator.iter_errors(broken))) >= 2


def test_the_vendored_schema_carries_its_licence() -> None:
    vendor = COMPOSE_SPEC.parent
    assert "Apache License" in (vendor / "LICENSE").read_text()
    assert "compose-spec/compose-spec" in (vendor / "README.md").read_text()


def test_compose_has_kafka_kraft_postgres_monitoring_and_workers() -> None:
    every = services()
    assert {"postgres", "worker", "worker-trial", "prometheus", "alertmanager",
            "grafana"} <= set(every)
    assert "zookeeper" not in every
    for profile in ("cluster", "trial"):
        for name, broker in kafka_brokers(profile).items():
            assert "controller" in broker["environment"]["KAFKA_PROCESS_ROLES"], name  # KRaft


def test_images_are_pinned() -> None:
    for name, service in services().items():
        if "image" in service:
            image = service["image"]
            tag = image.rsplit(":", 1)[1] if ":" in image else ""
            assert re.search(r"\d", tag) and tag != "latest", f"{name}: {image} is not pinned"


def test_each_profile_is_a_valid_model() -> None:
    """A service depends only on services the same `--profile` start runs."""
    profiles = {p for s in services().values() for p in s.get("profiles", [])}
    assert {"cluster", "trial"} <= profiles
    for profile in profiles:
        active = services(profile)
        for name, service in active.items():
            missing = set(service.get("depends_on", {})) - set(active)
            assert not missing, f"--profile {profile}: {name} depends on absent {missing}"
    for name in ("kafka-1", "kafka-2", "kafka-3", "worker", "topics"):
        assert services()[name]["profiles"] == ["cluster"]
    for name in ("kafka", "worker-trial", "topics-trial"):
        assert services()[name]["profiles"] == ["trial"]


def test_ticketflow_services_run_existing_commands() -> None:
    for name, service in ticketflow_services().items():
        command = service["command"]
        group = cli
        for word in command:
            assert word in group.commands, f"{name}: `ticketflow {' '.join(command)}` is unknown"
            group = group.commands[word]


def test_the_dockerfile_runs_existing_commands_and_bakes_the_model() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    runs = re.findall(r"^RUN ticketflow (.+)$", dockerfile, re.M)
    assert runs, "the model is not trained at build"
    for run in runs:
        words = shlex.split(run)
        group = cli
        for word in words:
            if word.startswith("-"):
                break
            assert word in group.commands, f"Dockerfile: `ticketflow {run}` is unknown"
            group = group.commands[word]
    [out] = re.findall(r"^RUN ticketflow train --out (\S+)$", dockerfile, re.M)
    assert f"ENV TICKETFLOW_MODEL_DIR={out}" in dockerfile  # the worker loads it, no retraining


def test_every_ticketflow_variable_is_a_setting() -> None:
    fields = set(Settings.model_fields)
    for name, service in ticketflow_services().items():
        for key in service["environment"]:
            assert key.startswith("TICKETFLOW_"), f"{name}: {key}"
            assert key.removeprefix("TICKETFLOW_").lower() in fields, f"{name}: {key} is unknown"


def test_workers_find_the_brokers_of_their_profile() -> None:
    for profile in ("cluster", "trial"):
        brokers = kafka_brokers(profile)
        for name, service in ticketflow_services(profile).items():
            if profile not in service.get("profiles", []):
                continue
            hosts = service["environment"]["TICKETFLOW_KAFKA_BOOTSTRAP"].split(",")
            for hostport in hosts:
                host, port = hostport.rsplit(":", 1)
                assert host in brokers, f"{name}: {host} is not a broker of --profile {profile}"
                listeners = brokers[host]["environment"]["KAFKA_LISTENERS"]
                assert f"PLAINTEXT://:{port}" in listeners, f"{name}: {hostport}"
            assert len(hosts) == len(brokers)


def test_three_brokers_agree_on_the_controller_quorum() -> None:
    brokers = kafka_brokers("cluster")
    assert len(brokers) == 3
    envs = {name: b["environment"] for name, b in brokers.items()}
    voters = {env["KAFKA_CONTROLLER_QUORUM_VOTERS"] for env in envs.values()}
    assert len(voters) == 1, f"the brokers disagree on the quorum: {voters}"
    expected = set()
    for name, env in envs.items():
        assert brokers[name]["hostname"] == name
        controller_port = re.search(r"CONTROLLER://:(\d+)", env["KAFKA_LISTENERS"])
        assert controller_port, name
        expected.add(f"{env['KAFKA_NODE_ID']}@{name}:{controller_port.group(1)}")
        assert f"PLAINTEXT://{name}:" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert set(voters.pop().split(",")) == expected
    assert len({env["KAFKA_NODE_ID"] for env in envs.values()}) == 3
    cluster_ids = {env["CLUSTER_ID"] for env in envs.values()}
    assert len(cluster_ids) == 1, "one cluster: one CLUSTER_ID"
    default = re.fullmatch(r"\$\{KAFKA_CLUSTER_ID:-(.+)\}", cluster_ids.pop())
    assert default, "CLUSTER_ID overridable by KAFKA_CLUSTER_ID"
    assert len(base64.urlsafe_b64decode(default.group(1) + "==")) == 16  # a Kafka UUID
    for name, env in envs.items():
        assert env["KAFKA_LOG_DIRS"] in {v.split(":")[1] for v in brokers[name]["volumes"]}


def test_the_cluster_replicates_three_times_with_two_in_sync(tmp_path: Path) -> None:
    for name, broker in kafka_brokers("cluster").items():
        env = broker["environment"]
        assert int(env["KAFKA_DEFAULT_REPLICATION_FACTOR"]) == 3, name  # faust's changelogs too
        assert int(env["KAFKA_MIN_INSYNC_REPLICAS"]) == 2, name
        assert int(env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"]) == 3, name
    cluster = {n: s for n, s in ticketflow_services("cluster").items()
               if "cluster" in s.get("profiles", [])}
    assert {"worker", "topics"} <= set(cluster)
    for name, service in cluster.items():
        settings = settings_of(service, tmp_path)
        assert settings.replication_factor == 3, name
        assert settings.topic_config == {"min.insync.replicas": "2"}, name
    for name, service in ticketflow_services("trial").items():
        if "trial" in service.get("profiles", []):
            settings = settings_of(service, tmp_path)
            assert (settings.replication_factor, settings.topic_config) == (1, {}), name


def test_published_ports_are_bound_to_loopback_unless_asked() -> None:
    published = 0
    for name, service in services().items():
        for port in service.get("ports", []):
            published += 1
            if isinstance(port, dict):
                assert port.get("host_ip") in LOOPBACK, f"{name}: {port}"
            else:
                assert str(port).startswith(tuple(f"{h}:" for h in LOOPBACK)), f"{name}: {port}"
    assert published >= 5


def test_every_mounted_file_exists() -> None:
    doc = compose()
    sources: list[tuple[str, str]] = []
    for name, service in doc["services"].items():
        for volume in service.get("volumes", []):
            source = volume["source"] if isinstance(volume, dict) else volume.split(":")[0]
            if source.startswith((".", "/")):
                sources.append((name, source))
        for env_file in service.get("env_file", []):
            sources.append((name, env_file if isinstance(env_file, str) else env_file["path"]))
        if "build" in service:
            context = service["build"] if isinstance(service["build"], str) else (
                service["build"].get("context", "."))
            sources.append((name, f"{context}/Dockerfile"))
    assert len(sources) >= 6
    missing = []
    for name, source in sources:
        relative = (REPO / source).resolve().relative_to(REPO).as_posix()
        if not (REPO / relative).exists():
            missing.append(f"{name}: {source}")
    assert not missing, missing
    mounted = {relative for _, s in sources
               if (relative := (REPO / s).resolve().relative_to(REPO).as_posix())}
    assert mounted >= MONITORING_FILES


def test_monitoring_mounts_exactly_the_shipped_configuration() -> None:
    every = services()
    assert "./ops/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in (
        every["prometheus"]["volumes"])
    assert "./ops/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro" in (
        every["prometheus"]["volumes"])
    assert "--config.file=/etc/prometheus/prometheus.yml" in every["prometheus"]["command"]
    assert "./ops/alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro" in (
        every["alertmanager"]["volumes"])
    assert "--config.file=/etc/alertmanager/alertmanager.yml" in every["alertmanager"]["command"]


def test_passwords_come_from_secrets_not_from_the_file() -> None:
    text = (REPO / "docker-compose.yml").read_text()
    assert not re.search(r"postgresql\S*://[^@\s]*:[^@\s]*@", text), "a URL with a password"
    for name, service in services().items():
        for key, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD|DATABASE_URL", key):
                assert key.endswith("_FILE") or key.endswith("__FILE"), f"{name}: {key}"
                assert str(value).startswith("/run/secrets/"), f"{name}: {key}"
                secret = Path(value).name
                assert secret in service.get("secrets", []), f"{name}: {key} without its secret"
    assert services()["postgres"]["environment"]["POSTGRES_PASSWORD_FILE"] == (
        "/run/secrets/postgres_password")
    for name, service in ticketflow_services().items():
        assert service["environment"]["TICKETFLOW_DATABASE_URL_FILE"] == (
            "/run/secrets/database_url"), name


def test_the_secrets_script_makes_every_secret_compose_reads(tmp_path: Path) -> None:
    target = tmp_path / "secrets"
    first = subprocess.run(["sh", str(SECRETS_SCRIPT), str(target)], capture_output=True,
                           text=True, check=True, timeout=30)
    declared = compose()["secrets"]
    for name, secret in declared.items():
        path = REPO / secret["file"]
        assert path.parent == SECRETS_SCRIPT.parent, name
        made = target / path.name
        assert made.is_file(), f"ops/secrets/generate does not make {path.name}"
        assert made.stat().st_mode & 0o777 == 0o644, name  # the containers' users read it
        assert path.name in first.stdout
    assert target.stat().st_mode & 0o777 == 0o700  # nobody else on the host does
    password = (target / "postgres_password").read_text().strip()
    assert len(password) >= 32
    url = (target / "database_url").read_text().strip()
    assert url == f"postgresql+psycopg://ticketflow:{password}@postgres:5432/ticketflow"
    assert (target / "grafana_admin_password").read_text().strip() != password
    # again: nothing changes (the database keeps the password it was created with)
    (target / "database_url").unlink()
    again = subprocess.run(["sh", str(SECRETS_SCRIPT), str(target)], capture_output=True,
                           text=True, check=True, timeout=30)
    assert "kept" in again.stdout
    assert (target / "postgres_password").read_text().strip() == password
    assert (target / "database_url").read_text().strip() == url
    ignored = subprocess.run(["git", "check-ignore", "-q", "ops/secrets/database_url"],
                             cwd=REPO, check=False)
    assert ignored.returncode == 0, "generated secrets must not be committed"


def test_workers_serve_metrics_report_readiness_and_keep_their_data() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    [data_dir] = re.findall(r"^ENV TICKETFLOW_DATA_DIR=(\S+)$", dockerfile, re.M)
    for name in ("worker", "worker-trial"):
        worker = services()[name]
        port = worker["environment"]["TICKETFLOW_METRICS_PORT"]
        assert port.isdigit(), name
        probe = " ".join(worker["healthcheck"]["test"])
        assert "/readyz" in probe and "TICKETFLOW_METRICS_PORT" in probe, name
        assert any(v.split(":")[1] == data_dir for v in worker["volumes"]), name
        assert worker["restart"] == "unless-stopped"
    # Prometheus finds the trial worker under the cluster worker's name
    assert "worker" in services()["worker-trial"]["networks"]["default"]["aliases"]


@pytest.mark.parametrize("probe_status", [200, 503])
def test_the_healthcheck_fails_unless_readyz_answers_200(probe_status: int) -> None:
    """The healthcheck's Python line, run here against a server answering ``probe_status``."""
    import http.server
    import os
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(probe_status if self.path == "/readyz" else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        command = services()["worker"]["healthcheck"]["test"]
        assert command[:3] == ["CMD", "python", "-c"]
        env = {**os.environ, "TICKETFLOW_METRICS_PORT": str(server.server_address[1])}
        result = subprocess.run([sys.executable, "-c", command[3]], env=env, capture_output=True,
                                timeout=30, check=False)
    finally:
        server.shutdown()
        server.server_close()
    assert (result.returncode == 0) == (probe_status == 200)


def test_dockerfile_copies_every_package() -> None:
    import tomllib

    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    packages = pyproject["tool"]["setuptools"]["packages"]
    dockerfile = (REPO / "Dockerfile").read_text()
    for top in {p.split(".")[0] for p in packages}:
        assert f"COPY {top} {top}" in dockerfile
