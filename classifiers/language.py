"""Language detection with py3langid, restricted to the languages the shop serves.

py3langid (a maintained fork of langid.py) ships its model inside the package, needs only NumPy,
and restricting it to our languages makes short messages far more reliable than an open set.

:func:`detect_languages` gives the same answers for a whole batch at once: py3langid walks its
byte automaton in a Python loop and scores each text with a dozen small NumPy calls (≈ 50 µs a
ticket, the pipeline's largest single cost under a backlog); the batch walks every text's
automaton a byte position at a time as NumPy vectors and scores all texts in one pass (≈ 15 µs a
ticket in batches of 500). It reads the model's arrays, so the py3langid version is pinned and
``tests/classifiers/test_language.py`` checks it against ``classify`` text by text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

SUPPORTED_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")
UNDETERMINED = "und"
# Below this many letters a guess is noise ("ok", "?", "thx"): say so instead of guessing.
_MIN_LETTERS = 8
_MIN_CONFIDENCE = 0.5
# Word characters that are not digits or "_": letters (as str.isalpha() says, bar a few
# numeric symbols such as "½"), found by the regex engine instead of a Python loop per character.
_LETTER = re.compile(r"[^\W\d_]")


def _enough_letters(text: str) -> bool:
    """At least _MIN_LETTERS letters; stops looking once they are found."""
    found = itertools.islice(_LETTER.finditer(text), _MIN_LETTERS)
    return sum(1 for _ in found) >= _MIN_LETTERS


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # Loaded on first use, not at import: the model takes ~100 ms to read.
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(SUPPORTED_LANGUAGES))
    return identifier


def detect_language(text: str) -> tuple[str, float]:
    """``(iso_639_1, confidence)``; ``('und', confidence)`` when too short or unsure."""
    if not _enough_letters(text):
        return UNDETERMINED, 0.0
    return _answer(*_identifier().classify(text))


def _answer(language: Any, probability: float) -> tuple[str, float]:
    """The model's best language and its probability as we report them: rounded, ``und``
    when unsure."""
    confidence = round(float(probability), 4)
    if confidence < _MIN_CONFIDENCE:
        return UNDETERMINED, confidence
    return str(language), confidence


def detect_languages(texts: Sequence[str]) -> list[tuple[str, float]]:
    """:func:`detect_language` of each text, computed for the batch at once."""
    results = [(UNDETERMINED, 0.0)] * len(texts)
    todo = [i for i, text in enumerate(texts) if _enough_letters(text)]
    if not todo:
        return results
    identifier = _identifier()
    probabilities = _batch_scorer().probabilities([identifier._encode(texts[i]) for i in todo])
    best = probabilities.argmax(axis=1)
    confidences = probabilities[np.arange(len(todo)), best].tolist()
    labels = identifier.nb_classes
    for i, label, probability in zip(todo, best.tolist(), confidences, strict=True):
        results[i] = _answer(labels[label], probability)
    return results


@lru_cache(maxsize=1)
def _batch_scorer() -> _BatchScorer:
    return _BatchScorer(_identifier())


class _BatchScorer:
    """py3langid's ``LanguageIdentifier._decide`` (with ``norm_probs``) for many encoded texts.

    The model is a byte automaton whose states may emit a feature, and a naive Bayes table
    (feature × language log-probabilities). Per text: walk the automaton over its bytes, count
    the features emitted, score ``log1p(count) @ table + prior``, divide by √bytes, softmax.
    """

    # Below this many texts still running, a NumPy step (a few µs whatever its width) costs more
    # than walking the rest of each text in Python (≈ 0.2 µs a byte).
    MIN_VECTOR_WIDTH = 48

    def __init__(self, identifier: Any) -> None:
        if getattr(identifier, "_alias_pairs", None):  # none among SUPPORTED_LANGUAGES
            raise ValueError("the batch scorer does not merge aliased language columns")
        # zero-copy views of the automaton (9.8 M transitions: a copy would cost 39 MB)
        self._next = np.frombuffer(identifier.tk_nextmove, dtype=np.uint32)
        self._row_base = np.frombuffer(identifier.tk_row, dtype=np.uint16).astype(np.uint32) << 8
        self._emits = np.asarray(identifier.tk_output, dtype=np.int64)
        self._next_list, self._row_base_list = identifier.tk_nextmove, identifier._rowbase
        self._emits_list = identifier.tk_output
        self._table = np.ascontiguousarray(identifier.nb_ptc, dtype=np.float32)
        self._prior = np.asarray(identifier.nb_pc, dtype=np.float32)
        if self._emits[0] >= 0:  # the padding below relies on the start state emitting nothing
            raise ValueError("the language model's start state emits a feature")

    def probabilities(self, encoded: Sequence[bytes]) -> np.ndarray:
        """One row of language probabilities (``identifier.nb_classes`` order) per text."""
        n = len(encoded)
        lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=n)
        order = np.argsort(-lengths, kind="stable")  # longest first: the running texts are a prefix
        by_length = lengths[order]
        steps = int(by_length[self.MIN_VECTOR_WIDTH - 1]) if n >= self.MIN_VECTOR_WIDTH else 0
        texts: list[np.ndarray] = []
        features: list[np.ndarray] = []
        last = np.zeros(n, dtype=np.uint32)
        if steps:
            last = self._walk_together(encoded, order, by_length, steps, texts, features)
        for rank in range(n):  # the few texts longer than the shared walk, one by one
            if int(by_length[rank]) <= steps:
                break
            found = self._walk_one(encoded[order[rank]][steps:], int(last[rank]))
            if found:
                texts.append(np.full(len(found), rank, dtype=np.int64))
                features.append(np.asarray(found, dtype=np.int64))
        scores = np.zeros((n, self._prior.size), dtype=np.float32)  # no feature: uniform
        if texts:
            width = self._table.shape[0]
            keys, counts = np.unique(np.concatenate(texts) * width + np.concatenate(features),
                                     return_counts=True)  # sorted by text, then feature
            ranks = keys // width
            weighted = np.log1p(counts.astype(np.float32))[:, None] * self._table[keys % width]
            starts = np.flatnonzero(np.r_[True, ranks[1:] != ranks[:-1]])
            scores[order[ranks[starts]]] = np.add.reduceat(weighted, starts) + self._prior
        # py3langid's temperature: √bytes keeps the softmax calibrated across lengths
        scores *= (1.0 / np.sqrt(np.maximum(lengths, 1))).astype(np.float32)[:, None]
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def _walk_together(self, encoded: Sequence[bytes], order: np.ndarray, by_length: np.ndarray,
                       steps: int, texts: list[np.ndarray], features: list[np.ndarray]
                       ) -> np.ndarray:
        """The first ``steps`` bytes of every text, one byte position at a time for all texts
        still running; the emitted (rank, feature) pairs go to ``texts``/``features``. Returns
        each text's state after ``steps`` bytes (0 for texts that ended before)."""
        n = len(encoded)
        grid = np.zeros((steps, n), dtype=np.uint8)
        for rank in range(n):
            size = min(int(by_length[rank]), steps)
            if size == 0:
                break
            grid[:size, rank] = np.frombuffer(encoded[order[rank]], dtype=np.uint8, count=size)
        running = np.searchsorted(-by_length, -np.arange(steps), side="left")
        # a text that has ended stays in state 0 (the start state, which emits nothing)
        states = np.zeros((steps, n), dtype=np.uint32)
        before = np.zeros(n, dtype=np.uint32)
        for t in range(steps):
            k = int(running[t])
            np.take(self._next, np.add(self._row_base[before[:k]], grid[t, :k], dtype=np.uint32),
                    out=states[t, :k])
            before = states[t]
        emitted = self._emits[states]
        at, ranks = np.nonzero(emitted >= 0)
        texts.append(ranks.astype(np.int64))
        features.append(emitted[at, ranks])
        return states[steps - 1]

    def _walk_one(self, data: bytes, state: int) -> list[int]:
        """py3langid's ``visit_counts`` loop, from ``state``: the features emitted."""
        nxt, base, emits = self._next_list, self._row_base_list, self._emits_list
        found: list[int] = []
        for byte in data:
            state = nxt[base[state] + byte]
            feature = emits[state]
            if feature >= 0:
                found.append(feature)
        return found
