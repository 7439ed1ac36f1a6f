"""A message whose kept question names a condition while the message names a drug elsewhere:
the learned rule (`answer/drug_asked.py`) says whether it asks about the drug. Over the tiny
MedQuAD with a drug page (conftest); amoxicillin is a drug without a page there."""

import math

import numpy as np
import pytest

from healthqa.analysis.vocabulary import english_zipf
from healthqa.answer.drug_asked import FEATURES, DrugAskedModel, features, read_message
from healthqa.answer.subject import asked_subject, own_subjects, story_drugs
from healthqa.records import Term
from healthqa.training.drug_asked import (
    MAX_DRIFT_SHARE,
    choose_threshold,
    drift_share,
    expected_cost,
    names_any,
    target_threshold,
)

# The reduction keeps "Should she keep taking it now that she has sniffle fever?": the drug is
# only in the sentences before, but the message is about whether to keep taking it.
ASKS_ABOUT_THE_DRUG = (
    "My sister takes amoxicillin. She takes amoxicillin every day and amoxicillin has helped. "
    "Should she keep taking it now that she has sniffle fever?"
)
STORY_DRUG = "I have taken rabeprazole every morning for two years. What helps sniffle fever?"


def _subject(engine, text: str) -> str:
    question = engine.analyze(text)
    subject = asked_subject(question, engine.drug_pages, engine.analyzer.vocabulary.find_terms)
    return subject.label if subject else ""


def test_a_message_asking_about_the_drug_of_its_story_has_the_drug_as_subject(drug_engine):
    assert "amoxicillin" not in drug_engine.analyze(ASKS_ABOUT_THE_DRUG).summary
    assert _subject(drug_engine, ASKS_ABOUT_THE_DRUG) == "amoxicillin"


def test_a_drug_only_in_the_story_leaves_the_condition_as_subject(drug_engine):
    assert _subject(drug_engine, STORY_DRUG) == "sniffle fever"


def test_it_is_not_answered_from_the_condition_page_but_names_the_missing_drug_page(drug_engine):
    answer = drug_engine.ask(ASKS_ABOUT_THE_DRUG)
    assert answer.abstained and not answer.citations, answer.text
    assert "I have no trustworthy page on amoxicillin" in answer.text


def test_the_features_read_where_and_how_the_message_names_the_drug(drug_engine):
    question = drug_engine.analyze(ASKS_ABOUT_THE_DRUG)
    drugs = story_drugs(
        question, drug_engine.drug_pages, drug_engine.analyzer.vocabulary.find_terms
    )
    row = features(
        question, drugs, own_subjects(question, drug_engine.drug_pages), frozenset(), english_zipf
    )
    assert row["drug_asks"] == 0.0 and row["drug_after_ask"] == 0.0  # not in the asking sentence
    assert row["drug_in_subject"] == 0.0 and row["drug_page"] == 0.0
    assert row["mentions"] == pytest.approx(math.log1p(3))
    assert row["asks_medicine"] == 1.0 and row["asks_pronoun"] == 1.0  # "keep taking it"
    assert row["own_subjects"] == 1.0  # sniffle fever


def test_the_message_keeps_its_subject_line_and_marks_the_sentences_that_ask():
    message = read_message("SUBJECT: Aciphex\nMESSAGE: I take it daily. Can I stop it?")
    assert message.subject == "Aciphex"
    assert message.asks == (False, True)
    assert sum(message.shares) == pytest.approx(1.0)


def test_a_reference_names_the_drug_by_any_of_its_names():
    denosumab = Term(text="prolia", concept="Denosumab", vocabulary="drug", variants=("xgeva",))
    assert names_any("What are the side effects of Prolia?", [denosumab])
    assert names_any("Is denosumab safe?", [denosumab])
    assert not names_any("What are the treatments for osteoporosis?", [denosumab])


def test_a_drug_named_only_as_set_aside_is_not_what_the_reference_asks_about():
    potassium = Term(text="potassium chloride", concept="Potassium chloride", vocabulary="drug")
    ketoconazole = Term(text="ketoconazole", concept="Ketoconazole", vocabulary="drug")
    aside = "What are the treatments for leg cramps aside from potassium chloride and Gatoraid?"
    assert not names_any(aside, [potassium])
    assert not names_any(
        "What are alternative treatments to Ketoconazole for jock itch?", [ketoconazole]
    )
    assert names_any("Can potassium chloride cause leg cramps?", [potassium])


def test_the_expected_cost_weighs_a_drift_twice_a_wrong_drug_subject():
    probability = np.array([0.9, 0.6, 0.4, 0.1])
    labels = np.array([1, 0, 1, 0])
    # drug chosen at >= 0.4: one wrong drug subject (0.6); at 0.7: one drift (0.4) = 2
    assert expected_cost(probability, labels, 0.4) == pytest.approx(1 / 4)
    assert expected_cost(probability, labels, 0.7) == pytest.approx(2 / 4)
    assert 0.1 < choose_threshold(probability, labels) <= 0.4


def test_the_target_threshold_is_the_highest_keeping_drift_within_issue_9s_target():
    # 40 rows: 38 asked about the condition (0.1), two about the drug (0.5 and 0.3)
    probability = np.array([0.5, 0.3] + [0.1] * 38)
    labels = np.array([1, 1] + [0] * 38)
    # two drifts in 40 (5 %) are within the target: the condition is kept for every row
    assert target_threshold(probability, labels) > 0.5
    # 20 rows: one drift is 5 %, two 10 %: the drug must be chosen down to the second one
    probability = np.array([0.5, 0.3] + [0.1] * 18)
    labels = np.array([1, 1] + [0] * 18)
    threshold = target_threshold(probability, labels)
    assert 0.1 < threshold <= 0.5
    assert drift_share(probability, labels, threshold) == pytest.approx(1 / 20)


def test_the_packaged_model_reads_the_features_the_code_computes():
    model = DrugAskedModel.load()
    assert model.features == FEATURES and 0.0 < model.threshold < 1.0


def test_the_card_says_what_issue_9s_target_would_cost():
    info = DrugAskedModel.load().info or {}
    target = info["out_of_fold_at_target"]
    assert target["drug_asked_condition_chosen"] / info["rows"] <= MAX_DRIFT_SHARE
    assert info["target_threshold"] <= DrugAskedModel.load().threshold
