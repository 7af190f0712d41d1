"""Checks a schema-valid ruleset for meaning: known fields, operators, queues, calendars, one
default rule last, unique ids. Shared by the loader, the compiler and lint."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from importlib import import_module
from typing import Any

from routing_rules.errors import Problem
from routing_rules.fields import FieldSpec, lookup, suggest
from routing_rules.model import Condition, Ruleset

Path = tuple[str | int, ...]
Locate = Callable[[Path], int | None]

OPERATORS: dict[str, str] = {
    "eq": "==", "ne": "!=", "in": "in", "not_in": "not in", "lt": "<", "lte": "<=",
    "gt": ">", "gte": ">=", "between": "between", "contains": "contains",
    "contains_any": "contains any of", "matches": "matches", "keywords": "has keyword",
    "exists": "exists",
}
_NUMERIC_OPS = {"lt", "lte", "gt", "gte", "between"}
_TEXT_OPS = {"matches", "keywords"}
_LIST_VALUE_OPS = {"in", "not_in", "contains_any"}
MAX_CONDITION_DEPTH = 32
"""How deep all / any / not may nest. Real rules nest a few levels; the compiler turns a
condition into one Python function, and Python refuses code nested about 100 blocks or 200
parentheses deep (an IndentationError or SyntaxError, not a message about the rule)."""


_re_parser: Any = import_module("re._parser")
_REPEATS = {_re_parser.MAX_REPEAT, _re_parser.MIN_REPEAT}


def _nested_repetition(items: Any, inside: bool) -> bool:
    """Whether a parsed pattern repeats (more than once) something that itself repeats: the
    shape of catastrophic backtracking. Rulesets can arrive over ``routing.rules``, and the
    stdlib ``re`` has no time limit. (Alternations of overlapping branches, ``(a|a)+``, can
    backtrack too and are not caught.)"""
    for op, arg in items:
        if op in _REPEATS:
            _low, high, sub = arg
            many = high > 1
            if (inside and many) or _nested_repetition(sub, inside or many):
                return True
            continue
        children: list[Any] = []
        if op is _re_parser.SUBPATTERN:
            children = [arg[-1]]
        elif op is _re_parser.BRANCH:
            children = list(arg[1])
        elif op in (_re_parser.ASSERT, _re_parser.ASSERT_NOT):
            children = [arg[1]]
        elif op is _re_parser.ATOMIC_GROUP:
            children = [arg]
        elif op is _re_parser.GROUPREF_EXISTS:
            children = [branch for branch in arg[1:] if branch is not None]
        if any(_nested_repetition(child, inside) for child in children):
            return True
    return False


def _no_line(_: Path) -> int | None:
    return None


def walk_conditions(cond: Condition, path: Path) -> Iterator[tuple[Condition, Path]]:
    """Every condition node below (and including) ``cond`` with its path in the file."""
    yield cond, path
    for key, children in (("all", cond.all_), ("any", cond.any_)):
        for i, child in enumerate(children or ()):
            yield from walk_conditions(child, (*path, key, i))
    if cond.not_ is not None:
        yield from walk_conditions(cond.not_, (*path, "not"))


def _operator_name_problems(cond: Condition) -> list[str]:
    op = cond.op or ""
    if op in OPERATORS:
        return []
    close = difflib.get_close_matches(op, list(OPERATORS), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return [f"operator '{op}' is unknown{hint}; known: {', '.join(OPERATORS)}"]


def _leaf_problems(cond: Condition, spec: FieldSpec) -> list[str]:
    op, value = cond.op or "", cond.value
    if op not in OPERATORS:
        return _operator_name_problems(cond)
    if op == "exists":
        if cond.has_value and not isinstance(value, bool):
            return ["'exists' takes value true or false"]
        return []
    if not cond.has_value or value is None:
        return [f"operator '{op}' needs a value"]
    if op in _NUMERIC_OPS and spec.kind != "num":
        return [f"operator '{op}' needs a numeric field; '{spec.path}' is {spec.kind}"]
    if op in _TEXT_OPS and spec.kind != "str":
        return [f"operator '{op}' needs a text field; '{spec.path}' is {spec.kind}"]
    if op in _LIST_VALUE_OPS and not isinstance(value, list):
        return [f"operator '{op}' takes a list value"]
    if op == "between":
        if not (isinstance(value, list) and len(value) == 2
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)):
            return ["operator 'between' takes [low, high] numbers"]
        if value[0] > value[1]:
            return [f"between {value}: low is above high"]
    if op in {"lt", "lte", "gt", "gte"} and (
            not isinstance(value, int | float) or isinstance(value, bool)):
        return [f"operator '{op}' takes a number"]
    if op == "matches":
        if not isinstance(value, str):
            return ["operator 'matches' takes a regular expression string"]
        try:
            re.compile(value)
        except re.error as exc:
            return [f"regular expression {value!r} is invalid: {exc}"]
        if _nested_repetition(_re_parser.parse(value), inside=False):
            return [f"regular expression {value!r} has nested repetition (like '(a+)+'), "
                    "which can backtrack for minutes on one ticket; repeat a single level "
                    "('a+', '(?:ab)+')"]
    if op == "keywords" and not (
            isinstance(value, str)
            or (isinstance(value, list) and value and all(isinstance(v, str) for v in value))):
        return ["operator 'keywords' takes a word or a list of words"]
    if spec.values is not None and op in {"eq", "ne", "in", "not_in", "contains", "contains_any"}:
        values: list[Any] = value if isinstance(value, list) else [value]
        for v in values:
            if str(v) not in spec.values:
                close = difflib.get_close_matches(str(v), sorted(spec.values), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                return [f"value {v!r} is not a possible '{spec.path}'{hint}"]
    return []


def semantic_problems(ruleset: Ruleset, source: str, locate: Locate = _no_line) -> list[Problem]:
    problems: list[Problem] = []
    queues = {q.name for q in ruleset.queues}
    seen_queues: set[str] = set()
    for i, queue in enumerate(ruleset.queues):
        if queue.name in seen_queues:
            problems.append(Problem(source, locate(("queues", i)), None, "queues",
                                    f"queue '{queue.name}' is declared twice"))
        seen_queues.add(queue.name)
    seen_ids: dict[str, int] = {}
    defaults: list[int] = []
    for i, rule in enumerate(ruleset.rules):
        rpath: Path = ("rules", i)

        def add(path: Path, field: str | None, message: str, rule_id: str = rule.id) -> None:
            problems.append(Problem(source, locate(path), rule_id, field, message))

        if rule.id in seen_ids:
            add((*rpath, "id"), "id",
                f"duplicate rule id (first used by rule #{seen_ids[rule.id] + 1})")
        else:
            seen_ids[rule.id] = i
        if rule.default:
            defaults.append(i)
        if rule.then.queue is not None and rule.then.queue not in queues:
            close = difflib.get_close_matches(rule.then.queue, sorted(queues), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            add((*rpath, "then", "queue"), "then.queue",
                f"queue '{rule.then.queue}' is not declared under 'queues'{hint}")
        if rule.when is None:
            continue
        for cond, cpath in walk_conditions(rule.when, (*rpath, "when")):
            depth = sum(1 for part in cpath if part in ("all", "any", "not"))
            if depth > MAX_CONDITION_DEPTH:
                add(cpath, "when", f"conditions are nested {depth} levels deep (all / any / "
                    f"not inside each other), over the limit of {MAX_CONDITION_DEPTH}; "
                    "flatten them")
                break
            if cond.business_hours is not None:
                name = cond.business_hours.calendar
                if name not in ruleset.calendars:
                    add((*cpath, "business_hours"), "business_hours.calendar",
                        f"calendar '{name}' is not declared under 'calendars'")
            elif cond.is_leaf and cond.field is not None:
                spec = lookup(cond.field)
                if spec is None:
                    near = suggest(cond.field)
                    hint = f" (did you mean '{near}'?)" if near else ""
                    add((*cpath, "field"), cond.field, f"field '{cond.field}' is unknown{hint}")
                    # what can be checked without the field's kind is still reported: an
                    # editor fixing the field should not meet the operator's error next
                    for text in _operator_name_problems(cond):
                        add((*cpath, "op"), cond.field, f"field '{cond.field}': {text}")
                    continue
                for text in _leaf_problems(cond, spec):
                    add((*cpath, "op"), cond.field, f"field '{cond.field}': {text}")
    last = len(ruleset.rules) - 1
    if not defaults:
        problems.append(Problem(source, locate(("rules",)), None, "default",
                                "no default rule: the last rule must have 'default: true'"))
    for n, i in enumerate(defaults):
        rule = ruleset.rules[i]
        if n > 0:
            problems.append(Problem(source, locate(("rules", i)), rule.id, "default",
                                    "a second default rule: exactly one is allowed"))
        elif i != last:
            problems.append(Problem(source, locate(("rules", i)), rule.id, "default",
                                    "the default rule must be the last rule"))
    return problems
