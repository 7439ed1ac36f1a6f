"""Spanish analysis: accent-insensitive Spanish BM25 terms, and the lay vocabulary built from
the topics' own names."""

import pytest

from healthqa.analysis.vocabulary_es import (
    SpanishTopic,
    SpanishVocabulary,
    build_spanish_vocabulary,
    text_aliases,
    topics_from_documents,
)
from healthqa.records import Document, Passage
from healthqa.retrieval.lexical import LexicalIndex, spanish_terms, tokenize

TOPICS = [
    SpanishTopic(
        "Calambre muscular",
        (),
        "Los calambres musculares son contracciones o espasmos súbitos, involuntarios.",
    ),
    SpanishTopic("Culebrilla (herpes zóster)", (), "La culebrilla es una infección."),
    SpanishTopic(
        "Piedras en los riñones",
        ("Cálculos renales", "Litiasis renal"),
        "Una piedra es una pieza sólida de material que se forma en el riñón.",
    ),
    SpanishTopic("Hemorroides", ("Almorranas",)),
    SpanishTopic("Cáncer de piel", ()),
    SpanishTopic("Cáncer de pulmón", ()),
]


def test_spanish_terms_ignore_accents_case_and_stop_words():
    assert spanish_terms("¿Qué causa la DIABETES?") == spanish_terms("que causa la diabetes")
    assert spanish_terms("riñón") == spanish_terms("rinon")
    assert spanish_terms("calambres") == spanish_terms("calambre")
    assert "la" not in spanish_terms("la culebrilla") and "que" not in spanish_terms("qué")


def test_english_analysis_is_unchanged():
    assert tokenize(["leg cramps at night"]) == [["leg", "cramp", "night"]]


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("¿Qué es la culebrilla?", "Culebrilla (herpes zóster)"),
        ("herpes zoster en la espalda", "Culebrilla (herpes zóster)"),
        ("piedras en el riñón", "Piedras en los riñones"),
        ("calculos renales", "Piedras en los riñones"),
        ("calambre en la pierna", "Calambre muscular"),
        ("¿Por qué ocurren los espasmos musculares?", "Calambre muscular"),
        ("me salieron almorranas", "Hemorroides"),
    ],
)
def test_lay_words_reach_their_topic(question, topic):
    vocabulary = build_spanish_vocabulary(TOPICS)
    assert topic in [t.concept for t in vocabulary.find_terms(question)]


def test_a_head_word_shared_by_topics_names_none():
    vocabulary = build_spanish_vocabulary(TOPICS)
    assert vocabulary.find_terms("cáncer") == []
    assert [t.concept for t in vocabulary.find_terms("cáncer de piel")] == ["Cáncer de piel"]


def test_definition_words_are_weak_and_names_are_not():
    vocabulary = build_spanish_vocabulary(TOPICS)
    assert vocabulary.find_terms("espasmos")[0].weak
    assert not vocabulary.find_terms("calambres")[0].weak


def test_vocabulary_round_trips(tmp_path):
    vocabulary = build_spanish_vocabulary(TOPICS)
    vocabulary.save(tmp_path / "v.json")
    loaded = SpanishVocabulary.load(tmp_path / "v.json")
    assert loaded.table == vocabulary.table and loaded.weak == vocabulary.weak
    assert loaded.forms == vocabulary.forms
    assert loaded.forms["Hemorroides"] == {"hemorroides", "almorranas"}


GRIEF = SpanishTopic(
    "Pérdida de un ser querido", ("Duelo",), "El duelo es la reacción a una pérdida."
)
MEDICAID = SpanishTopic("Medicaid", (), "Medicaid es un seguro de salud.", "Sus médicos.")


def test_an_everyday_word_names_a_topic_only_as_its_names_say_it():
    vocabulary = build_spanish_vocabulary([GRIEF, MEDICAID, *TOPICS])
    # "duele" (Zipf 4.5) shares the stem of "duelo", "médicos" (4.9) that of "Medicaid"
    assert vocabulary.find_terms("me duele la cabeza") == []
    assert vocabulary.find_terms("¿qué dicen los médicos?") == []
    assert [t.concept for t in vocabulary.find_terms("estoy de duelo")] == [GRIEF.title]
    assert [t.concept for t in vocabulary.find_terms("medicaid")] == ["Medicaid"]
    # the definition says "riñón"; a rare word needs no check ("calambres", name "calambre")
    assert vocabulary.find_terms("piedras en el riñón")[0].concept == "Piedras en los riñones"
    assert vocabulary.find_terms("calambres")[0].concept == "Calambre muscular"


def test_a_table_saved_before_page_words_were_kept_still_loads(tmp_path):
    vocabulary = build_spanish_vocabulary([GRIEF])
    vocabulary.save(tmp_path / "v.json")
    (tmp_path / "v_forms.json").unlink()
    loaded = SpanishVocabulary.load(tmp_path / "v.json")
    assert loaded.forms == {} and loaded.find_terms("me duele")[0].concept == GRIEF.title


WHOOPING = SpanishTopic(
    "Tosferina",
    (),
    "La tosferina es una infección.",
    "La tosferina, también conocida como pertusis o tos convulsiva, es una infección. "
    "Un bebé con fiebre, también llamada calentura, necesita ayuda.",
)


