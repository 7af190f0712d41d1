"""The README's "Service KPIs" section against the code it describes: every KPI field of the
records is defined there, every KPI setting is listed with its default, every KPI topic is
listed, and the blocks other changes fill (``kpi:cli``) are where they belong."""

from __future__ import annotations

import re

import pytest

from core.settings import Settings
from schemas.kpi import KpiFcr, KpiTicket
from streams.topics import KPI, kpi_commands_topic, kpi_facts_topic
from tests.conftest import REPO

README = REPO / "README.md"
# what identifies or describes the ticket rather than measuring it
NOT_KPIS = {"schema_version", "record_id", "ticket_record_id", "ticket_id", "channel", "intent",
            "queue", "priority", "segment", "language", "sla_policy", "received_at",
            "solved_at", "emitted_at", "window_s"}


def section(text: str | None = None) -> str:
    text = text if text is not None else README.read_text(encoding="utf-8")
    start = text.index("\n## Service KPIs\n")
    return text[start:text.index("\n## ", start + 1)]


def block(part: str, text: str | None = None) -> str:
    body = section(text)
    start, end = f"<!-- kpi:{part}:start -->", f"<!-- kpi:{part}:end -->"
    assert body.count(start) == 1 and body.count(end) == 1, f"block kpi:{part}"
    return body[body.index(start) + len(start):body.index(end)]


def test_the_section_comes_before_operating_ticketflow_with_its_blocks() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.index("\n## Service KPIs\n") < text.index("\n## Operating ticketflow\n")
    for part in ("definitions", "topics", "rollups", "cli", "settings", "ops"):
        block(part)
    with pytest.raises(ValueError):  # the reader fails on a missing section, not silently
        section("# x\n## Other\n")


def test_every_kpi_field_of_the_records_is_defined() -> None:
    definitions = block("definitions")
    fields = (set(KpiTicket.model_fields) | set(KpiFcr.model_fields)) - NOT_KPIS
    assert {"first_response_s", "resolution_business_s", "fcr", "csat_score"} <= fields
    undefined = sorted(f for f in fields if f"`{f}`" not in definitions)
    assert not undefined, f"README Service KPIs: no definition of {undefined}"
    for target in ("1–3 minutes", "1–2 hours", "4–6 business hours", "24 hours", "70–75 %"):
        assert target in definitions, target


def test_every_kpi_setting_is_listed_with_its_default() -> None:
    rows = {m[1]: m[2] for m in re.finditer(r"^\| `(TICKETFLOW_KPI_[A-Z0-9_]+)` \| `([^`]+)`",
                                            block("settings"), re.M)}
    fields = {name: field for name, field in Settings.model_fields.items()
              if name.startswith("kpi_")}
    assert len(fields) >= 8
    assert set(rows) == {f"TICKETFLOW_{name.upper()}" for name in fields}
    for name, field in fields.items():
        assert float(rows[f"TICKETFLOW_{name.upper()}"]) == float(field.default), name


def test_every_kpi_topic_is_listed() -> None:
    topics = block("topics")
    names = [t.name for t in KPI] + [kpi_commands_topic("APP").name, kpi_facts_topic("APP").name]
    for name in names:
        assert f"`{name.replace('APP', '<app id>')}`" in topics, name
    rollups = block("rollups")
    for setting in ("TICKETFLOW_KPI_SPIKE_RATIO", "TICKETFLOW_KPI_SPIKE_MIN_COUNT",
                    "TICKETFLOW_KPI_BASELINE_HALF_LIFE_H"):
        assert setting in rollups, setting
