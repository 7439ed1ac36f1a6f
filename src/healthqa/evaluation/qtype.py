"""Question type accuracy on the LiveQA dev questions (evaluation data: measured on, never
fitted on or used to choose anything).

    python -m healthqa.evaluation.qtype [--data DIR] [--on liveqa-dev|liveqa-train]

Each dev question is read as the system reads it (SUBJECT + MESSAGE, reduced to what is asked
as in training, `training.qtype.as_asked`); its annotated TYPEs are mapped to MedQuAD's names
(`training.data.medquad_type`) and collapsed onto the classifier's classes
(`training.qtype.class_of`). A prediction is right when it is any of the question's types.
The learned classifier (`learned_qtype`) is scored beside the cue patterns the analyzer uses
(`detect_qtype`), on the same questions. `--on liveqa-train` scores both on the LiveQA
training messages instead: a fair figure for the cue patterns, an in-sample one for the
classifier (its cross-validated figure is in its card).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from healthqa.analysis.qtype import detect_qtype, learned_qtype
from healthqa.config import Settings
from healthqa.datasets import evaluation_file
from healthqa.errors import HealthqaError
from healthqa.training.data import medquad_type, read_liveqa_train
from healthqa.training.qtype import as_asked, class_of, liveqa_examples
from healthqa.xmlfiles import read_xml

DETECTORS: dict[str, Callable[[str], str]] = {
    "classifier (learned_qtype)": learned_qtype,
    "cue patterns (detect_qtype)": detect_qtype,
}


@dataclass(frozen=True)
class TypedQuestion:
    qid: str
    text: str  # as asked: reduced SUBJECT + MESSAGE
    types: frozenset[str]  # classes


def read_typed_questions(path: Path) -> list[TypedQuestion]:
    root = read_xml(path, "LiveQA questions with type annotations")
    questions = []
    for item in root.iter("NLM-QUESTION"):
        subject = " ".join((item.findtext("Original-Question/SUBJECT") or "").split())
        message = (item.findtext("Original-Question/MESSAGE") or "").strip()
        names = [(t.text or "").strip() for t in item.iter("TYPE")]
        types = frozenset(class_of(medquad_type(name)) for name in names if name)
        if types:
            original = "\n".join(p for p in (subject, message) if p)
            questions.append(TypedQuestion(item.get("qid") or "", as_asked(original), types))
    if not questions:
        raise HealthqaError(f"no NLM-QUESTION with a TYPE annotation in {path}")
    return questions


@dataclass(frozen=True)
class QtypeReport:
    questions: int
    accuracy: float
    predicted: dict[str, int]
    annotated: dict[str, int]

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def evaluate(questions: list[TypedQuestion], detect: Callable[[str], str]) -> QtypeReport:
    predictions = [detect(q.text) for q in questions]
    right = sum(p in q.types for p, q in zip(predictions, questions, strict=True))
    return QtypeReport(
        questions=len(questions),
        accuracy=round(right / len(questions), 4),
        predicted=dict(Counter(predictions).most_common()),
        annotated=dict(Counter(t for q in questions for t in q.types).most_common()),
    )


def training_questions(data_dir: Path) -> list[TypedQuestion]:
    return [
        TypedQuestion(e.group, e.text, frozenset(e.labels))
        for e in liveqa_examples(read_liveqa_train(data_dir))
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--on", choices=("liveqa-dev", "liveqa-train"), default="liveqa-dev")
    args = parser.parse_args(argv)
    data_dir = Settings.resolve(args.data).data_dir
    if args.on == "liveqa-train":
        questions = training_questions(data_dir)
    else:
        questions = read_typed_questions(evaluation_file(data_dir, "liveqa-dev") / "questions.xml")
    for name, detect in DETECTORS.items():
        report = evaluate(questions, detect)
        print(f"{name}: accuracy {report.accuracy} on {report.questions} {args.on} questions")
        print(f"  predicted {report.predicted}")
    print(f"  annotated {report.annotated}")


if __name__ == "__main__":
    main()
