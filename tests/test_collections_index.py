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
    # MedQuAD's ids stay what evaluations score
    assert engine.rank_documents("how is sniffle fever treated")[0][0] == "GARD_0000002_Sec2"


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
