"""Fits the answer re-ranker (`retrieval/rerank.py`) on the dev LiveQA judgments, and reports
leave-one-question-out figures beside the fused order, so the gain is not read off the very
questions the model saw.

    python -m healthqa.evaluation.rerank_training [--data DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np

from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.evaluation.liveqa import read_questions, score_run
from healthqa.evaluation.trec import read_qrels
from healthqa.retrieval.rerank import (
    FEATURES,
    RerankModel,
    answer_views,
    feature_matrix,
)

LIVEQA_DIR = Path("liveqa-med-2017-dev")
# Grades 3-4 (Incomplete, Excellent) are what a person would accept.
RELEVANT_GRADE = 3
# Inverse regularisation strength; chosen by the leave-one-question-out figures below.
C = 0.3


def collect(engine: Engine, data_dir: Path):
    """Per question: the answer views of the fused list (without re-ranking), features, labels."""
    questions = read_questions(data_dir / LIVEQA_DIR / "questions.xml")
    qrels = read_qrels(data_dir / LIVEQA_DIR / "qrels-medquad.txt")
    rows = []
    for q in questions:
        question = engine.analyze(q.original)
        views = answer_views(engine.retrieve(question, rerank=False))
        if not views:
            continue
        judged = qrels.get(q.qid, {})
        labels = np.array([judged.get(v.doc_id, 0) >= RELEVANT_GRADE for v in views], dtype=int)
        rows.append((q.qid, views, feature_matrix(question, views), labels))
    return rows, qrels


def fit(rows) -> RerankModel:
    x = np.vstack([r[2] for r in rows])
    y = np.concatenate([r[3] for r in rows])
    return RerankModel.fit(x, y, tuple(FEATURES), C=C, class_weight="balanced")


def _run(rows, scorer) -> dict:
    return {
        qid: [
            (v.doc_id, float(s))
            for s, v in sorted(zip(scorer(qid, f), views, strict=True), key=lambda p: -p[0])
        ][:10]
        for qid, views, f, _ in rows
    }


def leave_one_out(rows, qrels) -> dict[str, float]:
    """LiveQA means with each question ranked by a model fitted on the other questions."""
    held_out = {}
    for i, (qid, *_rest) in enumerate(rows):
        held_out[qid] = fit(rows[:i] + rows[i + 1 :]).logits(rows[i][2])
    return score_run(_run(rows, lambda qid, f: held_out[qid]), qrels).means


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=RerankModel.packaged_path())
    args = parser.parse_args(argv)
    engine = Engine.open(Settings.resolve(args.data))
    rows, qrels = collect(engine, engine.settings.data_dir)
    fused = score_run(_run(rows, lambda qid, f: -np.arange(len(f))), qrels).means
    cross_validated = leave_one_out(rows, qrels)
    final = fit(rows)
    info = {
        "trained_on": "LiveQA 2017 dev judgments",
        "questions": len(rows),
        "C": C,
        "leave_one_out": cross_validated,
        "fused_order": fused,
    }
    replace(final, info=info).save(args.out)
    for name in fused:
        held = cross_validated[name]
        print(f"{name:>14}  fused {fused[name]:.3f}  re-ranked, leave-one-out {held:.3f}")
    print(f"model written to {args.out}")


if __name__ == "__main__":
    main()
