import sqlite3
from collections import Counter

from healthqa.analysis.spelling import SpellingCorrector, count_words, save_words


def _speller(texts):
    db = sqlite3.connect(":memory:")
    save_words(db, count_words(texts))
    return SpellingCorrector(db)


def test_typos_in_health_words_are_corrected_to_corpus_words():
    speller = _speller(["Gabapentin and hydrocodone treat pain.", "Chronic diarrhea in adults."])
    assert (
        speller.correct("I take Gabamentine an hydrocodene") == "I take gabapentin an hydrocodone"
    )
    assert speller.correct("chronic diahrrea") == "chronic diarrhea"


def test_english_words_and_far_words_are_left_alone():
    speller = _speller(["Gabapentin treats nerve pain."])
    assert (
        speller.correct("my neighbour wants gardening tips") == "my neighbour wants gardening tips"
    )
    assert speller.correct("xylophonic") == "xylophonic"


def test_count_words_ignores_short_tokens():
    assert count_words(["Flu is a virus. Virus!"]) == Counter({"virus": 2})


def test_a_rare_english_word_is_corrected_only_by_a_doubled_letter():
    speller = _speller(["Rickets softens bones.", "Garcia and garcinia differ."])
    # "Ricketts" is a surname (rare English): a doubled letter away from the disease
    assert speller.correct("Mother has inherited ricketts") == "Mother has inherited rickets"
    speller = _speller(["Overdosed patients need help."])
    assert speller.correct("I was overjoyed") == "I was overjoyed"


def test_a_name_the_vocabulary_knows_is_not_a_typo_of_a_corpus_word():
    # the sources hold "ampicillin" but not "amoxicillin", a drug the vocabulary knows
    speller = _speller(["Ampicillin is an antibiotic."])
    assert speller.correct("is my amoxicillin still good") == "is my ampicillin still good"
    known = {"amoxicillin"}.__contains__
    assert speller.correct("is my amoxicillin still good", known) == "is my amoxicillin still good"
