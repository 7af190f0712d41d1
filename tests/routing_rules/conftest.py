from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

from routing_rules import CompiledRuleset, compile_ruleset, load_ruleset_text

HEADER = """\
name: t
calendars:
  support:
    timezone: Europe/Paris
    weekly:
      mon: ["09:00-12:30", "13:30-18:00"]
      tue: ["09:00-12:30", "13:30-18:00"]
      wed: ["09:00-12:30", "13:30-18:00"]
      thu: ["09:00-12:30", "13:30-18:00"]
      fri: ["09:00-12:30", "13:30-18:00"]
      sat: ["10:00-14:00"]
    holidays: ["2026-12-25"]
queues:
  - {name: a}
  - {name: b}
  - {name: general}
rules:
"""


def rules_text(rules: str) -> str:
    return HEADER + textwrap.indent(textwrap.dedent(rules), "  ")


@pytest.fixture
def make() -> Callable[[str], CompiledRuleset]:
    def build(rules: str) -> CompiledRuleset:
        return compile_ruleset(load_ruleset_text(rules_text(rules), "t.yaml"))
    return build
