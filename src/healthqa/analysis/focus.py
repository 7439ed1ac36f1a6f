"""Which of a message's concepts it is about (the question's focus), by a learned model.

A long message names many concepts ("I have lymphoma, what causes cramp after chemo?"); the
focus is the one it asks about. Each distinct concept of the question's terms is described by
where and how the message names it (in the kept question, the subject line, a sentence that
asks, how early, how often, a strong or everyday name, a drug, the name of a page, how common
the words are in English), and a logistic regression (`retrieval/linear.py`) scores it; the
best-scored concept is the focus. Fitted on training data only (MeQSum summaries and the LiveQA
training focus annotations) by `python -m healthqa.training.focus`; `models/focus.json`, card
`models/focus.card.md`. `Settings(focus="rule")` keeps the older rule instead
(`analyzer.choose_focus`: a strong term before a weak one, then one that names a page, then
the longest name).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from healthqa.analysis.vocabulary import phrase_key
from healthqa.records import Term
from healthqa.retrieval.linear import LinearModel

FEATURES = (
    "in_summary",  # the kept question (reduction's summary) names it
    "in_subject",  # the subject line names it
    "in_asking",  # a sentence ending in "?" names it
    "first_position",  # where it is first named, 0 (start) to 1 (end of the message)
    "order",  # its place among the concepts as found (summary, subject, message), 0 to 1
    "mentions",  # log(1 + how often the message names it)
    "strong",  # named by a strong (not everyday) name
    "stem_only",  # reached by its stem only ("adhesive" -> Adhesions)
    "drug",  # a drug's name
    "names_page",  # its name is a page's focus or a variant of one
    "words",  # words of its longest name in the message
    "zipf",  # how common that name is in English (wordfreq Zipf, 0 if unknown)
    "length_rank",  # 1 for the longest name of the message, down to 0 for the shortest
)
_ASKING = re.compile(r"[^.?!\n]*\?")


@dataclass(frozen=True)
class FocusContext:
    """The texts a concept is looked for in."""

    summary: str
    subject: str
    text: str


def concepts(terms: list[Term]) -> dict[str, list[Term]]:
    """The terms of each distinct concept, in the order they were found."""
    grouped: dict[str, list[Term]] = {}
    for term in terms:
        grouped.setdefault(term.concept, []).append(term)
    return grouped


def focus_features(terms: list[Term], context: FocusContext) -> list[tuple[str, dict[str, float]]]:
    """Each concept of `terms` with the features the focus model reads."""
    grouped = concepts(terms)
    text = f" {phrase_key(context.text)} "
    summary = f" {phrase_key(context.summary)} "
    subject = f" {phrase_key(context.subject)} "
    asking = " ".join(f" {phrase_key(s)} " for s in _ASKING.findall(context.text))
    longest = {c: max(len(t.text) for t in ts) for c, ts in grouped.items()}
    lengths = sorted(set(longest.values()))
    found = []
    for order, (concept, named) in enumerate(grouped.items()):
        keys = {f" {phrase_key(t.text)} " for t in named} - {"  "}
        positions = [text.find(k) for k in keys if k in text]
        name = max((t.text for t in named), key=len)
        found.append(
            (
                concept,
                {
                    "in_summary": float(any(k in summary for k in keys)),
                    "in_subject": float(any(k in subject for k in keys)),
                    "in_asking": float(any(k in asking for k in keys)),
                    "first_position": min(positions) / len(text) if positions else 1.0,
                    "order": order / max(len(grouped) - 1, 1),
                    "mentions": math.log1p(sum(text.count(k) for k in keys)),
                    "strong": float(any(not t.weak for t in named)),
                    "stem_only": float(all(t.stem_only for t in named)),
                    "drug": float(any(t.drug for t in named)),
                    "names_page": float(
                        any(t.vocabulary == "medquad" or bool(t.variants) for t in named)
                    ),
                    "words": float(len(name.split())),
                    "zipf": _zipf(name.lower()),
                    "length_rank": lengths.index(longest[concept]) / max(len(lengths) - 1, 1),
                },
            )
        )
    return found


@dataclass(frozen=True)
class FocusModel(LinearModel):
    MODEL_FILE = "focus.json"
    KNOWN_FEATURES = frozenset(FEATURES)
    REBUILD = "python -m healthqa.training.focus"

    def scores(self, rows: list[dict[str, float]]) -> np.ndarray:
        return self.predict_matrix(self.feature_matrix(rows))


def choose_focus(terms: list[Term], context: FocusContext, model: FocusModel) -> str:
    """The concept the model scores highest; the first found on a tie."""
    if not terms:
        return ""
    found = focus_features(terms, context)
    scores = model.scores([features for _, features in found])
    return found[int(np.argmax(scores))][0]


@cache
def default_model() -> FocusModel:
    return FocusModel.load()


@lru_cache(maxsize=20_000)
def _zipf(name: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(name, "en")
