from healthqa.answer.readability import plainer, readability

PLAIN = "High blood pressure means your blood pushes too hard on your blood vessels."
HARD = (
    "Hypertension is a chronic cardiovascular condition characterized by persistently "
    "elevated arterial pressure."
)


def test_readability_gives_a_school_grade_that_rises_with_hard_words():
    plain, hard = readability(PLAIN), readability(HARD)
    assert {"grade", "reading_ease", "words"} <= set(plain)
    assert 0 < plain["grade"] < 8 < hard["grade"]
    assert plain["reading_ease"] > hard["reading_ease"]
    assert plain["words"] == 13


def test_readability_of_nothing_is_defined():
    assert readability("")["words"] == 0


def test_plainer_picks_the_easier_sentence_whatever_the_order():
    assert plainer(PLAIN, HARD) == PLAIN
    assert plainer(HARD, PLAIN) == PLAIN
    assert plainer(PLAIN, PLAIN) == PLAIN
