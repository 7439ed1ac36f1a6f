import json
from pathlib import Path

import pytest

from healthqa.errors import HealthqaError
from healthqa.evaluation.answers import (
    DevQuestion,
    check_answer,
    cites_source,
    contains_phrase,
    read_dev_set,
    stem_sequence,
)
from healthqa.records import Answer, Citation, Question, Section, Sentence

DEV_SET = Path(__file__).resolve().parents[2] / "evalsets" / "answers-dev.jsonl"


def answer(text: str, ids: list[str], abstained: bool = False) -> Answer:
    sentences = tuple(Sentence(s.strip() + ".", (1,)) for s in text.split(".") if s.strip())
    return Answer(
        question=Question(raw="q", text="q"),
        sections=() if abstained else (Section("Causes", sentences),),
        citations=tuple(Citation(n, i, "t", "u", "s") for n, i in enumerate(ids, 1)),
        abstained=abstained,
    )


def test_phrases_match_on_stems_in_order_case_insensitively():
    body = stem_sequence("Gently STRETCHING the muscle; not enough blood getting to muscles")
    assert contains_phrase(body, "stretch")
    assert contains_phrase(body, "Not enough blood")
    assert not contains_phrase(body, "blood enough")
    assert not contains_phrase(body, "stretcher bearer")


def test_a_page_id_stands_for_all_its_sections():
    assert cites_source(["ADAM_0003556_Sec9"], ("ADAM_0003556",))
    assert not cites_source(["ADAM_0003556_Sec9"], ("ADAM_0003556_Sec1",))
    assert not cites_source(["ADAM_00035561_Sec1"], ("ADAM_0003556",))


CRAMPS = DevQuestion(
    "cramps",
    "what causes a charley horse",
    facts=(("dehydration", "dehydrated"), ("overuse", "straining")),
    sources=("MPlusHealthTopics_0000629_Sec1",),
)


def test_an_answer_passes_with_every_fact_and_a_right_source():
    good = answer(
        "Dehydration can cause cramps. So can straining a muscle.",
        ["MPlusHealthTopics_0000629_Sec1"],
    )
    assert check_answer(CRAMPS, good).passed
    wrong_source = check_answer(CRAMPS, answer("Dehydration and straining.", ["GARD_0001621_Sec3"]))
    assert not wrong_source.passed and not wrong_source.right_source
    missing = check_answer(
        CRAMPS, answer("Dehydration causes cramps.", ["MPlusHealthTopics_0000629_Sec1"])
    )
    assert missing.missing_facts == [["overuse", "straining"]] and not missing.passed


def test_abstention_passes_only_where_it_is_expected():
    off_topic = DevQuestion("car", "how do I change my oil", abstain=True)
    assert check_answer(off_topic, answer("", [], abstained=True)).passed
    assert not check_answer(off_topic, answer("Oil is a fat.", ["X_1_Sec1"])).passed
    assert not check_answer(CRAMPS, answer("", [], abstained=True)).passed


def test_dev_set_lines_need_facts_and_sources(tmp_path):
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps({"id": "x", "question": "q", "facts": [["a"]]}) + "\n")
    with pytest.raises(HealthqaError, match="dev.jsonl:1"):
        read_dev_set(path)


def test_the_project_dev_set_is_well_formed():
    items = read_dev_set(DEV_SET)
    assert len(items) >= 30
    assert len({i.id for i in items}) == len(items)
    assert sum(i.origin.startswith("foundation") for i in items) == 10
    assert any(i.abstain for i in items)
    assert all("_Sec" in s or s.count("_") == 1 for i in items for s in i.sources)


ES_ITEM = DevQuestion(
    "espasmo",
    "¿Por qué ocurren los espasmos musculares?",
    facts=(("deshidratación",), ("electrolitos", "magnesio")),
    sources=("https://medlineplus.gov/spanish/musclecramps.html",),
    language="es",
)


def spanish_answer(text: str, url: str, language: str = "es") -> Answer:
    return Answer(
        question=Question(raw="q", text="q", language=language),
        sections=(Section("Causes", (Sentence(text, (1,)),)),),
        citations=(Citation(1, "medlineplus-es:topics-calambre_muscular#1", "t", url, "s"),),
    )


def test_spanish_facts_match_without_accents_and_sources_by_url():
    url = "https://medlineplus.gov/spanish/musclecramps.html"
    good = spanish_answer("Las causas incluyen deshidratacion y bajos niveles de magnesio.", url)
    assert check_answer(ES_ITEM, good).passed
    other = spanish_answer(
        "Deshidratación y magnesio.", "https://medlineplus.gov/spanish/gout.html"
    )
    assert not check_answer(ES_ITEM, other).right_source


def test_a_spanish_question_answered_in_english_fails():
    url = "https://medlineplus.gov/spanish/musclecramps.html"
    english = spanish_answer("deshidratación magnesio", url, language="en")
    check = check_answer(ES_ITEM, english)
    assert not check.passed and not check.right_language


def test_the_spanish_dev_set_reads_and_is_large_enough():
    items = read_dev_set(DEV_SET.parent / "answers-es-dev.jsonl")
    answerable = [i for i in items if not i.abstain]
    assert len(answerable) >= 40 and all(i.language == "es" for i in items)
    assert all(
        s.startswith("https://medlineplus.gov/spanish/") for i in answerable for s in i.sources
    )
