"""Ablation on the LiveQA dev questions (evaluation data: measured, never fitted on).

    HEALTHQA_HOME=... python bench/ablation.py [--data DIR] [--minilm-home DIR]

Rows: plain BM25 over the raw message; the rule-free hybrid (BM25 + dense over the raw message,
reciprocal rank fusion); the lexical pipeline (cleaning, reduction, vocabulary expansion, type
and focus bonuses); + dense vectors fused by reciprocal rank; + the re-ranker fitted on the
LiveQA training questions; + the cross-encoder re-reading the head of its list. With
`--minilm-home`, the same rows for an index whose dense part was built with the plain
all-MiniLM-L6-v2 encoder (`HEALTHQA_HOME=DIR healthqa index --encoder minilm`), so the
fine-tuned question encoder's share shows.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.evaluation.liveqa import read_questions, score_run
from healthqa.evaluation.trec import read_qrels

MEASURES = ("avgScore", "P@1 (>=3)", "MAP@10 (>=3)", "MRR@10 (>=3)", "MRR@10 (>=2)", "unjudged@1")
VARIANTS = {
    "lexical pipeline": {"dense": False, "rerank": False},
    "+ dense (RRF)": {"dense": True, "rerank": False},
    "+ re-ranker (fitted on LiveQA training questions)": {"dense": True, "rerank": True},
    "+ cross-encoder (fine-tuned on training data)": {
        "dense": True,
        "rerank": True,
        "cross_encoder": True,
    },
}


def rows_for(settings: Settings, questions, label: str) -> dict[str, dict]:
    base = Engine.open(settings)
    rows = {
        f"plain BM25{label}": {q.qid: base.rank_documents_bm25(q.original, 10) for q in questions},
        f"rule-free hybrid{label}": {
            q.qid: base.rank_documents_hybrid(q.original, 10) for q in questions
        },
    }
    for name, overrides in VARIANTS.items():
        engine = Engine(settings.with_(**overrides), base.index)
        rows[f"{name}{label}"] = {q.qid: engine.rank_documents(q.original, 10) for q in questions}
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--minilm-home", type=Path, default=None)
    args = parser.parse_args()
    settings = Settings.resolve(args.data)
    folder = settings.data_dir / "liveqa-med-2017-dev"
    questions = read_questions(folder / "questions.xml")
    qrels = read_qrels(folder / "qrels-medquad.txt")
    rows = rows_for(settings, questions, "")
    if args.minilm_home is not None:
        rows |= rows_for(settings.with_(home=args.minilm_home), questions, " (plain MiniLM)")
    print("| step | " + " | ".join(MEASURES) + " |")
    print("|---|" + "---:|" * len(MEASURES))
    for name, run in rows.items():
        means = score_run(run, qrels).means
        figures = (f"{means[m]:.3f}" if m != "unjudged@1" else f"{means[m]:.0f}" for m in MEASURES)
        print(f"| {name} | " + " | ".join(figures) + " |")


if __name__ == "__main__":
    main()
