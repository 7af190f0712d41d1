"""The ``auto_reply`` action: what a help desk may send without a person (issue 16)."""

from __future__ import annotations

from pathlib import Path

from routing_rules import (
    DEFAULT_RULESET_PATH,
    check,
    compile_ruleset,
    load_ruleset,
    load_ruleset_text,
)
from routing_rules.compile import ruleset_version
from routing_rules.errors import Problem
from routing_rules.testing import Case, check_case
from schemas.routing import Decision
from ticketflow.rules_tools import compare, explain, replay

from .conftest import rules_text
from .test_engine import DEFAULT, Make, ticket

PRECEDENCE = """\
    - id: fr-ack
      when: {field: language, op: eq, value: fr}
      then: {auto_reply: acknowledge}
      continue: true
    - id: vip-off
      when: {field: enrichment.customer.segment, op: eq, value: vip}
      then: {auto_reply: "off"}
      continue: true
    - id: refund
      when: {field: classification.intent, op: eq, value: refund}
      then: {queue: a, auto_reply: answer}
    - id: safety
      when: {field: classification.intent, op: eq, value: complaint}
      then: {queue: b, auto_reply: "off", flag_for_human: true}
    - id: invoice
      when: {field: classification.intent, op: eq, value: invoice}
      then: {queue: b}
    """ + DEFAULT


def test_off_unless_a_rule_sets_it(make: Make) -> None:
    rules = make(PRECEDENCE)
    assert rules.route(ticket(classification__intent="invoice")).auto_reply == "off"
    assert rules.route(ticket()).auto_reply == "off"  # the default rule sets nothing
    # a record written before the field existed reads "off"
    old = rules.route(ticket()).model_dump(mode="json")
    del old["auto_reply"]
    assert Decision.model_validate(old).auto_reply == "off"


def test_the_last_matching_rule_that_sets_it_wins(make: Make) -> None:
    rules = make(PRECEDENCE)
    # the deciding rule's value over an earlier continue rule's
    assert rules.route(ticket(language="fr", classification__intent="refund")).auto_reply \
        == "answer"
    assert rules.route(ticket(language="fr", classification__intent="complaint")).auto_reply \
        == "off"
    # a deciding rule that does not set it keeps the continue rule's value
    assert rules.route(ticket(language="fr", classification__intent="invoice")).auto_reply \
        == "acknowledge"
    assert rules.route(ticket(language="fr")).auto_reply == "acknowledge"  # default rule
    # a later continue rule turns it off again
    fr_vip = ticket(language="fr", enrichment__customer__segment="vip")
    assert rules.route(fr_vip).auto_reply == "off"


def test_matched_rule_actions_show_it(make: Make) -> None:
    d = make(PRECEDENCE).route(ticket(language="fr", classification__intent="complaint"))
    assert [m.actions for m in d.matched] == [
        ("auto_reply = acknowledge",),
        ("queue = b", "flag for human", "auto_reply = off")]


def test_route_dict_agrees(make: Make) -> None:
    rules = make(PRECEDENCE)
    t = ticket(language="fr", classification__intent="invoice")
    assert rules.route_dict(rules.view(t)) == rules.route(t)


def test_unused_auto_reply_keeps_the_ruleset_version() -> None:
    """Versions computed before the action existed stay the same; using it changes them."""
    rules = """\
        - id: r
          when: {field: language, op: eq, value: fr}
          then: {queue: a, priority: P2, tags: [x], sla_policy: low, flag_for_human: true}
        """ + DEFAULT
    assert ruleset_version(load_ruleset_text(rules_text(rules), "x")) == "c3104950c65e76cd"
    versions = {ruleset_version(load_ruleset_text(rules_text(
        rules.replace("flag_for_human: true", f"flag_for_human: true, auto_reply: {value}")),
        "x")) for value in ("acknowledge", "answer", '"off"')}
    assert len(versions) == 3 and "c3104950c65e76cd" not in versions


def test_bare_yaml_off_means_off(make: Make) -> None:
    """YAML reads ``off`` as false; a rule editor means the value "off"."""
    rules = make("""\
        - id: ack
          when: {field: language, op: eq, value: fr}
          then: {auto_reply: acknowledge}
          continue: true
        - id: r
          when: {field: classification.intent, op: eq, value: refund}
          then: {queue: a, auto_reply: off}
        """ + DEFAULT)
    assert rules.route(ticket(language="fr")).auto_reply == "acknowledge"
    assert rules.route(ticket(language="fr", classification__intent="refund")).auto_reply \
        == "off"


def lint(tmp_path: Path, rules: str) -> list[Problem]:
    path = tmp_path / "r.yaml"
    path.write_text(rules_text(rules))
    return check(path)


