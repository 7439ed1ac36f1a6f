import numpy as np
import pytest

from healthqa.analysis.qtype import QtypeModel
from healthqa.errors import HealthqaError
from healthqa.records import Candidate, Passage, Question
from healthqa.retrieval.rerank import (
    FEATURES,
    RerankModel,
    answer_views,
    default_model,
    feature_matrix,
)
from healthqa.retrieval.trees import TreeEnsemble


def _candidate(doc_id, part=0, score=1.0, focus="Leg Cramps", qtype="treatment"):
    passage = Passage(
        id=f"{doc_id}#{part}",
        doc_id=doc_id,
        sentences=("Stretching the muscle can ease a cramp.",),
        title=focus,
        source="ADAM",
        question=f"What are the treatments for {focus} ?",
        qtype=qtype,
        focus=focus,
        page=doc_id.rsplit("_Sec", 1)[0],  # as corpus.medquad sets it
    )
    return Candidate(passage, scores={"lexical": 5.0, "dense": 0.6}, score=score)


QUESTION = Question(raw="what helps leg cramps", text="what helps leg cramps", qtype="treatment")


def _features(candidates, doc_id):
    views = answer_views(candidates)
    row = [v.doc_id for v in views].index(doc_id)
    return dict(zip(FEATURES, feature_matrix(QUESTION, views)[row], strict=True))


def test_an_answer_is_viewed_once_at_its_best_passage_with_its_passages_counted():
    candidates = [_candidate("A_1_Sec1", 0, 0.9), _candidate("B_2_Sec1"), _candidate("A_1_Sec1", 1)]
    views = answer_views(candidates)
    assert [(v.doc_id, v.rank, v.passages) for v in views] == [
        ("A_1_Sec1", 0, 2),
        ("B_2_Sec1", 1, 1),
    ]


def test_support_in_the_list_counts_passages_and_the_pages_other_answers():
    candidates = [
        _candidate("A_1_Sec1"),
        _candidate("A_1_Sec1", 1),
        _candidate("A_1_Sec3", qtype="symptoms"),
        _candidate("B_2_Sec1"),
    ]
    alone, backed = _features(candidates, "B_2_Sec1"), _features(candidates, "A_1_Sec1")
    assert backed["passages_in_list"] > alone["passages_in_list"]
    assert backed["other_answers_of_page"] > alone["other_answers_of_page"] == 0.0


def test_the_packaged_model_prefers_the_answer_on_what_was_asked_all_else_equal():
    # Same signals and place; only one answer is about the topic and type the question asks.
    candidates = [
        _candidate("A_1_Sec2", focus="Heel Spurs", qtype="causes"),
        _candidate("B_2_Sec2"),
    ]
    reranked = default_model().rerank(QUESTION, candidates)
    assert reranked[0].passage.doc_id == "B_2_Sec2"


def test_reranked_scores_are_probabilities_in_order():
    candidates = [_candidate(f"A_{i}_Sec1", score=1.0 - i / 10) for i in range(5)]
    scores = [c.score for c in default_model().rerank(QUESTION, candidates)]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)


def _type_model():
    # "helps" says treatment, "why" says causes; nothing else is known.
    classes = ("causes", "information", "treatment")
    coef = [[0.0, 0.0, 3.0], [3.0, 0.0, 0.0]]
    return QtypeModel(classes, ("helps", "why"), coef, [0.0, 0.0, 0.0])


def test_type_probability_is_the_classifiers_belief_in_the_answers_kind_of_answer():
    model = _type_model()
    candidates = [
        _candidate("A_1_Sec1", qtype="considerations"),  # MedlinePlus self-care: a treatment
        _candidate("B_2_Sec2", qtype="causes"),
    ]
    views = answer_views(candidates)
    names = ("type_probability",)
    rows = feature_matrix(QUESTION, views, names, type_model=model)[:, 0]
    expected = dict(zip(model.classes, model.probabilities(QUESTION.text), strict=True))
    assert rows.tolist() == pytest.approx([expected["treatment"], expected["causes"]])
    assert rows[0] > 0.9 > 0.05 > rows[1]


