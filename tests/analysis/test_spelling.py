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


def _speller_with_drugs(texts, drug_names):
    db = sqlite3.connect(":memory:")
    save_words(db, count_words(texts))
    db.execute("create table phrase (key text primary key, drugs text)")
    db.executemany("insert into phrase values (?, ?)", [(n[:-1], n) for n in drug_names])
    return SpellingCorrector(db)


def test_a_misspelt_drug_the_sources_have_no_text_on_is_corrected_to_its_name():
    speller = _speller_with_drugs(["Multiple sclerosis treatments."], ["tecfidera", "tegretol"])
    assert speller.correct("side effects of tecfedera") == "side effects of tecfidera"
    # a word of the sources near it wins over a drug name
    speller = _speller_with_drugs(["Tecfedria is a word here."], ["tecfidera"])
    assert speller.correct("tecfedra") == "tecfedria"


def test_without_drug_names_in_the_phrase_table_a_far_word_is_left_alone():
    assert _speller(["Multiple sclerosis treatments."]).correct("tecfedera") == "tecfedera"


def _speller_with_names(texts, names):
    """A phrase table keyed like the vocabulary's (stems keep a word's first letters)."""
    db = sqlite3.connect(":memory:")
    save_words(db, count_words(texts))
    db.execute("create table phrase (key text primary key, drugs text)")
    db.executemany("insert into phrase values (?, ?)", [(n.lower(), n) for n in names])
    return SpellingCorrector(db)


def test_a_near_miss_for_the_second_word_of_a_two_word_drug_name_is_respelt():
    speller = _speller_with_names(["Obesity is common in Cambodia."], ["garcinia cambogia"])
    assert speller.respell_drug_names("the extract of Garcinia  cambodia works?") == (
        "the extract of Garcinia  cambogia works?"
    )
    # the same word elsewhere is the word
    assert speller.respell_drug_names("a trip to cambodia") == "a trip to cambodia"


def test_a_two_word_name_starting_with_an_everyday_word_is_not_respelt():
    # "vitamin" is common English: "vitamin c" is not a typo of "vitamin d", nor "fish
    # oils" of "fish oil"
    speller = _speller_with_names([], ["vitamin d3", "vitamin drops"])
    assert speller.respell_drug_names("vitamin drips") == "vitamin drips"


def test_as_near_as_a_word_of_the_sources_a_drug_name_wins():
    # "floride" is one edit from "florid" (more frequent in the sources) and from "fluoride"
    speller = _speller_with_drugs(
        ["Florid florid florid symptoms.", "Fluoride in water."], ["fluoride"]
    )
    assert speller.correct("a floride rinse") == "a fluoride rinse"
    # without a drug name near it, the most frequent word of the sources
    assert _speller(["Florid florid florid symptoms."]).correct("floride") == "florid"


def test_a_word_with_a_capital_inside_is_a_name_not_words_to_correct():
    speller = _speller(["The period of the medication was long."])
    assert speller.correct("ingredients of iPerioMed rinse") == "ingredients of iPerioMed rinse"
    assert speller.correct("the Perio rinse") == "the period rinse"