def test_an_unknown_value_is_a_schema_error_at_its_line(tmp_path: Path) -> None:
    problems = lint(tmp_path, """\
        - id: r
          when: {field: language, op: eq, value: fr}
          then:
            queue: a
            auto_reply: anwser
        - id: s
          when: {field: language, op: eq, value: de}
          then: {queue: a, auto_reply: yes}
        """ + DEFAULT)
    lines = rules_text("").count("\n")  # the header's lines; the rules start after them
    assert [(p.line, p.rule_id, p.severity) for p in problems] == [
        (lines + 5, "r", "error"), (lines + 8, "s", "error")]
    assert "'off', 'acknowledge' or 'answer'" in problems[0].message
    assert str(problems[0]).startswith(f"{tmp_path / 'r.yaml'}:{lines + 5}: rule 'r': ")
    assert "bare yes / on / true" in problems[1].message


FLAGGED = """\
    - id: fr-answer
      when: {field: language, op: eq, value: fr}
      then: {auto_reply: answer}
      continue: true
    - id: both
      when: {field: classification.intent, op: eq, value: refund}
      then: {queue: a, flag_for_human: true, auto_reply: answer}
    - id: flag-de
      when: {field: language, op: eq, value: de}
      then: {queue: b, flag_for_human: true}
    - id: flag-fr
      when: {field: language, op: in, value: [fr, en]}
      then: {queue: b, flag_for_human: true}
    - id: flag-fr-ack
      when: {field: channel, op: eq, value: sms}
      then: {queue: b, flag_for_human: true, auto_reply: acknowledge}
    """ + DEFAULT


def test_answering_a_ticket_flagged_for_a_human_is_a_warning(tmp_path: Path) -> None:
    warned = {p.rule_id: p for p in lint(tmp_path, FLAGGED) if p.severity == "warning"}
    # flag-de: no French ticket is German; flag-fr-ack: it acknowledges only
    assert sorted(warned) == ["both", "flag-fr"]
    assert "by this rule" in warned["both"].message
    assert "answer by 'fr-answer'" in warned["flag-fr"].message
    assert warned["flag-fr"].line == rules_text(FLAGGED).splitlines().index(
        "  - id: flag-fr") + 3  # its 'then' line: it sets no auto_reply to point at


def test_the_demo_ruleset_has_no_auto_reply_warning() -> None:
    assert [str(p) for p in check(DEFAULT_RULESET_PATH) if p.field == "then.auto_reply"] == []


def test_a_case_can_expect_auto_reply(make: Make) -> None:
    rules = make(PRECEDENCE)
    fr = {"text": "Bonjour", "overrides": {"language": "fr"}}
    assert check_case(rules, Case.model_validate(
        {**fr, "name": "ack", "expect": {"queue": "general", "auto_reply": "acknowledge"}})).passed
    failed = check_case(rules, Case.model_validate(
        {**fr, "name": "off", "expect": {"queue": "general", "auto_reply": False}}))  # bare off
    assert failed.failures == ["auto_reply 'acknowledge', expected 'off'"]


def test_the_demo_shop_answers_routine_queues_and_leaves_the_rest_to_people() -> None:
    rules = compile_ruleset(load_ruleset(DEFAULT_RULESET_PATH))
    intents = {"order_status": "answer", "refund": "answer", "invoice": "answer",
               "product_question": "acknowledge", "other": "acknowledge",
               "complaint": "off", "human_agent": "off"}
    assert {i: rules.route(ticket(classification__intent=i)).auto_reply for i in intents} \
        == intents
    # whatever the intent, safety and angry customers are never answered automatically
    for cue, queue in (("safety_hazard", "safety"), ("anger", "escalations")):
        d = rules.route(ticket(classification__intent="order_status",
                               classification__sentiment__label="negative",
                               classification__urgency__kind=[cue]))
        assert (d.queue, d.auto_reply) == (queue, "off")


def test_explain_and_replay_show_it(make: Make) -> None:
    rules = make(PRECEDENCE)
    refund = ticket(language="fr", classification__intent="refund")
    d = rules.route(refund)
    text = explain(d)
    assert text.splitlines()[0] == "queue a (queue.a), priority P3, auto-reply answer"
    assert "    then auto_reply = acknowledge\n" in text and text.endswith(
        "    then queue = a\n    then auto_reply = answer")
    assert "auto-reply" not in explain(rules.route(ticket())).splitlines()[0]  # off
    quiet = make(PRECEDENCE.replace("{queue: a, auto_reply: answer}", "{queue: a}"))
    assert "auto_reply answer → acknowledge" in (compare(d, quiet.route(refund)) or "")
    recorded = [{"ticket": t.model_dump(mode="json"),
                 "decision": rules.route(t).model_dump(mode="json"),
                 "routed_at": "2026-11-18T10:00:01+00:00"}
                for t in (refund, ticket(classification__intent="invoice",
                                         ticket_id="tk_" + "1" * 24))]
    report = replay(recorded, quiet, None)
    assert (report.tickets, report.moved, report.auto_reply_changes) == (2, 0, 1)
    assert report.as_dict()["auto_reply_changes"] == 1
    assert "0 would change priority, 1 would change auto_reply." in report.render()
