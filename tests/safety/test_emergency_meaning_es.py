"""The Spanish check by meaning (analysis/emergency_meaning_es.py): a Spanish paraphrase no
pattern has gets the Spanish notice, an ordinary question or a past event gets none, and the
person gate, negation and past clauses read Spanish. The first tests use a tiny fixture
classifier over a fixture encoder, whose answers can be checked by hand; the last ones the
shipped classifier and USE encoder (skipped when not installed)."""

from __future__ import annotations

import numpy as np
import pytest

from healthqa.analysis.emergency import EmergencyFinding, detect_emergency, emergency_notice
from healthqa.analysis.emergency_meaning import Description
from healthqa.analysis.emergency_meaning_es import (
    DIMENSION,
    OTHER_EMERGENCY,
    SpanishEmergencyClassifier,
    SpanishMeaningCheck,
    describes_person,
    negates,
    spans,
    without_past,
)

from .conftest import read_lines

# Fixture encoder: one dimension per idea, so each window's vector is known by hand.
IDEAS = ("elefante", "golpe", "asma")


class IdeaEncoder:
    def encode(self, texts):
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for row, text in enumerate(texts):
            for column, idea in enumerate(IDEAS):
                out[row, column] = 1.0 if idea in text.lower() else 0.0
            out[row, DIMENSION - 1] = 1.0  # never zero
        return out


@pytest.fixture
def fixture_check() -> SpanishMeaningCheck:
    coef = np.zeros(DIMENSION)
    coef[0] = coef[1] = 10.0  # "elefante" and "golpe" are emergencies, "asma" is not
    classifier = SpanishEmergencyClassifier(
        features=[f"v{i}" for i in range(DIMENSION)],
        mean=np.zeros(DIMENSION),
        scale=np.ones(DIMENSION),
        coef=coef,
        intercept=-5.0,
        threshold=0.9,
    )
    descriptions = [
        Description("chest", "heart_attack", "an elefante on my chest", "s"),
        Description("headache", "sudden_severe_headache", "a golpe in the head", "s"),
    ]
    return SpanishMeaningCheck(classifier, IdeaEncoder(), descriptions)


def test_a_paraphrase_no_pattern_has_gets_the_spanish_notice(fixture_check):
    question = "siento como un elefante sentado en el pecho"
    assert not detect_emergency(question, language="es", by_meaning=False).emergency
    finding = detect_emergency(question, language="es", meaning=fixture_check)
    assert finding.groups == ("heart_attack",) and finding.similar_to == ("chest",)
    notice = emergency_notice(finding, language="es")
    assert "Llame al 911" in notice and "call" not in notice.lower().split()


def test_an_english_group_the_spanish_cues_lack_is_another_emergency(fixture_check):
    finding = detect_emergency(
        "mi hijo se dio un golpe muy feo", meaning=fixture_check, language="es"
    )
    assert finding.groups == (OTHER_EMERGENCY,) and finding.kinds == ("emergency",)


@pytest.mark.parametrize(
    "question",
    [
        "mi hijo tiene asma, ¿cómo se trata?",  # ordinary, told of a person
        "¿qué significa sentir un elefante en el pecho?",  # no one: the gate
        "no siento ningún elefante en el pecho",  # negated
        "hace 2 años sentí un elefante en el pecho, ¿qué debo comer?",  # past
    ],
)
def test_ordinary_negated_and_past_questions_get_no_notice(fixture_check, question):
    finding = detect_emergency(question, language="es", meaning=fixture_check)
    assert finding == EmergencyFinding(emergency=False), question


@pytest.mark.parametrize(
    ("window", "person"),
    [
        ("tengo un dolor horrible", True),
        ("me duele la cabeza", True),
        ("mi mamá se siente rara", True),
        ("el niño de 3 años vomitó", True),
        ("se tragó una pila", True),
        ("¿qué vacunas necesita un bebé de dos meses?", False),
        ("¿qué es un derrame cerebral?", False),
    ],
)
def test_the_spanish_person_gate(window, person):
    assert describes_person(window) is person


