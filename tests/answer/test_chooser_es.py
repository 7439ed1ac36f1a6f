"""The learned Spanish page chooser: the features of a candidate page, and the page chosen only
when its probability reaches the model's threshold."""

from dataclasses import replace

import numpy as np

from healthqa.answer.chooser_es import FEATURES, PageModel, chosen_page, page_rows
from healthqa.answer.topic_es import choose_spanish_topic
from healthqa.records import Candidate, Passage, Question, Term


def passage(title: str, text: str) -> Passage:
    slug = title.lower().replace(" ", "-")
    return Passage(
        id=f"es:{slug}#0#0",
        doc_id=f"es:{slug}#0",
        sentences=(text,),
        title=title,
        focus=title,
        collection="es",
        page=f"es:{slug}",
        url=f"https://medlineplus.gov/spanish/{slug}.html",
        language="es",
    )


def question(text: str, *terms: Term) -> Question:
    return Question(raw=text, text=text, summary=text, terms=terms, language="es")


def flat_idf(words: set[str]) -> dict[str, float]:
    return dict.fromkeys(words, 1.0)


CRAMPS = passage("Calambre muscular", "Los calambres musculares son espasmos súbitos.")
GOUT = passage("Gota", "La gota es un tipo de artritis que causa dolor en el dedo gordo del pie.")

CROUP = passage("Crup", "El crup causa tos seca similar a la de los perros y voz ronca.")
COUGH = passage("Tos", "La tos es un reflejo que mantiene despejada la garganta.")


def candidates(*pairs) -> list[Candidate]:
    """(passage, lexical, dense, bridge cosine) in fused order."""
    return [
        Candidate(p, scores={"lexical": lex, "dense": den, "bridge_cosine": br}, score=1.0 - i / 10)
        for i, (p, lex, den, br) in enumerate(pairs)
    ]


def coverage_model(threshold: float = 0.5) -> PageModel:
    """A model reading the coverage only: probability 0.5 at coverage 0.5, rising with it."""
    coef = np.array([8.0 if f == "coverage" else 0.0 for f in FEATURES])
    return PageModel(
        FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), coef, -4.0, threshold
    )


def test_features_say_which_signals_rank_the_page_first_and_how_much_of_the_question_it_holds():
    found = candidates((COUGH, 9.0, 0.5, 0.2), (CROUP, 6.0, 0.6, 0.7))
    asked = question("mi niño tiene tos de perro y voz ronca")
    rows = {r.passage.focus: r.features for r in page_rows(asked, found, flat_idf)}
    assert rows["Tos"]["lexical_share"] == 1.0 and rows["Crup"]["lexical_share"] == 6.0 / 9.0
    assert rows["Crup"]["dense_gap"] == 0.0 and rows["Tos"]["dense_gap"] > 0
    assert rows["Crup"]["bridge"] == 0.7 and rows["Tos"]["bridge_gap"] > 0
    assert rows["Crup"]["agree"] == rows["Tos"]["agree"] == 0.0
    assert rows["Crup"]["coverage"] > rows["Tos"]["coverage"]


def test_margins_say_how_far_the_leading_page_is_ahead_of_the_second():
    found = candidates((COUGH, 9.0, 0.5, 0.2), (CROUP, 6.0, 0.6, 0.7), (GOUT, 1.0, 0.1, 0.0))
    asked = question("mi niño tiene tos de perro y voz ronca")
    rows = {r.passage.focus: r.features for r in page_rows(asked, found, flat_idf)}
    assert np.isclose(rows["Crup"]["dense_margin"], 0.1)  # 0.6 against the next best 0.5
    assert np.isclose(rows["Tos"]["dense_margin"], -0.1)  # 0.1 behind the leader
    assert np.isclose(rows["Gota"]["lexical_share_margin"], 1.0 / 9.0 - 1.0)
    assert rows["Tos"]["rank_disagree"] > 0 and rows["Gota"]["rank_disagree"] == 0
    alone = page_rows(asked, found[:1], flat_idf)[0].features
    assert alone["dense_margin"] == 0.0 and alone["rows_weighed"] == 0.0


def test_a_named_page_is_weighed_even_below_the_first_pages():
    found = candidates(*[(passage(f"Página {i}", "nada"), 1.0, 0.1, 0.0) for i in range(8)])
    found.append(candidates((GOUT, 0.5, 0.1, 0.0))[0])
    asked = question("¿qué es la gota?", Term("got", "Gota", "medlineplus-es"))
    rows = page_rows(asked, found, flat_idf)
    assert [r.passage.focus for r in rows][-1] == "Gota"
    assert rows[-1].features["named"] == 1.0
    assert rows[0].features["named_other"] == 1.0


def test_the_most_probable_page_only_when_it_reaches_the_threshold():
    found = candidates((COUGH, 9.0, 0.5, 0.2), (CROUP, 6.0, 0.6, 0.7))
    asked = question("mi niño tiene tos de perro y voz ronca")
    rows = page_rows(asked, found, flat_idf)
    page, probability = chosen_page(rows, coverage_model())
    assert page is not None and page.focus == "Crup" and probability > 0.5
    assert chosen_page(rows, coverage_model(threshold=0.99))[0] is None
    assert chosen_page([], coverage_model()) == (None, 0.0)


