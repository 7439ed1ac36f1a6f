"""MedQuAD loader: 12 folders of XML -> Documents keyed `<source>_<docid>_Sec<pid>`.

Folders 10-12 ship empty answers (MedlinePlus copyright); `judged-answers.csv` fills the
1,935 that were judged for TREC LiveQA.
"""

from __future__ import annotations

import csv
import logging
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from healthqa.errors import HealthqaError
from healthqa.records import Document
from healthqa.xmlfiles import read_xml

log = logging.getLogger(__name__)

# The qrels and judged-answers.csv abbreviate one source name that the XML spells out.
ID_PREFIX = {"MPlusHerbsSupplements": "MPlusHerbsSuppls"}
JUDGED_FILE = "judged-answers.csv"
SOURCE_NAMES = {
    "MPlusHealthTopics": "MedlinePlus",
    "ADAM": "MedlinePlus (A.D.A.M. Medical Encyclopedia)",
    "MPlusDrugs": "MedlinePlus Drug Information",
    "MPlusHerbsSupplements": "MedlinePlus Herbs and Supplements",
    "CancerGov": "National Cancer Institute",
    "GARD": "Genetic and Rare Diseases Information Center",
    "GHR": "Genetics Home Reference",
    "NIDDK": "National Institute of Diabetes and Digestive and Kidney Diseases",
    "NINDS": "National Institute of Neurological Disorders and Stroke",
    "NIHSeniorHealth": "NIHSeniorHealth",
    "NHLBI": "National Heart, Lung, and Blood Institute",
    "CDC": "Centers for Disease Control and Prevention",
}


def source_name(source: str) -> str:
    return SOURCE_NAMES.get(source, source)


@dataclass
class LoadReport:
    files: int = 0
    pairs: int = 0
    with_text: int = 0
    filled_from_judged: int = 0
    judged_unmapped: list[str] = field(default_factory=list)
    bad_files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.files} files, {self.pairs} QA pairs, {self.with_text} with answer text "
            f"({self.filled_from_judged} filled from {JUDGED_FILE}), "
            f"{len(self.judged_unmapped)} judged answers not mapped, "
            f"{len(self.bad_files)} malformed files skipped"
        )


def answer_id(source: str, doc_id: str, pid: str) -> str:
    return f"{ID_PREFIX.get(source, source)}_{doc_id}_Sec{pid}"


def normalize_answer_id(raw: str) -> str:
    """`ADAM_0003147_Sec1.txt` (qrels, judged file) -> `ADAM_0003147_Sec1`."""
    raw = raw.strip()
    return raw[:-4] if raw.endswith(".txt") else raw


@dataclass(frozen=True)
class JudgedAnswer:
    question: str
    url: str
    text: str


_JUDGED_FIELDS = re.compile(
    r"\s*Question:(?P<question>.*?)\nURL:(?P<url>.*?)\nAnswer:(?P<text>.*)", re.DOTALL
)


def _strip_wrapper(text: str) -> str:
    # The judged file closes every answer with a stray ")" that has no opening partner.
    text = text.strip()
    if text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip()
    return text


def read_judged_answers(path: Path) -> dict[str, JudgedAnswer]:
    """answer id -> the question, URL and answer text stored in the judged file."""
    csv.field_size_limit(sys.maxsize)
    answers: dict[str, JudgedAnswer] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            body = row.get("Answer") or ""
            match = _JUDGED_FIELDS.match(body)
            if match:
                question = match["question"].split("(Also called:")[0].strip()
                judged = JudgedAnswer(question, match["url"].strip(), _strip_wrapper(match["text"]))
            else:
                judged = JudgedAnswer("", "", _strip_wrapper(body))
            answers[normalize_answer_id(row["AnswerID"])] = judged
    return answers


def _texts(parent: Element | None, tag: str) -> tuple[str, ...]:
    if parent is None:
        return ()
    return tuple(t for e in parent.iter(tag) if (t := (e.text or "").strip()))


