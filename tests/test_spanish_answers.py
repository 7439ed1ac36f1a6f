"""A Spanish question gets a Spanish answer: abstain message, disclaimer, emergency notice
and section titles in Spanish; an English question stays English."""

from dataclasses import replace

import pytest

from healthqa.answer.localize import localize
from healthqa.records import Answer, Question, Section, Sentence


def test_spanish_question_without_spanish_sources_abstains_in_spanish(fixture_engine):
    answer = fixture_engine.ask("¿Qué causa la fiebre del resfriado?")
    assert answer.abstained and answer.language == "es"
    assert "No encontré una respuesta confiable" in answer.text
    assert "no un diagnóstico" in answer.text
    assert "collection add medlineplus-es" in answer.text
    assert not answer.citations  # never a silent switch to English sources
    assert answer.to_dict()["analysis"]["language"] == "es"


def test_spanish_emergency_gets_the_spanish_notice(fixture_engine):
    answer = fixture_engine.ask("mi papá tiene dolor en el pecho y está sudando frío")
    assert answer.emergency
    assert "Llame al 911" in answer.text


def test_lang_en_keeps_an_english_answer(fixture_engine):
    answer = fixture_engine.ask("why do I get night knots in my legs?", lang="auto")
    assert answer.language == "en" and not answer.abstained
    assert "not a diagnosis" in answer.text and "Sources" in answer.text


def test_lang_es_forces_spanish(fixture_engine):
    answer = fixture_engine.ask("why do I get night knots in my legs?", lang="es")
    assert answer.language == "es" and "No encontré" in answer.text


def test_section_titles_and_sources_heading_are_spanish():
    question = Question(raw="¿Por qué?", text="¿Por qué?", language="es")
    answer = Answer(
        question=question,
        sections=(
            Section("Causes", (Sentence("Las causas incluyen la deshidratación.", (1,)),)),
            Section("When to see a doctor", (Sentence("Llame a su médico.", (1,)),)),
        ),
    )
    text = localize(answer).text
    assert "Causas\n" in text
    assert "Cuándo consultar a un profesional de la salud\n" in text
    assert "información de salud" in text and "no un diagnóstico" in text
    english = replace(answer, question=replace(question, language="en"))
    assert "Causes\n" in localize(english).text


def test_spanish_question_types_come_from_the_multilingual_prototypes():
    from healthqa.analysis.qtype_es import default_qtype

    classify = default_qtype()
    assert classify("que causa la diabetes") == "causes"
    assert classify("¿Cuáles son los síntomas de la gripe?") == "symptoms"
    assert classify("¿quién tiene más riesgo de tener calambres?") == "susceptibility"


def test_spanish_lay_wordings_get_their_type_with_the_lay_questions_blended_in():
    """Our own wordings, none from lay_questions_es.jsonl; the MedQuAD-only prototypes read
    the first as a test and the second as a cause."""
    from healthqa.analysis.qtype_es import default_qtype

    classify = default_qtype()
    assert classify("que puedo tomar para el dolor de la gastritis") == "treatment"
    assert classify("que es la fibromialgia") == "information"
    assert classify("como le hago para que a mis hijos no les de dengue") == "prevention"
    assert classify("por que me salen tantas aftas en la boca") == "causes"


@pytest.mark.xfail(strict=True, reason="Spanish prototypes: informal wordings read information")
@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("cuales son las primeras senales de la diabetes", "symptoms"),
        ("como saben los doctores si uno tiene anemia", "exams and tests"),
    ],
)
def test_spanish_lay_wordings_the_prototypes_still_miss(question, qtype):
    from healthqa.analysis.qtype_es import default_qtype

    assert default_qtype()(question) == qtype
