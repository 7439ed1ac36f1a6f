"""What each MedlinePlus en español page says about symptoms, read off the pages themselves, for
the Spanish page chooser (answer/chooser_es.py).

A lay question often describes a disease through what it feels ("tengo tos, fiebre y me cuesta
respirar") and so names pages that are themselves symptoms (Tos, Fiebre), while the page it is
about lists those words among its own symptoms. Per page:

    rows   the index rows of its passages on symptoms (a heading or sentence on "síntomas" or
           "signos"), whose USE cosine with the question `search_spanish` reads
    stems  the Spanish stems of those passages' sentences
    said   how many other pages say one of its names among their symptoms: Tos, Fiebre,
           Picazón and Dolor abdominal are said by many, a disease by few (the pages carry no
           "kind" of their own: metadata.json has names, related topics and the URL only)
    page_stems, name_stems
           the stems of all its passages, and of its names (title, also-called names): how much
           of a question the whole page holds, not only its passages that were retrieved
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from healthqa.records import Passage
from healthqa.retrieval.lexical import fold_accents, spanish_terms

_ON_SYMPTOMS = re.compile(r"\b(?:sintomas?|signos?)\b")


@dataclass(frozen=True)
class SymptomPages:
    rows: dict[str, list[int]]  # page key -> rows of its passages on symptoms
    stems: dict[str, frozenset[str]]  # page key -> stems of those passages
    said: dict[str, int]  # page focus -> other pages whose symptoms say one of its names
    # row -> the number of its page in `pages` (len(pages): a page with no symptom passage)
    row_page: np.ndarray = field(repr=False)
    pages: tuple[str, ...] = ()
    page_stems: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    name_stems: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def row_cosines(self, row_scores: np.ndarray) -> np.ndarray:
        """Per row: the best score (a USE cosine) of its page's passages on symptoms, 0 when the
        page has none."""
        best = np.zeros(len(self.pages) + 1, dtype=np.float64)  # the last: no page
        symptom_rows = [r for key in self.pages for r in self.rows[key]]
        numbers = [i for i, key in enumerate(self.pages) for _ in self.rows[key]]
        if symptom_rows:
            np.maximum.at(best, numbers, np.maximum(row_scores[symptom_rows], 0.0))
        return best[self.row_page]


def on_symptoms(passage: Passage) -> list[str]:
    """The passage's sentences on symptoms: all of them under a heading on symptoms or signs,
    else those that speak of them."""
    if _ON_SYMPTOMS.search(fold_accents(passage.section.lower())):
        return list(passage.sentences)
    return [s for s in passage.sentences if _ON_SYMPTOMS.search(fold_accents(s.lower()))]


def symptom_pages(passages: list[Passage]) -> SymptomPages:
    """The symptom profile of every Spanish page of `passages` (rows are their positions)."""
    rows: dict[str, list[int]] = {}
    sentences: dict[str, list[str]] = {}
    names: dict[str, set[tuple[str, ...]]] = {}
    page_stems: dict[str, set[str]] = {}
    name_stems: dict[str, set[str]] = {}
    for row, passage in enumerate(passages):
        if passage.language != "es":
            continue
        key = passage.page_key
        page_stems.setdefault(key, set()).update(
            spanish_terms(f"{passage.section} {' '.join(passage.sentences)}")
        )
        name_stems.setdefault(key, set()).update(
            spanish_terms(" ".join([passage.focus, *passage.synonyms]))
        )
        found = on_symptoms(passage)
        if found:
            rows.setdefault(key, []).append(row)
            sentences.setdefault(key, []).extend(found)
        for name in (passage.focus, *passage.synonyms):
            stems = tuple(dict.fromkeys(spanish_terms(name)))
            if stems:
                names.setdefault(passage.focus, set()).add(stems)
    stems = {key: frozenset(spanish_terms(" ".join(s))) for key, s in sentences.items()}
    holders: dict[str, set[str]] = {}  # stem -> pages whose symptom passages hold it
    for key, held in stems.items():
        for stem in held:
            holders.setdefault(stem, set()).add(key)
    own = {p.focus: p.page_key for p in passages if p.language == "es"}
    said = {focus: len(_said_by(forms, holders) - {own[focus]}) for focus, forms in names.items()}
    pages = tuple(rows)
    number = {key: i for i, key in enumerate(pages)}
    row_page = np.array([number.get(p.page_key, len(pages)) for p in passages], dtype=np.int64)
    return SymptomPages(
        rows,
        stems,
        said,
        row_page,
        pages,
        {key: frozenset(held) for key, held in page_stems.items()},
        {key: frozenset(held) for key, held in name_stems.items()},
    )


def _said_by(forms: set[tuple[str, ...]], holders: dict[str, set[str]]) -> set[str]:
    """The pages whose symptom passages hold every stem of one of the names."""
    found: set[str] = set()
    for form in forms:
        found |= set.intersection(*(holders.get(stem, set()) for stem in form))
    return found
