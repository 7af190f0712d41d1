"""Hot reload of routing rules across workers.

Rulesets are published (``ticketflow rules publish``) to the compacted topic ``routing.rules``.
Every worker reads that topic in full, outside its consumer group, so all workers see every
version and settle on the same latest valid one — a watched file would need a shared filesystem
and could be read half-written, and a group consumer would give each version to one worker
only. An invalid version is refused: the last good ruleset stays active, and the refusal is
logged and counted.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Info

from routing_rules import CompiledRuleset, RulesetError, compile_ruleset
from routing_rules.loader import load_ruleset_text
from streams.topics import ROUTING_RULES

log = logging.getLogger(__name__)


class RulesetHolder:
    """The active compiled ruleset. Swapping is one attribute assignment: a ticket is routed
    by the old or the new version, never a mix."""

    def __init__(self, initial: CompiledRuleset, registry: CollectorRegistry) -> None:
        self.active = initial
        self.reloads = Counter(
            "ticketflow_ruleset_reloads_total",
            "Rulesets read from routing.rules: activated (a new version now routes) or refused "
            "(invalid; the active one stays).", ["result"], registry=registry)
        # both series from the start, so a rate or an alert sees 0 before the first reload
        self.loaded = self.reloads.labels("activated")
        self.refused = self.reloads.labels("refused")
        self.info = Info("ticketflow_ruleset", "The active routing ruleset.", registry=registry)
        self._describe()
        log.info("routing ruleset %s version %s active", initial.name, initial.version)

    def _describe(self) -> None:
        self.info.info({"name": self.active.name, "version": self.active.version})

    def offer(self, text: str, source: str) -> bool:
        """Activate ``text`` if it is a valid ruleset; otherwise keep the current one."""
        try:
            candidate = compile_ruleset(load_ruleset_text(text, source))
        except RulesetError as exc:
            self.refused.inc()
            log.error("refused ruleset from %s, keeping %s: %s", source, self.active.version, exc)
            return False
        if candidate.version != self.active.version:
            self.active = candidate
            self.loaded.inc()
            self._describe()
            log.info("routing ruleset %s version %s active", candidate.name, candidate.version)
        return True


def catch_up(holder: RulesetHolder, consumer: Any, idle_polls: int = 2) -> None:
    """Read what is on the topic now, so a starting worker routes with the latest version from
    its first ticket."""
    quiet = 0
    while quiet < idle_polls:
        batch = consumer.poll(timeout_ms=300)
        quiet = 0 if batch else quiet + 1
        for records in batch.values():
            for record in records:
                holder.offer(record.value.decode("utf-8", "replace"),
                             f"{ROUTING_RULES.name}@{record.partition}:{record.offset}")


class RulesWatcher:
    """A daemon thread following ``routing.rules`` after the catch-up."""

    def __init__(self, holder: RulesetHolder, consumer: Any) -> None:
        self.holder = holder
        self.consumer = consumer
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ticketflow-rules", daemon=True)

    def start(self) -> None:
        catch_up(self.holder, self.consumer)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                catch_up(self.holder, self.consumer, idle_polls=1)
            except Exception:  # keep watching: a broker blip must not freeze the rules
                log.exception("reading %s failed; retrying", ROUTING_RULES.name)
                self._stop.wait(1.0)

    def stop(self) -> None:
        self._stop.set()
