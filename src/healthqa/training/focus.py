"""Fits the focus model (`analysis/focus.py`): which of a message's concepts it asks about.

    python -m healthqa.training.focus [--data DIR] [--out FILE] [--hold-out K:R]

Rows: each distinct concept the analyzer finds in a training message (as at run time, through
the index's vocabulary), with `analysis.focus.focus_features`. Label: the concept is what the
message asks about:
- LiveQA training questions: a name of the concept (the words that named it, or the concept)
  is an annotated focus (`same_name`: the stemmed content words of one in the other, differing
  by no more words than they share);
- MeQSum: the expert summary names the concept (its phrase key in the summary's).
Messages where no concept or every concept is labelled teach nothing about the choice and are
left out. C is chosen by 5-fold cross-validation grouped by message, for the share of LiveQA
messages whose best-scored concept is labelled (top-1), then MeQSum's; the card compares the
older rule on the same messages. `--hold-out K:R` leaves out the LiveQA messages at positions
i % K == R (as `bench/topic_train.py --every K --offset R` reads them), so that the bench's
figure on them is not in-sample.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from healthqa.analysis.analyzer import Analyzer, choose_focus
from healthqa.analysis.focus import FEATURES, FocusModel, concepts, focus_features
from healthqa.analysis.vocabulary import phrase_key
from healthqa.config import Settings
from healthqa.errors import HealthqaError
from healthqa.retrieval.lexical import stem_words
from healthqa.training.qtype import parse_hold_out

C_GRID = (0.01, 0.1, 1.0, 10.0)
FOLDS = 5
SEED = 13
_WORD = re.compile(r"[a-z0-9]+")
# Words that never tell two names apart.
_STOP = frozenset(stem_words(["a", "an", "and", "the", "of", "in", "on", "or", "to", "with"]))


def name_stems(name: str) -> frozenset[str]:
    """A name's content words, lower case and stemmed: "Shingles (Zoster) Vaccine"."""
    return frozenset(s for s in stem_words(_WORD.findall(name.lower())) if s not in _STOP)


def same_name(focus: str, names: Iterable[str]) -> bool:
    """One of `names` names the annotated `focus`: every content word of one is in the other,
    and they differ by no more words than they share ("cardiac amyloidosis" is "Amyloidosis";
    "pyridoxine" is not "Pyridoxine-dependent epilepsy")."""
    wanted = name_stems(focus)
    for name in names:
        have = name_stems(name)
        shared = wanted & have
        if shared and (wanted <= have or have <= wanted) and len(wanted ^ have) <= len(shared):
            return True
    return False


@dataclass
class Rows:
    features: np.ndarray
    labels: np.ndarray
    groups: np.ndarray  # message number
    sources: np.ndarray  # "liveqa-train" | "meqsum"
    rule: np.ndarray  # 1 for the concept the older rule chooses


def message_rows(analyzer: Analyzer, text: str, is_focus) -> list[tuple[dict, bool, bool]]:
    """(features, label, chosen by the older rule) for each concept of one message."""
    terms, context, _ = analyzer.read(text)
    grouped = concepts(terms)
    if len(grouped) < 2:
        return []
    rule = choose_focus(terms)
    found = focus_features(terms, context)
    labels = [is_focus(concept, [t.text for t in grouped[concept]]) for concept, _ in found]
    if not any(labels) or all(labels):
        return []
    return [(f, label, c == rule) for (c, f), label in zip(found, labels, strict=True)]


def collect(analyzer: Analyzer, data_dir: Path, hold_out: tuple[int, int] | None) -> Rows:
    from healthqa.training.data import read_liveqa_train, read_meqsum

    messages: list[tuple[str, str, object]] = []
    for i, question in enumerate(read_liveqa_train(data_dir)):
        if hold_out and i % hold_out[0] == hold_out[1]:
            continue
        foci = [p.focus for p in question.parts if p.focus]
        if question.original.strip() and foci:
            messages.append(("liveqa-train", question.original, _annotated(foci)))
    for summary in read_meqsum(data_dir):
        messages.append(("meqsum", summary.question, _summarised(summary.summary)))
    rows: list[tuple[dict, bool, bool, int, str]] = []
    for number, (source, text, is_focus) in enumerate(messages):
        for features, label, rule in message_rows(analyzer, text, is_focus):
            rows.append((features, label, rule, number, source))
    if not rows:
        raise HealthqaError("no training message has two concepts to choose between")
    return Rows(
        features=np.array([[r[0][name] for name in FEATURES] for r in rows]),
        labels=np.array([r[1] for r in rows], dtype=int),
        groups=np.array([r[3] for r in rows]),
        sources=np.array([r[4] for r in rows]),
        rule=np.array([r[2] for r in rows], dtype=int),
    )


