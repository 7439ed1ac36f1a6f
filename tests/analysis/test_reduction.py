"""reduce_question: a long message comes down to what it asks, in its own words."""

from __future__ import annotations

import json
import statistics
import time

import pytest

from healthqa.analysis.reduction import (
    FEATURES,
    MAX_WORDS,
    ScorerModel,
    default_model,
    keep_topic_sentence,
    load_model,
    reduce_question,
    split_subject,
)
from healthqa.errors import HealthqaError

STORY_EMAIL = (
    "Hello,\n"
    "My husband is 62 years old. He had a heart attack in 2019 and was put on three new "
    "medicines. Last month his doctor added atorvastatin 40 mg. Since then he has had bad "
    "muscle pain in his legs and he sleeps badly. Can atorvastatin cause muscle pain in the "
    "legs? We live in a small town far from the clinic.\n"
    "Thank you so much,\n"
    "Ann"
)


def test_a_story_email_reduces_to_its_question():
    assert reduce_question(STORY_EMAIL) == "Can atorvastatin cause muscle pain in the legs?"


def test_an_explicit_ask_without_question_mark_is_found():
    message = (
        "My daughter was born in March and the doctors found a hole in her heart. She is "
        "feeding well and gaining weight. I would like to know the treatment options for a "
        "ventricular septal defect. Our next visit is in June."
    )
    assert reduce_question(message) == (
        "I would like to know the treatment options for a ventricular septal defect."
    )


def test_a_short_question_passes_through_unchanged():
    for question in ("What are the symptoms of gout?", "how to taper off wellbutrin xl 150"):
        assert reduce_question(question) == question


def test_a_short_question_passes_through_after_cleaning():
    assert reduce_question("Hi, what are the symptoms of gout??? Thanks, Bob") == (
        "what are the symptoms of gout?"
    )


def test_the_subject_comes_in_front_when_it_names_what_the_message_does_not():
    assert reduce_question("are they gluten free", subject="amphetamine salts 20 mg") == (
        "amphetamine salts 20 mg: are they gluten free"
    )
    assert reduce_question("SUBJECT: Simvastatin\nMESSAGE: Why take it in the evening?") == (
        "Simvastatin: Why take it in the evening?"
    )


def test_a_subject_already_named_or_without_a_topic_is_left_out():
    assert reduce_question("Is dementia passed down in families?", subject="Dementia") == (
        "Is dementia passed down in families?"
    )
    assert reduce_question("How do you catch hepatitis?", subject="General health") == (
        "How do you catch hepatitis?"
    )
    assert (
        reduce_question(
            "SUBJECT: ClinicalTrials.gov - Question - general information\n"
            "MESSAGE: What are the first signs of stiff person syndrome?"
        )
        == "What are the first signs of stiff person syndrome?"
    )


@pytest.mark.parametrize(
    ("text", "subject", "message"),
    [
        ("SUBJECT: gout\nMESSAGE: what helps?", "gout", "what helps?"),
        ("subject: gout\nmessage: what helps?", "gout", "what helps?"),
        ("MESSAGE: what helps?", None, "what helps?"),
        (
            "who makes bromocriptine\ni am wondering who makes it",
            "who makes bromocriptine",
            "i am wondering who makes it",
        ),
        (
            "Stiff person syndrome. What are the early signs?",
            "Stiff person syndrome",
            "What are the early signs?",
        ),
        ("I am 53. What are the early signs?", None, "I am 53. What are the early signs?"),
        ("Hello\nwhat helps gout?", None, "Hello\nwhat helps gout?"),
    ],
)
def test_split_subject(text, subject, message):
    assert split_subject(text) == (subject, message)


def test_a_long_message_is_capped_and_keeps_its_question_mark():
    clause = "and my ankle swells up when I walk to the shops and back in the evening "
    question = f"Why does my knee hurt {clause * 8}?"
    reduced = reduce_question(f"I am 40 and I run every day. {question} I have no other problems.")
    assert len(reduced.split()) <= MAX_WORDS
    assert reduced.endswith("?")


