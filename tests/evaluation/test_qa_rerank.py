import json
from dataclasses import replace

import numpy as np
import pytest

from healthqa.errors import HealthqaError
from healthqa.evaluation import qa_rerank
from healthqa.evaluation.mediqa import MediqaAnswer, MediqaQuestion, read_questions
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
    # priors on the answer's place and page, for the training command to try
    assert column["log_rank"].tolist() == pytest.approx([0.0, np.log(2), np.log(3)])
    assert column["from_mayo_clinic"].tolist() == [0.0, 0.0, 0.0]


def test_relative_features_compare_an_answer_with_the_best_of_its_question(contexts):
    first = contexts[0]  # answers about leg knots, leg knots, toe twitch
    names = ["focus_in_title", "focus_in_title_rel", "medquad_support", "medquad_support_rel"]
    names += ["log_words", "log_words_rel"]
    matrix = qa_rerank.feature_matrix(first, names)
    for i in range(0, len(names), 2):
        raw, rel = matrix[:, i], matrix[:, i + 1]
        assert rel.max() == 0.0  # the question's best answer
        assert rel.tolist() == pytest.approx((raw - raw.max()).tolist())
    assert matrix[:, 1].tolist() == [0.0, 0.0, -1.0]  # the toe twitch answer is off focus
    assert matrix[2, 3] < -0.5  # and far below the best MedQuAD support


def test_source_priors_read_the_answer_url():
    item = read_questions_from_urls(
        "https://www.mayoclinic.org/diseases-conditions/flu/symptoms-causes/syc-20351719",
        "https://medlineplus.gov/ency/article/000080.htm",
        "https://www.nlm.nih.gov/medlineplus/ency/article/000080.htm",
        "https://www.nlm.nih.gov/medlineplus/flu.html",
        "https://rarediseases.info.nih.gov/diseases/6454/flu",
    )
    context = qa_rerank.QuestionContext(item, AnalyzingEngine().analyze("flu"), [], None)
    names = ["from_mayo_clinic", "from_medlineplus_encyclopedia", "from_gard"]
    assert qa_rerank.feature_matrix(context, names).tolist() == [
        [1.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 0.0, 0.0],  # a MedlinePlus health topic page, not the encyclopedia
        [0.0, 0.0, 1.0],
    ]


def read_questions_from_urls(*urls):
    answers = tuple(
        MediqaAnswer(f"1_Answer{i}", "Flu: text.", url, i) for i, url in enumerate(urls, 1)
    )
    return MediqaQuestion("1", "What is flu?", answers)


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
    with pytest.raises(HealthqaError, match="healthqa.training.mediqa_qa"):
        RerankModel.load(tmp_path / "missing.json")


def test_packaged_model_loads_and_judges(contexts):
    model = RerankModel.load()
    assert set(model.features) <= set(FEATURES) and 0 < model.threshold < 1
    judged = model.judge(contexts[0])
    assert sorted(j.aid for j in judged) == ["1_Answer1", "1_Answer2", "1_Answer3"]
    assert [j.score for j in judged] == sorted((j.score for j in judged), reverse=True)


def test_a_file_without_kind_loads_as_a_logistic_regression(tmp_path, contexts):
    model = one_feature_model("focus_in_title")
    data = model.to_dict()
    assert data.pop("kind") == "logistic"  # as the files written before trees were offered
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    old = RerankModel.load(path)
    assert old.kind == "logistic" and old.trees is None
    assert old.judge(contexts[0]) == model.judge(contexts[0])


def trees_fixture():
    """600 answers of random features, correct when two of them agree (an interaction a
    logistic regression cannot draw)."""
    rng = np.random.default_rng(0)
    names = ["focus_in_title", "qtype_match", "dense", "log_rank"]
    x = rng.normal(size=(600, len(names)))
    y = ((x[:, 0] > 0) == (x[:, 1] > 0)).astype(float)
    return names, x, y


def test_a_trees_model_round_trips_and_scores_like_scikit_learn(tmp_path):
    pytest.importorskip("sklearn")  # fitting needs the [eval] extra; scoring does not
    from healthqa.training.mediqa_qa import boosted_trees, fit_trees

    names, x, y = trees_fixture()
    model = replace(fit_trees(x, y, names, (3, 50)), threshold=0.45)
    path = tmp_path / "trees.json"
    model.save(path)
    assert json.loads(path.read_text())["kind"] == "trees"
    loaded = RerankModel.load(path)
    assert loaded.kind == "trees" and loaded.threshold == 0.45
    expected = boosted_trees(x, y, 3, 50).predict_proba(x)[:, 1]
    np.testing.assert_allclose(loaded.predict_matrix(x), expected, atol=1e-9)
    assert np.mean((loaded.predict_matrix(x) >= 0.5) == y) > 0.9  # it learnt the interaction


def test_bad_trees_files_are_refused_with_a_clear_error(tmp_path):
    pytest.importorskip("sklearn")
    from healthqa.training.mediqa_qa import fit_trees

    names, x, y = trees_fixture()
    good = fit_trees(x, y, names, (2, 10)).to_dict()
    path = tmp_path / "bad.json"
    for bad, message in (
        ({**good, "kind": "forest"}, "unknown kind 'forest'.*logistic, trees"),
        ({key: v for key, v in good.items() if key != "trees"}, "without its node tables"),
        ({**good, "trees": {**good["trees"], "roots": [10**6]}}, "roots points outside"),
        ({**good, "trees": {"feature": [0]}}, "bad node tables"),
        ({**good, "features": names[:1]}, "column beyond its 1 features"),
    ):
        path.write_text(json.dumps(bad))
        with pytest.raises(HealthqaError, match=message):
            RerankModel.load(path)