def test_names_the_page_gives_itself_are_weak_names():
    assert text_aliases(WHOOPING) == ["pertusis", "tos convulsiva"]  # not "calentura"
    vocabulary = build_spanish_vocabulary([WHOOPING, *TOPICS])
    found = vocabulary.find_terms("¿la pertusis es grave?")
    assert [(t.concept, t.weak) for t in found] == [("Tosferina", True)]


def test_topics_come_from_spanish_documents_only():
    docs = [
        Document("es:a#0", "Los calambres son espasmos. Más texto.", "Calambre", language="es"),
        Document("en:a#0", "Cramps are spasms.", "Muscle Cramps", language="en"),
    ]
    topics = topics_from_documents(docs)
    assert [(t.title, t.definition) for t in topics] == [
        ("Calambre", "Los calambres son espasmos.")
    ]


def test_spanish_bm25_finds_accentless_questions(tmp_path):
    passages = [
        Passage(
            "1", "d1", ("Los calambres musculares son espasmos súbitos.",), "Calambre muscular"
        ),
        Passage("2", "d2", ("La gota ocurre cuando hay demasiado ácido úrico.",), "Gota"),
    ]
    index = LexicalIndex.build(passages, language="es")
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    assert loaded.language == "es"
    scores = loaded.scores("que es el acido urico")
    assert scores[1] > scores[0] == 0


@pytest.mark.integration
def test_the_medlineplus_es_folder_gives_the_issue_examples(shared_data):
    from healthqa.corpus.loaders import load_paths

    folder = shared_data / "medlineplus-es"
    if not folder.is_dir():
        pytest.skip("no medlineplus-es in the shared data")
    docs = load_paths([folder], "markdown", prefix="medlineplus-es")
    vocabulary = build_spanish_vocabulary(topics_from_documents(docs))

    def concepts(q):
        return [t.concept for t in vocabulary.find_terms(q)]

    assert "Culebrilla (herpes zóster)" in concepts("culebrilla")
    assert "Piedras en los riñones" in concepts("piedras en el riñón")
    assert "Piedras en los riñones" in concepts("cálculos renales")
    assert "Calambre muscular" in concepts("calambre")
    assert "Calambre muscular" in concepts("espasmo")


def test_a_head_word_the_pages_all_use_names_no_topic():
    long_covid = SpanishTopic("Afecciones posteriores al COVID-19", (), "", "Duran semanas.")
    others = [SpanishTopic(f"Tema {n}", (), "", "Es una afección de la piel.") for n in ("a", "b")]
    alone = build_spanish_vocabulary([long_covid, *TOPICS])
    assert [t.concept for t in alone.find_terms("afecciones")] == [long_covid.title]
    # "afección" in the text of 2 of 9 pages (>= MAX_NAME_PAGE_SHARE): a word of the field
    shared = build_spanish_vocabulary([long_covid, *others, *TOPICS])
    assert shared.find_terms("afecciones") == []
    assert [t.concept for t in shared.find_terms("afecciones posteriores al covid-19")] == [
        long_covid.title
    ]


def test_a_rare_word_sharing_a_stem_with_a_name_is_not_that_name():
    # "tiroides" and "Tiroidismo" share the Snowball stem "tiroid"; "calambres" is the plural
    vocabulary = build_spanish_vocabulary(
        [SpanishTopic("Hipertiroidismo", ("Tiroidismo",)), *TOPICS]
    )
    assert vocabulary.find_terms("¿qué es la tiroides lenta?") == []
    assert [t.concept for t in vocabulary.find_terms("tengo tiroidismo")] == ["Hipertiroidismo"]
    assert [t.concept for t in vocabulary.find_terms("calambres")] == ["Calambre muscular"]


def test_a_name_of_several_words_is_found_in_another_order_and_number():
    vocabulary = build_spanish_vocabulary(
        [
            SpanishTopic("Presión arterial alta", ("Alta presión",)),
            SpanishTopic("Infecciones de los oídos", ()),
            *TOPICS,
        ]
    )
    assert [t.concept for t in vocabulary.find_terms("¿la presión alta da síntomas?")] == [
        "Presión arterial alta"
    ]
    assert [t.concept for t in vocabulary.find_terms("infección de oído")] == [
        "Infecciones de los oídos"
    ]


PAIN_TOPICS = [
    SpanishTopic("Dolor de garganta", (), "El dolor de garganta es una molestia al tragar."),
    SpanishTopic("Dolor de cabeza", (), "El dolor de cabeza es el dolor en la cabeza."),
    SpanishTopic("Dolor", (), "El dolor es una señal del sistema nervioso."),
]


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("me duele la garganta, qué lo causa", "Dolor de garganta"),
        ("por que me duele tanto la cabeza", "Dolor de cabeza"),
        ("me dolía la garganta ayer", "Dolor de garganta"),
    ],
)
def test_a_pain_said_with_the_verb_names_the_pain_page(question, topic):
    vocabulary = build_spanish_vocabulary(PAIN_TOPICS)
    assert [t.concept for t in vocabulary.find_terms(question)] == [topic]


def test_the_verb_alone_never_names_the_general_pain_page():
    vocabulary = build_spanish_vocabulary(PAIN_TOPICS)
    assert vocabulary.find_terms("me duele el codo") == []