def parse_document(path: Path) -> list[Document]:
    """All QA pairs of one MedQuAD XML file (answers may be empty). Raises on bad XML."""
    return document_pairs(read_xml(path, "a MedQuAD document"), path.stem)


def document_pairs(root: Element, stem: str) -> list[Document]:
    """All QA pairs of one parsed MedQuAD document; `stem` is its id if it names none."""
    doc_id = root.get("id", stem)
    source = root.get("source", "")
    url = root.get("url", "")
    focus = (root.findtext("Focus") or "").strip()
    notes = root.find("FocusAnnotations")
    category = (notes.findtext("Category") or "").strip() if notes is not None else ""
    synonyms = _texts(notes, "Synonym")
    cuis = _texts(notes, "CUI")
    semantic_types = _texts(notes, "SemanticType")
    documents = []
    for pair in root.iter("QAPair"):
        question = pair.find("Question")
        documents.append(
            Document(
                id=answer_id(source, doc_id, pair.get("pid", "")),
                text=(pair.findtext("Answer") or "").strip(),
                title=focus,
                url=url,
                source=source,
                page=f"{ID_PREFIX.get(source, source)}_{doc_id}",
                credit=source_name(source),
                question=(question.text or "").strip() if question is not None else "",
                qtype=question.get("qtype", "") if question is not None else "",
                focus=focus,
                category=category,
                synonyms=synonyms,
                cuis=cuis,
                semantic_types=semantic_types,
            )
        )
    return documents


def iter_medquad(
    root: Path, report: LoadReport | None = None, *, include_empty: bool = False
) -> Iterator[Document]:
    """Every MedQuAD QA pair that has answer text, empty answers filled from the judged file.

    With `include_empty`, the pairs without text come too: their focus and synonyms still
    name things (the vocabulary links lay names through them).

    Some judged answers belong to QA pairs that the released XML dropped; they are rebuilt
    from the judged file with the focus and synonyms of their XML document.
    """
    report = report if report is not None else LoadReport()
    judged_path = root / JUDGED_FILE
    judged = read_judged_answers(judged_path) if judged_path.is_file() else {}
    used: set[str] = set()
    parents: dict[str, Document] = {}
    templates: dict[str, str] = {}
    for path in sorted(root.glob("*/*.xml")):
        report.files += 1
        try:
            documents = parse_document(path)
        except HealthqaError as exc:
            report.bad_files.append(str(exc))
            log.warning("skipping a malformed MedQuAD file: %s", exc)
            continue
        for document in documents:
            report.pairs += 1
            parents.setdefault(_parent_key(document.id), document)
            _learn_template(document, templates)
            if not document.text and document.id in judged:
                document = _with(document, text=judged[document.id].text)
                used.add(document.id)
                report.filled_from_judged += 1
            if document.text:
                report.with_text += 1
            if document.text or include_empty:
                yield document
    for key in sorted(set(judged) - used):
        parent = parents.get(_parent_key(key))
        if parent is None or not judged[key].text:
            report.judged_unmapped.append(key)
            continue
        entry = judged[key]
        report.pairs += 1
        report.with_text += 1
        report.filled_from_judged += 1
        yield _with(
            parent,
            id=key,
            text=entry.text,
            question=entry.question,
            url=entry.url or parent.url,
            qtype=_qtype_of(entry.question, parent.focus, templates),
        )


def _parent_key(answer_id: str) -> str:
    return answer_id.rsplit("_Sec", 1)[0]


def _learn_template(document: Document, templates: dict[str, str]) -> None:
    """MedQuAD questions are templates around the focus: "What causes {} ?" -> causes."""
    if document.focus and document.focus in document.question:
        templates.setdefault(document.question.replace(document.focus, "{}"), document.qtype)


def _qtype_of(question: str, focus: str, templates: dict[str, str]) -> str:
    return templates.get(question.replace(focus, "{}"), "information")


def _with(document: Document, **changes) -> Document:
    data = document.to_dict()
    data.update(changes)
    return Document.from_dict(data)
