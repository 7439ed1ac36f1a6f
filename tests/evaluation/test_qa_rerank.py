import numpy as np
import pytest

from healthqa.errors import HealthqaError
from healthqa.evaluation import qa_rerank
from healthqa.evaluation.mediqa import read_questions
from healthqa.evaluation.qa_rerank import FEATURES, RerankModel, answer_view, question_context

from .fakes import AnalyzingEngine


def test_answer_heading_split_into_title_section_and_body():
    view = answer_view("Swine flu (H1N1 flu) (Symptoms): Fever and cough.")
    assert (view.title, view.section, view.body) == (
        "Swine flu (H1N1 flu)",
        "Symptoms",
        "Fever and cough.",
    )
    assert view.qtype == "symptoms"
    plain = answer_view("Uveitis: Uveitis is a form of eye inflammation.")
    assert (plain.title, plain.section, plain.qtype) == ("Uveitis", "", "information")
    assert answer_view("no heading here").body == "no heading here"


@pytest.fixture
def contexts(mediqa_unlabelled, monkeypatch):
    monkeypatch.setattr(qa_rerank, "_encode", lambda texts: None)  # no encoder in unit tests
    return [question_context(AnalyzingEngine(), q) for q in read_questions(mediqa_unlabelled)]


def test_features_favour_the_answer_about_the_question(contexts):
    first = contexts[0]  # "what causes leg knots": answers about leg knots, leg knots, toe twitch
    matrix = qa_rerank.feature_matrix(first, list(FEATURES))
    column = {name: matrix[:, i] for i, name in enumerate(FEATURES)}
    assert list(column["focus_in_title"]) == [1.0, 1.0, 0.0]
    assert list(column["qtype_match"]) == [
        1.0,
        0.0,
        0.0,
    ]  # only "(Causes)" answers a cause question
    assert column["medquad_support"][0] == 1.0 and column["medquad_support"][2] < 0.5
    assert column["dense"].tolist() == [0.0, 0.0, 0.0]  # absent encoder: a neutral constant


def one_feature_model(name, threshold=0.5, weight=4.0):
    names = list(FEATURES)
    coef = [weight if n == name else 0.0 for n in names]
    return RerankModel(names, [0.5] * len(names), [1.0] * len(names), coef, 0.0, threshold, {})


def test_model_ranks_by_probability_and_labels_by_threshold(contexts):
    judged = one_feature_model("focus_in_title").judge(contexts[0])
    assert [j.aid for j in judged] == ["1_Answer1", "1_Answer2", "1_Answer3"]  # ties by SystemRank
    assert [j.label for j in judged] == [1, 1, 0]
    assert judged[0].score == pytest.approx(1 / (1 + np.exp(-2.0)))


def test_model_round_trip_and_bad_files(tmp_path, contexts):
    model = one_feature_model("qtype_match", threshold=0.4)
    path = tmp_path / "model.json"
    model.save(path)
    assert RerankModel.load(path).judge(contexts[0]) == model.judge(contexts[0])
    path.write_text(path.read_text().replace('"qtype_match"', '"no_such_feature"'))
    with pytest.raises(HealthqaError, match="unknown features"):
        RerankModel.load(path)
    with pytest.raises(HealthqaError, match="train-qa"):
        RerankModel.load(tmp_path / "missing.json")


def test_packaged_model_loads_and_judges(contexts):
    model = RerankModel.load()
    assert set(model.features) <= set(FEATURES) and 0 < model.threshold < 1
    judged = model.judge(contexts[0])
    assert sorted(j.aid for j in judged) == ["1_Answer1", "1_Answer2", "1_Answer3"]
    assert [j.score for j in judged] == sorted((j.score for j in judged), reverse=True)


def test_training_picks_a_threshold_that_separates_the_labels(mediqa_file, monkeypatch):
    monkeypatch.setattr(qa_rerank, "_encode", lambda texts: None)
    labelled = [question_context(AnalyzingEngine(), q) for q in read_questions(mediqa_file)]
    model = qa_rerank.train(labelled, labelled, ["focus_in_title", "qtype_match"])
    # q1's answers are told apart by their titles; q2's two answers look alike to these
    # features, so one of them must be wrong: the best reachable accuracy is 4/5.
    assert model.info["validation_answers"] == 5
    assert model.info["validation_accuracy"] == pytest.approx(0.8)
    assert [j.label for j in model.judge(labelled[0])] == [1, 1, 0]
