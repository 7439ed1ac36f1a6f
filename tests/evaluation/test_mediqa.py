import pytest

from healthqa.errors import HealthqaError
from healthqa.evaluation.mediqa import (
    Judgement,
    read_questions,
    read_submission,
    score_submission,
    system_rank_baseline,
    write_submission,
)


def J(qid, aid, label):
    return Judgement(qid, aid, label)


def test_reads_answers_in_system_rank_order_with_labels(mediqa_file):
    questions = read_questions(mediqa_file)
    assert [q.qid for q in questions] == ["1", "2"]
    first = questions[0].answers
    assert [a.aid for a in first] == ["1_Answer1", "1_Answer2", "1_Answer3"]
    assert [a.correct for a in first] == [True, True, False]
    assert first[0].text.startswith("Leg knots (Causes):")


def test_unlabelled_input_cannot_be_scored(mediqa_unlabelled):
    questions = read_questions(mediqa_unlabelled)
    assert not any(q.labelled for q in questions)
    with pytest.raises(HealthqaError, match="ReferenceScore"):
        score_submission(system_rank_baseline(questions), questions)


def test_official_measures_by_hand(mediqa_file):
    submission = [
        J("1", "1_Answer2", 1),
        J("1", "1_Answer1", 1),
        J("1", "1_Answer3", 0),
        J("2", "2_Answer1", 1),
        J("2", "2_Answer2", 0),
    ]
    scores = score_submission(submission, read_questions(mediqa_file))
    # Labels right: all three of q1, none of q2 -> 3/5. Labelled 1: A2, A1 (correct), 2_A1 (not).
    assert scores["accuracy"] == pytest.approx(3 / 5)
    assert scores["precision"] == pytest.approx(2 / 3)
    # q1: first accepted answer correct (RR 1, P@1 1); q2: no correct answer accepted (0).
    assert scores["MRR"] == pytest.approx(0.5)
    assert scores["P@1"] == pytest.approx(0.5)
    # q1: accepted correct answers in the reference order (rho 1); q2: none accepted (0).
    assert scores["spearman"] == pytest.approx(0.5)


def test_system_rank_baseline_by_hand(mediqa_file):
    questions = read_questions(mediqa_file)
    scores = score_submission(system_rank_baseline(questions), questions)
    assert scores["accuracy"] == pytest.approx(3 / 5)  # everything labelled correct
    assert scores["precision"] == pytest.approx(3 / 5)
    assert scores["MRR"] == pytest.approx((1 + 1 / 2) / 2)
    # q1 puts A1 before A2, the reference the other way round: rho -1; q2 has one (undefined).
    assert scores["spearman"] == pytest.approx(-1.0)


def test_submission_round_trip_and_duplicates(mediqa_file, tmp_path):
    questions = read_questions(mediqa_file)
    path = tmp_path / "run.csv"
    lines = [J("1", "1_Answer1", 1), J("1", "1_Answer1", 0), *system_rank_baseline(questions)[1:]]
    write_submission(path, lines)
    assert path.read_text().splitlines()[0] == "1,1_Answer1,1"
    back = read_submission(path)
    assert [(j.qid, j.aid, j.label) for j in back] == [(j.qid, j.aid, j.label) for j in lines]
    # the evaluator keeps the first line of a duplicate: the second (label 0) is ignored.
    assert score_submission(back, questions) == score_submission(
        system_rank_baseline(questions), questions
    )


def test_bad_submission_line_is_reported(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("1,1_Answer1,yes\n")
    with pytest.raises(HealthqaError, match="label 0 or 1"):
        read_submission(path)
