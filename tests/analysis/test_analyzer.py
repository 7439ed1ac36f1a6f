import pytest

from healthqa.analysis.analyzer import choose_focus, validate_question
from healthqa.errors import HealthqaError
from healthqa.records import Term


@pytest.mark.parametrize(
    "bad",
    ["", "   \n\t", "x" * 10_001, "abc\x00def", b"\xff\xfe\x00", "\x01\x02\x03\x04 what"],
)
def test_bad_questions_get_a_clear_error(bad):
    with pytest.raises(HealthqaError):
        validate_question(bad)


def test_good_question_passes_unchanged():
    assert validate_question("Why does spasm occur?\n") == "Why does spasm occur?\n"
    assert validate_question("Qu'est-ce que la grippe ? ünïcode ok").startswith("Qu'est")


def test_analysis_of_a_fixture_question(fixture_engine):
    question = fixture_engine.analyze("Hello doctor, what causes a night knot? Thank you, Ann")
    assert question.qtype == "causes"
    assert question.focus == "Leg Knots"
    assert "Thank you" not in question.text


def test_the_focus_is_a_strong_term_before_a_weak_one():
    mother = Term(text="mother", concept="Mothers", vocabulary="mesh", weak=True)
    rickets = Term(text="rickets", concept="Rickets", vocabulary="medquad")
    assert choose_focus([mother, rickets]) == "Rickets"
    assert choose_focus([mother]) == "Mothers"
