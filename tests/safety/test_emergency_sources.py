"""The sourced training messages of the emergency classifier: MedQuAD's "Call 911 if" signs
told in the first person, poisonings told as events, and symptoms told alone; and the negatives
that tell of a medicine or a harmless swallow."""

from pathlib import Path

from healthqa.training.emergency_sources import (
    ADAM_FOLDER,
    DRUG_FOLDER,
    PER_ITEM,
    POISON_SUBJECTS,
    DangerSign,
    danger_signs,
    drug_questions,
    first_person,
    harmless_substances,
    harmless_swallows,
    messages,
    poisoning_messages,
    poisonings,
    sourced_positives,
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


def test_a_list_without_a_colon_and_an_inline_condition_are_danger_signs():
    topic = (
        "Get medical help immediately if   -  You have abdominal pain that is sudden and sharp"
        "    - You're vomiting blood      Pain that lasts a week is not an emergency."
    )
    inline = "If you have severe shortness of breath, call 911. Rest if you feel tired."
    signs = danger_signs({"MPlusHealthTopics_1_Sec1": topic, "NHLBI_1_Sec1": inline})
    assert [s.item for s in signs] == [
        "You have abdominal pain that is sudden and sharp",
        "You're vomiting blood",
        "you have severe shortness of breath",
    ]


def test_a_call_your_provider_right_away_list_or_a_vague_condition_is_not_a_sign():
    text = (
        "Call your provider right away if:  - You have a fever.    "
        "If you have any of these warning signs, call 911 right away."
    )
    assert danger_signs({"x": text}) == []


def test_poisoning_and_overdose_articles_give_their_substance(tmp_path):
    for n, focus in enumerate(["Drain cleaner poisoning", "Aspirin overdose", "Lead poisoning"]):
        (tmp_path / f"{n}.xml").write_text(f"<Document><Focus>{focus}</Focus></Document>")
    (tmp_path / "3.xml").write_text("<Document><Focus>Knee pain</Focus></Document>")
    pages = poisonings(tmp_path)
    assert pages == [("drain cleaner", "poisoning"), ("aspirin", "overdose")]
    told = poisoning_messages(pages)
    assert len(told) == 2 * PER_ITEM
    assert all("drain cleaner" in m for m in told[:PER_ITEM])
    assert all("aspirin" in m and "swallowed some" not in m for m in told[PER_ITEM:])


def _page(focus: str, *qtypes: str) -> str:
    pairs = "".join(f'<QAPair><Question qtype="{q}">x</Question></QAPair>' for q in qtypes)
    return f"<Document><Focus>{focus}</Focus><QAPairs>{pairs}</QAPairs></Document>"


def _medquad(tmp_path: Path) -> Path:
    """A small MedQuAD: two A.D.A.M. poisoning pages, one of them on a substance its judged
    answer calls nonpoisonous, two swallowing pages and two drug pages."""
    root = tmp_path / "medquad"
    adam, drugs = root / ADAM_FOLDER, root / DRUG_FOLDER
    adam.mkdir(parents=True)
    drugs.mkdir()
    pages = [
        "Drain cleaner poisoning",
        "Bubble bath soap poisoning",
        "Pencil swallowing",
        "Swallowing difficulty",
    ]
    for n, focus in enumerate(pages):
        (adam / f"{n}.xml").write_text(_page(focus, "information"))
    (drugs / "1.xml").write_text(_page("Ibuprofen", "usage", "emergency or overdose"))
    (drugs / "2.xml").write_text(_page("Insulin Injection", "usage"))
    (root / "judged-answers.csv").write_text(
        "AnswerID,Answer\n"
        'ADAM_1_Sec1.txt,"Question: Do you have information about Bubble bath soap poisoning\n'
        'URL: https://x\nAnswer: Most bubble bath soaps are considered nonpoisonous (nontoxic)."\n'
        'ADAM_2_Sec1.txt,"Question: Do you have information about Drain cleaner poisoning\n'
        'URL: https://x\nAnswer: Drain cleaners are very poisonous."\n'
    )
    return tmp_path


def test_a_drug_page_gives_a_dose_question_and_a_drug_given_by_injection_none(tmp_path):
    asked = drug_questions(_medquad(tmp_path))
    assert len(asked) == 1 and "ibuprofen" in asked[0]
    assert "overdose" not in asked[0] and "too much" not in asked[0]


def test_harmless_substances_are_the_ones_adam_calls_harmless_to_swallow(tmp_path):
    harmless = harmless_substances(_medquad(tmp_path))
    assert harmless == ["pencil", "bubble bath soap"]  # not "difficulty", not drain cleaner
    told = harmless_swallows(harmless)
    assert len(told) == 2 * 2 * len(POISON_SUBJECTS)
    assert "my 2 year old swallowed some pencil" in told


def test_a_substance_adam_calls_nonpoisonous_is_no_poisoning_positive(tmp_path):
    told = sourced_positives(_medquad(tmp_path))
    assert any("drain cleaner" in m for m in told)
    assert not any("bubble bath" in m for m in told)
