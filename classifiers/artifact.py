"""Saving and loading the intent model without pickle.

An artifact is a folder: ``model.skops`` (skops' format: no pickle, so loading cannot run code)
and ``metadata.json`` with the SHA-256 of ``model.skops``. Loading checks the hash first, then
refuses any type outside an allowlist of the scikit-learn/NumPy classes our pipeline uses. A
tampered or foreign file is refused with a message saying how to retrain.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import sklearn

from classifiers.datasets import Example
from classifiers.intent import IntentModel, Progress, train
from classifiers.training import load as load_bundled
from core.errors import TicketflowError

MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"
# Types skops may rebuild. Anything else in a file means it is not an artifact we wrote.
ALLOWED_TYPES = frozenset({
    "builtins.slice",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "numpy.ndarray",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
})


class ModelError(TicketflowError):
    """No usable model artifact."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save(model: IntentModel, directory: Path) -> Path:
    """Write atomically: a half-written artifact never sits where a worker would load it."""
    import skops.io as sio

    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=directory.parent))
    try:
        sio.dump(model.pipeline, staging / MODEL_FILE)
        metadata = {**model.metadata, "artifact_sha256": sha256_of(staging / MODEL_FILE)}
        (staging / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n")
        if directory.exists():
            shutil.rmtree(directory)
        staging.rename(directory)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return directory


def read_metadata(directory: Path) -> dict[str, Any]:
    path = directory / METADATA_FILE
    try:
        metadata: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise ModelError(
            f"{directory}: no {METADATA_FILE}; train with `ticketflow train`."
        ) from exc
    except json.JSONDecodeError as exc:
        raise ModelError(f"{path} is not valid JSON; retrain with `ticketflow train`.") from exc
    return metadata


def load(directory: Path) -> IntentModel:
    import skops.io as sio

    metadata = read_metadata(directory)
    model_path = directory / MODEL_FILE
    if not model_path.is_file():
        raise ModelError(f"{model_path} is missing; retrain with `ticketflow train`.")
    if sha256_of(model_path) != metadata.get("artifact_sha256"):
        raise ModelError(
            f"{model_path} does not match the hash in its {METADATA_FILE}: it was changed or not "
            "written by ticketflow. Refusing to load it; retrain with `ticketflow train`."
        )
    trained_with = metadata.get("versions", {}).get("scikit-learn")
    if trained_with != sklearn.__version__:
        raise ModelError(
            f"{directory} was trained with scikit-learn {trained_with}, this is "
            f"{sklearn.__version__}; retrain with `ticketflow train`."
        )
    untrusted = set(sio.get_untrusted_types(file=model_path))
    foreign = sorted(untrusted - ALLOWED_TYPES)
    if foreign:
        raise ModelError(f"{model_path} contains unexpected types {foreign[:5]}; refusing it.")
    pipeline = sio.load(model_path, trusted=sorted(untrusted))
    return IntentModel(pipeline, metadata)


def bundled_model_dir(models_dir: Path) -> Path:
    """Where the model trained on the bundled corpus lives, keyed by the corpus' hash so an
    upgraded corpus gets a fresh model."""
    from classifiers.datasets import fingerprint

    return models_dir / f"bundled-{fingerprint(bundled_examples())[:12]}"


def bundled_examples() -> list[Example]:
    return [Example(row["text"], row["intent"]) for row in load_bundled()]


def ensure_model(
    models_dir: Path, explicit: Path | None = None, progress: Progress = lambda _: None
) -> IntentModel:
    """The model to use: ``explicit`` (TICKETFLOW_MODEL_DIR) when set — it must load — else the
    bundled model, trained on first use (about 10 s on 2 cores)."""
    if explicit is not None:
        return load(explicit)
    directory = bundled_model_dir(models_dir)
    if directory.exists():
        try:
            return load(directory)
        except ModelError as exc:
            progress(f"{exc} Retraining the bundled model.")
    progress("no intent model yet: training the bundled one (first run only) …")
    model = train(bundled_examples(), "bundled corpus (classifiers/training)", progress)
    save(model, directory)
    progress(f"model {model.version} saved to {directory}")
    return model
