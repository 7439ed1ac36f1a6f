from pathlib import Path

import pytest

from healthqa.errors import HealthqaError
from healthqa.evaluation.trec import per_query, ranking_measures, read_qrels, read_run, write_run


def test_qrels_grades_and_ids_without_txt(liveqa_files):
    qrels = read_qrels(liveqa_files[1])
    assert qrels == {
        "1": {"A_0000001_Sec1": 4, "A_0000002_Sec1": 2, "A_0000003_Sec1": 1},
        "3": {"A_0000004_Sec1": 3},
    }


def test_bad_qrels_line_names_the_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.txt"
    bad.write_text("1 4-Excellent A.txt\n1 Excellent B.txt\n")
    with pytest.raises(HealthqaError, match="bad.txt:2"):
        read_qrels(bad)


def test_run_file_keeps_the_system_order_even_with_tied_scores(tmp_path: Path):
    run = {"1": [("z", 2.0), ("a", 2.0), ("m", 1.0)], "3": [("d", 0.5)]}
    path = tmp_path / "run.trec"
    write_run(path, run, tag="t")
    lines = path.read_text().splitlines()
    assert lines[0].split() == ["1", "Q0", "z", "1", "2.000000", "t"]
    # trec_eval would put "z" after "a" on a tie; the written scores must prevent that.
    assert [d for d, _ in read_run(path)["1"]] == ["z", "a", "m"]


def test_measures_by_hand(liveqa_files):
    qrels = read_qrels(liveqa_files[1])
    run = {"1": [("A_0000002_Sec1", 3.0), ("A_0000001_Sec1", 2.0)]}  # question 3 unanswered
    strict = per_query(ranking_measures(10, 3), qrels, run)
    # q1: the only grade>=3 answer is at rank 2 -> AP 1/2, RR 1/2, P@1 0; q3 unranked -> 0.
    assert strict["MAP@10 (>=3)"] == {"1": 0.5, "3": 0.0}
    assert strict["MRR@10 (>=3)"] == {"1": 0.5, "3": 0.0}
    assert strict["P@1 (>=3)"] == {"1": 0.0, "3": 0.0}
    lenient = per_query(ranking_measures(10, 2), qrels, run)
    # grades 2-4: both answers relevant, both found at ranks 1 and 2 -> AP 1, RR 1.
    assert lenient["MAP@10 (>=2)"]["1"] == 1.0
    assert lenient["MRR@10 (>=2)"]["1"] == 1.0
