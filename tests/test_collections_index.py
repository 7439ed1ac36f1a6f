"""Collections in the index: MedQuAD and a user's markdown pages in one index, answers from
one collection or all, cited by title, URL, credit line and date."""

from __future__ import annotations

import pytest

from healthqa.answer import sections as S
from healthqa.config import Settings
from healthqa.corpus.collections import add_collection, remove_collection
from healthqa.engine import Engine, build, update_collection
from healthqa.errors import HealthqaError

FROST_TOE = """---
title: Frost toe
url: https://clinic.example/frost-toe
lastReviewed: '2025-03-04'
source: Clinic Library
---

# Frost toe

Frost toe is a painful chill of the toes after long hours in wet boots.

## Causes

Wet socks in freezing weather let the cold reach the skin of the toes.

## When to see a doctor

Go to a clinic the same day if a toe turns grey, black or numb.
"""

COMMON = (
    "About this page: the clinic library reviews every page once a year with its nurses "
    "and updates the page when the advice changes."
)
SNOW_EYE = f"""---
title: Snow eye
url: https://clinic.example/snow-eye
source: Clinic Library
---

## Overview

Snow eye is a sunburn of the eye from sunlight reflected by snow.

## About this page

{COMMON}
"""
SLUSH_EAR = f"""---
title: Slush ear
source: Clinic Library
---

## Overview

Slush ear is an itch of the outer ear after swimming in melting snow.

## About this page

{COMMON}
"""


def write_pages(folder, pages: dict[str, str]):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def clinic_pages(tmp_path):
    return write_pages(tmp_path / "clinic", {"frost-toe.md": FROST_TOE, "snow-eye.md": SNOW_EYE})


@pytest.fixture
def settings(tmp_path, medquad_root):
    return Settings(data_dir=medquad_root.parent, home=tmp_path / "home", dense=False)


@pytest.fixture(scope="module")
def engine(tmp_path_factory, medquad_root):
    root = tmp_path_factory.mktemp("clinic")
    settings = Settings(data_dir=medquad_root.parent, home=root / "home", dense=False)
    pages = write_pages(root / "clinic", {"frost-toe.md": FROST_TOE, "snow-eye.md": SNOW_EYE})
    add_collection(settings, "clinic", [pages])
    build(settings)
    return Engine.open(settings)


def test_one_index_holds_medquad_and_a_collection(engine):
    assert engine.index.collections == ["clinic", "medquad"]
    assert engine.index.manifest["included"] == ["medquad", "clinic"]
    # MedQuAD's ids stay what evaluations score, ranked among MedQuAD's answers alone
    assert engine.rank_documents("how is sniffle fever treated")[0][0] == "GARD_0000002_Sec2"
    assert engine.ask("what causes frost toe?").citations[0].id.startswith("clinic:")
    for rank in (engine.rank_documents, engine.rank_documents_bm25, engine.rank_documents_hybrid):
        assert not any(doc.startswith("clinic:") for doc, _ in rank("what causes frost toe?", 10))


def test_answer_cites_the_users_page_with_title_url_credit_and_date(engine):
    answer = engine.ask("what causes frost toe?")
    assert not answer.abstained
    cited = answer.citations[0]
    assert (cited.title, cited.url) == ("Frost toe", "https://clinic.example/frost-toe")
    assert (cited.credit, cited.date, cited.source) == (
        "Clinic Library",
        "2025-03-04",
        "Clinic Library",
    )
    assert cited.to_dict()["date"] == "2025-03-04"
    assert "Clinic Library, 2025-03-04" in answer.text
    # the page's own heading puts a sentence without warning words under the warning section
    warning = next(s for s in answer.sections if s.title == S.SEE_A_DOCTOR)
    assert any("turns grey, black or numb" in s.text for s in warning.sentences)


