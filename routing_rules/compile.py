"""Compiles a ruleset once into closures and routes tickets with it.

Each condition becomes a predicate over a *view*: a flat dict ``{field path: value}`` built once
per ticket with only the fields the ruleset uses (absent and None values are left out, so a
missing field is just a missing key). Reasons are only worked out for rules that matched.
"""

from __future__ import annotations

import hashlib
import json
import operator
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

from routing_rules.errors import RulesetError
from routing_rules.fields import Getter, getter, is_attribute_path, lookup
from routing_rules.model import WEEKDAYS, Calendar, Condition, Rule, Ruleset, parse_interval
from routing_rules.validate import OPERATORS, semantic_problems, walk_conditions
from schemas.classification import Priority
from schemas.routing import Decision, MatchedRule
from schemas.ticket import Ticket

View = dict[str, Any]
Test = Callable[[View], bool]
Explain = Callable[[View], list[str]]
_MISSING: Any = object()
_re_parser: Any = import_module("re._parser")
_OTHER: Any = object()  # in the routing index: a value no rule requires
_SCALARS = frozenset({str, int, float, bool})  # never equal to () or []
_INDEX_DEPTH = 3  # at most this many indexed fields
_INDEX_SIZE = 4096  # at most this many candidate lists
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_PRIORITIES = ("P1", "P2", "P3", "P4")
_PRIORITY_ENUM = {p.value: p for p in Priority}
_LEVELS = {p: i for i, p in enumerate(_PRIORITIES)}
_LEVEL_ENUM = tuple(Priority(p) for p in _PRIORITIES)
RECEIVED_AT = "received_at"
PRIORITY_FIELD = "classification.priority"


def _constructor(cls: type[Decision], order: tuple[str, ...],
                 ) -> Callable[[dict[str, Any]], Decision]:
    """What ``cls.model_construct(**values)`` does when ``values`` holds every field in
    ``order``, without its per-call bookkeeping (falls back to it when ``order`` is not the
    model's field order, or for models with aliases, extras, private attributes or hooks)."""
    fields = cls.__pydantic_fields__
    if (tuple(fields) != order or cls.model_config.get("extra") == "allow"
            or cls.__pydantic_root_model__
            or cls.__pydantic_post_init__ or cls.__private_attributes__
            or any(f.alias is not None or f.validation_alias is not None
                   for f in fields.values())):
        return lambda values: cls.model_construct(**values)
    names = frozenset(fields)
    new = cls.__new__
    set_attr = object.__setattr__

    def construct(values: dict[str, Any]) -> Decision:
        model = new(cls)
        set_attr(model, "__dict__", values)
        set_attr(model, "__pydantic_fields_set__", set(names))
        set_attr(model, "__pydantic_extra__", None)
        set_attr(model, "__pydantic_private__", None)
        return model
    return construct


_decision = _constructor(Decision, (
    "queue", "topic", "priority", "tags", "sla_policy", "flag_for_human", "auto_reply",
    "matched", "default_applied", "ruleset_name", "ruleset_version"))


