"""Distant labels for the LiveQA training questions: which MedQuAD answers answer them.

A MedQuAD answer answers a training question when one of the question's reference answers was
copied from it (at least half of the reference's word 5-grams are in the MedQuAD answer: NLM's
reference answers are often quoted from MedlinePlus and NIH pages), or when its focus is the
annotated focus and its type the annotated type.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from healthqa.analysis.qtype import related_qtypes
from healthqa.analysis.vocabulary import phrase_key
from healthqa.records import Document
from healthqa.training.data import TrainQuestion

SHINGLE_WORDS = 5
# Share of a reference answer's 5-grams that must be in a MedQuAD answer for it to be the source.
MIN_COPIED = 0.5
# A reference answer shorter than this many 5-grams is too short to tell where it came from.
MIN_SHINGLES = 10
# The pages that copy one answer: MedQuAD repeats some texts across sites; keep the closest few.
MAX_SOURCES = 3
_WORD = re.compile(r"[a-z0-9]+")


def shingles(text: str, n: int = SHINGLE_WORDS) -> set[str]:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


class ShingleIndex:
    """Word 5-grams -> MedQuAD answer ids, to find where a quoted answer came from."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.ids: dict[str, set[str]] = defaultdict(set)
        for document in documents:
            for shingle in shingles(document.text):
                self.ids[shingle].add(document.id)

    def sources(self, text: str, min_copied: float = MIN_COPIED) -> set[str]:
        grams = shingles(text)
        if len(grams) < MIN_SHINGLES:
            return set()
        counts = Counter(i for g in grams for i in self.ids.get(g, ()))
        return {i for i, n in counts.most_common(MAX_SOURCES) if n / len(grams) >= min_copied}


def copied_answers(question: TrainQuestion, index: ShingleIndex) -> set[str]:
    return {i for part in question.parts for a in part.answers for i in index.sources(a)}


def relevant_answers(
    question: TrainQuestion,
    index: ShingleIndex,
    by_focus: dict[str, list[Document]],
    focus_keys: set[str],
) -> frozenset[str]:
    """Every MedQuAD answer the distant labels call relevant, wherever it stands: the copied
    ones and those of an annotated focus (`by_focus`: answers by the phrase key of their focus)
    whose type answers an annotated type. The figure a candidate list's recall is read
    against."""
    relevant = copied_answers(question, index)
    types = {t for part in question.parts for t in related_qtypes(part.qtype)}
    for key in focus_keys:
        relevant |= {d.id for d in by_focus.get(key, ()) if d.qtype in types}
    return frozenset(relevant)


def by_focus_key(documents: Iterable[Document]) -> dict[str, list[Document]]:
    """MedQuAD answers by the phrase key of their focus."""
    table: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        table[phrase_key(document.focus)].append(document)
    return table


def annotated_match(question: TrainQuestion, focus: str, qtype: str, focus_keys: set[str]) -> bool:
    """The answer's focus is one the question's annotations name, and its type answers one of
    the annotated types. `focus_keys`: phrase keys of the annotated foci and their concepts."""
    if phrase_key(focus) not in focus_keys:
        return False
    return any(qtype in related_qtypes(part.qtype) for part in question.parts)
