"""``ticketflow classify eval``: how well the intent model does on labelled data it never saw."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from classifiers.datasets import Example
from classifiers.intent import IntentModel


@dataclass(frozen=True)
class EvalReport:
    examples: int
    skipped: int
    accuracy: float
    macro_f1: float
    labels: list[str]
    per_label: dict[str, dict[str, float]]
    confusions: list[tuple[str, str, int]]
    model_version: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def evaluate(
    model: IntentModel, examples: Sequence[Example], skipped: int = 0, batch: int = 2048
) -> EvalReport:
    """Macro-F1 averages over the labels present in the data: a label the data never uses has
    no recall to measure. Predicting such a label still counts as an error."""
    truth = [e.intent for e in examples]
    predicted: list[str] = []
    for start in range(0, len(examples), batch):
        chunk = examples[start:start + batch]
        predicted.extend(p.intent.value for p in model.predict([e.text for e in chunk]))
    labels = sorted(set(truth))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    confusions = Counter((t, p) for t, p in zip(truth, predicted, strict=True) if t != p)
    return EvalReport(
        examples=len(examples),
        skipped=skipped,
        accuracy=round(float(accuracy_score(truth, predicted)), 4),
        macro_f1=round(float(f1_score(truth, predicted, labels=labels, average="macro",
                                      zero_division=0)), 4),
        labels=labels,
        per_label={
            label: {"precision": round(float(p), 4), "recall": round(float(r), 4),
                    "f1": round(float(f), 4), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
        confusions=[(t, p, n) for (t, p), n in confusions.most_common(10)],
        model_version=model.version,
    )


def format_report(report: EvalReport) -> str:
    lines = [
        f"model {report.model_version}: {report.examples} examples"
        + (f" ({report.skipped} skipped: label not in the map)" if report.skipped else ""),
        f"accuracy  {report.accuracy:.4f}",
        f"macro-F1  {report.macro_f1:.4f}  (over the {len(report.labels)} labels in the data)",
        "",
        f"{'label':<24}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}",
    ]
    for label, m in report.per_label.items():
        lines.append(f"{label:<24}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}"
                     f"{int(m['support']):>9}")
    lines += ["", "worst confusions (true → predicted: count)"]
    lines += [f"  {t} → {p}: {n}" for t, p, n in report.confusions]
    return "\n".join(lines)
