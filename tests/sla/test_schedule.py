from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sla.schedule import DeadlineIndex

T0 = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
S = timedelta(seconds=1)
ALL = {0, 1, 2}


def test_empty_index() -> None:
    index = DeadlineIndex()
    assert len(index) == 0
    assert index.next_at() is None
    assert index.pop_due(T0 + 1000 * S, ALL) == {}


def test_pops_in_deadline_order_up_to_now() -> None:
    index = DeadlineIndex()
    index.set("c", 0, T0 + 30 * S)
    index.set("a", 0, T0 + 10 * S)
    index.set("b", 0, T0 + 20 * S)
    assert len(index) == 3
    assert index.next_at() == T0 + 10 * S
    assert index.pop_due(T0 + 9 * S, ALL) == {}
    assert index.pop_due(T0 + 20 * S, ALL) == {0: ["a", "b"]}  # due at `now` included
    assert len(index) == 1
    assert index.next_at() == T0 + 30 * S
    assert index.pop_due(T0 + 20 * S, ALL) == {}  # popped tickets left the index
    assert index.pop_due(T0 + 31 * S, ALL) == {0: ["c"]}
    assert len(index) == 0 and index.next_at() is None


def test_a_new_wish_replaces_the_old_one() -> None:
    index = DeadlineIndex()
    index.set("a", 0, T0 + 10 * S)
    index.set("a", 0, T0 + 50 * S)  # later
    assert len(index) == 1
    assert index.next_at() == T0 + 50 * S  # the stale entry is not reported
    assert index.pop_due(T0 + 49 * S, ALL) == {}
    assert index.pop_due(T0 + 50 * S, ALL) == {0: ["a"]}

    index.set("b", 0, T0 + 50 * S)
    index.set("b", 0, T0 + 20 * S)  # earlier
    assert index.next_at() == T0 + 20 * S
    assert index.pop_due(T0 + 20 * S, ALL) == {0: ["b"]}
    assert index.pop_due(T0 + 60 * S, ALL) == {}  # its old entry does not fire again
    assert len(index) == 0


def test_same_wish_twice_fires_once() -> None:
    index = DeadlineIndex()
    index.set("a", 1, T0)
    index.set("a", 1, T0)
    assert len(index) == 1
    assert index.pop_due(T0, ALL) == {1: ["a"]}
    assert index.pop_due(T0 + 100 * S, ALL) == {}


def test_set_none_removes() -> None:
    index = DeadlineIndex()
    index.set("a", 0, T0 + 10 * S)
    index.set("b", 0, T0 + 20 * S)
    index.set("a", 0, None)
    index.set("zzz", 0, None)  # unknown: no-op
    assert len(index) == 1
    assert index.next_at() == T0 + 20 * S
    assert index.pop_due(T0 + 100 * S, ALL) == {0: ["b"]}


def test_stale_entries_are_skipped_after_remove_and_set_again() -> None:
    index = DeadlineIndex()
    index.set("a", 0, T0 + 10 * S)
    index.set("a", 0, None)
    index.set("a", 0, T0 + 30 * S)
    assert index.pop_due(T0 + 10 * S, ALL) == {}
    assert index.next_at() == T0 + 30 * S
    assert index.pop_due(T0 + 30 * S, ALL) == {0: ["a"]}


def test_pop_due_groups_by_partition_and_drops_unowned() -> None:
    index = DeadlineIndex()
    index.set("a", 0, T0 + 1 * S)
    index.set("b", 1, T0 + 2 * S)
    index.set("c", 2, T0 + 3 * S)
    index.set("d", 1, T0 + 4 * S)
    index.set("e", 2, T0 + 99 * S)  # not due yet
    assert index.pop_due(T0 + 10 * S, {0, 1}) == {0: ["a"], 1: ["b", "d"]}
    # the unowned partition's due ticket left the index too; the one not yet due stays
    assert len(index) == 1
    assert index.pop_due(T0 + 10 * S, ALL) == {}
    assert index.pop_due(T0 + 99 * S, {2}) == {2: ["e"]}


def test_moving_a_ticket_to_another_partition() -> None:
    index = DeadlineIndex()
    index.set("a", 0, T0)
    index.set("a", 1, T0)
    assert len(index) == 1
    assert index.pop_due(T0, ALL) == {1: ["a"]}
    assert index.pop_due(T0, ALL) == {}


def test_rebuild_replaces_everything() -> None:
    index = DeadlineIndex()
    index.set("old", 0, T0)
    index.rebuild([("x", 1, T0 + 20 * S), ("y", 0, T0 + 10 * S), ("z", 2, None)])
    assert len(index) == 2
    assert index.next_at() == T0 + 10 * S
    assert index.pop_due(T0 + 15 * S, ALL) == {0: ["y"]}  # "old" is gone
    index.set("x", 1, T0 + 40 * S)  # works as usual after a rebuild
    assert index.pop_due(T0 + 30 * S, ALL) == {}
    assert index.pop_due(T0 + 40 * S, ALL) == {1: ["x"]}
    index.rebuild([])
    assert len(index) == 0 and index.next_at() is None


def test_superseded_wishes_do_not_pile_up() -> None:
    """Every ticket changes its wake-up several times; the heap keeps the current wishes, not
    every wish ever made."""
    from datetime import UTC, datetime, timedelta

    from sla.schedule import DeadlineIndex

    index = DeadlineIndex()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(20_000):
        ticket = f"t{i}"
        index.set(ticket, 0, start + timedelta(hours=4))  # a warning far ahead
        index.set(ticket, 0, start + timedelta(hours=5))  # moved by a reply
        index.set(ticket, 0, None)  # solved and forgotten
    assert len(index) == 0
    assert len(index._heap) <= 1024 + 2
    index.set("last", 1, start)
    assert index.pop_due(start, {1}) == {1: ["last"]}
