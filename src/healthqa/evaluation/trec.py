"""Judgments and rankings in TREC's plain-text formats, and the ranking measures over them.

    qrels (LiveQA medical):  qid label answer_id        e.g. `1 4-Excellent ADAM_0003147_Sec1.txt`
    run:                     qid Q0 answer_id rank score tag

A run holds each question's answer ids best first. trec_eval re-sorts by score and breaks
ties by id, so `write_run` makes tied scores strictly decreasing to keep the system's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import ir_measures
from ir_measures import AP, RR, P

from healthqa.corpus.medquad import normalize_answer_id
from healthqa.errors import HealthqaError

Ranking = list[tuple[str, float]]
Run = dict[str, Ranking]
Qrels = dict[str, dict[str, int]]

# Far below the score differences the rankers produce, far above float32 rounding.
TIE_STEP = 1e-6


def _lines(path: Path) -> list[list[str]]:
    if not path.is_file():
        raise HealthqaError(f"file not found: {path}")
    return [line.split() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_qrels(path: Path) -> Qrels:
    """`qid label answer_id` lines -> {qid: {answer_id: grade}}, grade the label's leading digit."""
    qrels: Qrels = {}
    for number, fields in enumerate(_lines(path), 1):
        if len(fields) != 3 or not fields[1][:1].isdigit():
            raise HealthqaError(f"{path}:{number}: expected 'qid grade-Label answer_id'")
        qid, label, answer = fields
        qrels.setdefault(qid, {})[normalize_answer_id(answer)] = int(label.split("-")[0])
    return qrels


def run_lines(run: Run, tag: str) -> list[str]:
    lines = []
    for qid, ranking in run.items():
        previous = float("inf")
        for rank, (answer_id, score) in enumerate(ranking, 1):
            score = min(round(score, 6), previous - TIE_STEP)
            lines.append(f"{qid} Q0 {answer_id} {rank} {score:.6f} {tag}")
            previous = score
    return lines


def write_run(path: Path, run: Run, tag: str) -> None:
    path.write_text("\n".join(run_lines(run, tag)) + "\n", encoding="utf-8")


def read_run(path: Path) -> Run:
    """A TREC run file -> {qid: [(answer_id, score)]}, in trec_eval's order (by score, then id)."""
    run: Run = {}
    for number, fields in enumerate(_lines(path), 1):
        if len(fields) != 6:
            raise HealthqaError(f"{path}:{number}: expected 'qid Q0 docid rank score tag'")
        run.setdefault(fields[0], []).append((fields[2], float(fields[4])))
    return {qid: sorted(r, key=lambda d: (d[1], d[0]), reverse=True) for qid, r in run.items()}


def ranking_measures(cutoff: int, relevant_from: int) -> dict[str, object]:
    """Our names for the ir_measures measures, with grades >= `relevant_from` relevant."""
    return {
        f"P@1 (>={relevant_from})": P(rel=relevant_from) @ 1,
        f"MAP@{cutoff} (>={relevant_from})": AP(rel=relevant_from) @ cutoff,
        f"MRR@{cutoff} (>={relevant_from})": RR(rel=relevant_from) @ cutoff,
    }


def per_query(
    measures: Mapping[str, object], qrels: Qrels, run: Run
) -> dict[str, dict[str, float]]:
    """{measure name: {qid: value}} for every judged question; unranked questions score 0.

    ir_measures (pytrec_eval) leaves out questions missing from the run; trec_eval -c counts
    them as 0, which is what a question the system could not answer deserves.
    """
    names = {str(m): name for name, m in measures.items()}
    values = {name: dict.fromkeys(qrels, 0.0) for name in measures}
    for metric in ir_measures.iter_calc(
        list(measures.values()), _ir_qrels(qrels), _ir_run(run, qrels)
    ):
        values[names[str(metric.measure)]][metric.query_id] = float(metric.value)
    return values


def _ir_qrels(qrels: Qrels) -> list[ir_measures.Qrel]:
    return [ir_measures.Qrel(q, d, g) for q, docs in qrels.items() for d, g in docs.items()]


def _ir_run(run: Run, qrels: Qrels) -> Iterable[ir_measures.ScoredDoc]:
    for qid, ranking in run.items():
        if qid in qrels:
            # ir_measures sorts by score; strictly decreasing scores keep the run's order.
            for rank, (doc, _) in enumerate(ranking):
                yield ir_measures.ScoredDoc(qid, doc, float(-rank))
