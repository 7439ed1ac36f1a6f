"""The eval / mediqa commands on tiny files, with a stand-in engine (no index needed)."""

import json

import pytest

from healthqa.cli import evaluation as cli_evaluation
from healthqa.cli import main
from healthqa.evaluation import qa_rerank
from healthqa.evaluation.qa_rerank import FEATURES, RerankModel
from healthqa.evaluation.trec import read_qrels

from .fakes import MAS_ITEM, AnalyzingEngine, ComposeEngine, RankingEngine, trec_eval_map_mrr


@pytest.fixture
def engine(monkeypatch):
    def use(fake):
        monkeypatch.setattr(cli_evaluation, "open_engine", lambda settings: fake)

    return use


def test_eval_liveqa_json_and_run_files_rescored(liveqa_files, tmp_path, engine, capsys):
    engine(RankingEngine())
    questions, qrels = liveqa_files
    run = tmp_path / "run.trec"
    code = main(
        [
            "eval",
            "liveqa",
            "--questions",
            str(questions),
            "--qrels",
            str(qrels),
            "--run-out",
            str(run),
            "--json",
            "--no-dense",
        ]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    for name, path in (("pipeline", run), ("bm25", tmp_path / "run-bm25.trec")):
        means = report["systems"][name]["means"]
        ap, rr = trec_eval_map_mrr(path, read_qrels(qrels), 3)
        assert means["MAP@10 (>=3)"] == pytest.approx(ap) and means[
            "MRR@10 (>=3)"
        ] == pytest.approx(rr)
    assert report["anchors"]["CHiQA, MAP"] == 0.445


def test_eval_liveqa_table_prints_both_systems_and_anchors(liveqa_files, engine, capsys):
    engine(RankingEngine())
    questions, qrels = liveqa_files
    assert main(["eval", "liveqa", "--questions", str(questions), "--qrels", str(qrels)]) == 0
    out = capsys.readouterr().out
    assert "pipeline" in out and "bm25" in out and "0.637" in out


def test_missing_file_is_one_line_and_exit_2(tmp_path, capsys):
    code = main(
        [
            "eval",
            "liveqa",
            "--questions",
            str(tmp_path / "nope.xml"),
            "--qrels",
            str(tmp_path / "q"),
        ]
    )
    assert code == 2
    assert capsys.readouterr().err.strip().startswith("healthqa: error: file not found")


def test_mediqa_qa_writes_every_answer_correct_ones_first(
    mediqa_unlabelled, tmp_path, engine, monkeypatch
):
    engine(AnalyzingEngine())
    monkeypatch.setattr(qa_rerank, "_encode", lambda texts: None)
    names = list(FEATURES)
    model = RerankModel(
        names,
        [0.5] * len(names),
        [1.0] * len(names),
        [4.0 if n == "focus_in_title" else 0.0 for n in names],
        0.0,
        0.5,
        {},
    )
    model.save(tmp_path / "model.json")
    out = tmp_path / "run.csv"
    assert (
        main(
            [
                "mediqa",
                "qa",
                str(mediqa_unlabelled),
                "--out",
                str(out),
                "--model",
                str(tmp_path / "model.json"),
            ]
        )
        == 0
    )
    rows = [line.split(",") for line in out.read_text().splitlines()]
    assert rows == [
        ["1", "1_Answer1", "1"],
        ["1", "1_Answer2", "1"],
        ["1", "1_Answer3", "0"],
        ["2", "2_Answer1", "0"],
        ["2", "2_Answer2", "0"],
    ]


def test_eval_mediqa_qa_scores_a_submission_beside_system_rank(mediqa_file, tmp_path, capsys):
    run = tmp_path / "run.csv"
    run.write_text("1,1_Answer2,1\n1,1_Answer1,1\n1,1_Answer3,0\n2,2_Answer1,1\n2,2_Answer2,0\n")
    assert main(["eval", "mediqa-qa", "--data", str(mediqa_file), "--run", str(run), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)["scores"]
    assert scores["healthqa"]["accuracy"] == pytest.approx(0.6)
    assert scores["SystemRank"]["MRR"] == pytest.approx(0.75)


def test_mediqa_mas_writes_one_summary_per_question(tmp_path, engine):
    engine(ComposeEngine())
    source, out = tmp_path / "mas.jsonl", tmp_path / "summaries.jsonl"
    source.write_text(json.dumps(MAS_ITEM) + "\n")
    assert main(["mediqa", "mas", str(source), "--out", str(out)]) == 0
    assert [json.loads(line) for line in out.read_text().splitlines()] == [
        {"question_id": "7", "summary": "Stretch the muscle. Massage helps."}
    ]


class _EnglishOnlyEngine:
    def languages(self):
        return {"en"}

    def ask(self, text, **kwargs):  # pragma: no cover - must not be reached
        raise AssertionError("a Spanish evaluation asked an engine without Spanish sources")


def test_eval_answers_in_spanish_needs_the_spanish_collection(engine, capsys):
    engine(_EnglishOnlyEngine())
    assert main(["eval", "answers", "--lang", "es"]) == 1
    assert "needs the Spanish collection" in capsys.readouterr().err


def test_eval_answers_refuses_an_unknown_language(engine, capsys):
    engine(_EnglishOnlyEngine())
    assert main(["eval", "answers", "--lang", "fr"]) == 2
