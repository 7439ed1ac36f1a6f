"""Fits the calibrated relevance model (`answer/relevance.py`): P(a candidate page is on what
the question asks) from its ranking signals at topic choice, on the LiveQA training questions
with distant labels (`labels.py`): a page is on topic when a reference answer was copied from
it, or its focus is an annotated focus (the answer is composed from the whole page and its
site's other pages on the topic, so the topic, not the one QA pair, is what is chosen). Never
on evaluation data.

    python -m healthqa.training.relevance [--data DIR] [--out FILE]

No class weights, so the output is a probability. C is chosen by 5-fold cross-validation
grouped by question (log loss); the out-of-fold predictions give the calibration figures
(Brier score, log loss, expected calibration error, a reliability table) and the threshold:
the one with the lowest expected cost when an answer from a page that does not answer costs
WRONG_ANSWER_COST times an abstention on a question a page answers.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from healthqa.analysis.vocabulary import phrase_key
from healthqa.answer.relevance import FEATURES, RelevanceModel, default_model
from healthqa.answer.topic import DESCRIBED_DEPTH, candidate_relevance
from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.training.data import read_liveqa_train, read_medquad
from healthqa.training.labels import ShingleIndex, copied_answers

C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS = 5
SEED = 13
# "An answer about the wrong thing is worse than none": twice an unneeded abstention.
WRONG_ANSWER_COST = 2.0
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.96, 0.01))
BINS = 10


@dataclass(frozen=True)
class Rows:
    groups: np.ndarray  # question number of each row
    features: np.ndarray
    labels: np.ndarray


def page_of(doc_id: str) -> str:
    return doc_id.rsplit("_Sec", 1)[0]


def collect(engine: Engine, data_dir: Path) -> Rows:
    """Per training question, its first DESCRIBED_DEPTH candidates as ranked at run time."""
    from healthqa.training.rerank import _focus_keys

    shingle_index = ShingleIndex(read_medquad(data_dir))
    groups, features, labels = [], [], []
    for number, question in enumerate(read_liveqa_train(data_dir)):
        analysed = engine.analyze(question.original)
        candidates = engine.retrieve(analysed)
        copied = {page_of(d) for d in copied_answers(question, shingle_index)}
        keys = _focus_keys(engine, question)
        found = candidate_relevance(analysed, candidates, engine.index.lexical.idf, DESCRIBED_DEPTH)
        for candidate, signals in found:
            passage = candidate.passage
            relevant = page_of(passage.doc_id) in copied or phrase_key(passage.focus) in keys
            groups.append(number)
            features.append([signals[n] for n in FEATURES])
            labels.append(int(relevant))
    x = np.array(features, dtype=np.float64)
    x = np.where(np.isnan(x), np.nanmean(x, axis=0), x)
    return Rows(np.array(groups), x, np.array(labels))


def fit(rows: Rows, mask: np.ndarray, c: float) -> RelevanceModel:
    return RelevanceModel.fit(rows.features[mask], rows.labels[mask], FEATURES, C=c)


def out_of_fold(rows: Rows, c: float) -> np.ndarray:
    """Each row's probability from the model fitted on the folds without its question."""
    questions = np.unique(rows.groups)
    order = np.random.default_rng(SEED).permutation(questions)
    predicted = np.zeros(len(rows.labels))
    for fold in range(FOLDS):
        held = np.isin(rows.groups, order[fold::FOLDS])
        model = fit(rows, ~held, c)
        predicted[held] = model.predict_matrix(rows.features[held])
    return predicted


def calibration(probability: np.ndarray, labels: np.ndarray) -> dict:
    p = np.clip(probability, 1e-6, 1 - 1e-6)
    bins = np.minimum((p * BINS).astype(int), BINS - 1)
    table, ece = [], 0.0
    for b in range(BINS):
        inside = bins == b
        if not inside.any():
            continue
        mean_p, rate = float(p[inside].mean()), float(labels[inside].mean())
        ece += inside.mean() * abs(mean_p - rate)
        table.append(
            {
                "bin": f"{b / BINS:.1f}-{(b + 1) / BINS:.1f}",
                "rows": int(inside.sum()),
                "mean_probability": round(mean_p, 3),
                "relevant_share": round(rate, 3),
            }
        )
    return {
        "brier": round(float(np.mean((p - labels) ** 2)), 4),
        "log_loss": round(float(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))), 4),
        "ece": round(float(ece), 4),
        "reliability": table,
    }


def expected_cost(probability: np.ndarray, labels: np.ndarray, threshold: float) -> float:
    answered = probability >= threshold
    wrong = np.sum(answered & (labels == 0))
    missed = np.sum(~answered & (labels == 1))
    return float((WRONG_ANSWER_COST * wrong + missed) / len(labels))


def choose_threshold(probability: np.ndarray, labels: np.ndarray) -> float:
    return min(THRESHOLDS, key=lambda t: (expected_cost(probability, labels, t), t))


