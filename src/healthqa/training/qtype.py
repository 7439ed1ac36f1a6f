"""Fits the question type classifier (`analysis/qtype.py`): a multinomial logistic regression
over the word uni- and bigrams of the question, on training data only.

    python -m healthqa.training.qtype [--data DIR] [--out FILE] [--folds 5] [--section]
    python -m healthqa.training.qtype [--section] --hold-out 2:1 --out FILE   # a check model

Two models: `models/qtype.json`, the type retrieval's re-ranker reads (and `Settings.qtype`
"learned"), and with `--section` `models/qtype_section.json`, the type of the answer's asked
section (`Settings.section_qtype` "learned"), fitted also on the lay questions
("lay-questions-en", each labelled with the answer section it asks for) with the consumer
classes balanced (`balanced`), its settings chosen by the right answer section out of fold on
the lay questions and the LiveQA training messages (the mean of the two), then MeQSum.

`--hold-out K:R` leaves out the LiveQA training messages at positions i % K == R (the order
`read_liveqa_train` reads them) and fits with the packaged model's settings, without the
cross-validation: the model that `bench/topic_train.py --qtype-model` types those held-out
messages with, so that its figure on them is not in-sample. With `--section` it also leaves out
the lay questions `bench/lay_train.py --every K --offset R` reads, and those sharing a page with
them.

Examples (each as the analyzer sees a question at run time):
- MedQuAD's typed questions, with their focus taken out ("What causes {focus} ?" teaches the
  wording of a type, not which topics MedQuAD happens to ask it of); one form of one type is
  one example, weighted so that each type weighs `MEDQUAD_TYPE_WEIGHT` consumer messages;
- the LiveQA training messages (subject + message, cleaned and reduced by
  `reduction.reduce_question` as at run time), labelled with their annotated types;
- MeQSum questions whose expert summary is word for word one of MedQuAD's question forms
  ("What are the treatments for X?"): that form's type is their label (`summary_type`).
A message with several annotated types counts once, split evenly over them; predicting any of
them is right.

MedQuAD's types are collapsed onto the types the rest of the code reads (`CLASS_OF_TYPE`).
The regularisation C, the MedQuAD weight and the "information" threshold are chosen by
grouped k-fold cross-validation (a message, or a MedQuAD topic, is never in train and test
fold) for the accuracy on the consumer messages (LiveQA training, then MeQSum).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from healthqa.analysis.cleaning import clean_message
from healthqa.analysis.qtype import (
    CARD_FILE,
    CLASS_OF_TYPE,
    INFORMATION,
    MODEL_FILE,
    REBUILD,
    SECTION_CARD_FILE,
    SECTION_MODEL_FILE,
    VECTOR_ENCODER,
    QtypeModel,
    class_of,
    detect_qtype,
    packaged_path,
    question_ngrams,
    question_vector,
)
from healthqa.analysis.reduction import reduce_question
from healthqa.answer.sections import section_for_question
from healthqa.config import Settings
from healthqa.errors import HealthqaError
from healthqa.records import Document
from healthqa.training.data import LayQuestion, Summary, TrainQuestion, read_lay_questions

C_GRID = (1.0, 3.0)  # 0.3 and 10 were never chosen on the wider grid of the n-grams alone
# Total weight of each MedQuAD type, in consumer messages (one message weighs 1).
MEDQUAD_WEIGHT_GRID = (10.0, 30.0)  # 100 was never chosen either
# The question encoder's unit vector joins the n-grams multiplied by this (0 = n-grams alone):
# the larger, the less the L2 penalty holds its weights back against the n-grams'.
VECTOR_SCALE_GRID = (0.0, 1.0, 3.0)
THRESHOLD_GRID = (0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
# The section model (`--section`) also reads the lay questions, each weighing this many
# consumer messages, and balances the consumer classes: each consumer example's weight is
# multiplied by (mean class total / its class total) ** prior (0 = as annotated: half the
# LiveQA messages ask for treatment, so the classifier said "treatment" to most lay questions).
# (session 23: narrowed to the values session 21's wider grid chose or tied with, 10 and 0 never
# were; a MedQuAD weight of 10 neither)
LAY_WEIGHT_GRID = (1.0, 3.0)
PRIOR_GRID = (0.5, 1.0)
SECTION_MEDQUAD_WEIGHT_GRID = (30.0,)
# (the retrieval model's choice: the grid of 1 and 3 doubled the time on 2 shared cores; 10
# lost the lay questions 0.64 -> 0.59 out of fold in session 23)
SECTION_VECTOR_SCALE_GRID = (3.0,)
FOLDS = 5
SEED = 13
# A MedQuAD question form must be used this often to label a MeQSum summary ("What is {focus}
# ?", used 7 times, would make every "What is the dose of X?" a request for information).
MIN_FORM_USES = 20
MIN_NGRAM_EXAMPLES = 2


@dataclass(frozen=True)
class Example:
    text: str
    labels: tuple[str, ...]  # classes; any of them is right
    source: str  # "medquad", "liveqa-train", "meqsum", "lay-questions"
    group: str  # never split across folds
    weight: float = 1.0  # of the example, split evenly over its labels


# --- examples ---------------------------------------------------------------------------------


def without_focus(question: str, focus: str) -> str:
    if not focus:
        return question
    return " ".join(re.sub(re.escape(focus), " ", question, flags=re.IGNORECASE).split())


def medquad_examples(documents: Iterable[Document]) -> list[Example]:
    return [
        Example(
            without_focus(d.question, d.focus), (class_of(d.qtype),), "medquad", d.focus.lower()
        )
        for d in documents
        if d.question
    ]


def as_asked(text: str) -> str:
    """The message as the analyzer reduces it to what is asked (before spelling correction,
    which needs the index)."""
    return reduce_question(clean_message(text)) or text


def liveqa_examples(questions: Iterable[TrainQuestion]) -> list[Example]:
    examples = []
    for question in questions:
        labels = tuple(sorted({class_of(p.qtype) for p in question.parts}))
        if labels and question.original.strip():
            examples.append(
                Example(as_asked(question.original), labels, "liveqa-train", question.qid)
            )
    return examples


def question_forms(documents: Iterable[Document]) -> list[tuple[re.Pattern[str], str]]:
    """MedQuAD's question forms used at least `MIN_FORM_USES` times, as patterns with the focus
    as a wildcard, each with its class."""
    uses: Counter[tuple[str, str]] = Counter()
    for d in documents:
        if d.focus and d.focus in d.question:
            uses[(d.question.replace(d.focus, "\0", 1), class_of(d.qtype))] += 1
    forms = []
    for (form, label), count in uses.items():
        if count >= MIN_FORM_USES:
            words = re.escape(" ".join(form.rstrip(" ?.").split())).replace("\0", ".+")
            forms.append((re.compile(rf"^{words}\s*[?.]*$", re.IGNORECASE), label))
    return forms


def summary_type(summary: str, forms: Sequence[tuple[re.Pattern[str], str]]) -> str | None:
    """The class of the one MedQuAD form the summary is, or None (none, or forms that
    disagree)."""
    text = " ".join(summary.split())
    labels = {label for pattern, label in forms if pattern.match(text)}
    return labels.pop() if len(labels) == 1 else None


def meqsum_examples(summaries: Iterable[Summary], forms) -> list[Example]:
    examples = []
    for i, row in enumerate(summaries):
        label = summary_type(row.summary, forms)
        if label is not None:
            examples.append(Example(as_asked(row.question), (label,), "meqsum", f"meqsum:{i}"))
    return examples


# A lay question's section (training/lay_questions_en.jsonl) -> the class that asks for it.
LAY_CLASS = {
    "information": INFORMATION,
    "causes": "causes",
    "symptoms": "symptoms",
    "treatment": "treatment",
    "prevention": "prevention",
    "risk": "susceptibility",
    "inheritance": "inheritance",
    "tests": "exams and tests",
    "outlook": "outlook",
    "see a doctor": "when to contact a medical professional",
    "complications": "complications",
    "dosage": "dose",
}


def lay_examples(rows: Iterable[LayQuestion]) -> list[Example]:
    """The lay questions with a section, reduced as at run time; grouped by the page they were
    written from (two questions on one page never split across folds)."""
    examples = []
    for row in rows:
        label = LAY_CLASS.get(row.section or "")
        if label is not None:
            page = (row.written_from or row.qid).split("_Sec")[0]
            examples.append(Example(as_asked(row.question), (label,), "lay-questions", page))
    return examples


# --- fitting ----------------------------------------------------------------------------------


def weighted(
    examples: Sequence[Example], medquad_weight: float, lay_weight: float = 1.0, prior: float = 0.0
) -> list[Example]:
    """MedQuAD examples reweighted so that each class totals `medquad_weight`, and identical
    ones merged (a form asked of 2,500 topics is one row); lay questions weighing `lay_weight`
    (0: left out); the consumer classes balanced by `prior` (LAY_WEIGHT_GRID, PRIOR_GRID)."""
    counts = Counter(e.labels[0] for e in examples if e.source == "medquad")
    merged: dict[tuple[str, tuple[str, ...]], float] = {}
    rest = []
    for e in examples:
        if e.source == "medquad":
            key = (e.text.lower(), e.labels)
            merged[key] = merged.get(key, 0.0) + medquad_weight / counts[e.labels[0]]
        elif e.source != "lay-questions":
            rest.append(e)
        elif lay_weight:
            rest.append(replace(e, weight=e.weight * lay_weight))
    forms = [Example(t, labels, "medquad", t, w) for (t, labels), w in merged.items()]
    return forms + balanced(rest, prior)


def balanced(examples: Sequence[Example], prior: float) -> list[Example]:
    """Each example's weight times (mean class total / its classes' total) ** prior."""
    if not prior or not examples:
        return list(examples)
    totals: Counter[str] = Counter()
    for e in examples:
        for label in e.labels:
            totals[label] += e.weight / len(e.labels)
    mean = sum(totals.values()) / len(totals)
    return [
        replace(
            e,
            weight=e.weight * float(np.mean([(mean / totals[lb]) ** prior for lb in e.labels])),
        )
        for e in examples
    ]


def vocabulary(examples: Sequence[Example]) -> tuple[str, ...]:
    """The n-grams of at least `MIN_NGRAM_EXAMPLES` examples (after merging MedQuAD's forms), in
    a fixed order: one seen once can only memorise its example."""
    seen = Counter(g for e in examples for g in question_ngrams(e.text))
    return tuple(sorted(g for g, n in seen.items() if n >= MIN_NGRAM_EXAMPLES))


_VECTORS: dict[str, np.ndarray] = {}


def vectors_of(texts: Sequence[str]) -> np.ndarray:
    """The question encoder's vectors of the texts (each text encoded once per process), each
    encoded alone as at run time: the int8 encoder's activation ranges are per batch, so a
    text padded in a batch gets a slightly different vector."""
    for text in texts:
        if text not in _VECTORS:
            _VECTORS[text] = question_vector(text)
    return np.array([_VECTORS[t] for t in texts], dtype=np.float64).reshape(len(texts), -1)


def design_matrix(texts: Sequence[str], ngrams: Sequence[str], vector_scale: float = 0.0):
    """Binary n-gram presence, rows = texts (scipy sparse; the run time sums rows of coef),
    then the scaled sentence vector when `vector_scale` is not 0."""
    from scipy.sparse import csr_matrix, hstack

    column = {g: i for i, g in enumerate(ngrams)}
    rows, cols = [], []
    for r, text in enumerate(texts):
        hits = [column[g] for g in question_ngrams(text) if g in column]
        rows += [r] * len(hits)
        cols += hits
    data = np.ones(len(rows), dtype=np.float64)
    matrix = csr_matrix((data, (rows, cols)), shape=(len(texts), len(ngrams)))
    if not vector_scale:
        return matrix
    return hstack([matrix, csr_matrix(vector_scale * vectors_of(texts))]).tocsr()


def fit_estimator(
    examples: Sequence[Example], ngrams: Sequence[str], c: float, vector_scale: float = 0.0
):
    """scikit-learn's multinomial LogisticRegression on the examples (one row per label)."""
    from sklearn.linear_model import LogisticRegression

    rows = [(e.text, label, e.weight / len(e.labels)) for e in examples for label in e.labels]
    texts, labels, weights = zip(*rows, strict=True)
    # newton-cg: the exact optimum in about 10 steps (lbfgs took 70 over the 50k weights)
    estimator = LogisticRegression(C=c, solver="newton-cg", max_iter=1000, tol=1e-6)
    estimator.fit(
        design_matrix(texts, ngrams, vector_scale), list(labels), sample_weight=np.array(weights)
    )
    return estimator


def to_model(
    estimator, ngrams: Sequence[str], threshold: float, info: dict, vector_scale: float = 0.0
) -> QtypeModel:
    """The fitted estimator as a numpy-scored model; a class no example had gets no row, so it
    is never predicted."""
    classes = tuple(str(c) for c in estimator.classes_)
    if len(classes) < 3:
        raise HealthqaError(f"question type training needs at least 3 classes, got {classes}")
    coef = estimator.coef_.T
    return QtypeModel(
        classes=classes,
        ngrams=tuple(ngrams),
        coef=coef[: len(ngrams)],
        intercept=estimator.intercept_,
        threshold=threshold,
        info=info,
        vector_coef=coef[len(ngrams) :] if vector_scale else None,
        vector_scale=vector_scale or 1.0,
    )


def fit_model(
    examples: Sequence[Example],
    c: float,
    medquad_weight: float,
    threshold: float,
    vector_scale: float = 0.0,
    lay_weight: float = 1.0,
    prior: float = 0.0,
):
    rows = weighted(examples, medquad_weight, lay_weight, prior)
    ngrams = vocabulary(rows)
    estimator = fit_estimator(rows, ngrams, c, vector_scale)
    return to_model(estimator, ngrams, threshold, {}, vector_scale)


# --- cross-validation -------------------------------------------------------------------------


def folds_of(examples: Sequence[Example], k: int) -> np.ndarray:
    """A fold per example, the same for every example of a group."""
    groups = sorted({(e.source, e.group) for e in examples})
    order = np.random.default_rng(SEED).permutation(len(groups))
    fold = {g: int(order[i]) % k for i, g in enumerate(groups)}
    return np.array([fold[(e.source, e.group)] for e in examples])


@dataclass(frozen=True)
class Fit:
    """The settings of one fit (`fit_model`'s, less the threshold)."""

    c: float
    medquad_weight: float
    vector_scale: float = 0.0
    lay_weight: float = 1.0
    prior: float = 0.0


def held_out_probabilities(examples: Sequence[Example], fit: Fit, k: int) -> list[dict[str, float]]:
    """Each example's class probabilities from the model fitted on the other folds (with
    `lay_weight` 0 the lay questions are scored, never fitted on)."""
    fold = folds_of(examples, k)
    out: list[dict[str, float]] = [{} for _ in examples]
    for f in range(k):
        train = [e for e, g in zip(examples, fold, strict=True) if g != f]
        model = fit_model(
            train, fit.c, fit.medquad_weight, 0.0, fit.vector_scale, fit.lay_weight, fit.prior
        )
        for i in np.flatnonzero(fold == f):
            text = examples[i].text
            vector = vectors_of([text])[0] if fit.vector_scale else None
            p = model.probabilities(text, vector)
            out[i] = dict(zip(model.classes, map(float, p), strict=True))
    return out


def predicted(probabilities: dict[str, float], threshold: float) -> str:
    best = max(probabilities, key=probabilities.__getitem__)
    return best if probabilities[best] >= threshold else INFORMATION


def is_right(qtype: str, labels: Sequence[str], by_section: bool = False) -> bool:
    """One of the labels; with `by_section`, a type whose answer section is one of theirs (what
    the answer's section order reads: "genetic changes" asks for the causes too)."""
    if not by_section:
        return qtype in labels
    return section_for_question(qtype) in {section_for_question(label) for label in labels}


def accuracy_by_source(
    examples: Sequence[Example],
    probabilities: Sequence[dict[str, float]],
    threshold: float,
    by_section: bool = False,
) -> dict[str, float]:
    right: dict[str, list[bool]] = {}
    for e, p in zip(examples, probabilities, strict=True):
        right.setdefault(e.source, []).append(
            is_right(predicted(p, threshold), e.labels, by_section)
        )
    return {source: round(float(np.mean(r)), 4) for source, r in sorted(right.items())}


def cue_accuracy(examples: Sequence[Example], by_section: bool = True) -> dict[str, float]:
    """The cue patterns' figures on the same examples (nothing fitted)."""
    right: dict[str, list[bool]] = {}
    for e in examples:
        right.setdefault(e.source, []).append(is_right(detect_qtype(e.text), e.labels, by_section))
    return {source: round(float(np.mean(r)), 4) for source, r in sorted(right.items())}


def selection_key(figures: dict[str, float]) -> tuple[float, float]:
    """Consumer messages first (LiveQA training), then MeQSum."""
    return (figures.get("liveqa-train", 0.0), figures.get("meqsum", 0.0))


def section_selection_key(figures: dict[str, float]) -> tuple[float, float]:
    """The section model: the mean of the lay questions and the LiveQA training messages (each
    set weighing the same), then MeQSum."""
    lay, liveqa = figures.get("lay-questions", 0.0), figures.get("liveqa-train", 0.0)
    return ((lay + liveqa) / 2, figures.get("meqsum", 0.0))


@dataclass(frozen=True)
class Choice:
    c: float
    medquad_weight: float
    threshold: float
    figures: dict[str, float]
    vector_scale: float = 0.0
    lay_weight: float = 1.0
    prior: float = 0.0


def cross_validate(
    examples: Sequence[Example], k: int, section: bool = False
) -> tuple[Choice, list[dict]]:
    """Every (C, MedQuAD weight, vector scale[, lay weight, prior]) on the grid, each with its
    best threshold; the best choice. `section`: the section model's grid, accuracy by answer
    section, chosen by `section_selection_key`."""
    table = []
    best: Choice | None = None
    if section:
        key = section_selection_key
        grid = [
            (c, w, v, lay, prior)
            for c in C_GRID
            for w in SECTION_MEDQUAD_WEIGHT_GRID
            for v in SECTION_VECTOR_SCALE_GRID
            for lay in LAY_WEIGHT_GRID
            for prior in PRIOR_GRID
        ]
    else:
        key = selection_key
        grid = [
            (c, w, v, 1.0, 0.0)
            for c in C_GRID
            for w in MEDQUAD_WEIGHT_GRID
            for v in VECTOR_SCALE_GRID
        ]
    for c, weight, scale, lay, prior in grid:
        probabilities = held_out_probabilities(examples, Fit(c, weight, scale, lay, prior), k)
        by_threshold = {
            t: accuracy_by_source(examples, probabilities, t, section) for t in THRESHOLD_GRID
        }
        t = max(THRESHOLD_GRID, key=lambda t: key(by_threshold[t]))
        choice = Choice(c, weight, t, by_threshold[t], scale, lay, prior)
        row = {"C": c, "medquad_weight": weight, "vector_scale": scale}
        if section:
            row |= {"lay_weight": lay, "prior": prior}
        table.append(
            row
            | {
                "threshold": t,
                "accuracy": by_threshold[t],
                "accuracy_without_threshold": by_threshold[0.0],
            }
        )
        print(f"{row} threshold={t}: {by_threshold[t]}", flush=True)
        if best is None or key(choice.figures) > key(best.figures):
            best = choice
    if best is None:
        raise HealthqaError("no question type examples to cross-validate")
    return best, table


def held_out_models(examples: Sequence[Example], settings: dict) -> dict[str, QtypeModel]:
    """For each LiveQA training message (by qid), a classifier with the packaged model's
    `settings` fitted on the folds that do not hold it (k-fold, grouped by message, the folds
    of `cross_validate`). What a model fitted on these messages (the re-ranker) must read their
    type with: the packaged classifier read them in training and types them better than it
    types new questions."""
    fold = folds_of(examples, settings["folds"])
    models: dict[str, QtypeModel] = {}
    for f in range(settings["folds"]):
        train = [e for e, g in zip(examples, fold, strict=True) if g != f]
        model = fit_with(train, settings)
        for i in np.flatnonzero(fold == f):
            if examples[i].source == "liveqa-train":
                models[examples[i].group] = model
    return models


# --- command ----------------------------------------------------------------------------------


def fit_with(examples: Sequence[Example], settings: dict) -> QtypeModel:
    """A classifier with the settings of a model card."""
    return fit_model(
        examples,
        settings["C"],
        settings["medquad_weight_per_type"],
        settings["threshold"],
        settings["vector_scale"],
        settings.get("lay_weight", 1.0),
        settings.get("prior", 0.0),
    )


def training_examples(
    data_dir: Path, lay: bool = False, lay_rows: Sequence[LayQuestion] | None = None
) -> list[Example]:
    """MedQuAD, LiveQA training and MeQSum examples; with `lay`, the lay questions too (all,
    or `lay_rows`)."""
    from healthqa.training.data import read_liveqa_train, read_medquad, read_meqsum

    documents = read_medquad(data_dir)
    examples = medquad_examples(documents) + liveqa_examples(read_liveqa_train(data_dir))
    examples += meqsum_examples(read_meqsum(data_dir), question_forms(documents))
    if not lay:
        return examples
    return examples + lay_examples(
        read_lay_questions("en", data_dir) if lay_rows is None else lay_rows
    )


def parse_hold_out(text: str) -> tuple[int, int]:
    """ "K:R" -> (K, R), 0 <= R < K; a clear error otherwise."""
    every, _, offset = text.partition(":")
    if not (every.isdigit() and offset.isdigit()) or not 0 <= int(offset) < int(every):
        raise HealthqaError(f"--hold-out must be K:R with 0 <= R < K, got {text!r}")
    return int(every), int(offset)


def without_held_out(
    examples: Sequence[Example], questions: Sequence[TrainQuestion], every: int, offset: int
) -> list[Example]:
    """The examples less the LiveQA training messages at positions i % every == offset."""
    held = {q.qid for i, q in enumerate(questions) if i % every == offset}
    return [e for e in examples if not (e.source == "liveqa-train" and e.group in held)]


def fit_held_out(data_dir: Path, hold_out: tuple[int, int], out: Path, section: bool) -> None:
    """A classifier with the packaged model's settings, fitted without the held-out messages
    (and with `section`, without the lay questions `bench/lay_train.py --every K --offset R`
    reads, nor any sharing a page with them)."""
    from healthqa.training.data import read_liveqa_train
    from healthqa.training.rerank import without_held_out_pages

    card_file = SECTION_CARD_FILE if section else CARD_FILE
    settings = json.loads(packaged_path(card_file).read_text(encoding="utf-8"))["settings"]
    lay_rows = without_held_out_pages(read_lay_questions("en", data_dir), *hold_out)
    examples = training_examples(data_dir, lay=section, lay_rows=lay_rows)
    examples = without_held_out(examples, read_liveqa_train(data_dir), *hold_out)
    model = fit_with(examples, settings)
    held = f"positions i % {hold_out[0]} == {hold_out[1]}"
    info = {
        "held_out": f"LiveQA training messages at {held}"
        + (f"; lay questions at {held} and those sharing a page with them" if section else ""),
        "settings": settings,
    }
    replace(model, info=info).save(out)
    print(f"model without the held-out messages written to {out}")


def card(model: QtypeModel, model_path: Path) -> dict:
    return {
        "model": "question type: multinomial logistic regression over word uni+bigrams",
        "file": model_path.name,
        "sha256": hashlib.sha256(model_path.read_bytes()).hexdigest(),
        "classes": list(model.classes),
        "ngrams": len(model.ngrams),
        "threshold": model.threshold,
        **model.info,
    }


def card_path_of(model_path: Path) -> Path:
    """qtype.json -> qtype.card.json, beside it."""
    return model_path.with_name(f"{model_path.stem}.card.json")


def section_comparison(examples: Sequence[Example], k: int, best: Choice) -> dict:
    """Right answer section by source, out of fold: the cue patterns, the packaged (retrieval)
    model's settings without the lay questions, and the chosen section model."""
    old = json.loads(packaged_path(CARD_FILE).read_text(encoding="utf-8"))["settings"]
    fit = Fit(old["C"], old["medquad_weight_per_type"], old["vector_scale"], lay_weight=0.0)
    probabilities = held_out_probabilities(examples, fit, k)
    return {
        "cue patterns": cue_accuracy(examples),
        f"{MODEL_FILE} settings, no lay questions": accuracy_by_source(
            examples, probabilities, old["threshold"], by_section=True
        ),
        "chosen": best.figures,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--hold-out", default="", help="K:R, leave out LiveQA messages i%%K==R")
    parser.add_argument(
        "--section",
        action="store_true",
        help=f"the answer section's classifier ({SECTION_MODEL_FILE}): also the lay questions",
    )
    args = parser.parse_args(argv)
    if args.folds < 2:
        raise HealthqaError(f"--folds must be at least 2, got {args.folds}")
    data_dir = Settings.resolve(args.data).data_dir
    if args.hold_out:
        hold_out = parse_hold_out(args.hold_out)
        if args.out is None:
            raise HealthqaError("--hold-out writes a check model: give --out FILE")
        fit_held_out(data_dir, hold_out, args.out, args.section)
        return
    out = args.out or packaged_path(SECTION_MODEL_FILE if args.section else MODEL_FILE)
    started = time.perf_counter()
    examples = training_examples(data_dir, lay=args.section)
    counts = Counter(e.source for e in examples)
    print(f"examples: {dict(counts)}", flush=True)
    best, table = cross_validate(examples, args.folds, section=args.section)
    trained_on = {
        "medquad": f"{counts['medquad']} typed questions, focus taken out",
        "liveqa-train": f"{counts['liveqa-train']} messages, reduced as at run time",
        "meqsum": f"{counts['meqsum']} questions whose summary is a MedQuAD question form",
    }
    grid: dict = {
        "C": C_GRID,
        "medquad_weight": MEDQUAD_WEIGHT_GRID,
        "vector_scale": VECTOR_SCALE_GRID,
    }
    settings: dict = {
        "C": best.c,
        "medquad_weight_per_type": best.medquad_weight,
        "threshold": best.threshold,
        "vector_scale": best.vector_scale,
    }
    cross_validation: dict = {"chosen": best.figures, "grid": table}
    if args.section:
        trained_on["lay-questions"] = (
            f"{counts['lay-questions']} lay questions with a section (lay-questions-en), reduced "
            "as at run time, grouped by the page they were written from"
        )
        grid |= {
            "medquad_weight": SECTION_MEDQUAD_WEIGHT_GRID,
            "vector_scale": SECTION_VECTOR_SCALE_GRID,
            "lay_weight": LAY_WEIGHT_GRID,
            "prior": PRIOR_GRID,
        }
        settings |= {"lay_weight": best.lay_weight, "prior": best.prior}
        cross_validation = {
            "accuracy": "the predicted type's answer section is the labelled one "
            "(answer.sections.section_for_question); chosen by the mean of lay questions and "
            "LiveQA training, then MeQSum",
            "comparison": section_comparison(examples, args.folds, best),
        } | cross_validation
    info = {
        "trained_on": trained_on,
        "labels": Counter(label for e in examples for label in e.labels).most_common(),
        "collapsed_types": CLASS_OF_TYPE,
        "features": "distinct word uni+bigrams of the lower-cased text ([a-z0-9]+), binary, "
        f"seen in >= {MIN_NGRAM_EXAMPLES} examples; with vector_scale > 0 also the question "
        f"encoder's ({VECTOR_ENCODER}) unit sentence vector times vector_scale",
        "settings": settings
        | {
            "folds": args.folds,
            "seed": SEED,
            "grid": grid,
            "solver": "newton-cg, multinomial, L2, tol 1e-6",
        },
        "cross_validation": cross_validation,
        "built_by": REBUILD + (" --section" if args.section else ""),
    }
    model = fit_with(examples, settings)
    info["train_seconds"] = round(time.perf_counter() - started, 1)
    model = replace(model, info=info)
    model.save(out)
    card_path = card_path_of(out)
    card_path.write_text(json.dumps(card(model, out), indent=2) + "\n")
    print(f"chosen: {settings}")
    print(f"{args.folds}-fold accuracy: {best.figures}")
    if args.section:
        print(f"comparison: {cross_validation['comparison']}")
    print(f"model written to {out}, card to {card_path}")


if __name__ == "__main__":
    main()
