import json

import pytest

from healthqa.answer.salience import FEATURES
from healthqa.errors import HealthqaError
from healthqa.evaluation import mas

from .fakes import MAS_ITEM, AnalyzingEngine, ComposeEngine


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


def _labelled_item(number):
    return mas.MasQuestion(
        question_id=str(number),
        question="What causes leg knots?",
        answers=(
            (f"{number}_A1", "The shop opens at nine. Leg knots are caused by tired muscles."),
            (f"{number}_A2", "Parking is free on Sundays here. Tired muscles cause leg knots."),
        ),
        references={
            # re-spaced and re-cased: quoting is checked on the words
            "extractive": "leg knots are caused by tired muscles  Tired muscles cause leg knots",
            "abstractive": "Tired muscles cause leg knots.",
        },
    )


def test_training_labels_the_sentences_the_extractive_summary_quotes():
    rows = mas.training_rows(AnalyzingEngine(), _labelled_item(1))
    assert rows.kept.tolist() == [0, 1, 0, 1]
    assert rows.features.shape == (4, len(FEATURES))


def test_cross_validation_summarises_each_question_with_a_model_fitted_on_the_others():
    engine = AnalyzingEngine()
    items = [_labelled_item(n) for n in range(4)]
    rows = [mas.training_rows(engine, item) for item in items]
    report = mas.cross_validated(engine, items, rows, max_words=13, folds=2)
    assert report.questions == 4
    assert report.mean_words["healthqa"] == report.mean_words["lead"] <= 13
    # the fitted models keep the sentences the answers share, as the references do; the lead
    # baseline takes the asides that open each answer
    extractive = {name: report.scores[name]["extractive"]["rouge2"] for name in report.scores}
    assert extractive["healthqa"] == pytest.approx(1.0)
    assert extractive["lead"] < 0.5
