"""Fits the learned Spanish page chooser (`answer/chooser_es.py`): P(a candidate page is the
page a Spanish question is about), on page-made queries of the MedlinePlus en español pages
(`page_queries_es.py`: headings, names, descriptions, symptoms), never on the Spanish
evaluation sets.

    python -m healthqa.training.topic_es [--every N] [--out FILE]

Each query is analysed and searched as `Engine.ask` does (Spanish vocabulary, BM25 and USE
vectors, the bridge's cosines read but not fused); its first CHOSEN_DEPTH candidate pages are
rows, labelled 1 for the page it was made from. Logistic regression without class weights; C
by 5-fold cross-validation grouped by page (a page's queries never train the model that judges
them), log loss. On the out-of-fold probabilities, each query gets its most probable page, and
the threshold is the one of lowest cost when a wrong page costs WRONG_PAGE_COST abstentions;
the figures per kind (right, wrong, none) sit beside the rule cascade's on the same queries.
One query in ABSENT_EVERY is also asked as if its page were not indexed ("absent": there an
abstention is right and costs nothing), so that the model learns when no candidate is right.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from healthqa.analysis.spanish import analyze_spanish
from healthqa.answer.chooser_es import (
    CHOSEN_DEPTH,
    FEATURES,
    PageModel,
    default_page_model,
    matrix,
    page_rows,
)
from healthqa.answer.topic_es import choose_spanish_topic, named_page
from healthqa.config import Settings
from healthqa.engine import Engine, spanish_qtype
from healthqa.errors import HealthqaError
from healthqa.retrieval.search import search_spanish
from healthqa.training.page_queries_es import KINDS, PageQuery, make_queries
from healthqa.training.relevance import calibration

C_GRID = (0.1, 1.0, 10.0)
FOLDS = 5
SEED = 13
WRONG_PAGE_COST = 2.0
# One query in ABSENT_EVERY also asked without its page among the candidates (`collect`): about
# one question in six whose topic the Spanish sources lack.
ABSENT_EVERY = 5
# Gradient-boosted trees (`--trees`), one fixed setting, no early stopping (deterministic).
BOOSTING = {"max_iter": 150, "learning_rate": 0.1, "max_leaf_nodes": 15}
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.96, 0.01))


@dataclass(frozen=True)
class Rows:
    """One row per (query, candidate page)."""

    query: np.ndarray  # the query's number
    group: np.ndarray  # the number of the page the query was made from
    features: np.ndarray
    labels: np.ndarray


@dataclass(frozen=True)
class Outcomes:
    """Per query: its kind, what the rule cascade did (1 right, -1 wrong, 0 none), whether the
    names decided it (the cascade's first steps) and what they chose."""

    kinds: list[str]
    cascade: np.ndarray
    named: np.ndarray
    named_outcome: np.ndarray
    answerable: np.ndarray  # False for the "absent" copies: no page is right, none is


def _outcome(url: str | None, gold: str) -> int:
    return 0 if url is None else (1 if url == gold else -1)


def collect(engine: Engine, queries: list[PageQuery]) -> tuple[Rows, Outcomes]:
    """The rows of every query and, for every ABSENT_EVERY-th, of an "absent" copy whose
    candidates lack the page it was made from (the Spanish sources lacking the topic: no page
    is right)."""
    spanish = engine.index.spanish
    if spanish is None or spanish.words is None:
        raise HealthqaError("the index has no Spanish parts: add the medlineplus-es collection")
    idf, asking = spanish.lexical.idf, spanish.words.asking
    pages: dict[str, int] = {}
    query, group, features, labels = [], [], [], []
    kinds, cascade, named, named_outcome, answerable = [], [], [], [], []
    for number, item in enumerate(queries):
        question = analyze_spanish(
            item.text, spanish.words.vocabulary, qtype=spanish_qtype(), known=spanish.lexical.knows
        )
        found = search_spanish(
            engine.index, question, engine.settings.passages_per_question, bridge_weight=0.0
        )
        versions = [(item.kind, found, True)]
        if number % ABSENT_EVERY == 0:
            versions.append(("absent", [c for c in found if c.passage.url != item.url], False))
        for kind, candidates, present in versions:
            rows = page_rows(question, candidates, idf, asking)
            for row in rows:
                query.append(len(kinds))
                group.append(pages.setdefault(item.url, len(pages)))
                labels.append(int(row.passage.url == item.url))
            if rows:
                features.append(matrix(rows))
            topic = choose_spanish_topic(question, candidates, idf, asking)
            by_id = {c.passage.doc_id: c.passage.url for c in candidates}
            cascade.append(_outcome(by_id.get(topic.doc_id) if topic else None, item.url))
            decided, page = named_page(question, candidates) if candidates else (False, None)
            named.append(decided)
            named_outcome.append(_outcome(page.url if page else None, item.url))
            kinds.append(kind)
            answerable.append(present)
    rows_ = Rows(
        np.array(query),
        np.array(group),
        np.vstack(features) if features else np.zeros((0, len(FEATURES))),
        np.array(labels),
    )
    outcomes = Outcomes(
        kinds, np.array(cascade), np.array(named), np.array(named_outcome), np.array(answerable)
    )
    return rows_, outcomes


def save_rows(path: Path, rows: Rows, outcomes: Outcomes) -> None:
    """The collected rows and the cascade's outcomes, to fit again without searching again."""
    np.savez(
        path,
        query=rows.query,
        group=rows.group,
        features=rows.features,
        labels=rows.labels,
        kinds=np.array(outcomes.kinds),
        cascade=outcomes.cascade,
        named=outcomes.named,
        named_outcome=outcomes.named_outcome,
        answerable=outcomes.answerable,
        feature_names=np.array(FEATURES),
    )


def load_rows(path: Path) -> tuple[Rows, Outcomes]:
    data = np.load(path)
    if tuple(data["feature_names"]) != FEATURES:
        raise HealthqaError(f"{path}: rows of other features; collect them again (no --rows)")
    rows = Rows(data["query"], data["group"], data["features"], data["labels"])
    outcomes = Outcomes(
        data["kinds"].tolist(),
        data["cascade"],
        data["named"],
        data["named_outcome"],
        data["answerable"],
    )
    return rows, outcomes


def fit(rows: Rows, mask: np.ndarray, c: float, trees: bool = False) -> PageModel:
    """A logistic regression or (`trees`) gradient-boosted trees beside one."""
    linear = PageModel.fit(rows.features[mask], rows.labels[mask], FEATURES, C=c)
    if not trees:
        return linear
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    from healthqa.retrieval.trees import from_sklearn

    with threadpool_limits(limits=1, user_api="openmp"):
        boosted = HistGradientBoostingClassifier(
            **BOOSTING, early_stopping=False, random_state=SEED
        ).fit(rows.features[mask], rows.labels[mask])
    return replace(linear, trees=from_sklearn(boosted))


def out_of_fold(rows: Rows, c: float, trees: bool = False) -> np.ndarray:
    """Each row's probability from the model fitted on the folds without its page."""
    groups = np.random.default_rng(SEED).permutation(np.unique(rows.group))
    predicted = np.zeros(len(rows.labels))
    for fold in range(FOLDS):
        held = np.isin(rows.group, groups[fold::FOLDS])
        predicted[held] = fit(rows, ~held, c, trees).predict_matrix(rows.features[held])
    return predicted


def chosen(rows: Rows, probability: np.ndarray, queries: int) -> tuple[np.ndarray, np.ndarray]:
    """Per query: the best probability of its pages and whether that page is right."""
    best = np.zeros(queries)
    right = np.zeros(queries, dtype=bool)
    for row in np.argsort(probability):  # the last written is the highest
        best[rows.query[row]] = probability[row]
        right[rows.query[row]] = bool(rows.labels[row])
    return best, right


def model_outcomes(best: np.ndarray, right: np.ndarray, threshold: float) -> np.ndarray:
    return np.where(best >= threshold, np.where(right, 1, -1), 0)


def cost(outcomes: np.ndarray, answerable: np.ndarray | None = None) -> float:
    """Mean cost: a wrong page WRONG_PAGE_COST, no page 1 when a page was right (0 when none
    was: the "absent" copies), a right page 0."""
    answerable = np.ones(len(outcomes), bool) if answerable is None else answerable
    missed = (outcomes == 0) & answerable
    return float(np.mean(np.where(outcomes == -1, WRONG_PAGE_COST, missed * 1.0)))


def shares(outcomes: np.ndarray) -> dict[str, float]:
    return {
        "right": round(float(np.mean(outcomes == 1)), 4),
        "wrong": round(float(np.mean(outcomes == -1)), 4),
        "none": round(float(np.mean(outcomes == 0)), 4),
    }


def by_kind(kinds: list[str], outcomes: np.ndarray) -> dict[str, dict[str, float]]:
    kind = np.array(kinds)
    return {k: shares(outcomes[kind == k]) for k in (*KINDS, "absent") if (kind == k).any()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="use every N-th page-made query")
    parser.add_argument("--out", type=Path, default=PageModel.packaged_path())
    parser.add_argument("--trees", action="store_true", help="gradient-boosted trees")
    parser.add_argument(
        "--rows", type=Path, help="collected rows (.npz): read if there, else written"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    engine = Engine.open(Settings.resolve())
    spanish = engine.index.spanish
    if spanish is None or spanish.words is None:
        raise HealthqaError("the index has no Spanish parts: add the medlineplus-es collection")
    queries = list(make_queries(engine.index.passages, spanish.lexical.idf, spanish.words.asking))
    queries = queries[:: args.every]
    reused = bool(args.rows and args.rows.is_file())
    if reused:
        rows, outcomes = load_rows(args.rows)
    else:
        rows, outcomes = collect(engine, queries)
        if args.rows:
            save_rows(args.rows, rows, outcomes)
    by_c = {c: out_of_fold(rows, c) for c in C_GRID}
    if args.trees:  # C is then only the linear part's, kept for reading
        by_c = {c: out_of_fold(rows, c, trees=True) for c in C_GRID[:1]}
    figures = {str(c): calibration(p, rows.labels) for c, p in by_c.items()}
    c = min(by_c, key=lambda k: figures[str(k)]["log_loss"])
    best, right = chosen(rows, by_c[c], len(outcomes.kinds))
    ok = outcomes.answerable
    threshold = min(THRESHOLDS, key=lambda t: (cost(model_outcomes(best, right, t), ok), t))
    learned = model_outcomes(best, right, threshold)
    # the shipped combination: the names decide when they can, the model otherwise
    combined = np.where(outcomes.named, outcomes.named_outcome, learned)
    info = {
        "trained_on": "page-made queries of the MedlinePlus en español pages "
        f"(healthqa.training.page_queries_es: {', '.join(KINDS)}), every {args.every}",
        "queries": len(queries),
        "pages": int(len(np.unique(rows.group))),
        "rows": int(len(rows.labels)),
        "depth": CHOSEN_DEPTH,
        "right_share": round(float(rows.labels.mean()), 4),
        "model": f"gradient-boosted trees {BOOSTING}" if args.trees else "logistic regression",
        "C": c,
        "cross_validation": figures[str(c)],
        "cross_validation_grouped_by": f"page, {FOLDS} folds",
        "threshold_rule": f"lowest mean cost per query, wrong page = {WRONG_PAGE_COST} x none",
        "out_of_fold_pages": {
            "cascade": {
                "all": shares(outcomes.cascade),
                **by_kind(outcomes.kinds, outcomes.cascade),
            },
            "model": {"all": shares(learned), **by_kind(outcomes.kinds, learned)},
            "names then model": {"all": shares(combined), **by_kind(outcomes.kinds, combined)},
        },
        "costs": {
            "cascade": round(cost(outcomes.cascade, ok), 4),
            "model": round(cost(learned, ok), 4),
            "names then model": round(cost(combined, ok), 4),
        },
        "rows_collected": "read from --rows" if reused else "searched",
        "train_seconds": round(time.perf_counter() - started, 1),
        "built_by": "python -m healthqa.training.topic_es",
    }
    mask = np.ones(len(rows.labels), bool)
    model = replace(fit(rows, mask, c, args.trees), threshold=threshold, info=info)
    model.save(args.out)
    default_page_model.cache_clear()
    print(json.dumps({k: v for k, v in info.items() if k != "cross_validation"}, indent=1))
    print(dict(zip(FEATURES, np.round(model.coef, 3).tolist(), strict=True)))
    print(f"model written to {args.out}")


if __name__ == "__main__":
    main()
