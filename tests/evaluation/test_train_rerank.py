from dataclasses import replace

import numpy as np
import pytest

from healthqa.errors import HealthqaError
from healthqa.training import rerank as training

pytest.importorskip("sklearn")  # training needs the [train] extra


def _rows(n=40, answers=8, seed=3, telling="type_probability", gap=0.8):
    """Questions whose one relevant answer only the `telling` feature tells apart (by `gap`)."""
    rng = np.random.default_rng(seed)
    rows = []
    for q in range(n):
        features = rng.normal(size=(answers, len(training.COLLECTED)))
        labels = np.zeros(answers, dtype=int)
        labels[rng.integers(answers)] = 1
        features[:, training.COLLECTED.index(telling)] = labels * gap + 0.1
        doc_ids = tuple(f"Q{q}_{a}" for a in range(answers))
        row = training.Row(f"q{q}", doc_ids, features, labels, copied=labels, grades=3 * labels)
        rows.append(row)
    return rows


def test_the_feature_set_that_orders_held_out_questions_better_wins_cross_validation():
    rows = _rows()
    base = training.cross_validate(rows, "C=1.0", training.FEATURE_SETS["base"])
    with_type = training.cross_validate(
        rows, "C=1.0", training.FEATURE_SETS["base + type_probability"]
    )
    assert with_type["MAP@10 (>=3)"] == 1.0
    assert base["MAP@10 (>=3)"] < 0.6


def test_a_model_is_fitted_on_its_feature_set_only():
    names = training.FEATURE_SETS["base"]
    model = training.fit(_rows(), "C=1.0", names)
    assert tuple(model.features) == names
    assert "type_probability" not in model.features


def test_the_card_gives_data_settings_time_and_every_cross_validation_figure(tmp_path):
    rows = _rows(n=10)
    names = training.FEATURE_SETS["base + type_probability"]
    info = {
        "trained_on": "LiveQA 2017 training questions",
        "qtype": "cues",
        "questions": 10,
        "questions_with_a_relevant_answer": 10,
        "feature_set": "base + type_probability",
        "learner": "C=0.3",
        "cross_validation": {"base, C=0.3": {"MAP@10 (>=3)": 0.5}},
        "fused_order": {"MAP@10 (>=3)": 0.4},
        "train_seconds": 12.5,
        "built_by": "python -m healthqa.training.rerank",
    }
    model = replace(training.fit(rows, "C=0.3", names), info=info)
    path = tmp_path / "rerank.card.md"
    training.write_card(model, path)
    card = path.read_text()
    assert training.card_path(tmp_path / "rerank.json") == path
    for expected in (
        "10 questions",
        "logistic regression on standardised features, C=0.3",
        "12.5 s",
        "| base, C=0.3 |  | 0.5 |  |",
        "| fused order (no re-ranker) |  | 0.4 |  |",
        "| type_probability |",
    ):
        assert expected in card


def test_boosted_trees_learn_what_one_weight_per_feature_cannot_and_survive_the_json(tmp_path):
    """The relevant answer is the one whose feature sits in the middle (0.5) while the others
    sit at 0 or 1: boosted trees order it first, the logistic regression cannot."""
    rng = np.random.default_rng(5)
    rows = []
    for q in range(40):
        features = rng.normal(size=(8, len(training.COLLECTED)))
        labels = np.zeros(8, dtype=int)
        labels[rng.integers(8)] = 1
        middle = np.where(labels == 1, 0.5, rng.integers(0, 2, size=8))
        features[:, training.COLLECTED.index("focus_named")] = middle
        doc_ids = tuple(f"Q{q}_{i}" for i in range(8))
        rows.append(training.Row(f"q{q}", doc_ids, features, labels, copied=labels, grades=labels))
    names = training.FEATURE_SETS["base"]
    boosted = training.cross_validate(rows, training.BOOSTED, names)
    linear = training.cross_validate(rows, "C=1.0", names)
    assert boosted["P@1 (>=3)"] > linear["P@1 (>=3)"]
    model = training.fit(rows, training.BOOSTED, names)
    model.save(tmp_path / "rerank.json")
    loaded = type(model).load(tmp_path / "rerank.json")
    x = rows[0].features[:, training.columns(names)]
    assert loaded.trees is not None
    np.testing.assert_allclose(loaded.logits(x), model.logits(x))


def test_questions_whose_relevant_answers_the_list_misses_count_as_zero_against_all_labels():
    features = np.zeros((2, len(training.COLLECTED)))
    found = training.Row("q1", ("A", "B"), features, np.array([0, 1]), frozenset({"B"}))
    missed = training.Row("q2", ("C", "D"), features, np.array([0, 0]), frozenset({"E"}))
    scores = {"q1": np.array([1.0, 0.0]), "q2": np.array([1.0, 0.0])}
    figures = training.score_all_relevant([found, missed], scores)
    assert figures["MRR@10 (>=3)"] == 0.25  # (1/2 + 0) over both questions
    assert training.score([found, missed], scores)["MRR@10 (>=3)"] == 0.5  # the list's only


