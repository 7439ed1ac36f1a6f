import json

import pytest

from healthqa.errors import HealthqaError
from healthqa.evaluation import mas

from .fakes import MAS_ITEM, ComposeEngine


@pytest.fixture
def mas_file(tmp_path):
    path = tmp_path / "mas.jsonl"
    path.write_text(json.dumps(MAS_ITEM) + "\n\n", encoding="utf-8")
    return path


def test_reads_questions_answers_and_references(mas_file):
    [item] = mas.read_mas(mas_file)
    assert item.question_id == "7" and len(item.answers) == 2
    assert set(item.references) == {"extractive", "abstractive"}


def test_bad_line_is_reported_with_its_number(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(MAS_ITEM) + "\n" + json.dumps({"question": "x"}) + "\n")
    with pytest.raises(HealthqaError, match="bad.jsonl:2"):
        mas.read_mas(path)


def test_given_answers_become_passages_that_keep_their_ids(mas_file):
    [item] = mas.read_mas(mas_file)
    passages = mas.passages_of(item)
    assert [p.doc_id for p in passages] == ["7_A1", "7_A2"]
    assert passages[0].sentences == ("Stretch the muscle.", "Rest the leg.", "Drink water.")


def test_lead_baseline_takes_first_sentences_in_turn_then_cuts(mas_file):
    [item] = mas.read_mas(mas_file)
    assert mas.lead_baseline(item, 5) == "Stretch the muscle. Massage helps."
    assert mas.lead_baseline(item, 7) == "Stretch the muscle. Massage helps. Rest the"
    assert mas.lead_baseline(item, 100) == (
        "Stretch the muscle. Massage helps. Rest the leg. Heat may help too. Drink water."
    )


def test_rouge_of_identical_text_is_one_and_of_disjoint_text_zero():
    assert mas.rouge_f1(["Massage helps."], ["massage helps"]) == {
        "rouge1": 1.0,
        "rouge2": 1.0,
        "rougeL": 1.0,
    }
    assert mas.rouge_f1(["cats"], ["dogs"])["rouge1"] == 0.0


def test_evaluation_scores_the_composer_beside_an_equally_long_lead(mas_file):
    report = mas.evaluate(ComposeEngine(), mas.read_mas(mas_file))
    assert report.questions == 1
    assert report.mean_words["healthqa"] == report.mean_words["lead"] == 5
    # the composed text equals the extractive reference, so it scores 1 on it
    assert report.scores["healthqa"]["extractive"]["rouge1"] == pytest.approx(1.0)
    assert set(report.scores["lead"]) == {"extractive", "abstractive"}
