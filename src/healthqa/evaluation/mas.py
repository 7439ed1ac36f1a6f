"""MEDIQA 2021 multi-answer summarisation: one answer per question from the answers given.

Input lines: `{"question_id", "question", "answers": [{"answer_id", "text"}]}`; labelled files
add `extractive_summary` and `abstractive_summary`. The summary is composed by the composer
that `ask` uses, in its summarising mode (sentences scored by `answer/salience.py`), and
scored with ROUGE-1/2/L F1 (rouge-score, Porter stemming) beside a lead baseline of the same
length computed in the same run (`healthqa eval mas`). Nothing here fits: the salience model is
fitted on training data by `python -m healthqa.training.salience`.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rouge_score.rouge_scorer import RougeScorer

from healthqa.answer.salience import SalienceModel
from healthqa.corpus.passages import split_passages, split_units
from healthqa.errors import HealthqaError
from healthqa.jsonlines import read_rows
from healthqa.records import Answer, Document, Passage

if TYPE_CHECKING:
    from healthqa.engine import Engine

# The longest summary, in words: the cap for a summary (ROUGE-2 >= 0.46 at <= 250
# words), not a length read off any reference summaries.
SUMMARY_WORDS = 250
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


def score_summaries(
    labelled: list[MasQuestion], composed: list[str], kinds: tuple[str, ...] = REFERENCES
) -> MasReport:
    """ROUGE of `composed` (one summary per question) against the `kinds` of reference, beside
    a lead baseline of equal length."""
    systems = {
        "healthqa": composed,
        "lead": [
            lead_baseline(item, len(s.split())) for item, s in zip(labelled, composed, strict=True)
        ],
    }
    scores = {
        name: {
            kind: rouge_f1(summaries, [item.references[kind] for item in labelled])
            for kind in kinds
        }
        for name, summaries in systems.items()
    }
    mean_words = {
        name: statistics.fmean(len(s.split()) for s in summaries)
        for name, summaries in systems.items()
    }
    return MasReport(len(labelled), mean_words, scores)
