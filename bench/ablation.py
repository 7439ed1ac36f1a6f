"""Ablation on the dev LiveQA questions: what each retrieval step adds, in one run.

    HEALTHQA_HOME=... python bench/ablation.py [--data DIR]

Rows: plain BM25 over the raw message; the lexical pipeline (cleaning, reduction, vocabulary
expansion, type and focus bonuses); + dense vectors fused by reciprocal rank; + the learned
re-ranker. The re-ranker was fitted on these same questions, so its row is in-sample; the
honest row beside it re-fits the re-ranker on the current analysis leaving each question
out in turn (as `python -m healthqa.evaluation.rerank_training` does before writing
`models/rerank.json`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.evaluation.liveqa import read_questions, score_run
from healthqa.training.rerank import collect, cross_validate
from healthqa.evaluation.trec import read_qrels

MEASURES = ("avgScore", "P@1 (>=3)", "MAP@10 (>=3)", "MRR@10 (>=3)", "MRR@10 (>=2)", "unjudged@1")
VARIANTS = {
    "lexical pipeline": {"dense": False, "rerank": False},
    "+ dense (RRF)": {"dense": True, "rerank": False},
    "+ re-ranker (in-sample)": {"dense": True, "rerank": True},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    settings = Settings.resolve(args.data)
    folder = settings.data_dir / "liveqa-med-2017-dev"
    questions = read_questions(folder / "questions.xml")
    qrels = read_qrels(folder / "qrels-medquad.txt")
    base = Engine.open(settings)
    rows = {"plain BM25": {q.qid: base.rank_documents_bm25(q.original, 10) for q in questions}}
    for name, overrides in VARIANTS.items():
        engine = Engine(settings.with_(**overrides), base.index)
        rows[name] = {q.qid: engine.rank_documents(q.original, 10) for q in questions}
    print("| step | " + " | ".join(MEASURES) + " |")
    print("|---|" + "---:|" * len(MEASURES))
    for name, run in rows.items():
        means = score_run(run, qrels).means
        print(
            f"| {name} | "
            + " | ".join(
                f"{means[m]:.3f}" if m != "unjudged@1" else f"{means[m]:.0f}" for m in MEASURES
            )
            + " |"
        )
    held_out = leave_one_out(*collect(base, settings.data_dir))
    print(
        "| + re-ranker (leave-one-question-out) | "
        + " | ".join(
            f"{held_out[m]:.3f}" if m != "unjudged@1" else f"{held_out[m]:.0f}" for m in MEASURES
        )
        + " |"
    )


if __name__ == "__main__":
    main()
