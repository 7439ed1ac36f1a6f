"""The engine abstains on questions no health source answers, answers ordinary ones, and
opens every answer to an emergency question with the notice."""

import pytest

from .conftest import read_questions

# Goals of issue 5, not fitted to a run: at most 1 in 10 nonsense or off-topic questions
# gets an answer. Ordinary health questions: issue 5 asked 19 in 20; issue 9's no-drift rule
# (the page must be about what is asked) declines those whose subject MedQuAD has no page on
# ("is it safe to take ibuprofen with tylenol": no ibuprofen text; "how to stop a nosebleed":
# no nosebleed page), an answer about something else being worse than none. 11 in 12.
MIN_OUT_OF_SCOPE_ABSTAINED = 0.9
MIN_ORDINARY_ANSWERED = 0.9


def test_emergency_notice_opens_the_answer_even_when_the_engine_abstains(fixture_engine):
    answer = fixture_engine.ask("my husband collapsed and is not breathing")
    assert answer.emergency and "911" in answer.notice
    assert answer.text.startswith(answer.notice)


def test_ordinary_question_has_no_notice(fixture_engine):
    answer = fixture_engine.ask("what helps with night knots in my legs?")
    assert not answer.emergency and not answer.notice


@pytest.fixture(params=["rules-learned", "rules", "learned"])
def chooser_engine(request, medquad_engine):
    """The real engine with each English topic chooser (Settings.topic)."""
    from healthqa.engine import Engine

    if medquad_engine.settings.topic == request.param:
        return medquad_engine
    return Engine(medquad_engine.settings.with_(topic=request.param), medquad_engine.index)


@pytest.mark.integration
@pytest.mark.slow
def test_out_of_scope_questions_abstain(chooser_engine):
    questions = read_questions("out_of_scope")
    answered = [q for q in questions if not chooser_engine.ask(q).abstained]
    rate = 1 - len(answered) / len(questions)
    assert rate >= MIN_OUT_OF_SCOPE_ABSTAINED, f"abstained on {rate:.0%}; answered: {answered}"


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.parametrize(
    "chooser_engine",
    [
        "rules-learned",
        "rules",
        pytest.param(
            "learned",
            marks=pytest.mark.xfail(
                strict=True,
                reason="the learned chooser alone (Settings.topic, not the default) answers 63 %: "
                "fitted mostly on long LiveQA messages, it trusts a short question's page only "
                "when the question names it (docs/benchmarks.md, Learned topic choice)",
            ),
        ),
    ],
    indirect=True,
)
def test_ordinary_questions_are_answered(chooser_engine):
    questions = read_questions("ordinary")
    abstained = [q for q in questions if chooser_engine.ask(q).abstained]
    rate = 1 - len(abstained) / len(questions)
    assert rate >= MIN_ORDINARY_ANSWERED, f"answered {rate:.0%}; abstained: {abstained}"


@pytest.mark.integration
@pytest.mark.slow
def test_every_emergency_answer_opens_with_the_notice(medquad_engine):
    for question in read_questions("emergency"):
        answer = medquad_engine.ask(question)
        assert answer.emergency, question
        assert answer.text.startswith(answer.notice) and answer.notice, question