def test_the_model_follows_the_labels_it_is_fitted_to():
    """Distant labels follow "focus_named", the copied answers "lexical": each fit orders by its
    own, and the targets (copied answers, agreement) reward the copied-label fit."""
    rng = np.random.default_rng(7)
    rows = []
    for q in range(40):
        features = rng.normal(size=(8, len(training.COLLECTED)))
        distant, copied = np.zeros(8, dtype=int), np.zeros(8, dtype=int)
        first, second = rng.choice(8, size=2, replace=False)
        distant[first], copied[second] = 1, 1
        features[:, training.COLLECTED.index("focus_named")] = distant * 3
        features[:, training.COLLECTED.index("lexical")] = copied * 3
        doc_ids = tuple(f"Q{q}_{i}" for i in range(8))
        rows.append(
            training.Row(f"q{q}", doc_ids, features, distant, copied=copied, grades=3 * copied)
        )
    names = training.FEATURE_SETS["base"]
    on_distant = training.cross_validate(rows, "C=1.0", names, "distant")
    on_copied = training.cross_validate(rows, "C=1.0", names, "copied")
    assert on_distant["MRR@10 (>=3)"] == 1.0 > on_copied["MRR@10 (>=3)"]
    assert on_copied["copied MRR@10"] == 1.0 > on_distant["copied MRR@10"]
    assert on_copied["target mean"] > on_distant["target mean"]


def test_rows_without_graded_labels_are_refused_with_a_clear_error():
    row = _rows(n=1)[0]
    bare = replace(row, copied=None, grades=None)
    with pytest.raises(HealthqaError, match="copied"):
        training.fit([bare], "C=1.0", training.FEATURE_SETS["base"], "copied")


def test_the_distant_labels_choose_by_their_own_figures_and_a_label_choice_by_the_targets():
    rows = _rows()
    names = training.FEATURE_SETS["base + type_probability"]
    figures = training.cross_validate(rows, "C=1.0", names, "copied")
    distant_sum = figures["P@1 (>=3)"] + figures["MAP@10 (>=3)"] + figures["MRR@10 (>=3)"]
    assert training.choice_figure(figures, "distant") == distant_sum
    assert training.choice_figure(figures, training.CHOOSE) == figures["target mean"]


def test_each_re_ranker_is_fitted_on_the_lists_of_the_engine_that_uses_it(tmp_path):
    from healthqa.retrieval.rerank import model_path
    from healthqa.training.rerank import model_outputs

    # an index without dense search: only the no-vector model, never the dense one
    assert model_outputs(False, "cues", None) == (model_path("cues", vector=False), False)
    # a dense index: the packaged model, and the no-vector one only beside the packaged one
    assert model_outputs(True, "cues", None) == (model_path("cues"), True)
    assert model_outputs(True, "learned", None) == (model_path("learned"), False)
    assert model_outputs(True, "cues", tmp_path / "m.json") == (tmp_path / "m.json", False)


def _lay_question(qid, sources):
    from healthqa.training.data import LayQuestion

    return LayQuestion(qid, f"question {qid}", tuple(sources), (), None, "en")


def test_lay_questions_sharing_a_gold_page_even_through_others_are_one_fold():
    questions = [
        _lay_question("a", ["P1", "P2"]),
        _lay_question("b", ["P3"]),
        _lay_question("c", ["P2", "P4"]),
        _lay_question("d", ["P4"]),
        _lay_question("e", ["P5"]),
    ]
    groups = training.lay_groups(questions)
    assert groups["a"] == groups["c"] == groups["d"]
    assert len({groups["a"], groups["b"], groups["e"]}) == 3
    features = np.zeros((2, len(training.COLLECTED)))
    lay = [
        training.Row(q.qid, ("x", "y"), features, np.array([1, 0]), group=groups[q.qid])
        for q in questions
    ]
    fold_of = training.folds(_rows(n=10), lay)
    assert fold_of["a"] == fold_of["c"] == fold_of["d"]


def test_lay_rows_teach_the_re_ranker_what_the_liveqa_rows_do_not():
    """The LiveQA answers follow "type_probability" alone; the lay ones "focus_named" alone:
    with lay rows weighing something, the held-out lay questions are ordered better."""
    lay = [
        replace(row, qid=f"lay:{q}", group=f"page{q // 2}", copied=None, grades=None)
        for q, row in enumerate(_rows(seed=11, telling="focus_named", gap=3.0))
    ]
    names = training.FEATURE_SETS["base + type_probability"]
    without = training.cross_validate(_rows(), "C=1.0", names, lay=lay, lay_weight=0.0)
    with_lay = training.cross_validate(_rows(), "C=1.0", names, lay=lay, lay_weight=1.0)
    assert with_lay["lay MRR@10 (>=3)"] > 0.9 > without["lay MRR@10 (>=3)"] + 0.3
    assert training.choice_figure(with_lay, "distant") > training.choice_figure(without, "distant")


def test_the_lay_hold_out_leaves_out_the_bench_half_and_every_question_sharing_its_pages():
    questions = [
        _lay_question("a", ["P1"]),
        _lay_question("b", ["P1", "P2"]),  # held out (position 1)
        _lay_question("c", ["P2"]),
        _lay_question("d", ["P3"]),  # held out
        _lay_question("e", ["P4"]),
    ]
    kept = training.without_held_out_pages(questions, 2, 1)
    assert [q.qid for q in kept] == ["e"]
