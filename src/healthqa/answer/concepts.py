"""The same concept's pages on other sites, by MedQuAD's own UMLS annotation of each page.

MedQuAD tags every document's focus with UMLS concept ids (`<CUI>`): MedlinePlus "Kidney
Stones" (C1833683, C0022650) and NIDDK "What I need to know about Kidney Stones" (C0022650),
MedlinePlus and NINDS "Transient Ischemic Attack" (C0007787). A page whose answer is a short
summary then lends the facts its siblings hold (`Engine._same_concept`).

A page's concepts are those of everything its focus names, so a shared concept alone does not
make two pages one thing:
- a concept that tags many pages is a family of things (C0039082 "syndrome" tags 291 GARD and
  GHR pages, C0011849 "diabetes mellitus" 36, from "Causes of Diabetes" to "Maternally
  inherited diabetes and deafness"): one on more than `MAX_CONCEPT_PAGES` pages joins none;
- a page whose focus names several things ("Acanthosis nigricans muscle cramps acral
  enlargement") is not the page on one of them ("Muscle Cramps"), nor the other way round
  ("Alopecia, epilepsy, pyorrhea, mental subnormality" is not "Epilepsy"): the concepts the
  two share must be at least `MIN_SHARE_OF_SIBLING` of the other page's and
  `MIN_SHARE_OF_PAGE` of the page's own.
The three were chosen on the lay training questions (bench/lay_train.py, docs/benchmarks.md
"Session 21: the same concept's pages").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from healthqa.records import Passage

# MedQuAD's pages with answer text: 3,022 concepts tag one page, 875 two, 248 three, 127 four,
# 31 seven (Parkinson's disease: NINDS, MedlinePlus, NIHSeniorHealth ... pages), 4 twelve; 21
# concepts tag 14 to 291 pages each.
MAX_CONCEPT_PAGES = 12
MIN_SHARE_OF_SIBLING = 0.6
MIN_SHARE_OF_PAGE = 0.5


@dataclass
class ConceptPages:
    """Each page's concepts, source and first answer id, and each concept's pages."""

    max_pages: int = MAX_CONCEPT_PAGES
    concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pages: dict[str, list[str]] = field(default_factory=dict)
    first_doc: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, passages: Iterable[Passage], max_pages: int = MAX_CONCEPT_PAGES) -> ConceptPages:
        found = cls(max_pages)
        for passage in passages:
            page = passage.page_key
            if not passage.cuis or page in found.concepts:
                continue
            found.concepts[page] = passage.cuis
            found.first_doc[page] = passage.doc_id
            found.sources[page] = passage.source
            for cui in dict.fromkeys(passage.cuis):
                found.pages.setdefault(cui, []).append(page)
        return found

    def siblings(self, page: str) -> list[str]:
        """The pages of other sites on the same concept as `page` (one answer id each), in
        index order."""
        mine = set(self.concepts.get(page, ()))
        found: dict[str, None] = {}
        for cui in self.concepts.get(page, ()):
            pages = self.pages[cui]
            if len(pages) > self.max_pages:
                continue
            for other in pages:
                if self.sources[other] != self.sources[page] and self._same(mine, other):
                    found[self.first_doc[other]] = None
        return list(found)

    def _same(self, mine: set[str], other: str) -> bool:
        theirs = set(self.concepts[other])
        shared = len(mine & theirs)
        return shared >= MIN_SHARE_OF_SIBLING * len(theirs) and shared >= MIN_SHARE_OF_PAGE * len(
            mine
        )
