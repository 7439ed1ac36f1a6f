"""Fits the learned Spanish page chooser (`answer/chooser_es.py`): P(a candidate page is the
page a Spanish question is about), on page-made queries of the MedlinePlus en español pages
(`page_queries_es.py`: headings, names, descriptions, symptoms, lay frames) and the Spanish lay
training questions (`lay_questions_es.jsonl`), never on the Spanish evaluation sets.

    python -m healthqa.training.topic_es [--rows ROWS.npz] [--old MODEL] [--out FILE]
                                         [--drop FEATURE ...] [--no-lay] [--every N] [--trees]
                                         [--lay FILE] [--no-nested] [--listwise]

Since session 19 (the default): the page-made rows and the lay rows are fitted together, each
lay row weighing one of LAY_WEIGHTS; C, that weight and the threshold are the lowest cost out of
fold on the lay questions (FOLDS folds grouped by page; a held-out page's page-made queries
leave the training folds too; COST_TOLERANCE can widen that to the lowest threshold near the
lowest cost: it is 0), and a nested run (the choices made without the fold) reports an
unbiased figure beside the rules, the `--old` chooser and the names first. `--listwise` fits
a conditional logit over each question's rows and "none" (`conditional_logit.py`; the shipped
chooser since session 26). `--no-lay` is the
session-18 fit below, on the page-made queries alone:

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
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from healthqa.analysis.spanish import analyze_spanish
from healthqa.answer.chooser_es import (
    ADAPTED_MODEL_FILE,
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
from healthqa.records import Candidate, Question
from healthqa.retrieval.adapter_es import QuestionAdapter, default_adapter
from healthqa.retrieval.search import search_spanish
from healthqa.training.conditional_logit import fit_conditional_logit
from healthqa.training.data import LayQuestion, read_lay_questions
from healthqa.training.page_queries_es import KINDS, PageQuery, make_queries
from healthqa.training.relevance import calibration

C_GRID = (0.1, 1.0, 10.0)
# How much a lay training question's rows weigh against a page-made query's (chosen with C and
# the threshold by cross-validation on the lay questions).
LAY_WEIGHTS = (1.0, 10.0, 30.0, 100.0)
FOLDS = 5
SEED = 13
WRONG_PAGE_COST = 2.0
# The out-of-fold cost of the chooser is flat around its lowest (session 21: 0.628 at threshold
# 0.49, at most 0.641 from 0.42 to 0.52, one question moving 0.0025-0.005; its standard error is
# about 0.04): of the thresholds within this of the lowest cost, with the C and lay weight of
# the lowest, the lowest would be kept. 0: the lowest cost itself. At 0.01 the threshold fell
# to 0.42, out of fold 10 more right pages for 12 more wrong ones (184 / 58 / 153 against
# 174 / 46 / 175): an answer about the wrong page is worse than none, so the lead kept 0.
COST_TOLERANCE = 0.0
# One query in ABSENT_EVERY also asked without its page among the candidates (`collect`): about
# one question in six whose topic the Spanish sources lack.
ABSENT_EVERY = 5
# Gradient-boosted trees (`--trees`), one fixed setting, no early stopping (deterministic).
BOOSTING = {"max_iter": 150, "learning_rate": 0.1, "max_leaf_nodes": 15}
# The kind of the lay training questions (lay_questions_es.jsonl), written as people ask.
WRITTEN = "written"
LISTWISE_MODEL = (
    "conditional logit: softmax over a question's rows and a 'none' alternative of logit 0, "
    "maximum likelihood with L2 (training/conditional_logit.py)"
)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.96, 0.01))


@dataclass(frozen=True)
class Asked:
    """One training question: its kind, text, the pages that answer it (none: abstain) and
    what cross-validation groups it by (its page)."""

    kind: str
    text: str
    gold: frozenset[str]
    group: str


def from_page_query(item: PageQuery) -> Asked:
    return Asked(item.kind, item.text, frozenset({item.url}), item.url)


def from_lay_question(item: LayQuestion) -> Asked:
    return Asked(WRITTEN, item.question, frozenset(item.sources), item.group)


@dataclass(frozen=True)
class Rows:
    """One row per (query, candidate page)."""

    query: np.ndarray  # the query's number
    group: np.ndarray  # what the query is grouped by (its page's URL)
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


def _outcome(url: str | None, gold: frozenset[str]) -> int:
    return 0 if url is None else (1 if url in gold else -1)


def searched(
    engine: Engine, text: str, adapter: QuestionAdapter | None = None
) -> tuple[Question, list[Candidate]]:
    """A Spanish question analysed and searched as `Engine.ask` does (the bridge's cosines read
    but not fused), with the question adapter `adapter`."""
    spanish = engine.index.spanish
    if spanish is None or spanish.words is None:
        raise HealthqaError("the index has no Spanish parts: add the medlineplus-es collection")
    question = analyze_spanish(
        text, spanish.words.vocabulary, qtype=spanish_qtype(), known=spanish.lexical.knows
    )
    found = search_spanish(
        engine.index,
        question,
        engine.settings.passages_per_question,
        bridge_weight=0.0,
        symptoms=engine.index.spanish_symptoms,
        adapter=adapter,
    )
    return question, found


def collect(
    engine: Engine,
    queries: list[Asked],
    absent_every: int = ABSENT_EVERY,
    adapter_of: Callable[[str], QuestionAdapter | None] = lambda group: None,
) -> tuple[Rows, Outcomes]:
    """The rows of every query and, for every `absent_every`-th (0: none), of an "absent" copy
    whose candidates lack the pages it was made from (the Spanish sources lacking the topic: no
    page is right); each query searched with the question adapter `adapter_of` its group."""
    spanish = engine.index.spanish
    if spanish is None or spanish.words is None:
        raise HealthqaError("the index has no Spanish parts: add the medlineplus-es collection")
    idf, asking = spanish.lexical.idf, spanish.words.asking
    symptoms = engine.index.spanish_symptoms
    query, group, features, labels = [], [], [], []
    kinds, cascade, named, named_outcome, answerable = [], [], [], [], []
    for number, item in enumerate(queries):
        question, found = searched(engine, item.text, adapter_of(item.group))
        versions = [(item.kind, found, item.gold)]
        if absent_every and item.gold and number % absent_every == 0:
            absent = [c for c in found if c.passage.url not in item.gold]
            versions.append(("absent", absent, frozenset()))
        for kind, candidates, gold in versions:
            rows = page_rows(question, candidates, idf, asking, symptoms=symptoms)
            for row in rows:
                query.append(len(kinds))
                group.append(item.group)
                labels.append(int(row.passage.url in gold))
            if rows:
                features.append(matrix(rows))
            topic = choose_spanish_topic(question, candidates, idf, asking)
            by_id = {c.passage.doc_id: c.passage.url for c in candidates}
            cascade.append(_outcome(by_id.get(topic.doc_id) if topic else None, gold))
            decided, page = named_page(question, candidates) if candidates else (False, None)
            named.append(decided)
            named_outcome.append(_outcome(page.url if page else None, gold))
            kinds.append(kind)
            answerable.append(bool(gold))
    rows_ = Rows(
        np.array(query, dtype=np.int64),
        np.array(group, dtype=str),
        np.vstack(features) if features else np.zeros((0, len(FEATURES))),
        np.array(labels, dtype=np.int64),
    )
    outcomes = Outcomes(
        kinds,
        np.array(cascade, dtype=np.int64),
        np.array(named, dtype=bool),
        np.array(named_outcome, dtype=np.int64),
        np.array(answerable, dtype=bool),
    )
    return rows_, outcomes


def adapters(folds: Path | None, shipped: bool) -> Callable[[str], QuestionAdapter | None]:
    """group -> the question adapter its rows are collected with: with `folds` (written by
    `training.adapter_es --folds`), the W fitted without the group's page (cross-fitting: the
    chooser learns how far to trust the adapter on questions it never saw; a group of no page
    takes fold 0), else the shipped adapter, or none (`shipped` False)."""
    if folds is None:
        adapter = default_adapter() if shipped else None
        return lambda group: adapter
    data = np.load(folds)
    by_fold = [QuestionAdapter(m) for m in data["matrices"]]
    fold = dict(zip(data["urls"].tolist(), data["fold"].tolist(), strict=True))
    return lambda group: by_fold[fold.get(group, 0)]


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


def fit(
    rows: Rows,
    mask: np.ndarray,
    c: float,
    trees: bool = False,
    weights: np.ndarray | None = None,
    listwise: bool = False,
) -> PageModel:
    """A logistic regression, (`trees`) gradient-boosted trees beside one or (`listwise`) a
    conditional logit over each query's rows; `weights` per row (all rows, 1 by default)."""
    from threadpoolctl import threadpool_limits

    weight = None if weights is None else weights[mask]
    # one thread: on 2 shared cores BLAS threads wait on each other (4 s a fit against 1 s)
    with threadpool_limits(limits=1):
        if listwise:
            return fit_conditional_logit(
                rows.features[mask], rows.labels[mask], rows.query[mask], FEATURES, weight, c
            )
        linear = PageModel.fit(
            rows.features[mask], rows.labels[mask], FEATURES, sample_weight=weight, C=c
        )
    if not trees:
        return linear
    from sklearn.ensemble import HistGradientBoostingClassifier

    from healthqa.retrieval.trees import from_sklearn

    with threadpool_limits(limits=1, user_api="openmp"):
        boosted = HistGradientBoostingClassifier(
            **BOOSTING, early_stopping=False, random_state=SEED
        ).fit(rows.features[mask], rows.labels[mask], sample_weight=weight)
    return replace(linear, trees=from_sklearn(boosted))


