"""Which topic an answer is about: the question must name it or describe it, in lay words
too, and a page from another site on the same thing joins it."""

from dataclasses import replace

from healthqa.answer.topic import choose_topic, shares_name, topic_candidates
from healthqa.records import Candidate, Passage, Question


def _idf(words: set[str], collection: str) -> dict[str, float]:
    return dict.fromkeys(words, 1.0)


def _candidate(doc_id, focus, text, synonyms=(), dense=None, qtype="information"):
    passage = Passage(
        id=f"{doc_id}#0",
        doc_id=doc_id,
        sentences=(text,),
        title=focus,
        question=f"What is (are) {focus} ?",
        qtype=qtype,
        focus=focus,
        synonyms=tuple(synonyms),
    )
    scores = {} if dense is None else {"dense": dense}
    return Candidate(passage, scores=scores, score=1.0)


def _question(text: str, qtype: str = "causes") -> Question:
    return Question(raw=text, text=text, qtype=qtype, summary=text)


def _topic_of(question: str, *candidates: Candidate):
    topic = choose_topic(_question(question), list(candidates), _idf)
    return topic.focus if topic else None


BAD_BREATH = _candidate("MPlus_1_Sec1", "Bad Breath", "Odors come from germs in the mouth.")
RIBCAGE = _candidate("ADAM_2_Sec3", "Ribcage pain", "A bruised or cracked bone can do this.")
KNEE = _candidate("ADAM_3_Sec2", "Knee pain", "Overuse and injury are common.")


def test_all_words_of_a_topic_name_in_any_order_name_it():
    assert _topic_of("why does my breath smell bad", BAD_BREATH) == "Bad Breath"


def test_a_compound_name_is_named_by_its_parts():
    assert _topic_of("what are the causes of rib cage pain?", RIBCAGE) == "Ribcage pain"


def test_everyday_words_stand_for_their_medical_word():
    assert _topic_of("why do my knees hurt when i climb stairs", KNEE) == "Knee pain"


def test_a_technical_word_names_a_topic_with_a_longer_name():
    mthfr = _candidate("GHR_4_Sec1", "MTHFR gene mutation", "Variants change an enzyme.")
    assert _topic_of("homozygous MTHFR long term prognosis", mthfr) == "MTHFR gene mutation"


def test_a_bag_of_shared_names_must_hold_half_a_name_of_the_page():
    # the English alternative of a Spanish question is looked up by its shared words alone
    surgery = _candidate("MPlus_5_Sec1", "How to choose the best hospital for surgery", "Ask.")
    parkinson = _candidate("NINDS_6_Sec1", "Parkinson's Disease", "Nerve cells break down.")
    assert not shares_name(_question("talon hospital"), surgery.passage)
    assert shares_name(_question("parkinson abuelo"), parkinson.passage)


def test_one_everyday_word_of_a_name_is_not_enough():
    assert _topic_of("why does my car smell bad", BAD_BREATH) is None


def test_words_shared_by_chance_need_a_semantically_close_question():
    prions = _candidate(
        "NINDS_5_Sec1",
        "Transmissible Spongiform Encephalopathies",
        "These rare problems of the brain pass by transmission of a protein.",
        dense=0.18,
    )
    assert _topic_of("how to diagnose a transmission problem", prions) is None


def test_another_sites_page_on_the_same_topic_joins_the_answer():
    odor = _candidate(
        "ADAM_6_Sec1", "Breath odor", "Breath odor is the scent of the air.", ["Bad breath"]
    )
    odor_causes = _candidate(
        "ADAM_6_Sec2", "Breath odor", "Gum disease can cause it.", ["Bad breath"], qtype="causes"
    )
    unrelated = _candidate("MPlus_7_Sec1", "Smell disorders", "Smell can fade with age.")
    candidates = [BAD_BREATH, odor, unrelated]
    topic = choose_topic(_question("why does my breath smell bad"), candidates, _idf)
    families = {"ADAM_6_Sec1": [odor, odor_causes]}

    chosen = topic_candidates(topic, candidates, lambda doc_id: families.get(doc_id, []))

    assert "breath odor" in topic.names
    assert [c.passage.doc_id for c in chosen] == ["MPlus_1_Sec1", "ADAM_6_Sec1", "ADAM_6_Sec2"]


def _section(doc_id: str, title: str, section: str, text: str) -> Candidate:
    passage = Passage(f"{doc_id}#0", doc_id, (text,), title, focus=title, section=section)
    return Candidate(passage, score=0.5)


def _about_cough(text: str) -> Question:
    from healthqa.records import Term

    return Question(raw=text, text=text, summary=text, terms=(Term("cough", "Cough", "mesh"),))


COUGH = _candidate("NHLBI_1_Sec1", "Cough", "A cough is a reflex that clears the airways.")
SYRUP = "Sniffle Syrup Night Cough"


def test_a_page_section_the_question_names_comes_before_a_topic_it_names():
    inactive = _section("fda:sniffle#7", SYRUP, "Inactive ingredients", "water, sugar, mint.")
    uses = _section("fda:sniffle#1", SYRUP, "Uses", "Temporarily relieves cough.")
    question = _about_cough("what are the inactive ingredients in the cough syrup")
    assert choose_topic(question, [COUGH, uses, inactive], _idf).doc_id == "fda:sniffle#7"


def test_the_section_or_the_page_alone_is_not_enough():
    question = _about_cough("what are the inactive ingredients in the cough syrup")
    uses = _section("fda:sniffle#1", SYRUP, "Uses", "Temporarily relieves cough.")
    assert choose_topic(question, [uses, COUGH], _idf).focus == "Cough"
    pill = _section("fda:pill#7", "Moon Root Tablets", "Inactive ingredients", "starch.")
    assert choose_topic(question, [pill, COUGH], _idf).focus == "Cough"
    # a heading of question words only names no section
    causes = _section("cdc:night#2", "Night Cough in Children", "Causes", "Colds bring it on.")
    assert choose_topic(_about_cough("what causes a cough"), [causes, COUGH], _idf).focus == "Cough"


def test_the_page_on_the_asked_subject_may_hold_its_words_around_a_qualifier():
    from healthqa.analysis.vocabulary import phrase_key
    from healthqa.answer.subject import holds_words

    keys = frozenset({phrase_key("shingles vaccine")})
    assert holds_words("Shingles (Zoster) Vaccine", keys)
    assert not holds_words("Shingles", keys)  # one word of the name is not the page
    assert not holds_words("Aspirin and heart disease", frozenset({phrase_key("aspirin")}))


def test_coverage_is_weighed_by_the_passages_own_collection():
    """A page covers the question's words by its own collection's IDF: "hide" is a rare word
    in the other collection, so there its page no longer describes the question."""

    def idf(words: set[str], collection: str) -> dict[str, float]:
        return {w: 5.0 if (w, collection) == ("hide", "other") else 1.0 for w in words}

    asked = _question("which foods hide gluten")
    page = _candidate("X_1_Sec1", "Gluten-free diet", "Wheat and rye foods hold gluten.", dense=0.5)
    other = replace(page, passage=replace(page.passage, collection="other"))
    assert choose_topic(asked, [page], idf).focus == "Gluten-free diet"
    assert choose_topic(asked, [other], idf) is None
