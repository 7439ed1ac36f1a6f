"""Fits the answer re-ranker (`retrieval/rerank.py`) on the LiveQA training questions and the
English lay training questions. Never on the LiveQA dev judgments, which only measure it
(`healthqa eval liveqa`).

    python -m healthqa.training.rerank [--data DIR] [--out FILE] [--qtype cues|learned]
                                       [--boosted] [--labels distant|copied|agreement|choose|...]
                                       [--no-lay] [--lay-hold-out K:R]
    HEALTHQA_HOME=<an index built with --no-dense> python -m healthqa.training.rerank
                                       # only models/rerank_no_vector.json, on BM25-only lists

Labels (`LABELS`): the distant labels (`labels.py`: a MedQuAD answer is relevant when a
reference answer was copied from it, or when its focus and type are the annotated ones; the
default, and the packaged models'), the copied answers alone, agreement with the reference
answers (grade >= 2, `agreement.py`), or the distant labels or agreement. Every choice is also
scored out of fold against targets that are not the focus-and-type rule the features spell out
(`TARGETS`: the graded agreement and the copied answers); with `--labels choose` the best
targets' mean picks the labels too (`choice_figure`).

The lay training questions (`lay_questions_en.jsonl`, session 20) are a second labelled source:
an answer of the fused list is relevant when its page is one of the question's gold pages.
Their answers weigh one of LAY_WEIGHTS (0: left out), chosen with the rest; their folds are
grouped by gold page (`lay_groups`: questions sharing a page are in one fold), and a choice's
figure adds their P@1, MAP@10 and MRR@10 against the gold pages to the LiveQA ones.
`--lay-hold-out K:R` leaves out the lay questions `bench/lay_train.py --every K --offset R`
reads, and those sharing a gold page with them. `--no-lay`: LiveQA alone, as before.

`--qtype` is the analyzer's question type source the re-ranker is fitted with (and used with:
`models/rerank.json` for the cue patterns, `models/rerank_learned.json` for the classifier,
`retrieval.rerank.MODEL_FILE_OF_QTYPE`). The classifier was fitted on these very messages, so
each training message is typed (with `learned`) and given its type probabilities (the
"type_probability" feature) by a classifier with the packaged settings fitted on the folds
without it (`training.qtype.held_out_models`): the type features then carry the weight they
earn on new questions, not on memorised ones.

Which features (`FEATURE_SETS`) and which learner (the regularisation of the logistic
regression; with `--boosted`, gradient-boosted trees too) are chosen by 5-fold cross-validation
over the training questions, grouped by question; those figures go into the model file beside
the fused order's, as the training-CV figure to read next to the evaluation. The chosen model's
out-of-fold figures against every relevant MedQuAD answer, in the list or not
(`score_all_relevant`), are recorded too: there a relevant answer the candidate list misses
counts.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from healthqa.analysis.qtype import QtypeModel, class_of
from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.errors import HealthqaError
from healthqa.evaluation.trec import Qrels, per_query, ranking_measures
from healthqa.retrieval.rerank import (
    FEATURES,
    MODEL_FILE_OF_QTYPE,
    RERANK_DEPTH,
    AnswerView,
    RerankModel,
    answer_views,
    feature_matrix,
    model_path,
)
from healthqa.training.agreement import Agreement, grade
from healthqa.training.data import (
    LayQuestion,
    read_lay_questions,
    read_liveqa_train,
    read_medquad,
)
from healthqa.training.labels import (
    ShingleIndex,
    by_focus_key,
    copied_answers,
    relevant_answers,
)
from healthqa.training.qtype import parse_hold_out

# Candidate regularisation strengths; the best 5-fold figure on the training questions wins.
C_GRID = (0.03, 0.1, 0.3, 1.0)
# Gradient boosting (scikit-learn's HistGradientBoostingClassifier, read at run time as node
# tables by retrieval/trees.py), one fixed setting, no early stopping (deterministic); offered
# to the cross-validation only with `--boosted`. It wins that cross-validation (MAP@10 0.715
# vs 0.689, MRR@10 0.785 vs 0.763) yet lowered the LiveQA evaluation from 1.373 / 0.332 / 0.535
# to 1.118 / 0.290 / 0.450 (avgScore / MAP@10 / MRR@10): half of the distant labels are a rule
# over the answer's focus and type, which trees can learn from the focus and type features
# better than they learn relevance (docs/benchmarks.md). The setting: the best of five
# tried on these folds (bench/rerank_choices.py; 200 trees of 15 leaves overfit, MAP@10 0.675
# vs 0.691 for the regression); small trees with at least 100 answers a leaf also beat the
# regression on three other random splits (MAP@10 +0.013 to +0.021).
BOOSTING = {
    "max_iter": 100,
    "learning_rate": 0.05,
    "max_leaf_nodes": 7,
    "min_samples_leaf": 100,
    "l2_regularization": 1.0,
}
BOOSTED = "boosted trees"
BOOSTED_C = 0.1
# The learners the cross-validation chooses among: "C=<c>" (logistic regression), and BOOSTED
# with `--boosted`.
LEARNERS = tuple(f"C={c}" for c in C_GRID)
FOLDS = 5
SEED = 13
CUTOFF = 10
# How much an answer of a lay training question weighs against a LiveQA one (0: left out),
# chosen by the cross-validation with the features and the learner.
LAY_WEIGHTS = (0.0, 0.1, 0.3, 1.0)
# "entailment" (the RQE model's probability for the answer's question) raised the 5-fold
# figures by 0.01 (MAP@10 0.620 -> 0.630) but costs 130-150 ms a question, half the latency
# budget, for no gain on the LiveQA evaluation (1.314 vs 1.333 avgScore): left out.
# "synonym_named" is a candidate the cross-validation may take or leave.
CANDIDATE_FEATURES = ("entailment", "type_probability", "synonym_named")
BASE_FEATURES = tuple(name for name in FEATURES if name not in CANDIDATE_FEATURES)
FEATURE_SETS = {
    "base": BASE_FEATURES,
    "base + type_probability": (*BASE_FEATURES, "type_probability"),
    "base + type_probability + synonym_named": (
        *BASE_FEATURES,
        "type_probability",
        "synonym_named",
    ),
}
COLLECTED = tuple(dict.fromkeys(n for names in FEATURE_SETS.values() for n in names))


@dataclass(frozen=True)
class Row:
    qid: str
    doc_ids: tuple[str, ...]
    features: np.ndarray
    labels: np.ndarray  # the distant labels (`labels.py`)
    # every MedQuAD answer the distant labels call relevant, in the list or not
    relevant: frozenset[str] = frozenset()
    # 1 where a reference answer was copied from the answer (a part of the distant labels)
    copied: np.ndarray | None = None
    # graded agreement with the reference answers, 0..3 (`agreement.py`)
    grades: np.ndarray | None = None
    # what the folds keep together (a lay question's gold pages, `lay_groups`); "" = the qid
    group: str = ""
    # a lay question's training labels (`asked_labels`); `labels` are its gold pages' answers
    asked: np.ndarray | None = None


def distant_labels(row: Row) -> np.ndarray:
    return row.labels


def copied_labels(row: Row) -> np.ndarray:
    return _required(row.copied, "copied")


def agreement_labels(row: Row) -> np.ndarray:
    return (_required(row.grades, "grades") >= 2).astype(int)


def distant_or_agreement_labels(row: Row) -> np.ndarray:
    return ((row.labels == 1) | (agreement_labels(row) == 1)).astype(int)


def _required(values: np.ndarray | None, name: str) -> np.ndarray:
    if values is None:
        raise HealthqaError(f"training row without its {name!r} labels: collect() computes them")
    return values


# The training labels (each a 0/1 label per listed answer); `--labels choose` lets the
# cross-validation choose among them by the targets (`TARGETS`). The packaged models keep the
# distant labels: the choice among all four (the copied answers, 2026-12-01) lowered the
# evaluation answer set from 92 % to 90 % (docs/benchmarks.md).
CHOOSE = "choose"
LABELS = {
    "distant": distant_labels,
    "copied": copied_labels,
    "agreement": agreement_labels,
    "distant or agreement": distant_or_agreement_labels,
}


def collect(
    engine: Engine,
    data_dir: Path,
    type_models: dict[str, QtypeModel] | None = None,
    depth: int = RERANK_DEPTH,
) -> list[Row]:
    """Per training question: the fused list's first `depth` answers (not re-ranked), the
    `COLLECTED` features, labels. `type_models` (by qid): the question type classifier that
    did not read the question, for its type probabilities and, when the engine's type source
    is the classifier, its type."""
    documents = read_medquad(data_dir)
    shingle_index = ShingleIndex(documents)
    focus_table = by_focus_key(documents)
    learned = engine.settings.qtype == "learned"
    passages = max(engine.settings.passages_per_question, 3 * depth)
    rows, references = [], {}
    for question in read_liveqa_train(data_dir):
        type_model = (type_models or {}).get(question.qid)
        if learned and type_model is not None:
            engine.analyzer.qtype_of = type_model.predict
        analysed = engine.analyze(question.original)
        views = answer_views(engine.retrieve(analysed, passages, rerank=False), depth)
        if not views:
            continue
        keys = _focus_keys(engine, question)
        relevant = relevant_answers(question, shingle_index, focus_table, keys)
        labels = np.array([v.doc_id in relevant for v in views], dtype=int)
        copied = copied_answers(question, shingle_index)
        references[question.qid] = [a for part in question.parts for a in part.answers]
        rows.append(
            Row(
                question.qid,
                tuple(v.doc_id for v in views),
                feature_matrix(analysed, views, COLLECTED, type_model),
                labels,
                relevant,
                np.array([v.doc_id in copied for v in views], dtype=int),
            )
        )
    return graded(rows, references, {d.id: d.text for d in documents})


def collect_lay(
    engine: Engine, questions: list[LayQuestion], depth: int = RERANK_DEPTH
) -> list[Row]:
    """Per lay training question with a gold page (`lay_questions_en.jsonl`): the fused list's
    first `depth` answers, the `COLLECTED` features and the page labels (an answer is relevant
    when its page is one of the question's gold pages), grouped by page (`lay_groups`)."""
    passages = max(engine.settings.passages_per_question, 3 * depth)
    groups = lay_groups(questions)
    rows = []
    for question in questions:
        if not question.sources:
            continue
        analysed = engine.analyze(question.question)
        views = answer_views(engine.retrieve(analysed, passages, rerank=False), depth)
        if not views:
            continue
        gold = set(question.sources)
        labels = np.array([v.page in gold for v in views], dtype=int)
        rows.append(
            Row(
                f"{LAY_PREFIX}{question.qid}",
                tuple(v.doc_id for v in views),
                feature_matrix(analysed, views, COLLECTED),
                labels,
                group=groups[question.qid],
                asked=asked_labels(question, views, labels),
            )
        )
    return rows


def asked_labels(question: LayQuestion, views: list[AnswerView], labels: np.ndarray) -> np.ndarray:
    """The answers of a gold page of the asked section's class (as the distant labels take the
    focus and the type), when the list holds one; else every answer of a gold page. Fitted to
    the gold pages alone, the lay rows pulled against the LiveQA ones (type features): 5-fold,
    lay weight 0.1, LiveQA P@1 0.627 vs 0.659, lay gold page first 0.740 vs 0.717
    (docs/benchmarks.md)."""
    from healthqa.training.qtype import LAY_CLASS

    wanted = LAY_CLASS.get(question.section or "")
    asked = np.array([class_of(v.qtype) == wanted for v in views], dtype=int) * labels
    return asked if asked.any() else labels


LAY_PREFIX = "lay:"


def lay_groups(questions: list[LayQuestion]) -> dict[str, str]:
    """qid -> its group: questions that share a gold page, directly or through others, are one
    group (its first page by name), so that a page never trains the model that judges it."""
    parent: dict[str, str] = {}

    def root(page: str) -> str:
        while parent.setdefault(page, page) != page:
            page = parent[page]
        return page

    for question in questions:
        for page in question.sources[1:]:
            first, other = root(question.sources[0]), root(page)
            parent[max(first, other)] = min(first, other)
    return {q.qid: root(q.sources[0]) if q.sources else q.qid for q in questions}


def without_held_out_pages(
    questions: list[LayQuestion], every: int, offset: int
) -> list[LayQuestion]:
    """The lay questions less those at positions i % every == offset (what
    `bench/lay_train.py --every K --offset R` reads) and less every question that shares a gold
    page with one of them (through `lay_groups`), so that no held-out page trains the model."""
    groups = lay_groups(questions)
    held = {groups[q.qid] for i, q in enumerate(questions) if i % every == offset}
    return [q for i, q in enumerate(questions) if i % every != offset and groups[q.qid] not in held]


def graded(rows: list[Row], references: dict[str, list[str]], texts: dict[str, str]) -> list[Row]:
    """The rows with their graded agreement (`agreement.py`), inverse document frequencies over
    the answers of every list."""
    listed = {d for r in rows for d in r.doc_ids}
    agreement = Agreement({d: texts[d] for d in listed})
    out = []
    for row in rows:
        values = agreement.best(references.get(row.qid, []), row.doc_ids)
        copied = _required(row.copied, "copied")
        grades = [grade(v, bool(c)) for v, c in zip(values, copied, strict=True)]
        out.append(replace(row, grades=np.array(grades, dtype=int)))
    return out


def _focus_keys(engine: Engine, question) -> set[str]:
    from healthqa.analysis.vocabulary import phrase_key

    keys = set()
    for part in question.parts:
        if part.focus:
            keys.add(phrase_key(part.focus))
            keys |= {
                phrase_key(t.concept) for t in engine.analyzer.vocabulary.find_terms(part.focus)
            }
    return keys


def columns(names: tuple[str, ...]) -> list[int]:
    return [COLLECTED.index(n) for n in names]


def fit(
    rows: list[Row],
    learner: str,
    names: tuple[str, ...] = BASE_FEATURES,
    labels: str = "distant",
    lay: list[Row] | None = None,
    lay_weight: float = 1.0,
) -> RerankModel:
    """The re-ranker by `learner` (one of LEARNERS) over the named features, fitted to the
    `labels` (one of LABELS) of the LiveQA rows and to the page labels of the `lay` rows, each
    lay answer weighing `lay_weight` (a LiveQA answer weighs 1; 0: the lay rows left out)."""
    lay = lay if lay and lay_weight > 0 else []
    x = np.vstack([r.features for r in (*rows, *lay)])[:, columns(names)]
    y = np.concatenate([LABELS[labels](r) for r in rows] + [_lay_labels(r) for r in lay])
    weight = np.concatenate(
        [np.ones(len(r.labels)) for r in rows] + [np.full(len(r.labels), lay_weight) for r in lay]
    )
    if learner != BOOSTED:
        return RerankModel.fit(
            x, y, names, weight, C=float(learner.removeprefix("C=")), class_weight="balanced"
        )
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    from healthqa.retrieval.trees import from_sklearn

    # one thread: on 2 shared cores OpenMP's threads wait on each other (15 s a fit vs 5 s)
    with threadpool_limits(limits=1, user_api="openmp"):
        boosted = HistGradientBoostingClassifier(
            **BOOSTING, early_stopping=False, class_weight="balanced", random_state=SEED
        ).fit(x, y, sample_weight=weight)
    linear = RerankModel.fit(x, y, names, weight, C=BOOSTED_C, class_weight="balanced")
    return replace(linear, trees=from_sklearn(boosted))


def score(rows: list[Row], scores: dict[str, np.ndarray]) -> dict[str, float]:
    """MAP@10 and MRR@10 against the distant labels, over questions with a relevant answer."""
    qrels: Qrels = {
        r.qid: {d: 4 for d, y in zip(r.doc_ids, r.labels, strict=True) if y} for r in rows
    }
    qrels = {q: j for q, j in qrels.items() if j}
    run = {r.qid: _ranking(r.doc_ids, scores[r.qid]) for r in rows if r.qid in qrels}
    values = per_query(ranking_measures(CUTOFF, 3), qrels, run)
    return {name: round(sum(v.values()) / len(v), 4) for name, v in values.items()}


def score_all_relevant(rows: list[Row], scores: dict[str, np.ndarray]) -> dict[str, float]:
    """MAP@10 and MRR@10 against every relevant MedQuAD answer (in the list or not), over every
    question that has one: what candidate recall costs shows here, so lists of different depth
    or signals compare."""
    qrels: Qrels = {r.qid: dict.fromkeys(r.relevant, 4) for r in rows if r.relevant}
    run = {r.qid: _ranking(r.doc_ids, scores[r.qid]) for r in rows if r.qid in qrels}
    values = per_query(ranking_measures(CUTOFF, 3), qrels, run)
    return {name: round(sum(v.values()) / len(qrels), 4) for name, v in values.items()}


def _ranking(doc_ids: tuple[str, ...], scores: np.ndarray) -> list[tuple[str, float]]:
    pairs = zip(doc_ids, map(float, scores), strict=True)
    return sorted(pairs, key=lambda p: -p[1])[:CUTOFF]


def held_out_type_models(data_dir: Path) -> tuple[dict[str, QtypeModel], float]:
    """For each LiveQA training message, a question type classifier that did not read it (the
    packaged model's settings), and the share of messages it types as one of their annotated
    types (the classifier's own grouped cross-validation figure)."""
    from healthqa.analysis.qtype import default_model as qtype_model
    from healthqa.training.qtype import held_out_models, training_examples

    examples = training_examples(data_dir)
    models = held_out_models(examples, qtype_model().info["settings"])
    right = [
        models[e.group].predict(e.text) in e.labels for e in examples if e.source == "liveqa-train"
    ]
    return models, round(sum(right) / len(right), 4)


def _lay_labels(row: Row) -> np.ndarray:
    return row.labels if row.asked is None else row.asked


def held_out_scores(
    rows: list[Row],
    learner: str,
    names: tuple[str, ...],
    labels: str = "distant",
    lay: list[Row] | None = None,
    lay_weight: float = 1.0,
) -> dict[str, np.ndarray]:
    """Out-of-fold logits of the LiveQA and the `lay` rows, 5 folds: the LiveQA rows grouped by
    question (a question's answers are in one; the folds of the fit without lay rows), the lay
    rows by their group (questions sharing a gold page are in one)."""
    lay = lay or []
    fold_of = folds(rows, lay)
    held_out: dict[str, np.ndarray] = {}
    for fold in range(FOLDS):
        train = [r for r in rows if fold_of[r.qid] != fold]
        train_lay = [r for r in lay if fold_of[r.qid] != fold]
        model = fit(train, learner, names, labels, train_lay, lay_weight)
        for row in (*rows, *lay):
            if fold_of[row.qid] == fold:
                held_out[row.qid] = model.logits(row.features[:, columns(names)])
    return held_out


def folds(rows: list[Row], lay: list[Row]) -> dict[str, int]:
    """qid -> fold: the LiveQA rows by a seeded permutation of the questions, the lay rows by
    one of their groups."""
    order = np.random.default_rng(SEED).permutation(len(rows))
    fold_of = {rows[int(i)].qid: k % FOLDS for k, i in enumerate(order)}
    groups = sorted({r.group or r.qid for r in lay})
    group_order = np.random.default_rng(SEED).permutation(len(groups))
    fold_of_group = {groups[int(i)]: k % FOLDS for k, i in enumerate(group_order)}
    return fold_of | {r.qid: fold_of_group[r.group or r.qid] for r in lay}


def score_targets(rows: list[Row], scores: dict[str, np.ndarray]) -> dict[str, float]:
    """Figures against the targets the cross-validation chooses by (`TARGETS`), and their mean:
    the graded agreement with the reference answers (nDCG@10 over grades 0-3; MAP@10, MRR@10
    and P@1 with grades >= 2 relevant) and the copied answers alone."""
    from ir_measures import AP, RR, P, nDCG

    agreement = {
        "agreement nDCG@10": nDCG @ CUTOFF,
        "agreement P@1 (>=2)": P(rel=2) @ 1,
        "agreement MAP@10 (>=2)": AP(rel=2) @ CUTOFF,
        "agreement MRR@10 (>=2)": RR(rel=2) @ CUTOFF,
    }
    copied = {"copied MAP@10": AP @ CUTOFF, "copied MRR@10": RR @ CUTOFF}
    figures = _means(rows, scores, lambda r: _required(r.grades, "grades"), agreement)
    figures |= _means(rows, scores, copied_labels, copied)
    figures["target mean"] = round(float(np.mean([figures[t] for t in TARGETS])), 4)
    return figures


# What the cross-validation chooses by (their mean): targets other than the rule over the
# answer's focus and type that half of the distant labels are and the features spell out.
TARGETS = (
    "agreement nDCG@10",
    "agreement MAP@10 (>=2)",
    "agreement MRR@10 (>=2)",
    "copied MAP@10",
    "copied MRR@10",
)


def _means(rows, scores, grades_of, measures) -> dict[str, float]:
    """Means over the questions with a relevant answer in the list by `grades_of`."""
    qrels: Qrels = {}
    for r in rows:
        judged = {d: int(g) for d, g in zip(r.doc_ids, grades_of(r), strict=True) if g}
        if judged:
            qrels[r.qid] = judged
    run = {r.qid: _ranking(r.doc_ids, scores[r.qid]) for r in rows if r.qid in qrels}
    values = per_query(measures, qrels, run)
    return {name: round(sum(v.values()) / len(v), 4) for name, v in values.items()}


def cross_validate(
    rows: list[Row],
    learner: str,
    names: tuple[str, ...],
    labels: str = "distant",
    *,
    lay: list[Row] | None = None,
    lay_weight: float = 1.0,
) -> dict[str, float]:
    """Out-of-fold figures against the distant labels of the list (`score`), the targets
    (`score_targets`) and, with `lay` rows, their gold pages (`lay_score`), the model fitted to
    `labels` and the lay rows weighing `lay_weight`."""
    scores = held_out_scores(rows, learner, names, labels, lay, lay_weight)
    figures = score(rows, scores) | score_targets(rows, scores)
    return figures | (lay_score(lay, scores) if lay else {})


LAY_MEASURES = ("P@1 (>=3)", "MAP@10 (>=3)", "MRR@10 (>=3)")


def lay_score(lay: list[Row], scores: dict[str, np.ndarray]) -> dict[str, float]:
    """P@1, MAP@10, MRR@10 against the lay questions' gold pages (an answer of a gold page is
    relevant), over the lay questions with one in the list, as "lay <measure>"."""
    return {f"lay {name}": value for name, value in score(lay, scores).items()}


CARD_TARGETS = (*TARGETS, "target mean")
CARD_LAY = ("lay P@1 (>=3)", "lay MRR@10 (>=3)")


def card_path(model_path: Path) -> Path:
    """rerank.json -> rerank.card.md, beside it."""
    return model_path.with_name(f"{model_path.stem}.card.md")


def write_card(model: RerankModel, path: Path) -> None:
    """The model card: data, settings, time, cross-validation figures, coefficients."""
    info = model.info or {}
    learners = ", ".join(info.get("learners", []))
    lines = [
        f"# Answer re-ranker (`{path.name.replace('.card.md', '.json')}`)",
        "",
        "Orders the first answers of the fused list (`retrieval/rerank.py`); used when the",
        f"analyzer's question type source is `{info.get('qtype')}` (`Settings.qtype`)"
        + (" and the engine has no dense search." if info.get("used_when") == "no dense" else "."),
        "",
        f"- Data: {info.get('trained_on')}; {info.get('questions')} questions, "
        f"{info.get('questions_with_a_relevant_answer')} with a relevant answer in the list "
        "(distant labels).",
        f"- Listed answers per label: {info.get('label_counts', {})}.",
        f"- English lay training questions (`lay_questions_en.jsonl`): "
        f"{info.get('lay_questions', 0)} with a gold page "
        f"({info.get('lay_questions_with_a_gold_page_in_the_list', 0)} with one in the list, "
        f"{info.get('lay_groups', 0)} groups of questions sharing a page, each in one fold); "
        "labels: the gold pages' answers of the asked section's class (`asked_labels`); "
        f"weight of a lay answer (a LiveQA one: 1) chosen among "
        f"{info.get('lay_weights', [0.0])}: {info.get('lay_weight', 0.0)}.",
        "- Question type classifier on the training messages: "
        f"{info.get('type_classifier_on_training_messages')}.",
        f"- Model: {_model_line(info.get('learner', ''))}, balanced class weights; fitted to the "
        f"`{info.get('labels', 'distant')}` labels, features `{info.get('feature_set')}` "
        f"(chosen, with the labels among {', '.join(info.get('label_choices', ['distant']))} "
        f"and the learner among {learners}, by {FOLDS}-fold cross-validation grouped by "
        f"question, seed {SEED}: {info.get('chosen_by', CHOSEN_BY['distant'])}).",
        f"- Built by `{info.get('built_by')}` in {info.get('train_seconds')} s on 2 shared cores.",
        "",
        "Cross-validation (out of fold; labels: model): P@1, MAP@10, MRR@10 against the distant",
        "labels, then the targets (`training.rerank.TARGETS`) and their mean, then P@1 and",
        "MRR@10 against the lay questions' gold pages (`lay_score`):",
        "",
        "| choice | P@1 | MAP@10 | MRR@10 | "
        + " | ".join(CARD_TARGETS)
        + " | "
        + " | ".join(CARD_LAY)
        + " |",
        "|---|---:|---:|---:|" + "---:|" * (len(CARD_TARGETS) + len(CARD_LAY)),
    ]
    rows = {"fused order (no re-ranker)": info.get("fused_order", {})}
    rows |= info.get("cross_validation", {})
    for name, figures in rows.items():
        names = ("P@1 (>=3)", "MAP@10 (>=3)", "MRR@10 (>=3)", *CARD_TARGETS, *CARD_LAY)
        values = [figures.get(m, "") for m in names]
        lines.append(f"| {name} | " + " | ".join(str(v) for v in values) + " |")
    every = info.get("against_every_relevant_answer", {})
    if every:
        lines += [
            "",
            "Against every relevant MedQuAD answer, in the list or not (out of fold):",
            "",
        ]
        lines += ["| order | P@1 | MAP@10 | MRR@10 |", "|---|---:|---:|---:|"]
        for name, figures in every.items():
            values = [figures.get(m, "") for m in ("P@1 (>=3)", "MAP@10 (>=3)", "MRR@10 (>=3)")]
            lines.append(f"| {name} | " + " | ".join(str(v) for v in values) + " |")
    title = "coefficient (standardised)"
    if model.trees is not None:
        title += f" of the logistic regression at C = {BOOSTED_C}, for reading: the trees decide"
    lines += ["", f"| feature | {title} |", "|---|---:|"]
    lines += [f"| {n} | {c:.3f} |" for n, c in zip(model.features, model.coef, strict=True)]
    path.write_text("\n".join(lines) + "\n")


def _model_line(learner: str) -> str:
    if learner == BOOSTED:
        settings = ", ".join(f"{k} {v}" for k, v in BOOSTING.items())
        return f"gradient-boosted trees (scikit-learn HistGradientBoostingClassifier: {settings})"
    return f"logistic regression on standardised features, {learner}"


CHOSEN_BY = {
    "distant": "best P@1 + MAP@10 + MRR@10 against the distant labels",
    CHOOSE: "best mean of " + ", ".join(TARGETS),
}


def choice_figure(figures: dict[str, float], labels: str) -> float:
    """What a choice is ranked by: with the distant labels (the packaged models), the sum of P@1,
    MAP@10 and MRR@10 against them, as before the targets existed; otherwise (`CHOOSE` or
    another label), the targets' mean, which no label's own rule over focus and type decides.
    With lay rows, plus their figures against the gold pages (the same sum; their mean)."""
    lay = [figures[f"lay {m}"] for m in LAY_MEASURES if f"lay {m}" in figures]
    if labels == "distant":
        return sum(figures[m] for m in LAY_MEASURES) + sum(lay)
    return figures["target mean"] + (float(np.mean(lay)) if lay else 0.0)


def _label_counts(rows: list[Row]) -> dict[str, int]:
    """Listed answers each training label calls relevant, and answers per agreement grade."""
    counts = {name: int(sum(label(r).sum() for r in rows)) for name, label in LABELS.items()}
    grades = np.concatenate([_required(r.grades, "grades") for r in rows])
    return counts | {f"agreement grade {g}": int((grades == g).sum()) for g in range(4)}


def model_outputs(dense: bool, qtype: str, out: Path | None) -> tuple[Path, bool]:
    """The model file to write, and whether the no-vector model is fitted beside it. A re-ranker
    is fitted on the candidate lists it will rank: on an index without dense search, only the
    no-vector model, on that index's BM25 lists; on a dense one, the model of `qtype` and, for
    the packaged cue-type model, the no-vector one from the same lists' CV."""
    if not dense:
        return out or model_path(qtype, vector=False), False
    return out or model_path(qtype), qtype == "cues" and out is None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--qtype", choices=tuple(MODEL_FILE_OF_QTYPE), default="cues")
    parser.add_argument("--out", type=Path, default=None, help="default: the packaged model")
    parser.add_argument(
        "--boosted",
        action="store_true",
        help="let the cross-validation choose gradient-boosted trees too (see BOOSTING)",
    )
    parser.add_argument(
        "--labels",
        choices=(*LABELS, CHOOSE),
        default="distant",
        help="the training labels (default: distant, the packaged models); "
        f"'{CHOOSE}': the cross-validation chooses among them by the targets' mean",
    )
    parser.add_argument(
        "--no-lay", action="store_true", help="the LiveQA training questions alone (before s20)"
    )
    parser.add_argument(
        "--lay-hold-out",
        metavar="K:R",
        help="leave out the lay questions at positions i %% K == R and those sharing a gold page "
        "with them (for bench/lay_train.py --every K --offset R)",
    )
    args = parser.parse_args(argv)
    learners = (*LEARNERS, BOOSTED) if args.boosted else LEARNERS
    label_names = tuple(LABELS) if args.labels == CHOOSE else (args.labels,)
    started = time.perf_counter()
    engine = Engine.open(Settings.resolve(args.data, qtype=args.qtype))
    data_dir = engine.settings.data_dir
    type_models, accuracy = held_out_type_models(data_dir)
    print(f"held-out question type accuracy on the training messages: {accuracy}", flush=True)
    rows = collect(engine, data_dir, type_models)
    lay_questions = [] if args.no_lay else read_lay_questions("en", data_dir)
    if args.lay_hold_out:
        every, offset = parse_hold_out(args.lay_hold_out)
        lay_questions = without_held_out_pages(lay_questions, every, offset)
    lay = collect_lay(engine, lay_questions)
    weights = LAY_WEIGHTS if lay else (0.0,)
    fused_scores = {r.qid: -np.arange(len(r.doc_ids), dtype=float) for r in (*rows, *lay)}
    fused = score(rows, fused_scores) | score_targets(rows, fused_scores)
    fused |= lay_score(lay, fused_scores) if lay else {}
    grid = [
        Choice(lb, n, lr, w)
        for lb in label_names
        for n in FEATURE_SETS
        for lr in learners
        for w in weights
    ]
    dense = engine.index.dense is not None
    out, plain_beside = model_outputs(dense, args.qtype, args.out)
    if not dense:
        grid = [c for c in grid if "type_probability" not in FEATURE_SETS[c.features]]
    by_choice = {
        c: cross_validate(
            rows, c.learner, FEATURE_SETS[c.features], c.labels, lay=lay, lay_weight=c.lay_weight
        )
        for c in grid
    }
    best = max(grid, key=lambda c: choice_figure(by_choice[c], args.labels))
    chosen_scores = held_out_scores(
        rows, best.learner, FEATURE_SETS[best.features], best.labels, lay, best.lay_weight
    )
    every = {
        "fused order": score_all_relevant(rows, fused_scores),
        "chosen": score_all_relevant(rows, chosen_scores),
    }
    info = {
        "trained_on": _trained_on(best),
        "labels": best.labels,
        "label_choices": list(label_names),
        "chosen_by": CHOSEN_BY["distant" if args.labels == "distant" else CHOOSE]
        + (" (LiveQA), plus the same against the lay questions' gold pages" if lay else ""),
        "label_counts": _label_counts(rows),
        "qtype": args.qtype,
        "type_classifier_on_training_messages": "held out: training.qtype.held_out_models, "
        f"accuracy {accuracy}",
        "questions": len(rows),
        "questions_with_a_relevant_answer": sum(1 for r in rows if r.labels.any()),
        "lay_questions": len(lay),
        "lay_questions_with_a_gold_page_in_the_list": sum(1 for r in lay if r.labels.any()),
        "lay_groups": len({r.group for r in lay}),
        "lay_weights": list(weights),
        "lay_weight": best.lay_weight,
        "feature_set": best.features,
        "learner": best.learner,
        "learners": list(learners),
        "cross_validation": {c.name(): v for c, v in by_choice.items()},
        "fused_order": fused,
        "against_every_relevant_answer": every,
        "train_seconds": round(time.perf_counter() - started, 1),
        "built_by": ("" if dense else "HEALTHQA_HOME=<an index built with --no-dense> ")
        + "python -m healthqa.training.rerank"
        + (f" --qtype {args.qtype}" if args.qtype != "cues" else "")
        + (" --boosted" if args.boosted else "")
        + (f" --labels '{args.labels}'" if args.labels != "distant" else "")
        + (" --no-lay" if args.no_lay else "")
        + (f" --lay-hold-out {args.lay_hold_out}" if args.lay_hold_out else ""),
    }
    if not dense:
        info["used_when"] = "no dense"
    model = replace(best.fit(rows, lay), info=info)
    model.save(out)
    write_card(model, card_path(out))
    if plain_beside:
        # for an engine without dense search: the best choice without the question's vector
        grid = [c for c in grid if "type_probability" not in FEATURE_SETS[c.features]]
        plain = max(grid, key=lambda c: choice_figure(by_choice[c], args.labels))
        plain_info = info | {
            "labels": plain.labels,
            "trained_on": _trained_on(plain),
            "feature_set": plain.features,
            "learner": plain.learner,
            "lay_weight": plain.lay_weight,
            "used_when": "no dense",
        }
        plain_model = replace(plain.fit(rows, lay), info=plain_info)
        plain_out = model_path(args.qtype, vector=False)
        plain_model.save(plain_out)
        write_card(plain_model, card_path(plain_out))
        print(f"without the question's vector: {plain.name()}, written to {plain_out}")
    print(f"fused order (training labels): {fused}")
    for choice, figures in by_choice.items():
        chosen = "  <- chosen" if choice == best else ""
        print(f"{choice.name()}: {FOLDS}-fold {figures}{chosen}")
    print(f"model written to {out}, card to {card_path(out)}")


@dataclass(frozen=True)
class Choice:
    """One point of the cross-validation's grid."""

    labels: str
    features: str  # a FEATURE_SETS name
    learner: str
    lay_weight: float = 0.0

    def name(self) -> str:
        return f"{self.labels}: {self.features}, {self.learner}" + (
            f", lay weight {self.lay_weight:g}" if self.lay_weight else ""
        )

    def fit(self, rows: list[Row], lay: list[Row]) -> RerankModel:
        names = FEATURE_SETS[self.features]
        return fit(rows, self.learner, names, self.labels, lay, self.lay_weight)


def _trained_on(choice: Choice) -> str:
    return (
        f"LiveQA 2017 training questions, {choice.labels} labels "
        "(healthqa.training.labels, healthqa.training.agreement)"
    )


if __name__ == "__main__":
    main()
