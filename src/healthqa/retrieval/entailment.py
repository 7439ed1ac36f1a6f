"""Recognising question entailment (RQE): does a consumer question entail a FAQ question?

Ben Abacha & Demner-Fushman (2019): if a consumer health question (CHQ) entails a MedQuAD
question (FAQ), the FAQ's answer answers the CHQ. A logistic regression over a few pair
features (embedding cosine, stem and medical-concept overlap, question-type agreement,
length) gives the probability; its coefficients live in `models/rqe.json`, rebuilt by

    python -m healthqa.retrieval.entailment train --data ../shared/data
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from xml.etree.ElementTree import ParseError

import numpy as np
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as safe_parse

from healthqa.analysis.qtype import INFORMATION, QTYPE_CUES
from healthqa.errors import HealthqaError
from healthqa.retrieval.lexical import tokenize

MODEL_FILE = "rqe.json"
MODEL_FORMAT_VERSION = 1
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
    try:
        root = safe_parse(str(path), forbid_dtd=True).getroot()
    except (ParseError, DefusedXmlException, OSError) as exc:
        raise HealthqaError(f"cannot read RQE pairs from {path}: {exc}") from exc
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
    return frozenset(str(m.get("mesh_id") or m["name"]).lower() for m in found)


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

    encoder = get_encoder()
    return (encoder.encode(list(chqs)) * encoder.encode(list(faqs))).sum(axis=1)


def feature_matrix(
    chqs: Sequence[str], faqs: Sequence[str], names: Sequence[str] = tuple(FEATURES)
) -> np.ndarray:
    """One row per (chq, faq) pair, one column per feature name."""
    views = {text: question_view(text) for text in {*chqs, *faqs}}
    cos = cosines(chqs, faqs)
    return np.array(
        [
            [FEATURES[name](views[c], views[f], float(k)) for name in names]
            for c, f, k in zip(chqs, faqs, cos)
        ],
        dtype=np.float64,
    )
