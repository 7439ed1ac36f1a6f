"""BM25 over passages (bm25s), with the parent question, focus and synonyms in each passage.

One analysis per language, chosen by name (`ANALYSES`): English (bm25s's stop words, Snowball
English) and Spanish (accents folded, bm25s's Spanish stop words, Snowball Spanish). An index
keeps the language it was built with, and analyses its queries the same way."""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_SPANISH

from healthqa.errors import HealthqaError
from healthqa.records import Passage

_STEMMER = Stemmer.Stemmer("english")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s's default splitter
_STOPWORDS = frozenset(STOPWORDS_EN)
# bm25s sets its own logger to DEBUG on import, which would print through any handler.
logging.getLogger("bm25s").setLevel(logging.WARNING)


def fold_accents(text: str) -> str:
    """ "Riñón" -> "Rinon": letters without their diacritics, so "que" matches "qué"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_STEMMER_ES = Stemmer.Stemmer("spanish")
_STOPWORDS_ES = frozenset(fold_accents(w) for w in STOPWORDS_SPANISH)
LANGUAGE_FILE = "healthqa_lexical.json"
ROWS_FILE = "healthqa_rows.npy"  # the index rows of a partial index
_PLACEHOLDER = "\x00"  # no analysis yields it (words are 2+ word characters)


def tokenize(texts: list[str], language: str = "en") -> list[list[str]]:
    """bm25s's analysis of `language` (lower case, words of 2+ characters, its stop words,
    Snowball stems), done here for every text: bm25s.tokenize opens a progress bar per call,
    which cost more than the rest of answering a question."""
    analyse = _CACHED[_check(language)]
    return [list(analyse(text)) for text in texts]


def _check(language: str) -> str:
    if language not in ANALYSES:
        raise HealthqaError(f"no lexical analysis for {language!r}; valid: {sorted(ANALYSES)}")
    return language


def spanish_terms(text: str) -> list[str]:
    """Spanish analysis: accents folded (so accent-less questions match), bm25s's Spanish
    stop words, Snowball Spanish stems ("calambres" and "calambre" -> "calambr")."""
    words = _TOKEN.findall(fold_accents(text.lower()))
    return _STEMMER_ES.stemWords([w for w in words if w not in _STOPWORDS_ES])


def spanish_word_stems(text: str) -> list[tuple[str, str]]:
    """(word, stem) of each word `spanish_terms` keeps, the word in lower case with its
    accents ("riñones", "rinon"): what a stem alone cannot tell apart ("duele", "duelo")."""
    words = [w for w in _TOKEN.findall(unicodedata.normalize("NFC", text.lower()))]
    kept = [(w, fold_accents(w)) for w in words]
    kept = [(w, f) for w, f in kept if f not in _STOPWORDS_ES]
    stems = _STEMMER_ES.stemWords([f for _, f in kept])
    return [(w, s) for (w, _), s in zip(kept, stems, strict=True)]


def _terms(text: str) -> list[str]:
    return _STEMMER.stemWords([w for w in _TOKEN.findall(text.lower()) if w not in _STOPWORDS])


@lru_cache(maxsize=50_000)  # questions and answer sentences recur; passages are not cached
def _cached_terms(text: str) -> tuple[str, ...]:
    return tuple(_terms(text))


@lru_cache(maxsize=20_000)
def _cached_spanish_terms(text: str) -> tuple[str, ...]:
    return tuple(spanish_terms(text))


ANALYSES: dict[str, Callable[[str], list[str]]] = {"en": _terms, "es": spanish_terms}
_CACHED: dict[str, Callable[[str], tuple[str, ...]]] = {
    "en": _cached_terms,
    "es": _cached_spanish_terms,
}


def stem_words(words: list[str]) -> list[str]:
    return _STEMMER.stemWords(words)


def indexed_text(passage: Passage) -> str:
    """What BM25 sees: the answer's focus, synonyms and question (or section heading) lead the
    passage text."""
    return " ".join([passage.title, *passage.synonyms, passage.asks, passage.text])


class LexicalIndex:
    """BM25 over the index's passages, or over some of them (`rows`: the index rows of the
    passages it holds, of `size` rows in all): one language's passages of a mixed index.
    `scores` is always one value per index row, 0 for the rows it does not hold."""

    def __init__(
        self,
        bm25: bm25s.BM25,
        language: str = "en",
        rows: np.ndarray | None = None,
        size: int | None = None,
    ) -> None:
        self._bm25 = bm25
        self.language = _check(language)
        self.rows = None if rows is None else np.asarray(rows, dtype=np.int64)
        self.size = int(size if size is not None else bm25.scores["num_docs"])

    @classmethod
    def build(
        cls,
        passages: list[Passage],
        language: str = "en",
        rows: np.ndarray | None = None,
        size: int | None = None,
    ) -> LexicalIndex:
        """BM25 over `passages`, analysed as `language` (a collection's language); with
        `rows`, `passages` are those rows of an index of `size` rows."""
        analyse = ANALYSES[_check(language)]
        bm25 = bm25s.BM25()
        # bm25s cannot index nothing: an index of no passages (a Spanish-only index's English
        # part) holds one empty placeholder that no row maps to
        corpus = [analyse(indexed_text(p)) for p in passages] or [[_PLACEHOLDER]]
        bm25.index(corpus, show_progress=False)
        return cls(bm25, language, rows, size)

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)
        meta = {"language": self.language, "size": self.size}
        if self.rows is not None:
            np.save(Path(folder) / ROWS_FILE, self.rows)
        (Path(folder) / LANGUAGE_FILE).write_text(json.dumps(meta))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        meta_path = Path(folder) / LANGUAGE_FILE
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        rows_path = Path(folder) / ROWS_FILE
        rows = np.load(rows_path) if rows_path.exists() else None
        bm25 = bm25s.BM25.load(str(folder), show_progress=False)
        return cls(bm25, meta.get("language", "en"), rows, meta.get("size"))

    def idf(self, words: set[str]) -> dict[str, float]:
        """Inverse document frequency of stemmed words; a word the corpus never uses gets the
        highest value, since it is the surest sign that a question is about something else."""
        n = self._bm25.scores["num_docs"]
        indptr = self._bm25.scores["indptr"]
        vocab = self._bm25.vocab_dict
        result = {}
        for word in words:
            row = vocab.get(word)
            df = 0 if row is None else int(indptr[row + 1] - indptr[row])
            result[word] = float(np.log((n + 1) / (df + 0.5)))
        return result

    def knows(self, word: str) -> bool:
        """Whether the passages use the word (every stem of it)."""
        stems = tokenize([word], self.language)[0]
        return bool(stems) and all(s in self._bm25.vocab_dict for s in stems)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage row for the query (zeros when no word is known)."""
        tokens = [t for t in tokenize([query], self.language)[0] if t in self._bm25.vocab_dict]
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        scores = self._bm25.get_scores(tokens)
        if self.rows is None:
            return scores
        full = np.zeros(self.size, dtype=np.float32)
        full[self.rows] = scores[: len(self.rows)]
        return full


COLLECTIONS_FILE = "healthqa_collections.json"


class CollectionsLexicon:
    """BM25 with each collection's own term statistics: one `LexicalIndex` per collection
    (a sub-folder named after it), so that adding or removing a collection changes no other
    collection's scores or IDF. `scores` is one value per index row, as `LexicalIndex.scores`."""

    def __init__(self, parts: dict[str, LexicalIndex], size: int, language: str = "en") -> None:
        self.parts = parts
        self.size = size
        self.language = _check(language)

    @classmethod
    def build(
        cls, passages: list[Passage], rows: list[int], size: int, language: str = "en"
    ) -> CollectionsLexicon:
        """BM25 per collection over `passages`, the index rows `rows` of an index of `size`."""
        grouped: dict[str, list[int]] = {}
        for position, passage in enumerate(passages):
            grouped.setdefault(passage.collection, []).append(position)
        parts = {
            name: LexicalIndex.build(
                [passages[p] for p in positions],
                language,
                rows=np.array([rows[p] for p in positions], dtype=np.int64),
                size=size,
            )
            for name, positions in grouped.items()
        }
        return cls(parts, size, language)

    def save(self, folder: Path) -> None:
        for name, part in self.parts.items():
            (Path(folder) / name).mkdir(parents=True, exist_ok=True)
            part.save(Path(folder) / name)
        meta = {"collections": sorted(self.parts), "size": self.size, "language": self.language}
        (Path(folder) / COLLECTIONS_FILE).write_text(json.dumps(meta))

    @classmethod
    def load(cls, folder: Path) -> CollectionsLexicon:
        meta_path = Path(folder) / COLLECTIONS_FILE
        if not meta_path.exists():
            raise HealthqaError(f"{folder} holds no per-collection BM25: run `healthqa index`")
        meta = json.loads(meta_path.read_text())
        parts = {name: LexicalIndex.load(Path(folder) / name) for name in meta["collections"]}
        return cls(parts, int(meta["size"]), meta.get("language", "en"))

    def scores(self, query: str) -> np.ndarray:
        """Each collection's BM25 score of its own rows (zeros when no word is known)."""
        full = np.zeros(self.size, dtype=np.float32)
        for part in self.parts.values():
            full += part.scores(query)
        return full

    def idf(self, words: set[str], collection: str) -> dict[str, float]:
        """IDF of stemmed words in `collection`'s passages; a collection without passages of
        this language gives every word the same weight (the value of a word it never uses)."""
        part = self.parts.get(collection)
        if part is None:
            return {word: float(np.log(2.0)) for word in words}
        return part.idf(words)

    def knows(self, word: str) -> bool:
        """Whether some collection's passages use the word (every stem of it)."""
        return any(part.knows(word) for part in self.parts.values())
