"""NCI PDQ patient summaries as a collection beside the tiny MedQuAD: a cancer question is
answered from NCI, cited by title and URL with its credit line and review date."""

from __future__ import annotations

import pytest

from healthqa.config import Settings
from healthqa.corpus.collections import add_collection
from healthqa.engine import Engine, build, update_collection

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def pdq_engine(shared_data, medquad_root, tmp_path_factory):
    pdq = shared_data / "nci-pdq-patient"
    if not pdq.is_dir():
        pytest.skip("no nci-pdq-patient in ../shared/data")
    home = tmp_path_factory.mktemp("pdq-home")
    settings = Settings(data_dir=medquad_root.parent, home=home, dense=False)
    build(settings)
    add_collection(settings, "nci-pdq-patient", [pdq])
    manifest = update_collection(settings, "nci-pdq-patient")
    assert manifest["collections"]["nci-pdq-patient"]["documents"] > 1000
    return Engine.open(settings)


def test_a_cancer_question_is_answered_from_nci_with_credit_and_date(pdq_engine):
    answer = pdq_engine.ask("what is acupuncture used for in cancer care")
    assert not answer.abstained
    cited = answer.citations[0]
    assert cited.id.startswith("nci-pdq-patient:") and "acupuncture" in cited.id
    assert cited.title == "Acupuncture" and cited.url.startswith("https://www.cancer.gov/")
    assert (cited.credit, cited.date) == ("NCI", "2025-12-30")


def test_the_about_this_summary_section_is_kept_once(pdq_engine):
    opening = "Physician Data Query (PDQ) is the National Cancer Institute's"
    about = [p for p in pdq_engine.index.passages if opening in p.text]
    assert 1 <= len(about) < 10  # of 155 summaries that each end with it
    assert pdq_engine.index.manifest["duplicates_merged"] > 150


def _engine_with(settings: Settings, name: str, paths) -> Engine:
    add_collection(settings, name, paths)
    build(settings)
    return Engine.open(settings)


@pytest.fixture(scope="module")
def seed_engine(seed_html, medquad_root, tmp_path_factory):
    root = tmp_path_factory.mktemp("seed")
    (root / "pages").mkdir()
    (root / "pages" / "spasm.html").write_text(seed_html, encoding="utf-8")
    settings = Settings(data_dir=medquad_root.parent, home=root / "home", dense=False)
    return _engine_with(settings, "web", [root / "pages"])


def test_the_seed_page_in_its_own_collection_answers_without_its_debris(seed_engine, seed_debris):
    answer = seed_engine.ask("Why does spasm occur?", collection="web")
    assert not answer.abstained
    assert [c.id.split("#")[0] for c in answer.citations] == ["web:spasm"]
    assert "can cause a muscle spasm" in answer.text
    assert [line for line in seed_debris if line in answer.text] == []
    assert "maxilla" not in answer.text


@pytest.fixture(scope="module")
def label_engine(shared_data, medquad_root, tmp_path_factory):
    labels = shared_data / "formats" / "openfda-spl"
    if not labels.is_dir():
        pytest.skip("no formats/openfda-spl in ../shared/data")
    home = tmp_path_factory.mktemp("labels-home")
    settings = Settings(data_dir=medquad_root.parent, home=home, dense=False)
    return _engine_with(settings, "fda", [labels])


def test_a_drug_label_question_is_answered_from_the_label_it_names(label_engine):
    answer = label_engine.ask("what are the inactive ingredients in the cough syrup")
    assert not answer.abstained
    cited = answer.citations[0]
    assert cited.title == "TRIAMINIC Childrens Night Time Cold and Cough"
    assert cited.url.startswith("https://dailymed.nlm.nih.gov/") and cited.credit == "FDA"
    assert {c.title for c in answer.citations} == {cited.title}
    assert "maltitol solution" in answer.text  # from its Inactive ingredients section
