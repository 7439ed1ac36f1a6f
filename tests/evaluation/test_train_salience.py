"""The salience model's training on LiveQA training questions: the sentences their reference
answers quote are the ones to keep; C by cross-validation over the training questions."""

from types import SimpleNamespace

import numpy as np
import pytest

from healthqa.answer.salience import FEATURES
from healthqa.evaluation.mas import MasQuestion
from healthqa.records import Candidate, Passage
from healthqa.training import salience
from healthqa.training.data import SubQuestion, TrainQuestion

from .fakes import AnalyzingEngine


def _item(number, reference="Leg knots are caused by tired muscles. Tired muscles cause knots."):
    return MasQuestion(
        question_id=str(number),
        question="What causes leg knots?",
        answers=(
            (f"{number}_A1", "The shop opens at nine. Leg knots are caused by tired muscles."),
            (f"{number}_A2", "Parking is free on Sundays here. Tired muscles cause knots."),
        ),
        references={"answers": reference},
    )


def test_share_of_a_sentences_word_pairs_quoted_by_the_reference():
    shares = salience.copied_share(
        ["Leg knots are caused by tired muscles.", "The shop opens at nine."],
        "Most leg knots are caused by tired muscles, doctors say.",
    )
    assert shares.tolist() == [1.0, 0.0]


def test_sentences_the_reference_answers_quote_are_kept():
    example = salience.example(AnalyzingEngine(), _item(1))
    assert example.kept.tolist() == [0, 1, 0, 1]
    assert example.features.shape == (4, len(FEATURES))
    assert example.item.references["kept"] == (
        "Leg knots are caused by tired muscles. Tired muscles cause knots."
    )


def test_a_question_whose_references_quote_nothing_gives_no_example():
    assert salience.example(AnalyzingEngine(), _item(1, reference="Ask a doctor.")) is None


class RetrievingEngine(AnalyzingEngine):
    """Retrieves two answers of two passages each, the second answer ranked first."""

    def __init__(self):
        passages = [
            Passage("a#0", "a", ("Leg knots hurt.",), "Leg knots"),
            Passage("a#1", "a", ("Stretch the calf.",), "Leg knots"),
            Passage("b#0", "b", ("Tired muscles cause knots.",), "Cramps"),
        ]
        self.index = SimpleNamespace(passages=passages, rows_by_doc={"a": [0, 1], "b": [2]})

    def retrieve(self, question, k=None):
        return [Candidate(self.index.passages[2], 2.0), Candidate(self.index.passages[0], 1.0)]


def test_the_retrieved_answers_are_summarised_whole_best_first():
    question = TrainQuestion(
        "q1", "leg knots", "why do I get them?", (SubQuestion("leg knots", "causes", ("Rest.",)),)
    )
    item = salience.summarisation_item(RetrievingEngine(), question)
    assert item.answers == (
        ("b", "Tired muscles cause knots."),
        ("a", "Leg knots hurt. Stretch the calf."),
    )
    assert item.references == {"answers": "Rest."}
    unanswered = TrainQuestion("q2", "x", "y", (SubQuestion("x", "information", ()),))
    assert salience.summarisation_item(RetrievingEngine(), unanswered) is None


def test_cross_validation_summarises_each_question_with_a_model_fitted_on_the_others():
    engine = AnalyzingEngine()
    examples = [salience.example(engine, _item(n)) for n in range(4)]
    reports = salience.cross_validate(engine, examples, max_words=13, folds=2)
    assert set(reports) == set(salience.SETTINGS)
    report = reports[salience.SETTINGS[0]]
    assert report.questions == 4
    assert report.mean_words["healthqa"] == report.mean_words["lead"] <= 13
    # the fitted models keep the sentences the answers share, as the references quote; the
    # lead baseline takes the asides that open each answer
    kept = {name: report.scores[name]["kept"]["rouge2"] for name in report.scores}
    assert kept["healthqa"] == pytest.approx(1.0)
    assert kept["lead"] < 0.5
    assert np.isfinite(report.scores["healthqa"]["answers"]["rouge2"])
