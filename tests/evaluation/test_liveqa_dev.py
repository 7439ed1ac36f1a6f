"""The dev LiveQA run files re-scored by a second code path give the figures `eval` prints."""

import pytest

from healthqa.evaluation import liveqa
from healthqa.evaluation.trec import read_qrels, write_run

from .fakes import trec_eval_map_mrr

pytestmark = pytest.mark.integration


def test_dev_run_files_rescore_to_the_same_map_and_mrr(shared_data, medquad_engine, tmp_path):
    folder = shared_data / "liveqa-med-2017-dev"
    qrels = read_qrels(folder / "qrels-medquad.txt")
    report = liveqa.evaluate(medquad_engine, liveqa.read_questions(folder / "questions.xml"), qrels)
    judged = {qid: qrels[qid] for qid in report.runs["pipeline"] if qid in qrels}
    for name, run in report.runs.items():
        path = tmp_path / f"{name}.trec"
        write_run(path, run, tag=name)
        for threshold in liveqa.RELEVANCE_THRESHOLDS:
            ap, rr = trec_eval_map_mrr(path, judged, threshold)
            means = report.systems[name].means
            assert means[f"MAP@10 (>={threshold})"] == pytest.approx(ap, abs=1e-12)
            assert means[f"MRR@10 (>={threshold})"] == pytest.approx(rr, abs=1e-12)
