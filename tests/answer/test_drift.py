"""No drift: an answer speaks of what the question asks about (a brand and its generic are one
drug), or says which page is missing. Over the tiny MedQuAD with a drug page (conftest)."""

import pytest

from healthqa.answer.subject import asked_subject, speaks_of

RABEPRAZOLE_PAGE = "MPlusDrugs_0000010"


def _cited_pages(answer) -> set[str]:
    return {i.rsplit("_Sec", 1)[0] for c in answer.citations for i in c.ids}


def test_a_brand_name_reaches_its_generic_drugs_page(drug_engine):
    answer = drug_engine.ask("When should I take Aciphex?")
    assert not answer.abstained, answer.reason
    assert _cited_pages(answer) == {RABEPRAZOLE_PAGE}
    assert "before a meal" in answer.text


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        # "side effects" names the general page on drug reactions; it never names the drug
        ("What are the side effects of Nexium?", "nexium (Esomeprazole)"),
        # "before" is shared with the general page on taking medicines
        ("When should I take esomeprazole, before breakfast?", "esomeprazole"),
    ],
)
def test_a_drug_without_a_page_is_not_answered_from_a_general_page(drug_engine, question, missing):
    answer = drug_engine.ask(question)
    assert answer.abstained and not answer.citations and not answer.sections
    assert f"I have no trustworthy page on {missing}" in answer.text


def test_the_drugs_own_page_answers_when_a_general_topic_the_question_names_ranks_first(
    drug_engine,
):
    answer = drug_engine.ask("What are the side effects of rabeprazole?")
    assert not answer.abstained, answer.reason
    assert _cited_pages(answer) == {RABEPRAZOLE_PAGE}
    assert "headache" in answer.text


@pytest.mark.parametrize(
    "message",
    [
        "I have taken rabeprazole every morning for two years. What helps sniffle fever?",
        # one lower-case message: the drug is in a sentence that asks nothing, the asking one
        # is about the condition, so the condition's page answers, not the drug's
        "my son has sniffle fever. what helps it? he also takes rabeprazole every morning",
    ],
)
def test_a_drug_named_only_in_the_story_around_the_question_does_not_bind_the_answer(
    drug_engine, message
):
    answer = drug_engine.ask(message)
    assert not answer.abstained, answer.reason
    assert "GARD_0000002" in _cited_pages(answer)
    assert RABEPRAZOLE_PAGE not in _cited_pages(answer)


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("Aciphex lowers the acid in the stomach.", True),  # the brand names the generic
        ("Rabeprazole lowers the acid in the stomach.", True),
        ("Omeprazole lowers the acid in the stomach.", False),  # another drug of its kind
        ("Medicines can lower the acid in the stomach.", False),
    ],
)
def test_a_quoted_sentence_names_the_drug_by_any_of_its_names(drug_engine, sentence, named):
    question = drug_engine.analyze("what is rabeprazole used for")
    subject = asked_subject(question, frozenset())
    find_terms = drug_engine.analyzer.vocabulary.find_terms
    assert speaks_of(subject, {"stomach acid"}, [sentence], find_terms) is named


def test_the_page_topic_by_one_of_its_names_is_enough(drug_engine):
    question = drug_engine.analyze("what is aciphex used for")
    subject = asked_subject(question, frozenset())
    find_terms = drug_engine.analyzer.vocabulary.find_terms
    assert speaks_of(subject, {"rabeprazole"}, ["It lowers the acid."], find_terms)
    assert not speaks_of(subject, {"drug reactions"}, ["It lowers the acid."], find_terms)


def test_a_question_on_a_condition_needs_an_answer_on_that_condition(drug_engine):
    question = drug_engine.analyze("what causes leg knots")
    subject = asked_subject(question, frozenset())
    find_terms = drug_engine.analyzer.vocabulary.find_terms
    assert speaks_of(subject, set(), ["Night knots come from tired nerves."], find_terms)
    assert not speaks_of(subject, {"sniffle fever"}, ["It spreads by coughs."], find_terms)