def test_each_question_type_source_has_its_own_reranker():
    assert default_model("cues").info["qtype"] == "cues"
    assert default_model().info == default_model("cues").info
    learned = default_model("learned")
    assert learned.info["qtype"] == "learned"
    assert "held out" in learned.info["type_classifier_on_training_messages"]


def test_an_unknown_question_type_source_is_refused_with_the_choices():
    with pytest.raises(HealthqaError, match="cues, learned"):
        default_model("guess")


@pytest.mark.parametrize("qtype", ["cues", "learned"])
def test_each_packaged_reranker_beats_the_fused_order_in_training_cross_validation(qtype):
    info = default_model(qtype).info
    assert "LiveQA 2017 training" in info["trained_on"]
    assert info["questions"] >= 400
    # the choices are keyed "<labels>: <features>, <learner>" (training.rerank, labels since s17)
    choice = f"{info['labels']}: {info['feature_set']}, {info['learner']}"
    held_out = info["cross_validation"][choice]
    assert held_out["MAP@10 (>=3)"] > info["fused_order"]["MAP@10 (>=3)"]
    assert held_out["MRR@10 (>=3)"] > info["fused_order"]["MRR@10 (>=3)"]
    assert set(default_model(qtype).features) <= set(FEATURES)


def test_without_dense_search_the_type_probability_reads_the_question_words_alone():
    model = _type_model()
    vector_model = QtypeModel(
        model.classes, model.ngrams, model.coef, [0.0, 0.0, 0.0], vector_coef=[[5.0, 0.0, -5.0]]
    )
    views = answer_views([_candidate("A_1_Sec1", qtype="treatment")])
    names = ("type_probability",)
    words_only = feature_matrix(QUESTION, views, names, type_model=model)[0, 0]
    unencoded = feature_matrix(QUESTION, views, names, type_model=vector_model, encode=False)
    assert unencoded[0, 0] == pytest.approx(words_only)


def test_an_engine_without_dense_search_gets_a_reranker_that_never_reads_the_vector():
    plain = default_model("cues", vector=False)
    assert "type_probability" not in plain.features
    assert plain.info["used_when"] == "no dense"
    assert "type_probability" in default_model("cues").features
    # the classifier's types need the vector anyway: that re-ranker serves both
    assert default_model("learned", vector=False).info == default_model("learned").info


def test_a_reranker_with_trees_orders_by_its_trees_and_keeps_them_through_json(tmp_path):
    # one stump on "focus_named": named answers +2, others -2; the linear part says the opposite
    stump = TreeEnsemble(
        feature=[0, 0, 0],
        threshold=[0.5, 0, 0],
        left=[1, 1, 2],
        right=[2, 1, 2],
        value=[0, -2.0, 2.0],
        missing_left=[True, False, False],
        roots=[0],
        baseline=0.0,
        depth=1,
    )
    model = RerankModel(("focus_named",), [0.0], [1.0], [-5.0], 0.0, trees=stump)
    model.save(tmp_path / "rerank.json")
    loaded = RerankModel.load(tmp_path / "rerank.json")
    np.testing.assert_allclose(loaded.logits(np.array([[1.0], [0.0]])), [2.0, -2.0])


def test_an_answer_whose_focus_the_question_names_by_a_synonym_is_marked_so():
    from dataclasses import replace

    from healthqa.records import Term

    question = replace(QUESTION, terms=(Term("charley horse", "Charley horse", "medquad"),))
    named = _candidate("A_1_Sec1", focus="Muscle Cramps")
    named.passage = replace(named.passage, synonyms=("Charley horse", "Muscle spasm"))
    views = answer_views([named, _candidate("B_2_Sec1", focus="Leg Cramps")])
    matrix = feature_matrix(question, views, ("focus_named", "synonym_named"))
    assert matrix.tolist() == [[0.0, 1.0], [0.0, 0.0]]
