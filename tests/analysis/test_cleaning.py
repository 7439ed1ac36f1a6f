"""clean_message: the e-mail goes, the medical content stays."""

from __future__ import annotations

import time

import pytest

from healthqa.analysis.cleaning import clean_message

EMAIL = (
    "Hello doctor,\n"
    "My mother is 78 and was diagnosed with type 2 diabetes in 2015. She takes metformin\n"
    "500 mg twice a day. Is it safe for her to take ibuprofen for her knee pain???\n"
    "Thanks in advance for your help!!\n"
    "Mary Smith\n"
    "Sent from my iPhone"
)


def test_greeting_and_signature_go_medical_content_stays():
    cleaned = clean_message(EMAIL)
    assert cleaned.startswith("My mother is 78")
    assert cleaned.endswith("Is it safe for her to take ibuprofen for her knee pain?")
    for gone in ("Hello", "Thanks", "Mary Smith", "iPhone"):
        assert gone not in cleaned
    for kept in ("type 2 diabetes", "2015", "metformin 500 mg twice a day"):
        assert kept in cleaned


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Hi, what causes gout?", "what causes gout?"),
        ("Hello can you tell me what gout is?", "can you tell me what gout is?"),
        ("Dear Sir/Madam, what causes gout?", "what causes gout?"),
        ("Dear Dr. Smith,\nWhat causes gout?", "What causes gout?"),
        ("Hi, dear doctor, what causes gout?", "what causes gout?"),
        ("Good morning. What causes gout?", "What causes gout?"),
    ],
)
def test_greetings_are_dropped(message, expected):
    assert clean_message(message) == expected


@pytest.mark.parametrize(
    "sign_off",
    [
        "Thank you",
        "Thank you very much for your time.",
        "thanks",
        "Regards,\nJohn",
        "Kind regards, John Smith",
        "Sincerely,\nJane Doe\nSpringfield, IL",
        "Thanking you.",
        "God bless",
    ],
)
def test_sign_offs_are_dropped(sign_off):
    assert clean_message(f"What causes gout? {sign_off}") == "What causes gout?"


def test_a_closing_word_inside_a_sentence_is_content():
    for message in (
        "I'm doing better thanks to the new drug but my legs hurt.",
        "What is the best, cheapest way to treat acne.",
        "I wrote to thank you and to ask whether my son should stop the inhaler at school.",
    ):
        assert clean_message(message) == message


def test_a_thanks_sentence_between_questions_goes():
    assert clean_message("Thank you. I also want to know about gout.") == (
        "I also want to know about gout."
    )


def test_quoted_reply_and_signature_block_go():
    message = (
        "Does vitamin D help with MS?\n"
        "> On the earlier question you wrote\n"
        "> that it may.\n"
        "-- \n"
        "Jane Doe, 12 Elm Street"
    )
    assert clean_message(message) == "Does vitamin D help with MS?"


def test_contact_details_go_and_doses_and_years_stay():
    message = (
        "Call me at (555) 123-4567 or write to joe@example.com, see https://example.org/a?b=1 "
        "or www.example.org. Is 10 mg of warfarin since 2010 ok?"
    )
    cleaned = clean_message(message)
    for gone in ("555", "joe@", "example.org", "https"):
        assert gone not in cleaned
    assert "Is 10 mg of warfarin since 2010 ok?" in cleaned


def test_anonymisation_tags_and_form_boilerplate_go():
    message = (
        "ClinicalTrials.gov - Question - general information. My name is [NAME] and my "
        "e-mail is [CONTACT] (mailto:[CONTACT]). What is exon skipping?"
    )
    cleaned = clean_message(message)
    assert "[" not in cleaned and "ClinicalTrials" not in cleaned and "mailto" not in cleaned
    assert cleaned.endswith("What is exon skipping?")


def test_repeated_punctuation_and_whitespace_collapse():
    assert clean_message("Is  it   safe?!?!  Really!!!   Wow.....") == "Is it safe? Really! Wow..."
    assert clean_message("A rare syndrome...There is little news.") == (
        "A rare syndrome... There is little news."
    )


def test_hard_wraps_are_joined_and_sentence_breaks_kept():
    message = "I have had a cough for\nthree weeks.\nShould I see a doctor?"
    assert clean_message(message) == "I have had a cough for three weeks.\nShould I see a doctor?"


@pytest.mark.parametrize("empty", ["", "   ", "\n\t \n"])
def test_empty_input_gives_empty_text(empty):
    assert clean_message(empty) == ""


def test_a_message_that_is_only_a_pleasantry_is_kept_rather_than_emptied():
    assert clean_message("  Thank   you!  ") == "Thank you!"
    assert clean_message("> only a quoted line") == "> only a quoted line"


def test_unicode_is_normalised_not_lost():
    cleaned = clean_message("Caf\u00e9-au-lait spots\u200b on my son\u2019s back\uff1f")
    assert cleaned == "Caf\u00e9-au-lait spots on my son\u2019s back?"
    assert clean_message("\u00bfQu\u00e9 es la diabetes?") == "\u00bfQu\u00e9 es la diabetes?"


def test_very_long_input_is_cleaned_quickly():
    story = "My knee hurts when I walk up the stairs and it swells at night. " * 150
    message = f"Hi,\n{story}What should I do? Thanks, Bob"
    start = time.perf_counter()
    cleaned = clean_message(message)
    assert time.perf_counter() - start < 1.0
    assert cleaned.startswith("My knee hurts") and cleaned.endswith("What should I do?")
