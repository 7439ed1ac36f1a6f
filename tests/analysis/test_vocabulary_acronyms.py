"""An acronym in the phrase table is matched as written: a word that only shares its stem
("able" for ABL, "recovered" for the drug ReCOV) or an everyday word in lower case ("the" for
THE syndrome) is not it; written in capitals it always is, even when its stem is a word."""

import pytest

from healthqa.analysis.vocabulary import Vocabulary, build_vocabulary, is_acronym


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory):
    built = build_vocabulary(
        [
            ("Abetalipoproteinemia", ("ABL",), True),
            ("trichohepatoenteric syndrome", ("THE syndrome",), True),
            ("gastrointestinal stromal tumor", ("GIST",), True),
            ("Ehlers-Danlos syndrome", ("EDS",), True),
            ("Sudden infant death syndrome", ("SIDS",), True),
            ("Spinocerebellar ataxia 3", ("SCA3",), True),
        ]
    )
    path = tmp_path_factory.mktemp("vocab") / "vocabulary.sqlite"
    built.save(path)
    return Vocabulary.load(path)  # as an engine opens it


def _concepts(vocabulary, text):
    return [t.concept for t in vocabulary.find_terms(text)]


@pytest.mark.parametrize(
    "text",
    ["I am able to walk", "I recovered well", "could I have the syndrome too", "ED drugs"],
)
def test_a_word_sharing_an_acronyms_stem_is_not_the_acronym(vocabulary, text):
    assert _concepts(vocabulary, text) == []


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("my son has ABL", "Abetalipoproteinemia"),
        ("what is THE syndrome", "trichohepatoenteric syndrome"),
        ("diagnosed with SCA3 last year", "Spinocerebellar ataxia 3"),
        ("diagnosed with sca3 last year", "Spinocerebellar ataxia 3"),  # no word in lower case
        ("they found two GISTs", "gastrointestinal stromal tumor"),  # a plural
    ],
)
def test_an_acronym_as_written_reaches_its_concept(vocabulary, text, concept):
    assert _concepts(vocabulary, text) == [concept]


def test_an_acronym_whose_stem_is_a_common_word_is_kept_in_capitals(vocabulary):
    # "EDS" stems to "ed", too common to be a name: once left out of the table altogether
    assert _concepts(vocabulary, "genetic testing for EDS") == ["Ehlers-Danlos syndrome"]


def test_an_acronym_in_capitals_is_not_the_everyday_word(vocabulary):
    (written,) = vocabulary.find_terms("a report on SIDS")
    (lower,) = vocabulary.find_terms("a report on sids")
    assert not written.weak and lower.weak  # "sids" stems to "sid", a name in English


def test_capitals_say_nothing_in_a_message_written_all_in_capitals(vocabulary):
    assert _concepts(vocabulary, "IS THE SYNDROME CATCHING") == []
    assert _concepts(vocabulary, "Is THE syndrome catching") == ["trichohepatoenteric syndrome"]


@pytest.mark.parametrize(
    ("word", "acronym"),
    [("ABL", True), ("ReCOV", True), ("SCA3", True), ("mRNA", True)]
    + [("McArdle", False), ("II", False), ("Able", False), ("gist", False)],
)
def test_what_counts_as_an_acronym(word, acronym):
    assert is_acronym(word) is acronym
