from healthqa.analysis.vocabulary import phrase_key
from healthqa.records import Document
from healthqa.training.data import SubQuestion, TrainQuestion
from healthqa.training.labels import ShingleIndex, by_focus_key, relevant_answers

COPIED = (
    "Gout is a kind of arthritis that causes sudden severe attacks of pain swelling and "
    "redness usually in the big toe and it can come back again and again over the years"
)


def _documents():
    return [
        Document("A_1_Sec1", COPIED, "Gout", qtype="information", focus="Gout"),
        Document("A_1_Sec2", "Rest and ice help.", "Gout", qtype="treatment", focus="Gout"),
        Document("A_1_Sec3", "Too much uric acid.", "Gout", qtype="causes", focus="Gout"),
        Document("B_2_Sec1", "Treat it with rest.", "Bunions", qtype="treatment", focus="Bunions"),
    ]


def test_relevant_answers_are_the_copied_one_and_the_annotated_focus_of_an_answering_type():
    documents = _documents()
    question = TrainQuestion(
        "q1",
        "gout",
        "how do I treat my gout?",
        (SubQuestion("gout", "treatment", (COPIED,)),),
    )
    relevant = relevant_answers(
        question, ShingleIndex(documents), by_focus_key(documents), {phrase_key("gout")}
    )
    # copied from Sec1; Sec2 answers the annotated type; causes and another focus do not
    assert relevant == {"A_1_Sec1", "A_1_Sec2"}
