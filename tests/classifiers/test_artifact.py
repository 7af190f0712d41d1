from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from classifiers import artifact
from classifiers.artifact import ModelError


def copy_of(model_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(model_dir, target)
    return target


def test_metadata_describes_the_training(model_dir: Path) -> None:
    meta = artifact.read_metadata(model_dir)
    assert meta["model_version"].startswith("intent-")
    assert len(meta["labels"]) == 16
    assert len(meta["training_data_sha256"]) == 64
    assert {"scikit-learn", "numpy", "python", "ticketflow"} <= set(meta["versions"])
    assert meta["evaluation"]["holdout_accuracy"] > 0.8
    assert meta["artifact_sha256"] == artifact.sha256_of(model_dir / artifact.MODEL_FILE)


def test_round_trip_predicts_the_same(model_dir: Path, intent_model, tmp_path: Path) -> None:
    saved = artifact.save(intent_model, tmp_path / "again")
    reloaded = artifact.load(saved)
    texts = ["where is my parcel", "je veux être remboursé", "Rechnung bitte"]
    assert [p.intent for p in reloaded.predict(texts)] == [
        p.intent for p in intent_model.predict(texts)]


def test_tampered_model_file_is_refused(model_dir: Path, tmp_path: Path) -> None:
    target = copy_of(model_dir, tmp_path)
    with (target / artifact.MODEL_FILE).open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ModelError, match="does not match the hash"):
        artifact.load(target)


def test_foreign_file_with_forged_hash_is_still_not_unpickled(tmp_path: Path) -> None:
    target = tmp_path / "foreign"
    target.mkdir()
    (target / artifact.MODEL_FILE).write_bytes(b"\x80\x04K\x01.")  # a pickle, not skops
    import sklearn

    (target / artifact.METADATA_FILE).write_text(json.dumps({
        "artifact_sha256": artifact.sha256_of(target / artifact.MODEL_FILE),
        "versions": {"scikit-learn": sklearn.__version__},
    }))
    with pytest.raises(Exception) as info:
        artifact.load(target)
    assert "pickle" not in type(info.value).__module__


def test_other_sklearn_version_asks_for_retraining(model_dir: Path, tmp_path: Path) -> None:
    target = copy_of(model_dir, tmp_path)
    meta = json.loads((target / artifact.METADATA_FILE).read_text())
    meta["versions"]["scikit-learn"] = "0.1"
    (target / artifact.METADATA_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="retrain"):
        artifact.load(target)


def test_ensure_model_replaces_a_broken_bundled_artifact(model_dir: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    target = artifact.bundled_model_dir(models)
    shutil.copytree(model_dir, target)
    (target / artifact.MODEL_FILE).write_bytes(b"garbage")
    lines: list[str] = []
    model = artifact.ensure_model(models, progress=lines.append)
    assert model.version.startswith("intent-")
    assert any("Retraining" in line for line in lines)
    artifact.load(target)  # the replacement verifies


def test_explicit_model_dir_must_load(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="ticketflow train"):
        artifact.ensure_model(tmp_path / "models", explicit=tmp_path / "nothing-here")