def test_negation_reads_the_cue_files_words_but_not_its_danger_negations():
    assert negates("no tiene dolor en el pecho")
    assert negates("sin fiebre")
    assert not negates("mi bebé no puede respirar")
    assert not negates("mi suegro no responde")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("mi papá tuvo un infarto hace 2 años", ""),
        ("a mi mamá le dio un derrame el año pasado", ""),
        ("cuando era niño me dieron convulsiones", ""),
        ("mi hijo ya está en tratamiento por depresión", ""),
        ("tuvo un infarto hace 2 años y ahora le duele el pecho", "y ahora le duele el pecho"),
        (
            "mi hija está convulsionando desde hace 6 minutos",
            "mi hija está convulsionando desde hace 6 minutos",
        ),
    ],
)
def test_past_clauses_are_blanked_out(text, kept):
    current = " ".join(without_past(text).split())
    assert current == kept


def test_a_past_event_is_no_emergency_for_the_patterns_either():
    past = "a mi mamá le dio un derrame el año pasado, ¿cuánto tarda en recuperarse?"
    assert not detect_emergency(past, language="es", by_meaning=False).emergency
    now = "a mi mamá le dio un derrame el año pasado y ahora tiene la cara caída"
    assert detect_emergency(now, language="es", by_meaning=False).emergency


def test_the_windows_compared_drop_the_past_and_the_ungated():
    assert spans("mi papá tuvo un infarto hace 2 años. ¿Qué puede comer?") == ()
    assert spans("¿qué es un infarto?") == ()
    assert spans("siento un elefante en el pecho") == ("siento un elefante en el pecho",)


@pytest.fixture(scope="module")
def shipped():
    from healthqa.analysis.emergency_meaning_es import default_meaning_es

    check = default_meaning_es()
    if check is None:
        pytest.skip("the Spanish classifier or the USE encoder is not installed")
    return check


def _unflagged_by_patterns(name: str) -> list[str]:
    return [
        q
        for q in read_lines(name)
        if not detect_emergency(q, language="es", by_meaning=False).emergency
    ]


def test_the_shipped_check_finds_spanish_paraphrases_the_patterns_miss(shipped):
    missed = _unflagged_by_patterns("emergency_es_dev2.txt")
    found = [q for q in missed if detect_emergency(q, language="es", meaning=shipped).emergency]
    # Measured: 8 of the 19 the patterns miss (docs/safety.md); 11 since session 19's refit (the
    # signs of pages that call their condition an emergency); a floor with a noise margin.
    assert len(found) >= 9, sorted(set(missed) - set(found))


@pytest.mark.parametrize("name", ["ordinary_es_questions.txt", "ordinary_es_dev2.txt"])
def test_the_shipped_check_adds_no_alarm_on_ordinary_spanish_questions(shipped, name):
    alarms = [
        q for q in read_lines(name) if detect_emergency(q, language="es", meaning=shipped).emergency
    ]
    assert alarms == []


def test_a_negated_spanish_window_is_read_by_the_negation_check_only(fixture_check):
    from healthqa.analysis.emergency_meaning import EitherCheck
    from healthqa.analysis.emergency_meaning_es import negated

    text = "mi papá no tiene fiebre, siento un elefante en el pecho"
    assert fixture_check.matches(text) == []  # the classifier never reads a negated window
    negation = SpanishMeaningCheck(
        fixture_check.classifier, IdeaEncoder(), fixture_check.descriptions, select=negated
    )
    both = EitherCheck([fixture_check, negation])
    assert detect_emergency(text, language="es", meaning=both).emergency
    assert negation.matches("siento un elefante en el pecho") == []  # no negation: not its own


def test_the_shipped_spanish_negation_model_was_fitted_for_its_encoder(shipped):
    from healthqa.analysis.emergency_meaning_es import (
        CLASSIFIER_ENCODER_ID,
        SpanishNegationClassifier,
    )

    model = SpanishNegationClassifier.load()
    assert model.info["model_id"] == CLASSIFIER_ENCODER_ID
    assert "training data only" in model.info["note"]
    assert 0.5 < model.threshold < 1.0
    assert len(shipped.checks) == 2
