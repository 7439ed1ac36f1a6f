"""Drug questions over the real MedQuAD (our own wording): an answer names the asked drug, by
any of its names, or says which page is missing; and every answer keeps its limits."""

import re

import pytest

from healthqa.answer import sections as S
from healthqa.answer.sections import section_for_question

pytestmark = pytest.mark.integration

# (question, names of the asked drug: generic and brands)
DRUG_QUESTIONS = [
    ("When should I take rabeprazole, before or after breakfast?", ["rabeprazole", "aciphex"]),
    ("What are the side effects of lisinopril?", ["lisinopril", "zestril", "prinivil"]),
    ("What are the side effects of Zestril?", ["lisinopril", "zestril", "prinivil"]),
    ("how much ibuprofen can I take for a headache", ["ibuprofen", "advil", "motrin"]),
    ("is it ok to drink wine while on metronidazole", ["metronidazole", "flagyl"]),
    ("can Nexium cause bone loss", ["esomeprazole", "nexium"]),
    # a page named like the drug (MedlinePlus "Botox") holds it
    ("Can botox help a stiff arm after a stroke?", ["botox", "onabotulinumtoxina"]),
    # asked beside a condition that has a page
    (
        "My grandmother has kidney disease. Is it safe for her to drink aloe juice?",
        ["aloe"],
    ),
    # of two drugs the question names, the one it asks about
    (
        "Tylenol does not help my mother's back pain. Can she take Motrin with her blood "
        "pressure pills?",
        ["ibuprofen", "motrin"],
    ),
    # the message keeps the condition for its question, then asks about the drug
    (
        "SUBJECT: My aunt has breast cancer\nMESSAGE: Hi, my aunt has just been told that she "
        "has breast cancer. And I want to know whether she could use salinomycin to kill it.",
        ["salinomycin"],
    ),
    # a drug name of two words, one of them a rare word the speller must not "correct"
    ("Does garcinia cambogia help with obesity?", ["garcinia cambogia"]),
    # a misspelt brand the sources have no text on
    ("What are the side effects of tecfedera?", ["tecfidera", "dimethyl fumarate"]),
    # the second word of a two-word drug name misspelt into a common word
    ("Does the extract of garcinia cambodia really help you lose weight?", ["garcinia cambogia"]),
    # several drugs asked: the product holding the others, not the ingredient's condition page
    (
        "I am allergic to dairy. Is there any lactose or casein in my levothyroxine tablets?",
        ["levothyroxine", "synthroid", "levoxyl"],
    ),
]


def _names_any(text: str, names: list[str]) -> bool:
    return any(re.search(rf"\b{re.escape(n)}\b", text, re.IGNORECASE) for n in names)


@pytest.mark.parametrize(("question", "names"), DRUG_QUESTIONS)
def test_a_drug_question_is_answered_about_that_drug_or_not_at_all(medquad_engine, question, names):
    answer = medquad_engine.ask(question)
    if answer.abstained:
        assert _names_any(answer.reason, names), answer.reason
        assert "no trustworthy page on" in answer.reason
    else:
        sentences = " ".join(s.text for sec in answer.sections for s in sec.sentences)
        titles = " ".join(c.title for c in answer.citations)
        assert _names_any(f"{sentences} {titles}", names), answer.text


@pytest.mark.parametrize(
    ("question", "wrong_page"),
    [
        # "adhesive" shares its stem with "adhesions"; the drug of the message is the subject
        (
            "I wear a clonidine skin patch and it keeps falling off when I swim. Is there an "
            "adhesive that helps it stick?",
            "adhesions",
        ),
        # the brand Aveed stems like AVED (ataxia with vitamin E deficiency)
        ("How is testosterone cypionate injection packaged?", "ataxia"),
    ],
)
def test_a_word_sharing_a_pages_stem_does_not_answer_from_that_page(
    medquad_engine, question, wrong_page
):
    answer = medquad_engine.ask(question)
    assert not any(wrong_page in c.title.lower() for c in answer.citations), answer.text
    assert not answer.abstained or "no trustworthy page on" in answer.reason


def test_a_question_on_a_drug_without_a_page_names_the_missing_page(medquad_engine):
    answer = medquad_engine.ask("When should I take rabeprazole, before or after breakfast?")
    assert answer.abstained and "I have no trustworthy page on rabeprazole" in answer.reason


def test_a_brand_name_reaches_the_generic_drugs_page(medquad_engine):
    answer = medquad_engine.ask("What are the side effects of Zestril?")
    assert not answer.abstained, answer.reason
    assert {c.title for c in answer.citations} == {"Lisinopril"}


def test_a_drug_in_the_story_does_not_take_over_the_question(medquad_engine):
    answer = medquad_engine.ask(
        "I have been on metformin for years and it works fine. My question is about my son: "
        "what causes kidney stones?"
    )
    assert not answer.abstained, answer.reason
    quoted = " ".join(s.text for sec in answer.sections for s in sec.sentences)
    assert "metformin" not in quoted.lower()
    assert not any("metformin" in c.title.lower() for c in answer.citations)
    assert any("kidney stone" in c.title.lower() for c in answer.citations)
    # the drug of the story is named once, as not covered, before the sections
    assert answer.uncovered_line and "metformin" in answer.uncovered_line.lower()
    assert answer.text.lower().count("metformin") == 1


LIMIT_QUESTIONS = [q for q, _ in DRUG_QUESTIONS] + [
    "what causes kidney stones",
    "what is the treatment for strep throat",
    "how can I prevent the flu",
    "my father has chest pain and trouble breathing, what are the signs of a heart attack",
]


@pytest.mark.parametrize("question", LIMIT_QUESTIONS)
@pytest.mark.parametrize("max_words", [300, 120])
def test_limits_hold_on_real_answers(medquad_engine, question, max_words):
    answer = medquad_engine.ask(question, max_words=max_words)
    assert answer.words <= max_words
    pages = [c.ids[0].rsplit("_Sec", 1)[0] for c in answer.citations]
    assert len(pages) == len(set(pages)), "a page is cited more than once"
    titles = [s.title for s in answer.sections]
    asked = section_for_question(answer.question.qtype)
    if asked in titles:
        assert titles.index(asked) == (1 if titles[0] == S.SEE_A_DOCTOR != asked else 0)