def fold(text: str) -> str:
    """Lower-case and strip accents: ``"Remboursé"`` → ``"rembourse"``."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return _COMBINING.sub("", unicodedata.normalize("NFKD", folded))


def ruleset_version(ruleset: Ruleset) -> str:
    data = ruleset.model_dump(mode="json", by_alias=True)
    # An unset auto_reply is left out, so a ruleset that does not use it keeps the version it
    # had before the action existed: upgrading ticketflow is not a rule change in decisions,
    # the audit trail or `ticketflow status`.
    for rule in data["rules"]:
        if rule["then"].get("auto_reply") is None:
            rule["then"].pop("auto_reply", None)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


# --- leaf predicates over one value ------------------------------------------------------------

def _cmp(op: str, value: Any) -> Callable[[Any], bool]:
    def lt(x: Any) -> bool:
        try:
            return bool(x < value)
        except TypeError:
            return False

    def lte(x: Any) -> bool:
        try:
            return bool(x <= value)
        except TypeError:
            return False

    def gt(x: Any) -> bool:
        try:
            return bool(x > value)
        except TypeError:
            return False

    def gte(x: Any) -> bool:
        try:
            return bool(x >= value)
        except TypeError:
            return False

    return {"lt": lt, "lte": lte, "gt": gt, "gte": gte}[op]


def _equal_ci(value: Any) -> Callable[[Any], bool]:
    """Equality, case-insensitive for strings (bools stay distinct from 1/0)."""
    if isinstance(value, str):
        folded = value.casefold()
        return lambda x: isinstance(x, str) and x.casefold() == folded
    is_bool = isinstance(value, bool)
    return lambda x: bool(x == value) and isinstance(x, bool) == is_bool


def _element_pred(op: str, value: Any, is_list: bool) -> Callable[[Any], bool]:
    """Predicate on one (scalar) value: the field's value, or one element of a list field."""
    if op in ("eq", "ne"):
        return lambda x: bool(x == value)
    if op in ("in", "not_in"):
        try:
            members: Any = frozenset(value)
        except TypeError:
            members = tuple(value)
        return lambda x: x in members
    if op in ("lt", "lte", "gt", "gte"):
        return _cmp(op, value)
    if op == "between":
        lo, hi = value

        def between(x: Any) -> bool:
            try:
                return bool(lo <= x <= hi)
            except TypeError:
                return False
        return between
    if op == "contains":
        if is_list:
            return _equal_ci(value)
        needle = str(value).casefold()
        return lambda x: isinstance(x, str) and needle in x.casefold()
    if op == "contains_any":
        if is_list:
            preds = [_equal_ci(v) for v in value]
            return lambda x: any(p(x) for p in preds)
        needles = [str(v).casefold() for v in value]

        def contains_any(x: Any) -> bool:
            if not isinstance(x, str):
                return False
            low = x.casefold()
            return any(n in low for n in needles)
        return contains_any
    if op == "matches":
        search = re.compile(value, re.IGNORECASE).search
        return lambda x: isinstance(x, str) and search(x) is not None
    raise AssertionError(op)


_WORD_RUN = re.compile(r"\w+")
_ASCII_NON_WORD_TO_SPACE = bytes(
    c if chr(c).isascii() and (chr(c).isalnum() or c == ord("_")) else ord(" ")
    for c in range(256))
_CMP_SYMBOLS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
_CMP_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "lt": operator.lt, "lte": operator.le, "gt": operator.gt, "gte": operator.ge}


Runs = Callable[[View], frozenset[str]]


def _word_runs(text: str) -> frozenset[str]:
    """The maximal runs of word characters (``\\w+``) in ``text``."""
    if text.isascii():  # the same runs, faster: ASCII word characters are [0-9A-Za-z_]
        return frozenset(text.encode().translate(_ASCII_NON_WORD_TO_SPACE).decode().split())
    return frozenset(_WORD_RUN.findall(text))


def _keyword_runs(key: str, words: list[str]) -> tuple[frozenset[str], str, Runs] | None:
    """When every (folded) word is one run of word characters, "the keywords pattern matches"
    is exactly "one of the folded text's maximal word runs is one of the words": split the
    text once per view instead. Returns (the words, the view key caching the runs, a function
    computing and caching them); None when a word has other characters or for ``tags``
    (whose value changes while routing)."""
    folded_words = [fold(w) for w in words]
    if key == "tags" or not all(_WORD_RUN.fullmatch(w) for w in folded_words):
        return None
    runs_key = "\0runs:" + key

    def runs(v: View) -> frozenset[str]:
        x = v.get(key)
        if x is None:
            found: frozenset[str] = frozenset()
        else:
            found = _word_runs(
                fold(x) if isinstance(x, str) else "\n".join(fold(str(e)) for e in x))
        v[runs_key] = found
        return found
    return frozenset(folded_words), runs_key, runs


def _keywords(key: str, words: list[str]) -> Test:
    folded_words = [fold(w) for w in words]
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in folded_words) + r")(?!\w)")
    search = pattern.search
    norm_key = "\0fold:" + key
    by_runs = _keyword_runs(key, words)
    if by_runs is not None:
        wanted, runs_key, compute = by_runs

        def keyword_runs(v: View) -> bool:
            runs = v.get(runs_key)
            if runs is None:
                runs = compute(v)
            return not wanted.isdisjoint(runs)
        return keyword_runs

    def keywords(v: View) -> bool:
        folded = v.get(norm_key)
        if folded is None:
            x = v.get(key)
            if x is None:
                return False
            folded = fold(x) if isinstance(x, str) else "\n".join(fold(str(e)) for e in x)
            v[norm_key] = folded
        return search(folded) is not None
    return keywords


