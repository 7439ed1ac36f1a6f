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


@pytest.mark.parametrize(
    ("binary", "message"),
    [
        (b"what causes \xff\xfe gout", "not UTF-8"),
        ("what causes \udcff\udcfe gout", "not UTF-8"),  # invalid bytes in a command line
        ("gout?\x00", "binary"),
        ("\x9d\x81\x8d\x90\x9d\x8f gout \x1b\x07", "binary"),  # mostly control characters
        ("\ufffd\ufffd\ufffd\ufffd ab", "binary"),
    ],
)
def test_binary_input_is_refused_and_named(binary, message):
    with pytest.raises(HealthqaError, match=message):
        validate_question(binary)


@pytest.mark.parametrize(
    ("pasted", "clean"),
    [
        ("what causes gout\u009d?", "what causes gout?"),  # a C1 control from a bad encoding
        ("what causes \u200bgout\ufeff?", "what causes gout?"),  # zero-width, byte-order mark
        ("is pneu\u00admonia contagious?", "is pneumonia contagious?"),  # soft hyphen
        ("what causes\x0bgout?\x85", "what causes gout? "),  # whitespace-like controls
        ("\u0080\u0081what \x1bcauses gout\ufffd?", "what causes gout?"),
    ],
)
def test_stray_control_characters_are_removed_and_the_rest_kept(pasted, clean):
    assert validate_question(pasted) == clean


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


def test_the_question_type_comes_from_the_source_the_settings_name(fixture_engine):
    from healthqa.analysis.qtype import detect_qtype, learned_qtype
    from healthqa.engine import Engine

    asked = "how can I prevent kidney stones"
    # a wording on which the two sources disagree, so the switch is seen to act
    assert detect_qtype(asked) == "prevention" != learned_qtype(asked)
    assert fixture_engine.settings.qtype == "cues"
    assert fixture_engine.analyze(asked).qtype == "prevention"
    learned = Engine.open(fixture_engine.settings.with_(qtype="learned"))
    assert learned.analyze(asked).qtype == learned_qtype(asked)
    assert learned.analyze(asked).focus == fixture_engine.analyze(asked).focus


def test_the_asked_section_follows_the_classifier_while_retrieval_keeps_the_cues(fixture_engine):
    """section_qtype "learned" types the answer's asked section by the section classifier;
    the retrieval type (`qtype`) stays the cue patterns'."""
    from healthqa.analysis.analyzer import Analyzer
    from healthqa.analysis.qtype import learned_section_qtype
    from healthqa.analysis.reduction import reduce_question

    parts = (fixture_engine.analyzer.vocabulary, fixture_engine.analyzer.speller)
    # no cue pattern asks for prevention
    asked = "my mom keeps getting bladder infections, how can she stop them coming back"
    question = Analyzer(*parts, "cues", section_qtype="learned").analyze(asked)
    assert question.qtype == "information"
    assert question.section_type == learned_section_qtype(reduce_question(question.text))
    assert question.asked_type == question.section_type == "prevention"
    # the classifier's second reading and how sure it is of the first, for the composer's hedge
    assert question.section_second not in ("", question.section_type)
    assert 0 < question.section_confidence < 1
    cues = Analyzer(*parts, "cues", section_qtype="cues").analyze(asked)
    assert cues.section_type == "" and cues.asked_type == "information"
    assert cues.section_second == "" and cues.section_confidence == 1.0


def test_the_asked_section_is_the_classifiers_by_default():
    from healthqa.config import Settings

    assert Settings().section_qtype == "learned" and Settings().qtype == "cues"


@pytest.mark.parametrize("source", ["regex", "", "Learned"])
def test_an_unknown_question_type_source_is_refused(source):
    from healthqa.config import Settings

    with pytest.raises(HealthqaError, match="qtype must be one of cues, learned"):
        Settings(qtype=source)
    with pytest.raises(HealthqaError, match="section_qtype must be one of cues, learned"):
        Settings(section_qtype=source)
