"""Readers for the training data sets, each through `datasets.training_file` so that no
training command can open evaluation data."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from healthqa.corpus.medquad import LoadReport, iter_medquad
from healthqa.datasets import check_training_path, training_file
from healthqa.errors import HealthqaError
from healthqa.records import Document
from healthqa.xmlfiles import read_xml

# LiveQA's annotated types (both training files, any case) -> MedQuAD's type names, so that a
# training question's type is one the corpus uses. Types MedQuAD has no answers of ("organization",
# "resources", "association") read as "information".
LIVEQA_TYPE = {
    "information": "information",
    "treatment": "treatment",
    "cause": "causes",
    "prognosis": "outlook",
    "diagnosis": "exams and tests",
    "symptom": "symptoms",
    "susceptibility": "susceptibility",
    "inheritance": "inheritance",
    "genetic changes": "genetic changes",
    "side effects": "side effects",
    "side_effects": "side effects",
    "side_effect": "side effects",  # the dev file's spelling
    "prevention": "prevention",
    "complication": "complications",
    "usage": "usage",
    "indication": "usage",
    "contraindication": "precautions",
    "dosage": "dose",
    "interaction": "interactions with medications",
    "tapering": "usage",
    "storage and disposal": "storage and disposal",
    "storage_disposal": "storage and disposal",  # the dev file's spelling
    "alternative": "treatment",  # alternative treatments
    "ingredient": "information",
    "action": "how does it work",
    "effect": "side effects",
    "lifestyle_diet": "treatment",
    "person_organization": "information",
}


@dataclass(frozen=True)
class SubQuestion:
    focus: str
    qtype: str  # MedQuAD type name
    answers: tuple[str, ...]


@dataclass(frozen=True)
class TrainQuestion:
    qid: str
    subject: str
    message: str
    parts: tuple[SubQuestion, ...]

    @property
    def original(self) -> str:
        return "\n".join(p for p in (self.subject, self.message) if p)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def medquad_type(liveqa_type: str) -> str:
    return LIVEQA_TYPE.get(liveqa_type.strip().lower(), "information")


def read_liveqa_train(data_dir: Path) -> list[TrainQuestion]:
    """The 446 LiveQA training questions (two files with slightly different attributes)."""
    folder = training_file(data_dir, "liveqa-train")
    questions = []
    for path in sorted(folder.glob("*.xml")):
        root = read_xml(path, "LiveQA training questions")
        for item in root.iter("NLM-QUESTION"):
            qid = item.get("qid") or item.get("questionid") or str(len(questions))
            parts = tuple(
                SubQuestion(
                    focus=_clean(sub.findtext("ANNOTATIONS/FOCUS")),
                    qtype=medquad_type(_clean(sub.findtext("ANNOTATIONS/TYPE"))),
                    answers=tuple(_clean(a.text) for a in sub.iter("ANSWER") if _clean(a.text)),
                )
                for sub in item.iter("SUB-QUESTION")
            )
            questions.append(
                TrainQuestion(
                    qid=f"{path.stem}:{qid}",
                    subject=_clean(item.findtext("SUBJECT")),
                    message=_clean(item.findtext("MESSAGE")),
                    parts=parts,
                )
            )
    return questions


@dataclass(frozen=True)
class Summary:
    question: str
    summary: str


def read_meqsum(data_dir: Path) -> list[Summary]:
    path = training_file(data_dir, "meqsum")
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                rows.append(Summary(row["question"], row["summary"]))
    return rows


@dataclass(frozen=True)
class LayQuestion:
    """A lay question written from a page (training/lay_questions_<lang>.jsonl, session 19):
    its gold pages (MedQuAD document ids or MedlinePlus en español URLs; none: the question
    has no page and abstaining is right), the asked section and the facts a good answer has."""

    qid: str
    question: str
    sources: tuple[str, ...]
    facts: tuple[tuple[str, ...], ...]
    section: str | None
    language: str
    written_from: str | None = None  # the page section the question was written from
    topic: str = ""

    @property
    def group(self) -> str:
        """What cross-validation groups it by: its page (the first source, sorted), or the
        question itself when no page answers it."""
        return min(self.sources) if self.sources else f"none:{self.question}"


LAY_QUESTIONS = {"en": "lay-questions-en", "es": "lay-questions-es"}


def read_lay_questions(
    language: str = "en", data_dir: Path | None = None, path: Path | None = None
) -> list[LayQuestion]:
    """The lay training questions (in the repository; `data_dir` is not needed to find them);
    `path`: another file of the same form, checked not to be evaluation data. A line without a
    question, or whose sources are not a list of names, is refused by its number."""
    if path is not None:
        path = check_training_path(path)
    else:
        path = training_file(data_dir or Path(), LAY_QUESTIONS[language])
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            found.append(_lay_question(path, number, line, language))
    return found


def _lay_question(path: Path, number: int, line: str, language: str) -> LayQuestion:
    try:
        row = json.loads(line)
    except ValueError as exc:
        raise HealthqaError(f"{path}:{number}: not JSON: {exc}") from exc
    question, sources = row.get("question"), row.get("sources") or []
    if not isinstance(question, str) or not question.strip():
        raise HealthqaError(f"{path}:{number}: no question")
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise HealthqaError(f"{path}:{number}: sources must be a list of page names")
    return LayQuestion(
        str(row.get("id", number)),
        question.strip(),
        tuple(sources),
        tuple((f,) if isinstance(f, str) else tuple(f) for f in row.get("facts") or ()),
        row.get("section"),
        row.get("language", language),
        row.get("written_from"),
        row.get("topic") or "",
    )


def read_medquad(data_dir: Path) -> list[Document]:
    """MedQuAD QA pairs with answer text (empty answers filled from the judged file)."""
    return [d for d in iter_medquad(training_file(data_dir, "medquad"), LoadReport()) if d.text]


def question_templates(documents: list[Document]) -> dict[str, str]:
    """MedQuAD's own question wording per type, with `{focus}` where the focus stood: the most
    common form ("What are the treatments for {focus} ?")."""
    forms: dict[str, Counter[str]] = {}
    for document in documents:
        if document.focus and document.focus in document.question:
            form = document.question.replace(document.focus, "{focus}", 1)
            forms.setdefault(document.qtype, Counter())[form] += 1
    return {qtype: counts.most_common(1)[0][0] for qtype, counts in forms.items()}


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([?.,])")


def as_medquad_question(focus: str, qtype: str, templates: dict[str, str]) -> str:
    """A LiveQA training annotation written as MedQuAD writes its questions."""
    form = templates.get(qtype) or templates.get("information") or "What is (are) {focus} ?"
    return _SPACE_BEFORE_PUNCT.sub(r"\1", form.replace("{focus}", focus))
