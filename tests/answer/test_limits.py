"""Limits every answer keeps: at most `max_words` as a person reads it (notice, section titles,
sentences, citation marks), each source page cited once, the asked section first."""

import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from healthqa.answer import sections as S
from healthqa.answer.compose import compose
from healthqa.cli.render import render_answer
from healthqa.records import Answer, Candidate, Passage, Question, word_count

WORDS = ["leg", "knots", "muscle", "pain", "night", "water", "stretch", "doctor", "nerves"]
CUES = ["", "can be caused by", "symptoms include", "treatment is", "call your doctor if"]


def _passage(doc_id: str, sentences, qtype: str = "information") -> Passage:
    return Passage(
        id=f"{doc_id}#0",
        doc_id=doc_id,
        sentences=tuple(sentences),
        title="Leg Knots",
        url=f"https://example.org/{doc_id.rsplit('_Sec', 1)[0]}",
        source="MPlusHealthTopics",
        qtype=qtype,
        focus="Leg Knots",
        page=doc_id.rsplit("_Sec", 1)[0],  # as the MedQuAD loader sets it
    )


def _question(qtype: str) -> Question:
    text = "what about leg knots"
    return Question(raw=text, text=text, qtype=qtype, summary=text)


sentence = st.builds(
    lambda cue, words: " ".join(["Leg", "knots", cue, *words]).replace("  ", " ") + ".",
    st.sampled_from(CUES),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=40),
)
passage_ids = st.sampled_from(["K_1_Sec1", "K_1_Sec2", "K_1_Sec3", "M_2_Sec1", "N_3_Sec4"])
passages = st.lists(
    st.builds(
        _passage,
        passage_ids,
        st.lists(sentence, min_size=1, max_size=8),
        st.sampled_from(["information", "causes", "treatment", "symptoms"]),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(
    passages,
    st.sampled_from(["information", "causes", "treatment", "symptoms", "side effects"]),
    st.integers(min_value=30, max_value=400),
)
def test_no_composed_answer_exceeds_max_words_as_read(given_passages, qtype, max_words):
    candidates = [Candidate(p, score=1.0 / (1 + i)) for i, p in enumerate(given_passages)]
    answer = compose(_question(qtype), candidates, max_words, topic_names=frozenset({"leg knots"}))
    assert answer.words <= max_words
    assert answer.words == word_count(answer.body)


QUESTIONS = [
    "what helps sniffle fever",
    "what causes leg knots at night",
    "When should I take Aciphex?",
    "my chest hurts and I cannot breathe, what causes leg knots",  # an emergency notice
    "What are the side effects of Nexium?",  # an abstention
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(QUESTIONS), st.integers(min_value=30, max_value=300))
def test_no_answer_exceeds_max_words_as_read(drug_engine, question, max_words):
    answer = drug_engine.ask(question, max_words=max_words)
    # the emergency notice and the reason for abstaining are never cut: when they alone pass
    # the cap, they are all the answer says
    fixed = word_count(answer.notice) + (word_count(answer.reason) if answer.abstained else 0)
    assert answer.words <= max(max_words, fixed)
    if answer.sections:
        assert answer.words <= max_words
    assert answer.to_dict()["words"] == answer.words


def test_an_emergency_notice_counts_toward_the_cap(drug_engine):
    question = "my chest hurts and I cannot breathe, what causes leg knots"
    answer = drug_engine.ask(question, max_words=120)
    assert answer.notice and answer.sections
    assert answer.words <= 120
    assert answer.text.startswith(answer.notice)


def test_a_pages_answers_share_one_citation_that_keeps_their_ids():
    pages = [
        _passage("K_1_Sec1", ["Leg knots are sudden squeezes of a muscle."]),
        _passage("K_1_Sec2", ["Leg knots can be caused by tired nerves."], "causes"),
        _passage("M_2_Sec1", ["Leg knots treatment is to stretch the muscle."], "treatment"),
        _passage("K_1_Sec3", ["Leg knots symptoms include a hard lump."], "symptoms"),
    ]
    candidates = [Candidate(p, score=1.0) for p in pages]
    answer = compose(_question("causes"), candidates, 300, topic_names=frozenset({"leg knots"}))
    by_page = {c.url: c for c in answer.citations}
    assert len(by_page) == len(answer.citations) == 2
    knots = by_page["https://example.org/K_1"]
    assert set(knots.ids) == {"K_1_Sec1", "K_1_Sec2", "K_1_Sec3"} and knots.id == knots.ids[0]
    assert [c.n for c in answer.citations] == [1, 2]
    marks = re.findall(r"\[(\d+)\]", answer.body)
    assert {int(m) for m in marks} == {1, 2}


def test_the_asked_section_comes_right_after_the_warning_signs():
    page = _passage(
        "K_1_Sec1",
        [
            "Leg knots are sudden squeezes of a muscle.",
            "Leg knots can be caused by tired nerves.",
            "Gently stretching the muscle can ease the pain.",
            "Call your doctor if the knots are severe.",
        ],
    )
    for qtype, asked in (("treatment", S.WHAT_HELPS), ("causes", S.CAUSES)):
        answer = compose(
            _question(qtype),
            [Candidate(page, score=1.0)],
            300,
            topic_names=frozenset({"leg knots"}),
        )
        titles = [s.title for s in answer.sections]
        assert titles[:2] == [S.SEE_A_DOCTOR, asked], titles


def _rendered_body(answer: Answer) -> str:
    out = io.StringIO()
    render_answer(answer, Console(file=out, width=100, color_system=None))
    printed = out.getvalue().split("Sources")[0]
    return re.sub(r"[\u2500-\u257f]", " ", printed)  # the panels' box lines


def test_the_terminal_shows_the_words_the_count_counts(drug_engine):
    answer = drug_engine.ask("what causes leg knots at night")
    assert answer.sections and not answer.notice
    assert word_count(_rendered_body(answer)) == answer.words
    assert answer.to_dict()["text"].startswith(answer.body)
