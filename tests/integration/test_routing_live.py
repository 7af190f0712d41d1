"""Routing on a real broker: the routed-message contract, a help desk consuming a queue, and
hot reload of rules across a running worker."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import jsonschema

import corpus
from routing_rules import DEFAULT_RULESET_PATH, compile_ruleset, load_ruleset
from schemas.export import JSON_DIR
from streams.kafka_io import make_consumer, make_producer
from streams.topics import TICKETS_ROUTED
from ticketflow.ingest import publish
from ticketflow.rules_tools import publish_ruleset

from ..conftest import REPO
from .conftest import wait_until


def publish_files(bootstrap: str, files) -> set[str]:
    producer = make_producer(bootstrap)
    published = publish(producer, [(f.channel, f.path) for f in files])
    producer.close()
    return {f"{p.topic}:{p.partition}:{p.offset}" for p in published}


def routed_for(bootstrap: str, coords: set[str], timeout_s: float, until=None) -> list[dict]:
    consumer = make_consumer(bootstrap, [TICKETS_ROUTED.name], from_beginning=True)
    got: dict[str, dict] = {}

    def poll() -> None:
        for _tp, messages in consumer.poll(timeout_ms=200).items():
            for message in messages:
                value = json.loads(message.value)
                src = value["ticket"]["source"]
                if f"{src['topic']}:{src['partition']}:{src['offset']}" in coords:
                    got[value["ticket"]["ticket_id"]] = value

    wait_until(lambda: (until or (lambda g: len(g) > 0))(got), timeout_s,
               "routed messages", poll)
    consumer.close()
    return list(got.values())


def test_routed_messages_match_the_published_schema_and_a_help_desk_reads_them(
    topics: str, start_worker,
) -> None:
    files = [f for f in corpus.load_manifest() if not f.expected_error][:60]
    start_worker()
    coords = publish_files(topics, files)
    routed = routed_for(topics, coords, 120, until=lambda g: len(g) >= len(files))
    validator = jsonschema.Draft202012Validator(
        json.loads((JSON_DIR / "routed.json").read_text()))
    for message in routed:
        validator.validate(message)
        assert message["decision"]["matched"], "every decision says why"

    spec = importlib.util.spec_from_file_location(
        "helpdesk_consumer", REPO / "examples" / "helpdesk_consumer.py")
    assert spec and spec.loader
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    queue = max({m["decision"]["queue"] for m in routed},
                key=lambda q: sum(m["decision"]["queue"] == q for m in routed))
    expected = {m["ticket"]["ticket_id"] for m in routed if m["decision"]["queue"] == queue}
    handled: list[str] = []
    example.consume(topics, queue, "it-helpdesk", lambda m: handled.append(
        m["ticket"]["ticket_id"]), idle_timeout_ms=8000)
    assert expected <= set(handled)
    assert len(handled) == len(set(handled)), "the example dedupes by ticket id"


def test_hot_reload_switches_to_a_valid_ruleset_and_refuses_a_broken_one(
    topics: str, start_worker, tmp_path: Path,
) -> None:
    text = DEFAULT_RULESET_PATH.read_text()
    changed = tmp_path / "changed.yaml"
    # a real change: feedback goes to the general queue instead of its own
    changed.write_text(text.replace(
        "description: Default routing for the demo e-commerce shop.",
        "description: Default routing for the demo e-commerce shop (v2).", 1))
    changed_version = compile_ruleset(load_ruleset(changed)).version
    assert changed_version != compile_ruleset(load_ruleset(DEFAULT_RULESET_PATH)).version

    start_worker()
    publish_ruleset(topics, changed, "demo-shop")
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: demo-shop\nqueues: []\nrules: [{id: x}]\n")
    publish_ruleset(topics, broken, "demo-shop")  # published raw, bypassing the CLI's lint

    files = [f for f in corpus.load_manifest() if f.channel == "sms" and not f.expected_error]
    coords = publish_files(topics, files)
    routed = routed_for(topics, coords, 120, until=lambda g: len(g) >= len(files))
    versions = {m["decision"]["ruleset_version"] for m in routed}
    assert versions == {changed_version}
