"""``Copyable.model_copy`` gives what pydantic's own ``BaseModel.model_copy`` gives."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from schemas import Ticket
from schemas.common import Copyable
from sla.clock import open_clocks
from sla.policies import load_policies
from tests.enrichment.helpers import ticket

AT = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def clock_state() -> Any:
    policies = load_policies()  # the shipped ones
    states, _ = open_clocks("T1", "email", "P2", policies.get(policies.default_policy), AT)
    return states[0]


def same_copy(got: BaseModel, want: BaseModel) -> None:
    assert type(got) is type(want)
    assert got == want
    assert got.model_fields_set == want.model_fields_set
    assert got.__dict__ == want.__dict__
    assert got.__pydantic_extra__ == want.__pydantic_extra__
    assert got.__pydantic_private__ == want.__pydantic_private__
    assert got.model_dump_json() == want.model_dump_json()


@pytest.mark.parametrize("update", [None, {}, {"status": "paused", "cycle": 7}])
def test_a_clock_state_copy_is_pydantics(update: dict[str, Any] | None) -> None:
    state = clock_state()
    before = state.model_dump_json()
    got = state.model_copy(update=update)
    same_copy(got, BaseModel.model_copy(state, update=update))
    assert got is not state and got.__dict__ is not state.__dict__
    assert got.model_fields_set is not state.model_fields_set
    assert state.model_dump_json() == before  # the original is untouched
    if update:
        assert (got.status, got.cycle) == ("paused", 7)
        assert {"status", "cycle"} <= got.model_fields_set


def test_a_ticket_copy_is_pydantics_and_stays_frozen_and_shallow() -> None:
    t = ticket()
    update = {"language": "de"}
    got = t.model_copy(update=update)
    same_copy(got, BaseModel.model_copy(t, update=update))
    assert got.thread is t.thread  # shallow, as pydantic's
    with pytest.raises(ValidationError):
        got.language = "fr"  # type: ignore[misc]
    assert Ticket.model_validate_json(got.model_dump_json()) == got


def test_deep_copies_and_private_attributes_are_pydantics() -> None:
    t = ticket()
    deep = t.model_copy(deep=True)
    assert deep == t and deep.thread is not t.thread

    class WithPrivate(Copyable):
        model_config = ConfigDict(frozen=True)
        name: str
        _cache: dict[str, int] = PrivateAttr(default_factory=dict)

    one = WithPrivate(name="a")
    one._cache["x"] = 1
    got = one.model_copy(update={"name": "b"})
    same_copy(got, BaseModel.model_copy(one, update={"name": "b"}))
    assert got._cache == {"x": 1}


def test_extra_fields_are_pydantics() -> None:
    class Open(Copyable):
        model_config = ConfigDict(extra="allow")
        name: str

    one = Open.model_validate({"name": "a", "more": 1})
    for update in ({"name": "b"}, {"more": 2}, {"other": 3}):
        same_copy(one.model_copy(update=update), BaseModel.model_copy(one, update=update))
