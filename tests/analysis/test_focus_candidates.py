"""Focus candidates beyond the reduced question: the subject line, and a topic named in a
sentence that reduction left out."""

import sqlite3
from collections import Counter

import pytest

from healthqa.analysis.analyzer import Analyzer
from healthqa.analysis.reduction import message_subject
from healthqa.analysis.spelling import SpellingCorrector, save_words
from healthqa.analysis.vocabulary import build_vocabulary


@pytest.fixture(scope="module")
def analyzer():
    vocabulary = build_vocabulary(
        [
            ("Prinzmetal's variant angina", ("Coronary artery spasm",), True),
            ("Muscle Cramps", ("Spasms",), True),
            ("Gastritis", (), True),
            ("gastrointestinal stromal tumor", ("GIST",), True),
            ("Abetalipoproteinemia", ("ABL",), True),
        ]
    )
    db = sqlite3.connect(":memory:", check_same_thread=False)
    save_words(db, Counter())
    return Analyzer(vocabulary, SpellingCorrector(db))


def test_the_subject_line_is_a_focus_candidate_when_reduction_drops_it(analyzer):
    question = analyzer.analyze(
        "Coronary Artery Spasms\nI ask this as a general question. "
        "Can a pacemaker help prevent these spasms?"
    )
    concepts = [t.concept for t in question.terms]
    assert "Coronary" not in question.summary  # the subject shares "spasms" with the question
    assert concepts == ["Muscle Cramps", "Prinzmetal's variant angina"]
    assert question.focus == "Prinzmetal's variant angina"  # the longer name of the two


def test_a_page_named_outside_the_summary_is_a_candidate_after_the_summarys(analyzer):
    message = "My father has had gastritis for years. A scan found a small GIST. What now?"
    terms = analyzer.find_terms(message, "He has gastritis. What now?", message)
    assert [t.concept for t in terms] == ["Gastritis", "gastrointestinal stromal tumor"]


def test_an_everyday_word_in_the_message_adds_no_candidate(analyzer):
    message = "I am not able to sleep. My stomach hurts from gastritis. What helps?"
    terms = analyzer.find_terms(message, "What helps?", message)
    assert [t.concept for t in terms] == ["Gastritis"]


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Coronary Artery Spasms\nCan a pacemaker help?", "Coronary Artery Spasms"),
        ("Re: MMR vaccine.\nDo adults need it again?", "MMR vaccine"),
        ("Hello doctor\nCan a pacemaker help?", ""),  # a greeting is no subject
        ("Can a pacemaker help prevent spasms of the coronary arteries?", ""),
    ],
)
def test_the_subject_line_of_a_message(text, subject):
    assert message_subject(text) == subject