def _scalar_leaf(key: str, op: str, value: Any) -> Test | None:
    """One-call versions of the common scalar leaves (same results as the generic ones)."""
    if op in _CMP_OPS:
        compare = _CMP_OPS[op]

        def cmp(v: View) -> bool:
            x = v.get(key, _MISSING)
            if x is _MISSING:
                return False
            try:
                return bool(compare(x, value))
            except TypeError:
                return False
        return cmp
    if op == "between":
        lo, hi = value

        def between(v: View) -> bool:
            x = v.get(key, _MISSING)
            if x is _MISSING:
                return False
            try:
                return bool(lo <= x <= hi)
            except TypeError:
                return False
        return between
    if op == "contains":
        needle = str(value).casefold()

        def contains(v: View) -> bool:
            x = v.get(key)
            return isinstance(x, str) and needle in x.casefold()
        return contains
    if op == "contains_any":
        needles = [str(n).casefold() for n in value]

        def contains_any(v: View) -> bool:
            x = v.get(key)
            if not isinstance(x, str):
                return False
            low = x.casefold()
            return any(n in low for n in needles)
        return contains_any
    if op == "matches":
        compiled = re.compile(value, re.IGNORECASE)
        search = compiled.search
        literal, leading = _required_literal(value)
        if literal is None:
            def matches(v: View) -> bool:
                x = v.get(key)
                return isinstance(x, str) and search(x) is not None
            return matches
        if leading:  # every match starts with the literal: try only where it occurs
            match = compiled.match

            def matches_at_literal(v: View) -> bool:
                x = v.get(key)
                if not isinstance(x, str):
                    return False
                if not x.isascii():
                    return search(x) is not None
                low = x.lower()
                at = low.find(literal)
                while at >= 0:
                    if match(x, at) is not None:  # sees the text before ``at`` (\b, ^)
                        return True
                    at = low.find(literal, at + 1)
                return False
            return matches_at_literal

        def matches_literal(v: View) -> bool:
            x = v.get(key)
            if not isinstance(x, str):
                return False
            if x.isascii() and literal not in x.lower():  # cannot match: skip the regex
                return False
            return search(x) is not None
        return matches_literal
    return None


def _required_literal(pattern: str) -> tuple[str | None, bool]:
    """Lower-cased ASCII text every match of ``pattern`` contains (its longest run of plain
    characters at the top level), or None; and whether every match starts with it (only
    zero-width ``^``/``\\b``-like assertions before it). On ASCII text a case-insensitive
    match needs exactly that text in ``text.lower()``, much cheaper to look for than the
    regex."""
    try:
        parsed = _re_parser.parse(pattern, re.IGNORECASE)
    except Exception:  # no shortcut: the regex decides
        return None, False
    best = run = ""
    leading = run_leading = False
    consumed = False  # a node other than a zero-width AT assertion came before
    for op, arg in parsed.data:
        if op is _re_parser.LITERAL and arg < 128:
            if not run:
                run_leading = not consumed
            run += chr(arg)
            if len(run) > len(best):
                best, leading = run, run_leading
            consumed = True
        else:
            run = ""
            if op is not _re_parser.AT:
                consumed = True
    if len(best) < 2:
        return None, False
    return best.lower(), leading


def _leaf(cond: Condition, is_list: bool) -> Test:
    key, op, value = cond.field or "", cond.op or "", cond.value
    if op == "exists":
        want = True if not cond.has_value else bool(value)
        return (lambda v: key in v) if want else (lambda v: key not in v)
    if op == "keywords":
        return _keywords(key, [value] if isinstance(value, str) else list(value))
    if is_list and op == "contains" and isinstance(value, str):
        folded_value = value.casefold()

        def list_contains(v: View) -> bool:
            x = v.get(key)
            if x is None:
                return False
            for e in x:  # noqa: SIM110 - a loop, not a generator per call
                if isinstance(e, str) and e.casefold() == folded_value:
                    return True
            return False
        return list_contains
    if not is_list:
        fast = _scalar_leaf(key, op, value)
        if fast is not None:
            return fast
    pred = _element_pred(op, value, is_list)
    negate = op in ("ne", "not_in")
    if is_list:
        if negate:  # no element equals / is in the value
            def list_none(v: View) -> bool:
                x = v.get(key)
                return x is not None and not any(map(pred, x))
            return list_none

        def list_any(v: View) -> bool:
            x = v.get(key)
            return x is not None and any(map(pred, x))
        return list_any
    if op == "eq":  # the hottest path: no extra call
        def eq(v: View) -> bool:
            return v.get(key, _MISSING) == value
        return eq
    if op == "in":
        members: Any
        try:
            members = frozenset(value)
        except TypeError:
            members = tuple(value)

        def is_in(v: View) -> bool:
            x = v.get(key, _MISSING)
            return x is not _MISSING and x in members
        return is_in
    if negate:
        def scalar_neg(v: View) -> bool:
            x = v.get(key, _MISSING)
            return x is not _MISSING and not pred(x)
        return scalar_neg

    def scalar(v: View) -> bool:
        x = v.get(key, _MISSING)
        return x is not _MISSING and pred(x)
    return scalar


