"""The ``ticketflow`` command. Click, because faust already depends on it (no new dependency)
and it gives nested subcommands (``rules check``, ``classify eval``) with generated help.

Settings are built once here, from ``TICKETFLOW_*`` variables plus command-line overrides, and
passed down. Every TicketflowError is shown as one line saying what to fix, exit status 1.
"""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path
from typing import Any, cast

import click

from core.settings import Settings
from ticketflow.cli_common import (
    bootstrap_option,
    friendly_errors,
    json_and_bootstrap,
    json_option,
    require_bootstrap,
    settings_of,
)


@click.group()
@click.version_option(package_name="ticketflow")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Event-driven ticket routing for e-commerce customer service."""
    try:
        ctx.obj = Settings()
    except Exception as exc:  # pydantic's ValidationError names the variable and the problem
        raise click.UsageError(f"invalid TICKETFLOW_* setting: {exc}") from exc


@cli.command()
@click.option("--port", type=int, default=9092, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--topics/--no-topics", default=True, help="Create ticketflow's topics once up.")
@click.pass_context
@friendly_errors
def broker(ctx: click.Context, port: int, host: str, topics: bool) -> None:
    """Run the embedded Kafka-compatible broker (Tansu; memory-only, no transactions)."""
    from streams.admin import create_topics
    from streams.topics import all_topics
    from ticketflow.broker import EmbeddedBroker, find_tansu

    settings = settings_of(ctx)
    embedded = EmbeddedBroker(find_tansu(settings.tansu_bin), port=port, host=host)
    bootstrap = embedded.start()
    try:
        if topics:
            # the embedded broker speaks plaintext only: no settings.kafka_security here
            create_topics(bootstrap, all_topics(settings.app_id), settings.partitions)
        click.echo(f"Tansu broker on {bootstrap} (memory-only: data is gone when it stops). "
                   "Ctrl-C to stop.", err=True)
        embedded.wait()
    except KeyboardInterrupt:
        pass
    finally:
        embedded.stop()


@cli.group()
def topics() -> None:
    """Manage ticketflow's Kafka topics."""


@topics.command("create")
@bootstrap_option
@click.pass_context
@friendly_errors
def topics_create(ctx: click.Context, bootstrap: str | None) -> None:
    """Create every topic that is missing (safe to run again)."""
    from streams.admin import create_topics
    from streams.topics import all_topics

    settings = settings_of(ctx, bootstrap)
    statuses = create_topics(require_bootstrap(settings), all_topics(settings.app_id),
                             settings.partitions,
                             settings.replication_factor, security=settings.kafka_security,
                             config=settings.topic_config)
    for status in statuses:
        state = "created" if status.created else "exists"
        click.echo(f"{status.name:<22} {status.partitions:>3} partitions  {state}")


@topics.command("list")
@bootstrap_option
@click.pass_context
@friendly_errors
def topics_list(ctx: click.Context, bootstrap: str | None) -> None:
    """Show every topic ticketflow uses (this app id's internal ones included), its key and
    purpose, and the queue topics of the active ruleset: the one published to routing.rules
    when a broker is given (--bootstrap), else the TICKETFLOW_RULES_PATH file."""
    from streams.topics import all_topics
    from ticketflow.rules_tools import active_queues

    settings = settings_of(ctx, bootstrap)
    for spec in all_topics(settings.app_id):
        click.echo(f"{spec.name:<22} key={spec.key:<16} {spec.description}")
    source, queues = active_queues(settings, bootstrap is not None)
    for name, description in queues.items():
        click.echo(f"{'queue.' + name:<22} key={'ticket_id':<16} {description}")
    click.echo(f"queue.* topics: the queues of ruleset {source}", err=True)


@cli.command("topology")
@click.pass_context
def topology_cmd(ctx: click.Context) -> None:
    """Print every agent with the topics it reads and writes, their keys and its tables, as
    Markdown (a Mermaid flowchart and a table): what ARCHITECTURE.md shows, for this app id."""
    from streams.topology import render_markdown, topology

    click.echo(render_markdown(topology(settings_of(ctx).app_id)), nl=False)


@cli.command()
@click.option("--processes", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes in one consumer group, each restarted when it dies "
              "(one worker is CPU-bound on one core: raise this up to the cores you have).")
