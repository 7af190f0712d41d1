"""The shop's reply templates: ``<kind>.<language>.j2`` files in one folder, rendered with
Jinja2's ``SandboxedEnvironment`` (a template cannot reach Python internals: the shop's staff
edit them, not its developers) and ``StrictUndefined`` (a misspelt variable is an error, never
an empty string in a customer's message).

Kinds: ``acknowledge`` (every ticket) and one per answer kind (``order_status``, ``return``,
``address_change``, ``invoice``). Files starting with ``_`` (``_promise.en.j2``) hold macros the
others import. :data:`VARIABLES` documents what each kind may use; ``check`` refuses anything
else with the file and line of its first use, so ``ticketflow replies check`` catches what
rendering would only hit for some tickets.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import DictLoader, StrictUndefined, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from replies.errors import Problem, RepliesError

KINDS = ("acknowledge", "order_status", "return", "address_change", "invoice")
_FILE = re.compile(r"^(?P<kind>_?[a-z_]+)\.(?P<language>[a-z]{2})\.j2$")

Attributes = frozenset[str] | None
"""A variable's attributes (``order.number``), or None for a plain value."""

ORDER: Attributes = frozenset({
    "number", "status", "carrier", "tracking_number", "tracking_url", "placed_date",
    "promised_date", "delivered_date", "late", "mentioned"})
COMMON: dict[str, Attributes] = {
    "shop": None,          # the shop's name
    "sign_off": None,      # the sign-off in this language
    "language": None,      # the language written in (ISO 639-1)
    "channel": None,       # email, chat, phone, social, whatsapp, sms, webform
    "short": None,         # a short-message channel (sms, chat, whatsapp, social): no letter
    "customer": frozenset({"first_name", "name"}),  # None values when unknown
    "promise": frozenset({
        "known",           # false: no deadline (say "as soon as we can")
        "business_hours",  # true: a calendar applies (say a time); false: say `within`
        "open_now",        # support is open when the clock starts
        "capped", "today", "tomorrow", "this_week",  # the deadline's day from the start
        "weekday", "date", "time",  # 'Monday', '23 November', '09:30' (localized)
        "within",          # '15 minutes' (localized)
    }),
}
VARIABLES: dict[str, dict[str, Attributes]] = {
    "acknowledge": COMMON,
    "order_status": {**COMMON, "order": ORDER},
    "return": {**COMMON, "order": ORDER, "returns": frozenset({
        "window_days", "window_open", "days_left", "last_day", "url", "refund_days"})},
    "address_change": {**COMMON, "order": ORDER,
                       "address": frozenset({"change_possible", "url"})},
    "invoice": {**COMMON, "order": ORDER, "invoice_url": None},  # order: None unless mentioned
}


def template_name(kind: str, language: str) -> str:
    return f"{kind}.{language}.j2"


def _environment(sources: Mapping[str, str]) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=DictLoader(dict(sources)), undefined=StrictUndefined, autoescape=False,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
    )


def read_sources(directory: Path) -> dict[str, str]:
    """Every ``*.j2`` file of the folder, by file name."""
    if not Path(directory).is_dir():
        raise RepliesError([f"{directory}: no templates folder here (the configuration's "
                            "'templates' names it, relative to the configuration file)"])
    try:
        paths = sorted(Path(directory).glob("*.j2"))
    except OSError as exc:
        raise RepliesError([f"{directory}: cannot read the templates folder: {exc}"]) from exc
    sources = {}
    for path in paths:
        try:
            sources[path.name] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RepliesError([f"{path}: cannot read: {exc}"]) from exc
    return sources


def _first_line(ast: nodes.Template, name: str) -> int | None:
    lines = [n.lineno for n in ast.find_all(nodes.Name) if n.name == name and n.ctx == "load"]
    return min(lines) if lines else None


