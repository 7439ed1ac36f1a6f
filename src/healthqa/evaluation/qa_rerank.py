"""Re-rank and label MEDIQA 2019 task 3 answers: named features, then a logistic regression
or gradient-boosted trees.

Each answer of a question gets a row of features (the registry `FEATURES`); the model turns a
row into the probability that the answer is correct. Answers are ranked by it, and labelled
correct at or above a threshold. The model file `healthqa/models/mediqa_qa.json` says its
`kind`: "logistic" (coefficients over standardised features; a file without `kind` is one) or
"trees" (node tables scored with numpy by `retrieval/trees.py`, no scikit-learn at run time).
It is fitted on task 3 training set 2 alone, the kind, its setting and the threshold chosen by
cross-validation there (`python -m healthqa.training.mediqa_qa`); this module only computes
features and judges.

CHiQA answers start with a heading, "Title (Section): text", e.g. "Achalasia (Treatment): ...";
the title names the topic, the section the kind of answer.

A feature with `_rel` compares the answer with the question's other answers (its value minus
the best one's): which answer is correct depends on what else was retrieved.

Question entailment (`healthqa.retrieval.entailment`, the answer's heading as the FAQ) was
tried as a feature and left out (it did not change a 5-fold cross-validated accuracy). So was
the fine-tuned cross-encoder's score (`retrieval/cross_encoder.py`): it was trained on 681 of
training set 2's 862 graded answers, so cross-validation there cannot judge it fairly.
The other features and model classes tried, with their figures, are in
`models/mediqa_qa.card.md`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import numpy as np

from healthqa.analysis.qtype import INFORMATION, detect_qtype, related_qtypes
from healthqa.errors import HealthqaError
from healthqa.evaluation.mediqa import Judgement, MediqaAnswer, MediqaQuestion
from healthqa.records import Question
from healthqa.retrieval.lexical import tokenize
from healthqa.retrieval.trees import LinearOrTreesModel

if TYPE_CHECKING:
    from healthqa.engine import Engine

# Retrieved MedQuAD passages an answer is compared with (`medquad_support`).
SUPPORT_PASSAGES = 10
# Words of an answer the encoder sees: MiniLM reads 128 tokens at most.
DENSE_WORDS = 100

_HEADING = re.compile(r"^(?P<heading>[^:]{1,200}?):\s+(?P<body>.*)\Z", re.DOTALL)
_SECTION = re.compile(r"^(?P<title>.+?)\s*\((?P<section>[^()]+)\)\s*\Z")


@dataclass(frozen=True)
class AnswerView:
    title: str
    section: str
    body: str

    @property
    def qtype(self) -> str:
        return detect_qtype(self.section or self.title)


def answer_view(text: str) -> AnswerView:
    heading = _HEADING.match(text)
    if not heading:
        return AnswerView("", "", text)
    titled = _SECTION.match(heading.group("heading"))
    if titled:
        return AnswerView(titled.group("title"), titled.group("section"), heading.group("body"))
    return AnswerView(heading.group("heading"), "", heading.group("body"))


def stems(text: str) -> frozenset[str]:
    return frozenset(tokenize([text])[0])


def _share(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


@dataclass
class QuestionContext:
    """One question with its answers, and what the features need from the engine."""

    item: MediqaQuestion
    question: Question
    support: list[frozenset[str]]
    dense: np.ndarray | None  # cosine of the question with each answer

    @cached_property
    def views(self) -> list[AnswerView]:
        return [answer_view(a.text) for a in self.item.answers]

    @cached_property
    def question_stems(self) -> frozenset[str]:
        return stems(f"{self.question.text} {' '.join(t.concept for t in self.question.terms)}")

    @cached_property
    def asked_stems(self) -> frozenset[str]:
        return stems(self.question.summary or self.question.text)

    @property
    def answers(self) -> tuple[MediqaAnswer, ...]:
        return self.item.answers


def _system_rank(c: QuestionContext) -> np.ndarray:
    return np.array([1.0 / a.system_rank for a in c.answers])


def _title_in_question(c: QuestionContext) -> np.ndarray:
    return np.array([_share(stems(v.title), c.question_stems) for v in c.views])


def _focus_in_title(c: QuestionContext) -> np.ndarray:
    concepts = [stems(t.concept) for t in c.question.terms] or [c.asked_stems]
    return np.array([max(_share(concept, stems(v.title)) for concept in concepts) for v in c.views])


def _question_in_answer(c: QuestionContext) -> np.ndarray:
    return np.array([_share(c.asked_stems, stems(a.text)) for a in c.answers])


def _qtype_match(c: QuestionContext) -> np.ndarray:
    wanted = set(related_qtypes(c.question.qtype))
    return np.array([float(v.qtype in wanted) for v in c.views])


def _overview(c: QuestionContext) -> np.ndarray:
    return np.array([float(v.qtype == INFORMATION) for v in c.views])


def _log_words(c: QuestionContext) -> np.ndarray:
    return np.array([math.log1p(len(a.text.split())) for a in c.answers])


def _medquad_support(c: QuestionContext) -> np.ndarray:
    """How much of the answer a retrieved MedQuAD passage says too (best passage)."""
    rows = []
    for answer in c.answers:
        words = stems(answer.text)
        rows.append(max((_share(p, words) for p in c.support), default=0.0))
    return np.array(rows)


def _log_rank(c: QuestionContext) -> np.ndarray:
    return np.array([math.log(a.system_rank) for a in c.answers])


def _source(*hosts: str, within: str = "") -> Callable[[QuestionContext], np.ndarray]:
    """1 for an answer whose URL is on one of `hosts` (with `within` in its path): a prior on
    the kind of page an answer comes from."""

    def from_source(c: QuestionContext) -> np.ndarray:
        urls = [urlparse(a.url) for a in c.answers]
        return np.array(
            [
                float(u.netloc.lower().removeprefix("www.") in hosts and within in u.path)
                for u in urls
            ]
        )

    return from_source


def _dense(c: QuestionContext) -> np.ndarray:
    return c.dense if c.dense is not None else np.zeros(len(c.answers))


def _relative(
    feature: Callable[[QuestionContext], np.ndarray],
) -> Callable[[QuestionContext], np.ndarray]:
    """The feature minus its best value among the question's answers: 0 for the best answer."""

    def relative(c: QuestionContext) -> np.ndarray:
        values = feature(c)
        return values - values.max()

    return relative


