"""Page-made Spanish queries (the chooser's training material): the page's names are taken out
of the lay kinds, and each kind asks what the page says."""

from healthqa.records import Passage
from healthqa.training.page_queries_es import (
    LAY_FRAMES,
    lay_question,
    make_queries,
    symptom_sentences,
)

CROUP = Passage(
    id="es:crup#0#0",
    doc_id="es:crup#0",
    sentences=(
        "El crup es una inflamación de las cuerdas vocales y la tráquea en los niños.",
        "Causa dificultad para respirar, tos seca similar a la de los perros y voz ronca.",
        "El crup es más frecuente durante el otoño.",
    ),
    title="Crup",
    focus="Crup",
    synonyms=("Laringotraqueobronquitis",),
    collection="es",
    page="es:crup",
    url="https://medlineplus.gov/spanish/croup.html",
    language="es",
)


def flat_idf(words: set[str]) -> dict[str, float]:
    return dict.fromkeys(words, 1.0)


def test_symptom_sentences_skip_the_definition_and_keep_lay_words_without_the_name():
    assert symptom_sentences([CROUP]) == [
        "causa dificultad para respirar, tos seca similar a la de los perros y voz ronca"
    ]


def test_a_list_of_symptoms_reads_as_what_someone_has():
    listed = Passage(
        id="es:x#0#0",
        doc_id="es:x#0",
        sentences=(
            "La gripe es una infección.",
            "Los síntomas incluyen: - Fiebre alta - Tos - Dolor",
        ),
        title="Gripe",
        focus="Gripe",
        collection="es",
        page="es:x",
        language="es",
    )
    assert symptom_sentences([listed]) == ["tengo fiebre alta, tos, dolor"]


def test_every_kind_is_made_and_the_lay_kinds_never_say_the_page_name():
    queries = list(make_queries([CROUP], flat_idf))
    kinds = {q.kind for q in queries}
    assert kinds == {"names", "descriptions", "symptoms", "lay"}
    assert all(q.url == CROUP.url for q in queries)
    for query in queries:
        if query.kind in ("descriptions", "symptoms"):
            assert "crup" not in query.text.lower()


def test_a_lay_frame_is_the_same_for_the_same_words():
    asked = lay_question("tos de perro")
    assert asked == lay_question("tos de perro")
    assert any(asked == frame.format("tos de perro") for frame in LAY_FRAMES)
