"""Question reduction (healthqa.analysis.reduction): train the sentence scorer, measure ROUGE.

    python bench/reduction_rouge.py words      write the common-word list (pip install wordfreq)
    python bench/reduction_rouge.py train      fit on MeQSum (4 of 5 rows), write the model JSON
    python bench/reduction_rouge.py eval       ROUGE-1/2/L F1 (stemmed) vs expert summaries,
                                               10 LiveQA dev examples, time per message
    python bench/reduction_rouge.py cv         5-fold CV on all of MeQSum (fit + score per fold)

Eval data: MEDIQA 2021 question-summarisation validation (50) and the MeQSum held-out fifth
(rows whose index is 0 mod 5, never used in training), beside the baselines "whole cleaned
message" and "first sentence", and the best single sentence (oracle, an upper bound for
one-sentence extraction). LiveQA dev questions are shown, and scored against NLM-Summary for
reference only: nothing is tuned on them, and only SUBJECT + MESSAGE go in.
The data folder defaults to ../shared/data.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import blingfire
import numpy as np
from defusedxml.ElementTree import parse as safe_parse
from rouge_score import rouge_scorer
from scipy.optimize import minimize
from scipy.special import softmax

from healthqa.analysis.cleaning import clean_message
from healthqa.analysis.reduction import (
    COMMON_WORDS_PATH,
    FEATURES,
    MODEL_PATH,
    ScorerModel,
    clean_subject,
    compose,
    load_model,
    reduce_question,
    sentence_views,
    split_sentences,
    split_subject,
)
from healthqa.config import find_data_dir

HELD_OUT_EVERY = 5  # MeQSum rows with index % 5 == 0 are the held-out split
# Ridge on the weights; over 1e-4..1e-1 the 5-fold CV mean ROUGE moved by 0.2 at most.
L2_PENALTY = 1e-3
CV_FOLDS = 5
EXTRA_SHARES = (0.2, 0.3, 0.4, 0.5, 1.01)  # 1.01 = never add a second sentence
LIVEQA_EXAMPLES = 10
# Words at least this frequent in English (Zipf scale: 4.5 = ~30 per million words, ~3,000
# words) count as common; "diabetes" (4.2), "kidney" (4.0) and "tinnitus" (2.8) do not.
COMMON_ZIPF = 4.5
WORDFREQ_TOP = 30_000
ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")

_SCORER = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    question: str  # what goes in: "SUBJECT: ...\nMESSAGE: ..." or plain text
    summary: str  # the reference: never an input


def load_meqsum(data: Path) -> list[Example]:
    rows = (json.loads(line) for line in (data / "meqsum" / "meqsum.jsonl").open(encoding="utf-8"))
    return [Example(str(i), r["question"], r["summary"]) for i, r in enumerate(rows)]


def load_qs_validation(data: Path) -> list[Example]:
    path = data / "mediqa2021" / "qs-validation.jsonl"
    rows = (json.loads(line) for line in path.open(encoding="utf-8"))
    return [Example(r["id"], r["question"], r["summary"]) for r in rows]


def load_liveqa(data: Path) -> list[Example]:
    root = safe_parse(data / "liveqa-med-2017-dev" / "questions.xml").getroot()
    examples = []
    for question in root.iter("NLM-QUESTION"):
        original = question.find("Original-Question")
        subject = " ".join((original.findtext("SUBJECT") or "").split())
        message = (original.findtext("MESSAGE") or "").strip()
        text = f"SUBJECT: {subject}\nMESSAGE: {message}"
        examples.append(Example(question.get("qid"), text, question.findtext("NLM-Summary") or ""))
    return examples


def meqsum_split(rows: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    train = [r for i, r in enumerate(rows) if i % HELD_OUT_EVERY]
    held_out = [r for i, r in enumerate(rows) if i % HELD_OUT_EVERY == 0]
    return train, held_out


def rouge(prediction: str, reference: str) -> dict[str, float]:
    scores = _SCORER.score(reference, prediction)
    return {k: scores[k].fmeasure for k in ROUGE_TYPES}


def message_sentences(example: Example) -> tuple[str, list[str]]:
    subject, message = split_subject(example.question)
    return clean_subject(subject or ""), split_sentences(clean_message(message))


# --- systems -------------------------------------------------------------------------------


def whole_message(example: Example) -> str:
    subject, message = split_subject(example.question)
    return " ".join(clean_message(f"{subject or ''}\n{message}").split())


def first_sentence(example: Example) -> str:
    """The first sentence of the cleaned message (blingfire), the subject if it has none."""
    subject, message = split_subject(example.question)
    sentences = blingfire.text_to_sentences(" ".join(clean_message(message).split()))
    return sentences.split("\n")[0] if sentences else clean_subject(subject or "")


def oracle_sentence(example: Example) -> str:
    """The best reduction that keeps one sentence: an upper bound for the scorer."""
    subject, sentences = message_sentences(example)
    if not sentences:
        return subject
    best = max(sentences, key=lambda s: candidate_gain(subject, s, example.summary))
    return compose(subject, [best])


def reduction(model: ScorerModel) -> Callable[[Example], str]:
    return lambda example: reduce_question(example.question, model=model)


# --- training ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Group:
    """The sentences of one message: features (one row each) and the ROUGE each would get."""

    features: np.ndarray
    gains: np.ndarray


def training_groups(examples: Sequence[Example]) -> list[Group]:
    """One group per message with two or more sentences and some overlap with its summary."""
    groups = []
    for example in examples:
        subject, sentences = message_sentences(example)
        if len(sentences) < 2:
            continue
        gains = np.array([candidate_gain(subject, s, example.summary) for s in sentences])
        if gains.max() == 0:
            continue
        views = sentence_views(sentences, subject)
        features = np.array([[FEATURES[name](v) for name in FEATURES] for v in views])
        groups.append(Group(features, gains))
    return groups


def candidate_gain(subject: str, sentence: str, reference: str) -> float:
    """The mean ROUGE F1 of the reduction that keeps this one sentence."""
    scores = rouge(compose(subject, [sentence]), reference)
    return statistics.fmean(scores.values())


def expected_gain(weights: np.ndarray, groups: Sequence[Group]) -> tuple[float, np.ndarray]:
    """Mean over messages of the ROUGE expected when a sentence is drawn by softmax(score),
    with its gradient: the smooth form of "the top-scored sentence is the best one"."""
    total, gradient = 0.0, np.zeros_like(weights)
    for group in groups:
        shares = softmax(group.features @ weights)
        expected = shares @ group.gains
        total += expected
        gradient += group.features.T @ (shares * (group.gains - expected))
    return total / len(groups), gradient / len(groups)


def fit(examples: Sequence[Example]) -> ScorerModel:
    groups = training_groups(examples)

    def loss(weights: np.ndarray) -> tuple[float, np.ndarray]:
        gain, gradient = expected_gain(weights, groups)
        penalty = 0.5 * L2_PENALTY * weights @ weights
        return -gain + penalty, -gradient + L2_PENALTY * weights

    result = minimize(loss, np.zeros(len(FEATURES)), jac=True, method="L-BFGS-B")
    model = ScorerModel(
        features=tuple(FEATURES),
        weights=tuple(round(float(w), 4) for w in result.x),
        extra_share=EXTRA_SHARES[-1],
    )
    print(f"trained on {len(groups)} messages, expected ROUGE {-result.fun:.4f}")
    best = max(
        (replace(model, extra_share=t) for t in EXTRA_SHARES),
        key=lambda m: mean_rouge(reduction(m), examples)["mean"],
    )
    print(f"extra_share {best.extra_share} (best mean ROUGE on the training rows)")
    return best


def write_common_words(path: Path) -> None:
    try:
        from wordfreq import top_n_list, zipf_frequency
    except ImportError as error:
        raise SystemExit("`words` needs wordfreq: pip install wordfreq") from error
    words = [w for w in top_n_list("en", WORDFREQ_TOP) if zipf_frequency(w, "en") >= COMMON_ZIPF]
    words = sorted({w for w in words if w.isalpha()})
    document = {"source": f"wordfreq en, zipf >= {COMMON_ZIPF}", "words": words}
    path.write_text(json.dumps(document, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} words to {path}")


# --- evaluation ----------------------------------------------------------------------------


def mean_rouge(system: Callable[[Example], str], examples: Sequence[Example]) -> dict[str, float]:
    outputs = [system(e) for e in examples]
    scores = [rouge(o, e.summary) for o, e in zip(outputs, examples, strict=True)]
    means = {k: statistics.fmean(s[k] for s in scores) for k in ROUGE_TYPES}
    means["mean"] = statistics.fmean(means.values())
    means["words"] = statistics.fmean(len(o.split()) for o in outputs)
    return means


def print_table(datasets: dict[str, list[Example]], systems: dict[str, Callable]) -> None:
    print(f"{'data':<22} {'system':<16} {'n':>4} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'words':>6}")
    for data_name, examples in datasets.items():
        for system_name, system in systems.items():
            m = mean_rouge(system, examples)
            print(
                f"{data_name:<22} {system_name:<16} {len(examples):>4} {100 * m['rouge1']:6.1f} "
                f"{100 * m['rouge2']:6.1f} {100 * m['rougeL']:6.1f} {m['words']:6.1f}"
            )


def print_examples(examples: Sequence[Example], model: ScorerModel) -> None:
    """The longest LiveQA messages, where reduction has the most to do."""
    chosen = sorted(examples, key=lambda e: -len(e.question))[:LIVEQA_EXAMPLES]
    for example in sorted(chosen, key=lambda e: int(e.id.removeprefix("TQ"))):
        print(f"\n{example.id}  {' '.join(example.question.split())[:400]}")
        print(f"  reduced:     {reduce_question(example.question, model=model)}")
        print(f"  NLM-Summary: {example.summary}")


def time_per_message(examples: Sequence[Example], model: ScorerModel) -> float:
    start = time.perf_counter()
    for example in examples:
        reduce_question(example.question, model=model)
    return 1000 * (time.perf_counter() - start) / len(examples)


def cross_validate(rows: Sequence[Example]) -> None:
    """Reduction fitted on the other folds vs the first sentence, over CV_FOLDS folds of
    MeQSum: a steadier figure than the one held-out fifth."""
    scores: dict[str, list[dict[str, float]]] = {"first sentence": [], "reduction": []}
    for fold in range(CV_FOLDS):
        train = [r for i, r in enumerate(rows) if i % CV_FOLDS != fold]
        test = [r for i, r in enumerate(rows) if i % CV_FOLDS == fold]
        scores["first sentence"].append(mean_rouge(first_sentence, test))
        scores["reduction"].append(mean_rouge(reduction(fit(train)), test))
    print(f"\nMeQSum {CV_FOLDS}-fold CV   R-1    R-2    R-L  words")
    for name, folds in scores.items():
        m = {k: statistics.fmean(f[k] for f in folds) for k in (*ROUGE_TYPES, "words")}
        print(
            f"{name:<18} {100 * m['rouge1']:6.1f} {100 * m['rouge2']:6.1f} "
            f"{100 * m['rougeL']:6.1f} {m['words']:6.1f}"
        )


def evaluate(data: Path, model: ScorerModel) -> None:
    train, held_out = meqsum_split(load_meqsum(data))
    liveqa = load_liveqa(data)
    systems = {
        "whole cleaned": whole_message,
        "first sentence": first_sentence,
        "reduction": reduction(model),
        "oracle sentence": oracle_sentence,
    }
    datasets = {
        "mediqa21-qs-valid": load_qs_validation(data),
        "meqsum-held-out": held_out,
        "meqsum-train": train,
        "liveqa-dev (ref only)": liveqa,
    }
    print_table(datasets, systems)
    print(f"\nreduce_question: {time_per_message(held_out, model):.2f} ms per MeQSum message")
    print_examples(liveqa, model)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("words", "train", "eval", "cv"))
    parser.add_argument("--data", type=Path, default=None, help="data folder (../shared/data)")
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    if args.command == "words":
        write_common_words(COMMON_WORDS_PATH)
        return
    data = find_data_dir(args.data)
    if data is None:
        parser.error("no data folder found; pass --data")
    if args.command == "train":
        model = fit(meqsum_split(load_meqsum(data))[0])
        args.model.parent.mkdir(parents=True, exist_ok=True)
        args.model.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.model}")
    elif args.command == "cv":
        cross_validate(load_meqsum(data))
    else:
        evaluate(data, load_model(args.model))


if __name__ == "__main__":
    main()
