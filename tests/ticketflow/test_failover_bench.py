"""The pure parts of ``ticketflow bench failover``: trial plans, expected ids, counting."""

from __future__ import annotations

import json

import pytest

import corpus
from channels.base import RawRecord
from channels.dispatch import deadletter_id_for
from schemas import Source
from streams.topics import TICKETS_DEADLETTER, TICKETS_NORMALIZED, TICKETS_ROUTED, inbound_topic
from ticketflow.failover_bench import (
    Expected,
    Tally,
    count_trial,
    expected_outputs,
    plan_trials,
    summarize,
)

from ..conftest import FIXED_NOW


def routed(ticket_id: str, attempt: int = 1) -> bytes:
    return json.dumps({"ticket": {"ticket_id": ticket_id}, "attempt": attempt}).encode()


# --- plans


def test_alternate_starts_with_restart_and_alternates() -> None:
    plans = plan_trials(5, seed=3)
    assert [p.shape for p in plans] == ["restart", "survivor", "restart", "survivor", "restart"]
    assert [p.index for p in plans] == [1, 2, 3, 4, 5]


def test_plans_are_reproducible_from_the_seed() -> None:
    assert plan_trials(20, seed=7, shapes="random") == plan_trials(20, seed=7, shapes="random")
    assert plan_trials(20, seed=7) != plan_trials(20, seed=8)


def test_kill_delays_lie_within_the_window_and_vary() -> None:
    plans = plan_trials(200, seed=1, max_kill_delay_s=2.0)
    delays = [p.kill_after_s for p in plans]
    assert all(0.0 <= d <= 2.0 for d in delays)
    assert len(set(delays)) > 100


def test_random_shapes_draw_both_and_a_named_shape_runs_alone() -> None:
    assert {p.shape for p in plan_trials(50, seed=2, shapes="random")} == {"restart", "survivor"}
    assert {p.shape for p in plan_trials(6, seed=2, shapes="survivor")} == {"survivor"}


def test_the_victim_is_either_worker_of_a_survivor_trial_and_the_only_one_otherwise() -> None:
    plans = plan_trials(100, seed=4)
    assert {p.victim for p in plans if p.shape == "survivor"} == {0, 1}
    assert {p.victim for p in plans if p.shape == "restart"} == {0}


# --- expected ids


@pytest.fixture(scope="module")
def sample() -> list[corpus.CorpusFile]:
    files = corpus.load_manifest()
    clean = [f for f in files if not f.expected_error]
    broken = [f for f in files if f.expected_error]
    multi = [f for f in clean if f.expected_tickets > 1]
    return [clean[0], clean[1], multi[0], broken[0], broken[1]]


def test_expected_outputs_match_the_manifest(sample: list[corpus.CorpusFile]) -> None:
    sources = [Source(topic=inbound_topic(f.channel), partition=i % 2, offset=10 + i, key=None)
               for i, f in enumerate(sample)]
    expected = expected_outputs(
        ((f.channel, f.read_bytes(), s) for f, s in zip(sample, sources, strict=True)), 1_000_000)
    assert len(expected.tickets) == sum(f.expected_tickets for f in sample if not f.broken)
    assert all(t.startswith("tk_") for t in expected.tickets)
    # a dead letter is identified by where its record landed
    broken = [(f, s) for f, s in zip(sample, sources, strict=True) if f.broken]
    assert set(expected.deadletters) == {
        deadletter_id_for(RawRecord(f.channel, f.read_bytes(), s, FIXED_NOW)) for f, s in broken}
    assert set(expected.deadletters.values()) == {
        f"{s.topic}/{s.partition}@{s.offset}" for _, s in broken}


def test_ticket_ids_do_not_depend_on_where_the_record_landed(
    sample: list[corpus.CorpusFile],
) -> None:
    def ids(offset: int) -> set[str]:
        src = Source(topic=inbound_topic(sample[0].channel), partition=3, offset=offset, key=None)
        return set(expected_outputs([(sample[0].channel, sample[0].read_bytes(), src)],
                                    1_000_000).tickets)

    assert ids(1) == ids(999)


def test_an_oversized_payload_is_expected_as_a_dead_letter(
    sample: list[corpus.CorpusFile],
) -> None:
    src = Source(topic=inbound_topic(sample[0].channel), partition=0, offset=0, key=None)
    expected = expected_outputs([(sample[0].channel, sample[0].read_bytes(), src)], 10)
    assert not expected.tickets
    assert len(expected.deadletters) == 1


# --- counting


EXPECTED = Expected(tickets={"tk_a": "inbound.email/0@1", "tk_b": "inbound.email/0@2",
                             "tk_c": "inbound.chat/1@0"},
                    deadletters={"dl_x": "inbound.sms/2@5"})


def test_nothing_lost_when_every_id_came_out_duplicates_counted() -> None:
    tally = Tally()
    for ticket_id in ("tk_a", "tk_b", "tk_c", "tk_a", "tk_a"):
        tally.add(TICKETS_ROUTED.name, routed(ticket_id))
    tally.add(TICKETS_DEADLETTER.name, json.dumps({"deadletter_id": "dl_x"}).encode())
    result = count_trial(EXPECTED, tally)
    assert result["lost"] == 0
    assert result["lost_sources"] == []
    assert (result["routed_messages"], result["distinct_routed"]) == (5, 3)
    assert tally.seen_expected(EXPECTED) == 4


