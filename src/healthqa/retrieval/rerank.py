"""Learned re-ranking of candidate answers (MedQuAD answer ids) for a question.

Each answer of the fused top list gets named features: its signals, how well its MedQuAD
question entails the user's (the cheap part of question entailment: the question-to-question
cosine the dense index already holds, agreement of focus and type), and how much of the list
backs it (its passages, the other answers of its page). A logistic regression
over standardised features (coefficients in `models/rerank.json`, fitted by
`python -m healthqa.training.rerank`) orders them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from healthqa.analysis.qtype import QtypeModel, class_of, related_qtypes
from healthqa.analysis.vocabulary import phrase_key
from healthqa.errors import HealthqaError
from healthqa.records import Candidate, Question
from healthqa.retrieval.lexical import tokenize
from healthqa.retrieval.trees import LinearOrTreesModel

# How many answers of the fused list are re-ranked.
RERANK_DEPTH = 50


@dataclass(frozen=True)
class AnswerView:
    """One answer id with its best passage's signals and its place in the fused list."""

    doc_id: str
    rank: int
    fused: float
    lexical: float
    dense: float
    focus: str
    qtype: str
    question: str
    source: str
    passages: int  # how many passages of this answer the fused list holds
    page: str = ""  # the source page it is part of (Passage.page_key)
    synonyms: tuple[str, ...] = ()  # other names of its focus (MedQuAD's synonyms)


@dataclass(frozen=True)
class QuestionContext:
    focus_keys: frozenset[str]
    stems: frozenset[str]
    qtype: str
    related: frozenset[str]
    best_lexical: float
    answers_per_page: Counter[str]
    # P(the message entails the answer's MedQuAD question), by answer id (retrieval/entailment.py)
    entailment: dict[str, float]
    # P(the question asks for this class of answer), by the question type classifier's class
    type_probability: dict[str, float]


Feature = Callable[[AnswerView, QuestionContext], float]

FEATURES: dict[str, Feature] = {
    "fused": lambda a, q: a.fused,
    "reciprocal_rank": lambda a, q: 1.0 / (1 + a.rank),
    "lexical": lambda a, q: a.lexical / q.best_lexical if q.best_lexical else 0.0,
    "dense": lambda a, q: a.dense,
    "focus_named": lambda a, q: float(phrase_key(a.focus) in q.focus_keys),
    # The question names the answer's focus by one of its other names (MedQuAD's synonyms).
    "synonym_named": lambda a, q: float(
        any(phrase_key(s) in q.focus_keys for s in (a.focus, *a.synonyms))
    ),
    "focus_words_in_question": lambda a, q: _share(_stems(a.focus), q.stems),
    "question_words_in_faq": lambda a, q: _share(q.stems, _stems(a.question)),
    "same_type": lambda a, q: float(a.qtype == q.qtype),
    "related_type": lambda a, q: float(a.qtype in q.related),
    "faq_is_information": lambda a, q: float(a.qtype == "information"),
    # The classifier's belief that the question asks for the answer's kind of answer: a soft
    # same_type, which does not stake all on one predicted type.
    "type_probability": lambda a, q: q.type_probability.get(class_of(a.qtype), 0.0),
    # Which site an answer comes from: consumer pages (MedlinePlus) read differently from
    # genetics references (GHR, GARD).
    "medlineplus": lambda a, q: float(a.source in MEDLINEPLUS_SOURCES),
    "genetics_reference": lambda a, q: float(a.source in ("GHR", "GARD")),
    # Support in the list: an answer whose passages, or whose page's other answers, recur in
    # it is about what the question's signals agree on. Log counts: leave-one-question-out
    # avgScore 1.608 vs 1.529 with raw counts (docs/benchmarks.md).
    "passages_in_list": lambda a, q: math.log1p(a.passages),
    "other_answers_of_page": lambda a, q: math.log(q.answers_per_page[a.page]),
    # Question entailment (Ben Abacha & Demner-Fushman 2019): the FAQ asks what the message asks.
    "entailment": lambda a, q: q.entailment.get(a.doc_id, 0.0),
}
MEDLINEPLUS_SOURCES = frozenset(
    {"ADAM", "MPlusHealthTopics", "MPlusDrugs", "MPlusHerbsSupplements"}
)


@lru_cache(maxsize=50_000)
def _stems(text: str) -> frozenset[str]:
    return frozenset(tokenize([text])[0])


