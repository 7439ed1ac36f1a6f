"""The learned English topic chooser (Settings.topic="learned"): the page of the question's
main concept wins over a better-ranked page on a side detail of the story, a question no
page is about gets no page, and the engine answers and abstains with it as with the rules."""

import json
from dataclasses import replace

import pytest

from healthqa.analysis.focus import default_model as default_focus_model
from healthqa.answer.topic import choose_topic
from healthqa.answer.topic_model import (
    FEATURES,
    NO_FALLBACK,
    TopicModel,
    choose_learned,
    default_topic_model,
    prefer_learned,
    topic_features,
)
from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.errors import HealthqaError
from healthqa.records import Candidate, Passage, Question, Term


def _idf(words: set[str], collection: str) -> dict[str, float]:
    return dict.fromkeys(words, 1.0)


def _candidate(doc_id, focus, text, rerank, dense, lexical):
    passage = Passage(
        id=f"{doc_id}#0",
        doc_id=doc_id,
        sentences=(text,),
        title=focus,
        question=f"What is (are) {focus} ?",
        qtype="information",
        focus=focus,
    )
    scores = {"rerank": rerank, "dense": dense, "lexical": lexical}
    return Candidate(passage, scores=scores, score=rerank)


def _term(text: str, concept: str) -> Term:
    return Term(text=text, concept=concept, vocabulary="medquad")


STORY = (
    "I had a knee replacement two years ago and walk fine now. Last week my doctor did an "
    "EKG and said it was abnormal. What does an abnormal EKG mean?"
)
ASKED = "What does an abnormal EKG mean?"


def _story_question() -> Question:
    terms = (_term("knee replacement", "Knee replacement"), _term("EKG", "Electrocardiogram"))
    return Question(raw=STORY, text=STORY, summary=ASKED, qtype="information", terms=terms)


def _choose(question: Question, candidates: list[Candidate], threshold: float | None = None):
    model, focus = default_topic_model(), default_focus_model()
    topic = choose_learned(question, candidates, _idf, model, focus, threshold)
    return topic.focus if topic else None


def test_the_packaged_model_loads_with_a_threshold_chosen_on_training_data():
    model = TopicModel.load()  # the JSON in healthqa/models: no network, no index
    # a model file of an earlier session (fewer features) reads as it was fitted
    assert set(model.features) <= set(FEATURES)
    assert 0.0 < model.threshold < 1.0
    assert "LiveQA" in model.info["trained_on"]


def test_the_page_of_the_asked_concept_wins_over_a_better_ranked_side_detail():
    knee = _candidate(
        "ADAM_1_Sec1", "Knee replacement", "A knee joint is replaced.", 0.6, 0.45, 9.0
    )
    ekg = _candidate(
        "ADAM_2_Sec1", "Electrocardiogram", "An EKG records the heart's activity.", 0.5, 0.5, 8.0
    )
    # the more probable page (whether either reaches the threshold is the model's to say)
    assert _choose(_story_question(), [knee, ekg], threshold=0.0) == "Electrocardiogram"


def test_rules_then_learned_answers_from_the_asked_concepts_page_not_the_story_detail():
    # the rules take the first page a concept names (the knee); the learned chooser's page is
    # clearly more probable, so it replaces it (Settings.topic "rules-learned")
    knee = _candidate(
        "ADAM_1_Sec1", "Knee replacement", "A knee joint is replaced.", 0.6, 0.45, 9.0
    )
    ekg = _candidate(
        "ADAM_2_Sec1", "Electrocardiogram", "An EKG records the heart's activity.", 0.5, 0.5, 8.0
    )
    question, candidates = _story_question(), [knee, ekg]
    rules = choose_topic(question, candidates, _idf)
    assert rules is not None and rules.focus == "Knee replacement"
    chosen = prefer_learned(
        question, candidates, rules, _idf, default_topic_model(), default_focus_model()
    )
    assert chosen.focus == "Electrocardiogram"
    # with a margin no page can pass, the rules' page stays
    never = replace(default_topic_model(), margin=1.0)
    kept = prefer_learned(question, candidates, rules, _idf, never, default_focus_model())
    assert kept.focus == "Knee replacement"


def test_when_the_rules_abstain_the_learned_page_answers_from_its_fallback():
    # "rules-learned": a question the rules find no page for gets the learned chooser's page
    # when its P(on topic) reaches the model's fallback, and no page below it
    knee = _candidate("ADAM_1_Sec1", "Knee replacement", "A knee joint.", 0.6, 0.45, 9.0)
    ekg = _candidate("ADAM_2_Sec1", "Electrocardiogram", "An EKG record.", 0.5, 0.5, 8.0)
    question, candidates = _story_question(), [knee, ekg]
    model, focus = default_topic_model(), default_focus_model()
    answering = replace(model, fallback=0.0)
    chosen = prefer_learned(question, candidates, None, _idf, answering, focus)
    assert chosen is not None and chosen.focus == "Electrocardiogram"
    never = replace(model, fallback=NO_FALLBACK)
    assert prefer_learned(question, candidates, None, _idf, never, focus) is None


def test_a_model_file_without_its_reading_reads_as_session_22s(tmp_path):
    data = default_topic_model().to_dict()
    del data["policy"]
    path = tmp_path / "topic.json"
    path.write_text(json.dumps(data))
    old = TopicModel.load(path)
    assert (old.read_depth, old.margin, old.fallback) == (5, 0.1, NO_FALLBACK)
    saved = replace(old, read_depth=10, margin=0.02, fallback=0.6)
    saved.save(path)
    again = TopicModel.load(path)
    assert (again.read_depth, again.margin, again.fallback) == (10, 0.02, 0.6)


