"""Recognising question entailment (RQE): does a consumer question entail a FAQ question?

Ben Abacha & Demner-Fushman (2019): if a consumer health question (CHQ) entails a MedQuAD
question (FAQ), the FAQ's answer answers the CHQ. A logistic regression over a few pair
features (embedding cosine, stem and medical-concept overlap, question-type agreement,
length) gives the probability; its coefficients live in `models/rqe.json`, rebuilt on training
data only by

    python -m healthqa.training.rqe
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from healthqa.analysis.qtype import INFORMATION, QTYPE_CUES
from healthqa.errors import HealthqaError
from healthqa.retrieval.lexical import tokenize
from healthqa.retrieval.linear import LinearModel
from healthqa.xmlfiles import read_xml

RQE_DIR = Path("mediqa2019") / "task2-rqe"
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_TYPE_PATTERNS = tuple((qtype, re.compile(p, re.IGNORECASE)) for qtype, p in QTYPE_CUES)


# --- data -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RQEPair:
    pair_id: str
    chq: str
    faq: str
    label: bool | None = None


def read_rqe_pairs(path: Path) -> list[RQEPair]:
    """The `<pair pid value="true|false"><chq/><faq/></pair>` elements of a MEDIQA RQE file."""
    root = read_xml(path, "RQE pairs")
    pairs = []
    for element in root.iter("pair"):
        value = element.get("value")
        if value is not None and value.lower() not in ("true", "false"):
            raise HealthqaError(f"{path}: pair {element.get('pid')} has value={value!r}")
        pairs.append(
            RQEPair(
                pair_id=element.get("pid", str(len(pairs) + 1)),
                chq=" ".join((element.findtext("chq") or "").split()),
                faq=" ".join((element.findtext("faq") or "").split()),
                label=None if value is None else value.lower() == "true",
            )
        )
    return pairs


# --- features -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionView:
    """What the features need from one question, computed once."""

    stems: frozenset[str]
    concepts: frozenset[str]
    qtypes: frozenset[str]
    words: int


def question_types(text: str) -> frozenset[str]:
    """Every question type whose cue occurs in the text (not only the first, as qtype does)."""
    return frozenset(qtype for qtype, pattern in _TYPE_PATTERNS if pattern.search(text))


def medical_concepts(words: list[str]) -> frozenset[str]:
    """MeSH diseases and drugs named in the words (the NER packages load on first use)."""
    from drug_named_entity_recognition import find_drugs
    from medical_named_entity_recognition import find_diseases

    found = [m[0] for m in find_diseases(words)] + [m[0] for m in find_drugs(words)]
    # by name: drugs of one pharmacological class share a MeSH id (aspirin, acetaminophen)
    names = (m.get("name") or m.get("mesh_id") or m.get("matching_string") for m in found)
    return frozenset(str(n).lower() for n in names if n)


def question_view(text: str) -> QuestionView:
    words = _WORD.findall(text.lower())
    return QuestionView(
        stems=frozenset(tokenize([text])[0]),
        concepts=medical_concepts(words),
        qtypes=question_types(text) or frozenset({INFORMATION}),
        words=len(words),
    )


def _share(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


Feature = Callable[[QuestionView, QuestionView, float], float]

# name -> f(chq, faq, cosine); the model JSON lists the names it was trained with.
FEATURES: dict[str, Feature] = {
    "cosine": lambda c, f, cos: cos,
    "faq_stems_in_chq": lambda c, f, cos: _share(f.stems, c.stems),
    "stem_jaccard": lambda c, f, cos: _jaccard(c.stems, f.stems),
    "faq_concepts_in_chq": lambda c, f, cos: _share(f.concepts, c.concepts),
    "concept_jaccard": lambda c, f, cos: _jaccard(c.concepts, f.concepts),
    "faq_has_concepts": lambda c, f, cos: float(bool(f.concepts)),
    "faq_types_in_chq": lambda c, f, cos: _share(f.qtypes, c.qtypes),
    "type_jaccard": lambda c, f, cos: _jaccard(c.qtypes, f.qtypes),
    "faq_is_information": lambda c, f, cos: float(f.qtypes == {INFORMATION}),
    "log_length_ratio": lambda c, f, cos: math.log((c.words + 1) / (f.words + 1)),
}


def cosines(chqs: Sequence[str], faqs: Sequence[str]) -> np.ndarray:
    from healthqa.retrieval.dense import get_encoder

    distinct = list(dict.fromkeys([*chqs, *faqs]))
    position = {text: i for i, text in enumerate(distinct)}
    vectors = get_encoder().encode(distinct)
    left = vectors[[position[t] for t in chqs]]
    right = vectors[[position[t] for t in faqs]]
    return (left * right).sum(axis=1)


def feature_matrix(
    chqs: Sequence[str], faqs: Sequence[str], names: Sequence[str] = tuple(FEATURES)
) -> np.ndarray:
    """One row per (chq, faq) pair, one column per feature name."""
    views = {text: question_view(text) for text in {*chqs, *faqs}}
    cos = cosines(chqs, faqs)
    return np.array(
        [
            [FEATURES[name](views[c], views[f], float(k)) for name in names]
            for c, f, k in zip(chqs, faqs, cos, strict=True)
        ],
        dtype=np.float64,
    )


# --- model ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntailmentModel(LinearModel):
    """Standardised pair features -> logistic regression; `threshold` makes a label of it."""

    MODEL_FILE = "rqe.json"
    KNOWN_FEATURES = frozenset(FEATURES)
    REBUILD = "python -m healthqa.training.rqe"

    def probabilities(self, chq: str, faqs: Sequence[str]) -> np.ndarray:
        """P(chq entails faq) for each FAQ, in the order given."""
        if not faqs:
            return np.zeros(0)
        return self.predict_matrix(feature_matrix([chq] * len(faqs), faqs, self.features))

    def probability(self, chq: str, faq: str) -> float:
        return float(self.probabilities(chq, [faq])[0])

    def entails(self, pairs: Sequence[RQEPair]) -> np.ndarray:
        """Predicted label of each pair (probability >= threshold), in one batch."""
        if not pairs:
            return np.zeros(0, dtype=bool)
        chqs, faqs = [p.chq for p in pairs], [p.faq for p in pairs]
        return self.predict_matrix(feature_matrix(chqs, faqs, self.features)) >= self.threshold

    def accuracy(self, pairs: Sequence[RQEPair]) -> float:
        """Share of labelled pairs whose predicted label is right."""
        labelled = [p for p in pairs if p.label is not None]
        if not labelled:
            raise HealthqaError("no labelled pairs to measure accuracy on")
        return float(np.mean(self.entails(labelled) == np.array([p.label for p in labelled])))


@lru_cache(maxsize=1)
def default_model() -> EntailmentModel:
    return EntailmentModel.load()