def _check_one(directory: Path, name: str, source: str, allowed: Mapping[str, Attributes],
               env: SandboxedEnvironment, sources: Mapping[str, str]) -> list[Problem]:
    file = str(directory / name)
    try:
        ast = env.parse(source, name=name)
    except TemplateSyntaxError as exc:
        return [Problem(file, exc.lineno, f"template syntax: {exc.message}")]
    problems = []
    known = set(allowed) | set(env.globals)
    for var in sorted(meta.find_undeclared_variables(ast) - known):
        hint = ", ".join(sorted(allowed)) or "only its macros' arguments"
        problems.append(Problem(file, _first_line(ast, var),
                                f"unknown variable '{var}' (this template has: {hint})"))
    for node in ast.find_all(nodes.Getattr):
        base = node.node
        if isinstance(base, nodes.Name) and base.ctx == "load":
            attributes = allowed.get(base.name)
            if base.name in allowed and (attributes is None or node.attr not in attributes):
                has = ", ".join(sorted(attributes)) if attributes else "no attributes"
                problems.append(Problem(file, node.lineno,
                                        f"unknown variable '{base.name}.{node.attr}' "
                                        f"({base.name} has: {has})"))
    for ref in meta.find_referenced_templates(ast):
        if ref is not None and ref not in sources:
            problems.append(Problem(file, None, f"imports '{ref}', which is not in {directory}"))
    return problems


def check_sources(directory: Path, sources: Mapping[str, str],
                  languages: Iterable[str]) -> list[Problem]:
    """Every problem of the templates: syntax, unknown variables and attributes (file:line of
    the first use), imports of missing files, a kind or language without its file."""
    languages = tuple(languages)
    env = _environment(sources)
    problems: list[Problem] = []
    for name, source in sorted(sources.items()):
        m = _FILE.match(name)
        if m is None:
            problems.append(Problem(str(directory / name), None,
                                    "not a template name: <kind>.<language>.j2, e.g. "
                                    "order_status.fr.j2"))
            continue
        kind, language = m["kind"], m["language"]
        if kind.startswith("_"):
            allowed: Mapping[str, Attributes] = {}  # imported macros see only their arguments
        elif kind not in VARIABLES:
            problems.append(Problem(str(directory / name), None,
                                    f"unknown kind '{kind}' (known: {', '.join(KINDS)})"))
            continue
        else:
            allowed = VARIABLES[kind]
        if language not in languages:
            problems.append(Problem(str(directory / name), None,
                                    f"language '{language}' is not configured (languages: "
                                    f"{', '.join(languages)}): never used", "warning"))
        problems += _check_one(directory, name, source, allowed, env, sources)
    for kind in KINDS:
        for language in languages:
            if template_name(kind, language) not in sources:
                problems.append(Problem(str(directory / template_name(kind, language)), None,
                                        f"missing: every kind needs a template in every "
                                        f"configured language ({language})"))
    return problems


_BLANKS = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, no blank ends: the
    templates stay readable with their ``{% if %}`` lines."""
    lines = [line.rstrip() for line in text.splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


class Templates:
    """A checked set of templates, held in memory (rendering reads no file)."""

    def __init__(self, directory: Path, sources: Mapping[str, str]) -> None:
        self.directory = Path(directory)
        self.sources = dict(sources)
        self._env = _environment(self.sources)
        # compiled once: get_template would ask the loader whether each is up to date
        self._compiled = {name: self._env.get_template(name) for name in self.sources
                          if not name.startswith("_")}

    @classmethod
    def load(cls, directory: Path, languages: Iterable[str]) -> Templates:
        """Read and check the folder; any error is a :class:`RepliesError` listing them all."""
        sources = read_sources(directory)
        errors = [p for p in check_sources(directory, sources, languages)
                  if p.severity == "error"]
        if errors:
            raise RepliesError([str(p) for p in errors])
        return cls(directory, sources)

    def has(self, kind: str, language: str) -> bool:
        return template_name(kind, language) in self.sources

    def render(self, kind: str, language: str, context: Mapping[str, Any]) -> str:
        """Raises jinja2's ``TemplateError`` (a sandbox refusal, an undefined value) for the
        caller to turn into a suppression or an error."""
        return tidy(self._compiled[template_name(kind, language)].render(**context))

    def digest(self) -> str:
        h = hashlib.sha256()
        for name, source in sorted(self.sources.items()):
            h.update(f"{name}\x1f{source}\x1e".encode())
        return h.hexdigest()


def version(config_text: str, templates: Templates) -> str:
    """The ``templates_version`` of suggestions: a content hash of the configuration and every
    template, 16 hex digits (as a ruleset's version)."""
    h = hashlib.sha256(config_text.encode("utf-8"))
    h.update(templates.digest().encode())
    return h.hexdigest()[:16]


__all__ = ["KINDS", "VARIABLES", "Problem", "TemplateError", "Templates", "check_sources",
           "read_sources", "template_name", "tidy", "version"]
