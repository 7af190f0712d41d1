"""The short version of ``ticketflow bench failover``: one trial of each shape, through the same
code as the bench — a worker killed with SIGKILL and restarted, and two workers of which one is
killed while the other carries on — and every corpus record must come out, as its tickets on
tickets.routed or as its dead letter.

Each trial gets a fresh embedded broker (or, with TICKETFLOW_KAFKA_BOOTSTRAP set, a fresh consumer
group on that Kafka). Bounded: a trial ends when nothing new has come out for ``QUIET_S``. The
kills come within the first second after the first routed ticket (the bench's default window is
2 s), while most of the corpus is still to come out: on a 2-core machine all of it is out about a
second after the first ticket, and a kill after that cannot lose anything.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.settings import Settings
from ticketflow.failover_bench import BenchConfig, bench_failover

from .conftest import PARTITIONS

QUIET_S = 60.0


# Per trial: a broker, two to three worker starts (group join, model load) on a 2-core machine.
@pytest.mark.timeout(600)
def test_no_record_is_lost_when_a_worker_dies(
    tmp_path: Path, model_dir: Path, seeded_database: str
) -> None:
    settings = Settings(kafka_bootstrap=os.environ.get("TICKETFLOW_KAFKA_BOOTSTRAP"),
                        data_dir=tmp_path, model_dir=model_dir, database_url=seeded_database,
                        partitions=PARTITIONS)
    result = bench_failover(settings, 2, seed=7, shapes="alternate", max_kill_delay_s=1.0,
                            config=BenchConfig(quiet_s=QUIET_S, grace_s=0.0), progress=print)

    trials = result["trial_results"]
    assert [t["shape"] for t in trials] == ["restart", "survivor"]
    for t in trials:
        assert t["expected_tickets"] > 300 and t["expected_deadletters"] > 20, t
        assert t["killed"] is not None, f"trial {t['trial']}: nobody was killed: {t}"
        assert t["lost"] == 0, (
            f"trial {t['trial']} ({t['shape']}) lost {t['lost_tickets']} ticket(s) and "
            f"{t['lost_deadletters']} dead letter(s), e.g. from {t['lost_sources']}; "
            f"{t['lost_normalized_not_routed']} of the tickets reached tickets.normalized. "
            f"Logs: {result['logs']}")
        assert t["distinct_routed"] == t["expected_tickets"]
    assert result["lost"] == 0
    assert result["lost_by_trial"] == [0, 0]
