import pytest
from loader_helpers import load

from healthqa.corpus import loaders
from healthqa.corpus.loaders import (
    Loader,
    detect_format,
    formats,
    get_loader,
    register,
)
from healthqa.corpus.loaders.base import Block, SourceFile, slugify, split_sections
from healthqa.errors import HealthqaError
from healthqa.records import Document


def test_every_format_of_issue_10_is_registered():
    assert {"medquad", "medlineplus-xml", "markdown", "html", "text", "spl", "openfda-json"} <= set(
        formats()
    )


def test_unknown_format_names_the_choices():
    with pytest.raises(HealthqaError) as error:
        get_loader("docx")
    assert "'docx'" in str(error.value) and "markdown" in str(error.value)


def test_auto_detection_reads_suffix_and_first_bytes(tmp_path):
    files = {
        "a.md": "# Title\n\nText here for you.",
        "b.html": "<html><body><p>Some words here.</p></body></html>",
        "c.txt": "Just words in a file.",
        "d.xml": '<?xml version="1.0"?><health-topics total="0"></health-topics>',
        "e.xml": '<document xmlns="urn:hl7-org:v3"></document>',
        "f.json": '{"results": [{"openfda": {}, "warnings": ["x"]}]}',
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    found = {name: detect_format(tmp_path / name) for name in files}
    assert found == {
        "a.md": "markdown",
        "b.html": "html",
        "c.txt": "text",
        "d.xml": "medlineplus-xml",
        "e.xml": "spl",
        "f.json": "openfda-json",
    }
    with pytest.raises(HealthqaError):
        (tmp_path / "g.docx").write_text("x")
        detect_format(tmp_path / "g.docx")


def test_a_new_format_is_one_registration(tmp_path, monkeypatch):
    monkeypatch.setattr(loaders, "_REGISTRY", dict(loaders._REGISTRY))

    def load_csv(source: SourceFile) -> list[Document]:
        rows = source.text().splitlines()
        return [
            Document(id=f"{source.prefix}:{source.slug}#{n}", text=r, title=source.stem)
            for n, r in enumerate(rows)
        ]

    register(Loader(name="test-csv", description="rows", suffixes=(".csv",), load=load_csv))
    (tmp_path / "x.csv").write_text("first row\nsecond row\n")
    documents, report = load(tmp_path, prefix="mine")
    assert [d.id for d in documents] == ["mine:x#0", "mine:x#1"]
    assert report.formats["test-csv"] == 1


def test_ids_are_stable_from_one_load_to_the_next(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "Leg Cramps.md").write_text("# Leg cramps\n\n## Causes\n\nTired muscles.")
    first, _ = load(tmp_path, prefix="c")
    second, _ = load(tmp_path, prefix="c")
    assert [d.id for d in first] == [d.id for d in second] == ["c:sub-leg-cramps#0"]
    assert first[0].collection == "c" and first[0].section == "Causes"


def test_sections_nest_by_heading_level_and_skip_empty_headings():
    blocks = [
        Block("Page", 1),
        Block("Intro text."),
        Block("Causes", 2),
        Block("Nerves", 3),
        Block("Tired nerves."),
        Block("Empty", 2),
        Block("Treatment", 2),
        Block("Stretch.", item=True),
        Block("Rest.", item=True),
    ]
    assert split_sections(blocks) == [
        ((), "Intro text."),
        (("Causes", "Nerves"), "Tired nerves."),
        (("Treatment",), "- Stretch.\n- Rest."),
    ]


def test_slugs_are_ascii():
    assert slugify("Dolor abdominal (niños)") == "dolor-abdominal-ninos"
    assert slugify("???") == "page"


def test_missing_path_is_reported_not_raised(tmp_path):
    documents, report = load(tmp_path / "nope")
    assert documents == [] and report.reasons() == {"missing": 1}


def test_markdown_format_refuses_other_suffixes(tmp_path):
    (tmp_path / "a.txt").write_text("Words here for all.")
    documents, report = load(tmp_path, fmt="markdown")
    assert documents == [] and report.reasons() == {"unknown format": 1}


def test_medquad_is_a_loader_with_its_output_unchanged(medquad_root):
    from healthqa.corpus.medquad import LoadReport, iter_medquad

    documents, report = load(medquad_root.parent / "medquad")
    assert documents == list(iter_medquad(medquad_root, LoadReport()))
    assert documents[0].id.startswith(("MPlus", "GARD", "ADAM"))  # MedQuAD's own ids
    assert report.formats == {"medquad": 1} and report.reasons() == {"malformed": 1}
    one_file, _ = load(medquad_root / "2_GARD_QA" / "0000002.xml")
    assert [d.id for d in one_file] == ["GARD_0000002_Sec1", "GARD_0000002_Sec2"]
