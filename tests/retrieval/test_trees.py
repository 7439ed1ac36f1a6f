import numpy as np
import pytest

from healthqa.errors import HealthqaError
from healthqa.retrieval.trees import TreeEnsemble, from_sklearn

sklearn_ensemble = pytest.importorskip("sklearn.ensemble")  # fitting needs the [train] extra


def test_node_tables_give_scikit_learns_logits_after_a_json_round_trip():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 4))
    y = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(int)
    model = sklearn_ensemble.HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(x, y)
    trees = TreeEnsemble.from_dict(from_sklearn(model).to_dict())
    np.testing.assert_allclose(trees.decision(x), model.decision_function(x), atol=1e-9)


def test_a_hand_made_stump_splits_on_its_threshold():
    # root: feature 1 <= 0.5 -> leaf 1 (-1.0) else leaf 2 (+2.0); baseline 0.5
    stump = TreeEnsemble(
        feature=[1, 0, 0],
        threshold=[0.5, 0, 0],
        left=[1, 1, 2],
        right=[2, 1, 2],
        value=[0, -1.0, 2.0],
        missing_left=[True, False, False],
        roots=[0],
        baseline=0.5,
        depth=1,
    )
    x = np.array([[9.0, 0.5], [9.0, 0.6], [0.0, np.nan]])
    np.testing.assert_allclose(stump.decision(x), [-0.5, 2.5, -0.5])


def test_bad_node_tables_are_refused_by_name():
    with pytest.raises(HealthqaError, match="tree ensemble"):
        TreeEnsemble.from_dict({"feature": [0]})
