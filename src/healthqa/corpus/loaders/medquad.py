"""MedQuAD as a loader: its folder read by `corpus.medquad.iter_medquad` (ids, empty answers
filled from `judged-answers.csv`, all unchanged), or one of its XML files on its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from healthqa.config import medquad_dir
from healthqa.corpus.loaders import Loader, register
from healthqa.corpus.loaders.base import IngestReport, SourceFile, xml_root
from healthqa.corpus.medquad import LoadReport, document_pairs, iter_medquad
from healthqa.records import Document


def load_medquad_file(source: SourceFile) -> list[Document]:
    """The QA pairs with answer text of one MedQuAD XML file."""
    pairs = document_pairs(xml_root(source, "a MedQuAD document"), source.stem)
    return [d for d in pairs if d.text]


def load_medquad_folder(folder: Path, prefix: str, report: IngestReport) -> Iterator[Document]:
    """MedQuAD's documents exactly as `iter_medquad` gives them (its ids; `prefix` unused)."""
    medquad = LoadReport()
    for document in iter_medquad(medquad_dir(folder), medquad):
        report.documents += 1
        yield document
    report.files += medquad.files
    report.loaded += medquad.files - len(medquad.bad_files)
    for problem in medquad.bad_files:
        report.skip(problem.split(" from ")[-1].split(":")[0], "malformed", problem)


def _is_medquad_folder(folder: Path) -> bool:
    return (folder / "medquad").is_dir() or any(folder.glob("*_QA*/*.xml"))


def _is_medquad_file(source: SourceFile) -> bool:
    return b"<QAPairs" in source.data[:65536] or b"<Document id=" in source.data[:512]


register(
    Loader(
        name="medquad",
        description="MedQuAD question-answer XML (a MedQuAD folder, or single files)",
        suffixes=(".xml",),
        load=load_medquad_file,
        sniff=_is_medquad_file,
        priority=5,
        load_folder=load_medquad_folder,
        claims=_is_medquad_folder,
    )
)
