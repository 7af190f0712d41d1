"""The metric names a PromQL expression reads, for checking dashboards (and rules) against what
the worker exports. Not a PromQL parser: a tokenizer that knows which identifiers are not metric
names — functions and aggregations (followed by ``(``), keywords, label names (inside ``{…}``
and in the label lists of ``by``/``without``/``on``/``ignoring``/``group_left``/
``group_right``) — and skips strings, numbers, durations, ``[…]`` ranges and Grafana variables.
Anything it does not recognise raises, so a typo cannot make an expression name nothing."""

from __future__ import annotations

import re

IDENT = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
NUMBER = re.compile(
    r"0[xX][0-9A-Fa-f]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:ms|[smhdwy])?"
    r"(?:\d+(?:ms|[smhdwy]))*")
STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
# Grafana's template variables: $name, ${name}, ${name:format}, [[name]]
GRAFANA_VARIABLE = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\[\[[^\]]*\]\]")
OPERATOR = re.compile(r"==|!=|>=|<=|=~|!~|[-+*/%^<>=,@]")
SPACE = re.compile(r"\s+|#[^\n]*")

KEYWORDS = frozenset({
    "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2",
})
LABEL_LIST_KEYWORDS = frozenset({
    "by", "without", "on", "ignoring", "group_left", "group_right",
})
AGGREGATIONS = frozenset({
    "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
    "bottomk", "topk", "quantile", "limitk", "limit_ratio",
})
# grouping modifiers that may stand without a label list
OPTIONAL_LIST = frozenset({"group_left", "group_right"})


class PromQLError(ValueError):
    """The expression has something the tokenizer does not know."""


def strip_grafana_variables(expr: str) -> str:
    """Grafana's variables by something PromQL-neutral: ``1m`` inside ``[…]`` (durations such
    as ``$__rate_interval``), a bare number elsewhere (``$__range_s``); in strings they stay."""
    out: list[str] = []
    pos = 0
    depth_brackets = 0
    while pos < len(expr):
        char = expr[pos]
        string = STRING.match(expr, pos)
        if string:
            out.append(string.group())
            pos = string.end()
            continue
        variable = GRAFANA_VARIABLE.match(expr, pos)
        if variable:
            out.append("1m" if depth_brackets else "1")
            pos = variable.end()
            continue
        if char == "[":
            depth_brackets += 1
        elif char == "]":
            depth_brackets -= 1
        out.append(char)
        pos += 1
    return "".join(out)


def metric_names(expr: str) -> set[str]:
    """Every metric name ``expr`` selects (``{__name__="x"}`` and Prometheus 3's quoted
    ``{"x"}`` included)."""
    text = strip_grafana_variables(expr)
    names: set[str] = set()
    pos = 0
    # after a label-list keyword, the next "(" opens a label list, not an expression
    expect_label_list: str | None = None
    while pos < len(text):
        space = SPACE.match(text, pos)
        if space:
            pos = space.end()
            continue
        char = text[pos]
        if char == "{":
            pos = _matchers(text, pos, names)
            expect_label_list = None
            continue
        if char == "[":
            end = text.find("]", pos)
            if end < 0:
                raise PromQLError(f"unclosed [ at {pos} in {expr!r}")
            pos = end + 1
            continue
        if char == "(":
            if expect_label_list is not None:
                end = text.find(")", pos)
                if end < 0:
                    raise PromQLError(f"unclosed label list at {pos} in {expr!r}")
                labels = text[pos + 1:end].split(",")
                if not all(IDENT.fullmatch(label.strip()) for label in labels
                           if label.strip()):
                    raise PromQLError(f"not a label list after {expect_label_list}: "
                                      f"{text[pos:end + 1]!r} in {expr!r}")
                pos = end + 1
                expect_label_list = None
                continue
            pos += 1
            continue
        if expect_label_list is not None and expect_label_list not in OPTIONAL_LIST:
            raise PromQLError(f"{expect_label_list} without a label list in {expr!r}")
        expect_label_list = None
        if char in ")]}":
            pos += 1
            continue
        number = NUMBER.match(text, pos)
        if number and (char.isdigit() or char == "."):
            pos = number.end()
            continue
        string = STRING.match(text, pos)
        if string:
            pos = string.end()
            continue
        ident = IDENT.match(text, pos)
        if ident:
            word = ident.group()
            pos = ident.end()
            lower = word.lower()
            if lower in LABEL_LIST_KEYWORDS:
                expect_label_list = lower
                continue
            if lower in KEYWORDS:
                continue
            following = SPACE.match(text, pos)
            after = following.end() if following else pos
            if after < len(text) and text[after] == "(":
                continue  # a function or an aggregation
            modifier = IDENT.match(text, after)
            if (lower in AGGREGATIONS and modifier
                    and modifier.group().lower() in ("by", "without")):
                continue  # an aggregation with its modifier first: sum by (x) (…)
            names.add(word)
            continue
        operator = OPERATOR.match(text, pos)
        if operator:
            pos = operator.end()
            continue
        raise PromQLError(f"unexpected {char!r} at {pos} in {expr!r}")
    if expect_label_list is not None and expect_label_list not in OPTIONAL_LIST:
        raise PromQLError(f"{expect_label_list} without a label list in {expr!r}")
    return names


