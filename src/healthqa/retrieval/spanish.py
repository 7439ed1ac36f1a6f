"""The Spanish passages' own index parts, beside the English ones (which leave them out):

    lexical_es/     BM25 with the Spanish analysis (accents folded, Spanish stop words,
                    Snowball Spanish), over the Spanish rows only
    vocabulary_es/  the Spanish phrase table (analysis.vocabulary_es) from the Spanish pages'
                    titles, also-called names, first sentences and text (names it gives
                    itself), each topic's naming words, and the words of asking
    dense_es/       USE multilingual vectors of the Spanish passages (retrieval.dense)

Each part is empty in an index without Spanish passages, and opens as None then. Like every
part, they are rebuilt with the index (`collection add` updates them with the rest; the
vectors of passages the previous index had are reused).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from healthqa.analysis.vocabulary_es import (
    SpanishTopic,
    SpanishVocabulary,
    build_spanish_vocabulary,
)
from healthqa.records import Passage
from healthqa.retrieval.bridge_es import BridgeIndex
from healthqa.retrieval.dense import DenseIndex
from healthqa.retrieval.lexical import LexicalIndex, spanish_terms
from healthqa.retrieval.part import PartInput

VOCABULARY_FILE = "vocabulary_es.json"
ASKING_FILE = "asking_words.json"
# A stem in the question headings of at least this share of the Spanish pages (beyond the
# page's own title) is a word of asking ("causa", "síntomas", "tratamientos", "riesgo"), not a
# word of what is asked about. Read off the pages' own headings; 2 % is 20 of 1,021 pages.
ASKING_SHARE = 0.02


@dataclass(frozen=True)
class SpanishWords:
    vocabulary: SpanishVocabulary
    asking: frozenset[str]  # Spanish stems of asking, from the pages' headings


@dataclass(frozen=True)
class SpanishParts:
    lexical: LexicalIndex
    words: SpanishWords | None
    dense: DenseIndex | None
    bridge: BridgeIndex | None = None  # English names pointing at Spanish pages


def spanish_rows(passages: list[Passage]) -> list[int]:
    return [r for r, p in enumerate(passages) if p.language == "es"]


def build_lexical_part(given: PartInput) -> dict:
    rows = spanish_rows(given.passages)
    if not rows:
        return {"kind": "bm25s", "passages": 0}
    given.progress("lexical_es", 0, 1)
    index = LexicalIndex.build(
        [given.passages[r] for r in rows], "es", rows=np.array(rows), size=len(given.passages)
    )
    index.save(given.folder)
    given.progress("lexical_es", 1, 1)
    return {"kind": "bm25s", "language": "es", "passages": len(rows)}


def open_lexical_part(folder: Path) -> LexicalIndex | None:
    return LexicalIndex.load(folder) if any(folder.glob("*.npy")) else None


def topics_from_passages(passages: list[Passage]) -> list[SpanishTopic]:
    """Each Spanish page's title, also-called names, first sentence and text, in row order."""
    first: dict[str, Passage] = {}
    texts: dict[str, list[str]] = {}
    for passage in passages:
        if passage.language == "es" and passage.title:
            first.setdefault(passage.title, passage)
            texts.setdefault(passage.title, []).append(passage.text)
    return [
        SpanishTopic(
            title,
            passage.synonyms,
            passage.sentences[0] if passage.sentences else "",
            " ".join(texts[title]),
        )
        for title, passage in first.items()
    ]


def asking_words(passages: list[Passage], share: float = ASKING_SHARE) -> frozenset[str]:
    """Stems that recur in the section headings of many pages, beyond each page's title."""
    by_page: dict[str, set[str]] = {}
    titles: dict[str, set[str]] = {}
    for passage in passages:
        if passage.language != "es":
            continue
        titles.setdefault(passage.page_key, set(spanish_terms(passage.title)))
        by_page.setdefault(passage.page_key, set()).update(spanish_terms(passage.section))
    counts = Counter(s for page, stems in by_page.items() for s in stems - titles[page])
    least = max(2, share * len(by_page))
    return frozenset(s for s, n in counts.items() if n >= least)


def build_vocabulary_part(given: PartInput) -> dict:
    topics = topics_from_passages(given.passages)
    if not topics:
        return {"kind": "phrase table", "entries": 0}
    given.progress("vocabulary_es", 0, 1)
    vocabulary = build_spanish_vocabulary(topics)
    vocabulary.save(given.folder / VOCABULARY_FILE)
    asking = sorted(asking_words(given.passages))
    (given.folder / ASKING_FILE).write_text(json.dumps(asking, ensure_ascii=False))
    given.progress("vocabulary_es", 1, 1)
    return {"kind": "phrase table", "entries": len(vocabulary), "asking_words": len(asking)}


def open_vocabulary_part(folder: Path) -> SpanishWords | None:
    if not (folder / VOCABULARY_FILE).is_file():
        return None
    asking = json.loads((folder / ASKING_FILE).read_text(encoding="utf-8"))
    return SpanishWords(SpanishVocabulary.load(folder / VOCABULARY_FILE), frozenset(asking))
