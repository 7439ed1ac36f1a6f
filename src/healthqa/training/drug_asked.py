"""Fits `models/drug_asked.json` (`answer/drug_asked.py`): P(a message that names a drug
outside the question it asks still asks about the drug), on training data only.

    python -m healthqa.training.drug_asked [--data DIR] [--out FILE]

Rows: every MeQSum message and LiveQA-train question whose text names a drug (the vocabulary's
drug terms, not drug classes) that its kept question (the reduction) does not name: there
`answer/subject.py` must choose between the condition the kept question names and the drug.
Label: the expert summary (MeQSum) or an annotated focus (LiveQA-train) names the drug by one
of its names, outside a clause setting it aside ("aside from potassium chloride"). The two
sets share some messages: cross-validation folds are grouped by message text. C is chosen by
out-of-fold log loss; the threshold is the one with the lowest expected cost when answering
about the condition while the drug was asked (drift) costs DRIFT_COST times taking the drug
as the subject while the condition was asked (which mostly turns the answer into "I have no
trustworthy page on <drug>"). The card also gives the threshold issue 9's target would need
(out of fold, drift in at most MAX_DRIFT_SHARE of the rows) and what it costs: at that
threshold about half the messages asking about their condition lose their answer ("what
should I eat with diarrhea", a lactase pill in the story: "I have no trustworthy page on
lactase"), so it is reported, not used.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from healthqa.analysis.vocabulary import english_zipf, phrase_key
from healthqa.answer.drug_asked import FEATURES, DrugAskedModel, default_model_asked, features
from healthqa.answer.subject import own_subjects, said_terms, story_drugs
from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.records import Term
from healthqa.training.data import read_liveqa_train, read_meqsum
from healthqa.training.relevance import calibration

C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS = 5
SEED = 13
# An answer about the condition when the drug was asked is the drift issue 9 counts; taking
# the drug as the subject when the condition was asked mostly costs an abstention.
DRIFT_COST = 2.0
# Issue 9's target: at most this share of the answers about something else.
MAX_DRIFT_SHARE = 0.05
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.96, 0.01))


@dataclass(frozen=True)
class Rows:
    groups: np.ndarray  # message number (shared messages of the two sets share one)
    features: np.ndarray
    labels: np.ndarray


# A clause naming what the question sets aside: "treatments for leg cramps aside from
# potassium chloride", "alternative treatments to ketoconazole for jock itch". A drug named
# there is not what the question asks about.
_SET_ASIDE = re.compile(
    r"\b(?:aside from|apart from|other than|besides|instead of|in place of|except|"
    r"alternatives? (?:\w+ )?to|not respond(?:ing)? to)\b[^?.;!]*",
    re.IGNORECASE,
)


def asked_part(reference: str) -> str:
    """The reference less the clauses that set a drug aside (`_SET_ASIDE`)."""
    return _SET_ASIDE.sub(" ", reference)


def names_any(reference: str, drugs: list[Term]) -> bool:
    """The reference (summary or focus) names one of the drugs by one of its names, not only
    in a clause setting it aside ("aside from potassium chloride")."""
    padded = f" {phrase_key(asked_part(reference))} "
    keys = {phrase_key(n) for t in drugs for n in (t.text, t.concept, *t.variants)}
    return any(f" {k} " in padded for k in keys if k)


def examples(data_dir: Path) -> list[tuple[str, str]]:
    """(message, reference) of MeQSum and LiveQA-train."""
    pairs = [(s.question, s.summary) for s in read_meqsum(data_dir)]
    for q in read_liveqa_train(data_dir):
        pairs.append((q.original, " | ".join(p.focus for p in q.parts)))
    return [(m, r) for m, r in pairs if m.strip()]


def collect(engine: Engine, data_dir: Path) -> Rows:
    drug_pages = engine.drug_pages
    find_terms = engine.analyzer.vocabulary.find_terms
    groups: list[int] = []
    rows: list[list[float]] = []
    labels: list[int] = []
    messages: dict[str, int] = {}
    for message, reference in examples(data_dir):
        question = engine.analyze(message)
        story = story_drugs(question, drug_pages, find_terms)
        said = {phrase_key(t.text) for t in said_terms(question)}
        if not story or any(phrase_key(t.text) in said for t in story):
            continue
        own = own_subjects(question, drug_pages)
        row = features(question, story, own, drug_pages, english_zipf)
        groups.append(messages.setdefault(" ".join(message.split()).lower(), len(messages)))
        rows.append([row[n] for n in FEATURES])
        labels.append(int(names_any(reference, story)))
    return Rows(np.array(groups), np.array(rows, dtype=np.float64), np.array(labels))


def out_of_fold(rows: Rows, c: float) -> np.ndarray:
    order = np.random.default_rng(SEED).permutation(np.unique(rows.groups))
    predicted = np.zeros(len(rows.labels))
    for fold in range(FOLDS):
        held = np.isin(rows.groups, order[fold::FOLDS])
        model = DrugAskedModel.fit(rows.features[~held], rows.labels[~held], FEATURES, C=c)
        predicted[held] = model.predict_matrix(rows.features[held])
    return predicted


def expected_cost(probability: np.ndarray, labels: np.ndarray, threshold: float) -> float:
    drug = probability >= threshold
    drift = np.sum(~drug & (labels == 1))
    wrong_subject = np.sum(drug & (labels == 0))
    return float((DRIFT_COST * drift + wrong_subject) / len(labels))


def drift_share(probability: np.ndarray, labels: np.ndarray, threshold: float) -> float:
    """The share of the rows asking about the drug and answered about the condition."""
    return float(np.sum((probability < threshold) & (labels == 1)) / len(labels))


def choose_threshold(probability: np.ndarray, labels: np.ndarray) -> float:
    return min(THRESHOLDS, key=lambda t: (expected_cost(probability, labels, t), -t))


def target_threshold(probability: np.ndarray, labels: np.ndarray) -> float:
    """The highest threshold keeping the drift within MAX_DRIFT_SHARE of the rows (issue 9's
    target where the choice arises); reported on the card, not used."""
    within = [t for t in THRESHOLDS if drift_share(probability, labels, t) <= MAX_DRIFT_SHARE]
    return max(within, default=min(THRESHOLDS))


def confusion(probability: np.ndarray, labels: np.ndarray, threshold: float) -> dict[str, int]:
    drug = probability >= threshold
    return {
        "drug_asked_and_chosen": int(np.sum(drug & (labels == 1))),
        "condition_asked_drug_chosen": int(np.sum(drug & (labels == 0))),
        "drug_asked_condition_chosen": int(np.sum(~drug & (labels == 1))),
        "condition_asked_and_chosen": int(np.sum(~drug & (labels == 0))),
    }


def write_card(model: DrugAskedModel, path: Path) -> None:
    info = model.info or {}
    cv, table = info["cross_validation"], info["out_of_fold_at_threshold"]
    target = info["out_of_fold_at_target"]
    lines = [
        "# Drug asked (`drug_asked.json`)",
        "",
        "P(a message that names a drug outside its kept question asks about the drug).",
        "",
        f"- Data: {info['trained_on']}; {info['rows']} messages, {info['positive_share']:.1%}",
        "  ask about the drug.",
        f"- Model: logistic regression on standardised features, no class weights, C = {info['C']}",
        f"  ({FOLDS}-fold cross-validation grouped by message, log loss).",
        f"- Threshold {model.threshold}: {info['threshold_rule']} (out-of-fold predictions);",
        f"  expected cost per row {info['expected_cost']}.",
        f"- Built by `{info['built_by']}` in {info['train_seconds']} s.",
        "",
        "| feature | coefficient (standardised) |",
        "|---|---:|",
        *(f"| {n} | {c:.3f} |" for n, c in zip(model.features, model.coef, strict=True)),
        "",
        f"Out of fold: Brier {cv['brier']} (always the base rate: {info['prevalence_brier']}),",
        f"log loss {cv['log_loss']}, expected calibration error {cv['ece']}. At the threshold:",
        "",
        "| | drug chosen | condition chosen |",
        "|---|---:|---:|",
        f"| drug asked | {table['drug_asked_and_chosen']} | "
        f"{table['drug_asked_condition_chosen']} |",
        f"| condition asked | {table['condition_asked_drug_chosen']} | "
        f"{table['condition_asked_and_chosen']} |",
        "",
        f"Issue 9's target (drift in at most {MAX_DRIFT_SHARE:.0%} of these rows, out of fold)",
        f"would need threshold {info['target_threshold']} (not used): the drug asked and chosen",
        f"{target['drug_asked_and_chosen']}, missed {target['drug_asked_condition_chosen']}; "
        f"the condition asked but the drug chosen {target['condition_asked_drug_chosen']} of "
        f"{target['condition_asked_drug_chosen'] + target['condition_asked_and_chosen']}.",
    ]
    path.write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=DrugAskedModel.packaged_path())
    args = parser.parse_args(argv)
    started = time.perf_counter()
    engine = Engine.open(Settings.resolve(args.data))
    rows = collect(engine, engine.settings.data_dir)
    by_c = {c: out_of_fold(rows, c) for c in C_GRID}
    figures = {c: calibration(p, rows.labels) for c, p in by_c.items()}
    best = min(C_GRID, key=lambda c: figures[c]["log_loss"])
    threshold = choose_threshold(by_c[best], rows.labels)
    target = target_threshold(by_c[best], rows.labels)
    prevalence = float(rows.labels.mean())
    info = {
        "trained_on": "MeQSum message/summary pairs and LiveQA 2017 training focus annotations",
        "rows": int(len(rows.labels)),
        "positive_share": round(prevalence, 4),
        "C": best,
        "cross_validation": figures[best],
        "prevalence_brier": round(prevalence * (1 - prevalence), 4),
        "threshold_rule": f"lowest expected cost, drift = {DRIFT_COST} x a wrong drug subject",
        "expected_cost": round(expected_cost(by_c[best], rows.labels, threshold), 4),
        "target_threshold": target,
        "out_of_fold_at_target": confusion(by_c[best], rows.labels, target),
        "out_of_fold_at_threshold": confusion(by_c[best], rows.labels, threshold),
        "train_seconds": round(time.perf_counter() - started, 1),
        "built_by": "python -m healthqa.training.drug_asked",
    }
    fitted = DrugAskedModel.fit(rows.features, rows.labels, FEATURES, C=best)
    model = replace(fitted, threshold=threshold, info=info)
    model.save(args.out)
    write_card(model, args.out.with_name("drug_asked.card.md"))
    default_model_asked.cache_clear()
    print(json.dumps({k: v for k, v in info.items() if k != "cross_validation"}, indent=1))
    print(f"model written to {args.out}")


if __name__ == "__main__":
    main()
