"""Fits the Spanish question adapter (`models/adapter_es.npy`, `retrieval/adapter_es.py`): a
linear map W of the question's USE multilingual vector, so that the cosine of W q with the
Spanish passages' vectors (unchanged: the index is not rebuilt) ranks the question's page first.

    python -m healthqa.training.adapter_es [--vectors CACHE.npz] [--out FILE] [--no-cv]

Training data only: the page-made queries of the MedlinePlus en español pages
(`page_queries_es.py`) and the Spanish lay training questions (`lay_questions_es.jsonl`, those
with a page), never the Spanish evaluation sets. A page's score is its best passage cosine (what
the page chooser reads as "dense"); the loss is the softmax cross-entropy over all pages
(SCALE x cosine) of the question's page, each lay question weighing LAY_WEIGHT page-made ones;
W = I + A with an L2 penalty on A (PENALTY), fitted by Adam from the identity. Cross-validation
(FOLDS folds grouped by page: a page's queries never train the W that ranks them) reports the
page's rank by raw USE and by the adapted vector (recall@1/@5 per kind and on the lay
questions); the shipped W is fitted on everything.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.errors import HealthqaError
from healthqa.retrieval.adapter_es import QuestionAdapter
from healthqa.training.data import read_lay_questions
from healthqa.training.page_queries_es import make_queries

FOLDS = 5
SEED = 13
SCALE = 20.0  # softmax temperature on cosines
PENALTY = 1e-2  # L2 on W - I, per training query
LAY_WEIGHT = 10.0
EPOCHS = 30
BATCH = 256
LEARNING_RATE = 1e-3
LAY = "written"
RANKS = (1, 5, 20)


@dataclass(frozen=True)
class Passages:
    """The Spanish passages' vectors sorted by page: `starts[k]` is page k's first row."""

    vectors: np.ndarray  # (n, 512) unit rows
    page: np.ndarray  # page number per vector
    starts: np.ndarray
    urls: list[str]  # per page


@dataclass(frozen=True)
class Queries:
    kinds: np.ndarray
    texts: list[str]
    vectors: np.ndarray  # raw USE vectors
    page: np.ndarray  # the page number of the question's page
    weights: np.ndarray


def spanish_passages(engine: Engine) -> Passages:
    spanish = engine.index.spanish
    if spanish is None or spanish.dense is None:
        raise HealthqaError("the index has no Spanish vectors: add the medlineplus-es collection")
    passages = engine.index.passages
    rows = [r for r, p in enumerate(passages) if p.language == "es"]
    urls = list(dict.fromkeys(passages[r].url for r in rows))
    number = {u: i for i, u in enumerate(urls)}
    page = np.array([number[passages[r].url] for r in rows])
    order = np.argsort(page, kind="stable")
    dense = spanish.dense
    vectors = dense.vectors[dense.rows[np.array(rows)[order]]].astype(np.float32)
    page = page[order]
    starts = np.flatnonzero(np.r_[True, page[1:] != page[:-1]])
    return Passages(vectors, page, starts, urls)


def training_queries(engine: Engine, pages: Passages, cache: Path | None) -> Queries:
    """Page-made queries and the lay questions with a page, with their USE vectors (read from
    `cache` when it holds the same texts, else encoded and written there)."""
    spanish = engine.index.spanish
    made = make_queries(engine.index.passages, spanish.lexical.idf, spanish.words.asking)
    items = [(q.kind, q.text, q.url, 1.0) for q in made]
    for question in read_lay_questions("es"):
        if question.sources:
            items.append((LAY, question.question, question.group, LAY_WEIGHT))
    number = {u: i for i, u in enumerate(pages.urls)}
    items = [i for i in items if i[2] in number]
    texts = [i[1] for i in items]
    vectors = None
    if cache and cache.is_file():
        data = np.load(cache)
        if data["texts"].tolist() == texts:
            vectors = data["vectors"]
    if vectors is None:
        from healthqa.retrieval.multilingual import get_multilingual_encoder

        vectors = get_multilingual_encoder(threads=1).encode(texts, batch_size=64)
        if cache:
            np.savez(cache, texts=np.array(texts), vectors=vectors)
    return Queries(
        np.array([i[0] for i in items]),
        texts,
        np.asarray(vectors, dtype=np.float32),
        np.array([number[i[2]] for i in items]),
        np.array([i[3] for i in items]),
    )


def page_scores(z: np.ndarray, pages: Passages) -> tuple[np.ndarray, np.ndarray]:
    """(per query and page: the best passage cosine; the passage cosines)."""
    cosines = z @ pages.vectors.T
    return np.maximum.reduceat(cosines, pages.starts, axis=1), cosines


def _normalized(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    norm = np.linalg.norm(u, axis=1, keepdims=True) + 1e-9
    return u / norm, norm


def loss_gradient(
    w: np.ndarray, q: np.ndarray, y: np.ndarray, weight: np.ndarray, pages: Passages
) -> tuple[float, np.ndarray]:
    """The weighted softmax loss over pages of a batch and its gradient with respect to W."""
    u = q @ w.T
    z, norm = _normalized(u)
    best, cosines = page_scores(z, pages)
    logits = SCALE * best
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    rows = np.arange(len(y))
    loss = float(np.sum(weight * -np.log(p[rows, y] + 1e-12)))
    g = p
    g[rows, y] -= 1.0
    g *= SCALE * weight[:, None]
    # the gradient reaches each page's best passage only
    at_best = cosines >= best[:, pages.page]
    dz = (at_best * g[:, pages.page]) @ pages.vectors
    du = (dz - z * np.sum(z * dz, axis=1, keepdims=True)) / norm
    return loss, du.T @ q


def fit(
    queries: Queries, mask: np.ndarray, pages: Passages, penalty: float = PENALTY
) -> np.ndarray:
    """W fitted by Adam on the queries of `mask`, from the identity."""
    q, y, weight = queries.vectors[mask], queries.page[mask], queries.weights[mask]
    dim = q.shape[1]
    w = np.eye(dim, dtype=np.float32)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    rng = np.random.default_rng(SEED)
    step = 0
    for _ in range(EPOCHS):
        order = rng.permutation(len(y))
        for start in range(0, len(y), BATCH):
            batch = order[start : start + BATCH]
            _, grad = loss_gradient(w, q[batch], y[batch], weight[batch], pages)
            grad = grad / weight[batch].sum() + 2 * penalty * (w - np.eye(dim))
            step += 1
            m = 0.9 * m + 0.1 * grad
            v = 0.999 * v + 0.001 * grad**2
            mhat = m / (1 - 0.9**step)
            vhat = v / (1 - 0.999**step)
            w -= LEARNING_RATE * mhat / (np.sqrt(vhat) + 1e-8)
    return w.astype(np.float32)


def ranks(z: np.ndarray, y: np.ndarray, pages: Passages) -> np.ndarray:
    """The rank (0: first) of each query's page by best passage cosine."""
    best, _ = page_scores(z, pages)
    own = best[np.arange(len(y)), y]
    return (best > own[:, None]).sum(axis=1)


