"""The cross-lingual bridge: English names of a MedlinePlus topic point at its MedlinePlus en
español page, so a Spanish question using a word only the English side knows can reach the
Spanish page."""

from __future__ import annotations

import json

import numpy as np
import pytest

from healthqa.records import Passage
from healthqa.retrieval.bridge_es import BridgeIndex, bridge_texts, english_slug, spanish_slug
from healthqa.retrieval.part import TopicNames


def spanish(slug: str, title: str, text: str = "Texto.") -> Passage:
    return Passage(
        id=f"es:{slug}#0",
        doc_id=f"es:{slug}",
        sentences=(text,),
        title=title,
        url=f"https://medlineplus.gov/spanish/{slug}.html",
        collection="medlineplus-es",
        focus=title,
        page=f"es:{slug}",
        language="es",
    )


CRAMPS_EN = Passage(
    id="MPlus_1#0",
    doc_id="MPlus_1",
    sentences=("A muscle cramp is a sudden contraction.",),
    title="Muscle Cramps",
    url="https://www.nlm.nih.gov/medlineplus/musclecramps.html",
    focus="Muscle Cramps",
    synonyms=("Charley horse",),
)
SICKLE = TopicNames("medquad", "Sickle Cell Disease", ("Sickle cell anemia",), has_text=False)
CHARLEY = TopicNames("medquad", "Charley horse", ("Leg cramp at night",))
ES_TOPIC = TopicNames("medlineplus-es", "Calambre muscular", ("Espasmo",))


def test_slugs_of_spanish_and_english_medlineplus_urls():
    assert spanish_slug("https://medlineplus.gov/spanish/abortion.html") == "abortion"
    assert english_slug("https://www.nlm.nih.gov/medlineplus/abortion.html") == "abortion"
    assert english_slug("https://www.nlm.nih.gov/medlineplus/ency/article/003789.htm") == ""
    assert spanish_slug("https://medlineplus.gov/abortion.html") == ""


def test_spanish_pages_map_to_english_topics_by_slug_and_by_title():
    passages = [
        CRAMPS_EN,
        spanish("musclecramps", "Calambre muscular"),
        spanish("sicklecelldisease", "Anemia de células falciformes"),
        spanish("tanning", "Bronceado"),  # no English topic: left out
    ]
    names = bridge_texts(passages, [SICKLE, CHARLEY, ES_TOPIC])
    assert set(names) == {"es:musclecramps", "es:sicklecelldisease"}
    # the URL's topic, plus the synonyms of another English page named like one of its names
    assert names["es:musclecramps"] == ["Charley horse", "Leg cramp at night", "Muscle Cramps"]
    assert names["es:sicklecelldisease"] == ["Sickle Cell Disease", "Sickle cell anemia"]
    assert not {"Calambre muscular", "Espasmo"} & set(names["es:musclecramps"])  # Spanish


def test_bridge_scores_the_clearly_closest_page_only():
    bridge = BridgeIndex(
        vectors=np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32),
        vector_page=np.array([0, 1, 1]),
        row_page=np.array([2, 0, 0, 1]),  # row 0: English (no page)
        pages=["es:a", "es:b"],
        texts=["a", "b", "b2"],
    )
    close_to_a = np.array([0.99, 0.14], dtype=np.float32)
    scores = bridge.scores(close_to_a, lead=0.05)
    assert scores[0] == 0 and scores[3] == 0 and scores[1] == scores[2] > 0.9
    # page b's best name (0.6 * 0.99 + 0.8 * 0.14 = 0.71) is within 0.3 of a's: no lead
    assert not bridge.scores(close_to_a, lead=0.3).any()


ENGLISH_TOPIC = """<?xml version="1.0" encoding="UTF-8"?>
<Document id="0000001" source="MPlusHealthTopics"
 url="https://www.nlm.nih.gov/medlineplus/musclecramps.html">
<Focus>Muscle Cramps</Focus><FocusAnnotations><Category>Disease</Category>
<Synonyms><Synonym>Charley horse</Synonym></Synonyms></FocusAnnotations>
<QAPairs><QAPair pid="1"><Question qid="0000001-1" qtype="information">What is (are) Muscle
 Cramps ?</Question><Answer>A muscle cramp is a sudden, painful tightening.</Answer></QAPair>
</QAPairs></Document>"""
SPANISH_PAGES = {
    "calambre_muscular": (
        "musclecramps",
        "Calambre muscular\n=================\n\n### ¿Qué son los calambres musculares?\n\n"
        "Los calambres musculares son contracciones súbitas de un músculo.\n",
    ),
    "piedras_en_los_rinones": (
        "kidneystones",
        "Piedras en los riñones\n======================\n\n### ¿Qué son?\n\n"
        "Una piedra en el riñón es un trozo duro de material que se forma en el riñón.\n",
    ),
}


@pytest.fixture(scope="module")
def bridged_engine(tmp_path_factory):
    """English MedlinePlus "Muscle Cramps" (also called "Charley horse") and its Spanish page,
    which never says "charley horse", beside another Spanish page; dense vectors on."""
    from healthqa.config import Settings
    from healthqa.corpus.collections import add_collection
    from healthqa.engine import Engine, build

    root = tmp_path_factory.mktemp("bridge")
    topic = root / "data" / "medquad" / "4_MPlus_Health_Topics_QA" / "0000001.xml"
    topic.parent.mkdir(parents=True)
    topic.write_text(ENGLISH_TOPIC, encoding="utf-8")
    pages = root / "medlineplus-es"
    (pages / "topics").mkdir(parents=True)
    metadata = {}
    for stem, (slug, text) in SPANISH_PAGES.items():
        (pages / "topics" / f"{stem}.md").write_text(text, encoding="utf-8")
        url = f"https://medlineplus.gov/spanish/{slug}.html"
        metadata[stem] = {"also_called": [], "url": url}
    (pages / "metadata.json").write_text(json.dumps(metadata, ensure_ascii=False))
    settings = Settings(data_dir=root / "data", home=root / "home")
    add_collection(settings, "medlineplus-es", [pages])
    build(settings)
    return Engine.open(settings)


def test_a_word_only_the_english_side_knows_reaches_the_spanish_page(bridged_engine):
    from healthqa.analysis.spanish import analyze_spanish
    from healthqa.retrieval.search import search_spanish

    index = bridged_engine.index
    assert index.manifest["parts"]["bridge_es"]["pages"] == 1
    question = analyze_spanish("¿Qué es un charley horse?")
    assert not question.terms  # the Spanish vocabulary does not know the word
    found = search_spanish(index, question, 5)
    assert found[0].passage.url == "https://medlineplus.gov/spanish/musclecramps.html"
    assert found[0].scores["bridge"] > 0
    # only that page carries the bridge's score
    assert {c.passage.url for c in found if c.scores.get("bridge", 0) > 0} == {found[0].passage.url}
    without = search_spanish(index, question, 5, bridge_weight=0)
    assert all("bridge" not in c.scores for c in without)


def test_bridge_leaves_english_questions_alone(bridged_engine):
    answer = bridged_engine.ask("what is a charley horse?")
    assert answer.language == "en"
    assert all("/spanish/" not in c.url for c in answer.citations)


def test_an_unchanged_update_reuses_every_bridge_vector(bridged_engine):
    from healthqa.engine import update_collection

    settings = bridged_engine.settings
    manifest = update_collection(settings, "medlineplus-es")
    bridge = manifest["parts"]["bridge_es"]
    assert bridge["pages"] == 1 and bridge["reused"] == bridge["vectors"] == 2
    assert not [p for p in settings.index_dir.parent.iterdir() if p.name.startswith(".")]
