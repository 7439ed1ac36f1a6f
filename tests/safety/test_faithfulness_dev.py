"""Every sentence of every answer to a thousand real questions is a quotation of what it
cites, with no number its sources do not give."""

import json

import pytest

from healthqa.answer.faithfulness import check_answer

pytestmark = [pytest.mark.integration, pytest.mark.slow]
# All of MeQSum: a quotation bug shows on a few questions in a thousand.
MEQSUM_QUESTIONS = 1000


def _dev_questions(shared_data):
    from healthqa.evaluation.liveqa import read_questions

    for question in read_questions(shared_data / "liveqa-med-2017-dev" / "questions.xml"):
        yield question.original
    lines = (shared_data / "meqsum" / "meqsum.jsonl").read_text().splitlines()
    for line in lines[:MEQSUM_QUESTIONS]:
        yield json.loads(line)["question"]


def test_every_answer_is_faithful_to_its_citations(medquad_engine, shared_data, caplog):
    """Checked twice: the composer's own output (the safety pass drops and logs any unfaithful
    sentence, so no drop may be logged) and the final answer."""
    engine = medquad_engine
    answers = sentences = 0
    for text in _dev_questions(shared_data):
        answer = engine.ask(text)
        sources = {  # a citation is a page: every answer of it that was quoted
            c.n: [engine.index.passages[r].text for i in c.ids for r in engine.index.rows_by_doc[i]]
            for c in answer.citations
        }
        assert check_answer(answer, sources) == [], text[:80]
        answers += 1
        sentences += sum(len(s.sentences) for s in answer.sections)
    assert answers == 52 + MEQSUM_QUESTIONS and sentences > answers
    assert not [r for r in caplog.records if "unfaithful" in r.getMessage()]
