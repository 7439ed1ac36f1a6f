"""Fitting the Spanish page chooser: each query's most probable page, and the threshold of the
lowest cost when a wrong page costs twice an abstention."""

import numpy as np

from healthqa.training.topic_es import Rows, chosen, cost, model_outcomes


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