@bootstrap_option
@click.pass_context
@friendly_errors
def worker(ctx: click.Context, processes: int, bootstrap: str | None) -> None:
    """Run a worker: the pipeline (normalize, classify, enrich), routing, SLA clocks and the
    service KPIs (per ticket, hourly rollups, volume spikes)."""
    from streams.admin import create_topics, retry_until_reachable
    from streams.topics import all_topics

    settings = settings_of(ctx, bootstrap)
    server = require_bootstrap(settings)
    from channels.orders import shop_order_formats

    shop_order_formats(settings.shop_file)  # a wrong shop file: say so before anything starts
    from replies import Replies

    Replies.from_settings(settings)  # broken reply templates or config: the same
    # every line the worker writes in TICKETFLOW_LOG_FORMAT, these first ones too
    import logging

    from core.logs import configure_logging

    configure_logging(settings.log_format, settings.log_level)
    say = logging.getLogger("ticketflow.worker")
    retry_until_reachable(
        partial(create_topics, server, all_topics(settings.app_id), settings.partitions,
                settings.replication_factor, security=settings.kafka_security,
                config=settings.topic_config),
        server, settings.broker_wait_s, say.info)
    if processes > 1:
        from classifiers.artifact import ensure_model
        from ticketflow.supervisor import run

        echo = say.info

        # trained once here, not by every child at once into the same folder
        ensure_model(settings.models_dir, settings.model_dir, echo)
        run(processes, server, settings.metrics_port, echo)
        return
    from streams.worker import run_worker

    run_worker(settings, server)


@cli.command()
@click.option("--window", "window_s", type=click.FloatRange(min=1), default=60.0,
              show_default=True, help="Seconds of traffic the messages-per-second column covers.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.5), default=10.0,
              show_default=True, help="Seconds to wait for each answer from the broker.")
@click.option("--json", "as_json", is_flag=True, help="Only one JSON object on stdout.")
@bootstrap_option
@click.pass_context
@friendly_errors
def status(ctx: click.Context, window_s: float, timeout_s: float, as_json: bool,
           bootstrap: str | None) -> None:
    """What to look at first, from the broker alone: each consumer group's lag per topic,
    messages per second per topic, the active ruleset, the queue topics and their sizes."""
    from core.clock import system_clock
    from streams.kafka_offsets import BrokerOffsets
    from ticketflow.status import as_dict, gather, render

    settings = settings_of(ctx, bootstrap)
    server = require_bootstrap(settings)
    with BrokerOffsets(server, settings.security_for(server), timeout_s) as offsets:
        result = gather(offsets, settings.app_id, system_clock(), window_s, settings.rules_path)
    if not as_json:
        click.echo(render(result))
        return
    click.echo(json.dumps(as_dict(result)))


def _utc_moment(value: str | None, name: str) -> Any:
    """An ISO 8601 date or time; UTC when it names no zone."""
    from datetime import UTC, datetime

    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 date or time: {value!r}",
                                 param_hint=name) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@cli.command()
@click.option("--since", "since", default=None, metavar="DURATION",
              help="The period ends now and lasts this long: 90m, 24h, 7d [default: 24h].")
@click.option("--from", "from_", default=None, metavar="ISO-TIME",
              help="Instead of --since: the period's start (UTC unless a zone is given), for "
              "replays of old traffic, e.g. --from 2026-11-01.")
@click.option("--until", default=None, metavar="ISO-TIME",
              help="The period's end (exclusive; default: open).")
@click.option("--by", "by", type=click.Choice(["queue", "channel", "intent"]), default="queue",
              show_default=True, help="One row per queue, channel or intent.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also draw volume by intent (spikes marked) and first response "
              "per channel into this PNG file.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.5), default=60.0,
              show_default=True, help="Seconds to wait for each answer from the broker.")
@click.option("--json", "as_json", is_flag=True, help="Only one JSON object on stdout.")
@bootstrap_option
@click.pass_context
@friendly_errors
def kpi(ctx: click.Context, since: str | None, from_: str | None, until: str | None, by: str,
        plot_path: Path | None, timeout_s: float, as_json: bool, bootstrap: str | None) -> None:
    """Service KPIs of a period from kpi.tickets, kpi.fcr, kpi.rollups and kpi.alerts: per
    queue, channel or intent, tickets solved, first response and resolution p50/p90, FCR rate,
    CSAT average and SLA breaches; received volume by intent and volume spikes."""
    from datetime import UTC, datetime
    from typing import cast

    from streams.kafka_offsets import BrokerOffsets
    from ticketflow.kpi_report import (
        GroupBy,
        Period,
        parse_duration,
        read_kpi_topics,
        render_table,
        report,
    )

    if since is not None and from_ is not None:
        raise click.UsageError("--since and --from both set the period's start: give one.")
    start = _utc_moment(from_, "--from")
    end = _utc_moment(until, "--until")
    if start is None:
        try:
            start = (end or datetime.now(UTC)) - parse_duration(since or "24h")
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--since") from None
    if end is not None and end <= start:
        raise click.UsageError("the period is empty: --until must be after its start.")
    period = Period(start, end)
    settings = settings_of(ctx, bootstrap)
    server = require_bootstrap(settings)
    with BrokerOffsets(server, settings.security_for(server), timeout_s) as offsets:
        records = read_kpi_topics(offsets)
    result = report(records, period, cast(GroupBy, by))
    if plot_path is not None:
        from ticketflow.kpi_plot import plot_png

        title = (f"ticketflow KPIs, {start:%Y-%m-%d %H:%M} to "
                 f"{(end or datetime.now(UTC)):%Y-%m-%d %H:%M} UTC")
        plot_path.write_bytes(plot_png(records, period, title))
        result["plot"] = str(plot_path)
        if not as_json:
            click.echo(f"plot written to {plot_path}", err=True)
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo(render_table(result))


