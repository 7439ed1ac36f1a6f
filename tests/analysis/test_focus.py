"""The question's focus among its concepts (analysis/focus.py) and its training labels."""

import numpy as np
import pytest

from healthqa.analysis.analyzer import choose_focus as rule_focus
from healthqa.analysis.focus import (
    FEATURES,
    FocusContext,
    FocusModel,
    choose_focus,
    default_model,
    focus_features,
)
from healthqa.config import Settings
from healthqa.errors import HealthqaError
from healthqa.records import Term
from healthqa.training.focus import parse_hold_out, same_name

ASTHMA = Term(text="asthma", concept="Asthma", vocabulary="medquad")
CANCER = Term(text="breast cancer", concept="Breast Cancer", vocabulary="medquad")
CHEMO = Term(text="chemotherapy", concept="Cancer Chemotherapy", vocabulary="mesh")
STORY = FocusContext(
    summary="What type of drugs impact asthma symptoms?",
    subject="Asthma",
    text="Asthma. I have been treated for breast cancer and had chemotherapy and radiation. "
    "Since stopping treatment I have asthma. What type of drugs impact asthma symptoms?",
)


def test_features_say_where_and_how_often_the_message_names_each_concept():
    found = dict(focus_features([ASTHMA, CANCER, CHEMO], STORY))
    assert list(found) == ["Asthma", "Breast Cancer", "Cancer Chemotherapy"]
    assert set(found["Asthma"]) == set(FEATURES)
    assert found["Asthma"]["in_subject"] == found["Asthma"]["in_summary"] == 1.0
    assert found["Breast Cancer"]["in_subject"] == found["Breast Cancer"]["in_summary"] == 0.0
    assert found["Asthma"]["in_asking"] == 1.0 and found["Cancer Chemotherapy"]["in_asking"] == 0
    assert found["Asthma"]["mentions"] == pytest.approx(np.log1p(3))
    assert found["Asthma"]["first_position"] < found["Breast Cancer"]["first_position"]
    assert found["Breast Cancer"]["length_rank"] == 1.0  # the longest name


def test_the_concept_the_message_asks_about_wins_over_the_longest_name_of_its_story():
    """The older rule took the longest name ("breast cancer"); the packaged model reads that
    the subject line and the asking sentence name asthma."""
    assert rule_focus([ASTHMA, CANCER, CHEMO]) == "Breast Cancer"
    assert choose_focus([ASTHMA, CANCER, CHEMO], STORY, default_model()) == "Asthma"


def test_a_model_decides_by_its_weights():
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("length_rank")] = 1.0
    longest = FocusModel(FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), weights, 0.0)
    assert choose_focus([ASTHMA, CANCER], STORY, longest) == "Breast Cancer"
    assert choose_focus([], STORY, longest) == ""


def test_the_engine_takes_the_focus_source_its_settings_name(fixture_engine):
    from healthqa.engine import Engine

    assert fixture_engine.analyzer.focus_model is not None
    rule = Engine.open(fixture_engine.settings.with_(focus="rule"))
    assert rule.analyzer.focus_model is None
    with pytest.raises(HealthqaError, match="focus"):
        Settings(focus="longest")


def test_training_labels_match_a_name_by_its_words_not_by_a_longer_name_holding_it():
    assert same_name("shingles vaccine", ["Shingles (Zoster) Vaccine"])
    assert same_name("IBS", ["irritable bowel syndrome", "ibs"])
    assert not same_name("pyridoxine", ["Pyridoxine-dependent epilepsy"])


@pytest.mark.parametrize("bad", ["2", "2:2", "x:1", "0:0", ""])
def test_a_bad_hold_out_is_refused(bad):
    with pytest.raises(HealthqaError, match="hold-out"):
        parse_hold_out(bad)
    assert parse_hold_out("2:1") == (2, 1)
