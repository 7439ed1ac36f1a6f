"""Spanish end to end: a Spanish collection added to an index of English pages is answered in
Spanish from its own pages (Spanish BM25, vocabulary and multilingual vectors), cited to its
URLs, with the Spanish notice and abstain message; when only the English pages have the
topic, the English page is offered as a labelled alternative, never as the answer. The
pages are our own words, laid out like MedlinePlus en español."""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pytest
from rich.console import Console

from healthqa.cli.render import render_answer
from healthqa.config import Settings
from healthqa.corpus.collections import add_collection
from healthqa.engine import Engine, build, update_collection

CRAMPS = """Calambre muscular
=================

### ¿Qué son los calambres musculares?

Los calambres musculares son contracciones o espasmos súbitos de un músculo. Suelen durar \
de unos segundos a unos minutos.

### ¿Cuál es la causa de los calambres musculares?

Las causas incluyen:

* Usar demasiado un músculo
* La [deshidratación](https://medlineplus.gov/spanish/dehydration.html)
* Niveles bajos de potasio o calcio

### ¿Quién está en riesgo de tener calambres musculares?

Los calambres son más comunes en adultos mayores, atletas y mujeres embarazadas.

### ¿Cuándo es necesario ver a un profesional de la salud por calambres musculares?

Debe contactar a su profesional de la salud si los calambres son severos o no mejoran.

### ¿Cuáles son los tratamientos de los calambres musculares?

Estirar o masajear suavemente el músculo puede aliviar el calambre.
"""
SHINGLES = """Culebrilla (herpes zóster)
==========================

### ¿Qué es la culebrilla?

La culebrilla es un sarpullido doloroso con ampollas causado por el mismo virus de la \
varicela.

### ¿Cuáles son los síntomas de la culebrilla?

El primer síntoma suele ser ardor u hormigueo en un lado del cuerpo.
"""
STONES = """Piedras en los riñones
======================

### ¿Qué son las piedras en los riñones?

Una piedra en el riñón es un trozo duro de material que se forma en el riñón.

### ¿Cuáles son los síntomas de las piedras en los riñones?

Un dolor agudo en la espalda o el costado que no desaparece puede ser un síntoma.
"""
METADATA = {
    "calambre_muscular": {
        "also_called": [],
        "url": "https://medlineplus.gov/spanish/musclecramps.html",
    },
    "culebrilla_herpes_zoster": {
        "also_called": ["Herpes zóster"],
        "url": "https://medlineplus.gov/spanish/shingles.html",
    },
    "piedras_en_los_rinones": {
        "also_called": ["Cálculos renales", "Litiasis renal"],
        "url": "https://medlineplus.gov/spanish/kidneystones.html",
    },
}
SPANISH_URLS = {m["url"] for m in METADATA.values()}


def write_spanish_pages(folder):
    topics = folder / "topics"
    topics.mkdir(parents=True)
    for stem, text in (
        ("calambre_muscular", CRAMPS),
        ("culebrilla_herpes_zoster", SHINGLES),
        ("piedras_en_los_rinones", STONES),
    ):
        (topics / f"{stem}.md").write_text(text, encoding="utf-8")
    (folder / "metadata.json").write_text(json.dumps(METADATA, ensure_ascii=False))
    return folder


@pytest.fixture(scope="module")
def spanish_engine(tmp_path_factory, medquad_root):
    """The tiny English MedQuAD plus the Spanish pages, dense vectors on (MiniLM / question
    encoder for English, USE multilingual for Spanish)."""
    root = tmp_path_factory.mktemp("es")
    settings = Settings(data_dir=medquad_root.parent, home=root / "home")
    add_collection(settings, "medlineplus-es", [write_spanish_pages(root / "medlineplus-es")])
    build(settings)
    return Engine.open(settings)


def quoted_sentences(answer):
    return [s for section in answer.sections for s in section.sentences]


