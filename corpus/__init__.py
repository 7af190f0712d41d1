"""The sample inbound corpus: raw customer messages from every channel, in providers' formats.

``inbound/<channel>/`` holds clean messages; ``inbound/<channel>/broken/`` holds deliberately bad
payloads named ``<error_code>--<slug>.<ext>``. ``manifest.json`` describes every file (channel,
sender, language, intent, expected error, expected ticket count) and ``customers.json`` is the
customer roster the senders come from. Both are written by ``python -m corpus.generate``.
Nothing is read at import time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORPUS_DIR = Path(__file__).resolve().parent
INBOUND_DIR = CORPUS_DIR / "inbound"
MANIFEST_PATH = CORPUS_DIR / "manifest.json"
CUSTOMERS_PATH = CORPUS_DIR / "customers.json"

__all__ = [
    "CORPUS_DIR",
    "CUSTOMERS_PATH",
    "INBOUND_DIR",
    "MANIFEST_PATH",
    "CorpusFile",
    "iter_files",
    "load_customers",
    "load_manifest",
]


@dataclass(frozen=True)
class CorpusFile:
    """One raw payload of the corpus and what the normalizer should make of it."""

    channel: str
    path: Path
    expected_error: str | None
    expected_tickets: int
    intent: str | None
    language: str | None
    customer_id: str | None

    @property
    def broken(self) -> bool:
        return self.expected_error is not None

    @property
    def relative_path(self) -> str:
        """The path relative to ``INBOUND_DIR``, as written in the manifest."""
        return self.path.relative_to(INBOUND_DIR).as_posix()

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


def load_manifest() -> list[CorpusFile]:
    """Every corpus file, in manifest order (sorted by path)."""
    entries: list[dict[str, Any]] = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    return [
        CorpusFile(
            channel=entry["channel"],
            path=INBOUND_DIR / entry["path"],
            expected_error=entry["expected_error"],
            expected_tickets=entry["expected_tickets"],
            intent=entry["intent"],
            language=entry["language"],
            customer_id=entry["customer_id"],
        )
        for entry in entries
    ]


def iter_files(channel: str | None = None) -> Iterator[CorpusFile]:
    """The corpus files of one channel, or of all channels when ``channel`` is None."""
    for item in load_manifest():
        if channel is None or item.channel == channel:
            yield item


def load_customers() -> list[dict[str, Any]]:
    """The customer roster: identities per channel, preferred language and orders."""
    customers: list[dict[str, Any]] = json.loads(CUSTOMERS_PATH.read_text(encoding="utf-8"))
    return customers
