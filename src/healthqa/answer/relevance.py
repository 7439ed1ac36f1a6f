"""Calibrated relevance: the probability that a candidate page is on what the question asks.

A logistic regression (`retrieval/linear.py`) over the ranking signals of a candidate page at
topic choice (`answer/topic.py` `candidate_relevance`), fitted without class weights so that
its output reads as a probability, on training questions only, by
`python -m healthqa.training.relevance`. The model file (`models/relevance.json`) holds its
threshold, chosen on the same training data by cross-validation, and its calibration figures;
`models/relevance.card.md` is its card.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from healthqa.retrieval.linear import LinearModel

# The signals of one candidate page, in the order relevance_features gives them.
FEATURES = (
    "rerank_logit",  # the re-ranker's logit for the page's best answer (main signal)
    "dense",  # cosine of the user's question to the answer's MedQuAD question
    "lexical_share",  # BM25 score over the best BM25 score of the list
    "coverage",  # IDF-weighted share of the question's content words in the page's text
    "name_words",  # the question's content words found in the page's names and question
    "names_topic",  # the question uses one of the page's names (1/0)
    "focus_named",  # a strong term of the question names the page's focus (1/0)
    "log_rank",  # log(1 + rank) in the re-ranked list
)
# The re-ranker's probability is clipped before its logit.
EPSILON = 1e-4


def logit(probability: float) -> float:
    p = min(max(probability, EPSILON), 1 - EPSILON)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class RelevanceModel(LinearModel):
    MODEL_FILE = "relevance.json"
    KNOWN_FEATURES = frozenset(FEATURES)
    REBUILD = "python -m healthqa.training.relevance"

    def probability(self, features: dict[str, float]) -> float:
        """P(the page answers the question); a signal that is missing (NaN: no dense index)
        counts as its training mean, so it moves the probability neither way."""
        row = np.array([features[name] for name in self.features], dtype=np.float64)
        row = np.where(np.isnan(row), self.mean, row)
        return float(self.predict_matrix(row[None, :])[0])


@lru_cache(maxsize=1)
def default_model() -> RelevanceModel:
    return RelevanceModel.load()