def test_spanish_question_is_answered_in_spanish_from_the_spanish_page(spanish_engine):
    answer = spanish_engine.ask("¿Por qué ocurren los espasmos musculares?")
    assert answer.language == "es" and not answer.abstained
    assert {c.url for c in answer.citations} == {
        "https://medlineplus.gov/spanish/musclecramps.html"
    }
    titles = [s.title for s in answer.sections]
    assert {"Causas", "Quién está en riesgo", "Cuándo consultar a un profesional de la salud"} <= (
        set(titles)
    )
    assert titles[0] == "Cuándo consultar a un profesional de la salud"  # warning signs first
    page = CRAMPS.replace("\\\n", "")
    for sentence in quoted_sentences(answer):
        assert sentence.citations == (1,)
        words = re.sub(r"[^\w]+", " ", sentence.text).split()
        assert all(w in page for w in words)  # quoted from the page, not written
    assert answer.words <= 300
    assert "no un diagnóstico" in answer.text and "Fuentes" in answer.text
    assert answer.alternative is None


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("¿Qué es la culebrilla?", "Culebrilla (herpes zóster)"),
        ("¿el herpes zoster da ardor?", "Culebrilla (herpes zóster)"),
        ("¿Cuáles son los síntomas de las piedras en el riñón?", "Piedras en los riñones"),
        ("¿los calculos renales duelen?", "Piedras en los riñones"),
        ("¿Qué hago con un calambre?", "Calambre muscular"),
    ],
)
def test_lay_and_also_called_names_reach_their_page(spanish_engine, question, title):
    answer = spanish_engine.ask(question)
    assert not answer.abstained and answer.language == "es"
    assert [c.title for c in answer.citations] == [title]


def test_spanish_emergency_notice_opens_a_spanish_answer(spanish_engine):
    answer = spanish_engine.ask("Tengo dolor en el pecho y no puedo respirar, ¿es un calambre?")
    assert answer.emergency and answer.language == "es"
    assert answer.text.startswith(answer.notice) and "Llame al 911" in answer.notice
    assert answer.words <= 300


def test_spanish_sources_without_the_topic_abstain_in_spanish(spanish_engine):
    answer = spanish_engine.ask("¿Cuál es la mejor pizza de la ciudad?")
    assert answer.abstained and answer.language == "es"
    assert "No encontré una respuesta confiable" in answer.text
    assert not answer.citations and answer.alternative is None
    assert answer.to_dict()["alternative"] is None


def test_english_page_is_only_a_labelled_alternative(spanish_engine):
    answer = spanish_engine.ask("¿Qué es la sniffle fever y cómo se contagia?")
    assert answer.abstained and answer.language == "es" and not answer.citations
    alternative = answer.alternative
    assert alternative is not None and alternative.language == "en"
    assert [c.url for c in alternative.citations] == ["https://example.org/sniffle"]
    data = answer.to_dict()
    assert data["abstained"] and data["citations"] == []
    assert data["alternative"]["label"].startswith("Alternativa en inglés")
    assert data["alternative"]["citations"][0]["url"] == "https://example.org/sniffle"
    # the Spanish answer says so first; the English page follows under its label
    text = answer.text
    assert text.index("No encontré") < text.index("Alternativa en inglés") < text.index("Sniffle")
    assert answer.words + alternative.words <= 300
    console = Console(record=True, width=100)
    render_answer(answer, console)
    shown = console.export_text()
    assert shown.index("No encontré") < shown.index("Alternativa en inglés") < shown.index("[1]")


def test_english_question_stays_english_and_never_cites_spanish_pages(spanish_engine):
    answer = spanish_engine.ask("why do I get night knots in my legs?")
    assert answer.language == "en" and not answer.abstained
    assert not {c.url for c in answer.citations} & SPANISH_URLS
    # the English signals leave the Spanish rows out; the Spanish ones hold only those
    index = spanish_engine.index
    spanish_rows = np.array(index.rows_by_collection["medlineplus-es"])
    assert not index.lexical.scores("calambres musculares espasmos")[spanish_rows].any()
    assert not index.dense.scores(index.dense.encode_query("calambres"))[spanish_rows].any()
    english_rows = np.array(index.rows_by_collection["medquad"])
    spanish = index.spanish
    assert not spanish.lexical.scores("leg knots night")[english_rows].any()
    assert spanish.lexical.scores("calambres")[spanish_rows].any()
    assert not spanish.dense.scores(spanish.dense.encode_query("leg knots"))[english_rows].any()


