"""MEDIQA 2021 multi-answer summarisation: one answer per question from the answers given.

Input lines: `{"question_id", "question", "answers": [{"answer_id", "text"}]}`; labelled files
add `extractive_summary` and `abstractive_summary`. The summary is composed by the composer
that `ask` uses, in its summarising mode (sentences scored by `answer/salience.py`), and
scored with ROUGE-1/2/L F1 (rouge-score, Porter stemming) beside a lead baseline of the same
length computed in the same run.

    python -m healthqa.evaluation.mas [--data FILE] [--out FILE]

fits the salience model on the labelled questions (a sentence is positive when the extractive
reference quotes it) and prints its 5-fold cross-validated ROUGE beside the in-sample one.
"""

from __future__ import annotations

import argparse
import re
import statistics
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from rouge_score.rouge_scorer import RougeScorer

from healthqa.answer.compose import source_sentences
from healthqa.answer.salience import FEATURES, SalienceModel, feature_matrix
from healthqa.config import Settings
from healthqa.corpus.passages import split_passages, split_units
from healthqa.engine import Engine, given_candidates
from healthqa.errors import HealthqaError
from healthqa.jsonlines import read_rows
from healthqa.records import Answer, Document, Passage

# The median length of the extractive reference summaries in the validation set is 190
# words (abstractive: 76); ROUGE F1 rewards a summary about as long as its reference.
SUMMARY_WORDS = 190
# Inverse regularisation strength of the salience model: 0.01, 0.1 and 1 gave a 5-fold
# cross-validated ROUGE-2 of 0.458, 0.455 and 0.455 on the validation set.
SALIENCE_C = 0.01
FOLDS = 5
VALIDATION_FILE = Path("mediqa2021") / "mas-validation.jsonl"
ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
REFERENCES = ("extractive", "abstractive")
COLLECTION = "mediqa2021"


@dataclass(frozen=True)
class MasQuestion:
    question_id: str
    question: str
    answers: tuple[tuple[str, str], ...]  # (answer_id, text)
    references: dict[str, str]  # "extractive" / "abstractive" -> summary, when labelled


def read_mas(path: Path) -> list[MasQuestion]:
    items = []
    for number, row in read_rows(path):
        try:
            answers = tuple((str(a["answer_id"]), a["text"]) for a in row["answers"])
            items.append(
                MasQuestion(
                    question_id=str(row["question_id"]),
                    question=row["question"],
                    answers=answers,
                    references={
                        kind: row[f"{kind}_summary"]
                        for kind in REFERENCES
                        if row.get(f"{kind}_summary")
                    },
                )
            )
        except (KeyError, TypeError) as exc:
            raise HealthqaError(
                f'{path}:{number}: expected {{"question_id", "question", "answers": '
                f'[{{"answer_id", "text"}}]}} ({exc})'
            ) from exc
    return items


def passages_of(item: MasQuestion) -> list[Passage]:
    """The given answers as passages, in the given order, each keeping its answer id."""
    return [
        passage
        for answer_id, text in item.answers
        for passage in split_passages(
            Document(id=answer_id, text=text, title=item.question, collection=COLLECTION)
        )
    ]


def summary_text(answer: Answer) -> str:
    """The answer's sentences, without headings, citation marks, sources or notices."""
    return " ".join(s.text for section in answer.sections for s in section.sentences)


def summarize(
    engine: Engine,
    item: MasQuestion,
    max_words: int = SUMMARY_WORDS,
    salience: SalienceModel | None = None,
) -> str:
    answer = engine.compose(
        item.question, passages_of(item), max_words=max_words, salience=salience
    )
    return summary_text(answer)


def lead_baseline(item: MasQuestion, words: int) -> str:
    """First sentences of each answer in turn, then second sentences, ..., cut at `words`."""
    sentences = [split_units(text) for _, text in item.answers]
    picked: list[str] = []
    for depth in range(max((len(s) for s in sentences), default=0)):
        for answer_sentences in sentences:
            if depth < len(answer_sentences):
                picked.extend(answer_sentences[depth].split())
        if len(picked) >= words:
            break
    return " ".join(picked[:words])


@dataclass
class MasReport:
    questions: int
    mean_words: dict[str, float]
    # system -> reference kind -> rouge type -> mean F1
    scores: dict[str, dict[str, dict[str, float]]]

    def to_dict(self) -> dict:
        return {"questions": self.questions, "mean_words": self.mean_words, "rouge_f1": self.scores}


