"""``ticketflow replies check | test | preview | replay``: the shop's reply templates, handled
like the routing rules (``ticketflow rules …``): lint with file:line, fixtures kept beside the
configuration, one ticket rendered, recorded traffic replayed. Nothing is ever sent."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from core.errors import TicketflowError
from core.settings import Settings
from ticketflow.cli_common import bootstrap_option, friendly_errors, require_bootstrap, settings_of

config_option = click.option(
    "--file", "path", type=click.Path(path_type=Path), default=None,
    help="Replies configuration (default: TICKETFLOW_REPLIES_FILE, the demo shop's).")


def _path(ctx: click.Context, path: Path | None) -> Path:
    settings: Settings = ctx.obj
    return path or settings.replies_file


@click.group()
def replies() -> None:
    """Suggested replies: check the templates, test them, preview a ticket, replay traffic."""


@replies.command("check")
@click.argument("path", type=click.Path(path_type=Path), required=False)
@click.pass_context
@friendly_errors
def replies_check(ctx: click.Context, path: Path | None) -> None:
    """Lint the configuration and every template: syntax, unknown variables (file:line of the
    first use), a kind missing in a configured language."""
    from replies.check import check

    target = _path(ctx, path)
    report = check(target)
    for line in report.errors + report.warnings:
        click.echo(line, err=True)
    if report.errors:
        click.secho(f"{target}: {len(report.errors)} error(s)", fg="red", err=True)
        sys.exit(1)
    click.echo(f"{target}: ok ({report.templates} templates in {', '.join(report.languages)}; "
               f"version {report.version}; {len(report.warnings)} warning(s))")


@replies.command("test")
@click.argument("path", type=click.Path(path_type=Path), required=False)
@click.option("--cases", type=click.Path(path_type=Path), default=None,
              help="Test file (default: NAME.tests.yaml beside the configuration).")
@click.option("--policies", type=click.Path(path_type=Path), default=None,
              help="SLA policies the promises follow (default: TICKETFLOW_SLA_POLICIES_PATH).")
@click.pass_context
@friendly_errors
def replies_test(ctx: click.Context, path: Path | None, cases: Path | None,
                 policies: Path | None) -> None:
    """Render the example tickets kept beside the configuration and check each suggestion."""
    from replies import Replies
    from replies.testing import run_cases, tests_path_for
    from sla.policies import load_policies

    settings: Settings = ctx.obj
    target = _path(ctx, path)
    policy_set = load_policies(policies or settings.sla_policies_path)
    results = run_cases(cases or tests_path_for(target), lambda clock_start: Replies.load(
        target, policy_set, clock_start=clock_start,
        return_window_days=settings.return_window_days).suggest)
    failed = [r for r in results if not r.passed]
    for result in results:
        click.echo(str(result))
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        sys.exit(1)


def _moment(value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time, e.g. "
                                 "2026-11-20T19:00:00+01:00") from exc
    if when.tzinfo is None:
        raise click.BadParameter(f"{value!r} has no UTC offset: add Z or +01:00")
    return when.astimezone(UTC)


def _routed(data: dict[str, Any], settings: Settings, at: datetime | None) -> Any:
    """A routed message as is, or a bare ticket routed with ``TICKETFLOW_RULES_PATH`` when it
    was received; ``at`` moves both times there (the routing delay kept)."""
    from pydantic import ValidationError

    from routing_rules import compile_ruleset, load_ruleset
    from schemas.routing import RoutedTicket
    from ticketflow.rules_tools import parse_recorded

    try:
        if "ticket" in data and "decision" in data:
            routed = RoutedTicket.model_validate(data)
        else:
            ticket, _ = parse_recorded(data)
            decision = compile_ruleset(load_ruleset(settings.rules_path)).route(ticket)
            routed = RoutedTicket(ticket=ticket, decision=decision, routed_at=ticket.received_at)
    except ValidationError as exc:
        raise TicketflowError(f"not a ticket or a routed message: {exc.errors()[0]['msg']} at "
                              f"{'.'.join(str(p) for p in exc.errors()[0]['loc'])}") from exc
    if at is None:
        return routed
    delay = routed.routed_at - routed.ticket.received_at
    ticket = routed.ticket.model_copy(update={"received_at": at})
    return routed.model_copy(update={"ticket": ticket, "routed_at": at + delay})


def describe(s: Any) -> str:
    """A suggestion for a person: the promise, both texts, the facts and the reasons."""
    p = s.promise
    when = p.reply_by_local or (p.reply_by.isoformat() if p.reply_by else "none")
    lines = [f"ticket {s.ticket_id}: {s.channel}, language {s.language}, intent {s.intent}, "
             f"queue {s.queue}",
             f"promise: first reply by {when} ({p.policy}; "
             + ("open" if p.open_now else "closed") + " when the clock started"
             + ("; the cap decided" if p.capped else "") + ")"]
    for label, text in (("acknowledgement", s.acknowledgement), ("answer", s.answer)):
        if text is None:
            continue
        size = (f"{text.sms_segments} SMS segment(s)" if text.sms_segments
                else f"{text.characters} characters")
        lines.append(f"{label} ({text.template}, {size}"
                     + (", trimmed" if text.trimmed else "") + "):")
        lines += [f"    {line}" for line in text.text.splitlines()]
    if s.answer_kind is None:
        lines.append("answer: none (no answer kind for this intent)")
    elif s.answer is None:
        lines.append(f"answer: none ({s.answer_kind} withheld)")
    lines += [f"  fact {f.name} = {f.value}" for f in s.facts]
    lines += [f"  suppressed: {x.reason}: {x.detail}" for x in s.suppressed]
    lines.append(f"can_auto_resolve: {str(s.can_auto_resolve).lower()}; auto_send: "
                 f"{s.auto_send}; templates {s.templates_version}")
    return "\n".join(lines)


@replies.command("preview")
@click.argument("ticket_file", type=click.Path(path_type=Path))
@click.option("--at", "at", default=None, metavar="ISO",
              help="Pretend the ticket arrived then (e.g. a Friday evening).")
@config_option
@click.option("--json", "as_json", is_flag=True, help="The suggestion as JSON.")
@click.pass_context
@friendly_errors
def replies_preview(ctx: click.Context, ticket_file: Path, at: str | None, path: Path | None,
                    as_json: bool) -> None:
    """The suggestion for TICKET.json (a routed message, or a ticket routed here)."""
    from replies import Replies

    settings: Settings = ctx.obj
    try:
        data = json.loads(ticket_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TicketflowError(f"{ticket_file}: cannot read a JSON ticket: {exc}") from exc
    routed = _routed(data, settings, _moment(at) if at else None)
    engine = Replies.from_settings(settings.model_copy(update={
        "replies_file": _path(ctx, path)}))
    suggestion = engine.suggest(routed)
    click.echo(suggestion.model_dump_json(indent=2) if as_json else describe(suggestion))


@replies.command("replay")
@click.option("--from", "source", default="tickets.routed", show_default=True,
              help="A topic of routed messages, or a JSONL file of them.")
@config_option
@click.option("--examples", type=int, default=2, show_default=True,
              help="Answers shown per kind.")
@click.option("--json", "as_json", is_flag=True, help="Only the JSON line on stdout.")
@bootstrap_option
@click.pass_context
@friendly_errors
def replies_replay(ctx: click.Context, source: str, path: Path | None, examples: int,
                   as_json: bool, bootstrap: str | None) -> None:
    """What the suggestions over recorded traffic add up to: acknowledged, answered,
    suppressed by reason. Nothing is sent."""
    from replies import Replies, replay
    from ticketflow.rules_tools import read_jsonl, read_topic

    settings = settings_of(ctx, bootstrap)
    engine = Replies.from_settings(settings.model_copy(update={
        "replies_file": _path(ctx, path)}))
    file = Path(source)
    if file.is_file():
        recorded = read_jsonl(file)
    else:
        recorded = read_topic(require_bootstrap(settings), source,
                              security=settings.kafka_security)
    report = replay(recorded, engine.suggest, examples)
    click.echo(json.dumps(report.as_dict(), ensure_ascii=False) if as_json else report.render())
