"""What every ``ticketflow`` command shares: error display, the options of commands on a broker,
the settings built once by the ``cli`` group. A module of its own so that command groups kept in
other modules (``ticketflow/replies_cli.py``) use them without importing ``ticketflow.cli``,
which imports them in turn.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

import click

from core.errors import ConfigError, TicketflowError
from core.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])

bootstrap_option = click.option(
    "--bootstrap", "bootstrap", metavar="HOST:PORT",
    help="Kafka bootstrap servers (default: TICKETFLOW_KAFKA_BOOTSTRAP).",
)
json_option = click.option("--json", "as_json", is_flag=True,
                           help="Only the JSON line on stdout.")


def json_and_bootstrap(command: Any) -> Any:
    """The options every benchmark on a broker takes: ``--json`` and ``--bootstrap``."""
    return json_option(bootstrap_option(command))


def friendly_errors(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TicketflowError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(1)

    return cast(F, wrapper)


def settings_of(ctx: click.Context, bootstrap: str | None = None) -> Settings:
    settings: Settings = ctx.obj
    return settings.with_bootstrap(bootstrap)


def require_bootstrap(settings: Settings) -> str:
    if not settings.kafka_bootstrap:
        raise ConfigError(
            "No Kafka to talk to: pass --bootstrap HOST:PORT or set TICKETFLOW_KAFKA_BOOTSTRAP "
            "(start a local broker with `ticketflow broker`)."
        )
    return settings.kafka_bootstrap
