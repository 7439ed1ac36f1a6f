import json

import pytest

from healthqa.errors import HealthqaError
from healthqa.retrieval.entailment import (
    RQE_DIR,
    EntailmentModel,
    default_model,
    question_types,
    read_rqe_pairs,
)

PAIRS_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Set>
<pair pid="1" value="true"><chq>  How should I
   treat night cramps? </chq><faq>How are leg cramps treated?</faq></pair>
<pair pid="2" value="FALSE"><chq>How to treat night cramps?</chq><faq>What is gout?</faq></pair>
<pair pid="3"><chq>Is sniffle fever catching?</chq><faq>Is sniffle fever contagious?</faq></pair>
</Set>
"""


def test_pairs_are_read_with_labels_and_without_them(tmp_path):
    path = tmp_path / "pairs.xml"
    path.write_text(PAIRS_XML)
    pairs = read_rqe_pairs(path)
    assert [(p.pair_id, p.label) for p in pairs] == [("1", True), ("2", False), ("3", None)]
    assert pairs[0].chq == "How should I treat night cramps?"


def test_malformed_xml_is_reported_with_its_path(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("<Set><pair pid='1'><chq>unclosed</pair>")
    with pytest.raises(HealthqaError, match="broken.xml"):
        read_rqe_pairs(path)


def test_an_unknown_label_value_is_named(tmp_path):
    path = tmp_path / "odd.xml"
    path.write_text('<Set><pair pid="9" value="maybe"><chq>a</chq><faq>b</faq></pair></Set>')
    with pytest.raises(HealthqaError, match="maybe"):
        read_rqe_pairs(path)


def test_a_question_can_ask_several_things():
    assert {"treatment", "causes"} <= question_types("What causes gout and how is it treated?")


def test_a_paraphrase_is_entailed_more_than_an_unrelated_question():
    chq = "My husband gets painful leg cramps every night. What can he do to stop them?"
    faqs = ["How are leg cramps treated?", "How do I file my tax return?", "What is gout?"]
    treated, tax, gout = default_model().probabilities(chq, faqs)
    assert treated > 0.5 > max(tax, gout)
    assert default_model().probability(chq, faqs[0]) == pytest.approx(treated)


def test_the_model_json_round_trips(tmp_path):
    model = default_model()
    path = tmp_path / "rqe.json"
    path.write_text(json.dumps(model.to_dict()))
    again = EntailmentModel.load(path)
    chq, faqs = "is lupus treatable?", ["How is lupus treated?", "Who gets lupus?"]
    assert again.probabilities(chq, faqs).tolist() == model.probabilities(chq, faqs).tolist()


def test_a_model_of_another_format_asks_for_retraining(tmp_path):
    path = tmp_path / "rqe.json"
    path.write_text(json.dumps({**default_model().to_dict(), "format_version": 0}))
    with pytest.raises(HealthqaError, match="train"):
        EntailmentModel.load(path)


@pytest.mark.integration
def test_validation_accuracy_stays_above_the_gate(shared_data):
    # Measured 0.798 when trained; the gate leaves room for small feature drift.
    [path] = (shared_data / RQE_DIR).glob("*ValidationSet*.xml")
    assert default_model().accuracy(read_rqe_pairs(path)) > 0.70