def named_model(threshold: float = 0.5) -> PageModel:
    """A model reading the names only: a page the question names is likely, others not."""
    coef = np.array([8.0 if f == "named" else 0.0 for f in FEATURES])
    return PageModel(
        FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), coef, -4.0, threshold
    )


def test_with_a_model_the_model_alone_chooses():
    found = candidates((CRAMPS, 9.0, 0.5, 0.0), (GOUT, 1.0, 0.1, 0.0))
    asked = question("¿qué causa la gota?", Term("got", "Gota", "medlineplus-es"))
    assert choose_spanish_topic(asked, found, flat_idf, model=named_model()).focus == "Gota"
    # the rules take the named page whatever its words; a model that finds it unlikely does not
    assert choose_spanish_topic(asked, found, flat_idf).focus == "Gota"
    assert choose_spanish_topic(asked, found, flat_idf, model=coverage_model(0.99)) is None
    unnamed = question("¿la mejor pizza de la ciudad?")
    assert choose_spanish_topic(unnamed, found, flat_idf, model=coverage_model()) is None


def test_the_shipped_model_fits_the_code():
    model = PageModel.load()
    assert set(model.features) <= set(FEATURES) and 0 < model.threshold < 1
    assert model.info["built_by"] == "python -m healthqa.training.topic_es"


def test_an_unknown_chooser_is_refused():
    import pytest

    from healthqa.config import Settings
    from healthqa.errors import HealthqaError

    with pytest.raises(HealthqaError, match="spanish_topic must be one of"):
        Settings(spanish_topic="guess")


PNEUMONIA = replace(
    passage("Neumonía", "Puede tener tos con flema, fiebre y dificultad para respirar."),
    section="¿Cuáles son los síntomas de la neumonía?",
)


def symptom_model(threshold: float = 0.5) -> PageModel:
    """A model reading the symptom cover only: probability 0.5 at half the question's words."""
    coef = np.array([8.0 if f == "symptom_cover" else 0.0 for f in FEATURES])
    return PageModel(
        FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), coef, -4.0, threshold
    )


def test_a_question_naming_a_symptom_page_while_describing_a_disease():
    from healthqa.retrieval.symptoms_es import symptom_pages

    symptoms = symptom_pages([COUGH, PNEUMONIA])
    found = [
        Candidate(COUGH, scores={"lexical": 9.0, "dense": 0.5, "symptom_cosine": 0.0}, score=1.0),
        Candidate(
            PNEUMONIA, scores={"lexical": 5.0, "dense": 0.6, "symptom_cosine": 0.6}, score=0.9
        ),
    ]
    said = "tengo tos con flema, fiebre y me cuesta respirar, ¿qué puede ser?"
    asked = question(said, Term("tos", "Tos", "es"))
    listed = page_rows(asked, found, flat_idf, symptoms=symptoms)
    rows = {r.passage.focus: r.features for r in listed}
    assert rows["Neumonía"]["symptom_cover"] > rows["Tos"]["symptom_cover"]
    assert rows["Neumonía"]["symptom_cosine"] == 0.6 and rows["Tos"]["symptom_cosine_gap"] == 0.6
    # Neumonía's symptoms say "tos": Tos is a page said as a symptom, and the question names it
    assert rows["Tos"]["named_symptom"] > 0 and rows["Neumonía"]["other_named_symptom"] > 0
    # the rules take the named page; a model reading the symptom cover takes the disease
    assert choose_spanish_topic(asked, found, flat_idf).focus == "Tos"
    chosen = choose_spanish_topic(asked, found, flat_idf, model=symptom_model(), symptoms=symptoms)
    assert chosen.focus == "Neumonía"
    # without the pages' symptom profile the symptom features are 0 and nothing is chosen
    assert choose_spanish_topic(asked, found, flat_idf, model=symptom_model()) is None


def test_a_page_the_question_does_not_name_needs_some_closeness_in_meaning():
    found = candidates((CRAMPS, 9.0, 0.1, 0.0), (GOUT, 1.0, 0.05, 0.0))
    unnamed = question("¿la mejor pizza de la ciudad?")
    assert chosen_page(page_rows(unnamed, found, flat_idf), named_model(-1.0))[0] is None
    named = question("¿y los calambres?", Term("calambr", "Calambre muscular", "es"))
    page = chosen_page(page_rows(named, found, flat_idf), named_model())[0]
    assert page is not None and page.focus == "Calambre muscular"


def page_cover_model(threshold: float = 0.5) -> PageModel:
    """A model reading the whole page's cover only: probability 0.5 at half the question."""
    coef = np.array([8.0 if f == "page_cover" else 0.0 for f in FEATURES])
    return PageModel(
        FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), coef, -4.0, threshold
    )


