"""The intent model's character n-gram features, computed with numpy instead of scikit-learn's
per-n-gram Python loop.

scikit-learn's ``char_wb`` analyzer builds every n-gram as a Python string and looks each up in
the vocabulary dict: about 800 strings for a 200-character message, the largest single cost of
classifying a ticket (profiled: ≈10 % of a worker's CPU). Here the n-grams of a whole batch are
hashed at once (a 64-bit polynomial over code points, per window, as numpy array arithmetic) and
found in the sorted hashes of the fitted vocabulary with one ``searchsorted``. The result is the
fitted ``TfidfVectorizer``'s own transform — same n-grams, same vocabulary, same idf, sublinear
tf and l2 norm — up to float rounding in the norm (tests compare both on the corpus).

Only the configuration the model uses is supported (``analyzer="char_wb"``, ``lowercase``,
``strip_accents`` unicode or none, ``sublinear_tf``, l2 norm); :meth:`CharNgrams.from_vectorizer`
returns None for anything else, and the caller keeps scikit-learn's transform. Two vocabulary
entries with the same hash would also make it return None (never seen: 2^-64 per pair).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer, strip_accents_unicode

# An odd 64-bit multiplier; arithmetic wraps modulo 2^64 (numpy uint64), which is the hash.
_P = np.uint64(0x100000001B3)
_LENGTH_SALT = np.uint64(0x9E3779B97F4A7C15)
# scikit-learn's own whitespace rule for char_wb (``_VectorizerMixin._white_spaces``)
_WHITE_SPACES = re.compile(r"\s\s+")


def _hash_text(gram: str) -> int:
    """The hash of one n-gram, as :func:`_window_hashes` computes it for a window."""
    with np.errstate(over="ignore"):
        h = np.uint64(len(gram)) * _LENGTH_SALT
        for ch in gram:
            h = h * _P + np.uint64(ord(ch))
    return int(h)


def _window_hashes(codes: np.ndarray, n: int) -> np.ndarray:
    """Hash of every window ``codes[i:i+n]`` (for i in 0..len-n)."""
    count = len(codes) - n + 1
    with np.errstate(over="ignore"):
        h = np.full(count, np.uint64(n) * _LENGTH_SALT, dtype=np.uint64)
        for k in range(n):
            h = h * _P + codes[k:k + count]
    return h


class CharNgrams:
    """A fitted ``char_wb`` :class:`TfidfVectorizer`'s ``transform``, batched in numpy."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray, ngram_range: tuple[int, int],
                 lowercase: bool, strip_accents: bool) -> None:
        self.min_n, self.max_n = ngram_range
        self.lowercase = lowercase
        self.strip_accents = strip_accents
        self.idf = np.asarray(idf, dtype=np.float64)
        self.n_features = len(self.idf)
        # one sorted hash array per n-gram length: a lookup searches a few thousand entries
        # (tens of kB, in cache) instead of the whole vocabulary
        self._hashes: dict[int, np.ndarray] = {}
        self._columns: dict[int, np.ndarray] = {}
        self.unique = True
        for n in range(self.min_n, self.max_n + 1):
            grams = [(g, c) for g, c in vocabulary.items() if len(g) == n]
            hashes = np.fromiter((_hash_text(g) for g, _ in grams), dtype=np.uint64,
                                 count=len(grams))
            columns = np.fromiter((c for _, c in grams), dtype=np.int64, count=len(grams))
            order = np.argsort(hashes)
            self._hashes[n] = hashes[order]
            self._columns[n] = columns[order]
            self.unique &= bool(len(hashes) == 0 or np.all(np.diff(self._hashes[n]) != 0))

    @classmethod
    def from_vectorizer(cls, vectorizer: Any) -> CharNgrams | None:
        """None when the vectorizer is configured in a way this does not reproduce."""
        if not isinstance(vectorizer, TfidfVectorizer):
            return None
        v = vectorizer
        if (v.analyzer != "char_wb" or v.strip_accents not in (None, "unicode")
                or v.preprocessor is not None or not v.sublinear_tf or v.norm != "l2"
                or not v.use_idf or v.binary or v.dtype is not np.float64
                or v.decode_error != "strict" or not hasattr(v, "vocabulary_")):
            return None
        made = cls(v.vocabulary_, v.idf_, v.ngram_range, v.lowercase,
                   v.strip_accents == "unicode")
        return made if made.unique else None

    def _preprocess(self, text: str) -> str:
        if self.lowercase:
            text = text.lower()
        if self.strip_accents:
            text = strip_accents_unicode(text)
        return _WHITE_SPACES.sub(" ", text)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        n_docs = len(texts)
        # Every padded word " w " of the batch, end to end; per character: its document and
        # how many characters of its word are left from there (a window of n fits if >= n).
        padded: list[str] = []
        words_per_doc = np.zeros(n_docs, dtype=np.int64)
        for i, text in enumerate(texts):
            words = self._preprocess(text).split()
            padded += words
            words_per_doc[i] = len(words)
        if not padded:
            return sp.csr_matrix((n_docs, self.n_features), dtype=np.float64)
        joined = " " + "  ".join(padded) + " "
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        word_lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded)) + 2
        doc_lengths = np.bincount(np.repeat(np.arange(n_docs), words_per_doc),
                                  weights=word_lengths, minlength=n_docs).astype(np.int64)
        starts = np.cumsum(word_lengths) - word_lengths
        # characters left in the word from each position: word length - position in word
        position = np.arange(len(codes), dtype=np.int64) - np.repeat(starts, word_lengths)
        left = np.repeat(word_lengths, word_lengths) - position
        doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), doc_lengths)

        docs: list[np.ndarray] = []
        columns: list[np.ndarray] = []
        for n in range(self.min_n, self.max_n + 1):
            if len(codes) < n:
                break
            hashes = _window_hashes(codes, n)
            fits = left[: len(hashes)] >= n
            hashes = hashes[fits]
            vocab = self._hashes.get(n)
            if vocab is None or len(vocab) == 0:
                continue
            found = np.searchsorted(vocab, hashes)
            found[found == len(vocab)] = 0
            known = vocab[found] == hashes
            columns.append(self._columns[n][found[known]])
            docs.append(doc_of[: len(fits)][fits][known])
        if not docs:
            return sp.csr_matrix((n_docs, self.n_features), dtype=np.float64)
        doc = np.concatenate(docs)
        column = np.concatenate(columns)
        # count (doc, column) pairs: one sort of combined keys
        keys, counts = np.unique(doc * self.n_features + column, return_counts=True)
        rows = keys // self.n_features
        cols = keys % self.n_features
        data = (np.log(counts.astype(np.float64)) + 1.0) * self.idf[cols]
        indptr = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n_docs), out=indptr[1:])
        norms = np.sqrt(np.add.reduceat(data * data, indptr[:-1][np.diff(indptr) > 0]))
        data /= np.repeat(norms, np.diff(indptr)[np.diff(indptr) > 0])
        return sp.csr_matrix((data, cols, indptr), shape=(n_docs, self.n_features))