def _matchers(text: str, pos: int, names: set[str]) -> int:
    """Skip the label matchers ``{…}`` starting at ``pos``; record ``__name__="x"`` and a bare
    quoted name. Returns the position after ``}``."""
    pos += 1
    while True:
        space = SPACE.match(text, pos)
        if space:
            pos = space.end()
        if pos >= len(text):
            raise PromQLError(f"unclosed {{ in {text!r}")
        if text[pos] == "}":
            return pos + 1
        if text[pos] == ",":
            pos += 1
            continue
        label = IDENT.match(text, pos) or STRING.match(text, pos)
        if not label:
            raise PromQLError(f"unexpected {text[pos]!r} in label matchers of {text!r}")
        pos = label.end()
        space = SPACE.match(text, pos)
        if space:
            pos = space.end()
        operator = re.compile(r"=~|!~|!=|=").match(text, pos)
        if not operator:
            if label.group()[0] in "\"'`":  # {"metric.name", …}: Prometheus 3's quoted name
                names.add(label.group()[1:-1])
                continue
            raise PromQLError(f"label {label.group()} without a matcher in {text!r}")
        pos = operator.end()
        space = SPACE.match(text, pos)
        if space:
            pos = space.end()
        value = STRING.match(text, pos)
        if not value:
            raise PromQLError(f"label {label.group()} without a quoted value in {text!r}")
        pos = value.end()
        if label.group() == "__name__" and operator.group() == "=":
            names.add(value.group()[1:-1])


def label_values_query(query: str) -> set[str]:
    """The metric names of a Grafana variable query: ``label_values(<selector>, <label>)``,
    ``label_values(<label>)`` (none), ``metrics(<regex>)`` (none), ``query_result(<expr>)``."""
    text = query.strip()
    match = re.fullmatch(r"label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)", text, re.S)
    if match:
        return metric_names(match.group(1))
    if re.fullmatch(r"label_values\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\)", text):
        return set()
    match = re.fullmatch(r"query_result\((.*)\)", text, re.S)
    if match:
        return metric_names(match.group(1))
    raise PromQLError(f"unknown Grafana variable query {query!r}")


def series_names(exposition: str) -> set[str]:
    """The names a PromQL query can select, from a Prometheus text exposition (a worker's
    /metrics): every family of a ``# TYPE`` line, even one without samples yet, with the series
    names its type has (a histogram's ``_bucket``/``_sum``/``_count``, a counter's ``_total``,
    ``_created`` of both), and every sample's name."""
    names: set[str] = set()
    for line in exposition.splitlines():
        if line.startswith("# TYPE "):
            parts = line.split()
            if len(parts) != 4:
                raise ValueError(f"not a TYPE line: {line!r}")
            family, kind = parts[2], parts[3]
            names.add(family)
            if kind == "counter":
                base = family.removesuffix("_total")
                names |= {f"{base}_total", f"{base}_created"}
            elif kind in ("histogram", "gaugehistogram"):
                names |= {f"{family}_bucket", f"{family}_sum", f"{family}_count",
                          f"{family}_created", f"{family}_gsum", f"{family}_gcount"}
            elif kind == "summary":
                names |= {f"{family}_sum", f"{family}_count", f"{family}_created"}
            elif kind == "info":
                names.add(f"{family}_info")
        elif line and not line.startswith("#"):
            sample = IDENT.match(line)
            if sample:
                names.add(sample.group())
    return names
