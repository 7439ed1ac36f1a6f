"""Fits the summary salience model (`answer/salience.py`, `models/salience.json`) on training
data only; the MEDIQA 2021 MAS validation set only measures it (`healthqa eval mas`).

    python -m healthqa.training.salience [--data DIR] [--out FILE] [--questions N]

The task it learns is the one `healthqa eval mas` sets: several answers to one consumer
question, keep the sentences a person summarising them would keep. Training examples are built
from the LiveQA 2017 training questions (`training.data.read_liveqa_train`): for each, the
engine retrieves MedQuAD answers to the question, and the passages of its top
`ANSWERS_PER_QUESTION` answers are the answers to summarise. The question's reference answers
were collected by NLM staff, mostly quoted from trusted pages, so a sentence is labelled kept when
most of its word pairs recur in them (`COPIED_SHARE` of its ROUGE-2 bigrams): the extractive
summary of those answers, as MAS's extractive references are.

MEDIQA 2019 task 3's Alexa answers were the other candidate; their ReferenceScore grades whole
answers, not sentences, so they say nothing about which sentences of an answer to keep.

C and the feature set (`salience.FEATURE_SETS`) are chosen by 5-fold cross-validation over the
training questions: each is summarised by the composer with a model fitted on the other folds,
scored by ROUGE-2 F1 against its reference answers, beside the lead baseline of the same
length; those figures go into the model file.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from rouge_score.rouge_scorer import RougeScorer

from healthqa.answer.compose import source_sentences
from healthqa.answer.salience import FEATURE_SETS, FEATURES, SalienceModel, feature_matrix
from healthqa.config import Settings
from healthqa.engine import Engine, given_candidates
from healthqa.evaluation.mas import (
    SUMMARY_WORDS,
    MasQuestion,
    MasReport,
    passages_of,
    score_summaries,
    summarize,
)
from healthqa.retrieval.search import rank_documents
from healthqa.training.data import TrainQuestion, read_liveqa_train

# Retrieved MedQuAD answers given to summarise per question (MAS gives a few per question).
ANSWERS_PER_QUESTION = 3
# A sentence is kept when at least this share of its word pairs is in the reference answers:
# more than half of it was quoted.
COPIED_SHARE = 0.5
C_GRID = (0.01, 0.1, 1.0)
FOLDS = 5
SEED = 7
# The reference answers (what CV scores against) and the kept sentences (what is fitted).
REFERENCE_KINDS = ("answers", "kept")


@dataclass(frozen=True)
class Example:
    item: MasQuestion  # the question, the answers to summarise, its references
    features: np.ndarray  # one row per quotable sentence, columns FEATURES
    kept: np.ndarray  # 1 for a sentence the reference answers quote


def summarisation_item(engine: Engine, question: TrainQuestion) -> MasQuestion | None:
    """The question with its top retrieved answers to summarise; None without references."""
    references = " ".join(a for part in question.parts for a in part.answers)
    if not references:
        return None
    ranked = rank_documents(engine.retrieve(engine.analyze(question.original)), 10)
    answers = tuple(
        (doc_id, " ".join(engine.index.passages[r].text for r in engine.index.rows_by_doc[doc_id]))
        for doc_id, _ in ranked[:ANSWERS_PER_QUESTION]
    )
    if not answers:
        return None
    return MasQuestion(question.qid, question.original, answers, {"answers": references})


def copied_share(sentences: list[str], reference: str) -> np.ndarray:
    """The share of each sentence's word pairs (stemmed) that the reference also has."""
    scorer = RougeScorer(["rouge2"], use_stemmer=True)
    return np.array([scorer.score(reference, s)["rouge2"].precision for s in sentences])


def example(engine: Engine, item: MasQuestion) -> Example | None:
    """The item's sentences as the composer pools them, with features and labels; None when
    no sentence is kept (the retrieved answers are not what the references quote)."""
    question = engine.analyze(item.question)
    sentences = source_sentences(question, given_candidates(passages_of(item)))
    if not sentences:
        return None
    kept = (
        copied_share([s.text for s in sentences], item.references["answers"]) >= COPIED_SHARE
    ).astype(int)
    if not kept.any():
        return None
    extractive = " ".join(s.text for s, k in zip(sentences, kept, strict=True) if k)
    labelled = replace(item, references={**item.references, "kept": extractive})
    return Example(labelled, feature_matrix(question.text, sentences), kept)


