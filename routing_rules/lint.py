"""Static checks of a ruleset file: everything the loader rejects, plus dead and suspicious
rules. ``check`` never raises for a bad ruleset: it returns the problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from routing_rules.compile import required_values
from routing_rules.errors import Problem, RulesetError
from routing_rules.loader import _schema_problems, locator, parse_yaml, read_text
from routing_rules.model import Condition, Rule, Ruleset
from routing_rules.validate import semantic_problems


def always_true(cond: Condition) -> bool:
    """Conservative: True only when the condition holds for every ticket."""
    if cond.all_ is not None:
        return all(always_true(c) for c in cond.all_)
    if cond.any_ is not None:
        return any(always_true(c) for c in cond.any_)
    if cond.not_ is not None:
        return always_false(cond.not_)
    return False


def always_false(cond: Condition) -> bool:
    if cond.all_ is not None:
        return any(always_false(c) for c in cond.all_)
    if cond.any_ is not None:
        return all(always_false(c) for c in cond.any_)
    if cond.not_ is not None:
        return always_true(cond.not_)
    return False


def _canonical(cond: Condition) -> str:
    return json.dumps(cond.model_dump(mode="json", by_alias=True, exclude_unset=True),
                      sort_keys=True)


def _can_meet(*rules: Rule) -> bool:
    """False when no ticket can match all of ``rules``: some field each requires to be one of
    a few values (``eq`` / ``in``, as the routing index reads them) has no value in common."""
    need: dict[str, frozenset[Any]] = {}
    for rule in rules:
        for name, values in (required_values(rule.when) if rule.when else {}).items():
            need[name] = need[name] & values if name in need else values
            if not need[name]:
                return False
    return True


def _answered_while_flagged(ruleset: Ruleset, source: str, locate: Any) -> list[Problem]:
    """A deciding rule whose tickets can end up both flagged for a human and with
    ``auto_reply: answer`` (from itself or an earlier ``continue`` rule): a help desk could
    send the answer before the person looks. Rules that cannot match the same ticket (e.g.
    different intents or languages) do not count; other conditions are not compared."""
    problems = []
    flaggers: list[Rule] = []  # continue rules so far
    answerers: list[Rule] = []
    for i, rule in enumerate(ruleset.rules):
        then = rule.then
        if rule.continue_:
            flaggers += [rule] if then.flag_for_human else []
            answerers += [rule] if then.auto_reply == "answer" else []
            continue
        answer = ([rule] if then.auto_reply == "answer"
                  else answerers if then.auto_reply is None else [])
        flag = ([rule] if then.flag_for_human else []) + flaggers
        pairs = [(a, f) for a in answer for f in flag if _can_meet(rule, a, f)]
        if not pairs:
            continue
        names = {id(r): "this rule" if r is rule else f"'{r.id}'" for pair in pairs for r in pair}
        by_flag = ", ".join(dict.fromkeys(names[id(f)] for _, f in pairs))
        by_answer = ", ".join(dict.fromkeys(names[id(a)] for a, _ in pairs))
        problems.append(Problem(
            source, locate(("rules", i, "then", "auto_reply")), rule.id, "then.auto_reply",
            f"its tickets can be flagged for a human (by {by_flag}) and auto-answered "
            f"(auto_reply: answer by {by_answer}), so the answer could go out before a person "
            "looks; set auto_reply: acknowledge or off on this rule", "warning"))
    return problems


def lint_ruleset(ruleset: Ruleset, source: str, lines: dict[tuple[str | int, ...], int] | None
                 = None) -> list[Problem]:
    locate = locator(lines or {})
    problems = semantic_problems(ruleset, source, locate)
    deciders: dict[str, str] = {}  # canonical condition → id of the non-continue rule
    blocker: str | None = None  # a rule that stops every ticket
    targeted: set[str] = set()
    for i, rule in enumerate(ruleset.rules):
        where = locate(("rules", i))
        if rule.then.queue:
            targeted.add(rule.then.queue)
        if blocker is not None:
            problems.append(Problem(source, where, rule.id, None,
                                    f"unreachable: rule '{blocker}' before it stops every ticket"))
            continue
        if rule.when is None:
            blocker = rule.id
            continue
        if always_false(rule.when):
            problems.append(Problem(source, where, rule.id, "when",
                                    "never matches: its condition is always false", "warning"))
        key = _canonical(rule.when)
        if key in deciders:
            problems.append(Problem(
                source, where, rule.id, "when",
                f"shadowed: rule '{deciders[key]}' has the same condition and decides first, "
                "so this rule never matches", "warning"))
        if not rule.continue_:
            deciders.setdefault(key, rule.id)
            if always_true(rule.when):
                blocker = rule.id
    problems += _answered_while_flagged(ruleset, source, locate)
    for i, queue in enumerate(ruleset.queues):
        if queue.name not in targeted:
            problems.append(Problem(source, locate(("queues", i)), None, "queues",
                                    f"queue '{queue.name}' is declared but no rule targets it",
                                    "warning"))
    return problems


def check_text(text: str, source: str) -> list[Problem]:
    try:
        data, lines = parse_yaml(text, source)
    except RulesetError as exc:
        return exc.problems
    if not isinstance(data, dict):
        return [Problem(source, 1, None, None,
                        "a ruleset is a mapping with name, queues and rules")]
    try:
        ruleset = Ruleset.model_validate(data)
    except ValidationError as exc:
        return _schema_problems(exc, data, source, lines)
    return lint_ruleset(ruleset, source, lines)


def check(path: Path) -> list[Problem]:
    """Every error and warning in the ruleset file at ``path``, in file order."""
    path = Path(path)
    try:
        text = read_text(path)
    except RulesetError as exc:
        return exc.problems
    problems = check_text(text, str(path))
    return sorted(problems, key=lambda p: (p.line or 0, p.severity))
