"""``ticketflow classify``: JSON lines in, one JSON line out per input, in batches."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from classifiers.classify import ClassifyInput, classify
from classifiers.intent import IntentModel
from classifiers.language import detect_language

BATCH = 256


def parse_line(line: str) -> ClassifyInput | str:
    """The input, or an error sentence for this line."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"not JSON: {exc.msg}"
    if not isinstance(data, dict):
        return 'expected an object like {"text": "..."}'
    text = data.get("text")
    if text is None:
        parts = [data.get("subject"), data.get("body")]
        text = "\n".join(str(p) for p in parts if p)
    if not isinstance(text, str) or not text.strip():
        return 'no text: give "text", or "subject" and/or "body"'
    language = data.get("language") or detect_language(text)[0]
    return ClassifyInput(text=text, language=language, channel=str(data.get("channel", "email")),
                         customer_segment=data.get("customer_segment"),
                         contacts_24h=data.get("contacts_24h"))


def render(item: ClassifyInput, result: Any) -> dict[str, Any]:
    out: dict[str, Any] = result.model_dump(mode="json")
    out["language"] = item.language
    return out


def run(lines: Iterable[str], model: IntentModel, threshold: float) -> Iterator[str]:
    pending: list[tuple[int, ClassifyInput | str]] = []

    def flush() -> Iterator[str]:
        valid = [p for _, p in pending if isinstance(p, ClassifyInput)]
        results = iter(classify(valid, model, threshold))
        for _, parsed in pending:
            if isinstance(parsed, str):
                yield json.dumps({"error": parsed})
            else:
                yield json.dumps(render(parsed, next(results)), ensure_ascii=False)
        pending.clear()

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        pending.append((number, parse_line(line)))
        if len(pending) >= BATCH:
            yield from flush()
    yield from flush()
