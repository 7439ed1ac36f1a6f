"""How much a sentence belongs in a summary of several answers to one question.

What people keep when they summarise several answers is what the answers agree on and what
answers the question. Each sentence gets named features from MiniLM sentence vectors
(`retrieval/dense.py`) and its section; a logistic regression over standardised features
(`models/salience.json`, fitted on training data only by `python -m healthqa.training.salience`:
LiveQA training questions, their retrieved MedQuAD answers, and the sentences their reference
answers quote) turns them into one score.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from healthqa.retrieval.dense import get_encoder
from healthqa.retrieval.linear import LinearModel


@dataclass(frozen=True)
class SourceSentence:
    text: str
    source: str  # the answer id it is quoted from
    asked: bool  # it falls in the section the question asks about
    position: int = 0  # its place among the quotable sentences of its answer, from 0


FEATURES = (
    # mean cosine to the sentences of the other answers: said by several sources
    "agreement",
    "question_similarity",
    "asked_section",
    # 1 / (1 + position): an answer's first sentences carry its main point
    "lead",
)
# The feature sets `python -m healthqa.training.salience` compares by cross-validation.
FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "agreement+question+section": FEATURES[:3],
    "agreement+question+section+lead": FEATURES,
}


def feature_matrix(question: str, sentences: list[SourceSentence]) -> np.ndarray:
    """One row per sentence, columns as in FEATURES."""
    vectors = _vectors((*(s.text for s in sentences), question))
    similarity = vectors[:-1] @ vectors[:-1].T
    sources = np.array([s.source for s in sentences])
    return np.column_stack(
        [
            _agreement(similarity, sources),
            vectors[:-1] @ vectors[-1],
            [float(s.asked) for s in sentences],
            [1.0 / (1 + s.position) for s in sentences],
        ]
    )


@lru_cache(maxsize=2)
def _vectors(texts: tuple[str, ...]) -> np.ndarray:
    """Sentence vectors, kept for the last texts: scoring the same answers with several models
    (cross-validation) encodes them once."""
    return get_encoder().encode(list(texts))


def _agreement(similarity: np.ndarray, sources: np.ndarray) -> np.ndarray:
    others = sources[:, None] != sources[None, :]
    counts = others.sum(axis=1)
    return np.where(counts > 0, (similarity * others).sum(axis=1) / np.maximum(counts, 1), 0.0)


@dataclass(frozen=True)
class SalienceModel(LinearModel):
    MODEL_FILE = "salience.json"
    KNOWN_FEATURES = frozenset(FEATURES)
    REBUILD = "python -m healthqa.training.salience"

    def scores(self, question: str, sentences: list[SourceSentence]) -> np.ndarray:
        """A score per sentence, higher for a sentence a summary should keep."""
        if not sentences:
            return np.zeros(0)
        columns = [FEATURES.index(name) for name in self.features]
        return self.logits(feature_matrix(question, sentences)[:, columns])


@lru_cache(maxsize=1)
def default_model() -> SalienceModel:
    return SalienceModel.load()
