"""Cross-validated choices for the answer re-ranker, on the LiveQA training questions only:
which retrieval signals feed the candidate list, how deep the re-ranked list is, which feature
set, and logistic regression against gradient boosting, all by the same 5-fold
split grouped by question (`training/rerank.py`).

    HEALTHQA_HOME=... python bench/rerank_choices.py [--data DIR]

Figures are out of fold, against the distant labels: "list" counts the relevant answers of the
list (what `training.rerank` chooses by), "all" every relevant MedQuAD answer, over every
question that has one (so lists of different signals or depth compare).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.retrieval import search
from healthqa.training.rerank import (
    BOOSTED,
    C_GRID,
    FEATURE_SETS,
    Row,
    collect,
    held_out_scores,
    held_out_type_models,
    score,
    score_all_relevant,
)

SIGNAL_SETS = {
    "lexical + dense": ("lexical", "dense"),
    "+ message_lexical": ("lexical", "dense", "message_lexical"),
    "+ message_lexical + message_dense": ("lexical", "dense", "message_lexical", "message_dense"),
}
DEPTHS = (50, 100)


def figures(rows: list[Row], scores: dict[str, np.ndarray]) -> dict[str, float]:
    listed, every = score(rows, scores), score_all_relevant(rows, scores)
    return {
        "list MAP@10": listed["MAP@10 (>=3)"],
        "list MRR@10": listed["MRR@10 (>=3)"],
        "all P@1": every["P@1 (>=3)"],
        "all MAP@10": every["MAP@10 (>=3)"],
        "all MRR@10": every["MRR@10 (>=3)"],
    }


def compare(rows: list[Row]) -> dict[str, dict[str, float]]:
    out = {
        "fused order": figures(rows, {r.qid: -np.arange(len(r.doc_ids), dtype=float) for r in rows})
    }
    sets = FEATURE_SETS
    for name, names in sets.items():
        for learner in (f"C={C_GRID[1]}", BOOSTED):
            out[f"{name}, {learner}"] = figures(rows, held_out_scores(rows, learner, names))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--signals", nargs="*", default=list(SIGNAL_SETS))
    parser.add_argument("--depths", nargs="*", type=int, default=list(DEPTHS))
    parser.add_argument(
        "--bonuses",
        nargs=2,
        type=float,
        default=None,
        metavar=("QTYPE", "FOCUS"),
        help="the fusion's type and focus bonuses (retrieval/search.py), instead of its own",
    )
    args = parser.parse_args(argv)
    if args.bonuses:
        search.QTYPE_BONUS, search.FOCUS_BONUS = args.bonuses
    settings = Settings.resolve(args.data)
    type_models, _ = held_out_type_models(settings.data_dir)
    for signals in args.signals:
        engine = Engine.open(settings.with_(signals=SIGNAL_SETS[signals]))
        for depth in args.depths:
            started = time.perf_counter()
            rows = collect(engine, settings.data_dir, type_models, depth)
            for name, values in compare(rows).items():
                print(f"[{signals} | depth {depth}] {name}: {json.dumps(values)}", flush=True)
            print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
