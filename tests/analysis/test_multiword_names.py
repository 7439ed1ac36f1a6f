"""A word of a name of two or more words the vocabulary knows is part of that name, not a typo
of a more common word of the sources ("garcinia cambogia", not "garcinia cambodia")."""

import sqlite3

from healthqa.analysis.analyzer import Analyzer
from healthqa.analysis.spelling import SpellingCorrector, count_words, save_words
from healthqa.analysis.vocabulary import build_vocabulary

TEXT = "Does garcinia cambogia help with obesity?"


def _analyzer() -> Analyzer:
    vocabulary = build_vocabulary([("Garcinia cambogia", (), True), ("Obesity", (), True)])
    db = sqlite3.connect(":memory:", check_same_thread=False)
    save_words(db, count_words(["Obesity is common in Cambodia and elsewhere."]))
    return Analyzer(vocabulary, SpellingCorrector(db))


def test_the_speller_alone_takes_the_rare_word_for_a_typo():
    assert "cambodia" in _analyzer().speller.correct(TEXT)


def test_a_known_name_of_two_words_is_kept_as_written_and_found():
    question = _analyzer().analyze(TEXT)
    assert "garcinia cambogia" in question.text
    assert "Garcinia cambogia" in {t.concept for t in question.terms}


def test_a_misspelt_word_outside_any_name_is_still_corrected():
    question = _analyzer().analyze("Is obesity common in cambodai?")
    assert "cambodia" in question.text
