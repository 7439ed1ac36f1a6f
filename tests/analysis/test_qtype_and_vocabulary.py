import pytest

from healthqa.analysis.qtype import detect_qtype
from healthqa.analysis.vocabulary import build_vocabulary


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("Why does spasm occur?", "causes"),
        ("what causes a charley horse", "causes"),
        ("what helps a charley horse at night", "treatment"),
        ("how do I get rid of hiccups", "treatment"),
        ("what are the symptoms of lupus", "symptoms"),
        ("how can I prevent kidney stones", "prevention"),
        ("is psoriasis inherited?", "inheritance"),
        ("what are the side effects of metformin", "side effects"),
        ("when should I see a doctor for a headache", "when to contact a medical professional"),
        ("how is celiac disease diagnosed", "exams and tests"),
        ("what is the life expectancy with ALS", "outlook"),
        ("what is sarcoidosis", "information"),
    ],
)
def test_question_type(question, qtype):
    assert detect_qtype(question) == qtype


def test_lay_names_reach_the_corpus_topic_through_vocabularies():
    vocabulary = build_vocabulary(
        [
            ("Muscle Cramps", ("Charley horse",), True),
            # an empty A.D.A.M. page lends its synonym to the topic with text
            ("Charley horse", ("Muscle spasm",), False),
            ("Asthma", (), True),
        ]
    )
    concepts = lambda text: [t.concept for t in vocabulary.find_terms(text)]  # noqa: E731
    assert concepts("what helps a charley horse at night") == ["Muscle Cramps"]
    assert concepts("leg cramps at night") == ["Muscle Cramps"]  # MeSH: cramps -> Muscle Cramp
    assert concepts("Why does spasm occur?") == ["Muscle Cramps"]  # MeSH: spasm = muscle spasm
    assert concepts("best pizza in town") == []
    assert [t.concept for t in vocabulary.find_terms("can I take tylenol")] == ["Acetaminophen"]


def test_short_names_that_are_common_words_do_not_match():
    vocabulary = build_vocabulary([("Andersen-Tawil syndrome", ("ATS",), True), ("Flu", (), True)])
    assert [t.concept for t in vocabulary.find_terms("what helps at night")] == []
    assert [t.concept for t in vocabulary.find_terms("how can I prevent the flu")] == ["Flu"]


def test_an_eponym_alone_reaches_its_disease():
    vocabulary = build_vocabulary([("Granulomatosis with Polyangiitis", (), True)])
    # MeSH lists "Wegener's granulomatosis"; people write "wegeners" or "Wegener’s"
    for text in ("symptoms of wegeners", "is Wegener’s contagious"):
        assert [t.concept for t in vocabulary.find_terms(text)] == [
            "Granulomatosis with Polyangiitis"
        ]
    # a possessive that is an ordinary word is not a person's name ("smoker's patch")
    assert vocabulary.find_terms("I am a smoker") == []


def test_a_concepts_own_name_beats_another_concepts_variant():
    vocabulary = build_vocabulary([("Asthma", (), True)])
    # Niacin's salt "nicotinate" stems like "nicotine"
    assert [t.concept for t in vocabulary.find_terms("effects of nicotine")] == ["Nicotine"]
