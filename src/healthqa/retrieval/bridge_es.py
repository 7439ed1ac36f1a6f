"""The cross-lingual bridge (index part `bridge_es`): English names of a topic pointing at its
Spanish page, so a Spanish question can reach a Spanish page through words only the English
side knows ("tiroides poco activa" ~ "underactive thyroid", an English name of Hypothyroidism).

At index time each MedlinePlus en español page is mapped to its English MedlinePlus topic(s):
the same URL slug (medlineplus.gov/spanish/abortion.html ~ MedQuAD's
www.nlm.nih.gov/medlineplus/abortion.html), else an English topic whose name, letters and
digits only, is the slug ("Sickle Cell Disease" ~ sicklecelldisease.html). The English names
of the mapped topics (focus and MedQuAD synonyms), and the synonyms of any other English
MedQuAD page named like one of them (A.D.A.M., GARD, ...), are encoded with the same USE
multilingual encoder as `dense_es`, so they share the Spanish question's vector space.

At query time a Spanish page scores the best cosine of the question with its English names;
every row of the page carries that score, and search_spanish fuses it by reciprocal rank.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from healthqa.records import Passage
from healthqa.retrieval.part import PartInput, TopicNames, spanish_collections

VECTORS = "vectors.npy"
META = "bridge.json"
PROGRESS_EVERY = 256
_SPANISH_URL = re.compile(r"medlineplus\.gov/spanish/([^/?#]+?)\.html?$")
_ENGLISH_URL = re.compile(r"(?:nlm\.nih\.gov|medlineplus\.gov)/medlineplus/([^/?#]+?)\.html?$")


def name_key(text: str) -> str:
    """A name or URL slug, lower case, letters and digits only ("HDL: The Good" -> hdlthegood)."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def spanish_slug(url: str) -> str:
    found = _SPANISH_URL.search(url)
    return name_key(found.group(1)) if found else ""


def english_slug(url: str) -> str:
    """The slug of an English MedlinePlus health topic URL (not the encyclopedia or drugs)."""
    found = _ENGLISH_URL.search(url)
    return name_key(found.group(1)) if found else ""


def _names(focus: str, synonyms: tuple[str, ...] | list[str]) -> list[str]:
    return [n for n in (focus, *synonyms) if n]


def english_topics(passages: list[Passage], topics: list[TopicNames]) -> list[TopicNames]:
    """The topics of the collections that are not Spanish."""
    spanish = spanish_collections(passages)
    return [t for t in topics if t.collection not in spanish and t.focus]


def english_names_by_slug(passages: list[Passage], topics: list[TopicNames]) -> dict[str, set[str]]:
    """slug -> English names of the MedlinePlus topic(s) with that slug, by URL or by name
    (`topics`: English ones)."""
    by_slug: dict[str, set[str]] = {}
    for passage in passages:
        slug = english_slug(passage.url) if passage.language == "en" else ""
        if slug:
            by_slug.setdefault(slug, set()).update(_names(passage.focus, passage.synonyms))
    for topic in topics:
        key = name_key(topic.focus)
        if key:
            by_slug.setdefault(key, set()).update(_names(topic.focus, topic.synonyms))
    return by_slug


def _widen(names: set[str], by_name: dict[str, set[str]]) -> set[str]:
    """The names plus the synonyms of every English page whose focus is one of them."""
    wider = set(names)
    for name in names:
        wider |= by_name.get(name_key(name), set())
    return wider


def bridge_texts(passages: list[Passage], topics: list[TopicNames]) -> dict[str, list[str]]:
    """Spanish page key -> the English names that point at it (sorted; empty pages left out)."""
    english = english_topics(passages, topics)
    by_slug = english_names_by_slug(passages, english)
    by_name: dict[str, set[str]] = {}
    for topic in english:
        by_name.setdefault(name_key(topic.focus), set()).update(_names(topic.focus, topic.synonyms))
    pages: dict[str, list[str]] = {}
    for passage in passages:
        if passage.language != "es" or passage.page_key in pages:
            continue
        names = by_slug.get(spanish_slug(passage.url), set())
        if names:
            pages[passage.page_key] = sorted(_widen(names, by_name))
    return pages