def write_card(model: RelevanceModel, path: Path) -> None:
    """The model card: data, settings, time, coefficients and calibration figures."""
    info = model.info or {}
    cv = info["cross_validation"]
    lines = [
        "# Calibrated relevance (`relevance.json`)",
        "",
        "P(a candidate page is on what the question asks), from its ranking signals at topic",
        "choice (`answer/topic.py` `candidate_relevance`).",
        "",
        f"- Data: {info['trained_on']};",
        f"  {info['questions']} questions, {info['rows']} rows (the first {DESCRIBED_DEPTH}"
        f" candidates of each), {info['relevant_share']:.1%} on topic.",
        f"- Model: logistic regression on standardised features, no class weights, C = {info['C']}",
        f"  (chosen by {FOLDS}-fold cross-validation grouped by question, log loss).",
        f"- Threshold {model.threshold}: {info['threshold_rule']} (out-of-fold predictions).",
        f"- Built by `{info['built_by']}` in {info['train_seconds']} s on 2 shared cores.",
        "",
        "| feature | coefficient (standardised) |",
        "|---|---:|",
        *(f"| {n} | {c:.3f} |" for n, c in zip(model.features, model.coef, strict=True)),
        "",
        f"Out-of-fold calibration: Brier {cv['brier']}, log loss {cv['log_loss']}, expected",
        f"calibration error {cv['ece']}; always saying the on-topic share gives Brier",
        f"{info['baselines']['prevalence_brier']}; the re-ranker's own probability (fitted with",
        "balanced class weights, so not calibrated): Brier {brier}, log loss {log_loss}, expected"
        " calibration error {ece}.".format(**info["baselines"]["reranker_probability"]),
        "",
        "| predicted | rows | mean prediction | on-topic share |",
        "|---|---:|---:|---:|",
        *(
            f"| {r['bin']} | {r['rows']} | {r['mean_probability']} | {r['relevant_share']} |"
            for r in cv["reliability"]
        ),
        "",
        "Not wired into topic choice yet. The one place topic choice has hand thresholds is a",
        "page the question names by no known concept (coverage 0.6, two words, dense 0.3); there",
        "the training rows are 6.6 % on topic, a model fitted on them alone does not beat the",
        "prevalence (Brier 0.0625 vs 0.0614), and this model, at its threshold, turns away",
        "nearly every such page: 12 of the 60 ordinary questions of `tests/data` would abstain",
        "instead of 5. The distant labels know one focus per question and no out-of-scope",
        "question, so they cannot say when an unnamed page is on topic.",
        "",
        "Training data not used: MEDIQA 2019 task 3 set 2 (its answers are not MedQuAD pages,",
        "so they have no ranking signals) and MedQuAD's own question -> answer pairs (a MedQuAD",
        "question finds its own question in the dense index at cosine 1, which would teach the",
        "model to trust that signal more than a consumer's wording earns).",
    ]
    path.write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=RelevanceModel.packaged_path())
    args = parser.parse_args(argv)
    started = time.perf_counter()
    engine = Engine.open(Settings.resolve(args.data))
    rows = collect(engine, engine.settings.data_dir)
    by_c = {c: out_of_fold(rows, c) for c in C_GRID}
    figures = {str(c): calibration(p, rows.labels) for c, p in by_c.items()}
    best = min(C_GRID, key=lambda c: figures[str(c)]["log_loss"])
    held_out = by_c[best]
    threshold = choose_threshold(held_out, rows.labels)
    prevalence = float(rows.labels.mean())
    rerank = 1 / (1 + np.exp(-rows.features[:, FEATURES.index("rerank_logit")]))
    info = {
        "trained_on": "LiveQA 2017 training questions, distant labels (healthqa.training.labels)",
        "questions": int(len(np.unique(rows.groups))),
        "rows": int(len(rows.labels)),
        "relevant_share": round(prevalence, 4),
        "C": best,
        "cross_validation": figures[str(best)],
        "cross_validation_by_C": {
            c: {k: v for k, v in f.items() if k != "reliability"} for c, f in figures.items()
        },
        "baselines": {
            "prevalence_brier": round(prevalence * (1 - prevalence), 4),
            "reranker_probability": {
                k: v for k, v in calibration(rerank, rows.labels).items() if k != "reliability"
            },
        },
        "threshold_rule": f"lowest expected cost, wrong answer = {WRONG_ANSWER_COST} x abstention",
        "threshold_cost": round(expected_cost(held_out, rows.labels, threshold), 4),
        "train_seconds": round(time.perf_counter() - started, 1),
        "built_by": "python -m healthqa.training.relevance",
    }
    model = replace(
        fit(rows, np.ones(len(rows.labels), bool), best), threshold=threshold, info=info
    )
    model.save(args.out)
    write_card(model, args.out.with_name("relevance.card.md"))
    default_model.cache_clear()
    print(json.dumps({k: v for k, v in info.items() if k != "cross_validation_by_C"}, indent=1))
    print(dict(zip(FEATURES, np.round(model.coef, 3).tolist(), strict=True)))
    print(f"model written to {args.out}")


if __name__ == "__main__":
    main()