def rouge_f1(summaries: list[str], references: list[str]) -> dict[str, float]:
    scorer = RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    scores = [
        scorer.score(ref, summary) for summary, ref in zip(summaries, references, strict=True)
    ]
    return {kind: statistics.fmean(s[kind].fmeasure for s in scores) for kind in ROUGE_TYPES}


def labelled_only(items: list[MasQuestion]) -> list[MasQuestion]:
    labelled = [item for item in items if set(REFERENCES) <= set(item.references)]
    if not labelled:
        raise HealthqaError("no question has both extractive and abstractive reference summaries")
    return labelled


def evaluate(engine: Engine, items: list[MasQuestion], max_words: int = SUMMARY_WORDS) -> MasReport:
    labelled = labelled_only(items)
    return score_summaries(labelled, [summarize(engine, item, max_words) for item in labelled])


def score_summaries(labelled: list[MasQuestion], composed: list[str]) -> MasReport:
    """ROUGE of `composed` (one summary per question) beside a lead baseline of equal length."""
    systems = {
        "healthqa": composed,
        "lead": [
            lead_baseline(item, len(s.split())) for item, s in zip(labelled, composed, strict=True)
        ],
    }
    scores = {
        name: {
            kind: rouge_f1(summaries, [item.references[kind] for item in labelled])
            for kind in REFERENCES
        }
        for name, summaries in systems.items()
    }
    mean_words = {
        name: statistics.fmean(len(s.split()) for s in summaries)
        for name, summaries in systems.items()
    }
    return MasReport(len(labelled), mean_words, scores)


@dataclass(frozen=True)
class TrainingRows:
    features: np.ndarray  # one row per quotable sentence of the answers, columns FEATURES
    kept: np.ndarray  # 1 where the extractive reference quotes the sentence


def training_rows(engine: Engine, item: MasQuestion) -> TrainingRows:
    question = engine.analyze(item.question)
    sentences = source_sentences(question, given_candidates(passages_of(item)))
    reference = _plain(item.references["extractive"])
    kept = np.array([_plain(s.text) in reference for s in sentences], dtype=int)
    return TrainingRows(feature_matrix(question.text, sentences), kept)


def _plain(text: str) -> str:
    """Lower case words separated by single spaces, so that quoting survives re-spacing."""
    return " ".join(re.findall(r"\w+", text.lower()))


def fit(rows: list[TrainingRows]) -> SalienceModel:
    x = np.vstack([r.features for r in rows])
    y = np.concatenate([r.kept for r in rows])
    return SalienceModel.fit(x, y, FEATURES, C=SALIENCE_C)


def cross_validated(
    engine: Engine,
    labelled: list[MasQuestion],
    rows: list[TrainingRows],
    max_words: int = SUMMARY_WORDS,
    folds: int = FOLDS,
) -> MasReport:
    """Each question summarised by a model fitted on the other folds' questions."""
    composed = [""] * len(labelled)
    for fold in range(folds):
        model = fit([r for i, r in enumerate(rows) if i % folds != fold])
        for i in range(fold, len(labelled), folds):
            composed[i] = summarize(engine, labelled[i], max_words, model)
    return score_summaries(labelled, composed)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="MAS JSONL with references")
    parser.add_argument(
        "--out",
        type=Path,
        default=SalienceModel.packaged_path(),
    )
    args = parser.parse_args(argv)
    engine = Engine.open(Settings.resolve())
    if args.data is None and engine.settings.data_dir is None:
        parser.error("no data folder found: pass --data FILE")
    data = args.data or engine.settings.data_dir / VALIDATION_FILE
    labelled = labelled_only(read_mas(data))
    rows = [training_rows(engine, item) for item in labelled]
    held_out = cross_validated(engine, labelled, rows)
    model = fit(rows)
    in_sample = score_summaries(labelled, [summarize(engine, i, salience=model) for i in labelled])
    info = {
        "trained_on": f"MEDIQA 2021 MAS validation, extractive summaries ({data.name})",
        "questions": len(labelled),
        "C": SALIENCE_C,
        f"{FOLDS}_fold_rouge_f1": held_out.to_dict()["rouge_f1"],
        "in_sample_rouge_f1": in_sample.to_dict()["rouge_f1"],
    }
    replace(model, info=info).save(args.out)
    for name, report in ((f"{FOLDS}-fold", held_out), ("in-sample", in_sample)):
        extractive = {s: report.scores[s]["extractive"] for s in report.scores}
        print(
            f"{name:>9}  "
            + "  ".join(
                f"{s} R1/R2/RL {e['rouge1']:.3f}/{e['rouge2']:.3f}/{e['rougeL']:.3f}"
                for s, e in extractive.items()
            )
        )
    print(f"model written to {args.out}")


if __name__ == "__main__":
    main()
