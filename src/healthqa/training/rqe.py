"""Fits the question-entailment model (`retrieval/entailment.py`) on training data only, with
hard negatives written from the training annotations, and chooses its regularisation and
threshold by cross-validation (never on the MEDIQA validation pairs, which only measure it).

    python -m healthqa.training.rqe [--data DIR] [--out FILE]

Why hard negatives: the MEDIQA 2019 task 2 training pairs are a clinician's question with its
own short form (true) or a random other question (false), so a model fitted on them alone
learns "same topic" and fails where the FAQ shares the topic but asks something else (53 % on
the test set). The training annotations supply that case:
- LiveQA training: a message entails its annotated focus and type written as a MedQuAD
  question ("What are the treatments for migraine ?"), not the same focus with an unrelated
  type, nor another message's focus with the same type;
- MeQSum: a question entails its expert summary, not the summary of the question most like it.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from healthqa.analysis.qtype import related_qtypes
from healthqa.config import Settings
from healthqa.datasets import training_file
from healthqa.retrieval.entailment import (
    FEATURES,
    EntailmentModel,
    RQEPair,
    feature_matrix,
    read_rqe_pairs,
)
from healthqa.retrieval.lexical import tokenize
from healthqa.training.data import (
    as_medquad_question,
    question_templates,
    read_liveqa_train,
    read_medquad,
    read_meqsum,
)

C_GRID = (0.01, 0.1, 1.0)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
FOLDS = 5
SEED = 13
# The types a consumer asks about most (LiveQA training annotations): the other types a
# hard negative is written with.
COMMON_TYPES = (
    "information",
    "treatment",
    "causes",
    "symptoms",
    "exams and tests",
    "outlook",
    "prevention",
    "susceptibility",
)


def annotation_pairs(data_dir: Path, rng: random.Random) -> list[RQEPair]:
    templates = question_templates(read_medquad(data_dir))
    questions = [q for q in read_liveqa_train(data_dir) if any(p.focus for p in q.parts)]
    pairs = []
    for question in questions:
        chq = question.original
        for part in question.parts:
            if not part.focus:
                continue
            pairs.append(
                RQEPair("", chq, as_medquad_question(part.focus, part.qtype, templates), True)
            )
            other_types = [t for t in COMMON_TYPES if t not in related_qtypes(part.qtype)]
            wrong_type = rng.choice(other_types)
            pairs.append(
                RQEPair("", chq, as_medquad_question(part.focus, wrong_type, templates), False)
            )
            other = rng.choice(questions)
            foci = [
                p.focus for p in other.parts if p.focus and p.focus.lower() != part.focus.lower()
            ]
            if foci and other is not question:
                faq = as_medquad_question(foci[0], part.qtype, templates)
                pairs.append(RQEPair("", chq, faq, False))
    return pairs


def summary_pairs(data_dir: Path) -> list[RQEPair]:
    rows = read_meqsum(data_dir)
    stems = [set(tokenize([r.question])[0]) for r in rows]
    pairs = []
    for i, row in enumerate(rows):
        pairs.append(RQEPair("", row.question, row.summary, True))
        nearest = max(
            (j for j in range(len(rows)) if j != i),
            key=lambda j: len(stems[i] & stems[j]) / (len(stems[i] | stems[j]) or 1),
        )
        if rows[nearest].summary.lower() != row.summary.lower():
            pairs.append(RQEPair("", row.question, rows[nearest].summary, False))
    return pairs


def training_pairs(data_dir: Path) -> list[RQEPair]:
    rng = random.Random(SEED)
    pairs = [p for p in read_rqe_pairs(training_file(data_dir, "rqe-train")) if p.label is not None]
    pairs += annotation_pairs(data_dir, rng) + summary_pairs(data_dir)
    return [replace(p, pair_id=str(i)) for i, p in enumerate(pairs)]


def _folds(pairs: list[RQEPair]) -> np.ndarray:
    """Fold of each pair, grouped by its consumer question so none is on both sides."""
    groups = sorted({p.chq for p in pairs})
    order = random.Random(SEED).sample(groups, len(groups))
    fold_of = {chq: i % FOLDS for i, chq in enumerate(order)}
    return np.array([fold_of[p.chq] for p in pairs])


def cross_validate(x: np.ndarray, y: np.ndarray, folds: np.ndarray) -> dict[tuple, float]:
    """Accuracy by (C, threshold), each pair scored by the model that did not see its fold."""
    results = {}
    for c in C_GRID:
        held = np.zeros(len(y))
        for fold in range(FOLDS):
            train = folds != fold
            model = EntailmentModel.fit(x[train], y[train], tuple(FEATURES), C=c)
            held[~train] = model.predict_matrix(x[~train])
        for threshold in THRESHOLDS:
            results[(c, threshold)] = float(np.mean((held >= threshold) == y))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=EntailmentModel.packaged_path())
    args = parser.parse_args(argv)
    data_dir = Settings.resolve(args.data).data_dir
    if data_dir is None:
        raise SystemExit("no data folder: pass --data DIR or set HEALTHQA_DATA")
    started = time.perf_counter()
    pairs = training_pairs(data_dir)
    x = feature_matrix([p.chq for p in pairs], [p.faq for p in pairs], tuple(FEATURES))
    y = np.array([p.label for p in pairs], dtype=int)
    results = cross_validate(x, y, _folds(pairs))
    (c, threshold), accuracy = max(results.items(), key=lambda item: item[1])
    model = EntailmentModel.fit(x, y, tuple(FEATURES), C=c)
    info = {
        "trained_on": "MEDIQA 2019 task 2 training pairs + LiveQA training annotations + MeQSum "
        "(hard negatives, healthqa.training.rqe)",
        "pairs": len(pairs),
        "true_pairs": int(y.sum()),
        "C": c,
        "cross_validation_accuracy": round(accuracy, 4),
        "cross_validation": {f"C={k[0]} t={k[1]}": round(v, 4) for k, v in results.items()},
        "train_seconds": round(time.perf_counter() - started, 1),
        "built_by": "python -m healthqa.training.rqe",
    }
    replace(model, threshold=threshold, info=info).save(args.out)
    print(
        f"{len(pairs)} pairs; {FOLDS}-fold accuracy {accuracy:.3f} at C={c}, threshold {threshold}"
    )
    print(f"model written to {args.out}")


if __name__ == "__main__":
    main()
