"""The calibrated relevance model ships with the package, loads offline, and reads its main
signal (the re-ranker's logit) the right way round."""

import math

import pytest

from healthqa.answer.relevance import FEATURES, RelevanceModel, default_model
from healthqa.errors import HealthqaError


def _signals(**changed):
    base = {
        "rerank_logit": 0.0,
        "dense": 0.5,
        "lexical_share": 0.5,
        "coverage": 0.5,
        "name_words": 1.0,
        "names_topic": 0.0,
        "focus_named": 0.0,
        "log_rank": math.log1p(0),
    }
    return base | changed


def test_the_packaged_model_loads_from_its_file_with_a_threshold_and_calibration_figures():
    model = RelevanceModel.load()  # the JSON in healthqa/models: no network, no index
    assert set(model.features) == set(FEATURES)
    assert 0.0 < model.threshold < 1.0
    figures = model.info["cross_validation"]
    assert figures["brier"] < model.info["baselines"]["prevalence_brier"]


def test_relevance_rises_with_the_rerankers_logit():
    model = default_model()
    logits = [-6.0, -3.0, -1.0, 0.0, 1.0, 3.0, 6.0]
    for named in (0.0, 1.0):
        probabilities = [
            model.probability(_signals(rerank_logit=x, focus_named=named)) for x in logits
        ]
        assert all(a < b for a, b in zip(probabilities, probabilities[1:], strict=False))
        assert probabilities[-1] - probabilities[0] > 0.1


def test_a_missing_signal_counts_as_its_training_mean():
    model = default_model()
    mean = dict(zip(model.features, model.mean, strict=True))["dense"]
    assert model.probability(_signals(dense=math.nan)) == pytest.approx(
        model.probability(_signals(dense=mean))
    )


def test_a_model_file_that_does_not_fit_the_code_is_refused(tmp_path):
    path = tmp_path / "relevance.json"
    path.write_text('{"format_version": 1, "features": ["shoe_size"]}')
    with pytest.raises(HealthqaError, match="shoe_size"):
        RelevanceModel.load(path)
