from pathlib import Path

import pytest

from healthqa.corpus.medquad import (
    LoadReport,
    answer_id,
    iter_medquad,
    normalize_answer_id,
    parse_document,
    read_judged_answers,
)


def test_answer_ids_follow_the_qrels_spelling():
    assert answer_id("MPlusHealthTopics", "0000629", "1") == "MPlusHealthTopics_0000629_Sec1"
    assert answer_id("MPlusHerbsSupplements", "0000004", "2") == "MPlusHerbsSuppls_0000004_Sec2"
    assert normalize_answer_id("ADAM_0003147_Sec2.txt") == "ADAM_0003147_Sec2"


def test_loader_reads_fields_fills_empty_answers_and_skips_malformed(medquad_root):
    report = LoadReport()
    docs = {d.id: d for d in iter_medquad(medquad_root, report)}
    knots = docs["MPlusHealthTopics_0000001_Sec1"]
    assert knots.focus == "Leg Knots" and knots.synonyms == ("Night knot",)
    assert knots.qtype == "information" and knots.url == "https://example.org/legknots.html"
    # folder 10: the empty answer is filled from the judged file, without the stray ")"
    assert docs["ADAM_0000003_Sec1"].text == "A toe twitch is a small jump of a toe muscle."
    # a judged answer whose QA pair the XML dropped is rebuilt with its page's focus
    rebuilt = docs["ADAM_0000003_Sec4"]
    assert rebuilt.focus == "Toe twitch" and rebuilt.qtype == "causes"
    # the herb page is keyed with the abbreviated prefix the qrels use
    assert "MPlusHerbsSuppls_0000004_Sec1" in docs
    assert "ADAM_0000003_Sec2" not in docs  # empty and not judged: no text to answer from
    assert report.judged_unmapped == []
    assert len(report.bad_files) == 1 and "0000005.xml" in report.bad_files[0]
    assert report.filled_from_judged == 3


def test_xml_with_an_external_entity_is_refused(tmp_path):
    evil = tmp_path / "evil.xml"
    evil.write_text(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<Document id="1" source="GARD"><Focus>&x;</Focus><QAPairs/></Document>'
    )
    with pytest.raises(Exception) as caught:
        parse_document(evil)
    assert "passwd" not in str(caught.value.args)


def test_malformed_file_is_reported_not_fatal(tmp_path):
    folder = tmp_path / "1_X_QA"
    folder.mkdir()
    (folder / "bad.xml").write_bytes(b"\x00\x01 not xml")
    report = LoadReport()
    assert list(iter_medquad(tmp_path, report)) == []
    assert report.files == 1 and len(report.bad_files) == 1


def test_judged_file_parsing(medquad_root: Path):
    judged = read_judged_answers(medquad_root / "judged-answers.csv")
    entry = judged["ADAM_0000003_Sec1"]
    assert entry.question == "What is (are) Toe twitch ?"
    assert entry.url == "https://example.org/ency/3.htm"


@pytest.mark.integration
def test_all_of_medquad_loads_and_every_judged_answer_is_mapped(shared_data):
    report = LoadReport()
    ids = {d.id for d in iter_medquad(shared_data / "medquad", report)}
    assert report.bad_files == [] and report.judged_unmapped == []
    qrels = (shared_data / "liveqa-med-2017-dev" / "qrels-medquad.txt").read_text().split("\n")
    judged_ids = {normalize_answer_id(line.split()[2]) for line in qrels if line.strip()}
    assert judged_ids <= ids
    assert "MPlusHealthTopics_0000629_Sec1" in ids and "ADAM_0003147_Sec2" in ids
