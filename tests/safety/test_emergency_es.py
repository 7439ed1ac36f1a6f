"""Spanish emergency cues (data/emergency_cues_es.json): every Spanish danger question gets
the Spanish notice, no ordinary Spanish question gets one, and every group cites a
MedlinePlus en español page."""

import json
from importlib import resources

import pytest

from healthqa.analysis.emergency import (
    EmergencyFinding,
    detect_emergency,
    emergency_notice,
    fold_accents,
)

from .conftest import read_questions


@pytest.mark.parametrize("question", read_questions("emergency_es"))
def test_every_spanish_emergency_question_is_detected(question):
    finding = detect_emergency(question, language="es")
    assert finding.emergency, question


@pytest.mark.parametrize("question", read_questions("ordinary_es"))
def test_no_ordinary_spanish_question_is_an_emergency(question):
    assert detect_emergency(question, language="es") == EmergencyFinding(emergency=False)


def test_the_ordinary_list_is_long_enough():
    assert len(read_questions("ordinary_es")) >= 40


@pytest.mark.parametrize(
    ("question", "kind", "words"),
    [
        ("tengo dolor en el pecho y me falta el aire", "emergency", ["Llame al 911"]),
        ("quiero suicidarme", "crisis", ["988", "oprima 2"]),
        ("mi hijo se tragó unas pastillas", "poison", ["Poison Help", "1-800-222-1222"]),
    ],
)
def test_the_notice_is_in_spanish(question, kind, words):
    finding = detect_emergency(question, language="es")
    assert finding.kinds == (kind,)
    notice = emergency_notice(finding, language="es")
    for word in words:
        assert word.lower() in notice.lower()
    assert "call" not in notice.lower().split()


def test_accents_do_not_matter():
    with_accents = detect_emergency("tiene la cara caída", language="es")
    without = detect_emergency("tiene la cara caida", language="es")
    assert with_accents.emergency and without.emergency
    assert fold_accents("Señal caída") == "Senal caida"


def test_spanish_negation_cancels_a_sign():
    assert not detect_emergency(
        "no tengo dolor en el pecho ni falta de aire", language="es"
    ).emergency


def test_english_cues_are_unchanged_by_default():
    assert detect_emergency("I have chest pain and I'm sweating").emergency
    assert not detect_emergency("tengo dolor en el pecho y me falta el aire").emergency


def test_every_spanish_group_cites_a_medlineplus_spanish_page():
    data = json.loads(
        resources.files("healthqa").joinpath("data/emergency_cues_es.json").read_text()
    )
    for group in data["groups"]:
        urls = [s["url"] for s in group["sources"]]
        assert any(u.startswith("https://medlineplus.gov/spanish/") for u in urls), group["id"]


@pytest.mark.parametrize(
    "question",
    [
        "mi abuelo se cayó de la escalera, se golpeó la cabeza y ahora tiene convulsiones",
        "mi hija tiene fiebre, le duele mucho la cabeza y tiene el cuello rígido",
        "mi tío estuvo en el campo bajo el sol y ya no suda, tiene la piel caliente y seca",
    ],
)
def test_head_injury_meningitis_and_heat_stroke_signs_are_emergencies(question):
    # by the patterns alone: the session-22 groups of MedlinePlus en español's head injury,
    # headache and heat illness pages
    assert detect_emergency(question, by_meaning=False, language="es").kinds == ("emergency",)


@pytest.mark.parametrize(
    "question",
    [
        "¿el calor puede causar confusión en las personas mayores?",
        "¿qué hacer si alguien tiene un golpe de calor?",
        "mi hijo se golpeó la cabeza ayer pero no vomitó, ¿hay que vigilarlo?",
    ],
)
def test_questions_about_those_signs_are_not_emergencies(question):
    assert not detect_emergency(question, by_meaning=False, language="es").emergency


