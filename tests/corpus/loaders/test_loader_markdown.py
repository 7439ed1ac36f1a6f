import json

from loader_helpers import load, shared_path

PAGE = """---
title: Moon Root - NCI
url: https://example.org/moon-root
language: en
lastReviewed: '2025-12-30'
source: NCI
license: public_domain
---

# Moon Root - NCI

## Overview

[Go to Health Professional Version](/hp/moon-root)

Moon root is a plant used in old remedies. See [the glossary](/g) for terms.

## Questions and Answers About Moon Root

1. **What is moon root?**

Moon root grows in wet fields. It is [dried](/dry) and ground.
2. **How is moon root given?**

It is taken as a tea:

- once a day
- with food

***National Moon Center***

The center answers questions by phone.
"""


def test_front_matter_headings_and_question_items_make_sections(tmp_path):
    (tmp_path / "moon-root.md").write_text(PAGE, encoding="utf-8")
    documents, report = load(tmp_path, prefix="pdq")
    assert not report.skipped
    by_section = {d.section: d for d in documents}
    assert list(by_section) == [
        "Overview",
        "What is moon root?",
        "How is moon root given?",
        "National Moon Center",
    ]
    overview = by_section["Overview"]
    assert overview.title == "Moon Root"  # the " - NCI" credit suffix is not part of it
    assert overview.text == "Moon root is a plant used in old remedies. See the glossary for terms."
    assert overview.url == "https://example.org/moon-root"
    assert (overview.date, overview.credit, overview.licence, overview.language) == (
        "2025-12-30",
        "NCI",
        "public_domain",
        "en",
    )
    given = by_section["How is moon root given?"]
    assert given.headings == ("Questions and Answers About Moon Root", "How is moon root given?")
    assert given.text == "It is taken as a tea:\n- once a day\n- with food"
    assert (
        by_section["What is moon root?"].text
        == "Moon root grows in wet fields. It is dried and ground."
    )
    assert [d.id for d in documents] == [f"pdq:moon-root#{n}" for n in range(4)]


def test_a_sidecar_adds_also_called_names_and_the_url(tmp_path):
    topics = tmp_path / "topics"
    topics.mkdir()
    (topics / "acne.md").write_text(
        "Acné\n====\n\nEl acné es una enfermedad común de la piel que provoca espinillas.\n",
        encoding="utf-8",
    )
    meta = {"acne": {"also_called": ["Granos"], "related_topic": ["Piel"], "url": "https://x/acne"}}
    (tmp_path / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    documents, report = load(tmp_path)
    assert not report.skipped  # the sidecar is read, not reported as a file of its own
    (acne,) = documents
    assert (acne.title, acne.also_called, acne.related, acne.url) == (
        "Acné",
        ("Granos",),
        ("Piel",),
        "https://x/acne",
    )
    assert acne.language == "es"  # no front matter: told by its words


def test_nci_pdq_summaries():
    folder = shared_path("nci-pdq-patient")
    documents, report = load(folder, fmt="markdown", prefix="pdq")
    assert report.files == report.loaded == 155 and not report.skipped
    assert {d.credit for d in documents} == {"NCI"} and {d.date for d in documents} == {
        "2025-12-30"
    }
    acupuncture = [d for d in documents if d.url.endswith("/acupuncture-pdq")]
    sections = [d.section for d in acupuncture]
    assert sections[:4] == [
        "Overview",
        "What is acupuncture?",
        "How is acupuncture given?",
        "What do people feel during acupuncture?",
    ]
    assert acupuncture[0].title == "Acupuncture"
    assert all("popDefinition" not in d.text and "](" not in d.text for d in acupuncture)


def test_medlineplus_en_espanol_summaries():
    folder = shared_path("medlineplus-es")
    documents, report = load(folder, prefix="mpes")
    assert report.files == report.loaded == 1021 and not report.skipped
    assert {d.language for d in documents} == {"es"}
    assert all(d.url.startswith("https://medlineplus.gov/spanish/") for d in documents)
    aborto = next(d for d in documents if d.title == "Aborto")
    assert aborto.also_called == ("Aborto terapéutico", "Interrupción del embarazo")
    cholesterol = [d for d in documents if d.section == "¿Qué es el colesterol?"]
    assert cholesterol and all("###" not in d.text for d in cholesterol)
