"""Compiles a ruleset once into closures and routes tickets with it.

Each condition becomes a predicate over a *view*: a flat dict ``{field path: value}`` built once
per ticket with only the fields the ruleset uses (absent and None values are left out, so a
missing field is just a missing key). Reasons are only worked out for rules that matched.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from routing_rules.errors import RulesetError
from routing_rules.fields import Getter, getter, lookup
from routing_rules.model import WEEKDAYS, Calendar, Condition, Rule, Ruleset, parse_interval
from routing_rules.validate import OPERATORS, semantic_problems, walk_conditions
from schemas.classification import Priority
from schemas.routing import Decision, MatchedRule
from schemas.ticket import Ticket

View = dict[str, Any]
Test = Callable[[View], bool]
Explain = Callable[[View], list[str]]
_MISSING: Any = object()
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_PRIORITIES = ("P1", "P2", "P3", "P4")
_PRIORITY_ENUM = {p.value: p for p in Priority}
RECEIVED_AT = "received_at"
PRIORITY_FIELD = "classification.priority"


def fold(text: str) -> str:
    """Lower-case and strip accents: ``"Remboursé"`` → ``"rembourse"``."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return _COMBINING.sub("", unicodedata.normalize("NFKD", folded))


def ruleset_version(ruleset: Ruleset) -> str:
    canonical = json.dumps(ruleset.model_dump(mode="json", by_alias=True), sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)
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


def _leaf(cond: Condition, is_list: bool) -> Test:
    key, op, value = cond.field or "", cond.op or "", cond.value
    if op == "exists":
        want = True if not cond.has_value else bool(value)
        return (lambda v: key in v) if want else (lambda v: key not in v)
    if op == "keywords":
        words = [value] if isinstance(value, str) else list(value)
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(fold(w)) for w in words) + r")(?!\w)")
        search = pattern.search
        norm_key = "\0fold:" + key

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

    def matched_rule(self, v: View) -> MatchedRule:
        if self.static is not None:
            return self.static
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


def _required(cond: Condition) -> dict[str, frozenset[Any]]:
    """Scalar fields the condition requires to be one of a few values (eq / in at the top
    level or under a top-level ``all``): the routing index skips rules that cannot match."""
    out: dict[str, frozenset[Any]] = {}
    for c in cond.all_ if cond.all_ is not None else (cond,):
        if not (c.is_leaf and c.field and c.op in ("eq", "in")):
            continue
        spec = lookup(c.field)
        if spec is None or spec.is_list or c.field == "tags":
            continue
        values = [c.value] if c.op == "eq" else c.value
        try:
            allowed = frozenset(values)
        except TypeError:
            continue
        out[c.field] = out[c.field] & allowed if c.field in out else allowed
    return out


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
        rules = []
        for rule in ruleset.rules:
            test: Test
            explain: Explain
            if rule.when is None:
                test, explain = _always, (lambda v: ["default"])
            else:
                test, explain = _compile(rule.when, calendars)
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
                by_reasons={}))
        self._rules: tuple[_CompiledRule, ...] = tuple(rules)
        self._build_index()
        fields.discard("tags")  # filled in while routing, from earlier 'continue' rules
        self.fields: tuple[str, ...] = tuple(sorted(fields))
        self._getters: tuple[tuple[str, Getter], ...] = tuple(
            (f, (lambda t: t.received_at) if f == RECEIVED_AT else getter(f))
            for f in self.fields)

    def _build_index(self) -> None:
        """Pick the scalar field most rules require (e.g. classification.intent) and keep, per
        value of it, only the rules that can match: fewer closures run per ticket."""
        required = [_required(r.rule.when) if r.rule.when else {} for r in self._rules]
        counts: dict[str, int] = {}
        for req in required:
            for f in req:
                counts[f] = counts.get(f, 0) + 1
        self._index_field: str | None = None
        self._index: dict[Any, tuple[_CompiledRule, ...]] = {}
        self._unindexed: tuple[_CompiledRule, ...] = self._rules
        if not counts or max(counts.values()) < 4:
            return
        field = max(counts, key=lambda f: (counts[f], f))
        values = {v for req in required for v in req.get(field, ())}
        self._index_field = field
        self._index = {
            value: tuple(r for r, req in zip(self._rules, required, strict=True)
                         if field not in req or value in req[field])
            for value in values}
        self._unindexed = tuple(r for r, req in zip(self._rules, required, strict=True)
                                if field not in req)

    def _candidates(self, v: View) -> tuple[_CompiledRule, ...]:
        if self._index_field is None:
            return self._rules
        try:
            return self._index.get(v.get(self._index_field), self._unindexed)
        except TypeError:  # an unhashable value in a hand-made view
            return self._rules

    def view(self, ticket: Ticket) -> View:
        """The flat lookup structure rules read: only the fields this ruleset uses."""
        view: View = {}
        for path, get in self._getters:
            value = get(ticket)
            if value is not None and value != () and value != []:
                view[path] = value
        return view

    def route(self, ticket: Ticket) -> Decision:
        return self.route_dict(self.view(ticket))

    def route_dict(self, view: Mapping[str, Any]) -> Decision:
        """Route a flat view ``{field path: value}`` (as from :meth:`view`): list fields are
        lists, missing fields absent, ``received_at`` a datetime or ISO string."""
        v: View = dict(view)
        v.pop("tags", None)
        priority = v.get(PRIORITY_FIELD)
        level = _PRIORITIES.index(str(priority)) if str(priority) in _PRIORITIES else 2
        tags: list[str] = []
        sla: str | None = None
        flag = False
        matched: list[_CompiledRule] = []
        decided: _CompiledRule | None = None
        for rule in self._candidates(v):
            if not rule.test(v):
                continue
            matched.append(rule)
            if rule.priority is not None:
                level = _PRIORITIES.index(rule.priority)
            if rule.raise_by:
                level = max(0, level - rule.raise_by)
            if rule.tags:
                for tag in rule.tags:
                    if tag not in tags:
                        tags.append(tag)
                v["tags"] = tags
            if rule.sla_policy is not None:
                sla = rule.sla_policy
            flag = flag or rule.flag
            if not rule.cont:
                decided = rule
                break
        assert decided is not None and decided.queue is not None  # the default rule matches
        v.pop("tags", None)
        # Replay reasons against the view each rule saw (tags as they were then).
        seen: list[str] = []
        reasons = []
        for rule in matched:
            if rule.static is None and seen:
                v["tags"] = seen
            reasons.append(rule.matched_rule(v))
            if rule.tags:
                seen = seen + [t for t in rule.tags if t not in seen]
        return Decision.model_construct(
            queue=decided.queue, topic=f"queue.{decided.queue}",
            priority=_PRIORITY_ENUM[_PRIORITIES[level]], tags=tuple(tags), sla_policy=sla,
            flag_for_human=flag, matched=tuple(reasons), default_applied=decided.rule.default,
            ruleset_name=self.name, ruleset_version=self.version)


def compile_ruleset(ruleset: Ruleset, source: str = "<ruleset>") -> CompiledRuleset:
    return CompiledRuleset(ruleset, source)
