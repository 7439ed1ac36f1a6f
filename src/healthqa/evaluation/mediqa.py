"""MEDIQA 2019 task 3 (answer re-ranking): data, submission files and the official measures.

An input file holds questions, each with CHiQA's answers in SystemRank order; labelled files
add `ReferenceRank` and `ReferenceScore` (4 Excellent, 3 Correct but incomplete, 2 Related,
1 Incorrect; 3-4 count as correct). A submission lists `question_id,answer_id,label` with each
question's answers labelled 1 first, in the system's order.

The measures follow the organisers' evaluator (abachaa/MEDIQA2019, Eval_Scripts) where it is
sound: accuracy over all reference answers, Spearman's rho per question between the
submitted and the reference order of the correct answers that were labelled 1 (questions
where rho is undefined are left out, questions with no such answer count 0). Two places
where that script does not measure what its name says are defined as the task README does:
MRR is the reciprocal rank of the first *correct* answer among those labelled 1 (the script
takes the first answer labelled 1, right or wrong), and precision is the share of answers
labelled 1 that are correct. The script's P@1 is printed too.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scipy.stats import spearmanr

from healthqa.errors import HealthqaError
from healthqa.xmlfiles import read_xml

CORRECT_FROM = 3  # ReferenceScore 3-4 is a correct answer (task README)
BEST_TASK3_ACCURACY = 0.783  # best team, MEDIQA 2019 overview (test set)


@dataclass(frozen=True, slots=True)
class MediqaAnswer:
    aid: str
    text: str
    url: str
    system_rank: int
    reference_rank: int | None = None
    reference_score: int | None = None

    @property
    def correct(self) -> bool | None:
        return None if self.reference_score is None else self.reference_score >= CORRECT_FROM


@dataclass(frozen=True, slots=True)
class MediqaQuestion:
    qid: str
    text: str
    answers: tuple[MediqaAnswer, ...]

    @property
    def labelled(self) -> bool:
        return all(a.reference_score is not None for a in self.answers)


@dataclass(frozen=True, slots=True)
class Judgement:
    """One line of a submission: an answer, its label, in the system's order."""

    qid: str
    aid: str
    label: int
    score: float = 0.0


def _int(value: str | None) -> int | None:
    return None if value in (None, "") else int(value)


def read_questions(path: Path) -> list[MediqaQuestion]:
    root = read_xml(path, "MEDIQA QA questions")
    questions = []
    for element in root.iter("Question"):
        answers = [
            MediqaAnswer(
                aid=answer.get("AID", ""),
                text=" ".join((answer.findtext("AnswerText") or "").split()),
                url=(answer.findtext("AnswerURL") or "").strip(),
                system_rank=_int(answer.get("SystemRank")) or position,
                reference_rank=_int(answer.get("ReferenceRank")),
                reference_score=_int(answer.get("ReferenceScore")),
            )
            for position, answer in enumerate(element.iter("Answer"), 1)
        ]
        answers.sort(key=lambda a: a.system_rank)
        text = " ".join((element.findtext("QuestionText") or "").split())
        questions.append(MediqaQuestion(element.get("QID", ""), text, tuple(answers)))
    if not questions:
        raise HealthqaError(f"no <Question> elements in {path}")
    return questions


def write_submission(path: Path, judgements: Iterable[Judgement]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        for j in judgements:
            writer.writerow([j.qid, j.aid, j.label])


def read_submission(path: Path) -> list[Judgement]:
    if not path.is_file():
        raise HealthqaError(f"submission not found: {path}")
    with path.open(encoding="utf-8", newline="") as src:
        rows = [row for row in csv.reader(src) if row]
    if any(len(row) != 3 or row[2].strip() not in ("0", "1") for row in rows):
        raise HealthqaError(
            f"{path}: expected lines 'question_id,answer_id,label' with label 0 or 1"
        )
    return [Judgement(q.strip(), a.strip(), int(label)) for q, a, label in rows]


def system_rank_baseline(questions: list[MediqaQuestion]) -> list[Judgement]:
    """CHiQA's own order with every answer labelled correct (the organisers' baseline)."""
    return [Judgement(q.qid, a.aid, 1, score=-a.system_rank) for q in questions for a in q.answers]


def _spearman(submitted: list[str], reference: list[str]) -> float:
    """rho between two orders of the same answers; nan when undefined (fewer than 2)."""
    if len(submitted) < 2:
        return math.nan
    position = {aid: i for i, aid in enumerate(reference)}
    return float(spearmanr(range(len(submitted)), [position[a] for a in submitted]).statistic)


def score_submission(
    judgements: list[Judgement], questions: list[MediqaQuestion]
) -> dict[str, float]:
    """Accuracy, precision, MRR, Spearman's rho and P@1 of a submission on labelled questions."""
    if not all(q.labelled for q in questions):
        raise HealthqaError("scoring needs ReferenceScore on every answer (a labelled file)")
    submitted: dict[str, list[Judgement]] = {}
    seen: set[tuple[str, str]] = set()
    for j in judgements:  # the evaluator keeps the first line of a duplicate
        if (j.qid, j.aid) not in seen:
            seen.add((j.qid, j.aid))
            submitted.setdefault(j.qid, []).append(j)
    hits = total = labelled_1 = labelled_1_correct = 0
    reciprocal_ranks, rhos, top_correct = [], [], []
    for q in questions:
        correct = {a.aid for a in q.answers if a.correct}
        label_of = {j.aid: j.label for j in submitted.get(q.qid, [])}
        total += len(q.answers)
        hits += sum(label_of.get(a.aid) == int(bool(a.correct)) for a in q.answers)
        accepted = [j.aid for j in submitted.get(q.qid, []) if j.label == 1]
        labelled_1 += len(accepted)
        labelled_1_correct += sum(aid in correct for aid in accepted)
        first = next((i for i, aid in enumerate(accepted, 1) if aid in correct), None)
        reciprocal_ranks.append(1.0 / first if first else 0.0)
        top_correct.append(float(bool(accepted) and accepted[0] in correct))
        matched = [aid for aid in accepted if aid in correct]
        reference = [a.aid for a in sorted(q.answers, key=lambda a: a.reference_rank or 0)]
        rhos.append(
            _spearman(matched, [aid for aid in reference if aid in set(matched)])
            if matched
            else 0.0
        )
    defined = [r for r in rhos if not math.isnan(r)]
    n = len(questions)
    return {
        "accuracy": hits / total,
        "precision": labelled_1_correct / labelled_1 if labelled_1 else 0.0,
        "MRR": sum(reciprocal_ranks) / n,
        "spearman": sum(defined) / len(defined) if defined else 0.0,
        "P@1": sum(top_correct) / n,
    }
