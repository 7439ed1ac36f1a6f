"""What each Spanish page says about symptoms: a page other pages give as a symptom (Tos) is
told apart from a disease, and a page's best cosine on symptoms reaches all its rows."""

import numpy as np

from healthqa.records import Passage
from healthqa.retrieval.symptoms_es import on_symptoms, symptom_pages


def passage(title: str, section: str, *sentences: str, number: int = 0) -> Passage:
    slug = title.lower().replace(" ", "-")
    return Passage(
        id=f"es:{slug}#{number}#0",
        doc_id=f"es:{slug}#{number}",
        sentences=sentences,
        title=title,
        focus=title,
        collection="es",
        page=f"es:{slug}",
        section=section,
        language="es",
    )


PAGES = [
    passage("Tos", "", "La tos es un reflejo que mantiene despejada la garganta."),
    passage("Neumonía", "", "La neumonía es una infección de los pulmones."),
    passage(
        "Neumonía",
        "¿Cuáles son los síntomas de la neumonía?",
        "Puede tener tos con flema, fiebre y dificultad para respirar.",
        number=1,
    ),
    passage("Gripe", "", "Los síntomas de la gripe incluyen fiebre, tos y dolores musculares."),
    passage("Pulmonía en inglés", "", "Pneumonia."),
]


def test_sentences_on_symptoms_are_those_under_a_symptom_heading_or_that_speak_of_them():
    assert on_symptoms(PAGES[2]) == list(PAGES[2].sentences)
    assert on_symptoms(PAGES[3]) == list(PAGES[3].sentences)
    assert on_symptoms(PAGES[0]) == []


def test_a_page_other_pages_give_as_a_symptom_is_said_by_them():
    found = symptom_pages(PAGES)
    assert found.said["Tos"] == 2  # Neumonía and Gripe list it
    assert found.said["Neumonía"] == 0
    assert "fiebr" in found.stems["es:neumonía"] and "es:tos" not in found.stems


def test_every_row_gets_its_pages_best_cosine_on_symptoms():
    found = symptom_pages(PAGES)
    cosines = found.row_cosines(np.array([0.9, 0.1, 0.6, 0.4, 0.8]))
    assert cosines.tolist() == [0.0, 0.6, 0.6, 0.4, 0.0]
