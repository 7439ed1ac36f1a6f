"""A drug the message names but the answer does not speak of is said, not left for the reader
to assume it was covered (issue 9, no drift)."""

from __future__ import annotations

import json

from healthqa.answer.subject import story_drugs

STORY_DRUG = "I have taken rabeprazole every morning for two years. What helps sniffle fever?"
ASKS_THE_DRUG = "What are the side effects of Aciphex?"


def test_an_answer_on_the_condition_says_which_drug_of_the_message_it_does_not_cover(
    drug_engine,
):
    answer = drug_engine.ask(STORY_DRUG)
    assert not answer.abstained, answer.text
    assert any("rabeprazole" in label.lower() for label in answer.uncovered)
    body = answer.body
    line = answer.uncovered_line
    assert line.startswith("Not covered by this answer:") and "rabeprazole" in line.lower()
    assert body.index(line) < body.index(answer.sections[0].title)  # before the sections
    assert json.loads(json.dumps(answer.to_dict()))["uncovered"] == list(answer.uncovered)


def test_the_line_counts_within_the_word_cap(drug_engine):
    for cap in (40, 80):
        answer = drug_engine.ask(STORY_DRUG, max_words=cap)
        assert answer.uncovered and answer.words <= cap, (cap, answer.words, answer.body)


def test_no_line_when_the_answer_speaks_of_the_drug(drug_engine):
    answer = drug_engine.ask(ASKS_THE_DRUG)
    assert not answer.abstained and "Rabeprazole" in {c.title for c in answer.citations}
    assert answer.uncovered == () and "Not covered" not in answer.text


def test_no_line_when_the_message_names_no_drug(drug_engine):
    text = "What helps sniffle fever?"
    question = drug_engine.analyze(text)
    assert not story_drugs(
        question, drug_engine.drug_pages, drug_engine.analyzer.vocabulary.find_terms
    )
    answer = drug_engine.ask(text)
    assert answer.uncovered == () and "Not covered" not in answer.text