def test_ask_one_collection_only(engine):
    mine = engine.ask("what causes frost toe?", collection="clinic")
    assert mine.citations and all(c.id.startswith("clinic:") for c in mine.citations)
    theirs = engine.ask("what causes frost toe?", collection="medquad")
    assert not any(c.id.startswith("clinic:") for c in theirs.citations)
    knots = engine.ask("why do I get night knots in my legs?", collection="medquad")
    assert knots.citations[0].id == "MPlusHealthTopics_0000001_Sec1"
    assert engine.ask("why do I get night knots in my legs?", collection="clinic").abstained
    with pytest.raises(HealthqaError, match="collections: clinic, medquad"):
        engine.ask("what causes frost toe?", collection="nope")


def test_collection_add_and_remove_update_the_index(settings, clinic_pages, tmp_path):
    build(settings)  # MedQuAD alone
    assert Engine.open(settings).ask("what causes frost toe?").abstained
    add_collection(settings, "clinic", [clinic_pages])
    manifest = update_collection(settings, "clinic")
    assert manifest["collections"]["clinic"]["documents"] == 5
    assert manifest["included"] == ["clinic", "medquad"]
    assert not Engine.open(settings).ask("what causes frost toe?").abstained
    remove_collection(settings, "clinic")
    manifest = update_collection(settings, "clinic")
    assert "clinic" not in manifest["collections"] and manifest["included"] == ["medquad"]
    assert Engine.open(settings).ask("what causes frost toe?").abstained


def test_no_index_yet_means_nothing_to_update(settings, clinic_pages):
    add_collection(settings, "clinic", [clinic_pages])
    assert update_collection(settings, "clinic") is None


def _texts(engine: Engine) -> list[str]:
    return [p.text for p in engine.index.passages]


def test_an_update_reuses_the_other_collections_without_reading_them(settings, tmp_path):
    clinic = write_pages(tmp_path / "clinic", {"frost-toe.md": FROST_TOE})
    add_collection(settings, "clinic", [clinic])
    build(settings)
    (clinic / "frost-toe.md").unlink()  # were it read again, clinic would have no document
    ward = write_pages(tmp_path / "ward", {"snow-eye.md": SNOW_EYE})
    add_collection(settings, "ward", [ward])
    manifest = update_collection(settings, "ward")
    assert set(manifest["collections"]) == {"clinic", "medquad", "ward"}
    engine = Engine.open(settings)
    assert engine.ask("what causes frost toe?").citations[0].id.startswith("clinic:")
    assert engine.ask("what is snow eye?").citations[0].id.startswith("ward:")


def test_near_duplicates_merge_across_collections_and_come_back_on_remove(settings, tmp_path):
    add_collection(settings, "ward", [write_pages(tmp_path / "w", {"snow-eye.md": SNOW_EYE})])
    add_collection(settings, "pool", [write_pages(tmp_path / "p", {"slush-ear.md": SLUSH_EAR})])
    manifest, _ = build(settings)
    assert manifest["duplicates_merged"] == 1
    assert sum(COMMON in t for t in _texts(Engine.open(settings))) == 1
    remove_collection(settings, "ward")  # the kept copy was ward's (first); pool's comes back
    update_collection(settings, "ward")
    engine = Engine.open(settings)
    assert [p.doc_id for p in engine.index.passages if COMMON in p.text] == ["pool:slush-ear#1"]


def test_dense_vectors_of_unchanged_texts_are_reused(tmp_path, medquad_root, clinic_pages):
    settings = Settings(data_dir=medquad_root.parent, home=tmp_path / "dense-home")
    build(settings)
    before = Engine.open(settings).index
    old = dict(zip(_texts_of(before), before.dense.vectors[before.dense.rows], strict=True))
    add_collection(settings, "clinic", [clinic_pages])
    manifest = update_collection(settings, "clinic")
    dense = manifest["parts"]["dense"]
    assert dense["reused"] == len(before.dense.vectors) and dense["vectors"] > dense["reused"]
    after = Engine.open(settings).index
    for text, vector in zip(_texts_of(after), after.dense.vectors[after.dense.rows], strict=True):
        if text in old:
            assert (vector == old[text]).all()


