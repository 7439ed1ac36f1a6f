"""A logistic regression over standardised, named features, stored as JSON (no pickles).

The shared shape of the learned parts of retrieval (question entailment, answer re-ranking):
each names its features, so a model file that does not fit the code is refused by name.
"""

from __future__ import annotations

import json
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

    # Set by each kind of model: its file in healthqa/models, format, and how to rebuild it.
    MODEL_FILE = ""
    FORMAT_VERSION = 1
    REBUILD = ""

    def logits(self, features: np.ndarray) -> np.ndarray:
        return ((features - self.mean) / self.scale) @ self.coef + self.intercept

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

    @classmethod
    def load(cls, path: Path | None = None, known_features: frozenset[str] = frozenset()) -> Self:
        """The packaged model, or the JSON at `path`; refused when it does not fit the code."""
        source = path or Path(str(resources.files("healthqa") / "models" / cls.MODEL_FILE))
        try:
            data = json.loads(Path(source).read_text())
        except (OSError, ValueError) as exc:
            raise HealthqaError(f"cannot read the model {source}: {exc}") from exc
        unknown = sorted(set(data.get("features", [])) - known_features)
        if data.get("format_version") != cls.FORMAT_VERSION or unknown:
            raise HealthqaError(
                f"model {source} does not fit this healthqa (format "
                f"{data.get('format_version')}, unknown features {unknown}): rebuild it with "
                f"`{cls.REBUILD}`"
            )
        return cls(
            features=tuple(data["features"]),
            mean=np.array(data["mean"]),
            scale=np.array(data["scale"]),
            coef=np.array(data["coef"]),
            intercept=float(data["intercept"]),
            threshold=float(data.get("threshold", 0.5)),
            info=data.get("info"),
        )
