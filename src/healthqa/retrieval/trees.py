"""Gradient-boosted trees read as plain arrays: scikit-learn's HistGradientBoostingClassifier
(binary) fitted at training time, stored as JSON node tables, and evaluated with numpy at run
time, so `ask` needs no scikit-learn and loads no pickle.

A tree is a table of nodes (feature, threshold, left, right, leaf value); every tree's table is
laid end to end, and all trees walk down together, one level per step.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Self

import numpy as np

from healthqa.errors import HealthqaError
from healthqa.retrieval.linear import LinearModel

LOGISTIC = "logistic"
TREES = "trees"
KINDS = (LOGISTIC, TREES)


@dataclass(frozen=True)
class TreeEnsemble:
    feature: np.ndarray  # per node: the column it splits on (leaves: 0)
    threshold: np.ndarray  # per node: go left when value <= threshold
    left: np.ndarray  # per node: index of the left child (leaves: itself)
    right: np.ndarray  # per node: index of the right child (leaves: itself)
    value: np.ndarray  # per node: the leaf's contribution to the logit (inner nodes: 0)
    missing_left: np.ndarray  # per node: a missing value (NaN) goes left
    roots: np.ndarray  # per tree: index of its root node
    baseline: float
    depth: int  # the deepest leaf's depth: steps needed to reach every leaf

    def __post_init__(self) -> None:
        for name, kind in (
            ("feature", np.int64),
            ("threshold", np.float64),
            ("left", np.int64),
            ("right", np.int64),
            ("value", np.float64),
            ("missing_left", bool),
            ("roots", np.int64),
        ):
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=kind))
        sizes = {len(getattr(self, n)) for n in ("feature", "threshold", "left", "right", "value")}
        if len(sizes) != 1 or len(self.missing_left) not in sizes:
            raise HealthqaError("tree ensemble: node tables of different lengths")
        nodes = len(self.feature)
        for name in ("left", "right", "roots"):
            links = getattr(self, name)
            if links.size and not 0 <= links.min() <= links.max() < nodes:
                raise HealthqaError(f"tree ensemble: {name} points outside the {nodes} nodes")

    def decision(self, features: np.ndarray) -> np.ndarray:
        """The logit of each row: the baseline plus every tree's leaf value."""
        x = np.asarray(features, dtype=np.float64)
        rows = np.arange(x.shape[0])
        node = np.repeat(self.roots[:, None], x.shape[0], axis=1)  # trees x rows
        for _ in range(self.depth):
            values = x[rows, self.feature[node]]
            go_left = np.where(
                np.isnan(values), self.missing_left[node], values <= self.threshold[node]
            )
            node = np.where(go_left, self.left[node], self.right[node])
        return self.baseline + self.value[node].sum(axis=0)

    def to_dict(self) -> dict:
        return {
            "feature": self.feature.tolist(),
            "threshold": self.threshold.tolist(),
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": self.value.tolist(),
            "missing_left": self.missing_left.astype(int).tolist(),
            "roots": self.roots.tolist(),
            "baseline": self.baseline,
            "depth": self.depth,
        }

    @classmethod
    def from_dict(cls, data: dict) -> TreeEnsemble:
        try:
            return cls(**{**data, "baseline": float(data["baseline"]), "depth": int(data["depth"])})
        except (KeyError, TypeError, ValueError) as exc:
            raise HealthqaError(f"tree ensemble: bad node tables ({exc})") from exc


def from_sklearn(model) -> TreeEnsemble:
    """The node tables of a fitted binary HistGradientBoostingClassifier (numerical features)."""
    tables, roots, offset, depth = [], [], 0, 0
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise HealthqaError("tree ensemble: categorical splits are not supported")
        leaf = nodes["is_leaf"].astype(bool)
        own = np.arange(len(nodes)) + offset
        tables.append(
            {
                "feature": np.where(leaf, 0, nodes["feature_idx"]),
                "threshold": np.where(leaf, 0.0, nodes["num_threshold"]),
                "left": np.where(leaf, own, nodes["left"] + offset),
                "right": np.where(leaf, own, nodes["right"] + offset),
                "value": np.where(leaf, nodes["value"], 0.0),
                "missing_left": nodes["missing_go_to_left"].astype(bool),
            }
        )
        roots.append(offset)
        offset += len(nodes)
        depth = max(depth, int(nodes["depth"].max()))
    joined = {k: np.concatenate([t[k] for t in tables]) for k in tables[0]}
    baseline = float(np.ravel(model._baseline_prediction)[0])
    return TreeEnsemble(**joined, roots=np.array(roots), baseline=baseline, depth=depth)


@dataclass(frozen=True)
class LinearOrTreesModel(LinearModel):
    """A logistic regression over named features or, when `trees` is given (kind "trees"), the
    trees' logit over the same features; the linear part is then a logistic regression fitted
    beside them, kept for reading only. The answer re-rankers (LiveQA and MEDIQA) share it."""

    trees: TreeEnsemble | None = None

    @property
    def kind(self) -> str:
        return LOGISTIC if self.trees is None else TREES

    def logits(self, features: np.ndarray) -> np.ndarray:
        if self.trees is not None:
            return self.trees.decision(features)
        return super().logits(features)

    def to_dict(self) -> dict:
        data = {"kind": self.kind, **super().to_dict()}
        if self.trees is not None:
            data["trees"] = self.trees.to_dict()
        return data

    @classmethod
    def from_data(cls, data: dict, source: Path | str) -> Self:
        """Either kind; a file without `kind` is read by whether it holds trees (files written
        before `kind` was: a logistic regression, or trees under "trees")."""
        model = super().from_data(data, source)
        kind = data.get("kind", TREES if "trees" in data else LOGISTIC)
        if kind not in KINDS:
            raise HealthqaError(
                f"model {source}: unknown kind {kind!r} (known: {', '.join(KINDS)}); "
                f"rebuild it with `{cls.REBUILD}`"
            )
        if kind == LOGISTIC:
            return model
        if not isinstance(data.get("trees"), dict):
            raise HealthqaError(f"model {source}: kind 'trees' without its node tables")
        trees = TreeEnsemble.from_dict(data["trees"])
        if trees.feature.size and not 0 <= trees.feature.min() <= trees.feature.max() < len(
            model.features
        ):
            raise HealthqaError(
                f"model {source}: a tree splits on a column beyond its {len(model.features)} "
                "features"
            )
        return replace(model, trees=trees)