def _share(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def answer_views(candidates: list[Candidate], depth: int = RERANK_DEPTH) -> list[AnswerView]:
    """The first `depth` distinct answers of a fused candidate list, each at its best passage."""
    passages = Counter(c.passage.doc_id for c in candidates)
    views: dict[str, AnswerView] = {}
    for candidate in candidates:
        passage = candidate.passage
        if passage.doc_id in views:
            continue
        if len(views) == depth:
            break
        views[passage.doc_id] = AnswerView(
            doc_id=passage.doc_id,
            rank=len(views),
            fused=candidate.score,
            lexical=candidate.scores.get("lexical", 0.0),
            dense=candidate.scores.get("dense", 0.0),
            focus=passage.focus,
            qtype=passage.qtype,
            question=passage.question,
            source=passage.source,
            passages=passages[passage.doc_id],
            page=passage.page_key,
            synonyms=passage.synonyms,
        )
    return list(views.values())


def entailment_probabilities(question: Question, views: list[AnswerView]) -> dict[str, float]:
    from healthqa.retrieval.entailment import default_model

    asked = [v for v in views if v.question]
    probabilities = default_model().probabilities(question.text, [v.question for v in asked])
    return {v.doc_id: float(p) for v, p in zip(asked, probabilities, strict=True)}


def type_probabilities(
    question: Question, model: QtypeModel | None = None, *, encode: bool = True
) -> dict[str, float]:
    """P(class | question) by the question type classifier (the packaged one unless `model`),
    read from the question's summary, the text dense search encodes. Without `encode` (an
    engine without dense search, which loads no encoder) from its n-grams alone."""
    from healthqa.analysis.qtype import default_model

    model = model or default_model()
    vector = None
    if not encode and model.vector_coef is not None:
        vector = np.zeros(model.vector_coef.shape[0])
    probabilities = model.probabilities(question.summary or question.text, vector)
    return dict(zip(model.classes, map(float, probabilities), strict=True))


def question_context(
    question: Question,
    views: list[AnswerView],
    names: tuple[str, ...] = tuple(FEATURES),
    type_model: QtypeModel | None = None,
    encode: bool = True,
) -> QuestionContext:
    return QuestionContext(
        focus_keys=frozenset(phrase_key(t.concept) for t in question.terms if not t.weak),
        stems=_stems(question.search_text),
        qtype=question.qtype,
        related=frozenset(related_qtypes(question.qtype)),
        best_lexical=max((v.lexical for v in views), default=0.0),
        answers_per_page=Counter(v.page for v in views),
        entailment=entailment_probabilities(question, views) if "entailment" in names else {},
        type_probability=(
            type_probabilities(question, type_model, encode=encode)
            if "type_probability" in names
            else {}
        ),
    )


def feature_matrix(
    question: Question,
    views: list[AnswerView],
    names=tuple(FEATURES),
    type_model: QtypeModel | None = None,
    encode: bool = True,
) -> np.ndarray:
    """One row per answer, one column per named feature; `type_model`: the question type
    classifier behind "type_probability" (the packaged one unless given), which reads the
    question's vector only when `encode`."""
    context = question_context(question, views, tuple(names), type_model, encode)
    return np.array([[FEATURES[n](v, context) for n in names] for v in views], dtype=np.float64)


@dataclass(frozen=True)
class RerankModel(LinearOrTreesModel):
    """Its logit orders the answers (the training cross-validation may choose trees)."""

    MODEL_FILE = "rerank.json"
    KNOWN_FEATURES = frozenset(FEATURES)
    REBUILD = "python -m healthqa.training.rerank"

    def rerank(
        self, question: Question, candidates: list[Candidate], *, encode: bool = True
    ) -> list[Candidate]:
        """Candidates re-ordered answer by answer (passages keep their order within an answer);
        each candidate's score becomes its answer's probability, 0 below the re-ranked depth.
        `encode`: the engine has dense search, so the question's vector is at hand (without
        it, nothing loads the encoder for the re-ranker)."""
        views = answer_views(candidates)
        if not views:
            return candidates
        features = feature_matrix(question, views, self.features, encode=encode)
        logits = self.logits(features)
        probability = dict(zip((v.doc_id for v in views), 1 / (1 + np.exp(-logits)), strict=True))
        for candidate in candidates:
            candidate.scores["rerank"] = float(probability.get(candidate.passage.doc_id, 0.0))
            candidate.score = candidate.scores["rerank"]
        return sorted(candidates, key=lambda c: -c.score)


# The re-ranker fitted with each question type source (Settings.qtype): the type features
# carry the weight they earned with the types they will be given.
MODEL_FILE_OF_QTYPE = {"cues": "rerank.json", "learned": "rerank_learned.json"}
# With the cue types and no dense search nothing else encodes the question, so the re-ranker
# is the one fitted without "type_probability" (which reads the question's vector): the
# question encoder stays unloaded and a BM25-only ask as fast as before.
WITHOUT_VECTOR_FILE = "rerank_no_vector.json"


def model_path(qtype: str = "cues", *, vector: bool = True) -> Path:
    """The packaged re-ranker for a type source; `vector`: it may read the question's vector."""
    if qtype not in MODEL_FILE_OF_QTYPE:
        known = ", ".join(MODEL_FILE_OF_QTYPE)
        raise HealthqaError(f"no re-ranker for question type source {qtype!r} (known: {known})")
    name = MODEL_FILE_OF_QTYPE[qtype] if vector or qtype != "cues" else WITHOUT_VECTOR_FILE
    return RerankModel.packaged_path().with_name(name)


@lru_cache(maxsize=2 * len(MODEL_FILE_OF_QTYPE))
def default_model(qtype: str = "cues", *, vector: bool = True) -> RerankModel:
    """The packaged re-ranker fitted with the analyzer's `qtype` source (without `vector`: one
    that does not read the question's vector, for an engine without dense search)."""
    return RerankModel.load(model_path(qtype, vector=vector))
