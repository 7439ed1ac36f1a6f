"""MEDIQA 2019 task 2 (question entailment): a thin layer over `healthqa.retrieval.entailment`.

A submission is `pair_id,label` lines, label 1 when the consumer question (chq) entails the
FAQ, else 0 (the organisers' ground-truth format).
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from healthqa.errors import HealthqaError
from healthqa.retrieval.entailment import EntailmentModel, RQEPair, feature_matrix, read_rqe_pairs

BEST_TASK2_ACCURACY = 0.749  # best team, MEDIQA 2019 overview (test set)


def predict(pairs: list[RQEPair], model: EntailmentModel | None = None) -> list[bool]:
    """Does each pair's chq entail its faq? One batch through the packaged entailment model."""
    if not pairs:
        return []
    model = model or EntailmentModel.load()
    features = feature_matrix([p.chq for p in pairs], [p.faq for p in pairs], model.features)
    return [bool(p) for p in model.predict_matrix(features) >= model.threshold]


def write_predictions(input_file: Path, out: Path) -> None:
    pairs = read_rqe_pairs(input_file)
    with out.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink)
        for pair, entails in zip(pairs, predict(pairs), strict=True):
            writer.writerow([pair.pair_id, int(entails)])


@dataclass(frozen=True)
class RqeReport:
    pairs: int
    accuracy: float
    majority: float  # accuracy of always answering the more frequent label

    def to_dict(self) -> dict:
        return asdict(self)


def evaluate(labelled_file: Path) -> RqeReport:
    pairs = read_rqe_pairs(labelled_file)
    if not pairs or any(p.label is None for p in pairs):
        raise HealthqaError(f"{labelled_file}: every pair needs a value attribute to be scored")
    truth = np.array([p.label for p in pairs])
    predicted = np.array(predict(pairs))
    share_true = float(truth.mean())
    return RqeReport(
        len(pairs), float(np.mean(predicted == truth)), max(share_true, 1 - share_true)
    )
