from healthqa.answer import sections as S
from healthqa.answer.compose import compose
from healthqa.records import Candidate, Passage, Question


def _passage(doc_id, sentences, qtype="information", title="Leg Knots"):
    return Passage(
        id=f"{doc_id}#0",
        doc_id=doc_id,
        sentences=tuple(sentences),
        title=title,
        url=f"https://example.org/{doc_id}",
        source="MPlusHealthTopics",
        qtype=qtype,
        focus=title,
    )


INFO = _passage(
    "K_1_Sec1",
    [
        "Leg knots are sudden, tight squeezes of a muscle.",
        "Leg knots can be caused by tired nerves.",
        "Other causes are - Working a muscle too hard - Not drinking enough water",
        "Gently stretching the muscle can ease the pain.",
        "Call your health care provider if the knots are severe.",
        "Learn more about leg knots on this page.",
    ],
)
TREAT = _passage(
    "K_1_Sec2",
    [
        "Gently stretching the muscle can ease the pain of leg knots.",
        "Warm baths relax the muscle.",
    ],
    qtype="treatment",
)


def _answer(qtype, max_words=300):
    question = Question(
        raw="q", text="what causes leg knots", qtype=qtype, summary="what causes leg knots"
    )
    return compose(question, [Candidate(INFO, score=1.0), Candidate(TREAT, score=0.5)], max_words)


def test_every_sentence_is_quoted_from_a_source_and_cited():
    answer = _answer("causes")
    texts = {s for p in (INFO, TREAT) for s in p.sentences}
    for section in answer.sections:
        for sentence in section.sentences:
            assert sentence.text in texts
            assert sentence.citations and all(
                1 <= n <= len(answer.citations) for n in sentence.citations
            )


def test_sections_warning_first_then_what_it_is_then_the_asked_type():
    titles = [s.title for s in _answer("causes").sections]
    assert titles[:3] == [S.SEE_A_DOCTOR, S.WHAT_IT_IS, S.CAUSES]
    causes = next(s for s in _answer("causes").sections if s.title == S.CAUSES)
    assert any("Not drinking enough water" in s.text for s in causes.sentences)


def test_debris_and_near_duplicates_are_left_out():
    text = _answer("treatment").text
    assert "Learn more" not in text
    assert text.count("Gently stretching the muscle can ease the pain") == 1


def test_word_budget_is_kept_and_citations_numbered_in_order_of_use():
    answer = _answer("causes", max_words=30)
    assert 0 < answer.words <= 30
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