def out_of_fold(
    rows: Rows,
    c: float,
    trees: bool = False,
    weights: np.ndarray | None = None,
    listwise: bool = False,
) -> np.ndarray:
    """Each row's probability from the model fitted on the folds without its page."""
    groups = np.random.default_rng(SEED).permutation(np.unique(rows.group))
    predicted = np.zeros(len(rows.labels))
    for fold in range(FOLDS):
        held = np.isin(rows.group, groups[fold::FOLDS])
        model = fit(rows, ~held, c, trees, weights, listwise)
        predicted[held] = model.page_probabilities(rows.features[held], rows.query[held])
    return predicted


def joined(page: Rows, lay: Rows, page_queries: int) -> Rows:
    """The page-made rows, then the lay rows (their queries numbered after the page-made)."""
    return Rows(
        np.concatenate([page.query, lay.query + page_queries]),
        np.concatenate([page.group, lay.group]),
        np.vstack([page.features, lay.features]),
        np.concatenate([page.labels, lay.labels]),
    )


@dataclass(frozen=True)
class LayFit:
    """The page-made rows and the lay rows, fitted together, judged on the lay questions."""

    page: Rows
    lay: Rows
    page_queries: int
    lay_groups: np.ndarray  # per lay query: its group (its page)
    answerable: np.ndarray  # per lay query: a page answers it
    listwise: bool = False  # a conditional logit, not a logistic regression

    def probabilities(
        self, c: float, weight: float, train: np.ndarray, held: np.ndarray, held_groups
    ) -> np.ndarray:
        """P(right page) of the `held` lay rows from the page-made rows of pages outside
        `held_groups` and the `train` lay rows, each lay row weighing `weight`."""
        both = joined(self.page, self.lay, self.page_queries)
        mask = np.concatenate([~np.isin(self.page.group, held_groups), train])
        weights = np.concatenate([np.ones(len(self.page.labels)), np.full(len(train), weight)])
        model = fit(both, mask, c, weights=weights, listwise=self.listwise)
        return model.page_probabilities(self.lay.features[held], self.lay.query[held])

    def out_of_fold(self, c: float, weight: float, groups: np.ndarray) -> np.ndarray:
        """The lay rows' probabilities, FOLDS folds grouped by page over the lay questions of
        `groups` (-1 on the other rows)."""
        order = np.random.default_rng(SEED).permutation(np.unique(groups))
        predicted = np.full(len(self.lay.labels), -1.0)
        inside = np.isin(self.lay.group, groups)
        for fold in range(FOLDS):
            held_groups = order[fold::FOLDS]
            held = np.isin(self.lay.group, held_groups)
            train = inside & ~held
            predicted[held] = self.probabilities(c, weight, train, held, held_groups)
        return predicted

    def outcomes(self, probability: np.ndarray, threshold: float) -> np.ndarray:
        best, right = chosen(self.lay, probability, len(self.lay_groups))
        return model_outcomes(best, right, threshold)

    def select(self, groups: np.ndarray) -> tuple[float, float, float, float, np.ndarray]:
        """(C, lay weight, threshold, cost, out-of-fold probabilities) of the lowest cost on the
        lay questions of `groups`, out of fold."""
        among = np.isin(self.lay_groups, groups)
        found = []
        for c in C_GRID:
            for weight in LAY_WEIGHTS:
                probability = self.out_of_fold(c, weight, groups)
                best, right = chosen(self.lay, probability, len(self.lay_groups))
                for t in THRESHOLDS:
                    done = model_outcomes(best, right, t)[among]
                    found.append((cost(done, self.answerable[among]), weight, c, t, probability))
        best = min(found, key=lambda f: f[:4])
        near = [f for f in found if f[1:3] == best[1:3] and f[0] <= best[0] + COST_TOLERANCE]
        best = min(near, key=lambda f: f[3])
        return best[2], best[1], best[3], best[0], best[4]

    def nested(self) -> np.ndarray:
        """Per lay query, its outcome when C, weight and threshold were chosen without its
        fold (out of fold twice: FOLDS outer folds, `select` inside each)."""
        order = np.random.default_rng(SEED + 1).permutation(np.unique(self.lay_groups))
        done = np.zeros(len(self.lay_groups), dtype=np.int64)
        for fold in range(FOLDS):
            held_groups = order[fold::FOLDS]
            rest = np.setdiff1d(order, held_groups)
            c, weight, t, _, _ = self.select(rest)
            held = np.isin(self.lay.group, held_groups)
            probability = np.full(len(self.lay.labels), -1.0)
            train = np.isin(self.lay.group, rest)
            probability[held] = self.probabilities(c, weight, train, held, held_groups)
            queries = np.isin(self.lay_groups, held_groups)
            done[queries] = self.outcomes(probability, t)[queries]
        return done


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


