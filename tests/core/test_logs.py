"""The log formats: one JSON object per line (with the record's coordinates when the call gave
them), or one readable line; library chatter below WARNING kept out."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import sys
from collections.abc import Iterator

import pytest

from core.logs import (
    TIMER_OVERLAP,
    JsonFormatter,
    LibraryFilter,
    TextFormatter,
    level_number,
    log_deadletters,
    logging_config,
    source_context,
)
from schemas import Source


def record(msg: str = "hello %s", args: tuple = ("world",), level: int = logging.INFO,
           name: str = "streams.worker", **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord(name, level, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(rec, key, value)
    return rec


def test_a_json_line_has_time_level_logger_message_and_the_given_coordinates() -> None:
    rec = record(ticket_id="tk_1", topic="inbound.sms", partition=2, offset=41)
    rec.created = 1_800_000_000.25
    line = JsonFormatter().format(rec)
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2027-01-15T08:00:00.250Z", "level": "INFO", "logger": "streams.worker",
        "message": "hello world", "ticket_id": "tk_1", "topic": "inbound.sms",
        "partition": 2, "offset": 41}


def test_a_json_line_leaves_out_absent_coordinates_and_any_other_extra() -> None:
    data = json.loads(JsonFormatter().format(record(topic="tickets.routed", email="a@b.c")))
    assert set(data) == {"time", "level", "logger", "message", "topic"}


def test_a_multi_line_message_and_a_traceback_stay_on_one_json_line() -> None:
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        rec = logging.LogRecord("faust.tables", logging.ERROR, __file__, 1,
                                "table\n| a | b |\n| c | d |", (), sys.exc_info())
    line = JsonFormatter().format(rec)
    assert len(line.splitlines()) == 1
    data = json.loads(line)
    assert data["message"] == "table\n| a | b |\n| c | d |"
    assert data["level"] == "ERROR"
    assert "ValueError: boom" in data["exception"]


def test_a_text_line_shows_the_coordinates_after_the_message_before_a_traceback() -> None:
    try:
        raise RuntimeError("bad")
    except RuntimeError:
        rec = record("stage %s failed", ("enrich",), logging.ERROR, ticket_id="tk_9",
                     topic="inbound.email", partition=0, offset=7)
        rec.exc_info = sys.exc_info()
    text = TextFormatter().format(rec)
    first, *rest = text.splitlines()
    assert first.endswith("[ERROR] streams.worker: stage enrich failed "
                          "[ticket_id=tk_9 topic=inbound.email partition=0 offset=7]")
    assert rest[-1] == "RuntimeError: bad"
    plain = TextFormatter().format(record())
    assert plain.endswith("[INFO] streams.worker: hello world")


def test_source_context_takes_any_record_coordinates_and_drops_missing_ones() -> None:
    source = Source(topic="inbound.chat", partition=3, offset=12)
    assert source_context(source, "tk_2") == {"ticket_id": "tk_2", "topic": "inbound.chat",
                                              "partition": 3, "offset": 12}
    assert source_context(None) == {}


def test_library_lines_below_warning_are_kept_out_except_at_debug() -> None:
    info = LibraryFilter(logging.INFO)
    assert info.filter(record(name="streams.sla_worker"))
    assert info.filter(record(name="mode.redirect"))  # what the worker printed
    assert not info.filter(record(name="kafka.conn"))
    assert not info.filter(record(name="faust.tables.recovery"))
    assert not info.filter(record("[^-TicketflowApp]: Starting...", (), name="streams.app"))
    assert info.filter(record(name="aiokafka.consumer", level=logging.WARNING))
    assert LibraryFilter(logging.DEBUG).filter(record(name="kafka.conn"))


def test_timer_overlap_warnings_pass_once_a_minute_per_timer_with_the_count_held_back() -> None:
    now = [100.0]
    lines = LibraryFilter(logging.INFO, overlap_every_s=60.0, clock=lambda: now[0])

    def overlap(timer: str) -> logging.LogRecord:
        return record(TIMER_OVERLAP, (timer, 0.1, 0.25), logging.WARNING, name="mode.timers")

    first = overlap("sla_timer")
    assert lines.filter(first) and first.getMessage() == (
        "Timer sla_timer is overlapping (interval=0.1 runtime=0.25)")
    for t in (100.1, 130.0, 159.9):
        now[0] = t
        assert not lines.filter(overlap("sla_timer"))
    assert lines.filter(overlap("flush_audit"))  # another timer: its own minute
    assert lines.filter(record("disk full", (), logging.WARNING, name="aiokafka"))
    now[0] = 160.5
    summary = overlap("sla_timer")
    assert lines.filter(summary)
    assert summary.getMessage() == ("Timer sla_timer is overlapping (interval=0.1 "
                                    "runtime=0.25); 3 more such lines held back in the last 60 s")
    now[0] = 230.0
    alone = overlap("sla_timer")
    assert lines.filter(alone) and "held back" not in alone.getMessage()


def test_mode_still_warns_of_overlapping_timers_in_those_words() -> None:
    import inspect

    import mode.timers

    assert repr(TIMER_OVERLAP)[1:-1] in inspect.getsource(mode.timers)


def test_level_names_are_faust_s_and_the_stdlib_s() -> None:
    assert [level_number(n) for n in ("crit", "error", "warn", "INFO", "debug", "warning")] == [
        logging.CRITICAL, logging.ERROR, logging.WARNING, logging.INFO, logging.DEBUG,
        logging.WARNING]
    with pytest.raises(ValueError, match="unknown log level"):
        level_number("loud")


@pytest.fixture
def root_logger() -> Iterator[None]:
    """The root logger's handlers and level put back after the test configured them."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def configure_into(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """``logging_config("json", "info")`` applied with sys.stderr a buffer (set in the test
    body: pytest's capture resets sys.stderr between a fixture and the test)."""
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stderr", buffer)
    logging.config.dictConfig(logging_config("json", "info"))
    return buffer