def test_a_question_no_candidate_is_about_gets_no_page():
    question = Question(raw="best pizza in town", text="best pizza in town", summary="")
    townes = _candidate(
        "GHR_3_Sec1", "Townes-Brocks syndrome", "It affects the hands and ears.", 0.01, 0.1, 2.0
    )
    assert _choose(question, [townes]) is None


def test_features_read_the_focus_model_for_the_concept_each_page_is_on():
    knee = _candidate("ADAM_1_Sec1", "Knee replacement", "A knee joint.", 0.6, 0.45, 9.0)
    ekg = _candidate("ADAM_2_Sec1", "Electrocardiogram", "An EKG record.", 0.5, 0.5, 8.0)
    found = dict(
        (c.passage.focus, f)
        for c, f in topic_features(_story_question(), [knee, ekg], _idf, default_focus_model())
    )
    assert found["Electrocardiogram"]["focus_margin"] == 0.0  # the question's main concept
    assert found["Knee replacement"]["focus_margin"] < 0.0


def _diabetes_question() -> Question:
    text = "i've had diabetes for 20 years and now my legs swell. is it diabetic kidney disease?"
    terms = (_term("diabetes", "Diabetes"), _term("diabetic kidney disease", "Kidney disease"))
    return Question(raw=text, text=text, summary=text, qtype="symptoms", terms=terms)


def test_a_narrower_page_the_question_names_in_full_leads_the_broader_one_by_its_name():
    # "Diabetes" ranks first; "Diabetic Kidney Disease" is the page whose every name word the
    # question uses, so its name's weight leads (its lead 0, the broader page's below)
    broad = _candidate("NIDDK_1_Sec1", "Diabetes", "Diabetes is high blood sugar.", 0.7, 0.6, 9.0)
    narrow = _candidate(
        "NIDDK_2_Sec1", "Diabetic Kidney Disease", "Kidney damage from diabetes.", 0.6, 0.55, 8.0
    )
    found = {
        c.passage.focus: f
        for c, f in topic_features(
            _diabetes_question(), [broad, narrow], _idf, default_focus_model()
        )
    }
    assert found["Diabetic Kidney Disease"]["name_idf"] > found["Diabetes"]["name_idf"]
    assert found["Diabetic Kidney Disease"]["name_idf_lead"] == 0.0
    assert found["Diabetes"]["name_idf_lead"] < 0.0
    assert found["Diabetes"]["page_rank"] < found["Diabetic Kidney Disease"]["page_rank"]


def test_a_page_with_the_asked_section_among_the_candidates_is_told_apart():
    # the question asks for symptoms: a page whose symptoms answer is a candidate has it
    question = _diabetes_question()
    info = _candidate("NIDDK_1_Sec1", "Diabetes", "Diabetes is high blood sugar.", 0.7, 0.6, 9.0)
    symptoms = _candidate("NIDDK_2_Sec2", "Diabetic Kidney Disease", "Swelling.", 0.6, 0.5, 8.0)
    symptoms = Candidate(replace(symptoms.passage, qtype="symptoms"), symptoms.scores, 0.6)
    found = {
        c.passage.focus: f
        for c, f in topic_features(question, [info, symptoms], _idf, default_focus_model())
    }
    assert found["Diabetic Kidney Disease"]["has_section"] == 1.0
    assert found["Diabetes"]["has_section"] == 0.0


def test_a_model_that_reads_no_page_feature_chooses_as_if_they_were_not_computed():
    # the shipped chooser (session 20's features) skips the page features; a model naming one
    # reads them, and both choose the same page from the same candidates here
    old = default_topic_model()
    assert not old.reads_pages
    assert replace(old, features=(*old.features[:-1], "name_idf_lead")).reads_pages
    broad = _candidate("NIDDK_1_Sec1", "Diabetes", "Diabetes is high blood sugar.", 0.7, 0.6, 9.0)
    narrow = _candidate(
        "NIDDK_2_Sec1", "Diabetic Kidney Disease", "Kidney damage from diabetes.", 0.6, 0.55, 8.0
    )
    question, focus = _diabetes_question(), default_focus_model()
    without = topic_features(question, [broad, narrow], _idf, focus, pages=False)
    with_pages = topic_features(question, [broad, narrow], _idf, focus)
    assert "name_idf" not in without[0][1] and "name_idf" in with_pages[0][1]
    assert list(old.probabilities([f for _, f in without])) == list(
        old.probabilities([f for _, f in with_pages])
    )


def test_an_unknown_topic_chooser_is_refused():
    with pytest.raises(HealthqaError):
        Settings(topic="guess")


@pytest.fixture(scope="module")
def learned_engine(fixture_engine):
    return Engine(fixture_engine.settings.with_(topic="learned"), fixture_engine.index)


def test_the_learned_engine_answers_a_lay_question_from_its_page(learned_engine):
    answer = learned_engine.ask("why do I get night knots in my legs?")
    assert not answer.abstained
    assert answer.citations[0].id == "MPlusHealthTopics_0000001_Sec1"


def test_the_learned_engine_abstains_on_an_unrelated_question(learned_engine):
    answer = learned_engine.ask("best pizza in town")
    assert answer.abstained and not answer.citations


def test_the_default_engine_still_abstains_on_an_unrelated_question(fixture_engine):
    # the default chooser ("rules-learned") answers from the learned page when the rules find
    # none, but only from its fallback P: an unrelated question still gets no page
    answer = fixture_engine.ask("best pizza in town")
    assert answer.abstained and not answer.citations
