"""Where the LiveQA-train ranking loses: candidate recall vs ordering, and which part of the
question analysis (focus, type, reduction of long messages) sends retrieval wrong.

Training data only (LiveQA 2017 training questions, distant labels of `training/labels.py`
applied to every MedQuAD answer, not only to the listed ones). Never run on LiveQA dev.

    HEALTHQA_HOME=... python bench/rerank_diagnosis.py [--data DIR] [--json OUT]

Prints, over the questions that have a relevant MedQuAD answer at all:
- recall@k of the fused list (a relevant answer among its first k distinct answers), k up to
  the whole candidate list, and the packaged re-ranker's P@1 / MRR@10 on the same questions
  (in sample: it was fitted on them; `python -m healthqa.training.rerank` gives its
  out-of-fold figures);
- the same split by the analysis' judgments: is the annotated focus among the analyser's
  terms, is the analyser's type one that answers the annotated type, was the message reduced.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from healthqa.analysis.qtype import related_qtypes
from healthqa.analysis.vocabulary import phrase_key
from healthqa.config import Settings
from healthqa.engine import MEDQUAD, Engine
from healthqa.retrieval.rerank import answer_views
from healthqa.training.data import TrainQuestion, read_liveqa_train, read_medquad
from healthqa.training.labels import ShingleIndex, by_focus_key, relevant_answers

KS = (1, 5, 10, 20, 50, 100, 200, 400)
# Passages fetched per question: deep enough for ~400 distinct answers.
PASSAGES = 1500


@dataclass(frozen=True)
class Diagnosis:
    qid: str
    relevant_in_medquad: int  # distant-label relevant answers anywhere in MedQuAD
    fused_rank: int | None  # first relevant answer's rank (0-based) in the fused list
    reranked_rank: int | None  # the same after the re-ranker (depth RERANK_DEPTH)
    focus_found: bool  # an annotated focus is among the analyser's (strong) terms
    type_right: bool  # the analyser's type answers an annotated type
    reduced: bool  # the summary differs from the cleaned message
    words: int  # words of the message


def annotated_focus_keys(engine: Engine, question: TrainQuestion) -> set[str]:
    keys = set()
    for part in question.parts:
        if part.focus:
            keys.add(phrase_key(part.focus))
            found = engine.analyzer.vocabulary.find_terms(part.focus)
            keys |= {phrase_key(t.concept) for t in found}
    return keys


def first_rank(doc_ids: list[str], relevant: set[str]) -> int | None:
    return next((i for i, d in enumerate(doc_ids) if d in relevant), None)


def diagnose(engine: Engine, data_dir: Path) -> list[Diagnosis]:
    documents = read_medquad(data_dir)
    shingle_index = ShingleIndex(documents)
    by_focus = by_focus_key(documents)
    rows = []
    for question in read_liveqa_train(data_dir):
        keys = annotated_focus_keys(engine, question)
        relevant = relevant_answers(question, shingle_index, by_focus, keys)
        analysed = engine.analyze(question.original)
        candidates = engine.retrieve(analysed, PASSAGES, rerank=False, collection=MEDQUAD)
        fused = [v.doc_id for v in answer_views(candidates, depth=max(KS))]
        reranked = [d for d, _ in engine.rank_documents(question.original, k=50)]
        strong = {phrase_key(t.concept) for t in analysed.terms if not t.weak}
        types = {q for part in question.parts for q in related_qtypes(part.qtype)}
        rows.append(
            Diagnosis(
                qid=question.qid,
                relevant_in_medquad=len(relevant),
                fused_rank=first_rank(fused, relevant),
                reranked_rank=first_rank(reranked, relevant),
                focus_found=bool(strong & keys),
                type_right=analysed.qtype in types,
                reduced=bool(analysed.summary) and analysed.summary != analysed.text,
                words=len(question.original.split()),
            )
        )
    return rows


def summary(rows: list[Diagnosis]) -> dict[str, float]:
    n = len(rows)
    if not n:
        return {"questions": 0}
    figures: dict[str, float] = {"questions": n}
    for k in KS:
        hits = sum(1 for r in rows if r.fused_rank is not None and r.fused_rank < k)
        figures[f"fused recall@{k}"] = round(hits / n, 3)
    reranked = [r.reranked_rank for r in rows]
    figures["reranked P@1"] = round(sum(1 for r in reranked if r == 0) / n, 3)
    figures["reranked recall@10"] = round(
        sum(1 for r in reranked if r is not None and r < 10) / n, 3
    )
    figures["reranked MRR@10"] = round(
        sum(1 / (r + 1) for r in reranked if r is not None and r < 10) / n, 3
    )
    figures["fused MRR@10"] = round(
        sum(1 / (r.fused_rank + 1) for r in rows if r.fused_rank is not None and r.fused_rank < 10)
        / n,
        3,
    )
    return figures


def report(rows: list[Diagnosis]) -> dict[str, dict[str, float]]:
    answerable = [r for r in rows if r.relevant_in_medquad]
    groups = {
        "all questions with a relevant MedQuAD answer": answerable,
        "focus found": [r for r in answerable if r.focus_found],
        "focus not found": [r for r in answerable if not r.focus_found],
        "type right": [r for r in answerable if r.type_right],
        "type wrong": [r for r in answerable if not r.type_right],
        "message reduced": [r for r in answerable if r.reduced],
        "message not reduced": [r for r in answerable if not r.reduced],
        "message <= 40 words": [r for r in answerable if r.words <= 40],
        "message > 40 words": [r for r in answerable if r.words > 40],
    }
    out = {name: summary(group) for name, group in groups.items()}
    out["corpus"] = {
        "training questions": len(rows),
        "with a relevant MedQuAD answer": len(answerable),
    }
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="per-question rows here")
    args = parser.parse_args(argv)
    engine = Engine.open(Settings.resolve(args.data))
    rows = diagnose(engine, engine.settings.data_dir)
    for name, figures in report(rows).items():
        print(f"{name}: {json.dumps(figures)}")
    if args.json:
        args.json.write_text("\n".join(json.dumps(asdict(r)) for r in rows) + "\n")


if __name__ == "__main__":
    main()