def _texts_of(index) -> list[str]:
    from healthqa.retrieval.dense import passage_text

    return [passage_text(p) for p in index.passages]


def test_adding_unchanged_files_again_leaves_the_index_alone(
    settings, clinic_pages, monkeypatch, capsys
):
    from healthqa.cli import main

    monkeypatch.setenv("HEALTHQA_HOME", str(settings.home))
    monkeypatch.setenv("HEALTHQA_DATA", str(settings.data_dir))
    build(settings)
    assert main(["collection", "add", "clinic", str(clinic_pages), "--credit", "Clinic"]) == 0
    assert "clinic" in Engine.open(settings).index.collections
    manifest = settings.index_dir / "manifest.json"
    written = manifest.stat().st_mtime_ns
    capsys.readouterr()
    assert main(["collection", "add", "clinic", str(clinic_pages)]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert manifest.stat().st_mtime_ns == written


def test_a_users_page_is_cited_once_whichever_sections_are_quoted(engine):
    answer = engine.ask("what is frost toe, what causes it and when should I see a doctor?")
    frost = [c for c in answer.citations if c.url == "https://clinic.example/frost-toe"]
    assert len(frost) == 1
    assert len(frost[0].ids) >= 2  # its sections, under one number
    quoted = [s for section in answer.sections for s in section.sentences]
    assert {n for s in quoted for n in s.citations} == {c.n for c in answer.citations}


def test_collection_add_reads_the_files_once(settings, clinic_pages, monkeypatch):
    from healthqa.cli import main
    from healthqa.corpus import collections

    monkeypatch.setenv("HEALTHQA_HOME", str(settings.home))
    monkeypatch.setenv("HEALTHQA_DATA", str(settings.data_dir))
    build(settings)
    reads = []
    real = collections.load_paths
    monkeypatch.setattr(collections, "load_paths", lambda *a, **k: reads.append(a) or real(*a, **k))
    assert main(["collection", "add", "clinic", str(clinic_pages), "--credit", "Clinic"]) == 0
    assert len(reads) == 1
    cited = Engine.open(settings).ask("what causes frost toe?").citations[0]
    assert cited.id.startswith("clinic:") and cited.credit == "Clinic"


FEVER_NOTES = """---
title: Clinic fever notes
source: Clinic Library
---

## Treatment

A fever is treated with rest and fluids; a sniffle is treated the same way. Fever that lasts
is treated by a doctor, and treated fever comes back less often.
"""


def _medquad_view(engine: Engine, text: str) -> list[tuple[str, float, float]]:
    """MedQuAD's candidates for `text` searched among every collection: id, BM25, score."""
    question = engine.analyze(text)
    return [
        (c.passage.id, c.scores["lexical"], c.score)
        for c in engine.retrieve(question)
        if c.passage.collection == "medquad"
    ]


def test_adding_a_collection_changes_no_medquad_score_or_order(settings, tmp_path):
    build(settings)  # MedQuAD alone
    alone = Engine.open(settings)
    texts = ["how is sniffle fever treated", "why do I get night knots in my legs?"]
    before = {t: _medquad_view(alone, t) for t in texts}
    idf_before = alone.index.lexical.idf({"fever", "treat"}, "medquad")
    pages = write_pages(tmp_path / "fever", {"fever.md": FEVER_NOTES})
    add_collection(settings, "clinic", [pages])
    update_collection(settings, "clinic")
    mixed = Engine.open(settings)
    assert mixed.index.collections == ["clinic", "medquad"]
    # the new page shares the question's words, yet MedQuAD's statistics and ranking stay
    assert any(c.passage.collection == "clinic" for c in mixed.retrieve(mixed.analyze(texts[0])))
    assert mixed.index.lexical.idf({"fever", "treat"}, "medquad") == idf_before
    assert mixed.index.lexical.idf({"fever", "treat"}, "clinic") != idf_before
    for text in texts:
        assert _medquad_view(mixed, text) == before[text]
