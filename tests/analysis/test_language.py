"""Question language (lingua, en/es only) and the `lang` setting."""

import pytest

from healthqa.analysis.language import detect_language, resolve_language
from healthqa.config import Settings
from healthqa.errors import HealthqaError


@pytest.mark.parametrize(
    "question",
    [
        "¿Qué es la culebrilla?",
        "calambres en las piernas",
        "que causa la diabetes",
        "como se quita el hipo",
        "mi hijo tiene fiebre desde ayer",
        "¿Por qué ocurren los espasmos musculares?",
        "dolor de cabeza",
    ],
)
def test_spanish_questions_are_spanish(question):
    assert detect_language(question) == "es"


@pytest.mark.parametrize(
    "question",
    [
        "Why does spasm occur?",
        "What causes diabetes?",
        "leg cramps at night",
        "what helps a charley horse at night",
        "best pizza in town",
        "why do I get night knots in my legs?",
    ],
)
def test_english_questions_stay_english(question):
    assert detect_language(question) == "en"


def test_text_without_letters_is_english():
    assert detect_language("¿¿ 123 ??") == "en"


def test_an_explicit_language_wins_over_detection():
    assert resolve_language("que causa la diabetes", "en") == "en"
    assert resolve_language("what causes diabetes", "es") == "es"
    assert resolve_language("que causa la diabetes", "auto") == "es"


def test_unknown_languages_are_refused():
    with pytest.raises(HealthqaError, match="valid"):
        resolve_language("hola", "fr")
    with pytest.raises(HealthqaError, match="lang"):
        Settings(lang="fr")


@pytest.mark.parametrize("term", ["insomnia", "lupus", "Is fatigue a symptom of sarcoidosis?"])
def test_ambiguous_or_english_short_text_stays_english(term):
    assert detect_language(term) == "en"
