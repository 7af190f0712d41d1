"""Answers before agents (issue 16): for every routed ticket an acknowledgement with the
promised first-reply time, and where the order facts answer the question, a factual answer —
from templates the shop owns, in the customer's language, fit for the channel.

    replies = Replies.from_settings(settings)           # or Replies.load(path, policies, …)
    suggestion = replies.suggest(routed)                 # pure: every time from the record
    report = ReplayReport().add_all(replies.suggest_batch(batch))

The stage is pure (no I/O after loading, no clock of its own); the worker wiring publishes
``ReplySuggestion`` records on ``replies.suggested``.
"""

from __future__ import annotations

from replies.config import DEFAULT_CONFIG_PATH, RepliesConfig, load_config, parse_config
from replies.errors import Problem, RepliesError
from replies.replay import ReplayReport, replay
from replies.suggest import Replies
from replies.templates import KINDS, VARIABLES, Templates

DEFAULT_TESTS_PATH = DEFAULT_CONFIG_PATH.with_name("demo-shop.tests.yaml")

__all__ = [
    "DEFAULT_CONFIG_PATH",
    "DEFAULT_TESTS_PATH",
    "KINDS",
    "VARIABLES",
    "Problem",
    "ReplayReport",
    "Replies",
    "RepliesConfig",
    "RepliesError",
    "Templates",
    "load_config",
    "parse_config",
    "replay",
]
