"""Fitting the Spanish page chooser: each query's most probable page, and the threshold of the
lowest cost when a wrong page costs twice an abstention."""

import numpy as np

from healthqa.answer.chooser_es import FEATURES
from healthqa.training import topic_es
from healthqa.training.topic_es import (
    LayFit,
    Rows,
    chosen,
    cost,
    joined,
    model_outcomes,
)


def test_each_query_gets_its_most_probable_page():
    rows = Rows(
        query=np.array([0, 0, 1, 1]),
        group=np.array([0, 0, 1, 1]),
        features=np.zeros((4, 1)),
        labels=np.array([0, 1, 1, 0]),
    )
    best, right = chosen(rows, np.array([0.9, 0.2, 0.3, 0.6]), 2)
    assert best.tolist() == [0.9, 0.6] and right.tolist() == [False, False]
    best, right = chosen(rows, np.array([0.1, 0.8, 0.7, 0.6]), 2)
    assert best.tolist() == [0.8, 0.7] and right.tolist() == [True, True]


def test_a_wrong_page_costs_twice_an_abstention():
    best, right = np.array([0.9, 0.55, 0.4]), np.array([True, False, True])
    assert model_outcomes(best, right, 0.5).tolist() == [1, -1, 0]
    assert cost(model_outcomes(best, right, 0.5)) == (2 + 1) / 3
    assert cost(model_outcomes(best, right, 0.6)) == (1 + 1) / 3


def test_no_page_costs_nothing_when_no_page_was_right():
    outcomes = np.array([0, -1, 0])
    answerable = np.array([True, False, False])
    assert cost(outcomes, answerable) == (1 + 2 + 0) / 3


def pair_rows(queries: int, prefix: str, right_first: bool) -> Rows:
    """Two candidate pages a query; the right one has the first feature at 1."""
    features = np.zeros((2 * queries, len(FEATURES)))
    features[0::2, 0] = 1.0 if right_first else 0.0
    features[1::2, 0] = 0.0 if right_first else 1.0
    labels = np.tile([1, 0], queries)
    return Rows(
        query=np.repeat(np.arange(queries), 2),
        group=np.repeat(np.array([f"{prefix}{i}" for i in range(queries)]), 2),
        features=features,
        labels=labels,
    )


def test_lay_questions_are_judged_out_of_fold_beside_the_page_made_queries(monkeypatch):
    monkeypatch.setattr(topic_es, "C_GRID", (1.0,))
    monkeypatch.setattr(topic_es, "LAY_WEIGHTS", (1.0, 10.0))
    page, lay = pair_rows(20, "page", True), pair_rows(10, "lay", True)
    both = joined(page, lay, 20)
    assert both.query.max() == 29 and len(both.labels) == 60
    fitted = LayFit(page, lay, 20, np.array([f"lay{i}" for i in range(10)]), np.ones(10, bool))
    c, weight, threshold, lowest, _ = fitted.select(np.unique(fitted.lay_groups))
    assert lowest == 0.0 and c == 1.0 and weight in (1.0, 10.0)
    assert fitted.nested().tolist() == [1] * 10


def test_a_listwise_chooser_learns_which_of_a_questions_pages_is_right(monkeypatch):
    monkeypatch.setattr(topic_es, "C_GRID", (1.0,))
    monkeypatch.setattr(topic_es, "LAY_WEIGHTS", (1.0,))
    page, lay = pair_rows(20, "page", True), pair_rows(10, "lay", True)
    fitted = LayFit(
        page, lay, 20, np.array([f"lay{i}" for i in range(10)]), np.ones(10, bool), True
    )
    c, weight, threshold, lowest, probability = fitted.select(np.unique(fitted.lay_groups))
    assert lowest == 0.0
    # a question's pages and "none of them" share its probability
    sums = np.bincount(lay.query, probability)
    assert (sums < 1).all() and (probability[0::2] > probability[1::2]).all()
    assert fitted.nested().tolist() == [1] * 10


def test_a_query_whose_right_page_is_not_among_its_rows_teaches_to_decline():
    from healthqa.training.conditional_logit import fit_conditional_logit

    # one signal: high on the right page; the queries without a right row have it low everywhere
    features = np.array([[3.0], [0.0], [0.0], [0.1], [3.0], [0.2], [0.0], [0.1]])
    labels = np.array([1, 0, 0, 0, 1, 0, 0, 0])
    queries = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    model = fit_conditional_logit(features, labels, queries, ("x",), c=10.0)
    probability = model.page_probabilities(features, queries)
    assert probability[0] > 0.5 and probability[4] > 0.5
    assert probability[2:4].sum() < 0.5 and probability[6:8].sum() < 0.5
