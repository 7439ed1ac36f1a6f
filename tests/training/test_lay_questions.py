"""The lay training questions (session 19): what the benches and models read from them."""

import pytest

from healthqa.datasets import EvaluationDataError, check_training_path
from healthqa.training.data import read_lay_questions


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_lay_question_has_a_page_with_facts_or_neither(language):
    questions = read_lay_questions(language)
    assert len(questions) > 150
    assert len({q.qid for q in questions}) == len(questions)
    for q in questions:
        assert q.language == language
        if q.sources:
            assert q.facts and all(q.facts), q.qid
        else:
            assert not q.facts, q.qid
    # some questions have no page at all: abstaining on them is what is learned
    assert 5 <= sum(not q.sources for q in questions) < len(questions) / 10


def test_no_lay_question_is_on_a_page_of_an_evaluation_answer_set():
    from pathlib import Path

    from healthqa.jsonlines import read_rows

    evalsets = Path(__file__).resolve().parents[2] / "evalsets"
    judged = {
        source
        for path in evalsets.glob("*.jsonl")
        for _, row in read_rows(path)
        for source in row.get("sources", [])
    }
    judged |= {s.split("_Sec")[0] for s in judged}
    for language in ("en", "es"):
        for q in read_lay_questions(language):
            assert not set(q.sources) & judged, q.qid


def test_the_held_out_sets_cannot_be_read_as_training_data():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for name in ("evalsets/answers-heldout2.jsonl", "evalsets/answers-es-heldout4.jsonl"):
        with pytest.raises(EvaluationDataError):
            check_training_path(root / name)