def test_collection_add_builds_the_spanish_parts_incrementally(tmp_path, medquad_root):
    settings = Settings(data_dir=medquad_root.parent, home=tmp_path / "home")
    build(settings)  # English only: the Spanish parts are empty
    engine = Engine.open(settings)
    assert engine.index.spanish is None
    assert "collection add medlineplus-es" in engine.ask("¿Qué es la culebrilla?").text
    pages = write_spanish_pages(tmp_path / "medlineplus-es")
    add_collection(settings, "medlineplus-es", [pages])
    manifest = update_collection(settings, "medlineplus-es")
    parts = manifest["parts"]
    assert parts["lexical_es"]["passages"] == manifest["collections"]["medlineplus-es"]["passages"]
    assert parts["dense_es"]["vectors"] > 0 and parts["dense_es"]["reused"] == 0
    assert parts["dense"]["reused"] == parts["dense"]["vectors"]  # English vectors kept
    answer = Engine.open(settings).ask("¿Qué es la culebrilla?")
    assert not answer.abstained and answer.citations[0].title == "Culebrilla (herpes zóster)"
    # an update that changes nothing Spanish encodes nothing again
    again = update_collection(settings, "medlineplus-es")
    assert again["parts"]["dense_es"]["reused"] == again["parts"]["dense_es"]["vectors"]
    # no build leftovers beside the index
    assert not [p for p in settings.index_dir.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.integration
def test_real_medlineplus_page_answers_the_spasm_question(tmp_path, medquad_root):
    source = Settings.resolve().data_dir
    folder = source / "medlineplus-es" if source else None
    if folder is None or not (folder / "topics" / "calambre_muscular.md").is_file():
        pytest.skip("../shared/data/medlineplus-es is not present")
    pages = tmp_path / "medlineplus-es"
    (pages / "topics").mkdir(parents=True)
    for stem in ("calambre_muscular", "culebrilla_herpes_zoster", "piedras_en_los_rinones"):
        shutil.copy(folder / "topics" / f"{stem}.md", pages / "topics")
    shutil.copy(folder / "metadata.json", pages)
    settings = Settings(data_dir=medquad_root.parent, home=tmp_path / "home", dense=False)
    add_collection(settings, "medlineplus-es", [pages])
    build(settings)
    answer = Engine.open(settings).ask("¿Por qué ocurren los espasmos musculares?")
    assert answer.language == "es" and not answer.abstained
    assert {c.url for c in answer.citations} == {
        "https://medlineplus.gov/spanish/musclecramps.html"
    }
    titles = {s.title for s in answer.sections}
    assert {"Causas", "Quién está en riesgo", "Cuándo consultar a un profesional de la salud"} <= (
        titles
    )
    assert answer.words <= 300


def test_word_cap_counts_the_spanish_section_titles(spanish_engine):
    # the composer counts "Cuándo consultar a un profesional de la salud" (8 words), not the
    # English "When to see a doctor" (5) it names the section with
    for cap in range(30, 130, 4):
        answer = spanish_engine.ask("¿Por qué ocurren los espasmos musculares?", max_words=cap)
        assert answer.sections and answer.words <= cap, cap


def test_index_from_before_the_spanish_parts_says_to_rebuild(tmp_path, medquad_root):
    settings = Settings(data_dir=medquad_root.parent, home=tmp_path / "home", dense=False)
    add_collection(settings, "medlineplus-es", [write_spanish_pages(tmp_path / "es")])
    build(settings)
    manifest_path = settings.index_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    for name in ("lexical_es", "vocabulary_es"):  # as an older healthqa wrote it
        del manifest["parts"][name]
    manifest_path.write_text(json.dumps(manifest))
    answer = Engine.open(settings).ask("¿Qué es la culebrilla?")
    assert answer.abstained and not answer.citations
    assert "healthqa index" in answer.text and "collection add" not in answer.text


def test_an_index_of_spanish_pages_alone_answers_spanish_and_declines_english(tmp_path):
    settings = Settings(data_dir=None, home=tmp_path / "home", dense=False)
    add_collection(settings, "medlineplus-es", [write_spanish_pages(tmp_path / "es")])
    build(settings)
    engine = Engine.open(settings)
    spanish = engine.ask("¿Qué es la culebrilla?")
    assert not spanish.abstained and spanish.citations[0].title == "Culebrilla (herpes zóster)"
    english = engine.ask("what are the symptoms of shingles?")
    assert english.language == "en" and english.abstained and not english.citations


@pytest.mark.integration
def test_lay_spanish_question_is_answered_from_its_page_or_declined(spanish_medquad_engine):
    # a lay training question (training/lay_questions_es.jsonl) whose page the session-23
    # chooser found; the session-24 refit on the 563 lay questions declines it (out of fold it
    # trades such answers for fewer wrong pages). Either way nothing off the subject: its shared
    # word "hospital" once offered an English page on choosing a hospital for surgery.
    question = "por que le pican el talon a mi bebe antes de salir del hospital?"
    answer = spanish_medquad_engine.ask(question)
    assert answer.language == "es"
    if answer.abstained:
        assert "No encontré una respuesta confiable" in answer.text
        assert answer.alternative is None, [c.title for c in answer.alternative.citations]
        return
    assert {c.url for c in answer.citations} == {
        "https://medlineplus.gov/spanish/newbornscreening.html"
    }
    body = " ".join(s.text for sec in answer.sections for s in sec.sentences).lower()
    assert "gotas de sangre del talón" in body and answer.words <= 300
