import json

import pytest

from healthqa.errors import HealthqaError
from healthqa.retrieval.index import open_index


def test_lay_question_gets_a_cited_sectioned_answer(fixture_engine):
    answer = fixture_engine.ask("why do I get night knots in my legs?")
    assert not answer.abstained
    assert answer.citations[0].id == "MPlusHealthTopics_0000001_Sec1"
    text = answer.text
    assert "Working a muscle too hard" in text and "[1]" in text
    assert "not a diagnosis" in text
    assert "NIH: National Institute" not in text


def test_unrelated_question_abstains_rather_than_drifting(fixture_engine):
    answer = fixture_engine.ask("best pizza in town")
    assert answer.abstained and not answer.sections and not answer.citations
    assert "no trustworthy answer" in answer.text


def test_answer_json_schema(fixture_engine):
    data = json.loads(json.dumps(fixture_engine.ask("how is sniffle fever treated?").to_dict()))
    assert set(data) >= {"question", "analysis", "sections", "citations", "text", "abstained"}
    assert set(data["analysis"]) >= {"type", "focus", "terms"}
    assert data["analysis"]["type"] == "treatment"
    assert {"n", "id", "title", "url", "source"} <= set(data["citations"][0])
    assert data["sections"][0]["sentences"][0]["citations"]


def test_bad_question_raises_and_leaves_index_alone(fixture_engine):
    before = fixture_engine.index.manifest["built_at"]
    with pytest.raises(HealthqaError):
        fixture_engine.ask("   ")
    assert open_index(fixture_engine.index.path).manifest["built_at"] == before


def test_an_index_from_an_older_version_is_rebuilt_on_open(medquad_root, tmp_path):
    from healthqa.config import Settings
    from healthqa.engine import Engine, build

    settings = Settings(data_dir=medquad_root.parent, home=tmp_path, dense=False)
    build(settings)
    manifest_path = settings.index_dir / "manifest.json"
    manifest_path.write_text(
        json.dumps({**json.loads(manifest_path.read_text()), "format_version": 1})
    )
    engine = Engine.open(settings)
    assert engine.index.manifest["format_version"] != 1
    assert not engine.ask("what is sniffle fever").abstained


def test_a_bm25_only_engine_reranks_without_loading_the_question_encoder(
    fixture_engine, monkeypatch
):
    from healthqa.retrieval import dense

    def no_encoder(*args, **kwargs):
        raise AssertionError("the BM25-only engine loaded an encoder")

    monkeypatch.setattr(dense, "get_encoder", no_encoder)
    question = fixture_engine.analyze("what can I do about cramps in my legs at night zz")
    candidates = fixture_engine.retrieve(question)
    assert candidates and all("rerank" in c.scores for c in candidates)


def test_a_bm25_only_engine_types_the_asked_section_without_the_question_encoder(
    fixture_engine, monkeypatch
):
    from healthqa.engine import Engine
    from healthqa.retrieval import dense

    def no_encoder(*args, **kwargs):
        raise AssertionError("the BM25-only engine loaded an encoder")

    monkeypatch.setattr(dense, "get_encoder", no_encoder)
    engine = Engine.open(fixture_engine.settings.with_(section_qtype="learned"))
    question = engine.analyze("how can I stop getting leg knots at night")
    assert question.section_type == "" and question.asked_type == question.qtype