def test_lost_is_expected_minus_seen_and_says_where() -> None:
    tally = Tally()
    tally.add(TICKETS_ROUTED.name, routed("tk_a"))
    tally.add(TICKETS_NORMALIZED.name, json.dumps({"ticket_id": "tk_b"}).encode())
    result = count_trial(EXPECTED, tally)
    assert (result["lost"], result["lost_tickets"], result["lost_deadletters"]) == (3, 2, 1)
    assert result["lost_normalized_not_routed"] == 1  # tk_b stopped after normalization
    assert result["lost_sources"] == ["inbound.chat/1@0", "inbound.email/0@2", "inbound.sms/2@5"]


def test_foreign_ids_re_routes_and_garbage_are_not_counted() -> None:
    tally = Tally()
    assert tally.add(TICKETS_ROUTED.name, routed("tk_other")) == "tk_other"
    assert tally.add(TICKETS_ROUTED.name, routed("tk_a", attempt=2)) is None
    assert tally.add(TICKETS_ROUTED.name, b"not json") is None
    assert tally.add(TICKETS_DEADLETTER.name, b"{}") is None
    result = count_trial(EXPECTED, tally)
    assert result["lost"] == 4
    assert (result["routed_messages"], result["distinct_routed"]) == (0, 0)


def test_with_sources_set_only_outputs_of_those_records_count() -> None:
    # tests share one broker and publish the same files: same ids, other coordinates
    tally = Tally()
    tally.count_from([("inbound.email", 0, 1)])
    tally.count_from([("inbound.sms", 2, 5)])  # added to, not replacing, the first

    def at(topic: str, partition: int, offset: int) -> dict[str, object]:
        return {"topic": topic, "partition": partition, "offset": offset, "key": None}

    def routed_from(ticket_id: str, source: dict[str, object]) -> bytes:
        return json.dumps({"ticket": {"ticket_id": ticket_id, "source": source}}).encode()

    assert tally.add(TICKETS_ROUTED.name, routed_from("tk_a", at("inbound.email", 0, 1))) == "tk_a"
    assert tally.add(TICKETS_ROUTED.name, routed_from("tk_b", at("inbound.email", 3, 1))) is None
    assert tally.add(TICKETS_DEADLETTER.name, json.dumps(
        {"deadletter_id": "dl_x", "source": at("inbound.sms", 2, 6)}).encode()) is None
    assert tally.add(TICKETS_NORMALIZED.name, json.dumps(
        {"ticket_id": "tk_c", "source": at("inbound.chat", 1, 0)}).encode()) is None
    assert tally.add(TICKETS_ROUTED.name, routed("tk_c")) is None  # no source: not ours
    assert (dict(tally.routed_messages), tally.deadletters, tally.normalized) == (
        {"tk_a": 1}, set(), set())
    assert tally.add(TICKETS_DEADLETTER.name, json.dumps(
        {"deadletter_id": "dl_x", "source": at("inbound.sms", 2, 5)}).encode()) == "dl_x"


def trial(index: int, shape: str, lost: int, messages: int, distinct: int,
          self_exits: int = 0, out_at_kill: int | None = 386) -> dict[str, object]:
    return {"trial": index, "shape": shape, "lost": lost, "routed_messages": messages,
            "distinct_routed": distinct, "self_exits": self_exits, "out_at_kill": out_at_kill,
            "expected_tickets": 357, "expected_deadletters": 29}


def test_summary_totals_over_trials() -> None:
    trials = [trial(1, "restart", 0, 400, 357), trial(2, "survivor", 8, 349, 349, 1, 100),
              trial(3, "restart", 0, 357, 357, 0, 385), trial(4, "restart", 0, 1, 1, 0, None)]
    summary = summarize(trials, 123.45, seed=9)
    assert summary["trials"] == 4
    assert summary["lost"] == 8
    assert summary["lost_by_trial"] == [0, 8, 0, 0]
    assert summary["trials_with_loss"] == 1
    assert summary["duplicate_ratio"] == round(1107 / 1064, 4)
    assert summary["killed_mid_corpus"] == 2  # not trial 1 (all out), nor 4 (no kill)
    assert summary["seconds"] == round(123.45, 1)
    assert summary["self_exits"] == 1
    assert summary["by_shape"] == {"restart": {"trials": 3, "lost": 0, "trials_with_loss": 0},
                                   "survivor": {"trials": 1, "lost": 8, "trials_with_loss": 1}}
    assert summary["seed"] == 9
    assert summary["trial_results"] == trials


def test_summary_of_nothing_routed_has_no_ratio() -> None:
    assert summarize([trial(1, "restart", 386, 0, 0)], 1.0)["duplicate_ratio"] is None


# --- the command


def test_the_command_is_in_the_bench_group_with_its_options() -> None:
    from click.testing import CliRunner

    from ticketflow.cli import cli

    result = CliRunner().invoke(cli, ["bench", "failover", "--help"], env={})
    assert result.exit_code == 0, result.output
    for option in ("--trials", "--shapes", "--seed", "--quiet", "--json", "--bootstrap"):
        assert option in result.output
    bad = CliRunner().invoke(cli, ["bench", "failover", "--shapes", "sometimes"], env={})
    assert bad.exit_code == 2