def test_a_brand_named_before_a_question_on_this_medicine_is_answered_from_its_generic(
    drug_engine,
):
    # the question itself says only "this medicine": the drug is the one the message names
    answer = drug_engine.ask(
        "My doctor started me on Aciphex last week. Could a headache be a side effect of this "
        "medicine?"
    )
    assert not answer.abstained, answer.reason
    assert _cited_pages(answer) == {RABEPRAZOLE_PAGE}
    assert "headache" in answer.text


def test_a_question_on_this_medicine_whose_drug_has_no_page_abstains_naming_the_drug(
    drug_engine,
):
    answer = drug_engine.ask(
        "I still have amoxicillin tablets from my dental work in January. Is the medicine "
        "still good after five months?"
    )
    assert answer.abstained and not answer.citations, answer.text
    assert "I have no trustworthy page on amoxicillin" in answer.text


def test_a_drug_class_does_not_stand_for_the_drug_the_message_names(drug_engine):
    question = drug_engine.analyze(
        "I have taken esomeprazole for a month. What are the side effects of proton pump "
        "inhibitors?"
    )
    find_terms = drug_engine.analyzer.vocabulary.find_terms
    assert asked_subject(question, frozenset(), find_terms).label == "esomeprazole"


def _question(text, summary, *terms, focus=""):
    from healthqa.records import Question

    return Question(raw=text, text=text, summary=summary, terms=tuple(terms), focus=focus)


def test_a_word_reaching_a_page_by_its_stem_only_is_not_the_subject():
    from healthqa.records import Term

    adhesive = Term("adhesive", "Adhesions", "medquad", stem_only=True)
    clonidine = Term("clonidine", "Clonidine", "drug", drug=True)
    text = "I apply the clonidine patch every week. What can I do to help it stick? adhesive"
    question = _question(text, "What adhesive can I use to help it stick?", adhesive)
    # "adhesive" is no subject of its own: the drug the message names is
    subject = asked_subject(question, frozenset(), lambda _: (clonidine,))
    assert subject is not None and subject.label == "clonidine"
    # nor is it the focus to insist on when the message names no drug
    assert asked_subject(_question(text, text, adhesive, focus="Adhesions"), frozenset()) is None


@pytest.mark.parametrize(
    "drug",
    [
        # a page of MedQuAD holds the name, but drug-named-entity-recognition names a drug
        ("botox", "Botox", "medquad"),
        # as common in English as an everyday word (zipf 3.1), but one of the drug's names
        ("aloe", "Aloe vera leaf", "drug"),
    ],
)
def test_a_drug_the_question_names_is_its_subject_beside_a_condition(drug):
    from healthqa.records import Term

    word, concept, vocabulary = drug
    kidney = Term("kidney disease", "Kidney Disease", "medquad")
    term = Term(word, concept, vocabulary, drug=True)
    summary = f"My aunt has kidney disease. Is it ok for her to use {word}?"
    subject = asked_subject(_question(summary, summary, kidney, term), frozenset())
    assert subject is not None and subject.label.startswith(word)


def test_of_several_drugs_the_question_names_the_asked_one_binds_the_answer():
    from healthqa.records import Term

    tylenol = Term("tylenol", "Acetaminophen", "drug", drug=True)
    motrin = Term("motrin", "Ibuprofen", "drug", drug=True)
    summary = "Her pain is not relieved by Tylenol. Could she take Motrin with her other pills?"
    subject = asked_subject(_question(summary, summary, tylenol, motrin), frozenset())
    assert subject is not None and subject.label == "motrin (Ibuprofen)"
    # both asked: either will do
    summary = "Can she take Tylenol and Motrin together?"
    subject = asked_subject(_question(summary, summary, tylenol, motrin), frozenset())
    assert subject is not None and subject.keys >= {"tylenol", "motrin"}


def test_of_several_drugs_asked_the_product_holding_the_others_binds_the_answer():
    from healthqa.records import Term

    levo = Term("levothyroxin", "Levothyroxine", "drug", drug=True)
    lactose = Term("lactose", "Lactose", "drug", drug=True)
    casein = Term("casein", "Caseins", "drug", drug=True)
    text = "Is there any dairy (lactose, casein) in the Levothyroxin tab?"
    subject = asked_subject(_question(text, text, lactose, casein, levo), frozenset())
    # an answer on lactose (Lactose Intolerance) does not say what the tablet holds
    assert subject is not None and subject.label == "levothyroxin"


