"""Spanish misspellings by sound ("cabesa") are written as the pages spell them; real words and
words the pages use are left alone."""

from healthqa.analysis.spelling_es import respell, respell_text, sound_alike
from healthqa.retrieval.lexical import fold_accents

PAGE_WORDS = {"cabeza", "vomitar", "necesito", "hongos", "vista", "caza", "tos", "encias"}


def known(word: str) -> bool:
    return fold_accents(word.lower()) in PAGE_WORDS


def test_sound_alike_spellings_change_only_letters_that_sound_the_same():
    assert sound_alike("cabesa") == ["cabesa", "cabeza", "cavesa", "caveza"]
    assert "vomitar" in sound_alike("bomitar")
    assert "hongos" in sound_alike("ongos")
    # "c" spells the s sound only before e or i: "casa" is not a spelling of "sasa"
    assert "casa" not in sound_alike("sasa")


def test_a_rare_misspelling_by_sound_becomes_the_pages_word():
    assert respell_text("porq me duele la cabesa", known) == "porq me duele la cabeza"
    assert respell_text("tengo ganas de bomitar", known) == "tengo ganas de vomitar"
    assert respell("ongos", known) == "hongos"


def test_real_words_and_words_the_pages_use_are_left_alone():
    # "casa" is a common word (not a misspelling of "caza"), "tos" is a page word
    assert respell("casa", known) == "casa"
    assert respell("tos", known) == "tos"
    # a real but rare word with no sound-alike page word stays as written
    assert respell("estreñido", known) == "estreñido"
    # a misspelling whose sound-alike is not a page word stays as written
    assert respell("rrodilla", known) == "rrodilla"
