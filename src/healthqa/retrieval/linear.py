"""A logistic regression over standardised, named features, stored as JSON (no pickles).

The shared shape of the learned models (question entailment, answer re-ranking, MEDIQA answer
re-ranking): each names its features, so a model file that does not fit the code is refused
by name.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Self

import numpy as np

from healthqa.errors import HealthqaError


@dataclass(frozen=True)
class LinearModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float = 0.5
    info: dict | None = None

    # Set by each kind of model: its file in healthqa/models, format, the features the code
    # computes, and how to rebuild it.
    MODEL_FILE = ""
    FORMAT_VERSION = 1
    KNOWN_FEATURES: frozenset[str] = frozenset()
    REBUILD = ""

    def __post_init__(self) -> None:
        # Built from arrays (training), lists (JSON) or tuples alike; computed as float arrays.
        object.__setattr__(self, "features", tuple(self.features))
        for name in ("mean", "scale", "coef"):
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=np.float64))

    @classmethod
    def fit(
        cls,
        features: np.ndarray,
        labels: np.ndarray,
        names: Sequence[str],
        sample_weight: np.ndarray | None = None,
        **regression,
    ) -> Self:
        """Standardise the columns and fit scikit-learn's LogisticRegression(**regression),
        each row weighing `sample_weight` (1 by default)."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        scaler = StandardScaler().fit(features)
        fitted = LogisticRegression(max_iter=1000, **regression).fit(
            scaler.transform(features), labels, sample_weight=sample_weight
        )
        return cls(
            features=names,
            mean=scaler.mean_,
            scale=scaler.scale_,
            coef=fitted.coef_[0],
            intercept=float(fitted.intercept_[0]),
        )

    def logits(self, features: np.ndarray) -> np.ndarray:
        return ((features - self.mean) / self.scale) @ self.coef + self.intercept

    def feature_matrix(self, rows: list[dict[str, float]]) -> np.ndarray:
        """Named feature rows as a matrix, columns in the model's feature order."""
        return np.array([[row[name] for name in self.features] for row in rows], dtype=np.float64)

    def predict_matrix(self, features: np.ndarray) -> np.ndarray:
        """Probability of the positive class for each row."""
        return 1.0 / (1.0 + np.exp(-self.logits(features)))

    def to_dict(self) -> dict:
        return {
            "format_version": self.FORMAT_VERSION,
            "features": list(self.features),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "info": self.info or {},
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n")

    @classmethod
    def packaged_path(cls) -> Path:
        return Path(str(resources.files("healthqa") / "models" / cls.MODEL_FILE))

    @classmethod
    def load(cls, path: Path | None = None) -> Self:
        """The packaged model, or the JSON at `path`; refused when it does not fit the code."""
        source = path or cls.packaged_path()
        try:
            data = json.loads(Path(source).read_text())
        except (OSError, ValueError) as exc:
            raise HealthqaError(
                f"cannot read the model {source}: {exc}; rebuild it with `{cls.REBUILD}`"
            ) from exc
        return cls.from_data(data, source)

    @classmethod
    def from_data(cls, data: dict, source: Path | str) -> Self:
        """The model of a model file's JSON (`source` names it in errors)."""
        unknown = sorted(set(data.get("features", [])) - cls.KNOWN_FEATURES)
        if data.get("format_version") != cls.FORMAT_VERSION or unknown:
            raise HealthqaError(
                f"model {source} does not fit this healthqa (format "
                f"{data.get('format_version')}, unknown features {unknown}): rebuild it with "
                f"`{cls.REBUILD}`"
            )
        return cls(
            features=data["features"],
            mean=data["mean"],
            scale=data["scale"],
            coef=data["coef"],
            intercept=float(data["intercept"]),
            threshold=float(data.get("threshold", 0.5)),
            info=data.get("info"),
        )