def _annotated(foci: list[str]):
    return lambda concept, names: any(same_name(f, [concept, *names]) for f in foci)


def _summarised(summary: str):
    key = f" {phrase_key(summary)} "
    return lambda concept, names: any(
        f" {phrase_key(n)} " in key for n in (concept, *names) if phrase_key(n)
    )


def top1(scores: np.ndarray, rows: Rows, source: str) -> float:
    """Share of the source's messages whose best-scored concept is labelled."""
    right = []
    for group in np.unique(rows.groups[rows.sources == source]):
        mask = rows.groups == group
        right.append(rows.labels[mask][int(np.argmax(scores[mask]))])
    return float(np.mean(right)) if right else float("nan")


def out_of_fold(rows: Rows, c: float) -> np.ndarray:
    groups = np.unique(rows.groups)
    order = np.random.default_rng(SEED).permutation(groups)
    scores = np.zeros(len(rows.labels))
    for fold in range(FOLDS):
        held = np.isin(rows.groups, order[fold::FOLDS])
        model = FocusModel.fit(rows.features[~held], rows.labels[~held], FEATURES, C=c)
        scores[held] = model.predict_matrix(rows.features[held])
    return scores


def choose_c(rows: Rows) -> tuple[float, list[dict]]:
    table = []
    for c in C_GRID:
        scores = out_of_fold(rows, c)
        table.append(
            {
                "C": c,
                "liveqa-train": round(top1(scores, rows, "liveqa-train"), 4),
                "meqsum": round(top1(scores, rows, "meqsum"), 4),
            }
        )
    best = max(table, key=lambda r: (r["liveqa-train"], r["meqsum"]))
    return best["C"], table


def write_card(model: FocusModel, path: Path, rows: Rows, table: list[dict], seconds: float):
    rule = rows.rule.astype(float)
    lines = [
        "# Focus model (`focus.json`)",
        "",
        "Which of a message's concepts it asks about (`analysis/focus.py`).",
        "",
        f"- Data: {model.info['trained_on']}; {len(rows.labels)} concept rows of "
        f"{len(np.unique(rows.groups))} messages with two or more concepts and a labelled one.",
        "- Model: logistic regression on standardised features, no class weights; C chosen by "
        f"{FOLDS}-fold cross-validation grouped by message (top-1 on LiveQA, then MeQSum).",
        f"- Built by `{FocusModel.REBUILD}` in {seconds:.0f} s on 2 shared cores.",
        "",
        "| C | LiveQA top-1 (out of fold) | MeQSum top-1 (out of fold) |",
        "|---:|---:|---:|",
        *(f"| {r['C']} | {r['liveqa-train']} | {r['meqsum']} |" for r in table),
        f"| older rule | {top1(rule, rows, 'liveqa-train'):.4f} | "
        f"{top1(rule, rows, 'meqsum'):.4f} |",
        "",
        "| feature | coefficient (standardised) |",
        "|---|---:|",
        *(f"| {n} | {c:.3f} |" for n, c in zip(model.features, model.coef, strict=True)),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=FocusModel.packaged_path())
    parser.add_argument("--hold-out", default="", help="K:R, leave out LiveQA messages i%%K==R")
    args = parser.parse_args(argv)
    hold_out = parse_hold_out(args.hold_out) if args.hold_out else None
    if hold_out and args.out == FocusModel.packaged_path():
        raise HealthqaError("--hold-out writes a check model: give --out FILE")
    started = time.perf_counter()
    from healthqa.engine import Engine

    engine = Engine.open(Settings.resolve(args.data, focus="rule"))
    rows = collect(engine.analyzer, engine.settings.data_dir, hold_out)
    c, table = choose_c(rows)
    model = FocusModel.fit(rows.features, rows.labels, FEATURES, C=c)
    held = f", LiveQA messages i % {hold_out[0]} == {hold_out[1]} left out" if hold_out else ""
    info = {"trained_on": f"LiveQA training focus annotations and MeQSum summaries{held}"}
    model = replace(model, info={**info, "cross_validation": table})
    model.save(args.out)
    seconds = time.perf_counter() - started
    write_card(model, args.out.with_name(f"{args.out.stem}.card.md"), rows, table, seconds)
    print(f"C={c}; cross-validation: {table}; written to {args.out}")


if __name__ == "__main__":
    main()
