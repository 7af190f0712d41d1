"""The pure part of ``/readyz``: facts gathered by ``streams/health.py`` in, one verdict out.

A worker is ready when every check is ok:

* ``broker``: a Kafka broker answered a metadata request recently (a probe in its own thread,
  so a stuck event loop is not mistaken for a stuck broker);
* ``partitions_assigned``: the worker joined its consumer group and no rebalance is under way
  (a member of a group with more members than partitions may own none: that is ok, and said);
* ``tables_recovered``: faust's table recovery is done (the SLA clocks and contact states are
  in memory), so the worker processes records;
* ``ruleset_loaded``: a routing ruleset is active;
* ``database``: the enrichment store answers, or it is unreachable and the worker is
  deliberately degraded (tickets flow on marked ``enrichment.status = "unavailable"``, the
  documented behaviour of ``enrichment/stage.py``): ok, with ``degraded: true``. A store that
  answers with an error someone has to fix (no tables, login refused, no driver) is not ok.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CHECKS = ("broker", "partitions_assigned", "tables_recovered", "ruleset_loaded", "database")


@dataclass(frozen=True, slots=True)
class Check:
    ok: bool
    detail: str
    degraded: bool | None = None  # the database check only

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": self.ok}
        if self.degraded is not None:
            body["degraded"] = self.degraded
        body["detail"] = self.detail
        return body


@dataclass(frozen=True, slots=True)
class Probed:
    """A probe's last result and when (monotonic seconds) it was taken."""

    check: Check
    at: float


@dataclass(frozen=True, slots=True)
class LoopFacts:
    """What only the worker's event loop can read safely, read there."""

    joined: bool  # a rebalance has completed at least once
    rebalancing: bool
    stream_partitions: int  # assigned partitions of input topics (changelogs not counted)
    recovery_completed: bool  # faust's table recovery has finished at least once
    in_recovery: bool


def fresh(probed: Probed | None, now: float, max_age_s: float, what: str) -> Check:
    """The probe's result while it is recent; a failed check once the probe has not reported
    for ``max_age_s`` (it hangs: the thing it asks does not answer)."""
    if probed is None:
        return Check(False, f"{what}: not checked yet")
    age = now - probed.at
    if age > max_age_s:
        return Check(False, f"{what}: no answer for {age:.0f} s", probed.check.degraded)
    return probed.check


def loop_checks(facts: LoopFacts | None, why_missing: str) -> dict[str, Check]:
    """``partitions_assigned`` and ``tables_recovered`` from the loop's facts; both failed with
    ``why_missing`` when the loop did not give them (not started, or it did not answer)."""
    if facts is None:
        return {"partitions_assigned": Check(False, why_missing),
                "tables_recovered": Check(False, why_missing)}
    if facts.rebalancing or facts.in_recovery:
        assigned = Check(False, "a rebalance is under way")
    elif not facts.joined:
        assigned = Check(False, "waiting to join the consumer group")
    elif facts.stream_partitions == 0:
        assigned = Check(True, "joined; no partitions assigned (more workers than partitions)")
    else:
        assigned = Check(True, f"{facts.stream_partitions} partitions assigned")
    if facts.in_recovery:
        recovered = Check(False, "table recovery under way")
    elif not facts.recovery_completed:
        recovered = Check(False, "table recovery not started yet")
    else:
        recovered = Check(True, "tables recovered")
    return {"partitions_assigned": assigned, "tables_recovered": recovered}


def ruleset_check(name: str | None, version: str | None) -> Check:
    if name is None:
        return Check(False, "no routing ruleset loaded yet")
    return Check(True, f"ruleset {name} version {version}")


def database_check(error: Exception | None, where: str, transient: bool) -> Check:
    """``error``: what the last connection attempt raised (None: it answered); ``transient``:
    the error is an outage (retrying may succeed), not something to fix."""
    if error is None:
        return Check(True, f"{where} answers", degraded=False)
    if transient:
        return Check(True, f"{error}; enrichment degraded: tickets flow on marked "
                     "unavailable until it answers again", degraded=True)
    return Check(False, f"{error}", degraded=True)


def verdict(checks: Mapping[str, Check]) -> tuple[bool, dict[str, Any]]:
    """Ready or not, and the JSON body of ``/readyz``: ``{"ready": bool, "checks": {name:
    {"ok": bool, "detail": str}}}`` with every check of ``CHECKS`` (a missing one fails)."""
    complete = {name: checks.get(name, Check(False, "not checked")) for name in CHECKS}
    ready = all(check.ok for check in complete.values())
    return ready, {"ready": ready,
                   "checks": {name: check.as_json() for name, check in complete.items()}}
