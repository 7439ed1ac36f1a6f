"""Does a message that names a drug outside the question it asks still ask about the drug?

"She takes potassium chloride but still gets leg cramps: what can she do?" asks about the
cramps; "My sister has breast cancer. Could she use salinomycin?" asks about salinomycin, even
when the reduction kept the first sentence. A logistic regression over general features of
where and how the message names the drug (`FEATURES`), fitted on MeQSum's message/summary pairs
and LiveQA-train's focus annotations (`python -m healthqa.training.drug_asked`): the label is
whether the reference summary or focus names the drug.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from healthqa.analysis.reduction import (
    _is_ask,
    clean_subject,
    default_model,
    sentence_views,
    split_sentences,
    split_subject,
)
from healthqa.analysis.vocabulary import phrase_key
from healthqa.records import Question, Term
from healthqa.retrieval.linear import LinearModel

_WORD = re.compile(r"[a-z]+")
FindTerms = Callable[[str], list[Term]]

FEATURES = (
    "drug_share",  # the reduction's softmax share of the best sentence naming the drug
    "drug_asks",  # a sentence naming the drug asks something (question mark, "can I", ...)
    "drug_in_subject",  # the message's subject line names the drug
    "drug_after_ask",  # the drug is named in or after the first sentence that asks
    "mentions",  # log(1 + times the message names a drug)
    "drugs",  # distinct drugs named
    "drug_zipf",  # how common in English the drug's word is (olive oil, thyroid: common)
    "drug_page",  # the index has a drug or supplement page on it
    "own_subjects",  # strong non-drug terms the kept question names (the condition)
    "asks_medicine",  # the kept question speaks of taking or using a medicine ("any creams?")
    "asks_pronoun",  # the kept question points back ("is it safe", "can this cause")
)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words of the kept question that speak of a medicine without naming it.
MEDICINE_WORDS = _word_set(
    "medicine medicines medication medications drug drugs pill pills tablet tablets cream "
    "creams vaccine vaccines injection injections shot shots dose doses dosage supplement "
    "supplements take taking took use using prescribed"
)
POINTING_WORDS = _word_set("it this that these them they")


class DrugAskedModel(LinearModel):
    MODEL_FILE = "drug_asked.json"
    FORMAT_VERSION = 1
    KNOWN_FEATURES = frozenset(FEATURES)
    REBUILD = "python -m healthqa.training.drug_asked"

    def probability(self, row: dict[str, float]) -> float:
        return float(self.predict_matrix(self.feature_matrix([row]))[0])


@lru_cache(maxsize=1)
def default_model_asked() -> DrugAskedModel:
    return DrugAskedModel.load()


@dataclass(frozen=True)
class Message:
    """The message as the reduction sees it: its subject line and sentences."""

    subject: str
    sentences: tuple[str, ...]
    shares: tuple[float, ...]
    asks: tuple[bool, ...]


# A sentence end before a lower-case word: lay messages written all in lower case ("... at
# work. what causes that? i take metformin if that matters"), which the sentence splitter
# keeps as one sentence.
_LOWER_CASE_END = re.compile(r"(?<=[.?!])\s+(?=[a-z])")


def message_sentences(text: str) -> list[str]:
    """The message's sentences, a lower-case message's cut at its sentence ends too."""
    return [p for s in split_sentences(text) for p in _LOWER_CASE_END.split(s) if p.strip()]


def read_message(text: str) -> Message:
    subject, body = split_subject(text)
    subject = clean_subject(subject or "")
    sentences = message_sentences(body)
    if not sentences:
        return Message(subject, (), (), ())
    views = sentence_views(sentences, subject)
    shares = default_model().shares(views)
    return Message(subject, tuple(sentences), tuple(shares), tuple(_is_ask(v) for v in views))


def _names(text: str, drugs: Sequence[Term]) -> int:
    """How many times `text` names one of the drugs (each name counted once per place)."""
    padded = f" {phrase_key(text)} "
    keys = {phrase_key(t.text) for t in drugs} - {""}
    return sum(padded.count(f" {key} ") for key in keys)


def features(
    question: Question,
    drugs: Sequence[Term],
    own_subjects: int,
    drug_pages: frozenset[str],
    zipf: Callable[[str], float],
) -> dict[str, float]:
    """The features of a message (`question.text`) naming `drugs` (terms the vocabulary found
    in it) while its kept question names `own_subjects` subjects of its own."""
    message = read_message(question.text)
    named = [i for i, s in enumerate(message.sentences) if _names(s, drugs)]
    first_ask = next((i for i, a in enumerate(message.asks) if a), len(message.sentences))
    words = set(_WORD.findall((question.summary or question.text).lower()))
    mentions = _names(message.subject, drugs) + sum(_names(s, drugs) for s in message.sentences)
    return {
        "drug_share": max((message.shares[i] for i in named), default=0.0),
        "drug_asks": float(any(message.asks[i] for i in named)),
        "drug_in_subject": float(_names(message.subject, drugs) > 0),
        "drug_after_ask": float(any(i >= first_ask for i in named)),
        "mentions": math.log1p(mentions),
        "drugs": float(len({t.concept for t in drugs})),
        "drug_zipf": min((zipf(t.text) for t in drugs), default=0.0),
        "drug_page": float(any(phrase_key(t.concept) in drug_pages for t in drugs)),
        "own_subjects": float(own_subjects),
        "asks_medicine": float(bool(MEDICINE_WORDS & words)),
        "asks_pronoun": float(bool(POINTING_WORDS & words)),
    }
