"""Question reduction (healthqa.analysis.reduction): train the sentence scorer, measure ROUGE.

    python bench/reduction_rouge.py words      write the common-word list (needs `pip install wordfreq`)
    python bench/reduction_rouge.py train      fit on MeQSum (4 of 5 rows), write the model JSON
    python bench/reduction_rouge.py eval       ROUGE-1/2/L F1 (stemmed) vs expert summaries,
                                               10 LiveQA dev examples, time per message

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

from defusedxml.ElementTree import parse as safe_parse
from rouge_score import rouge_scorer

from healthqa.analysis.cleaning import clean_message
from healthqa.analysis.reduction import (
    COMMON_WORDS_PATH,
    FEATURES,
    MODEL_PATH,
    ScorerModel,
    clean_subject,
    load_model,
    reduce_question,
    sentence_views,
    split_sentences,
    split_subject,
)
from healthqa.config import find_data_dir

HELD_OUT_EVERY = 5  # MeQSum rows with index % 5 == 0 are the held-out split
# A sentence is a positive example when its ROUGE is within this share of the message's best.
POSITIVE_SHARE = 0.9
C_REGULARISATION = 1.0  # sklearn's default; 16 features over ~4,000 sentences do not overfit
EXTRA_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01 = never add a second sentence
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


def sentence_target(sentence: str, reference: str) -> float:
    scores = rouge(sentence, reference)
    return scores["rouge1"] + scores["rouge2"]


def message_sentences(example: Example) -> tuple[str, list[str]]:
    subject, message = split_subject(example.question)
    return clean_subject(subject or ""), split_sentences(clean_message(message))


# --- systems -------------------------------------------------------------------------------


def whole_message(example: Example) -> str:
    subject, sentences = message_sentences(example)
    return " ".join([subject, *sentences]).strip()


def first_sentence(example: Example) -> str:
    subject, sentences = message_sentences(example)
    return sentences[0] if sentences else subject


def oracle_sentence(example: Example) -> str:
    subject, sentences = message_sentences(example)
    return max(sentences or [subject], key=lambda s: sentence_target(s, example.summary))


def reduction(model: ScorerModel) -> Callable[[Example], str]:
    return lambda example: reduce_question(example.question, model=model)


# --- training ------------------------------------------------------------------------------


def training_rows(examples: Sequence[Example]) -> tuple[list[list[float]], list[int]]:
    """One row per sentence of every message with two or more sentences."""
    features, labels = [], []
    for example in examples:
        subject, sentences = message_sentences(example)
        if len(sentences) < 2:
            continue
        targets = [sentence_target(s, example.summary) for s in sentences]
        best = max(targets)
        if best == 0:
            continue
        for view, target in zip(sentence_views(sentences, subject), targets, strict=True):
            features.append([FEATURES[name](view) for name in FEATURES])
            labels.append(int(target >= POSITIVE_SHARE * best))
    return features, labels


def fit(examples: Sequence[Example]) -> ScorerModel:
    from sklearn.linear_model import LogisticRegression

    features, labels = training_rows(examples)
    classifier = LogisticRegression(C=C_REGULARISATION, max_iter=1000).fit(features, labels)
    model = ScorerModel(
        features=tuple(FEATURES),
        weights=tuple(round(float(w), 4) for w in classifier.coef_[0]),
        intercept=round(float(classifier.intercept_[0]), 4),
        extra_threshold=EXTRA_THRESHOLDS[-1],
    )
    print(f"trained on {len(labels)} sentences ({sum(labels)} positive)")
    best = max(
        (replace(model, extra_threshold=t) for t in EXTRA_THRESHOLDS),
        key=lambda m: mean_rouge(reduction(m), examples)["mean"],
    )
    print(f"extra_threshold {best.extra_threshold} (best mean ROUGE on the training rows)")
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


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("words", "train", "eval"))
    parser.add_argument("--data", type=Path, default=None, help="data folder (../shared/data)")
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    if args.command == "words":
        write_common_words(COMMON_WORDS_PATH)
        return
    data = find_data_dir(args.data)
    if data is None:
        parser.error("no data folder found; pass --data")
    train, held_out = meqsum_split(load_meqsum(data))
    if args.command == "train":
        model = fit(train)
        args.model.parent.mkdir(parents=True, exist_ok=True)
        args.model.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.model}")
        return
    model = load_model(args.model)
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


if __name__ == "__main__":
    main()