def describe(cond: Condition) -> str:
    """A condition as readable text, e.g. ``classification.intent == 'refund'``."""
    if cond.business_hours is not None:
        bh = cond.business_hours
        return f"{'within' if bh.within else 'outside'} business hours ({bh.calendar})"
    if cond.all_ is not None:
        return "all(" + ", ".join(describe(c) for c in cond.all_) + ")"
    if cond.any_ is not None:
        return "any(" + ", ".join(describe(c) for c in cond.any_) + ")"
    if cond.not_ is not None:
        return f"not ({describe(cond.not_)})"
    op = cond.op or ""
    if op == "exists":
        want = True if not cond.has_value else bool(cond.value)
        return f"{cond.field} {'exists' if want else 'is missing'}"
    if op == "between":
        return f"{cond.field} between {cond.value[0]!r} and {cond.value[1]!r}"
    if op == "matches":
        return f"{cond.field} matches /{cond.value}/"
    return f"{cond.field} {OPERATORS.get(op, op)} {cond.value!r}"


class _BusinessHours:
    def __init__(self, calendar: Calendar) -> None:
        self.tz = ZoneInfo(calendar.timezone)
        days: dict[int, tuple[tuple[int, int], ...]] = dict.fromkeys(range(7), ())
        for name, intervals in calendar.weekly.items():
            days[WEEKDAYS.index(name)] = tuple(parse_interval(i) for i in intervals)
        self.days: dict[int, tuple[tuple[int, int], ...]] = days
        self.holidays: frozenset[date] = frozenset(calendar.holidays)

    def open_at(self, when: datetime) -> bool:
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        local = when.astimezone(self.tz)
        if local.date() in self.holidays:
            return False
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.days[local.weekday()])


def _business_hours(cond: Condition, calendars: Mapping[str, _BusinessHours]) -> Test:
    assert cond.business_hours is not None
    calendar = calendars[cond.business_hours.calendar]
    within = cond.business_hours.within

    def test(v: View) -> bool:
        when = v.get(RECEIVED_AT)
        if when is None:
            return False
        if isinstance(when, str):
            when = datetime.fromisoformat(when)
        return calendar.open_at(when) is within
    return test


def _compile(cond: Condition, calendars: Mapping[str, _BusinessHours]) -> tuple[Test, Explain]:
    if cond.business_hours is not None:
        test = _business_hours(cond, calendars)
    elif cond.all_ is not None or cond.any_ is not None:
        parts = [_compile(c, calendars) for c in (cond.all_ or cond.any_ or ())]
        tests = tuple(t for t, _ in parts)
        if cond.all_ is not None:
            if len(tests) == 2:
                a, b = tests
                test = lambda v: a(v) and b(v)  # noqa: E731
            else:
                test = lambda v: all(t(v) for t in tests)  # noqa: E731

            def explain_all(v: View) -> list[str]:
                return [r for _, e in parts for r in e(v)]
            return test, explain_all
        if len(tests) == 2:
            a, b = tests
            test = lambda v: a(v) or b(v)  # noqa: E731
        else:
            test = lambda v: any(t(v) for t in tests)  # noqa: E731

        def explain_any(v: View) -> list[str]:
            return [r for t, e in parts if t(v) for r in e(v)]
        return test, explain_any
    elif cond.not_ is not None:
        inner, _ = _compile(cond.not_, calendars)
        test = lambda v: not inner(v)  # noqa: E731
    else:
        spec = lookup(cond.field or "")
        assert spec is not None
        test = _leaf(cond, spec.is_list)
    text = describe(cond)
    return test, lambda v: [text]


