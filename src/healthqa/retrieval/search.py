"""Question -> scored candidate passages. A pure function of (index, question), so shards can
be searched apart and their top-k merged.

Each signal scores every passage row; signals are fused by reciprocal rank, then type and
focus agreement with the question re-order the head of the list.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from healthqa.analysis.qtype import related_qtypes
from healthqa.analysis.vocabulary import phrase_key
from healthqa.errors import HealthqaError
from healthqa.records import Candidate, Question
from healthqa.retrieval.adapter_es import QuestionAdapter
from healthqa.retrieval.index import Index
from healthqa.retrieval.symptoms_es import SymptomPages

# Reciprocal rank fusion constant (Cormack et al. 2009 use 60).
RRF_K = 60
# How many rows of each signal take part in fusion.
FUSION_DEPTH = 200
# Bonuses on the fused score (in units of the best fused score) for a passage of a related type
# and of the question's focus. They had been set by reading the LiveQA dev rankings (0.15 /
# 0.35); chosen again on 2026-12-01 from the training questions only: five settings in
# {0, 0.15, 0.35}^2, each with its own candidate lists and refitted re-ranker, by the grouped
# 5-fold CV of `python -m healthqa.training.rerank` on the 446 LiveQA training questions. Its
# figures differ by noise (< ~0.01; the re-ranker reads type and focus itself), so both are 0:
# no constant fitted on evaluation data. The focus bonus does keep a few more relevant answers
# in the list (MAP@10 against every relevant answer +0.014 at 0.35, +0.03 with BM25 alone): the
# open question, docs/benchmarks.md "Fusion bonuses chosen on training data".
QTYPE_BONUS = 0.0
FOCUS_BONUS = 0.0
# The Spanish fusion's bonus for a page the question names (Spanish vocabulary), its own
# constant since 2026-12-01 (it had shared the English one, set on LiveQA dev): chosen on queries
# made from the Spanish pages' own section headings (scripts/spanish_focus_bonus.py, training
# material): own page first for 94.9 % of 1,562 at 0 against 90.1 % at 0.35 (docs/benchmarks.md).
SPANISH_FOCUS_BONUS = 0.0
# Weight of the cross-lingual bridge (English names -> Spanish pages) in the Spanish fusion;
# chosen on queries made from the Spanish pages themselves, see scripts/bridge_weight.py.
BRIDGE_WEIGHT = 1.0
# The bridge speaks only for its best page, and only when that page's English names are
# closer to the question than the next page's by this much (same script).
BRIDGE_LEAD = 0.05
# Weights of the adapted question vector's cosines (retrieval/adapter_es.py) and of the raw
# USE cosines in the Spanish fusion when an adapter is given: the adapted cosines replace the
# raw ones (still read by the page chooser). Out of fold on the 185 Spanish lay training
# questions with a page, their page first in the fused list 85 times against 73 without the
# adapter, 77 with both at 1; among the chooser's rows 146 against 143 (session 20).
ADAPTED_WEIGHT = 1.0
RAW_DENSE_WEIGHT = 0.0


def lexical_signal(index: Index, question: Question) -> np.ndarray:
    return index.lexical.scores(question.search_text)


def dense_signal(index: Index, question: Question) -> np.ndarray | None:
    if index.dense is None:
        return None
    dense = index.dense
    return dense.scores(dense.encode_query(question.summary or question.text))


def message_lexical_signal(index: Index, question: Question) -> np.ndarray:
    """BM25 over the whole cleaned message: what reduction dropped can still name the topic."""
    return index.lexical.scores(question.text)


def message_dense_signal(index: Index, question: Question) -> np.ndarray | None:
    if index.dense is None or question.text == (question.summary or question.text):
        return None
    return index.dense.scores(index.dense.encode_query(question.text))


SIGNALS: dict[str, Callable[[Index, Question], np.ndarray | None]] = {
    "lexical": lexical_signal,
    "dense": dense_signal,
    "message_lexical": message_lexical_signal,
    "message_dense": message_dense_signal,
}


def reciprocal_rank_fusion(
    rankings: dict[str, np.ndarray],
    depth: int = FUSION_DEPTH,
    weights: dict[str, float] | None = None,
) -> dict[int, float]:
    """Sum over the signals of weight / (RRF_K + rank) of each row in a signal's top `depth`
    (a signal's weight is 1 unless `weights` names it)."""
    fused: dict[int, float] = {}
    for name, scores in rankings.items():
        weight = (weights or {}).get(name, 1.0)
        if weight == 0:  # read by the caller, not fused
            continue
        top = _top_rows(scores, depth)
        for rank, row in enumerate(top):
            fused[row] = fused.get(row, 0.0) + weight / (RRF_K + rank + 1)
    return fused


def _only(scores: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Scores of the given rows, every other row at 0 (out of fusion, which takes positives)."""
    kept = np.zeros_like(scores)
    kept[rows] = scores[rows]
    return kept


def _top_rows(scores: np.ndarray, k: int) -> np.ndarray:
    positive = np.flatnonzero(scores > 0)
    if positive.size > k:
        positive = positive[np.argpartition(-scores[positive], k)[:k]]
    return positive[np.argsort(-scores[positive], kind="stable")]


def collection_rows(index: Index, collection: str) -> np.ndarray:
    """The rows of one collection's passages (a name the index does not hold is an error)."""
    if collection not in index.rows_by_collection:
        known = ", ".join(index.collections)
        raise HealthqaError(f"no collection {collection!r} in the index (collections: {known})")
    return np.asarray(index.rows_by_collection[collection], dtype=np.int64)


def search(
    index: Index,
    question: Question,
    k: int,
    signals: tuple[str, ...] = tuple(SIGNALS),
    *,
    rows: np.ndarray | None = None,
) -> list[Candidate]:
    """The k best passages for the question; with `rows`, among those rows only."""
    rankings = signal_scores(index, question, signals)
    if rows is not None:
        rankings = {name: _only(scores, rows) for name, scores in rankings.items()}
    return fused_candidates(index, question, rankings, k)


def search_each_collection(
    index: Index, question: Question, k: int, signals: tuple[str, ...] = tuple(SIGNALS)
) -> dict[str, list[Candidate]]:
    """The k best passages of each collection, each list ranked among its collection's rows
    alone: a collection's candidates and scores do not depend on the other collections."""
    rankings = signal_scores(index, question, signals)
    found = {}
    for collection in index.collections:
        rows = collection_rows(index, collection)
        only = {name: _only(scores, rows) for name, scores in rankings.items()}
        found[collection] = fused_candidates(index, question, only, k)
    return found


def signal_scores(
    index: Index, question: Question, signals: tuple[str, ...]
) -> dict[str, np.ndarray]:
    """Each signal's score of every passage row (signals that do not apply are left out)."""
    rankings = {}
    for name in signals:
        scores = SIGNALS[name](index, question)
        if scores is not None:
            rankings[name] = scores
    return rankings


def fused_candidates(
    index: Index, question: Question, rankings: dict[str, np.ndarray], k: int
) -> list[Candidate]:
    """Rows fused by reciprocal rank, with the type and focus bonuses: the k best."""
    fused = reciprocal_rank_fusion(rankings)
    if not fused:
        return []
    best = max(fused.values())
    qtypes = set(related_qtypes(question.qtype))
    focus_keys = {phrase_key(t.concept) for t in question.terms}
    candidates = []
    for row, value in fused.items():
        passage = index.passages[row]
        score = value / best
        if passage.qtype in qtypes:
            score += QTYPE_BONUS
        if phrase_key(passage.focus) in focus_keys:
            score += FOCUS_BONUS
        candidates.append(
            Candidate(
                passage,
                scores={name: float(s[row]) for name, s in rankings.items()},
                score=score,
            )
        )
    candidates.sort(key=lambda c: -c.score)
    return candidates[:k]


def rank_documents(candidates: list[Candidate], k: int) -> list[tuple[str, float]]:
    """Answer ids by their best passage, in candidate order."""
    best: dict[str, float] = {}
    for candidate in candidates:
        doc_id = candidate.passage.doc_id
        best[doc_id] = max(best.get(doc_id, float("-inf")), candidate.score)
    return sorted(best.items(), key=lambda item: -item[1])[:k]


def bm25_baseline(
    index: Index, text: str, k: int, rows: np.ndarray | None = None
) -> list[tuple[str, float]]:
    """Plain BM25 over the raw text: the baseline every evaluation prints beside the pipeline;
    with `rows`, among those rows only."""
    scores = index.lexical.scores(text)
    scores = scores if rows is None else _only(scores, rows)
    rows = _top_rows(scores, k * 10)
    candidates = [Candidate(index.passages[r], score=float(scores[r])) for r in rows]
    return rank_documents(candidates, k)


def hybrid_baseline(
    index: Index, text: str, k: int, rows: np.ndarray | None = None
) -> list[tuple[str, float]]:
    """BM25 and the dense index over the raw text, fused by reciprocal rank, with no analysis,
    bonuses or re-ranking: the rule-free hybrid every evaluation prints beside the pipeline;
    with `rows`, among those rows only."""
    rankings = {"lexical": index.lexical.scores(text)}
    if index.dense is not None:
        rankings["dense"] = index.dense.scores(index.dense.encode_query(text))
    if rows is not None:
        rankings = {name: _only(scores, rows) for name, scores in rankings.items()}
    fused = reciprocal_rank_fusion(rankings)
    candidates = [Candidate(index.passages[row], score=value) for row, value in fused.items()]
    candidates.sort(key=lambda c: -c.score)
    return rank_documents(candidates, k)


def search_spanish(
    index: Index,
    question: Question,
    k: int,
    *,
    rows: np.ndarray | None = None,
    bridge_weight: float = BRIDGE_WEIGHT,
    bridge_lead: float = BRIDGE_LEAD,
    symptoms: SymptomPages | None = None,
    adapter: QuestionAdapter | None = None,
) -> list[Candidate]:
    """The k best Spanish passages: Spanish BM25 over the question and the names of the
    topics it names, USE multilingual vectors of the question, and (when the index has the
    `bridge_es` part and `bridge_weight` > 0) the page whose topic's English names are
    clearly the closest to the question's vector (`bridge_lead`), fused by reciprocal rank;
    a page that the question names (Spanish vocabulary) gets the focus bonus. With `symptoms`
    (the pages' symptom profile), each candidate also carries its page's best USE cosine on
    symptoms ("symptom_cosine", for the page chooser, not fused). With `adapter`, the cosines of
    the adapted question vector are fused too ("adapted"). Nothing when the index holds no
    Spanish passage."""
    parts = index.spanish
    if parts is None:
        return []
    rankings = {"lexical": parts.lexical.scores(question.search_text)}
    cosines: dict[str, np.ndarray] = {}  # read by the page chooser, not fused
    if parts.dense is not None:
        vector = parts.dense.encode_query(question.text)
        rankings["dense"] = parts.dense.scores(vector)
        if adapter is not None:
            rankings["adapted"] = parts.dense.scores(adapter.adapt(vector))
        if symptoms is not None:
            cosines["symptom_cosine"] = symptoms.row_cosines(rankings["dense"])
        if parts.bridge is not None:
            cosines["bridge_cosine"] = parts.bridge.row_cosines(vector)
            if bridge_weight > 0:
                rankings["bridge"] = parts.bridge.scores(vector, bridge_lead)
    if rows is not None:
        rankings = {name: _only(scores, rows) for name, scores in rankings.items()}
    weights = {"bridge": bridge_weight}
    if adapter is not None:
        weights |= {"adapted": ADAPTED_WEIGHT, "dense": RAW_DENSE_WEIGHT}
    fused = reciprocal_rank_fusion(rankings, weights=weights)
    if not fused:
        return []
    best = max(fused.values())
    named = {t.concept for t in question.terms}
    candidates = []
    for row, value in fused.items():
        passage = index.passages[row]
        score = value / best + (SPANISH_FOCUS_BONUS if passage.focus in named else 0.0)
        scores = {name: float(s[row]) for name, s in (rankings | cosines).items()}
        candidates.append(Candidate(passage, scores=scores, score=score))
    candidates.sort(key=lambda c: -c.score)
    return candidates[:k]