@pytest.mark.usefixtures("root_logger")
def test_the_configuration_makes_every_logger_write_json_lines_to_stderr(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = configure_into(monkeypatch)
    logging.getLogger("streams.health").info("ticketflow worker ready: %d partitions", 4)
    logging.getLogger("aiokafka.conn").warning("connection lost")
    logging.getLogger("kafka.conn").info("connected")  # library chatter: not shown
    lines = [json.loads(line) for line in stderr.getvalue().splitlines()]
    assert [(d["logger"], d["level"], d["message"]) for d in lines] == [
        ("streams.health", "INFO", "ticketflow worker ready: 4 partitions"),
        ("aiokafka.conn", "WARNING", "connection lost")]


@pytest.mark.usefixtures("root_logger")
def test_dead_letters_are_logged_with_their_record_not_their_reason(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from channels.base import RawRecord
    from channels.dispatch import dead_letter
    from schemas import ErrorCode

    raw = RawRecord(channel="sms", value=b"{not json",
                    source=Source(topic="inbound.sms", partition=1, offset=99),
                    timestamp=datetime(2026, 1, 1, tzinfo=UTC))
    dl = dead_letter(raw, ErrorCode.INVALID_JSON, "secret@example.com wrote {not json",
                     datetime(2026, 1, 1, tzinfo=UTC))
    stderr = configure_into(monkeypatch)
    log_deadletters(logging.getLogger("streams.pipeline"), [dl])
    [line] = [json.loads(x) for x in stderr.getvalue().splitlines()]
    assert line["message"] == f"dead letter {dl.deadletter_id}: invalid_json (channel sms)"
    assert (line["topic"], line["partition"], line["offset"]) == ("inbound.sms", 1, 99)
    assert "secret@example.com" not in stderr.getvalue()