class _Source:
    """Constants and helpers a generated test refers to by name."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {"_MISSING": _MISSING}

    def bind(self, obj: Any) -> str:
        name = f"_c{len(self.names)}"
        self.names[name] = obj
        return name


def _expr(cond: Condition, calendars: Mapping[str, _BusinessHours], src: _Source) -> str:
    """``cond`` as one Python expression over the view ``v`` (same truth as :func:`_compile`'s
    test): combinators and the eq / in / exists leaves inline, other leaves one call each."""
    if cond.business_hours is not None:
        return f"{src.bind(_business_hours(cond, calendars))}(v)"
    if cond.all_ is not None or cond.any_ is not None:
        children = cond.all_ or cond.any_ or ()
        is_all = cond.all_ is not None
        if not children:
            return "True" if is_all else "False"
        joiner = " and " if is_all else " or "
        return "(" + joiner.join(_expr(c, calendars, src) for c in children) + ")"
    if cond.not_ is not None:
        return f"(not {_expr(cond.not_, calendars, src)})"
    spec = lookup(cond.field or "")
    assert spec is not None
    key, op = cond.field or "", cond.op or ""
    if op == "exists":
        want = True if not cond.has_value else bool(cond.value)
        return f"({key!r} {'in' if want else 'not in'} v)"
    if not spec.is_list and op == "eq":
        return f"(v.get({key!r}, _MISSING) == {src.bind(cond.value)})"
    if not spec.is_list and op == "in":
        members: Any
        try:
            members = frozenset(cond.value)
        except TypeError:
            members = tuple(cond.value)
        return f"(v.get({key!r}, _MISSING) in {src.bind(members)})"
    leaf = src.bind(_leaf(cond, spec.is_list))
    value = cond.value
    if op == "keywords":
        by_runs = _keyword_runs(key, [value] if isinstance(value, str) else list(value))
        if by_runs is not None:
            wanted, runs_key, runs = by_runs
            return (f"(not {src.bind(wanted)}.isdisjoint(_r if (_r := v.get({runs_key!r}))"
                    f" is not None else {src.bind(runs)}(v)))")
    if not spec.is_list and op in _CMP_SYMBOLS and type(value) in (int, float):
        # a float compared with a number: no TypeError possible, no call needed
        return (f"(_x {_CMP_SYMBOLS[op]} {src.bind(value)} if (_x := v.get({key!r}, _MISSING))"
                f".__class__ is float else {leaf}(v))")
    if spec.is_list and op == "contains" and isinstance(value, str):
        return f"({key!r} in v and {leaf}(v))"  # the leaf is false when the field is missing
    return f"{leaf}(v)"


def _fused_test(cond: Condition, calendars: Mapping[str, _BusinessHours], name: str) -> Test:
    """The whole condition as a single generated function: no call per ``all``/``any``/``not``
    node, and none for the simplest leaves."""
    src = _Source()
    expr = _expr(cond, calendars, src)
    if expr == "_c1(v)":  # one leaf that is already a function
        test: Test = src.names["_c1"]
        return test
    code = f"def {name}(v):\n    return {expr}\n"
    exec(compile(code, f"<rule {name}>", "exec"), src.names)
    fused: Test = src.names[name]
    return fused


def _explain_lines(cond: Condition, calendars: Mapping[str, _BusinessHours], src: _Source,
                   indent: str) -> list[str]:
    """Statements appending ``cond``'s reasons to ``r``, as :func:`_compile`'s explain does:
    every part of an ``all``, the parts of an ``any`` that hold, else the condition's text."""
    if cond.business_hours is None and (cond.all_ is not None or cond.any_ is not None):
        children = cond.all_ or cond.any_ or ()
        lines: list[str] = []
        for child in children:
            if cond.all_ is not None:
                lines += _explain_lines(child, calendars, src, indent)
            else:
                lines.append(f"{indent}if {_expr(child, calendars, src)}:")
                lines += _explain_lines(child, calendars, src, indent + "    ")
        return lines or [f"{indent}pass"]
    return [f"{indent}r.append({src.bind(describe(cond))})"]


def _mask_lines(cond: Condition, calendars: Mapping[str, _BusinessHours], src: _Source,
                indent: str, bits: list[int]) -> list[str]:
    """Statements setting in ``m`` one bit per ``any`` part that holds, among the parts
    :func:`_explain_lines` evaluates: the bits decide the reasons."""
    if cond.business_hours is not None or (cond.all_ is None and cond.any_ is None):
        return []
    lines: list[str] = []
    for child in cond.all_ or cond.any_ or ():
        if cond.all_ is not None:
            lines += _mask_lines(child, calendars, src, indent, bits)
        else:
            bit = 1 << len(bits)
            bits.append(bit)
            lines.append(f"{indent}if {_expr(child, calendars, src)}:")
            lines.append(f"{indent}    m |= {bit}")
            lines += _mask_lines(child, calendars, src, indent + "    ", bits)
    return lines


