"""The intent model: word and character n-gram TF-IDF into a multinomial logistic regression.

Logistic regression is fitted on log-loss, so its probabilities are calibrated well enough to
gate on (we report the held-out expected calibration error in the metadata); word n-grams give
the explanations, character n-grams carry typos and inflections across four languages.
"""

from __future__ import annotations

import itertools
import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline

import core
from classifiers.char_ngrams import CharNgrams
from classifiers.datasets import Example, fingerprint
from schemas.classification import Intent, IntentScore

# Long mails: the opening carries the request; the tail is history and signatures. Bounding the
# text also bounds the cost of a 1 MB message.
MAX_CHARS = 4000
PARAMS: dict[str, Any] = {"C": 30.0, "word_ngrams": (1, 2), "char_ngrams": (2, 5), "seed": 2026}

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class IntentPrediction:
    intent: Intent
    confidence: float
    top: tuple[IntentScore, ...]
    evidence: tuple[str, ...]


def build_pipeline() -> Pipeline:
    return Pipeline([
        ("features", FeatureUnion([
            ("words", TfidfVectorizer(ngram_range=PARAMS["word_ngrams"], sublinear_tf=True,
                                      strip_accents="unicode", lowercase=True)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=PARAMS["char_ngrams"],
                                      sublinear_tf=True, min_df=2, strip_accents="unicode")),
        ])),
        ("model", LogisticRegression(C=PARAMS["C"], max_iter=3000)),
    ])


def prepare(text: str) -> str:
    return text[:MAX_CHARS]


class IntentModel:
    """A fitted pipeline plus what it was trained on. Predicts whole batches at once."""

    def __init__(self, pipeline: Pipeline, metadata: dict[str, Any]) -> None:
        self.pipeline = pipeline
        self.metadata = metadata
        model: LogisticRegression = pipeline.named_steps["model"]
        self.labels = [Intent(label) for label in model.classes_]
        features: FeatureUnion = pipeline.named_steps["features"]
        words: TfidfVectorizer = features.transformer_list[0][1]
        self._words = words
        # the char n-grams in numpy (char_ngrams.py); None keeps scikit-learn's transform
        self._chars = CharNgrams.from_vectorizer(features.transformer_list[1][1])
        self._vocabulary = words.get_feature_names_out()
        self._word_count = len(self._vocabulary)
        # With two labels, logistic regression keeps one row (for the second label); the first
        # label's evidence is the same weights negated.
        coef = model.coef_
        self._coef = np.vstack([-coef, coef]) if coef.shape[0] == 1 else coef

    @property
    def version(self) -> str:
        return str(self.metadata["model_version"])

    def predict(self, texts: Sequence[str], evidence: int = 5) -> list[IntentPrediction]:
        """One feature transform and one ``predict_proba`` for the whole batch."""
        if not texts:
            return []
        features = self._features([prepare(t) for t in texts])
        probabilities = self.pipeline.named_steps["model"].predict_proba(features)
        order = np.argsort(probabilities, axis=1)[:, ::-1]
        best = order[:, 0]
        # Evidence: each word feature's contribution to its row's best label, for the whole
        # batch in one vectorised step (a getrow per ticket cost more than the prediction).
        words = features[:, : self._word_count].tocsr()
        rows = np.repeat(np.arange(len(texts)), np.diff(words.indptr))
        weights = words.data * self._coef[best[rows], words.indices]
        return [
            self._prediction(probabilities[i], order[i], words.indices[start:end],
                             weights[start:end], evidence)
            for i, (start, end) in enumerate(itertools.pairwise(words.indptr))
        ]

    def _features(self, texts: list[str]) -> sp.csr_matrix:
        """The FeatureUnion's transform: word then char n-gram TF-IDF, side by side."""
        union: FeatureUnion = self.pipeline.named_steps["features"]
        if self._chars is None or len(union.transformer_list) != 2:
            return sp.csr_matrix(union.transform(texts))
        return sp.hstack([self._words.transform(texts), self._chars.transform(texts)],
                         format="csr")

    def _prediction(self, row: np.ndarray, order: np.ndarray, indices: np.ndarray,
                    weights: np.ndarray, evidence: int) -> IntentPrediction:
        best = int(order[0])
        top = tuple(
            IntentScore(intent=self.labels[i], probability=round(float(row[i]), 4))
            for i in order[:3]
        )
        strongest = np.argsort(weights)[::-1][:evidence]
        reasons = tuple(
            str(self._vocabulary[indices[j]]) for j in strongest if weights[j] > 0
        )
        return IntentPrediction(self.labels[best], round(float(row[best]), 4), top, reasons)


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, bins: int = 10
) -> float:
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for low, high in itertools.pairwise(edges):
        mask = (confidence > low) & (confidence <= high)
        if mask.any():
            total += mask.mean() * abs(confidence[mask].mean() - correct[mask].mean())
    return float(total)


def evaluate_holdout(examples: Sequence[Example], progress: Progress) -> dict[str, float]:
    texts = [prepare(e.text) for e in examples]
    labels = [e.intent for e in examples]
    train_x, test_x, train_y, test_y = train_test_split(
        texts, labels, test_size=0.2, random_state=PARAMS["seed"], stratify=labels
    )
    progress(f"held-out check: fitting on {len(train_x)}, testing on {len(test_x)} …")
    pipeline = build_pipeline().fit(train_x, train_y)
    probabilities = pipeline.predict_proba(test_x)
    predicted = pipeline.classes_[probabilities.argmax(axis=1)]
    correct = predicted == np.array(test_y)
    return {
        "holdout_accuracy": round(float(accuracy_score(test_y, predicted)), 4),
        "holdout_macro_f1": round(float(f1_score(test_y, predicted, average="macro")), 4),
        "holdout_ece": round(expected_calibration_error(probabilities.max(axis=1), correct), 4),
    }


def train(
    examples: Sequence[Example], source: str, progress: Progress = lambda _: None
) -> IntentModel:
    """Fit on every example (after a held-out check on 80/20) and describe the result."""
    present = sorted({e.intent for e in examples})
    if len(present) < 2:
        raise ValueError("training needs examples of at least two intents")
    evaluation = evaluate_holdout(examples, progress) if len(examples) >= 50 else {}
    progress(f"fitting the model on {len(examples)} examples …")
    pipeline = build_pipeline().fit([prepare(e.text) for e in examples],
                                    [e.intent for e in examples])
    data_hash = fingerprint(examples)
    metadata = {
        "format": 1,
        "model_version": f"intent-{data_hash[:12]}",
        "labels": present,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "training_source": source,
        "training_examples": len(examples),
        "training_data_sha256": data_hash,
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in PARAMS.items()},
        "versions": {
            "ticketflow": core.__version__,
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "evaluation": evaluation,
    }
    return IntentModel(pipeline, metadata)
