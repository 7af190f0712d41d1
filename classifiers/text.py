"""Text folding shared by the lexicon passes: case-folded, accents stripped, so that "déçue",
"DECUE" and "decue" match the same entry — with a map back to the original characters, so the
evidence we show is the text as the customer wrote it."""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKD", char.casefold())
        for part in folded:
            if unicodedata.combining(part):
                continue
            out.append("'" if part == "’" else part)
            origin.append(index)
    return "".join(out), origin


def fold(text: str) -> str:
    return fold_with_map(text)[0]


def original_span(text: str, origin: list[int], start: int, end: int) -> str:
    """The original text behind folded characters [start, end)."""
    if start >= end or not origin:
        return ""
    return text[origin[start]: origin[end - 1] + 1]