FEATURES: dict[str, Callable[[QuestionContext], np.ndarray]] = {
    "system_rank": _system_rank,
    "title_in_question": _title_in_question,
    "title_in_question_rel": _relative(_title_in_question),
    "focus_in_title": _focus_in_title,
    "focus_in_title_rel": _relative(_focus_in_title),
    "question_in_answer": _question_in_answer,
    "question_in_answer_rel": _relative(_question_in_answer),
    "qtype_match": _qtype_match,
    "overview": _overview,
    "log_words": _log_words,
    "log_words_rel": _relative(_log_words),
    "medquad_support": _medquad_support,
    "medquad_support_rel": _relative(_medquad_support),
    "dense": _dense,
    "dense_rel": _relative(_dense),
    "log_rank": _log_rank,
    "from_mayo_clinic": _source("mayoclinic.org"),
    "from_medlineplus_encyclopedia": _source("medlineplus.gov", "nlm.nih.gov", within="/ency/"),
    "from_gard": _source("rarediseases.info.nih.gov"),
}
# Feature sets the training command compares by cross-validation on training set 2: what the
# question and the answer say, and that plus priors on where the answer comes from.
FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "content": tuple(name for name in FEATURES if name != "log_rank" and "from_" not in name),
    "content+rank": tuple(name for name in FEATURES if "from_" not in name),
    "content+rank+source": tuple(FEATURES),
}


def _encode(texts: list[str]) -> np.ndarray | None:
    try:
        from healthqa.retrieval.dense import get_encoder

        return get_encoder().encode(texts)
    except HealthqaError:
        return None


def question_context(engine: Engine, item: MediqaQuestion) -> QuestionContext:
    question = engine.analyze(item.text)
    support = [stems(c.passage.text) for c in engine.retrieve(question, SUPPORT_PASSAGES)]
    texts = [question.summary or question.text]
    texts += [" ".join(a.text.split()[:DENSE_WORDS]) for a in item.answers]
    vectors = _encode(texts)
    dense = vectors[1:] @ vectors[0] if vectors is not None else None
    return QuestionContext(item, question, support, dense)


def feature_matrix(context: QuestionContext, names: Sequence[str]) -> np.ndarray:
    return np.column_stack([FEATURES[name](context) for name in names])


@dataclass(frozen=True)
class RerankModel(LinearOrTreesModel):
    MODEL_FILE = "mediqa_qa.json"
    KNOWN_FEATURES = frozenset(FEATURES)
    REBUILD = "python -m healthqa.training.mediqa_qa"

    def judge(self, context: QuestionContext) -> list[Judgement]:
        """The question's answers, most likely correct first, labelled by the threshold."""
        p = self.predict_matrix(feature_matrix(context, self.features))
        order = sorted(range(len(p)), key=lambda i: (-p[i], context.answers[i].system_rank))
        return [
            Judgement(
                context.item.qid, context.answers[i].aid, int(p[i] >= self.threshold), float(p[i])
            )
            for i in order
        ]


def rerank(engine: Engine, model: RerankModel, items: list[MediqaQuestion]) -> list[Judgement]:
    return [j for item in items for j in model.judge(question_context(engine, item))]