def _fused_mask(cond: Condition, calendars: Mapping[str, _BusinessHours],
                name: str) -> Callable[[View], int]:
    src = _Source()
    body = "\n".join(_mask_lines(cond, calendars, src, "    ", []))
    code = f"def {name}(v):\n    m = 0\n{body}\n    return m\n"
    exec(compile(code, f"<reason bits {name}>", "exec"), src.names)
    mask: Callable[[View], int] = src.names[name]
    return mask


def _fused_explain(cond: Condition, calendars: Mapping[str, _BusinessHours],
                   name: str) -> Explain:
    src = _Source()
    body = "\n".join(_explain_lines(cond, calendars, src, "    "))
    code = f"def {name}(v):\n    r = []\n{body}\n    return r\n"
    exec(compile(code, f"<reasons {name}>", "exec"), src.names)
    explain: Explain = src.names[name]
    return explain


@dataclass(frozen=True)
class _CompiledRule:
    rule: Rule
    test: Test
    explain: Explain
    cont: bool
    queue: str | None
    priority: str | None
    raise_by: int
    tags: tuple[str, ...]
    sla_policy: str | None
    flag: bool
    actions: tuple[str, ...]
    static: MatchedRule | None  # when the reasons never depend on the ticket (no 'any')
    by_reasons: dict[tuple[str, ...], MatchedRule]  # otherwise: one per reasons seen
    level: int | None = None  # the index in _PRIORITIES of ``priority``
    auto_reply: str | None = None  # None: leaves what earlier rules set
    topic: str | None = None  # queue.<queue>
    mask: Callable[[View], int] | None = None  # which 'any' parts hold: decides the reasons
    by_mask: dict[int, MatchedRule] = field(default_factory=dict)

    def matched_rule(self, v: View) -> MatchedRule:
        if self.static is not None:
            return self.static
        if self.mask is None:
            return self._matched_rule(v)
        bits = self.mask(v)
        found = self.by_mask.get(bits)
        if found is None:
            found = self._matched_rule(v)
            if len(self.by_mask) < 256:
                self.by_mask[bits] = found
        return found

    def _matched_rule(self, v: View) -> MatchedRule:
        reasons = tuple(self.explain(v))
        found = self.by_reasons.get(reasons)
        if found is None:
            found = MatchedRule.model_construct(
                rule_id=self.rule.id, description=self.rule.description, reasons=reasons,
                actions=self.actions)
            if len(self.by_reasons) < 256:
                self.by_reasons[reasons] = found
        return found


def _has_any(cond: Condition) -> bool:
    return any(c.any_ is not None for c, _ in walk_conditions(cond, ()))


def required_values(cond: Condition) -> dict[str, frozenset[Any]]:
    """Scalar fields the condition requires to be one of a few values, for the routing index
    to skip rules that cannot match: an eq / in leaf requires its values, an ``all`` what any
    of its parts requires, an ``any`` what every one of its parts requires (any of them)."""
    if cond.business_hours is not None:
        return {}
    if cond.all_ is not None or cond.any_ is not None:
        parts = [required_values(c) for c in (cond.all_ or cond.any_ or ())]
        out: dict[str, frozenset[Any]] = {}
        if cond.all_ is not None:
            for req in parts:
                for f, allowed in req.items():
                    out[f] = out[f] & allowed if f in out else allowed
            return out
        if not parts:
            return {}
        common = set(parts[0]).intersection(*parts[1:])
        return {f: frozenset().union(*(req[f] for req in parts)) for f in sorted(common)}
    if cond.not_ is not None or not (cond.is_leaf and cond.field and cond.op in ("eq", "in")):
        return {}
    spec = lookup(cond.field)
    if spec is None or spec.is_list or cond.field == "tags":
        return {}
    try:
        return {cond.field: frozenset([cond.value] if cond.op == "eq" else cond.value)}
    except TypeError:
        return {}


def _actions_text(rule: Rule) -> tuple[str, ...]:
    then, out = rule.then, []
    if then.queue:
        out.append(f"queue = {then.queue}")
    if then.priority:
        out.append(f"priority = {then.priority.value}")
    if then.raise_priority:
        out.append(f"raise priority by {then.raise_priority}")
    if then.tags:
        out.append("tags += " + ", ".join(then.tags))
    if then.sla_policy:
        out.append(f"sla_policy = {then.sla_policy}")
    if then.flag_for_human:
        out.append("flag for human")
    if then.auto_reply is not None:
        out.append(f"auto_reply = {then.auto_reply}")
    return tuple(out)


