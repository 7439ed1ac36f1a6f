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
    def __init__(self, bm25: bm25s.BM25, language: str = "en") -> None:
        self._bm25 = bm25
        self.language = _check(language)

    @classmethod
    def build(cls, passages: list[Passage], language: str = "en") -> LexicalIndex:
        """BM25 over `passages`, analysed as `language` (a collection's language)."""
        analyse = ANALYSES[_check(language)]
        bm25 = bm25s.BM25()
        bm25.index([analyse(indexed_text(p)) for p in passages], show_progress=False)
        return cls(bm25, language)

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)
        (Path(folder) / LANGUAGE_FILE).write_text(json.dumps({"language": self.language}))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        meta = Path(folder) / LANGUAGE_FILE
        language = json.loads(meta.read_text())["language"] if meta.exists() else "en"
        return cls(bm25s.BM25.load(str(folder), show_progress=False), language)

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

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage row for the query (zeros when no word is known)."""
        tokens = [t for t in tokenize([query], self.language)[0] if t in self._bm25.vocab_dict]
        if not tokens:
            return np.zeros(self._bm25.scores["num_docs"], dtype=np.float32)
        return self._bm25.get_scores(tokens)
