"""JSON Schemas for every output topic, generated from the pydantic models.

Help desks validate against these files; ``ticketflow schemas export`` regenerates them and a
test fails when the committed copies are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from schemas.deadletter import DeadLetter
from schemas.kpi import KpiAlert, KpiFacts, KpiFcr, KpiRollup, KpiTicket
from schemas.replies import ReplySuggestion
from schemas.routing import RoutedTicket
from schemas.sla import HelpdeskEvent, SlaEvent
from schemas.ticket import Ticket

JSON_DIR = Path(__file__).parent / "json"
BASE_ID = "https://ticketflow.dev/schemas/"

# file name -> (model, topic it describes)
EXPORTED: dict[str, tuple[type[BaseModel], str]] = {
    "ticket.json": (Ticket, "tickets.normalized"),
    "deadletter.json": (DeadLetter, "tickets.deadletter"),
    "routed.json": (RoutedTicket, "tickets.routed, queue.<name>"),
    "sla_event.json": (SlaEvent, "sla.events"),
    "helpdesk.json": (HelpdeskEvent, "helpdesk.events"),
    "kpi_ticket.json": (KpiTicket, "kpi.tickets"),
    "kpi_fcr.json": (KpiFcr, "kpi.fcr"),
    "kpi_facts.json": (KpiFacts, "<app id>-kpi-facts"),
    "kpi_rollup.json": (KpiRollup, "kpi.rollups"),
    "kpi_alert.json": (KpiAlert, "kpi.alerts"),
    "reply_suggestion.json": (ReplySuggestion, "replies.suggested"),
}


def render(name: str, model: type[BaseModel], topic: str) -> str:
    schema = model.model_json_schema(mode="serialization")
    version = model.model_fields["schema_version"].default
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_ID}{name.removesuffix('.json')}/v{version}.json",
        "x-topic": topic,
        "x-schema-version": version,
        **schema,
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate() -> dict[str, str]:
    return {name: render(name, model, topic) for name, (model, topic) in EXPORTED.items()}


def write(directory: Path = JSON_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale(directory: Path = JSON_DIR) -> list[str]:
    """Names of schema files missing or different from what the models generate."""
    return [
        name for name, text in generate().items()
        if not (directory / name).is_file()
        or (directory / name).read_text(encoding="utf-8") != text
    ]