@cli.command()
@click.option("--channel", required=True, help="email, chat, phone, social, whatsapp, sms, webform")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--shift-to-now", is_flag=True,
              help="Move every timestamp in the payloads by the same amount so the newest "
              "message is now (recorded traffic whose SLA clocks should start today).")
@click.option("--shift-by", "shift_by", type=float, default=None, metavar="SECONDS",
              help="Move every timestamp by this many seconds (the amount --shift-to-now "
              "printed for another channel, to keep channels aligned).")
@bootstrap_option
@click.pass_context
@friendly_errors
def ingest(
    ctx: click.Context, channel: str, paths: tuple[Path, ...], shift_to_now: bool,
    shift_by: float | None, bootstrap: str | None,
) -> None:
    """Publish raw payload files (one message per file; directories recursively)."""
    from datetime import UTC, datetime, timedelta

    from streams.kafka_io import make_producer
    from ticketflow.ingest import channel_files, publish
    from ticketflow.time_shift import delta_to_now, shift_payload

    if shift_to_now and shift_by is not None:
        raise click.UsageError("give --shift-to-now or --shift-by, not both")
    settings = settings_of(ctx, bootstrap)
    items = channel_files(channel, paths)
    delta = timedelta(seconds=shift_by or 0)
    if shift_to_now:
        delta = delta_to_now(((c, p.read_bytes()) for c, p in items), datetime.now(UTC))
    transform = partial(shift_payload, delta=delta) if delta else None
    producer = make_producer(require_bootstrap(settings), security=settings.kafka_security)
    try:
        published = publish(producer, items, transform=transform)
    finally:
        producer.close()
    for item in published:
        click.echo(f"{item.path} -> {item.topic}[{item.partition}]@{item.offset}")
    click.echo(f"published {len(published)} message(s) to inbound.{channel}", err=True)
    if delta:
        click.echo(f"timestamps moved by {delta} (--shift-by {delta.total_seconds():.0f} keeps "
                   "other channels aligned)", err=True)


@cli.command()
@click.argument("topic_names", metavar="TOPIC...", nargs=-1, required=True)
@click.option("--from-beginning", is_flag=True, help="Start at the oldest message.")
@click.option("--max", "limit", type=int, default=None, help="Stop after N messages.")
@click.option("--idle-timeout", type=float, default=None, help="Stop after N quiet seconds.")
@bootstrap_option
@click.pass_context
@friendly_errors
def tail(
    ctx: click.Context, topic_names: tuple[str, ...], from_beginning: bool,
    limit: int | None, idle_timeout: float | None, bootstrap: str | None,
) -> None:
    """Print messages of TOPIC(s) as JSON lines as they arrive."""
    from ticketflow.tail import tail as tail_topics

    settings = settings_of(ctx, bootstrap)
    try:
        for message in tail_topics(require_bootstrap(settings), list(topic_names),
                                   from_beginning, limit, idle_timeout,
                                   security=settings.kafka_security):
            click.echo(json.dumps(message, ensure_ascii=False))
    except KeyboardInterrupt:
        pass


@cli.command()
@click.option("--for", "duration", type=float, default=None,
              help="Stop by itself after this many seconds of processing.")
@bootstrap_option
@click.pass_context
@friendly_errors
def demo(ctx: click.Context, duration: float | None, bootstrap: str | None) -> None:
    """Run the pipeline on embedded defaults and replay the sample corpus, live."""
    from rich.console import Console

    from ticketflow.demo import run_demo

    settings = settings_of(ctx, bootstrap)
    # Not a terminal (CI, a pipe): rich would assume 80 columns and squeeze the table.
    err = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
    sys.exit(run_demo(settings, duration, Console(), err))


def stderr_progress(line: str) -> None:
    click.echo(line, err=True)


def load_model(settings: Settings) -> Any:
    from classifiers.artifact import ensure_model

    return ensure_model(settings.models_dir, settings.model_dir, stderr_progress)


@cli.command()
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="CSV or JSONL with `text` and `intent` columns (default: the bundled corpus).")
@click.option("--map", "label_map", type=click.Path(path_type=Path), default=None,
              help="CSV mapping your labels onto ticketflow intents.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Artifact folder (default: the bundled model's place in DATA_DIR/models).")
