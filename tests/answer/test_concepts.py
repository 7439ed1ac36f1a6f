"""Pages of other sites on the same UMLS concept (MedQuAD's annotation) join an answer; a
concept that tags many pages joins none."""

import pytest

from healthqa.answer.concepts import MAX_CONCEPT_PAGES, ConceptPages
from healthqa.errors import HealthqaError
from healthqa.records import Document, Passage
from healthqa.retrieval.index import FORMAT_VERSION, build_index, open_index


def _passage(page: str, source: str, cuis: tuple[str, ...]) -> Passage:
    return Passage(
        f"{page}_Sec1#0", f"{page}_Sec1", ("Text.",), page, source=source, page=page, cuis=cuis
    )


def test_pages_of_other_sites_sharing_a_concept_are_siblings():
    pages = ConceptPages.of(
        [
            _passage("MPlus_1", "MPlusHealthTopics", ("C1", "C9")),
            _passage("NIDDK_2", "NIDDK", ("C1",)),
            _passage("MPlus_3", "MPlusHealthTopics", ("C1",)),  # the same site: not a sibling
            _passage("GARD_4", "GARD", ("C2",)),
        ]
    )
    assert pages.siblings("MPlus_1") == ["NIDDK_2_Sec1"]
    # MPlus_1 names something more (C9) than all NIDDK_2 is about
    assert pages.siblings("NIDDK_2") == ["MPlus_3_Sec1"]
    assert pages.siblings("GARD_4") == []


def test_a_concept_on_many_pages_joins_none():
    generic = [
        _passage(f"P_{n}", "GARD" if n % 2 else "GHR", ("C_SYNDROME",))
        for n in range(MAX_CONCEPT_PAGES + 1)
    ]
    pages = ConceptPages.of([*generic, _passage("NINDS_9", "NINDS", ("C_SYNDROME",))])
    assert pages.siblings("P_0") == []
    assert pages.siblings("NINDS_9") == []


def test_a_page_naming_several_things_is_not_the_page_on_one_of_them():
    pages = ConceptPages.of(
        [
            _passage("MPlus_1", "MPlusHealthTopics", ("C_CRAMPS",)),
            _passage("GARD_2", "GARD", ("C_CRAMPS", "C_ACANTHOSIS")),
            _passage("GARD_3", "GARD", ("C_EPILEPSY", "C_ALOPECIA", "C_PYORRHEA")),
            _passage("NINDS_4", "NINDS", ("C_EPILEPSY",)),
        ]
    )
    assert pages.siblings("MPlus_1") == []
    assert pages.siblings("GARD_3") == []
    assert pages.siblings("NINDS_4") == []


STONE_SUMMARY = (
    "Stone belly is a hard lump of minerals that forms in the gut. It can hurt a lot. "
    "See your doctor if the pain does not go away."
)
STONE_TREATMENT = (
    "Drinking plenty of water helps the small lumps pass on their own. A doctor can break a "
    "large lump with sound waves."
)


def _document(source: str, doc_id: str, focus: str, pid: str, qtype: str, text: str, cuis):
    return Document(
        id=f"{source}_{doc_id}_Sec{pid}",
        text=text,
        title=focus,
        url=f"https://example.org/{source}/{doc_id}",
        source=source,
        page=f"{source}_{doc_id}",
        question=f"What is (are) {focus} ?",
        qtype=qtype,
        focus=focus,
        cuis=cuis,
    )


@pytest.fixture(scope="module")
def sibling_engine(tmp_path_factory):
    from healthqa.config import Settings
    from healthqa.engine import Engine, build

    documents = [
        _document(
            "MPlusHealthTopics",
            "1",
            "Stone Belly",
            "1",
            "information",
            STONE_SUMMARY,
            ("C0000001",),
        ),
        _document(
            "NIDDK",
            "2",
            "What I need to know about Stone Belly",
            "1",
            "treatment",
            STONE_TREATMENT,
            ("C0000001",),
        ),
        _document(
            "GARD",
            "3",
            "Moss fever",
            "1",
            "information",
            "Moss fever is a rash from green moss.",
            ("C0000002",),
        ),
    ]
    settings = Settings(home=tmp_path_factory.mktemp("siblinghome"), dense=False)
    build(settings, documents)
    return Engine.open(settings)


def test_the_same_concepts_page_on_another_site_joins_the_answer(sibling_engine):
    answer = sibling_engine.ask("what is stone belly?")
    assert not answer.abstained
    assert {c.id for c in answer.citations} == {
        "MPlusHealthTopics_1_Sec1",
        "NIDDK_2_Sec1",
    }
    assert "Drinking plenty of water" in answer.text and "hard lump of minerals" in answer.text


def test_an_index_of_the_format_before_concepts_is_refused_with_a_rebuild_message(tmp_path):
    target = tmp_path / "idx"
    build_index(
        [_document("GARD", "3", "Moss fever", "1", "information", "Moss rash.", ())], target
    )
    manifest = target / "manifest.json"
    manifest.write_text(
        manifest.read_text().replace(
            f'"format_version": {FORMAT_VERSION}', f'"format_version": {FORMAT_VERSION - 1}'
        )
    )
    with pytest.raises(HealthqaError, match="rebuild"):
        open_index(target)
