"""TREC 2017 LiveQA medical: rank MedQuAD answers for each question, score them against the qrels.

The system sees only what the person sent (`Original-Question/SUBJECT` and `MESSAGE`). The
NIST paraphrase and the NLM summary can be run as a separate, labelled experiment (`inputs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from healthqa.errors import HealthqaError
from healthqa.evaluation.trec import Qrels, Run, per_query, ranking_measures
from healthqa.xmlfiles import read_xml

if TYPE_CHECKING:
    from healthqa.engine import Engine

CUTOFF = 10
# LiveQA grades 1-Incorrect .. 4-Excellent; avgScore counts them 0..3.
GRADE_OFFSET = 1
RELEVANCE_THRESHOLDS = (3, 2)

# Published results on the full TREC 2017 LiveQA medical test set, printed beside ours.
ANCHORS = {
    "best TREC 2017 run (web answers), avgScore": 0.637,
    "RQE+IR, BMC Bioinformatics 2019, avgScore": 0.827,
    "CHiQA, MAP": 0.445,
    "CHiQA, MRR": 0.516,
}


@dataclass(frozen=True)
class LiveQAQuestion:
    qid: str  # as in the qrels: `TQ12` -> `12`
    subject: str
    message: str
    paraphrase: str = ""
    summary: str = ""

    @property
    def original(self) -> str:
        """What the person sent: the subject line, then the message (the analyzer splits them)."""
        return "\n".join(part for part in (self.subject, self.message) if part)


INPUTS: dict[str, Callable[[LiveQAQuestion], str]] = {
    "original": lambda q: q.original,
    "paraphrase": lambda q: q.paraphrase or q.original,
    "summary": lambda q: q.summary or q.original,
}


def _text(element: Element, path: str, *, keep_lines: bool = False) -> str:
    text = element.findtext(path) or ""
    if keep_lines:
        return "\n".join(" ".join(line.split()) for line in text.strip().splitlines())
    return " ".join(text.split())


def read_questions(path: Path) -> list[LiveQAQuestion]:
    root = read_xml(path, "LiveQA questions")
    questions = [
        LiveQAQuestion(
            qid=(item.get("qid") or "").removeprefix("TQ"),
            subject=_text(item, "Original-Question/SUBJECT"),
            message=_text(item, "Original-Question/MESSAGE", keep_lines=True),
            paraphrase=_text(item, "NIST-PARAPHRASE"),
            summary=_text(item, "NLM-Summary"),
        )
        for item in root.iter("NLM-QUESTION")
    ]
    if not questions:
        raise HealthqaError(f"no NLM-QUESTION elements in {path}")
    return questions


# The systems compared in one run: the pipeline and the plain BM25 baseline.
SYSTEMS: dict[str, Callable[[Engine, str, int], list[tuple[str, float]]]] = {
    "pipeline": lambda engine, text, k: engine.rank_documents(text, k),
    "bm25": lambda engine, text, k: engine.rank_documents_bm25(text, k),
    "hybrid": lambda engine, text, k: engine.rank_documents_hybrid(text, k),
}


def rank_questions(
    engine: Engine, questions: list[LiveQAQuestion], system: str, inputs: str = "original"
) -> Run:
    rank, text_of = SYSTEMS[system], INPUTS[inputs]
    return {q.qid: rank(engine, text_of(q), CUTOFF) for q in questions}


def avg_score(run: Run, qrels: Qrels) -> dict[str, float]:
    """Per judged question, the grade of the top answer on LiveQA's 0..3 scale (unjudged: 0)."""
    scores = {}
    for qid, judged in qrels.items():
        top = run.get(qid, [])
        grade = judged.get(top[0][0], GRADE_OFFSET) if top else GRADE_OFFSET
        scores[qid] = float(grade - GRADE_OFFSET)
    return scores


def unjudged_at_1(run: Run, qrels: Qrels) -> dict[str, float]:
    return {
        qid: float(bool(run.get(qid)) and run[qid][0][0] not in judged)
        for qid, judged in qrels.items()
    }


@dataclass
class SystemScores:
    """Aggregate figures (means over judged questions) and the per-question values behind them."""

    means: dict[str, float]
    per_question: dict[str, dict[str, float]] = field(repr=False)

    def to_dict(self) -> dict:
        return {"means": self.means, "per_question": self.per_question}


def score_run(run: Run, qrels: Qrels) -> SystemScores:
    values = {"avgScore": avg_score(run, qrels)}
    for threshold in RELEVANCE_THRESHOLDS:
        values.update(per_query(ranking_measures(CUTOFF, threshold), qrels, run))
    values["unjudged@1"] = unjudged_at_1(run, qrels)
    means = {name: sum(v.values()) / len(v) for name, v in values.items()}
    means["unjudged@1"] = sum(values["unjudged@1"].values())  # a count, not a share
    return SystemScores(means, values)


@dataclass
class LiveQAReport:
    questions: int
    judged: int
    inputs: str
    systems: dict[str, SystemScores]
    runs: dict[str, Run] = field(repr=False)
    anchors: dict[str, float] = field(default_factory=lambda: dict(ANCHORS))

    def to_dict(self) -> dict:
        return {
            "questions": self.questions,
            "judged_questions": self.judged,
            "inputs": self.inputs,
            "systems": {name: s.to_dict() for name, s in self.systems.items()},
            "anchors": self.anchors,
        }


def evaluate(
    engine: Engine,
    questions: list[LiveQAQuestion],
    qrels: Qrels,
    inputs: str = "original",
    systems: tuple[str, ...] = tuple(SYSTEMS),
) -> LiveQAReport:
    """Rank every question with each system and score the runs on the judged questions."""
    if inputs not in INPUTS:
        raise HealthqaError(f"unknown input {inputs!r}; choose from {', '.join(INPUTS)}")
    runs = {name: rank_questions(engine, questions, name, inputs) for name in systems}
    judged = {q.qid: qrels[q.qid] for q in questions if q.qid in qrels}
    if not judged:
        raise HealthqaError("none of the questions has judgments in the qrels")
    return LiveQAReport(
        questions=len(questions),
        judged=len(judged),
        inputs=inputs,
        systems={name: score_run(run, judged) for name, run in runs.items()},
        runs=runs,
    )
