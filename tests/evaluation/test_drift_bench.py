"""bench/drift.py counts drug questions only: a question about a test or a measured value is
not one, and a drug focus the annotator misspelt is still the drug (small fixtures)."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("drug_named_entity_recognition")

BENCH = Path(__file__).resolve().parents[2] / "bench" / "drift.py"

LIVEQA = """<?xml version="1.0" encoding="UTF-8"?>
<NLM-QUESTIONS>
<NLM-QUESTION questionid="Q1"><SUBJECT>taking meds</SUBJECT>
<MESSAGE>Plavix, linisopril: what side effects should I watch for?</MESSAGE>
<SUB-QUESTIONS>
<SUB-QUESTION><ANNOTATIONS><FOCUS>linisopril</FOCUS><TYPE>side effects</TYPE></ANNOTATIONS>
</SUB-QUESTION></SUB-QUESTIONS></NLM-QUESTION>
<NLM-QUESTION questionid="Q2"><SUBJECT>Pap smear</SUBJECT>
<MESSAGE>I had a hysterectomy, do I still need a pap smear?</MESSAGE>
<SUB-QUESTIONS>
<SUB-QUESTION><ANNOTATIONS><FOCUS>pap smear/hysterectomy</FOCUS><TYPE>Indication</TYPE>
</ANNOTATIONS></SUB-QUESTION></SUB-QUESTIONS></NLM-QUESTION>
</NLM-QUESTIONS>
"""


@pytest.fixture(scope="module")
def drift():
    spec = importlib.util.spec_from_file_location("drift_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.mark.parametrize(
    "summary",
    [
        "What are the treatments for low HDL cholesterol?",
        "What are the normal ranges for urea and uric acid?",
        "What are the causes of high vitamin D levels?",
    ],
)
def test_a_substance_asked_as_a_measured_value_is_no_asked_drug(drift, summary):
    assert drift.drug_names(summary) == []
    assert drift.drug_names(summary, tests_apart=False) != []  # the reading of session 17


def test_a_drug_beside_a_measured_value_is_still_asked(drift):
    assert "levothyroxine" in drift.drug_names("Can high TSH levels or Levothyroxine slow it?")
    assert "aspirin" in drift.drug_names("What are the side effects of aspirin?")


def test_a_liveqa_drug_focus_misspelt_is_the_drug_and_a_test_focus_is_none(drift, tmp_path):
    (tmp_path / "train.xml").write_text(LIVEQA, encoding="utf-8")
    questions = drift.liveqa_train(tmp_path)
    assert [q.id for q in questions] == ["train:Q1"]
    assert "lisinopril" in questions[0].drugs
    # before: the misspelt focus as written, and the test focus of a "drug" type
    before = {q.id: q.drugs for q in drift.liveqa_train(tmp_path, tests_apart=False)}
    assert before == {"train:Q1": ["linisopril"], "train:Q2": ["pap smear/hysterectomy"]}


def test_meqsum_leaves_out_a_lab_value_question(drift, tmp_path):
    rows = [
        {"question": "My HDL is 29, what to do?", "summary": "How to treat low HDL cholesterol?"},
        {"question": "Is Plavix safe?", "summary": "What are the side effects of Plavix?"},
    ]
    path = tmp_path / "meqsum.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert [q.id for q in drift.meqsum(path)] == ["meqsum:1"]
    assert len(drift.meqsum(path, tests_apart=False)) == 2
