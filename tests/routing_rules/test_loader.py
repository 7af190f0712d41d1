from __future__ import annotations

import pytest

from routing_rules import DEFAULT_RULESET_PATH, RulesetError, load_ruleset, load_ruleset_text
from routing_rules.compile import ruleset_version

from .conftest import rules_text

DEFAULT = "- {id: default, default: true, then: {queue: general}}\n"


def problems(text: str) -> list:
    with pytest.raises(RulesetError) as info:
        load_ruleset_text(text, "rules/x.yaml")
    return info.value.problems


def test_demo_loads() -> None:
    assert load_ruleset(DEFAULT_RULESET_PATH).name == "demo-shop"


def test_bad_yaml_syntax_has_line() -> None:
    [p] = problems("name: x\nqueues: [a\nrules: []\n")
    assert p.file == "rules/x.yaml" and p.line is not None and "invalid YAML" in p.message


def test_unknown_key_names_line_rule_and_key() -> None:
    text = rules_text("""\
        - id: r1
          when: {field: channel, op: eq, value: email}
          then: {queue: a, tagz: [x]}
        """ + DEFAULT)
    [p] = problems(text)
    assert p.rule_id == "r1" and p.line == text.splitlines().index(
        "    then: {queue: a, tagz: [x]}") + 1
    assert "unknown key 'tagz'" in p.message and "did you mean 'tags'" in p.message


def test_unknown_field_with_suggestion() -> None:
    text = rules_text("""\
        - id: vip-boost
          when:
            field: enrichment.customer.segmnt
            op: in
            value: [vip]
          then: {queue: a}
        """ + DEFAULT)
    [p] = problems(text)
    line = text.splitlines().index("      field: enrichment.customer.segmnt") + 1
    assert p.line == line and p.rule_id == "vip-boost"
    assert p.field == "enrichment.customer.segmnt"
    assert str(p) == (f"rules/x.yaml:{line}: rule 'vip-boost': field "
                      "'enrichment.customer.segmnt' is unknown (did you mean "
                      "'enrichment.customer.segment'?)")


def test_unknown_operator() -> None:
    [p] = problems(rules_text("""\
        - id: r1
          when: {field: channel, op: equals, value: email}
          then: {queue: a}
        """ + DEFAULT))
    assert "operator 'equals' is unknown" in p.message and p.rule_id == "r1" and p.line


def test_unknown_enum_value() -> None:
    [p] = problems(rules_text("""\
        - id: r1
          when: {field: classification.intent, op: eq, value: refnd}
          then: {queue: a}
        """ + DEFAULT))
    assert "did you mean 'refund'" in p.message


def test_undeclared_queue() -> None:
    [p] = problems(rules_text("""\
        - id: r1
          when: {field: channel, op: eq, value: email}
          then: {queue: c}
        """ + DEFAULT))
    assert "queue 'c' is not declared" in p.message and p.rule_id == "r1"


def test_no_default() -> None:
    [p] = problems(rules_text("""\
        - id: r1
          when: {field: channel, op: eq, value: email}
          then: {queue: a}
        """))
    assert "no default rule" in p.message


def test_two_defaults() -> None:
    ps = problems(rules_text(DEFAULT + "- {id: d2, default: true, then: {queue: a}}\n"))
    assert any("second default" in p.message and p.rule_id == "d2" for p in ps)
    assert any("must be the last" in p.message and p.rule_id == "default" for p in ps)


def test_bad_regex_and_between() -> None:
    ps = problems(rules_text("""\
        - id: r1
          when: {field: body, op: matches, value: "(unclosed"}
          then: {queue: a}
        - id: r2
          when: {field: classification.confidence, op: between, value: [0.9, 0.1]}
          then: {queue: a}
        """ + DEFAULT))
    assert {p.rule_id for p in ps} == {"r1", "r2"}


def test_continue_rule_cannot_set_queue() -> None:
    [p] = problems(rules_text("""\
        - id: r1
          when: {field: channel, op: eq, value: email}
          then: {queue: a}
          continue: true
        """ + DEFAULT))
    assert p.rule_id == "r1" and "continue" in p.message


def test_version_stable_and_changes() -> None:
    text = rules_text("""\
        - id: r1
          when: {field: channel, op: eq, value: email}
          then: {queue: a}
        """ + DEFAULT)
    v1 = ruleset_version(load_ruleset_text(text, "x"))
    assert v1 == ruleset_version(load_ruleset_text(text + "# a comment\n", "x"))
    assert v1 != ruleset_version(load_ruleset_text(text.replace("email", "sms"), "x"))
    assert len(v1) == 16
