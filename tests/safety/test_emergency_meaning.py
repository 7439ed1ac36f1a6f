"""The semantic layer of the emergency check: sourced descriptions, the event gate, the
calibrated threshold, and one encoding per question."""

import json

import numpy as np
import pytest

from healthqa.analysis.emergency import detect_emergency
from healthqa.analysis.emergency_meaning import (
    Description,
    MeaningCheck,
    describes_person,
    load_calibration,
    load_descriptions,
)
from healthqa.errors import HealthqaError
from healthqa.retrieval.dense import MODEL_ID

from .conftest import read_questions

WORDS = ("tablets", "pills", "swallowed", "stomach")


class WordEncoder:
    """Unit vectors over a few words; records what it was asked to encode."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        rows = np.array([[w in t.lower() for w in WORDS] + [0.1] for t in texts], dtype=float)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture
def word_check():
    description = Description("p1", "poisoning", "my child took tablets", "test")
    return MeaningCheck([description], threshold=0.9, encoder=WordEncoder())


def test_a_paraphrase_the_patterns_miss_is_found_by_meaning_with_its_kind(word_check):
    text = "my kid munched on a few of grandma's tablets"
    assert not detect_emergency(text, by_meaning=False).emergency
    finding = detect_emergency(text, meaning=word_check)
    assert finding.groups == ("poisoning",) and finding.kinds == ("poison",)
    assert finding.similar_to == ("p1",) and finding.cues == ()


def test_only_windows_that_tell_of_a_person_are_compared(word_check):
    question = "what happens if tablets are swallowed?"
    assert not detect_emergency(question, meaning=word_check).emergency
    assert len(word_check.encoder.calls) == 1  # the descriptions only: no window was encoded
    assert not describes_person("what are the signs of appendicitis")
    assert describes_person("My 3 year old has a tummy ache")


def test_a_window_with_a_negation_is_left_to_the_patterns(word_check):
    assert detect_emergency("my kid munched on some tablets", meaning=word_check).emergency
    assert not detect_emergency("my kid never munched on tablets", meaning=word_check).emergency


def test_below_the_threshold_is_no_emergency(word_check):
    assert not detect_emergency("my stomach hurts after tablets", meaning=word_check).emergency


def test_the_question_is_encoded_once_in_one_batch(word_check):
    text = "My son is fine. He swallowed pills. Then he slept. Now he is awake."
    detect_emergency(text, meaning=word_check)
    detect_emergency(text, meaning=word_check)  # the safety pass checks the same question again
    assert len(word_check.encoder.calls) == 2  # the descriptions, then all windows at once
    assert len(word_check.encoder.calls[1]) == 3


def test_the_threshold_was_calibrated_for_these_descriptions_and_this_encoder():
    calibration = load_calibration()
    _, digest = load_descriptions()
    assert calibration.descriptions_sha256 == digest, "rerun python -m healthqa.training.emergency"
    assert calibration.model_id == MODEL_ID
    assert "training data only" in calibration.note


def test_a_description_must_name_a_cue_group_and_one_of_its_sources(tmp_path):
    path = tmp_path / "descriptions.json"
    item = {"id": "x1", "group": "no_such_group", "text": "help", "source": "anything"}
    path.write_text(json.dumps({"descriptions": [item]}))
    with pytest.raises(HealthqaError, match="no_such_group"):
        load_descriptions(path)
    item.update(group="poisoning", source="a blog")
    path.write_text(json.dumps({"descriptions": [item]}))
    with pytest.raises(HealthqaError, match="a blog"):
        load_descriptions(path)


@pytest.mark.parametrize(
    "name", ["ordinary", "ordinary_poison_belly", "out_of_scope", "ordinary_es"]
)
def test_no_ordinary_question_is_flagged_by_meaning(name, meaning):
    flagged = [q for q in read_questions(name) if meaning.matches(q)]
    assert flagged == []


def test_with_a_classifier_the_score_is_its_probability_and_the_group_the_nearest(word_check):
    from healthqa.analysis.emergency_meaning import EmergencyClassifier

    # P(emergency) rises with "swallowed" (the third word of WORDS) only
    model = EmergencyClassifier(
        features=[f"v{i}" for i in range(5)],
        mean=np.zeros(5),
        scale=np.ones(5),
        coef=[0.0, 0.0, 8.0, 0.0, 0.0],
        intercept=-4.0,
    )
    check = MeaningCheck(word_check.descriptions, 0.5, WordEncoder(), classifier=model)
    hit = check.matches("my son swallowed something")
    assert [m.description.group for m in hit] == ["poisoning"] and hit[0].score > 0.5
    assert check.matches("my son took tablets") == []  # close to the description, not to 911


def test_either_check_reports_a_group_once_whichever_layer_finds_it(word_check):
    from healthqa.analysis.emergency_meaning import EitherCheck

    other = MeaningCheck(
        [Description("p2", "poisoning", "swallowed pills", "test")], 0.5, WordEncoder()
    )
    both = EitherCheck([word_check, other])
    found = detect_emergency("my kid swallowed a few tablets", meaning=both)
    assert found.groups == ("poisoning",) and len(found.similar_to) == 1
    assert not detect_emergency("my kid is fine", meaning=both).emergency


def test_the_shipped_classifier_was_fitted_for_these_descriptions_and_its_encoder():
    from healthqa.analysis.emergency_meaning import CLASSIFIER_ENCODER_ID, EmergencyClassifier
    from healthqa.retrieval.multilingual import MODEL_ID as USE_ID

    model = EmergencyClassifier.load()
    _, digest = load_descriptions()
    assert model.info["descriptions_sha256"] == digest, "rerun " + EmergencyClassifier.REBUILD
    assert model.info["model_id"] == CLASSIFIER_ENCODER_ID
    assert CLASSIFIER_ENCODER_ID.startswith(USE_ID) and CLASSIFIER_ENCODER_ID.endswith(MODEL_ID)
    assert len(model.features) == 512 + 384
    assert "training data only" in model.info["note"]
    assert 0.5 < model.threshold < 1.0


def test_the_classifier_reads_the_cosine_layers_window_vectors_without_encoding_them_again():
    from healthqa.analysis.emergency_meaning import JoinedEncoder

    description = Description("p1", "poisoning", "my child took tablets", "test")
    minilm = WordEncoder()
    cosine = MeaningCheck([description], threshold=0.9, encoder=minilm)
    joined = JoinedEncoder(WordEncoder(), cosine.encode_spans)
    text = "my son swallowed tablets"
    cosine.window_scores(text)
    vectors = joined.encode(list(MeaningCheck.spans(text)))
    assert vectors.shape == (1, 2 * (len(WORDS) + 1))
    assert len(minilm.calls) == 2  # the description, then the question's window once


def test_a_negation_that_is_a_danger_sign_is_read_by_meaning(word_check):
    assert detect_emergency(
        "my kid isnt breathing after some tablets", meaning=word_check
    ).emergency
    assert not detect_emergency("my kid is not sick after tablets", meaning=word_check).emergency


def test_a_window_told_in_a_clearly_past_frame_is_not_read_by_meaning(word_check):
    assert not detect_emergency(
        "two years ago my kid munched on some tablets, is his liver ok", meaning=word_check
    ).emergency
    assert detect_emergency(
        "two years ago my kid had a cold. today my kid munched on some tablets", meaning=word_check
    ).emergency


def test_a_window_with_a_negation_is_read_by_the_negation_check_only(word_check):
    from healthqa.analysis.emergency_meaning import EitherCheck, negated

    text = "my kid is not hungry, he munched on tablets"
    assert word_check.matches(text) == []  # the layers without negation never read it
    negation = MeaningCheck(word_check.descriptions, 0.9, WordEncoder(), select=negated)
    assert negation.spans(text, select=negated) == (text,)
    assert detect_emergency(text, meaning=EitherCheck([word_check, negation])).emergency
    assert negation.matches("my kid munched on tablets") == []  # no negation: not its window


def test_the_shipped_negation_model_was_fitted_for_these_descriptions_and_its_encoder():
    from healthqa.analysis.emergency_meaning import CLASSIFIER_ENCODER_ID, NegationClassifier

    model = NegationClassifier.load()
    _, digest = load_descriptions()
    assert model.info["descriptions_sha256"] == digest, "rerun " + NegationClassifier.REBUILD
    assert model.info["model_id"] == CLASSIFIER_ENCODER_ID
    assert "training data only" in model.info["note"]
    assert 0.5 < model.threshold < 1.0