def recall(rank: np.ndarray) -> dict[str, float]:
    return {f"@{k}": round(float(np.mean(rank < k)), 4) for k in RANKS}


def page_folds(pages: Passages) -> np.ndarray:
    """The cross-validation fold of each page."""
    order = np.random.default_rng(SEED).permutation(len(pages.urls))
    fold = np.zeros(len(pages.urls), dtype=np.int64)
    for number in range(FOLDS):
        fold[order[number::FOLDS]] = number
    return fold


def cross_validated(
    queries: Queries, pages: Passages, penalty: float
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Out-of-fold ranks of the adapted vectors, FOLDS folds grouped by page, and the W of
    each fold (fitted without its pages' queries)."""
    fold = page_folds(pages)
    rank = np.zeros(len(queries.page), dtype=np.int64)
    matrices = []
    for number in range(FOLDS):
        held = fold[queries.page] == number
        w = fit(queries, ~held, pages, penalty)
        z, _ = _normalized(queries.vectors[held] @ w.T)
        rank[held] = ranks(z, queries.page[held], pages)
        matrices.append(w)
    return rank, matrices


def save_folds(path: Path, pages: Passages, matrices: list[np.ndarray]) -> None:
    """The fold matrices and each page's fold: `topic_es --adapter-folds` collects a training
    query's rows with the W that never saw its page (cross-fitting)."""
    np.savez(path, matrices=np.stack(matrices), urls=np.array(pages.urls), fold=page_folds(pages))


def by_kind(queries: Queries, rank: np.ndarray) -> dict[str, dict[str, float]]:
    kinds = dict.fromkeys(queries.kinds.tolist())
    return {k: recall(rank[queries.kinds == k]) for k in kinds}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=Path, help="encoded queries (.npz): read or written")
    parser.add_argument("--out", type=Path, default=QuestionAdapter.packaged_path())
    parser.add_argument("--penalty", type=float, nargs="*", default=[PENALTY])
    parser.add_argument("--no-cv", action="store_true")
    parser.add_argument("--folds", type=Path, help="write the fold matrices here (.npz)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    engine = Engine.open(Settings.resolve())
    pages = spanish_passages(engine)
    queries = training_queries(engine, pages, args.vectors)
    print(f"{len(queries.page)} queries, {len(pages.urls)} pages, {len(pages.page)} passages")
    raw = ranks(queries.vectors, queries.page, pages)
    figures = {"USE": by_kind(queries, raw)}
    if not args.no_cv:
        for penalty in args.penalty:
            rank, matrices = cross_validated(queries, pages, penalty)
            if args.folds and penalty == args.penalty[0]:
                save_folds(args.folds, pages, matrices)
            figures[f"adapted, penalty {penalty}"] = by_kind(queries, rank)
            print(penalty, json.dumps(figures[f"adapted, penalty {penalty}"]), flush=True)
    print(json.dumps(figures["USE"]))
    penalty = args.penalty[0]
    w = fit(queries, np.ones(len(queries.page), bool), pages, penalty)
    info = {
        "trained_on": f"{int((queries.kinds != LAY).sum())} page-made queries of "
        f"{len(pages.urls)} MedlinePlus en español pages and "
        f"{int((queries.kinds == LAY).sum())} Spanish lay training questions "
        f"weighing {LAY_WEIGHT} each",
        "scale": SCALE,
        "penalty": penalty,
        "epochs": EPOCHS,
        "out_of_fold_recall": figures,
        "train_seconds": round(time.perf_counter() - started, 1),
        "built_by": "python -m healthqa.training.adapter_es",
    }
    QuestionAdapter(w, info).save(args.out)
    print(f"written to {args.out} in {info['train_seconds']} s")


if __name__ == "__main__":
    main()
