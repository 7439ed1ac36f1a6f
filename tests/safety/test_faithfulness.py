import pytest

from healthqa.answer.faithfulness import (
    check_answer,
    check_sentence,
    numbers_in,
    warning_sentence,
)
from healthqa.records import Answer, Question, Section, Sentence

PASSAGE = (
    "Adults can take 200 to 400 mg of ibuprofen every 4 to 6 hours. "
    "Do not take more than 1,200 mg in one day unless your doctor tells you to.  "
    "Children younger than 6 months should not take it."
)


def test_a_verbatim_sentence_is_faithful():
    assert (
        check_sentence("Adults can take 200 to 400 mg of ibuprofen every 4 to 6 hours.", PASSAGE)
        == []
    )


@pytest.mark.parametrize(
    "trimmed",
    [
        "Do not take more than 1,200 mg in one day",  # cut at the end
        "take more than 1,200 mg in one day unless your doctor tells you to.",  # cut at the start
        "Children   younger than 6 months\nshould not take it",  # other white space
    ],
)
def test_a_trimmed_span_is_faithful(trimmed):
    assert check_sentence(trimmed, PASSAGE) == []


def test_an_invented_dose_is_caught():
    problems = check_sentence("Adults can take 800 mg of ibuprofen every 4 to 6 hours.", PASSAGE)
    assert any("800 mg" in p for p in problems)


@pytest.mark.parametrize(
    ("sentence", "invented"),
    [
        ("Babies younger than 3 months should not take it.", "3 months"),
        ("Adults can take it up to twice a day.", "twice"),
        ("Take no more than one thousand two hundred mg a day, or 50 percent less.", "50 percent"),
    ],
)
def test_invented_ages_durations_and_percentages_are_caught(sentence, invented):
    assert any(invented in p for p in check_sentence(sentence, PASSAGE))


def test_a_paraphrase_is_caught_even_with_the_right_numbers():
    problems = check_sentence("Grown-ups may use 200 to 400 mg every 4 to 6 hours.", PASSAGE)
    assert len(problems) == 1 and "not quoted" in problems[0]


def test_number_words_and_digits_are_the_same_number():
    problems = check_sentence("Take one thousand two hundred mg.", PASSAGE)
    assert problems and not [p for p in problems if p.startswith("number")]
    assert [(m.value, m.unit) for m in numbers_in("a fever of 100.4F for 2-3 days")] == [
        (100.4, "degree"),
        (2.0, "day"),
        (3.0, "day"),
    ]


def test_number_words_in_two_clauses_are_two_numbers():
    source = "It is unclear (or a combination of the two). One study found changes."
    assert [m.value for m in numbers_in(source)] == [2.0, 1.0]
    assert check_sentence("It is unclear (or a combination of the two).", source) == []


def _answer(*sentences: Sentence) -> Answer:
    return Answer(question=Question(raw="q", text="q"), sections=(Section("Treatment", sentences),))


def test_check_answer_checks_each_sentence_against_its_own_citations():
    other = "Rest and fluids help most colds. Call your doctor if a fever lasts more than 3 days."
    passages = {1: [PASSAGE], 2: ["Something else entirely.", other]}
    faithful = _answer(
        Sentence("Adults can take 200 to 400 mg of ibuprofen every 4 to 6 hours.", (1,)),
        Sentence("Call your doctor if a fever lasts more than 3 days.", (1, 2)),
    )
    assert check_answer(faithful, passages) == []
    unfaithful = _answer(
        Sentence("Call your doctor if a fever lasts more than 3 days.", (1,)),
        Sentence("Rest and fluids help most colds.", ()),
        Sentence("Rest and fluids help most colds.", (3,)),
    )
    problems = check_answer(unfaithful, passages)
    assert any("not quoted" in p for p in problems)
    assert any("'3 days'" in p for p in problems)
    assert any("no citation" in p for p in problems)
    assert any("[3]" in p for p in problems)


@pytest.mark.parametrize(
    "sentence",
    [
        "Call 911 or your local emergency number if the person is not breathing.",
        "Call your health care provider right away if you have a fever and a stiff neck.",
        "Seek medical help right away if the pain gets worse.",
        "Know the warning signs of a heart attack.",
        "Go to the emergency room if you vomit blood.",
        "In case of overdose, call the poison control helpline at 1-800-222-1222.",
        "Call for an appointment with your health care provider if symptoms do not improve.",
    ],
)
def test_warning_sentences_are_recognised(sentence):
    assert warning_sentence(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Leg cramps are sudden, tight squeezes of a muscle.",
        "Tell your doctor if you are pregnant or plan to become pregnant.",
        "Talk to your doctor about the risks of this treatment.",
        "Most people get better in a week with rest and fluids.",
    ],
)
def test_ordinary_sentences_are_not_warnings(sentence):
    assert not warning_sentence(sentence)