RABIES = passage("Rabia", "La rabia es una enfermedad mortal causada por un virus.")
BITES = passage("Mordeduras de animales", "Las mordeduras rara vez ponen la vida en riesgo.")
BITES_CARE = replace(
    BITES,
    id="es:mordeduras-de-animales#1#0",
    doc_id="es:mordeduras-de-animales#1",
    sentences=("Si el perro de un vecino lo mordió en la mano, lave primero la herida con jabón.",),
    section="¿Qué hacer?",
)


def test_a_page_is_weighed_by_all_its_words_not_only_its_retrieved_passages():
    from healthqa.retrieval.symptoms_es import symptom_pages

    profile = symptom_pages([RABIES, BITES, BITES_CARE])
    # only the pages' first passages were retrieved: the bite page's care passage was not
    found = candidates((RABIES, 9.0, 0.5, 0.0), (BITES, 6.0, 0.4, 0.0))
    asked = question("me mordió el perro del vecino en la mano, ¿qué hago primero?")
    listed = page_rows(asked, found, flat_idf, symptoms=profile)
    rows = {r.passage.focus: r.features for r in listed}
    assert rows["Mordeduras de animales"]["page_cover"] > rows["Rabia"]["page_cover"]
    assert rows["Rabia"]["page_cover_gap"] > 0 == rows["Mordeduras de animales"]["page_cover_gap"]
    model = page_cover_model()
    chosen = choose_spanish_topic(asked, found, flat_idf, model=model, symptoms=profile)
    assert chosen is not None and chosen.focus == "Mordeduras de animales"
    # without the pages' profile the retrieved passages alone hold too little: no page
    assert choose_spanish_topic(asked, found, flat_idf, model=page_cover_model()) is None


MEASLES = passage(
    "Sarampión", "El sarampión causa fiebre, tos, ojos rojos y manchas rojas en la piel."
)


def test_a_page_holding_most_of_the_question_is_weighed_below_the_first_pages():
    from healthqa.retrieval.symptoms_es import symptom_pages

    # the first pages share a word or two with the question; the disease it describes is 9th
    others = [passage(f"Página {i}", "la fiebre alta") for i in range(8)]
    profile = symptom_pages([*others, MEASLES])
    found = candidates(*[(p, 5.0, 0.3, 0.0) for p in [*others, MEASLES]])
    asked = question("mi hijo tiene fiebre, tos, ojos rojos y manchas rojas en la piel")
    rows = page_rows(asked, found, flat_idf, symptoms=profile)
    assert "Sarampión" in [r.passage.focus for r in rows]
    measles = next(r for r in rows if r.passage.focus == "Sarampión").features
    assert measles["page_cover_log_rank"] == 0.0  # first by whole-page cover
    chosen = choose_spanish_topic(
        asked, found, flat_idf, model=page_cover_model(), symptoms=profile
    )
    assert chosen is not None and chosen.focus == "Sarampión"
    # without the pages' profile only the first pages are weighed
    assert "Sarampión" not in [r.passage.focus for r in page_rows(asked, found, flat_idf)]


def test_a_page_sharing_no_word_with_an_unnamed_question_is_not_chosen():
    sure = named_model(-10.0)  # any page reaches the threshold
    # near in meaning (cosine 0.5) but no word of the question on the page
    found = candidates((CRAMPS, 0.0, 0.5, 0.0))
    asked = question("¿qué es la fiebre sniffle y cómo se contagia?")
    assert chosen_page(page_rows(asked, found, flat_idf), sure)[0] is None
    # one of its words on the page is enough
    asked = question("¿los espasmos sniffle se contagian?")
    page = chosen_page(page_rows(asked, found, flat_idf), sure)[0]
    assert page is not None and page.focus == "Calambre muscular"


def test_a_listwise_chooser_declines_when_two_pages_share_the_question(tmp_path):
    """Two pages holding the question alike split a listwise chooser's probability: it declines
    where each page alone would be likely; one such page is chosen."""
    coef = np.array([8.0 if f == "coverage" else 0.0 for f in FEATURES])
    listwise = PageModel(
        FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), coef, -4.0, 0.6, listwise=True
    )
    path = tmp_path / "topic_es.json"
    listwise.save(path)
    loaded = PageModel.load(path)
    assert loaded.kind == "listwise" and loaded.listwise
    twin = replace(
        CROUP, id="es:crup-2#0#0", doc_id="es:crup-2#0", page="es:crup-2", title="Crup 2"
    )
    asked = question("mi niño tiene tos de perro y voz ronca")
    alone = page_rows(asked, candidates((CROUP, 6.0, 0.6, 0.7)), flat_idf)
    page, probability = chosen_page(alone, loaded)
    assert page is not None and page.focus == "Crup" and probability > 0.9
    both = page_rows(asked, candidates((CROUP, 6.0, 0.6, 0.7), (twin, 6.0, 0.6, 0.7)), flat_idf)
    page, probability = chosen_page(both, loaded)
    assert page is None and 0.4 < probability < 0.5
    # the pointwise model of the same weights answers either way
    assert chosen_page(both, replace(loaded, listwise=False))[0] is not None
