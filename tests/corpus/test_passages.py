from healthqa.corpus.passages import split_passages, split_units
from healthqa.records import Document


def test_lists_stay_with_their_lead_in_and_labels_and_attributions_go():
    text = (
        "Summary : Cramps hurt.    Other causes are       - Working too hard    - Thirst       "
        "Stretching helps.    NIH: National Institute of Something"
    )
    assert split_units(text) == [
        "Cramps hurt.",
        "Other causes are - Working too hard - Thirst",
        "Stretching helps.",
    ]


def test_loose_bullets_with_wide_spacing_are_joined():
    units = split_units("Causes include:  -  Salt loss   -  Heat")
    assert units == ["Causes include: - Salt loss - Heat"]


def test_passages_keep_parent_and_respect_size():
    sentence = "This sentence has exactly seven words here."
    doc = Document(
        id="X_1_Sec1", text="  ".join([sentence] * 40), title="T", url="u", qtype="causes"
    )
    passages = split_passages(doc, max_words=30)
    assert len(passages) > 1
    assert all(p.doc_id == "X_1_Sec1" and p.title == "T" and p.qtype == "causes" for p in passages)
    assert all(len(p.text.split()) <= 30 for p in passages)
    assert " ".join(p.text for p in passages).count(sentence) == 40


def test_a_loader_documents_paragraphs_and_list_split_and_carry_its_fields():
    text = (
        "Frost toe is a chill of the toes. It comes after long hours in wet boots.\n\n"
        "Signs include:\n- grey skin\n- numbness\n\nWarm the feet slowly in tepid water."
    )
    document = Document(
        id="clinic:frost-toe#2",
        text=text,
        title="Frost toe",
        collection="clinic",
        section="Symptoms",
        language="en",
        date="2025-03-04",
        credit="Clinic Library",
    )
    (passage,) = split_passages(document)
    assert passage.sentences == (
        "Frost toe is a chill of the toes.",
        "It comes after long hours in wet boots.",
        "Signs include: - grey skin - numbness",
        "Warm the feet slowly in tepid water.",
    )
    assert (passage.page, passage.section, passage.date, passage.credit, passage.collection) == (
        "clinic:frost-toe",
        "Symptoms",
        "2025-03-04",
        "Clinic Library",
        "clinic",
    )
