"""The sourced training messages of the emergency classifier: A.D.A.M. "Call 911 if:" signs
told in the first person, and symptoms told alone."""

from healthqa.training.emergency_sources import (
    DangerSign,
    danger_signs,
    first_person,
    messages,
    symptom_pages,
)

ANSWER = (
    "Call 911 if:  - You feel short of breath.  - You have chest pain, especially if it feels "
    "like pressure.    Call your provider right away if:  - You have a fever.    "
    "Call your provider if:  - Your swollen foot is red or warm to the touch."
)


def test_only_the_items_of_a_call_911_list_are_danger_signs():
    signs = danger_signs({"ADAM_1_Sec5": ANSWER})
    assert [s.item for s in signs] == [
        "You feel short of breath.",
        "You have chest pain, especially if it feels like pressure.",
    ]


def test_a_sign_is_told_by_the_person_who_has_it():
    sign = DangerSign("x", "Call 911 if", "You have chest pain in your arm.")
    assert first_person(sign, "I") == "I have chest pain in my arm"
    assert first_person(sign, "my husband") == "my husband has chest pain in his arm"
    child = DangerSign("x", "Call 911 if your child", "Has a rigid, hard belly")
    assert first_person(child, "I") == "my child has a rigid, hard belly"
    noun = DangerSign("x", "Call 911 if you have", "Shortness of breath")
    assert first_person(noun, "my mother") == "my mother has shortness of breath"


def test_a_sign_with_a_negation_gives_no_message():
    signs = [
        DangerSign("x", "Call 911 if", "You aren't sure how serious it is."),
        DangerSign("x", "Call 911 if", "You feel short of breath."),
    ]
    out = messages(signs, per_item=2)
    assert len(out) == 2 and all("short of breath" in m for m in out)


def test_symptom_articles_are_the_pages_with_a_considerations_answer(tmp_path):
    page = (
        '<Document><Focus>Knee pain</Focus><QAPairs><QAPair><Question qtype="considerations">'
        "x</Question></QAPair></QAPairs></Document>"
    )
    other = page.replace("Knee pain", "Knee MRI").replace("considerations", "information")
    (tmp_path / "1.xml").write_text(page)
    (tmp_path / "2.xml").write_text(other)
    assert symptom_pages(tmp_path) == ["Knee pain"]
