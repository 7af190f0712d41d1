"""/readyz's verdict from the gathered facts (streams/readiness.py)."""

from __future__ import annotations

from streams.readiness import (
    CHECKS,
    Check,
    LoopFacts,
    Probed,
    database_check,
    fresh,
    loop_checks,
    ruleset_check,
    verdict,
)

SETTLED = LoopFacts(joined=True, rebalancing=False, stream_partitions=12,
                    recovery_completed=True, in_recovery=False)


def all_ok() -> dict[str, Check]:
    return {"broker": Check(True, "1 broker(s) answer"), **loop_checks(SETTLED, ""),
            "ruleset_loaded": ruleset_check("demo-shop", "abc"),
            "database": database_check(None, "postgresql at db:5432", transient=False)}


def test_ready_when_every_check_passes_with_the_documented_body() -> None:
    ready, body = verdict(all_ok())
    assert ready is True
    assert body == {"ready": True, "checks": {
        "broker": {"ok": True, "detail": "1 broker(s) answer"},
        "partitions_assigned": {"ok": True, "detail": "12 partitions assigned"},
        "tables_recovered": {"ok": True, "detail": "tables recovered"},
        "ruleset_loaded": {"ok": True, "detail": "ruleset demo-shop version abc"},
        "database": {"ok": True, "degraded": False, "detail": "postgresql at db:5432 answers"},
    }}
    assert list(body["checks"]) == list(CHECKS)


def test_one_failed_check_makes_it_not_ready_and_is_named() -> None:
    checks = all_ok() | {"broker": Check(False, "no answer from k:9092 within 3 s")}
    ready, body = verdict(checks)
    assert ready is False
    assert [n for n, c in body["checks"].items() if not c["ok"]] == ["broker"]


def test_a_missing_check_fails() -> None:
    checks = all_ok()
    del checks["ruleset_loaded"]
    ready, body = verdict(checks)
    assert not ready and body["checks"]["ruleset_loaded"] == {"ok": False,
                                                              "detail": "not checked"}


def test_a_stuck_probe_fails_its_check_once_its_result_is_too_old() -> None:
    probed = Probed(Check(True, "answers"), at=100.0)
    assert fresh(probed, now=104.0, max_age_s=8.0, what="broker") == Check(True, "answers")
    assert fresh(probed, now=110.0, max_age_s=8.0, what="broker") == Check(
        False, "broker: no answer for 10 s")
    assert fresh(None, 0.0, 8.0, "database") == Check(False, "database: not checked yet")


def test_group_and_recovery_states() -> None:
    assert loop_checks(None, "the event loop did not answer within 1 s") == {
        "partitions_assigned": Check(False, "the event loop did not answer within 1 s"),
        "tables_recovered": Check(False, "the event loop did not answer within 1 s")}
    joining = LoopFacts(False, False, 0, False, False)
    assert [c.ok for c in loop_checks(joining, "").values()] == [False, False]
    rebalancing = LoopFacts(True, True, 12, True, True)
    checks = loop_checks(rebalancing, "")
    assert checks["partitions_assigned"] == Check(False, "a rebalance is under way")
    assert checks["tables_recovered"] == Check(False, "table recovery under way")
    idle = LoopFacts(True, False, 0, True, False)  # more workers than partitions
    assert loop_checks(idle, "")["partitions_assigned"].ok


def test_the_database_is_ok_when_reachable_or_deliberately_degraded_not_when_broken() -> None:
    down = database_check(ConnectionError("cannot connect to postgresql at db:5432"), "db",
                          transient=True)
    assert (down.ok, down.degraded) == (True, True)
    assert "tickets flow on marked unavailable" in down.detail
    broken = database_check(PermissionError("refused the login"), "db", transient=False)
    assert (broken.ok, broken.degraded) == (False, True)
    assert verdict(all_ok() | {"database": down})[0] is True
    assert verdict(all_ok() | {"database": broken})[0] is False
    assert not ruleset_check(None, None).ok