@click.pass_context
@friendly_errors
def train(ctx: click.Context, data: Path | None, label_map: Path | None, out: Path | None) -> None:
    """Train the intent model and write a verified artifact with its metadata."""
    from classifiers import artifact
    from classifiers.datasets import load_examples, load_label_map
    from classifiers.intent import train as train_model

    settings = settings_of(ctx)
    if data is None:
        examples, source = artifact.bundled_examples(), "bundled corpus (classifiers/training)"
        target = out or artifact.bundled_model_dir(settings.models_dir)
    else:
        mapping = load_label_map(label_map) if label_map else None
        examples, skipped = load_examples(data, mapping)
        if skipped:
            stderr_progress(f"skipped {skipped} row(s) whose label is not in the map")
        source = str(data)
        target = out or settings.models_dir / f"custom-{data.stem}"
    model = train_model(examples, source, stderr_progress)
    artifact.save(model, target)
    evaluation = model.metadata["evaluation"]
    click.echo(json.dumps({"model_version": model.version, "path": str(target),
                           "examples": len(examples), **evaluation}))
    if data is not None:
        stderr_progress(f"use it with TICKETFLOW_MODEL_DIR={target}")


@cli.command("normalize")
@click.option("--channel", required=True,
              type=click.Choice(["email", "chat", "phone", "social", "whatsapp", "sms",
                                 "webform"]),
              help="The channel the file came from (its inbound topic).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
@friendly_errors
def normalize_cmd(ctx: click.Context, channel: str, file: Path) -> None:
    """Show what one raw message becomes: its ticket(s), and which order-number format of the
    shop file (TICKETFLOW_SHOP_FILE) found each order number. Exit 1 if it would be a dead
    letter."""
    from ticketflow.normalize_cli import normalize_file

    tickets, dead = normalize_file(settings_of(ctx), channel, file)
    if dead is not None:
        click.secho(f"dead letter {dead.error_code.value}: {dead.reason}", fg="red", err=True)
        click.echo(json.dumps({"deadletter": {"error_code": dead.error_code.value,
                                              "reason": dead.reason}}))
        sys.exit(1)
    for ticket in tickets:
        found = ", ".join(f"{o['number']} ({o['format']})" for o in ticket["order_numbers"])
        click.echo(f"{ticket['ticket_id']}: language {ticket['language']}, order numbers: "
                   f"{found or 'none'}", err=True)
    click.echo(json.dumps({"tickets": tickets}, ensure_ascii=False))


@cli.group(invoke_without_command=True)
@click.option("--threshold", type=float, default=None, help="needs_triage below this.")
@click.pass_context
@friendly_errors
def classify(ctx: click.Context, threshold: float | None) -> None:
    """Classify JSON lines from stdin ({"text": …} or {"subject": …, "body": …})."""
    if ctx.invoked_subcommand is not None:
        return
    from classifiers.jsonlines import run

    settings = settings_of(ctx)
    model = load_model(settings)
    limit = settings.triage_threshold if threshold is None else threshold
    for line in run(sys.stdin, model, limit):
        click.echo(line)


@classify.command("eval")
@click.option("--data", type=click.Path(path_type=Path), required=True,
              help="CSV or JSONL with a text column (text/utterance) and a label column.")
@click.option("--map", "label_map", type=click.Path(path_type=Path), default=None,
              help="Two-column CSV: the data's labels → ticketflow intents.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.pass_context
@friendly_errors
def classify_eval(ctx: click.Context, data: Path, label_map: Path | None, as_json: bool) -> None:
    """Accuracy, macro-F1, per-label report and worst confusions on labelled data."""
    from classifiers.datasets import load_examples, load_label_map
    from classifiers.evaluate import evaluate, format_report

    settings = settings_of(ctx)
    mapping = load_label_map(label_map) if label_map else None
    examples, skipped = load_examples(data, mapping)
    report = evaluate(load_model(settings), examples, skipped)
    click.echo(json.dumps(report.as_dict()) if as_json else format_report(report))


@cli.group()
def db() -> None:
    """The enrichment store (SQLite file by default, PostgreSQL via TICKETFLOW_DATABASE_URL)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@click.pass_context
@friendly_errors
def db_upgrade(ctx: click.Context, revision: str) -> None:
    """Create or migrate the tables (Alembic)."""
    from store.commands import db_upgrade as upgrade
    from store.db import url_for

    url = url_for(settings_of(ctx))
    click.echo(f"database {url.split('@')[-1]} is at revision {upgrade(url, revision)}")


@db.command("seed")
@click.pass_context
@friendly_errors
def db_seed(ctx: click.Context) -> None:
    """Load the demo shop: the sample corpus' customers and orders plus generated ones."""
    from core.clock import system_clock
    from store.db import url_for
    from ticketflow.seed import db_seed as seed

    click.echo(str(seed(url_for(settings_of(ctx)), system_clock())))


@db.command("import")
@click.option("--customers", type=click.Path(path_type=Path), default=None,
              help="customers.csv or .jsonl (see store/README.md for the columns).")
@click.option("--orders", type=click.Path(path_type=Path), default=None,
              help="orders.csv or .jsonl.")
@click.option("--lines", type=click.Path(path_type=Path), default=None,
              help="order_lines.csv or .jsonl (order_number, sku, name, quantity, price).")
@click.option("--allow-rejects", is_flag=True,
              help="Exit 0 even when rows were rejected (the good rows are imported either "
              "way).")
@json_option
@click.pass_context
@friendly_errors
def db_import(ctx: click.Context, customers: Path | None, orders: Path | None,
              lines: Path | None, allow_rejects: bool, as_json: bool) -> None:
    """Load a shop's own customers, orders and order lines (upsert). Bad rows are reported
    with file:line and the reason; the exit status is 1 when any was rejected."""
    from store.commands import db_import as import_
    from store.db import url_for

    if customers is None and orders is None and lines is None:
        raise click.UsageError("give --customers, --orders and/or --lines")
    summary = import_(url_for(settings_of(ctx)), customers, orders, lines)
    click.echo(str(summary), err=True)
    if as_json:
        click.echo(json.dumps(summary.as_dict()))
    if summary.rejected and not allow_rejects:
        sys.exit(1)


@cli.group()
def gdpr() -> None:
    """Data-protection requests."""


@gdpr.command("erase")
@click.option("--customer", "customer", required=True, metavar="ID",
              help="The store's customer id, an e-mail address or a phone number.")
@click.option("--ticket", "tickets", multiple=True, metavar="TICKET_ID",
              help="A ticket id of this customer known from elsewhere (the help desk): its "
              "audit rows and SLA state are erased too. Repeatable.")
@click.option("--dry-run", is_flag=True, help="Say what would be erased; change nothing.")
@click.option("--store-only", is_flag=True,
              help="Leave Kafka alone: no changelog read, no tombstone published.")
@json_and_bootstrap
@click.pass_context
@friendly_errors
def gdpr_erase(ctx: click.Context, customer: str, tickets: tuple[str, ...], dry_run: bool,
               store_only: bool, as_json: bool, bootstrap: str | None) -> None:
    """Erase a customer: their store rows (customer, identities, orders, order lines, the audit
    of their tickets) and tombstones for their keys on the contacts and SLA changelogs. Says
    what it cannot reach. Safe to run again."""
    from ticketflow.gdpr import erase, render

    settings = settings_of(ctx, bootstrap)
    server = None if store_only else require_bootstrap(settings)
    result = erase(settings, customer, tickets, dry_run, server)
    click.echo(json.dumps(result) if as_json else render(result))


@cli.group()
def rules() -> None:
    """Routing rules: lint, test, explain, replay, publish."""


def ruleset_path(path: Path | None) -> Path:
    from routing_rules import DEFAULT_RULESET_PATH

    return path or DEFAULT_RULESET_PATH


@rules.command("check")
@click.argument("path", type=click.Path(path_type=Path), required=False)
@friendly_errors
def rules_check(path: Path | None) -> None:
    """Lint a ruleset: schema, fields, operators, queues, unreachable/shadowed rules."""
    from routing_rules import check

    target = ruleset_path(path)
    problems = check(target)
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
    if errors:
        click.secho(f"{target}: {len(errors)} error(s)", fg="red", err=True)
        sys.exit(1)
    click.echo(f"{target}: ok ({len(problems)} warning(s))")


@rules.command("test")
@click.argument("path", type=click.Path(path_type=Path), required=False)
@click.option("--cases", type=click.Path(path_type=Path), default=None,
              help="Test file (default: RULES.tests.yaml beside the rules).")
@friendly_errors
def rules_test(path: Path | None, cases: Path | None) -> None:
    """Run the YAML test cases kept beside the rules."""
    from routing_rules import RulesetError, run_tests, tests_path_for

    target = ruleset_path(path)
    try:
        results = run_tests(target, cases or tests_path_for(target))
    except RulesetError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    failed = [r for r in results if not r.passed]
    for result in results:
        click.echo(str(result))
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        sys.exit(1)


@rules.command("explain")
@click.argument("ticket_file", type=click.Path(path_type=Path), required=False)
@click.option("--text", default=None,
              help="Plain text instead of a file: classified with the intent model, then routed "
              "(not enriched: no customer, no order).")
@click.option("--channel", default="webform", show_default=True,
              type=click.Choice(["email", "chat", "phone", "social", "whatsapp", "sms",
                                 "webform"]),
              help="With --text: the channel it came in on.")
@click.option("--rules", "path", type=click.Path(path_type=Path), default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@friendly_errors
def rules_explain(ctx: click.Context, ticket_file: Path | None, text: str | None, channel: str,
                  path: Path | None, as_json: bool) -> None:
    """The decision for TICKET.json (a ticket or a routed message) or for --text, and its
    reasons. For a routed message, the decision it recorded is compared with today's."""
    from routing_rules import compile_ruleset, load_ruleset
    from ticketflow.rules_tools import compare, explain, parse_recorded, ticket_from_text

    if (ticket_file is None) == (text is None):
        raise click.UsageError("give a TICKET_FILE or --text, not both")
    recorded = None
    if text is not None:
        settings = settings_of(ctx)
        ticket = ticket_from_text(text, channel, load_model(settings),
                                  settings.triage_threshold)
    else:
        assert ticket_file is not None
        ticket, recorded = parse_recorded(json.loads(ticket_file.read_text(encoding="utf-8")))
    decision = compile_ruleset(load_ruleset(ruleset_path(path))).route(ticket)
    if as_json:
        data = json.loads(decision.model_dump_json())
        if recorded is not None:
            data = {"decision": data, "recorded": json.loads(recorded.model_dump_json()),
                    "changed": compare(recorded, decision) is not None}
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(explain(decision))
    if text is not None and ticket.classification is not None:
        c = ticket.classification
        evidence = ", ".join(c.intent_evidence) or "no evidence words"
        cues = ", ".join(u.kind for u in c.urgency) or "none"
        click.echo(f"classified: {c.intent} ({c.confidence:.2f}; {evidence}), sentiment "
                   f"{c.sentiment.label}, urgency cues: {cues}, language {ticket.language}")
    if recorded is not None:
        click.echo(compare(recorded, decision) or
                   f"same as recorded (ruleset version {recorded.ruleset_version})")


@rules.command("replay")
@click.option("--rules", "path", type=click.Path(path_type=Path), required=True,
              help="The changed ruleset to try.")
@click.option("--from", "source", default="tickets.routed", show_default=True,
              help="A topic of routed messages, or a JSONL file of routed messages/tickets.")
@click.option("--baseline", type=click.Path(path_type=Path), default=None,
              help="Ruleset to compare bare tickets against (default: the bundled one).")
@click.option("--examples", type=int, default=3, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@bootstrap_option
@click.pass_context
@friendly_errors
def rules_replay(
    ctx: click.Context, path: Path, source: str, baseline: Path | None, examples: int,
    as_json: bool, bootstrap: str | None,
) -> None:
    """Dry-run a changed ruleset against recorded tickets: how many would move, where to."""
    from routing_rules import compile_ruleset, load_ruleset
    from ticketflow.rules_tools import read_jsonl, read_topic, replay

    new = compile_ruleset(load_ruleset(path))
    base = compile_ruleset(load_ruleset(ruleset_path(baseline)))
    file = Path(source)
    if file.is_file():
        recorded = read_jsonl(file)
    else:
        settings = settings_of(ctx, bootstrap)
        recorded = read_topic(require_bootstrap(settings), source,
                              security=settings.kafka_security)
    report = replay(recorded, new, base, examples)
    click.echo(json.dumps(report.as_dict()) if as_json else report.render())


@rules.command("publish")
@click.argument("path", type=click.Path(path_type=Path))
@bootstrap_option
@click.pass_context
@friendly_errors
def rules_publish(ctx: click.Context, path: Path, bootstrap: str | None) -> None:
    """Lint, then publish a ruleset to routing.rules: running workers switch to it."""
    from routing_rules import check, compile_ruleset, load_ruleset
    from ticketflow.rules_tools import publish_ruleset

    errors = [p for p in check(path) if getattr(p, "severity", "error") == "error"]
    if errors:
        for problem in errors:
            click.echo(str(problem), err=True)
        click.secho(f"{path}: not published ({len(errors)} error(s))", fg="red", err=True)
        sys.exit(1)
    compiled = compile_ruleset(load_ruleset(path))
    settings = settings_of(ctx, bootstrap)
    partition, offset = publish_ruleset(require_bootstrap(settings), path, compiled.name,
                                        security=settings.kafka_security)
    click.echo(f"published {compiled.name} version {compiled.version} "
               f"(routing.rules[{partition}]@{offset})")


@cli.group()
def bench() -> None:
    """Speed figures (measured, never asserted in tests)."""


@bench.command("classify")
@click.option("--n", "count", type=int, default=2000, show_default=True)
@click.option("--batch", type=int, default=500, show_default=True)
@click.pass_context
@friendly_errors
def bench_classify(ctx: click.Context, count: int, batch: int) -> None:
    """Per-message cost of classify() one at a time versus in batches; one JSON line."""
    from ticketflow.bench import bench_classify as run_bench

    click.echo(json.dumps(run_bench(load_model(settings_of(ctx)), count, batch)))


@cli.group()
def schemas() -> None:
    """JSON Schemas of the output topics."""


@schemas.command("export")
@click.option("--check", is_flag=True, help="Exit 1 if the committed schemas are stale.")
@click.option("--dir", "directory", type=click.Path(path_type=Path), default=None)
def schemas_export(check: bool, directory: Path | None) -> None:
    """Regenerate schemas/json/ from the pydantic models."""
    from schemas import export

    target = directory or export.JSON_DIR
    if check:
        stale = export.stale(target)
        if stale:
            click.secho(f"stale: {', '.join(stale)}: run `ticketflow schemas export`", fg="red",
                        err=True)
            sys.exit(1)
        click.echo("schemas are up to date")
        return
    for path in export.write(target):
        click.echo(f"wrote {path}")


@bench.command("enrich")
@click.option("--n", "count", type=int, default=5000, show_default=True)
@click.option("--batch", type=int, default=500, show_default=True)
@click.pass_context
@friendly_errors
def bench_enrich(ctx: click.Context, count: int, batch: int) -> None:
    """Enrichment lookups per second (cold/warm cache) and their share of pipeline time."""
    from store.db import configured_url
    from ticketflow.bench import bench_enrich as run_bench

    settings = settings_of(ctx)
    click.echo(json.dumps(run_bench(load_model(settings), configured_url(settings), count, batch)))


def emit_result(result: dict[str, Any], as_json: bool, skip: tuple[str, ...] = ()) -> None:
    """A benchmark's figures: readable on stderr (unless ``--json``; long lists skipped), then
    the whole result as one JSON line, the last line on stdout."""
    if not as_json:
        width = max((len(key) for key in result), default=0)
        for key, value in result.items():
            if key not in skip:
                click.echo(f"{key:>{width}}: {value}", err=True)
    click.echo(json.dumps(result))


@bench.command("sla")
@click.option("--clocks", "clocks", default=10_000, show_default=True,
              help="Clocks to open (one routed ticket each).")
@click.option("--window", "window_s", default=30.0, show_default=True,
              help="Seconds over which the deadlines are spread.")
@click.option("--lead", "lead_s", default=45.0, show_default=True,
              help="Seconds from now to the first deadline (worker start + opening clocks).")
@click.option("--target", "target_s", default=60.0, show_default=True,
              help="The first-response target of the benchmark policy, in seconds.")
@click.option("--timeout", "timeout_s", default=60.0, show_default=True,
              help="Seconds to wait past the last deadline before giving up.")
@json_and_bootstrap
@click.pass_context
@friendly_errors
def bench_sla(ctx: click.Context, clocks: int, window_s: float, lead_s: float, target_s: float,
              timeout_s: float, as_json: bool, bootstrap: str | None) -> None:
    """Open N SLA clocks on a real worker and measure breach lateness and duplicates (the
    last line is JSON). Uses the embedded broker unless --bootstrap is given."""
    from ticketflow.sla_bench import bench_sla as run_bench

    result = run_bench(settings_of(ctx, bootstrap), clocks, window_s=window_s, lead_s=lead_s,
                       target_s=target_s, timeout_s=timeout_s,
                       progress=lambda line: click.echo(line, err=True))
    emit_result(result, as_json)


@bench.command("recovery")
@click.option("--tickets", default=100_000, show_default=True, type=click.IntRange(min=1),
              help="Tickets whose SLA state the table holds when the worker is restarted.")
@click.option("--timeout", "timeout_s", default=600.0, show_default=True,
              help="Seconds to wait for each phase before giving up.")
@json_and_bootstrap
@click.pass_context
@friendly_errors
def bench_recovery(ctx: click.Context, tickets: int, timeout_s: float, as_json: bool,
                   bootstrap: str | None) -> None:
    """Restart a worker whose tables hold N tickets, with the memory store and with RocksDB,
    and time the restart to its first SLA event (the last line is JSON)."""
    from ticketflow.recovery_bench import bench_recovery as run_bench

    result = run_bench(settings_of(ctx, bootstrap), tickets, timeout_s=timeout_s,
                       progress=lambda line: click.echo(line, err=True))
    emit_result(result, as_json)


@bench.command("failover")
@click.option("--trials", default=10, show_default=True, type=click.IntRange(min=1),
              help="How many trials (each: fresh state, the corpus once, one SIGKILL).")
@click.option("--shapes", default="alternate", show_default=True,
              type=click.Choice(["alternate", "random", "restart", "survivor"]),
              help="restart: one worker, killed and restarted; survivor: two workers, one "
              "killed, the other carries on. alternate starts with restart.")
@click.option("--seed", type=int, default=None,
              help="Seed of the kill moments (and of random shapes); default: random, reported.")
@click.option("--max-kill-delay", "max_kill_delay_s", default=2.0, show_default=True,
              help="The kill comes a random 0..this many seconds after the first output.")
@click.option("--quiet", "quiet_s", default=90.0, show_default=True,
              help="End a trial when no expected record has come out for this many seconds.")
@click.option("--grace", "grace_s", default=2.0, show_default=True,
              help="Seconds to keep reading after a trial is complete (redeliveries).")
@json_and_bootstrap
@click.pass_context
@friendly_errors
def bench_failover(ctx: click.Context, trials: int, shapes: str, seed: int | None,
                   max_kill_delay_s: float, quiet_s: float, grace_s: float, as_json: bool,
                   bootstrap: str | None) -> None:
    """Kill workers mid-corpus (SIGKILL) and count every corpus record by distinct id on
    tickets.routed and tickets.deadletter (the last line is JSON). A fresh embedded broker per
    trial, or with --bootstrap a fresh consumer group per trial."""
    from ticketflow.failover_bench import BenchConfig
    from ticketflow.failover_bench import bench_failover as run_bench

    result = run_bench(settings_of(ctx, bootstrap), trials, seed=seed,
                       shapes=cast(Any, shapes), max_kill_delay_s=max_kill_delay_s,
                       config=BenchConfig(quiet_s=quiet_s, grace_s=grace_s),
                       progress=lambda line: click.echo(line, err=True))
    emit_result(result, as_json, skip=("trial_results",))


@bench.command("pipeline")
@click.option("--n", "count", default=20_000, show_default=True, type=click.IntRange(min=1),
              help="Records in the backlog (unique variants of the sample corpus).")
@click.option("--rates", default="200,500", show_default=True,
              help="Offered loads (msg/s) of the latency runs, comma-separated.")
@click.option("--rate-seconds", "rate_s", default=30.0, show_default=True,
              help="How long each latency run publishes.")
@click.option("--soak-tickets", default=100_000, show_default=True,
              help="Tickets the one worker routes before RSS is read again (vs at 20k).")
@click.option("--skip-soak", is_flag=True, help="Skip the soak (rss_growth_pct_100k is null).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Folder for the JSON, the plot and the logs (default: "
              "DATA_DIR/bench-pipeline, replaced on every run).")
@json_and_bootstrap
@click.pass_context
@friendly_errors
def bench_pipeline(ctx: click.Context, count: int, rates: str, rate_s: float,
                   soak_tickets: int, skip_soak: bool, out_dir: Path | None, as_json: bool,
                   bootstrap: str | None) -> None:
    """Raw and bare-faust passthrough, the pipeline with one and two workers, latency at
    offered loads, CPU and memory, on one broker with one workload (the last line is JSON; a
    PNG of latency versus load is written beside it). The embedded broker unless --bootstrap."""
    from ticketflow.pipeline_bench import BenchConfig
    from ticketflow.pipeline_bench import bench_pipeline as run_bench

    try:
        offered = tuple(int(r) for r in rates.split(",") if r.strip())
    except ValueError as exc:
        raise click.BadParameter(f"not a list of integers: {rates}", param_hint="--rates") from exc
    config = BenchConfig(n=count, rates=offered, rate_s=rate_s, soak_tickets=soak_tickets,
                         skip_soak=skip_soak)
    result = run_bench(settings_of(ctx, bootstrap), config, out_dir,
                       progress=lambda line: click.echo(line, err=True))
    emit_result(result, as_json, skip=("latency",))


@bench.command("soak")
@click.option("--minutes", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="How long traffic is published.")
@click.option("--rate", default=150, show_default=True, type=click.IntRange(min=1),
              help="Records per second offered (unique variants of the sample corpus).")
@click.option("--warmup", "warmup_s", default=60.0, show_default=True,
              help="Seconds of traffic before the starting RSS is read.")
@click.option("--solve-after", "solve_after_s", default=30.0, show_default=True,
              help="The pretend help desk solves every ticket this many seconds after it "
              "was routed (after the demo's assign/reply/decline/hold story).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Folder for the logs (default: DATA_DIR/bench-soak, replaced every run).")
@json_and_bootstrap
@click.pass_context
@friendly_errors
def bench_soak(ctx: click.Context, minutes: float, rate: int, warmup_s: float,
               solve_after_s: float, out_dir: Path | None, as_json: bool,
               bootstrap: str | None) -> None:
    """Steady traffic through one worker with a help desk closing every ticket: RSS at the
    start and the end, the largest backlog, lost and duplicated tickets (the last line is
    JSON). The embedded broker unless --bootstrap."""
    from ticketflow.soak_bench import SoakConfig
    from ticketflow.soak_bench import bench_soak as run_bench

    config = SoakConfig(minutes=minutes, rate=rate, warmup_s=warmup_s,
                        solve_after_s=solve_after_s)
    result = run_bench(settings_of(ctx, bootstrap), config, out_dir,
                       progress=lambda line: click.echo(line, err=True))
    emit_result(result, as_json, skip=("lost_examples",))


@bench.command("rules")
@click.option("--n", "count", type=int, default=20000, show_default=True)
@click.option("--rules", "n_rules", type=int, default=200, show_default=True)
@friendly_errors
def bench_rules(count: int, n_rules: int) -> None:
    """Routing throughput on one core with a generated N-rule ruleset; one JSON line."""
    from ticketflow.rules_bench import bench_rules as run_bench

    click.echo(json.dumps(run_bench(count, n_rules)))


def _register() -> None:
    # groups kept in modules of their own (they import the helpers above from cli_common)
    from ticketflow.replies_cli import replies

    cli.add_command(replies)


_register()


def main() -> None:
    cli(prog_name="ticketflow")