def counted(outcomes: np.ndarray, answerable: np.ndarray) -> dict[str, float]:
    """right / wrong / none as counts, and the mean cost."""
    return {
        "right": int((outcomes == 1).sum()),
        "wrong": int((outcomes == -1).sum()),
        "none": int((outcomes == 0).sum()),
        "cost": round(cost(outcomes, answerable), 4),
    }


def model_choice(model: PageModel, rows: Rows, queries: int) -> np.ndarray:
    """A fitted model's outcome per query at its own threshold."""
    columns = [FEATURES.index(f) for f in model.features]
    probability = model.page_probabilities(rows.features[:, columns], rows.query)
    best, right = chosen(rows, probability, queries)
    return model_outcomes(best, right, model.threshold)


def page_made_rows(
    engine: Engine, every: int, path: Path | None, adapter_of: Callable
) -> tuple[Rows, Outcomes]:
    """The page-made queries' rows: read from `path` when there, else searched (and written
    there)."""
    if path and path.is_file():
        return load_rows(path)
    spanish = engine.index.spanish
    if spanish is None or spanish.words is None:
        raise HealthqaError("the index has no Spanish parts: add the medlineplus-es collection")
    made = make_queries(engine.index.passages, spanish.lexical.idf, spanish.words.asking)
    asked = [from_page_query(q) for q in list(made)[::every]]
    rows, outcomes = collect(engine, asked, adapter_of=adapter_of)
    if path:
        save_rows(path, rows, outcomes)
    return rows, outcomes


