import pytest

from healthqa.errors import HealthqaError
from healthqa.evaluation import liveqa
from healthqa.evaluation.trec import read_qrels, write_run

from .fakes import RankingEngine, trec_eval_map_mrr


def test_only_what_the_person_sent_is_input(liveqa_files):
    questions = liveqa.read_questions(liveqa_files[0])
    assert [q.qid for q in questions] == ["1", "3"]
    assert questions[0].original == "leg knots\nWhy do I get leg knots at night?\nThank you"
    assert questions[1].original == "how long does sniffle fever last"
    text = liveqa.INPUTS["original"](questions[0])
    assert "cramps" not in text and "Not input" not in text
    assert liveqa.INPUTS["paraphrase"](questions[0]) == "What causes nocturnal leg cramps?"


def test_avg_score_and_unjudged_by_hand(liveqa_files):
    qrels = read_qrels(liveqa_files[1])
    run = {"1": [("A_0000001_Sec1", 1.0)], "3": [("UNJUDGED_1", 1.0), ("A_0000004_Sec1", 0.5)]}
    # q1 top answer Excellent (4 -> 3); q3 top answer unjudged (-> 0): mean 1.5.
    assert liveqa.avg_score(run, qrels) == {"1": 3.0, "3": 0.0}
    assert liveqa.unjudged_at_1(run, qrels) == {"1": 0.0, "3": 1.0}
    scores = liveqa.score_run(run, qrels)
    assert scores.means["avgScore"] == 1.5
    assert scores.means["unjudged@1"] == 1
    assert scores.means["MRR@10 (>=3)"] == (1.0 + 0.5) / 2


def test_pipeline_and_bm25_scored_in_one_run(liveqa_files):
    questions = liveqa.read_questions(liveqa_files[0])
    report = liveqa.evaluate(RankingEngine(), questions, read_qrels(liveqa_files[1]))
    pipeline, bm25 = report.systems["pipeline"].means, report.systems["bm25"].means
    # q1: the pipeline's top answer is Excellent (3), BM25's is Related (1); q3: only BM25
    # ranks d (Incomplete), third, after two unjudged answers: RR 1/3, avgScore 0 for both.
    assert pipeline["avgScore"] == (3 + 0) / 2
    assert bm25["avgScore"] == (1 + 0) / 2
    assert bm25["MRR@10 (>=3)"] == (0.5 + 1 / 3) / 2
    assert report.judged == 2 and report.questions == 2


def test_written_run_rescored_independently_gives_the_same_map_and_mrr(liveqa_files, tmp_path):
    qrels = read_qrels(liveqa_files[1])
    report = liveqa.evaluate(RankingEngine(), liveqa.read_questions(liveqa_files[0]), qrels)
    for name in ("pipeline", "bm25"):
        path = tmp_path / f"{name}.trec"
        write_run(path, report.runs[name], tag=name)
        means = report.systems[name].means
        for threshold in (3, 2):
            ap, rr = trec_eval_map_mrr(path, qrels, threshold)
            assert means[f"MAP@10 (>={threshold})"] == pytest.approx(ap, abs=1e-12)
            assert means[f"MRR@10 (>={threshold})"] == pytest.approx(rr, abs=1e-12)


def test_unreadable_questions_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "q.xml"
    bad.write_text("<LiveQA2017-Medical-Test-Set-Full><NLM-QUESTION qid='TQ1'>")
    with pytest.raises(HealthqaError, match="cannot read LiveQA questions"):
        liveqa.read_questions(bad)
