"""BM25 over passages (bm25s), with the parent question, focus and synonyms in each passage."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from healthqa.records import Passage

_STEMMER = Stemmer.Stemmer("english")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s's default splitter
_STOPWORDS = frozenset(STOPWORDS_EN)
# bm25s sets its own logger to DEBUG on import, which would print through any handler.
logging.getLogger("bm25s").setLevel(logging.WARNING)


def tokenize(texts: list[str]) -> list[list[str]]:
    """bm25s's English analysis (lower case, words of 2+ characters, its stop words, Snowball
    stems), done here for every text: bm25s.tokenize opens a progress bar per call, which cost
    more than the rest of answering a question."""
    return [list(_cached_terms(text)) for text in texts]


def _terms(text: str) -> list[str]:
    return _STEMMER.stemWords([w for w in _TOKEN.findall(text.lower()) if w not in _STOPWORDS])


@lru_cache(maxsize=50_000)  # questions and answer sentences recur; passages are not cached
def _cached_terms(text: str) -> tuple[str, ...]:
    return tuple(_terms(text))


def stem_words(words: list[str]) -> list[str]:
    return _STEMMER.stemWords(words)


def indexed_text(passage: Passage) -> str:
    """What BM25 sees: the answer's focus, synonyms and question lead the passage text."""
    return " ".join([passage.title, *passage.synonyms, passage.question, passage.text])


class LexicalIndex:
    def __init__(self, bm25: bm25s.BM25) -> None:
        self._bm25 = bm25

    @classmethod
    def build(cls, passages: list[Passage]) -> LexicalIndex:
        bm25 = bm25s.BM25()
        bm25.index([_terms(indexed_text(p)) for p in passages], show_progress=False)
        return cls(bm25)

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        return cls(bm25s.BM25.load(str(folder), show_progress=False))

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
        tokens = [t for t in tokenize([query])[0] if t in self._bm25.vocab_dict]
        if not tokens:
            return np.zeros(self._bm25.scores["num_docs"], dtype=np.float32)
        return self._bm25.get_scores(tokens)