@pytest.mark.parametrize("empty", ["", "   \n\t"])
def test_empty_input_gives_empty_text(empty):
    assert reduce_question(empty) == ""


def test_a_subject_alone_is_the_reduction():
    assert reduce_question("", subject="Shingles vaccine") == "Shingles vaccine"


def test_unicode_and_very_long_input():
    story = "My son Jos\u00e9 has had a fever of 39 \u00b0C for days \U0001f622 and coughs. " * 200
    question = "When should we see a doctor about Jos\u00e9\u2019s fever?"
    start = time.perf_counter()
    reduced = reduce_question(f"{story}{question}")
    assert time.perf_counter() - start < 1.0
    assert reduced == question


def test_the_shipped_model_names_known_features():
    model = default_model()
    assert set(model.features) <= set(FEATURES)
    assert len(model.weights) == len(model.features)


def test_a_model_with_an_unknown_feature_is_refused(tmp_path):
    path = tmp_path / "model.json"
    bad = {
        "format": 2,
        "features": ["is_first", "moon_phase"],
        "weights": [1, 2],
        "extra_share": 0.5,
    }
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(HealthqaError, match="moon_phase"):
        load_model(path)


def test_the_model_decides_which_question_is_kept():
    message = "Is gout hereditary? My father had gout. Can red meat cause gout?"
    first = ScorerModel(features=("is_first",), weights=(5.0,), extra_share=1.01)
    last = ScorerModel(features=("position",), weights=(5.0,), extra_share=1.01)
    assert reduce_question(message, model=first) == "Is gout hereditary?"
    assert reduce_question(message, model=last) == "Can red meat cause gout?"


def test_the_ask_is_kept_even_when_a_story_sentence_scores_best():
    message = "My father had gout for years. He eats red meat. Is gout hereditary?"
    story_first = ScorerModel(features=("is_first",), weights=(5.0,), extra_share=1.01)
    assert reduce_question(message, model=story_first) == (
        "My father had gout for years. Is gout hereditary?"
    )


# Measured with `python bench/reduction_rouge.py eval`; the floors leave ~2 points of margin
# for changes elsewhere (cleaning, sentence splitting) that move a few messages.
ROUGE1_FLOOR = {"meqsum-held-out": 0.22, "mediqa21-qs-valid": 0.21}
HELD_OUT_EVERY = 5  # as in bench/reduction_rouge.py: MeQSum rows with index % 5 == 0


@pytest.mark.integration
def test_reduction_rouge_stays_above_its_floor(shared_data):
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    meqsum = (shared_data / "meqsum" / "meqsum.jsonl").read_text(encoding="utf-8").splitlines()
    valid = (shared_data / "mediqa2021" / "qs-validation.jsonl").read_text(encoding="utf-8")
    sets = {
        "meqsum-held-out": [json.loads(r) for i, r in enumerate(meqsum) if i % HELD_OUT_EVERY == 0],
        "mediqa21-qs-valid": [json.loads(r) for r in valid.splitlines()],
    }
    for name, rows in sets.items():
        rouge1 = statistics.fmean(
            scorer.score(r["summary"], reduce_question(r["question"]))["rouge1"].fmeasure
            for r in rows
        )
        assert rouge1 >= ROUGE1_FLOOR[name], f"{name}: ROUGE-1 {rouge1:.3f}"


def test_the_sentence_naming_the_topic_is_kept_when_the_question_names_none():
    message = "Mother has inherited rickets. Passing A child but not B child. How likely is it?"
    names_rickets = lambda text: "rickets" in text  # noqa: E731
    assert (
        keep_topic_sentence("How likely is it?", message, names_rickets)
        == "Mother has inherited rickets. How likely is it?"
    )
    assert keep_topic_sentence("Is rickets inherited?", message, names_rickets) == (
        "Is rickets inherited?"
    )
    no_topic = "Nothing here. How likely is it?"
    assert keep_topic_sentence("How likely is it?", no_topic, names_rickets) == "How likely is it?"
