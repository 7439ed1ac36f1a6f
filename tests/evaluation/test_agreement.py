import numpy as np
import pytest

pytest.importorskip("rouge_score")  # the [eval] extra
pytest.importorskip("sklearn")

from healthqa.training.agreement import Agreement, content_bigrams, grade  # noqa: E402
from healthqa.training.rerank import Row, graded, score_targets  # noqa: E402

REFERENCE = (
    "Gout is treated with colchicine or anti-inflammatory drugs during an attack, and "
    "allopurinol lowers uric acid to prevent new attacks."
)
ANSWERS = {
    # the reference's content, reworded around it
    "same": "During an attack gout is treated with colchicine or anti-inflammatory drugs. "
    "Allopurinol lowers uric acid to prevent new attacks of gout.",
    # the same kind of answer for another disease: only common phrasing is shared
    "other": "Asthma is treated with inhalers during an attack, and other drugs taken daily "
    "prevent new attacks.",
    "unrelated": "Bunions are bony bumps that form on the joint at the base of the big toe.",
}


def test_stop_word_pairs_are_left_out_and_words_are_stemmed():
    grams = content_bigrams("It is one of the treated attacks")
    assert ("of", "the") not in grams and ("it", "is") not in grams
    assert ("treat", "attack") in grams  # stemmed as rouge-score stems


def test_the_answer_that_says_what_the_reference_says_agrees_most():
    agreement = Agreement(ANSWERS)
    same, other, unrelated = agreement.best([REFERENCE], ["same", "other", "unrelated"])
    assert same > 0.5 > other > unrelated
    assert unrelated == 0.0


def test_rare_bigrams_weigh_more_than_common_ones():
    agreement = Agreement(ANSWERS | {"more": "new attacks of asthma", "again": "new attacks"})
    reference = content_bigrams("new attacks colchicine")
    # half of the reference's bigrams are in "again", but "new attacks" is in four of the five
    # answers and "attacks colchicine" in none: the common half is worth far less than half
    assert agreement.recall(reference, "again") < 0.25


def test_the_best_of_several_references_counts_and_no_reference_agrees_with_nothing():
    agreement = Agreement(ANSWERS)
    assert agreement.best(["Bunions are bony bumps.", REFERENCE], ["same"])[0] > 0.5
    assert agreement.best([], ["same"]) == [0.0]


def test_grades_copied_answers_and_near_copies_highest():
    assert grade(0.0, copied=True) == 3
    assert [grade(a, copied=False) for a in (0.6, 0.35, 0.2, 0.05)] == [3, 2, 1, 0]


def test_rows_are_graded_against_their_own_question_references():
    features = np.zeros((3, 1))
    rows = [
        Row("q1", ("same", "other", "unrelated"), features, np.zeros(3, int), copied=np.zeros(3)),
        Row("q2", ("same", "other", "unrelated"), features, np.zeros(3, int), copied=np.ones(3)),
    ]
    out = graded(rows, {"q1": [REFERENCE]}, ANSWERS)
    assert out[0].grades.tolist()[0] == 3 and out[0].grades.tolist()[2] == 0
    assert out[1].grades.tolist() == [3, 3, 3]  # copied, though q2 has no reference text


def test_targets_reward_ordering_the_agreeing_and_copied_answers_first():
    labels = np.zeros(3, dtype=int)
    copied, grades = np.array([0, 1, 0]), np.array([2, 3, 0])
    row = Row("q1", ("A", "B", "C"), np.zeros((3, 1)), labels, copied=copied, grades=grades)
    good = score_targets([row], {"q1": np.array([2.0, 3.0, 1.0])})
    bad = score_targets([row], {"q1": np.array([1.0, 2.0, 3.0])})
    assert good["copied MRR@10"] == 1.0 and bad["copied MRR@10"] == 0.5
    assert good["agreement nDCG@10"] == 1.0 > bad["agreement nDCG@10"]
    assert good["target mean"] > bad["target mean"]