def lay_figures(
    fitted: LayFit, outcomes: Outcomes, old: PageModel, chosen_: tuple, nested: np.ndarray
) -> dict:
    """Out of fold on the lay questions: the rules, the session-18 chooser (never fitted on
    them), the names then each chooser, the new chooser."""
    c, weight, t, _, probability = chosen_
    new = fitted.outcomes(probability, t)
    previous = model_choice(old, fitted.lay, len(fitted.lay_groups))
    ok = fitted.answerable
    names = outcomes.named
    return {
        "rules": counted(outcomes.cascade, ok),
        "old chooser": counted(previous, ok),
        "names then old chooser": counted(np.where(names, outcomes.named_outcome, previous), ok),
        "new chooser": counted(new, ok),
        "names then new chooser": counted(np.where(names, outcomes.named_outcome, new), ok),
    } | (
        {"new chooser, nested (C, weight, threshold chosen without the fold)": counted(nested, ok)}
        if len(nested)
        else {}
    )


def without(rows: Rows, dropped: list[str]) -> Rows:
    """The rows with the `dropped` features set to 0 (the model then learns nothing of them)."""
    features = rows.features.copy()
    features[:, [FEATURES.index(f) for f in dropped]] = 0.0
    return replace(rows, features=features)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="use every N-th page-made query")
    parser.add_argument(
        "--out",
        type=Path,
        help="default: the packaged topic_es_adapter.json (topic_es.json with --no-adapter)",
    )
    parser.add_argument("--trees", action="store_true", help="gradient-boosted trees")
    parser.add_argument(
        "--rows", type=Path, help="collected page-made rows (.npz): read if there, else written"
    )
    parser.add_argument(
        "--lay",
        type=Path,
        default=None,
        help="lay training questions (JSON lines; default: the packaged lay_questions_es.jsonl)",
    )
    parser.add_argument("--no-lay", action="store_true", help="page-made queries only")
    parser.add_argument(
        "--old", type=Path, default=None, help="the chooser to compare with (default: shipped)"
    )
    parser.add_argument(
        "--adapter-folds",
        type=Path,
        help="collect each query with the question adapter fitted without its page "
        "(the .npz of `python -m healthqa.training.adapter_es --folds`)",
    )
    parser.add_argument("--no-adapter", action="store_true", help="search without the adapter")
    parser.add_argument(
        "--listwise",
        action="store_true",
        help="a conditional logit over each question's rows (not with --no-lay or --trees)",
    )
    parser.add_argument(
        "--no-nested",
        action="store_true",
        help="skip the nested figure (a fit in a sixth of the time)",
    )
    parser.add_argument(
        "--drop", nargs="*", default=[], choices=FEATURES, help="features set to 0 (ablation)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    old = PageModel.load(args.old)
    engine = Engine.open(Settings.resolve())
    reused = bool(args.rows and args.rows.is_file())
    adapter_of = adapters(args.adapter_folds, not args.no_adapter)
    if args.out is None:
        packaged = PageModel.packaged_path()
        args.out = packaged if args.no_adapter else packaged.with_name(ADAPTED_MODEL_FILE)
    rows, outcomes = page_made_rows(engine, args.every, args.rows, adapter_of)
    if args.no_lay or args.trees:
        fit_page_made(args, rows, outcomes, reused, started)
        return
    lay_questions = read_lay_questions("es", path=args.lay)
    asked = [from_lay_question(q) for q in lay_questions]
    lay, lay_outcomes = collect(engine, asked, 0, adapter_of)
    rows, lay = without(rows, args.drop), without(lay, args.drop)
    fitted = LayFit(
        rows,
        lay,
        len(outcomes.kinds),
        np.array([q.group for q in lay_questions], dtype=str),
        np.array([bool(q.sources) for q in lay_questions]),
        args.listwise,
    )
    selected = fitted.select(np.unique(fitted.lay_groups))
    c, weight, threshold, _, _ = selected
    nested = np.zeros(0, dtype=np.int64) if args.no_nested else fitted.nested()
    both = joined(rows, lay, len(outcomes.kinds))
    weights = np.concatenate([np.ones(len(rows.labels)), np.full(len(lay.labels), weight)])
    # the page-made queries out of fold (5 folds by page, lay questions in the training folds)
    queries = len(outcomes.kinds) + len(lay_questions)
    best, right = chosen(
        both, out_of_fold(both, c, weights=weights, listwise=args.listwise), queries
    )
    learned = model_outcomes(best, right, threshold)[: len(outcomes.kinds)]
    info = {
        "trained_on": "page-made queries of the MedlinePlus en español pages "
        f"(healthqa.training.page_queries_es: {', '.join(KINDS)}), every {args.every}, and "
        f"{len(lay_questions)} lay training questions (healthqa.training.data.read_lay_questions) "
        f"weighing {weight} each",
        "queries": len(outcomes.kinds),
        "lay_questions": len(lay_questions),
        "lay_pages": int(len({q.group for q in lay_questions if q.sources})),
        "lay_without_page": int(sum(not q.sources for q in lay_questions)),
        "lay_right_page_among_rows": int(len(np.unique(lay.query[lay.labels == 1]))),
        "rows": int(len(both.labels)),
        "depth": CHOSEN_DEPTH,
        "model": LISTWISE_MODEL if args.listwise else "logistic regression",
        "C": c,
        "lay_weight": weight,
        "features_dropped": args.drop,
        "chosen_by": f"lowest mean cost on the lay questions, {FOLDS} folds grouped by page "
        f"(C in {C_GRID}, lay weight in {LAY_WEIGHTS}, threshold in 0.05-0.95), "
        f"wrong page = {WRONG_PAGE_COST} x none; the lowest threshold within {COST_TOLERANCE} "
        "of the lowest cost",
        "lay_out_of_fold": lay_figures(fitted, lay_outcomes, old, selected, nested),
        "page_made_out_of_fold": {
            "cascade": {
                "all": shares(outcomes.cascade),
                **by_kind(outcomes.kinds, outcomes.cascade),
            },
            "new chooser": {
                "all": shares(learned),
                **by_kind(outcomes.kinds, learned),
            },
        },
        "rows_collected": "page-made read from --rows" if reused else "searched",
        "train_seconds": round(time.perf_counter() - started, 1),
        "built_by": "python -m healthqa.training.topic_es",
    }
    mask = np.ones(len(both.labels), bool)
    fitted_model = fit(both, mask, c, weights=weights, listwise=args.listwise)
    model = replace(fitted_model, threshold=threshold, info=info)
    model.save(args.out)
    default_page_model.cache_clear()
    print(json.dumps(info, indent=1, ensure_ascii=False))
    print(dict(zip(FEATURES, np.round(model.coef, 3).tolist(), strict=True)))
    print(f"model written to {args.out}")


def fit_page_made(args, rows: Rows, outcomes: Outcomes, reused: bool, started: float) -> None:
    """The session-18 fit: page-made queries only, C and threshold by grouped CV on them."""
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
        "queries": len(outcomes.kinds),
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