@pytest.mark.parametrize(
    ("question", "words"),
    [
        # session 23 groups, each from a MedlinePlus en español page (cue file sources)
        ("a mi tío le cayó aceite hirviendo en la pierna y está muy pálido y confundido", ["911"]),
        ("mi hermano tocó un cable pelado y ahora tiene palpitaciones", ["911"]),
        ("mi papá es diabético, se puso la insulina y ahora no responde", ["911"]),
        ("mi esposa está vomitando sangre", ["911"]),
        ("mi abuelo se desplomó en el patio", ["911"]),
        ("de repente me dio un dolor de barriga horrible, no lo aguanto", ["911"]),
        ("tenemos el generador prendido en el garaje y todos estamos mareados", ["Poison Help"]),
        ("mi hija se bebió el limpiador de hornos", ["Poison Help", "1-800-222-1222"]),
        ("mi amigo se tomó un frasco de oxicodona y respira muy lento", ["Poison Help", "911"]),
    ],
)
def test_new_spanish_danger_signs_get_the_spanish_notice(question, words):
    finding = detect_emergency(question, by_meaning=False, language="es")
    notice = emergency_notice(finding, language="es")
    assert finding.emergency, question
    for word in words:
        assert word.lower() in notice.lower()


@pytest.mark.parametrize(
    "question",
    [
        "me quemé con el horno y tengo una ampolla pequeña, ¿qué me pongo?",
        "¿cuáles son los síntomas del envenenamiento por monóxido de carbono?",
        "mi papá es diabético y tiene el azúcar en 180, ¿es mucho?",
        "hice popo negra después de tomar hierro, ¿es normal?",
        "mi hijo de 10 años no se despierta temprano para ir a la escuela",
        "mi hija no me responde cuando le hablo, ¿puede ser un problema de audición?",
        "tenemos una estufa de gas en la casa y a veces me duele la cabeza",
        "¿es normal tener la panza dura en el embarazo?",
        "tomo agua con cloro de la llave, ¿es malo?",
        "mi esposo ronca y a veces deja de respirar cuando duerme",
        "me duele la barriga cuando tengo hambre",
    ],
)
def test_calm_questions_near_the_new_groups_get_no_notice(question):
    assert not detect_emergency(question, by_meaning=False, language="es").emergency


@pytest.mark.parametrize(
    ("question", "group"),
    [
        # session 25 groups, the English groups the Spanish cues lacked (cue file sources)
        ("mi bebé de 3 semanas tiene 38.5 de fiebre", "young_infant_fever"),
        ("mi hijo tiene fiebre, el cuello tieso y está muy confundido", "meningitis"),
        ("mi papá tiene pulmonía y ahora está desorientado y respira muy rápido", "sepsis"),
        ("mi hija diabética está vomitando y el aliento le huele a fruta", "high_blood_sugar"),
        ("tengo palpitaciones y siento que me voy a desmayar", "fast_heartbeat"),
        ("mi esposo está tosiendo mucha sangre", "blood_from_mouth"),
        ("mi hijo se atoró con un dulce y no puede toser", "cannot_breathe"),
        ("mi hijo se cortó con un cuchillo y la sangre no para", "severe_bleeding"),
        ("mi hermana escribió una carta de despedida y no contesta", "suicide_self_harm"),
        ("el asma de mi hijo está muy mal y el inhalador no le hace nada", "cannot_breathe"),
        ("mi papá se desmayó y no vuelve en sí", "unresponsive"),
        ("mi tío tiene la piel caliente y seca y está confundido", "heat_stroke"),
    ],
)
def test_the_spanish_groups_the_english_cues_had_are_found(question, group):
    assert group in detect_emergency(question, by_meaning=False, language="es").groups


@pytest.mark.parametrize(
    "question",
    [
        "tengo palpitaciones cuando tengo ansiedad, ¿es normal?",
        "mi hijo de 2 años tiene 38 de fiebre, ¿cuánto paracetamol le doy?",
        "mi bebé de 4 meses tiene 38 de fiebre después de la vacuna",
        "¿la sepsis causa confusión?",
        "toso con flema y un poco de sangre cuando tengo gripa",
        "¿qué es una nota de despedida en el trabajo?",
        "mi hijo tiene diabetes tipo 1, ¿cada cuánto reviso las cetonas?",
        "mi abuela tiene una infección de orina y está tomando antibiótico",
        "mi hijo tiene asma y el salbutamol no le quita la tos de la noche",
        "mi mamá se desmayó ayer, volvió en sí enseguida, ¿qué examen le hacen?",
        "la piel de mi abuelo está seca y caliente en verano, ¿qué crema uso?",
    ],
)
def test_calm_questions_near_the_session_25_groups_get_no_notice(question):
    assert not detect_emergency(question, by_meaning=False, language="es").emergency
