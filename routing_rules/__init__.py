"""Routing rulesets (reviewable YAML files) and the engine that compiles and applies them.

    ruleset = load_ruleset(DEFAULT_RULESET_PATH)
    compiled = compile_ruleset(ruleset)
    decision = compiled.route(ticket)
"""

from __future__ import annotations

from pathlib import Path

from routing_rules.compile import CompiledRuleset, compile_ruleset
from routing_rules.errors import Problem, RulesetError
from routing_rules.lint import check
from routing_rules.loader import load_ruleset, load_ruleset_text
from routing_rules.model import Ruleset
from routing_rules.testing import CaseResult, run_tests, tests_path_for

DEFAULT_RULESET_PATH = Path(__file__).with_name("demo-shop.yaml")
DEFAULT_TESTS_PATH = Path(__file__).with_name("demo-shop.tests.yaml")


def load_compiled(path: Path = DEFAULT_RULESET_PATH) -> CompiledRuleset:
    """Load and compile in one go (what the routing stage calls)."""
    return compile_ruleset(load_ruleset(path), str(path))


__all__ = [
    "DEFAULT_RULESET_PATH",
    "DEFAULT_TESTS_PATH",
    "CaseResult",
    "CompiledRuleset",
    "Problem",
    "Ruleset",
    "RulesetError",
    "check",
    "compile_ruleset",
    "load_compiled",
    "load_ruleset",
    "load_ruleset_text",
    "run_tests",
    "tests_path_for",
]
