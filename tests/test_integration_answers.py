"""Ten lay questions over the real MedQuAD, with the facts each answer must contain."""

import pytest

pytestmark = pytest.mark.integration

CASES = [
    (
        "Why does spasm occur?",
        "MPlusHealthTopics_0000629_Sec1",
        [
            ["overus", "straining"],
            ["dehydration"],
            ["mineral", "electrolyte"],
            ["blood"],
            ["nerve"],
        ],
    ),
    (
        "what causes a charley horse",
        "MPlusHealthTopics_0000629_Sec1",
        [["overus", "straining"], ["dehydration"], ["mineral", "electrolyte"]],
    ),
    ("what helps a charley horse at night", "MPlusHealthTopics_0000629", [["stretch", "massag"]]),
    ("what are the symptoms of shingles", "", [["rash"], ["pain", "burning", "itch"]]),
    ("how do you get pink eye", "", [["virus", "bacteria", "allerg"]]),
    ("is high blood pressure dangerous", "", [["heart"], ["kidney", "stroke", "brain"]]),
    ("what causes kidney stones", "", [["crystal", "calcium", "uric", "urine"]]),
    ("how can I prevent the flu", "", [["vaccin"]]),
    ("what is the treatment for strep throat", "", [["antibiotic"]]),
    ("what are the signs of diabetes", "", [["thirst", "urinat", "tired", "weight"]]),
]


@pytest.mark.parametrize(("question", "source", "facts"), CASES)
def test_lay_question_answer_has_the_facts(medquad_engine, question, source, facts):
    answer = medquad_engine.ask(question)
    assert not answer.abstained, answer.reason
    body = " ".join(s.text for sec in answer.sections for s in sec.sentences).lower()
    for alternatives in facts:
        assert any(fact in body for fact in alternatives), (alternatives, body)
    if source:
        assert any(c.id.startswith(source) for c in answer.citations)
    assert answer.words <= 300
    assert all(s.citations for sec in answer.sections for s in sec.sentences)


def test_spasm_and_charley_horse_reach_the_same_source(medquad_engine):
    ids = [
        {c.id for c in medquad_engine.ask(q).citations}
        for q in ("Why does spasm occur?", "what causes a charley horse")
    ]
    assert "MPlusHealthTopics_0000629_Sec1" in ids[0] & ids[1]
