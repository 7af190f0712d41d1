"""Reads a ruleset YAML file into a validated :class:`Ruleset`, with errors that name the file,
the line, the rule and the field."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from routing_rules.errors import Problem, RulesetError
from routing_rules.model import KNOWN_KEYS, Ruleset
from routing_rules.validate import Path as KeyPath
from routing_rules.validate import semantic_problems

LineMap = dict[KeyPath, int]
MAX_YAML_VALUES = 100_000
"""How many values a document may hold once its aliases are expanded: a ruleset or policy file
has a few thousand; a 'billion laughs' document (aliases of aliases) has billions."""


class YamlLimitError(ValueError):
    """A YAML document over a limit of ours (expanded size), or holding a value Python cannot
    read (a 5,000-digit integer, February 30th): the message says which."""


class LineLoader(yaml.SafeLoader):
    """A SafeLoader that also records where each mapping key and sequence item starts: a side
    map from key path (``("rules", 3, "when", "field")``) to 1-based line."""

    def load_with_lines(self) -> tuple[Any, LineMap]:
        try:
            node = self.get_single_node()
            lines: LineMap = {}
            if node is None:
                return None, lines
            if _expanded_size(node, {}) > MAX_YAML_VALUES:
                raise YamlLimitError(
                    f"its anchors and aliases expand to more than {MAX_YAML_VALUES:,} values; "
                    "write the values out instead of aliasing aliases")
            _record(node, (), lines)
            return self.construct_document(node), lines
        finally:
            self.dispose()


def _expanded_size(node: yaml.Node, seen: dict[int, int]) -> int:
    """Values in ``node`` counting each alias as a copy of its anchor; linear in the text (each
    node is sized once), and it stops adding up once over the limit."""
    known = seen.get(id(node))
    if known is not None:
        return known
    size = 1
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    for child in children:
        size += _expanded_size(child, seen)
        if size > MAX_YAML_VALUES:
            break
    seen[id(node)] = size
    return size


def read_yaml(text: str) -> tuple[Any, LineMap]:
    """The document and its line map. Raises ``yaml.YAMLError`` for what is not YAML, and
    :class:`YamlLimitError` for what Python or our limits refuse (messages a person can act
    on; translate both into the caller's error)."""
    try:
        data, lines = LineLoader(text).load_with_lines()
        _check_text(data)
        return data, lines
    except RecursionError as exc:  # the composer and constructor recurse once per level
        raise YamlLimitError("its lists or mappings are nested too deeply (hundreds of "
                             "levels); no ruleset or policy file needs that") from exc
    except YamlLimitError:
        raise
    except ValueError as exc:  # a constructor's int(), date() or float() refusing a value
        if "integer string conversion" in str(exc):
            raise YamlLimitError(f"a number has more than {sys.get_int_max_str_digits():,} "
                                 "digits") from exc
        raise YamlLimitError(f"a value cannot be read: {exc}") from exc


def _check_text(data: Any) -> None:
    """Every string is encodable text. A double-quoted "\\ud800" escape gives a lone surrogate,
    which no later step can encode (the ruleset's version hash, Kafka, JSON output)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            stack += item
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise YamlLimitError(
                    f"the text {item[:40]!r} holds an unpaired surrogate escape "
                    f"({item[exc.start]!r}); write the character itself, or its \\U escape"
                ) from exc


def _record(node: yaml.Node, path: KeyPath, lines: LineMap) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, key.value) if isinstance(key, yaml.ScalarNode) else path
            lines[sub] = key.start_mark.line + 1
            _record(value, sub, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _record(item, (*path, i), lines)


def parse_yaml(text: str, source: str) -> tuple[Any, LineMap]:
    try:
        return read_yaml(text)
    except YamlLimitError as exc:
        raise RulesetError([Problem(source, None, None, None, f"invalid YAML: {exc}")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise RulesetError([Problem(source, line, None, None, f"invalid YAML: {problem}")]) \
            from exc


def locator(lines: LineMap) -> Any:
    def locate(path: KeyPath) -> int | None:
        for end in range(len(path), -1, -1):
            line = lines.get(path[:end])
            if line is not None:
                return line
        return None

    return locate


def _rule_id(data: Any, loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        try:
            rid = data["rules"][loc[1]].get("id")
        except (TypeError, KeyError, IndexError, AttributeError):
            return None
        return str(rid) if rid is not None else f"#{loc[1] + 1}"
    return None


def _schema_problems(exc: ValidationError, data: Any, source: str,
                     lines: LineMap) -> list[Problem]:
    locate = locator(lines)
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        dotted = ".".join(str(p) for p in loc) or None
        if err["type"] == "extra_forbidden":
            key = str(loc[-1])
            close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            message = f"unknown key '{key}'{hint}"
        else:
            message = err["msg"].removeprefix("Value error, ")
            message = f"{dotted}: {message}" if dotted else message
        problems.append(Problem(source, locate(loc), _rule_id(data, loc), dotted, message))
    return problems


def load_ruleset_text(text: str, source: str) -> Ruleset:
    """Parse and validate a ruleset; raise :class:`RulesetError` listing every problem."""
    data, lines = parse_yaml(text, source)
    if not isinstance(data, dict):
        raise RulesetError([Problem(source, 1, None, None,
                                    "a ruleset is a mapping with name, queues and rules")])
    try:
        ruleset = Ruleset.model_validate(data)
    except ValidationError as exc:
        raise RulesetError(_schema_problems(exc, data, source, lines)) from exc
    problems = semantic_problems(ruleset, source, locator(lines))
    if problems:
        raise RulesetError(problems)
    return ruleset


def read_text(path: Path, what: str = "ruleset") -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesetError([Problem(str(path), None, None, None,
                                    f"cannot read {what}: {exc.strerror or exc}")]) from exc


def load_ruleset(path: Path) -> Ruleset:
    path = Path(path)
    return load_ruleset_text(read_text(path), str(path))
