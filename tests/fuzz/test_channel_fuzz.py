"""Property: every channel normalizer turns any input into tickets or a dead letter with a
specific code (never ``internal_error``, never an exception). Inputs are random bytes, the clean
corpus seeds with a field replaced by anything JSON can hold, and random forms and emails."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.helpers import CHANNELS, JSON_CHANNELS, dumps, handled, run, seed, seed_bytes

# Text that breaks parsers: controls, NUL, separators, BOM, RTL override, homoglyphs, long runs.
NASTY = st.sampled_from(["\x00", "\r\n", "\u2028", "\ufeff", "\u202e", "\u0430", "=?", "<>",
                         "@", "%", "&", "=", "+", "\\", '"', "'", "\t", " " * 300, "x" * 400,
                         "\U0001f600", "1e400", "9" * 30])
TEXT = st.lists(NASTY | st.text(max_size=8), max_size=8).map("".join)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=10,
)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = [path]
    items = data.items() if isinstance(data, dict) else enumerate(data) \
        if isinstance(data, list) else ()
    for key, value in items:
        found += _paths(value, (*path, key))
    return found


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return data


@settings(max_examples=60, deadline=None)
@given(channel=st.sampled_from(CHANNELS), value=st.binary(max_size=400))
def test_random_bytes(channel: str, value: bytes) -> None:
    handled(run(channel, value))


@settings(max_examples=400, deadline=None)
@given(channel=st.sampled_from(JSON_CHANNELS), data=st.data(), value=JSON)
def test_seed_with_one_field_replaced_by_anything(channel: str, data: st.DataObject,
                                                  value: Any) -> None:
    doc = seed(channel)
    path = data.draw(st.sampled_from(_paths(doc)), label="path")
    payload = json.dumps(_replace(doc, path, value), allow_nan=True)
    handled(run(channel, payload.encode("utf-8", "surrogatepass")))


@settings(max_examples=100, deadline=None)
@given(channel=st.sampled_from(JSON_CHANNELS), data=st.data())
def test_seed_with_keys_dropped(channel: str, data: st.DataObject) -> None:
    doc = seed(channel)
    for path in data.draw(st.lists(st.sampled_from(_paths(doc)[1:]), max_size=4), label="drop"):
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            del parent[path[-1]]
        except (KeyError, IndexError, TypeError):  # an earlier drop removed it already
            continue
    handled(run(channel, dumps(doc)))


SMS_FIELDS = [key for key, _ in parse_qsl(seed_bytes("sms").decode())]


@settings(max_examples=100, deadline=None)
@given(fields=st.dictionaries(st.sampled_from(SMS_FIELDS) | TEXT, TEXT, max_size=12),
       keep=st.sets(st.sampled_from(SMS_FIELDS)))
def test_random_sms_forms(fields: dict[str, str], keep: set[str]) -> None:
    base = {k: v for k, v in parse_qsl(seed_bytes("sms").decode()) if k in keep}
    body = urlencode({**base, **fields}, errors="surrogatepass")
    handled(run("sms", body.encode("utf-8", "surrogatepass")))


HEADER_NAMES = ["From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
                "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Received"]


@settings(max_examples=200, deadline=None)
@given(headers=st.lists(st.tuples(st.sampled_from(HEADER_NAMES), TEXT), max_size=10),
       body=TEXT, charset=st.sampled_from(["utf-8", "latin-1", "x-unknown", "utf-16", ""]))
def test_random_emails(headers: list[tuple[str, str]], body: str, charset: str) -> None:
    lines = [f"{name}: {value}" for name, value in headers]
    lines.append("From: Jane <jane@example.org>")  # so most examples get past the header check
    raw = ("\r\n".join(lines) + "\r\n\r\n" + body).encode("utf-8", "surrogateescape")
    handled(run("email", raw))
    if charset:
        typed = f"Content-Type: text/plain; charset={charset}\r\n".encode() + raw
        handled(run("email", typed))


@settings(max_examples=100, deadline=None)
@given(channel=st.sampled_from(CHANNELS), data=st.data())
def test_seed_bytes_mutated(channel: str, data: st.DataObject) -> None:
    """A few bytes of a clean payload cut, replaced or inserted: truncation, bad UTF-8,
    broken MIME boundaries, broken percent-encoding."""
    raw = bytearray(seed_bytes(channel))
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        at = data.draw(st.integers(0, len(raw)), label="at")
        kind = data.draw(st.sampled_from(["cut", "replace", "insert", "truncate"]), label="kind")
        chunk = data.draw(st.binary(min_size=1, max_size=6), label="chunk")
        if kind == "cut":
            del raw[at:at + len(chunk)]
        elif kind == "replace":
            raw[at:at + len(chunk)] = chunk
        elif kind == "insert":
            raw[at:at] = chunk
        else:
            del raw[at:]
    handled(run(channel, bytes(raw)))
