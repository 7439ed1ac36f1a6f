"""Cross-encoder re-ranking: a MiniLM that reads the question and an answer together and says
how well the answer answers it (int8 ONNX on onnxruntime, read lazily from the package).

    CrossEncoder   (question, answer text) pairs -> relevance logits
    rescore        the head of a re-ranked candidate list re-ordered by the re-ranker's logit
                   plus the cross-encoder's, weighted as the model card says

Trained on training data only by `python -m healthqa.training.cross_encoder`, which writes
`model.onnx`, `tokenizer.json` and `card.json` (data, settings, time, figures, and the `depth`
and `weight` this stage uses) into `healthqa/models/cross_encoder/`. `Settings(cross_encoder=
False)` turns the stage off.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from healthqa.errors import HealthqaError
from healthqa.records import Candidate, Passage, Question

CROSS_ENCODER_DIR = Path(__file__).resolve().parents[1] / "models" / "cross_encoder"
# The question (<= 40 words after reduction) and the answer's MedQuAD question and first
# ~80 words: 128 tokens, half the cost of 256 to train and to run on 2 shared cores.
MAX_TOKENS = 128
DEFAULT_THREADS = 2
REBUILD = "python -m healthqa.training.cross_encoder"


def answer_text(passage: Passage) -> str:
    """What the cross-encoder reads of an answer: its MedQuAD question (what it answers, when
    the source says) and the passage's text."""
    lead = passage.question or passage.focus or passage.title
    return f"{lead} {passage.text}" if lead else passage.text


def query_text(question: Question) -> str:
    """What it reads of the person's question: the reduced question, as dense retrieval does."""
    return question.summary or question.text


@dataclass(frozen=True)
class Stage:
    """How the stage uses the model: how many answers it re-reads and how much its logit weighs
    against the re-ranker's (chosen on held-out training questions; see the card)."""

    depth: int
    weight: float


class OnnxTextClassifier:
    """A fine-tuned MiniLM classifier exported by `training/onnx_export.py` (model.onnx int8,
    tokenizer.json, card.json in `folder`): texts or (text, text) pairs -> one logit each."""

    def __init__(
        self, folder: Path, *, max_tokens: int, threads: int, rebuild: str = REBUILD
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        model = folder / "model.onnx"
        if not model.is_file():
            raise HealthqaError(f"no model at {folder}: run `{rebuild}`")
        started = time.perf_counter()
        self.card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Its threads sleep between calls: spinning, they took the cores from the rest of
        # `ask` (a call of 10 answers inside `ask`: 340 ms spinning, 240 ms not).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.load_seconds = time.perf_counter() - started

    def logits(self, inputs: Sequence[str | tuple[str, str]]) -> np.ndarray:
        """One logit per text or pair, in the order given."""
        if not inputs:
            return np.zeros(0, dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(inputs))
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        (logits,) = self.session.run(
            ["logits"], {k: v for k, v in feeds.items() if k in self.input_names}
        )
        return logits.reshape(-1)


class CrossEncoder(OnnxTextClassifier):
    """Load once per process with `default_cross_encoder`."""

    def __init__(
        self,
        folder: Path = CROSS_ENCODER_DIR,
        *,
        max_tokens: int = MAX_TOKENS,
        threads: int = DEFAULT_THREADS,
    ) -> None:
        super().__init__(folder, max_tokens=max_tokens, threads=threads)

    @property
    def stage(self) -> Stage:
        runtime = self.card.get("runtime", {})
        return Stage(depth=int(runtime.get("depth", 10)), weight=float(runtime.get("weight", 1.0)))

    def scores(self, query: str, texts: Sequence[str]) -> np.ndarray:
        """One relevance logit per text (higher: answers the query better), in the order given."""
        return self.logits([(query, t) for t in texts])


def installed() -> bool:
    return (CROSS_ENCODER_DIR / "model.onnx").is_file()


@lru_cache(maxsize=1)
def default_cross_encoder() -> CrossEncoder:
    return CrossEncoder()


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def head_answers(candidates: list[Candidate], depth: int) -> list[Candidate]:
    """The best passage of each of the first `depth` distinct answers, in list order."""
    best: dict[str, Candidate] = {}
    for candidate in candidates:
        if len(best) == depth:
            break
        best.setdefault(candidate.passage.doc_id, candidate)
    return list(best.values())


def blend(base: np.ndarray, cross: np.ndarray, weight: float) -> np.ndarray:
    """The re-ranker's logit plus the cross-encoder's, weighted."""
    return base + weight * cross


def rescore(
    question: Question,
    candidates: list[Candidate],
    model: CrossEncoder,
    stage: Stage | None = None,
) -> list[Candidate]:
    """The first `depth` answers re-ordered by `blend`: they keep the head of the list and the
    scores their best passages held, handed out in the new order (every passage of an answer
    takes its answer's); every other candidate keeps its place. The best passage of each
    re-read answer gets `scores["cross_encoder"]`, the model's logit."""
    stage = stage or model.stage
    head = head_answers(candidates, stage.depth)
    if len(head) < 2:
        return candidates
    cross = model.scores(query_text(question), [answer_text(c.passage) for c in head])
    base = np.array([_logit(c.scores["rerank"]) if "rerank" in c.scores else 0.0 for c in head])
    order = np.argsort(-blend(base, cross, stage.weight), kind="stable")
    new_rank = {head[i].passage.doc_id: rank for rank, i in enumerate(order)}
    held = sorted((c.score for c in head), reverse=True)
    for candidate, value in zip(head, cross, strict=True):
        candidate.scores["cross_encoder"] = float(value)
    for candidate in candidates:
        rank = new_rank.get(candidate.passage.doc_id)
        if rank is not None:
            candidate.score = held[rank]
    last = len(head)
    return sorted(candidates, key=lambda c: (-c.score, new_rank.get(c.passage.doc_id, last)))