# One cross-validated setting: (feature set name, C).
Setting = tuple[str, float]
SETTINGS: tuple[Setting, ...] = tuple((name, c) for name in FEATURE_SETS for c in C_GRID)


def fit(examples: list[Example], setting: Setting) -> SalienceModel:
    names, c = FEATURE_SETS[setting[0]], setting[1]
    columns = [FEATURES.index(name) for name in names]
    x = np.vstack([e.features[:, columns] for e in examples])
    y = np.concatenate([e.kept for e in examples])
    return SalienceModel.fit(x, y, names, C=c)


def fold_of(count: int, folds: int = FOLDS) -> np.ndarray:
    order = np.random.default_rng(SEED).permutation(count)
    fold = np.empty(count, dtype=int)
    fold[order] = np.arange(count) % folds
    return fold


def cross_validate(
    engine: Engine, examples: list[Example], max_words: int = SUMMARY_WORDS, folds: int = FOLDS
) -> dict[Setting, MasReport]:
    """Per setting, each question summarised with a model fitted on the other folds' questions.

    Question by question, so that the sentence vectors are computed once per question."""
    fold = fold_of(len(examples), folds)
    models = {
        (setting, f): fit([e for e, g in zip(examples, fold, strict=True) if g != f], setting)
        for setting in SETTINGS
        for f in range(folds)
    }
    composed: dict[Setting, list[str]] = {setting: [] for setting in SETTINGS}
    for e, f in zip(examples, fold, strict=True):
        for setting in SETTINGS:
            composed[setting].append(summarize(engine, e.item, max_words, models[setting, f]))
    items = [e.item for e in examples]
    return {s: score_summaries(items, composed[s], REFERENCE_KINDS) for s in SETTINGS}


def _rouge2(report: MasReport, system: str = "healthqa", kind: str = "answers") -> float:
    return report.scores[system][kind]["rouge2"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="data folder (../shared/data)")
    parser.add_argument("--out", type=Path, default=SalienceModel.packaged_path())
    parser.add_argument(
        "--questions", type=int, default=None, help="the first N training questions (default all)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    engine = Engine.open(Settings.resolve(args.data))
    if engine.settings.data_dir is None:
        parser.error("no data folder found: pass --data DIR or set HEALTHQA_DATA")
    questions = read_liveqa_train(engine.settings.data_dir)[: args.questions]
    items = [i for q in questions if (i := summarisation_item(engine, q)) is not None]
    examples = [e for i in items if (e := example(engine, i)) is not None]
    by_setting = cross_validate(engine, examples)
    best = max(SETTINGS, key=lambda setting: _rouge2(by_setting[setting]))
    info = {
        "trained_on": (
            "LiveQA 2017 medical training questions (liveqa-train): the engine's top "
            f"{ANSWERS_PER_QUESTION} MedQuAD answers to each, a sentence kept when at least "
            f"{COPIED_SHARE} of its ROUGE-2 bigrams recur in the question's reference answers"
        ),
        "questions": len(questions),
        "questions_with_references": len(items),
        "questions_with_a_kept_sentence": len(examples),
        "sentences": int(sum(len(e.kept) for e in examples)),
        "kept_sentences": int(sum(e.kept.sum() for e in examples)),
        "feature_set": best[0],
        "C": best[1],
        "summary_words": SUMMARY_WORDS,
        f"{FOLDS}_fold_cv_rouge_f1": {
            f"{name}, C={c}": r.to_dict()["rouge_f1"] for (name, c), r in by_setting.items()
        },
        "cv_mean_words": statistics.fmean(by_setting[best].mean_words.values()),
        "train_seconds": round(time.perf_counter() - started, 1),
        "built_by": "python -m healthqa.training.salience",
    }
    replace(fit(examples, best), info=info).save(args.out)
    for (name, c), report in by_setting.items():
        print(
            f"{name}, C={c}: {FOLDS}-fold ROUGE-2 F1 vs reference answers "
            f"{_rouge2(report):.3f} (lead {_rouge2(report, 'lead'):.3f}), vs kept sentences "
            f"{_rouge2(report, kind='kept'):.3f} (lead {_rouge2(report, 'lead', 'kept'):.3f}), "
            f"{report.mean_words['healthqa']:.0f} words"
            + ("  <- chosen" if (name, c) == best else "")
        )
    print(f"model written to {args.out}")


if __name__ == "__main__":
    main()
