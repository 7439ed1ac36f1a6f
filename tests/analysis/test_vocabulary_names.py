"""The phrase table keeps each key's own names and drug names, so that a word reaching a concept
by its stem only, or a drug name a page of the same name holds, can be told apart."""

import pytest

from healthqa.analysis.vocabulary import Vocabulary, build_vocabulary


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory):
    built = build_vocabulary(
        [
            ("Adhesions", ("Scar tissue",), True),
            ("Pregnancy", (), True),
            ("Botox", (), True),
            # AVED stems to "ave", like the testosterone brand Aveed
            ("ataxia with vitamin E deficiency", ("AVED",), True),
        ]
    )
    path = tmp_path_factory.mktemp("vocab") / "vocabulary.sqlite"
    built.save(path)
    return Vocabulary.load(path)  # as an engine opens it


def _term(vocabulary, text):
    (term,) = vocabulary.find_terms(text)
    return term


def test_a_word_that_only_shares_a_pages_stem_is_marked(vocabulary):
    adhesive = _term(vocabulary, "adhesive")
    assert adhesive.concept == "Adhesions" and adhesive.stem_only
    assert not _term(vocabulary, "adhesions").stem_only
    assert not _term(vocabulary, "pregnancies").stem_only  # a plural is the name


def test_a_misspelt_drug_name_is_not_another_word(vocabulary):
    levothyroxin = _term(vocabulary, "levothyroxin")
    assert levothyroxin.concept == "Levothyroxine" and not levothyroxin.stem_only


def test_a_drug_name_held_by_a_page_of_the_same_name_is_still_a_drug(vocabulary):
    botox = _term(vocabulary, "botox")
    assert botox.concept == "Botox" and botox.vocabulary == "medquad" and botox.drug
    assert not _term(vocabulary, "pregnancy").drug


def test_an_everyday_word_does_not_link_a_drug_to_a_page(vocabulary):
    assert _term(vocabulary, "testosterone cypionate").concept == "Testosterone"
