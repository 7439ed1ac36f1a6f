"""The Spanish question adapter: a learned linear map W of a Spanish question's USE
multilingual vector (`models/adapter_es.npy`, fitted by `python -m healthqa.training.adapter_es`
on page-made queries and the Spanish lay training questions; card `adapter_es.card.md`), so
that its cosine with the Spanish passages' vectors ranks the question's page higher than the
raw vector does. Only the question side is mapped: the index's passage vectors are unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from healthqa.errors import HealthqaError

MATRIX_FILE = "adapter_es.npy"
INFO_FILE = "adapter_es.json"
REBUILD = "python -m healthqa.training.adapter_es"


@dataclass(frozen=True)
class QuestionAdapter:
    matrix: np.ndarray  # (512, 512): the adapted vector is matrix @ q, normalised
    info: dict = field(default_factory=dict)

    def adapt(self, vector: np.ndarray) -> np.ndarray:
        """The unit-length adapted vector of a unit question vector."""
        u = self.matrix @ np.asarray(vector, dtype=np.float32).ravel()
        return u / (float(np.linalg.norm(u)) or 1.0)

    @staticmethod
    def packaged_path() -> Path:
        return Path(str(resources.files("healthqa") / "models" / MATRIX_FILE))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, self.matrix.astype(np.float16))
        info = path.with_name(path.name.replace(".npy", ".json"))
        info.write_text(json.dumps(self.info, indent=1, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, path: Path | None = None) -> QuestionAdapter:
        path = path or cls.packaged_path()
        try:
            matrix = np.load(path).astype(np.float32)
            info = json.loads(path.with_name(path.name.replace(".npy", ".json")).read_text())
        except (OSError, ValueError) as exc:
            raise HealthqaError(
                f"cannot read the adapter {path}: {exc}; rebuild it with `{REBUILD}`"
            ) from exc
        return cls(matrix, info)


@lru_cache(maxsize=1)
def default_adapter() -> QuestionAdapter:
    return QuestionAdapter.load()