@dataclass(frozen=True)
class BridgeIndex:
    vectors: np.ndarray  # one unit vector an English name
    vector_page: np.ndarray  # the page number each vector points at
    row_page: np.ndarray  # each passage row's page number; len(pages) for rows of no page
    pages: list[str]
    texts: list[str]
    model_id: str = ""

    def page_cosines(self, query_vector: np.ndarray) -> np.ndarray:
        """Per mapped page: the best cosine of the query with its English names."""
        cosines = self.vectors @ np.asarray(query_vector, dtype=np.float32).ravel()
        best = np.full(len(self.pages), -1.0, dtype=np.float32)
        np.maximum.at(best, self.vector_page, cosines)
        return best

    def row_cosines(self, query_vector: np.ndarray) -> np.ndarray:
        """Per passage row: its page's best cosine with the query (0 on rows of no page)."""
        best = np.append(np.maximum(self.page_cosines(query_vector), 0.0), 0.0)
        return best[self.row_page]

    def scores(self, query_vector: np.ndarray, lead: float = 0.0) -> np.ndarray:
        """Per passage row: the best page's cosine with the query on that page's rows, when
        it leads the second page by at least `lead` (else, and on every other row, 0)."""
        best = self.page_cosines(query_vector)
        order = np.argsort(-best)
        kept = np.zeros(len(self.pages) + 1, dtype=np.float32)  # the last: rows of no page
        second = best[order[1]] if len(order) > 1 else -1.0
        if best[order[0]] > 0 and best[order[0]] - second >= lead:
            kept[order[0]] = best[order[0]]
        return kept[self.row_page]

    def save(self, folder: Path) -> None:
        np.save(folder / VECTORS, self.vectors.astype(np.float32))
        np.save(folder / "vector_page.npy", self.vector_page)
        np.save(folder / "row_page.npy", self.row_page)
        meta = {"model_id": self.model_id, "pages": self.pages, "texts": self.texts}
        (folder / META).write_text(json.dumps(meta, ensure_ascii=False))

    @classmethod
    def load(cls, folder: Path) -> BridgeIndex:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        return cls(
            np.load(folder / VECTORS),
            np.load(folder / "vector_page.npy"),
            np.load(folder / "row_page.npy"),
            meta["pages"],
            meta["texts"],
            meta.get("model_id", ""),
        )


def previous_bridge_vectors(index_dir: Path | None, model_id: str) -> dict[str, np.ndarray]:
    """text -> vector of the bridge of the index being replaced (same encoder), else nothing."""
    folder = index_dir / "bridge_es" if index_dir else None
    if folder is None or not (folder / META).is_file():
        return {}
    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    if meta.get("model_id") != model_id:
        return {}
    vectors = np.load(folder / VECTORS)
    return dict(zip(meta["texts"], vectors, strict=True))


def build_bridge_part(given: PartInput) -> dict:
    names = bridge_texts(given.passages, given.topics)
    if not names:
        return {"kind": "cross-lingual names", "pages": 0, "vectors": 0, "reused": 0}
    from healthqa.retrieval.multilingual import MODEL_ID, get_multilingual_encoder

    pages = sorted(names)
    number = {page: i for i, page in enumerate(pages)}
    texts = sorted({t for page in pages for t in names[page]})
    known = previous_bridge_vectors(given.previous, MODEL_ID)
    todo = [t for t in texts if t not in known]
    if todo:
        encoder = get_multilingual_encoder()
        for start in range(0, len(todo), PROGRESS_EVERY):
            given.progress("bridge_es", start, len(todo))
            batch = todo[start : start + PROGRESS_EVERY]
            known.update(zip(batch, encoder.encode(batch), strict=True))
    given.progress("bridge_es", len(todo), len(todo))
    pairs = [(t, number[page]) for page in pages for t in names[page]]
    index = BridgeIndex(
        np.stack([known[t] for t, _ in pairs]).astype(np.float32),
        np.array([p for _, p in pairs], dtype=np.int64),
        np.array([number.get(p.page_key, len(pages)) for p in given.passages], dtype=np.int64),
        pages,
        [t for t, _ in pairs],
        MODEL_ID,
    )
    index.save(given.folder)
    return {
        "kind": "cross-lingual names",
        "model_id": MODEL_ID,
        "pages": len(pages),
        "vectors": len(pairs),
        "reused": len(texts) - len(todo),
    }


def open_bridge_part(folder: Path) -> BridgeIndex | None:
    return BridgeIndex.load(folder) if (folder / META).is_file() else None
