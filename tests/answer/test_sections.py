"""A source sentence goes to the section its own words say it belongs to."""

import pytest

from healthqa.answer import sections as S
from healthqa.answer.sections import section_for


@pytest.mark.parametrize(
    ("sentence", "section"),
    [
        ("You can try - Breathing into a paper bag - Holding your breath", S.WHAT_HELPS),
        ("Lifestyle changes, such as moderate exercise during the day, can help.", S.WHAT_HELPS),
        ("If those don't work, medicines may reduce the symptoms of RLS.", S.WHAT_HELPS),
        ("The first symptom is usually a rash, which may look like a bull's eye.", S.SYMPTOMS),
        ("If your child is too young to say so, here are a few things to look for", S.SYMPTOMS),
        ("It spreads quickly where there is frequent skin-to-skin contact.", S.CAUSES),
        ("Anemia has three main causes: blood loss and low production.", S.CAUSES),
        ("You can get it if you don't brush and floss regularly.", S.CAUSES),
        ("Call your doctor if the rash spreads quickly.", S.SEE_A_DOCTOR),
    ],
)
def test_sentence_cues_choose_the_section(sentence, section):
    assert section_for(sentence, "information") == section


def test_without_a_cue_the_sentence_keeps_its_answers_section():
    assert section_for("Most people feel better in a week.", "outlook") == S.OUTLOOK