def _always(_: View) -> bool:
    return True


class CompiledRuleset:
    """A ruleset ready to route: compile once per ruleset version, then call :meth:`route`."""

    def __init__(self, ruleset: Ruleset, source: str = "<ruleset>") -> None:
        problems = [p for p in semantic_problems(ruleset, source) if p.severity == "error"]
        if problems:
            raise RulesetError(problems)
        self.ruleset = ruleset
        self.name = ruleset.name
        self.version = ruleset_version(ruleset)
        self.queues: dict[str, str] = {q.name: q.description for q in ruleset.queues}
        calendars = {name: _BusinessHours(c) for name, c in ruleset.calendars.items()}
        fields: set[str] = {PRIORITY_FIELD}
        rules: list[_CompiledRule] = []
        for rule in ruleset.rules:
            test: Test
            explain: Explain
            if rule.when is None:
                test, explain = _always, (lambda v: ["default"])
            else:
                test = _fused_test(rule.when, calendars, f"rule_{len(rules)}")
                explain = _fused_explain(rule.when, calendars, f"rule_{len(rules)}")
                for cond, _ in walk_conditions(rule.when, ()):
                    if cond.business_hours is not None:
                        fields.add(RECEIVED_AT)
                    elif cond.is_leaf and cond.field:
                        fields.add(cond.field)
            then = rule.then
            static = None
            if rule.when is None or not _has_any(rule.when):
                static = MatchedRule(rule_id=rule.id, description=rule.description,
                                     reasons=tuple(explain({})), actions=_actions_text(rule))
            rules.append(_CompiledRule(
                rule=rule, test=test, explain=explain, cont=rule.continue_, queue=then.queue,
                priority=then.priority.value if then.priority else None,
                raise_by=then.raise_priority or 0, tags=then.tags, sla_policy=then.sla_policy,
                flag=then.flag_for_human, actions=_actions_text(rule), static=static,
                by_reasons={},
                level=_PRIORITIES.index(then.priority.value) if then.priority else None,
                auto_reply=then.auto_reply,
                topic=f"queue.{then.queue}" if then.queue is not None else None,
                mask=None if static is not None or rule.when is None
                else _fused_mask(rule.when, calendars, f"rule_{len(rules)}")))
        self._rules: tuple[_CompiledRule, ...] = tuple(rules)
        self._build_index()
        fields.discard("tags")  # filled in while routing, from earlier 'continue' rules
        self.fields: tuple[str, ...] = tuple(sorted(fields))
        self._getters: tuple[tuple[str, Getter], ...] = tuple(
            (f, (lambda t: t.received_at) if f == RECEIVED_AT else getter(f))
            for f in self.fields)
        self._view: Callable[[Ticket], View] = _view_builder(self._getters)
        # Reasons can be worked out as soon as a rule matches (rather than replayed after the
        # loop) unless a 'keywords' test on tags caches the tags as they were when first read.
        self._replay = any(
            c.is_leaf and c.field == "tags" and c.op == "keywords"
            for r in ruleset.rules if r.when is not None for c, _ in walk_conditions(r.when, ()))

    def _build_index(self) -> None:
        """Pick the scalar fields most rules require (e.g. classification.intent, then the
        customer segment) and keep, per combination of their values, only the rules that can
        match: fewer tests run per ticket. Values no rule asks for share one entry."""
        required = [required_values(r.rule.when) if r.rule.when else {} for r in self._rules]
        counts: dict[str, int] = {}
        for req in required:
            for f in req:
                counts[f] = counts.get(f, 0) + 1
        fields: list[tuple[str, tuple[Any, ...]]] = []
        size = 1
        for f in sorted(counts, key=lambda f: (-counts[f], f)):
            if counts[f] < 4 or len(fields) == _INDEX_DEPTH:
                break
            values = tuple({v: None for req in required for v in req.get(f, ())})
            if size * (len(values) + 1) > _INDEX_SIZE:
                break
            size *= len(values) + 1
            fields.append((f, values))
        self._index_fields: tuple[str, ...] = tuple(f for f, _ in fields)

        def node(depth: int, key: dict[str, Any]) -> Any:
            if depth == len(fields):
                return tuple(r for r, req in zip(self._rules, required, strict=True)
                             if all(f not in req or (f in key and key[f] in req[f])
                                    for f in self._index_fields))
            f, values = fields[depth]
            out = {value: node(depth + 1, {**key, f: value}) for value in values}
            out[_OTHER] = node(depth + 1, key)  # a value no rule requires (or none)
            return out
        self._index: Any = node(0, {})

    def _candidates(self, v: View) -> tuple[_CompiledRule, ...]:
        node = self._index
        try:
            for f in self._index_fields:
                found = node.get(v.get(f))
                node = found if found is not None else node[_OTHER]
        except TypeError:  # an unhashable value in a hand-made view
            return self._rules
        candidates: tuple[_CompiledRule, ...] = node
        return candidates

    def view(self, ticket: Ticket) -> View:
        """The flat lookup structure rules read: only the fields this ruleset uses."""
        return self._view(ticket)

    def route(self, ticket: Ticket) -> Decision:
        return self._route(self._view(ticket))  # a fresh view: no 'tags', nothing to copy

    def route_dict(self, view: Mapping[str, Any]) -> Decision:
        """Route a flat view ``{field path: value}`` (as from :meth:`view`): list fields are
        lists, missing fields absent, ``received_at`` a datetime or ISO string."""
        v: View = dict(view)
        v.pop("tags", None)
        return self._route(v)

    def _route(self, v: View) -> Decision:
        level = _LEVELS.get(str(v.get(PRIORITY_FIELD)), 2)
        tags: list[str] = []
        sla: str | None = None
        flag = False
        auto_reply = "off"
        replay = self._replay
        matched: list[_CompiledRule] = []  # when replaying
        reasons: list[MatchedRule] = []
        for rule in self._candidates(v):
            if not rule.test(v):
                continue
            static = rule.static
            if replay:
                matched.append(rule)
            elif static is not None:
                reasons.append(static)
            else:  # the view as this rule saw it: tags from the rules matched before it
                reasons.append(rule.matched_rule(v))
            if rule.level is not None:
                level = rule.level
            if rule.raise_by:
                level = max(0, level - rule.raise_by)
            if rule.tags:
                for tag in rule.tags:
                    if tag not in tags:
                        tags.append(tag)
                v["tags"] = tags
            if rule.sla_policy is not None:
                sla = rule.sla_policy
            if rule.flag:
                flag = True
            if rule.auto_reply is not None:  # the last rule that sets it wins, as sla_policy
                auto_reply = rule.auto_reply
            if not rule.cont:
                break
        else:
            raise AssertionError("the default rule matches")
        assert rule.queue is not None
        if replay:
            v.pop("tags", None)
            # Replay reasons against the view each rule saw (tags as they were then).
            seen: list[str] = []
            for r in matched:
                if r.static is None and seen:
                    v["tags"] = seen
                reasons.append(r.matched_rule(v))
                if r.tags:
                    seen = seen + [t for t in r.tags if t not in seen]
        return _decision({
            "queue": rule.queue, "topic": rule.topic, "priority": _LEVEL_ENUM[level],
            "tags": tuple(tags), "sla_policy": sla, "flag_for_human": flag,
            "auto_reply": auto_reply, "matched": tuple(reasons),
            "default_applied": rule.rule.default, "ruleset_name": self.name,
            "ruleset_version": self.version})


def _view_builder(getters: tuple[tuple[str, Getter], ...]) -> Callable[[Ticket], View]:
    """One generated function building the view: plain attribute paths are read inline
    (exactly as their getter reads them), the others through their getter."""
    names: dict[str, Any] = {"_SCALARS": _SCALARS}
    lines = ["def view(t):", "    v = {}"]
    for i, (path, get) in enumerate(getters):
        if path != RECEIVED_AT and is_attribute_path(path):
            lines += ["    try:", f"        x = t.{path}", "    except AttributeError:",
                      "        x = None"]
        else:
            names[f"_get{i}"] = get
            lines.append(f"    x = _get{i}(t)")
        lines += ["    if x is not None and (x.__class__ in _SCALARS or (x != () and x != [])):",
                  f"        v[{path!r}] = x"]
    lines.append("    return v")
    exec(compile("\n".join(lines) + "\n", "<view>", "exec"), names)
    build: Callable[[Ticket], View] = names["view"]
    return build


def compile_ruleset(ruleset: Ruleset, source: str = "<ruleset>") -> CompiledRuleset:
    return CompiledRuleset(ruleset, source)