def test_of_several_drugs_asked_the_one_the_message_keeps_naming_binds_the_answer():
    from healthqa.records import Term

    tecfidera = Term("tecfidera", "Dimethyl Fumarate", "drug", drug=True)
    aspirin = Term("aspirin", "Aspirin", "drug", drug=True)
    text = (
        "SUBJECT: side effects from tecfidera\nMESSAGE: I started Tecfidera in April and "
        "had flushing. My doctor said to take an aspirin with every dose of Tecfidera. "
        "Has anyone had these problems with tecfidera or aspirin?"
    )
    summary = "Has anyone had these problems with tecfidera or aspirin?"
    subject = asked_subject(_question(text, summary, tecfidera, aspirin), frozenset())
    assert subject is not None and subject.label == "tecfidera (Dimethyl Fumarate)"
    # named as often as each other: either will do (the others are named as not covered)
    text = "Plavix, lisinopril: what side effects should I be aware of when taking both?"
    plavix = Term("plavix", "Clopidogrel", "drug", drug=True)
    lisinopril = Term("lisinopril", "Lisinopril", "drug", drug=True)
    subject = asked_subject(_question(text, text, plavix, lisinopril), frozenset())
    assert subject is not None and subject.keys >= {"plavix", "lisinopril"}


def test_the_subject_line_naming_an_ingredient_does_not_make_it_the_subject():
    from healthqa.records import Term

    gelatin = Term("gelatin", "Gelatin", "drug", drug=True)
    vitamin_d = Term("vitamin d", "Vitamin D", "drug", drug=True)
    text = "SUBJECT: gelatin\nMESSAGE: What kind of gelatin is used at vitamin d? Is it pork?"
    summary = "What kind of gelatin is used at vitamin d? Is it pork?"
    subject = asked_subject(_question(text, summary, gelatin, vitamin_d), frozenset())
    assert subject is not None and subject.keys >= {"gelatin", "vitamin d"}


def test_medicines_in_general_are_no_page_the_answer_owes():
    from healthqa.records import Term

    medicine = Term("medicine", "Medicines", "medquad")
    text = "stool test came back positive for hookworm eggs. what medicine do they use to kill them"
    # the person asks for a treatment of something else, not for a page on "Medicines": no
    # "I have no trustworthy page on medicine"
    assert asked_subject(_question(text, text, medicine, focus="Medicines"), frozenset()) is None


def test_a_drug_the_asking_sentence_points_back_to_stays_the_subject(drug_engine):
    # no subject of its own beside the drug: "the side effects" are the drug's
    answer = drug_engine.ask("i started rabeprazole last week. what are the side effects?")
    assert not answer.abstained, answer.reason
    assert _cited_pages(answer) == {RABEPRAZOLE_PAGE}


@pytest.mark.parametrize(
    "message",
    [
        # the drug is asked about in a sentence of its own, outside the kept question
        "My son has sniffle fever. What helps sniffle fever? Does esomeprazole help it?",
        "SUBJECT: sniffle fever\nMESSAGE: My son has had sniffle fever for three days now and "
        "he is very tired. What helps sniffle fever? How about esomeprazole?",
    ],
)
def test_a_relation_the_condition_page_does_not_name_the_drug_in_is_not_answered(
    drug_engine, message
):
    # the page on sniffle fever never names esomeprazole, and there is no page on it
    answer = drug_engine.ask(message)
    assert answer.abstained and not answer.citations and not answer.sections, answer.text
    assert "I have no trustworthy page on esomeprazole" in answer.text
    assert "my page on Sniffle fever does not say anything about it" in answer.text


def test_a_relation_is_answered_from_the_asked_drugs_page_saying_what_it_leaves_out(
    drug_engine,
):
    answer = drug_engine.ask(
        "My son has sniffle fever. What helps sniffle fever? Does aciphex help it?"
    )
    assert not answer.abstained, answer.reason
    assert _cited_pages(answer) == {RABEPRAZOLE_PAGE}
    # the drug's page never names the condition: the answer says so
    assert "Not covered by this answer: Sniffle fever" in answer.text
    assert answer.words <= 300
