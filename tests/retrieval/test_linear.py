import json

import numpy as np
import pytest

from healthqa.errors import HealthqaError
from healthqa.retrieval.linear import LinearModel


class ToyModel(LinearModel):
    KNOWN_FEATURES = frozenset({"signal", "noise"})
    REBUILD = "toy train"


class OtherModel(ToyModel):
    KNOWN_FEATURES = frozenset({"other"})


# One informative column ("signal") and one of noise: the fit must lean on the signal.
FEATURES = np.array([[0.0, 5.0], [1.0, 3.0], [2.0, 4.0], [3.0, 4.0], [4.0, 3.0], [5.0, 5.0]])
LABELS = np.array([0, 0, 0, 1, 1, 1])


def test_fit_standardises_and_learns_which_feature_matters():
    model = ToyModel.fit(FEATURES, LABELS, ["signal", "noise"], C=10.0)
    assert model.features == ("signal", "noise")
    assert model.mean.tolist() == pytest.approx([2.5, 4.0])
    assert abs(model.coef[0]) > 5 * abs(model.coef[1])
    predicted = model.predict_matrix(FEATURES) >= model.threshold
    assert predicted.tolist() == LABELS.astype(bool).tolist()


def test_saved_model_loads_with_the_same_predictions(tmp_path):
    model = ToyModel.fit(FEATURES, LABELS, ["signal", "noise"])
    path = tmp_path / "nested" / "toy.json"
    model.save(path)
    loaded = ToyModel.load(path)
    assert loaded.predict_matrix(FEATURES) == pytest.approx(model.predict_matrix(FEATURES))


def test_a_model_from_plain_lists_computes_like_one_from_arrays():
    from_lists = ToyModel(["signal"], [1.0], [2.0], [3.0], 0.5)
    assert from_lists.logits(np.array([[3.0]])).tolist() == [3.5]
    assert json.loads(json.dumps(from_lists.to_dict()))["coef"] == [3.0]


def test_files_that_do_not_fit_are_refused_with_how_to_rebuild(tmp_path):
    path = tmp_path / "toy.json"
    ToyModel(["signal"], [0.0], [1.0], [1.0], 0.0).save(path)
    with pytest.raises(HealthqaError, match=r"unknown features \['signal'\].*toy train"):
        OtherModel.load(path)
    path.write_text(path.read_text().replace('"format_version": 1', '"format_version": 99'))
    with pytest.raises(HealthqaError, match="format 99"):
        ToyModel.load(path)
    with pytest.raises(HealthqaError, match="cannot read the model.*toy train"):
        ToyModel.load(tmp_path / "missing.json")
