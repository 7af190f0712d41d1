"""How the worker's log lines look: ``TICKETFLOW_LOG_FORMAT=text`` (the default, one readable
line) or ``json`` (one JSON object per line, for a log shipper).

Every line, ticketflow's own and faust's, aiokafka's and kafka-python's, goes through the root
logger's one handler configured here (``logging_config``): faust's worker applies the same
configuration when it sets up logging itself (``streams/worker.py`` passes it in), so nothing
it prints escapes the format. A log call that concerns one ticket or one Kafka record says so
with ``extra=`` (``ticket_id``, ``topic``, ``partition``, ``offset``, see ``CONTEXT_FIELDS``):
JSON lines carry them as fields, text lines in brackets at the end. Nothing else is copied from
``extra``: a call site cannot leak a field by accident.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["text", "json"]

# The fields a log call may add with ``extra=``, in the order they are shown.
CONTEXT_FIELDS = ("ticket_id", "topic", "partition", "offset")

# ticketflow's top-level packages (pyproject's import-linter root packages)
OWN_PACKAGES = frozenset({"ticketflow", "streams", "sinks", "sla", "routing_rules", "enrichment",
                          "store", "channels", "classifiers", "schemas", "core", "corpus"})
# where faust's worker sends what is printed to stdout/stderr while it runs
REDIRECT_LOGGER = "mode.redirect"

TEXT_FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"

# TICKETFLOW_LOG_LEVEL's names (faust's, which also accepts the stdlib's)
_LEVELS = {"crit": logging.CRITICAL, "critical": logging.CRITICAL, "error": logging.ERROR,
           "warn": logging.WARNING, "warning": logging.WARNING, "info": logging.INFO,
           "debug": logging.DEBUG}


def level_number(name: str) -> int:
    """``crit``, ``error``, ``warn``, ``info`` or ``debug`` (any case) as a logging level."""
    try:
        return _LEVELS[name.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown log level {name!r}: crit, error, warn, info or debug") from None


def context_of(record: logging.LogRecord) -> dict[str, Any]:
    """The ticket and record coordinates a log call passed with ``extra=``."""
    return {name: getattr(record, name) for name in CONTEXT_FIELDS
            if getattr(record, name, None) is not None}


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line: ``time`` (UTC, ISO 8601, milliseconds),
    ``level``, ``logger``, ``message``, the context fields the call gave, and ``exception``
    (the formatted traceback) when there is one. A newline inside the message is escaped by
    JSON, so a record is always exactly one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in context_of(record).items():
            line[name] = value if isinstance(value, int | float | bool) else str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``TEXT_FORMAT``, then the context fields as ``[ticket_id=… topic=… …]``."""

    def __init__(self, fmt: str = TEXT_FORMAT, datefmt: str | None = None) -> None:
        super().__init__(fmt, datefmt)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        context = context_of(record)
        if not context:
            return text
        fields = " ".join(f"{name}={value}" for name, value in context.items())
        first, newline, rest = text.partition("\n")  # after the message, before a traceback
        return f"{first} [{fields}]{newline}{rest}"


def formatter_for(log_format: LogFormat) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


def source_context(source: Any, ticket_id: str | None = None) -> dict[str, Any]:
    """``extra=`` for a log call about one Kafka record (anything with ``topic``,
    ``partition``, ``offset``: a ``schemas.Source``, an ``InMessage``) and its ticket."""
    context: dict[str, Any] = {"ticket_id": ticket_id}
    if source is not None:
        context |= {name: getattr(source, name, None) for name in ("topic", "partition", "offset")}
    return {name: value for name, value in context.items() if value is not None}


def log_deadletters(logger: logging.Logger, deadletters: Any) -> None:
    """One INFO line per dead letter: its id, error code and the record it came from (never its
    reason or payload, which may quote the customer)."""
    for d in deadletters:
        logger.info("dead letter %s: %s (channel %s)", d.deadletter_id, d.error_code.value,
                    d.channel or "unknown", extra=source_context(d.source))


TIMER_OVERLAP = "Timer %s is overlapping (interval=%r runtime=%r)"
"""mode's warning when a timer's run took longer than its interval (``mode.timers``)."""


class LibraryFilter(logging.Filter):
    """Below WARNING, only ticketflow's own lines: faust, mode, aiokafka and kafka-python log
    every connection, service start and recovery table at INFO (a hundred lines per start),
    and faust's services log under their class's module (``[^--Name]: Starting...``). All of
    it passes at DEBUG.

    mode warns each time a timer's run outlasts its interval: under a backlog the SLA timer
    (every 100 ms) waits for a busy event loop, and a full benchmark run logged 274 such lines.
    One line per timer and ``overlap_every_s`` passes, saying how many were held back."""

    def __init__(self, level: int, overlap_every_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.level = level
        self.overlap_every_s, self.clock = overlap_every_s, clock
        self._overlaps: dict[str, tuple[float, int]] = {}  # timer -> (last line, held back)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == TIMER_OVERLAP and isinstance(record.args, tuple) and record.args:
            return self._overlap(record)
        if record.levelno >= logging.WARNING or self.level <= logging.DEBUG:
            return True
        if record.name.partition(".")[0] not in OWN_PACKAGES and record.name != REDIRECT_LOGGER:
            return False
        return not (isinstance(record.msg, str) and record.msg.startswith("[^"))

    def _overlap(self, record: logging.LogRecord) -> bool:
        assert isinstance(record.args, tuple)
        timer, now = str(record.args[0]), self.clock()
        last = self._overlaps.get(timer)
        if last is not None and now - last[0] < self.overlap_every_s:
            self._overlaps[timer] = (last[0], last[1] + 1)
            return False
        held = last[1] if last is not None else 0
        self._overlaps[timer] = (now, 0)
        if held:
            record.msg = TIMER_OVERLAP + "; %d more such lines held back in the last %.0f s"
            record.args = (*record.args, held, now - last[0] if last is not None else 0.0)
        return True


def logging_config(log_format: LogFormat, log_level: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` configuration: one stderr handler on the root logger in
    ``log_format``, at ``log_level`` (libraries' lines from WARNING up, unless ``debug``:
    ``LibraryFilter``); loggers that already exist keep working. A new dict each
    call (faust's worker pops keys from the one it is given)."""
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    level = level_number(log_level)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"ticketflow": {"()": f"{__name__}.{formatter.__name__}"}},
        "filters": {"libraries": {"()": f"{__name__}.{LibraryFilter.__name__}", "level": level}},
        "handlers": {"ticketflow": {"class": "logging.StreamHandler",
                                    "stream": "ext://sys.stderr",
                                    "formatter": "ticketflow",
                                    "filters": ["libraries"]}},
        "root": {"level": level, "handlers": ["ticketflow"]},
    }


def configure_logging(log_format: LogFormat, log_level: str) -> None:
    """Apply ``logging_config`` now (before faust's worker starts, so what the worker logs
    while it builds its stages is formatted too), and route Python's ``warnings`` through
    logging so they come out in the same format."""
    import logging.config

    logging.config.dictConfig(logging_config(log_format, log_level))
    logging.captureWarnings(True)
