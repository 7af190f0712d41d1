"""A routed batch's reply suggestions as records and counts (streams/replies_batch.py), and the
same from the pipeline's child process."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from core.settings import Settings
from replies import Replies
from replies.config import DEFAULT_CONFIG_PATH
from schemas.replies import ReplySuggestion
from schemas.routing import RoutedTicket
from sinks.kafka import encode
from sla.policies import load_policies
from streams.metrics import PipelineMetrics, RepliesMetrics
from streams.pipeline_process import ProcessRunner, ThreadRunner
from streams.replies_batch import none_suggested, suggest_encoded, suggest_from_json
from tests.replies.conftest import order, routed

from ..conftest import FIXED_NOW
from .test_pipeline_process import small_pipeline


@pytest.fixture(scope="module")
def replies() -> Replies:
    return Replies.load(DEFAULT_CONFIG_PATH, load_policies())


WHERE, PLAIN, AGAIN = "tk_" + "a" * 24, "tk_" + "b" * 24, "tk_" + "c" * 24


def batch() -> list[RoutedTicket]:
    """A question with an order to answer from, a plain one, and a re-route (no suggestion)."""
    where = routed(ticket_id=WHERE, classification__intent="order_status",
                   **order(status="shipped", carrier="DHL", tracking_number="00340434161094015902"))
    plain = routed(ticket_id=PLAIN)
    again = routed(ticket_id=AGAIN)
    return [where, plain, again.model_copy(update={"attempt": 2})]


def test_first_routings_get_their_suggestion_encoded_and_counted(replies: Replies) -> None:
    routed_batch = batch()
    out = suggest_encoded(replies, routed_batch)
    expected = [replies.suggest(r) for r in routed_batch[:2]]
    assert [(key, ReplySuggestion.model_validate_json(value), part)
            for key, value, part in out.items] == [
        (s.ticket_id.encode(), s, None) for s in expected]
    assert out.failed == []
    assert out.by_channel == {"webform": 2}
    assert out.answered == {"order_status": 1}  # the shipped order's tracking
    assert out.auto_send == {"answer": 1, "acknowledgement": 1}
    # what the metrics count of it
    registry = CollectorRegistry()
    RepliesMetrics(registry).observe(out)
    assert registry.get_sample_value("ticketflow_replies_suggested_total",
                                     {"channel": "webform"}) == 2
    assert registry.get_sample_value("ticketflow_replies_failed_total") == 0


def test_from_json_is_the_same_as_from_the_tickets(replies: Replies) -> None:
    routed_batch = batch()
    assert suggest_from_json(replies, [encode(r) for r in routed_batch]) == suggest_encoded(
        replies, routed_batch)


def test_a_suggestion_that_fails_leaves_the_ticket_listed_not_lost(replies: Replies) -> None:
    class Broken(Replies):
        def suggest(self, routed: RoutedTicket) -> ReplySuggestion:
            if routed.ticket.ticket_id == PLAIN:
                raise ValueError("a template bug")
            return super().suggest(routed)

    broken = Broken(replies.config, replies.templates, replies.policies)
    out = suggest_encoded(broken, batch())
    assert [key for key, _, _ in out.items] == [WHERE.encode()]
    assert out.failed == [(PLAIN, "ValueError: a template bug")]
    registry = CollectorRegistry()
    RepliesMetrics(registry).observe(out)
    assert registry.get_sample_value("ticketflow_replies_failed_total") == 1
    assert none_suggested(batch(), "why").failed == [(WHERE, "why"), (PLAIN, "why")]


def test_the_child_suggests_what_the_thread_suggests_even_after_it_died(
    tmp_path: Path, replies: Replies,
) -> None:
    settings = Settings(data_dir=tmp_path)
    registry = CollectorRegistry()
    runner = ProcessRunner(small_pipeline, settings, registry, lambda: FIXED_NOW,
                           PipelineMetrics(registry).process_restarts)
    runner.start()
    thread = ThreadRunner(small_pipeline(settings, CollectorRegistry()),
                          Replies.from_settings(settings))
    try:
        routed_batch = batch()
        encoded = [encode(r) for r in routed_batch]
        in_thread = asyncio.run(thread.suggest(routed_batch, encoded))
        assert len(in_thread.items) == 2
        assert asyncio.run(runner.suggest(routed_batch, encoded)) == in_thread
        assert runner.pid is not None
        os.kill(runner.pid, signal.SIGKILL)  # a new child renders them
        assert asyncio.run(runner.suggest(routed_batch, encoded)) == in_thread
        assert registry.get_sample_value("ticketflow_pipeline_process_restarts_total") == 1
    finally:
        runner.close()
        thread.close()
