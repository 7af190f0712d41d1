"""Labelled text files: the bundled corpus, a shop's own history (CSV or JSONL with ``text`` and
``intent``, as help desks export it), and evaluation sets with a label map."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.errors import TicketflowError
from schemas.classification import Intent

TEXT_COLUMNS = ("text", "utterance", "message", "body")
LABEL_COLUMNS = ("intent", "label")


class DatasetError(TicketflowError):
    """A labelled data file cannot be read or uses labels we do not know."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    intent: str


def _pick(columns: Sequence[str], wanted: Sequence[str], what: str, path: Path) -> str:
    lowered = {c.lower().strip(): c for c in columns}
    for name in wanted:
        if name in lowered:
            return lowered[name]
    raise DatasetError(
        f"{path}: no {what} column; expected one of {', '.join(wanted)} (found: "
        f"{', '.join(columns) or 'none'})."
    )


def read_rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise DatasetError(f"{path}: no such file.")
    try:
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            rows = []
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise DatasetError(f"{path}:{number}: not JSON ({exc.msg}).") from exc
            return rows
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 text; export it as UTF-8.") from exc


def load_label_map(path: Path) -> dict[str, str]:
    """A two-column CSV: source label → ticketflow intent (header row required)."""
    rows = read_rows(path)
    if not rows:
        return {}
    source, target = list(rows[0])[:2]
    mapping = {row[source].strip(): row[target].strip() for row in rows}
    unknown = sorted(set(mapping.values()) - {i.value for i in Intent})
    if unknown:
        raise DatasetError(f"{path}: maps onto unknown intents {unknown}.")
    return mapping


def load_examples(
    path: Path, label_map: dict[str, str] | None = None
) -> tuple[list[Example], int]:
    """Examples whose label is (or maps onto) a ticketflow intent, and how many rows were
    skipped because their label has no counterpart in the map."""
    rows = read_rows(path)
    if not rows:
        raise DatasetError(f"{path}: no rows.")
    text_col = _pick(list(rows[0]), TEXT_COLUMNS, "text", path)
    label_col = _pick(list(rows[0]), LABEL_COLUMNS, "label", path)
    known = {i.value for i in Intent}
    examples: list[Example] = []
    skipped = 0
    unknown: set[str] = set()
    for row in rows:
        text, label = str(row.get(text_col) or "").strip(), str(row.get(label_col) or "").strip()
        if label_map is not None:
            if label not in label_map:
                skipped += 1
                continue
            label = label_map[label]
        if label not in known:
            unknown.add(label)
            continue
        if text:
            examples.append(Example(text, label))
    if unknown:
        raise DatasetError(
            f"{path}: unknown intent label(s) {sorted(unknown)[:10]}; use the ticketflow labels "
            f"({', '.join(sorted(known))}) or pass a label map (--map)."
        )
    return examples, skipped


def fingerprint(examples: Iterable[Example]) -> str:
    digest = hashlib.sha256()
    for example in examples:
        digest.update(f"{example.intent}\x1f{example.text}\x1e".encode())
    return digest.hexdigest()
