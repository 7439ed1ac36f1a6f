"""Sourced positives of the emergency classifier from pages that say their condition is an
emergency (`training/emergency_pages.py`): their signs told by the person who has them, alone
when specific and two or three together; a page that does not say so, or a sign with a
negation, gives none."""

import json
from pathlib import Path

from healthqa.training.emergency_pages import (
    EmergencyPage,
    claims_emergency,
    claims_emergency_es,
    emergency_pages,
    page_messages,
    page_signs,
    signs_alone,
)

APPENDIX = (
    "Appendicitis is an inflammation of the appendix. Symptoms of appendicitis may include - "
    "Pain in your abdomen, first around your belly button, then moving to your lower right "
    "area - Loss of appetite - Nausea and/or vomiting - Fever that does not go away   Not "
    "everyone with appendicitis has all these symptoms. Appendicitis is a medical emergency."
)
KNEE = (
    "Knee problems are common. Symptoms include - Pain when you climb stairs - Swelling - "
    "Stiffness   Most knee problems get better with rest."
)


def test_a_page_that_calls_its_condition_an_emergency_is_one():
    assert claims_emergency(APPENDIX, "Appendicitis")
    assert claims_emergency("If you think you are having a stroke, call 911.", "Stroke")
    assert not claims_emergency(KNEE, "Knee Injuries")
    # an emergency that the condition may cause is not the page's own
    hives = "Hives can cause a dangerous swelling in your airways, which is a medical emergency."
    assert not claims_emergency(hives, "Hives")
    assert claims_emergency_es("La sepsis es una emergencia médica.", "Sepsis")
    assert not claims_emergency_es("Esto es una emergencia médica.", "Urticaria")


def test_the_signs_of_a_page_are_its_listed_symptoms_without_a_negated_one():
    signs = page_signs(APPENDIX)
    assert signs[:2] == [
        "Pain in your abdomen, first around your belly button, then moving to your lower right "
        "area",
        "Loss of appetite",
    ]
    assert "Nausea" in signs and "Vomiting" in signs
    assert not any("not" in s for s in signs)  # "Fever that does not go away"
    inline = page_signs("Common symptoms of sepsis are fever, chills, rash, and confusion.")
    assert inline == ["Fever", "Chills", "Rash", "Confusion"]


def test_signs_are_told_together_by_the_person_who_has_them():
    pages = [_page("Sepsis", ("Fever", "Chills", "Rapid breathing", "Confusion"))]
    told = page_messages(pages)
    assert "I have fever and chills" in told
    assert "my husband has fever, chills and rapid breathing" in told
    # a short sign is never told alone: one mild symptom is no emergency
    assert not any(m.endswith((" fever", " chills")) and " and " not in m for m in told)


def test_a_group_of_common_signs_is_no_positive_and_a_common_sign_alone_is_a_negative():
    page = _page("Sepsis", ("Fever", "Chills", "Confusion"), common={"Fever", "Chills"})
    told = page_messages([page])
    assert told and all("confusion" in m for m in told)  # "fever and chills" is left out
    negatives = signs_alone([page], danger=["my son has a fever and a stiff neck"])
    assert negatives == ["I have chills", "my husband has chills"]  # fever: a 911 sign names it


def test_emergency_pages_come_from_medquad_and_their_spanish_page(tmp_path):
    data = tmp_path
    topics = data / "medquad" / "4_MPlus_Health_Topics_QA"
    topics.mkdir(parents=True)
    pages = {
        "1": ("Appendicitis", "appendicitis.html", APPENDIX),
        "2": ("Knee Injuries", "kneeinjuries.html", KNEE),
        "3": ("Sepsis", "sepsis.html", "Common symptoms of sepsis are fever, chills, and rash."),
    }
    for doc_id, (focus, slug, text) in pages.items():
        (topics / f"{doc_id}.xml").write_text(
            f'<Document id="{doc_id}" source="MPlusHealthTopics" '
            f'url="https://www.nlm.nih.gov/medlineplus/{slug}"><Focus>{focus}</Focus><QAPairs>'
            f'<QAPair pid="1"><Question qtype="information">What is {focus}?</Question>'
            f"<Answer>{text}</Answer></QAPair></QAPairs></Document>"
        )
    (data / "medquad" / "judged-answers.csv").write_text("AnswerID,Answer\n")
    spanish = data / "medlineplus-es"
    (spanish / "topics").mkdir(parents=True)
    (spanish / "topics" / "sepsis.md").write_text(
        "Sepsis\n======\n\nLa sepsis es una emergencia médica que puede ser mortal.\n"
    )
    (spanish / "metadata.json").write_text(
        json.dumps({"sepsis": {"url": "https://medlineplus.gov/spanish/sepsis.html"}})
    )
    found = {p.focus: p.signs for p in emergency_pages(Path(data))}
    assert set(found) == {"Appendicitis", "Sepsis"}  # the knee page says no such thing
    assert found["Sepsis"] == ("Fever", "Chills", "Rash")


def _page(focus, signs, common=()):
    return EmergencyPage("x", focus, tuple(signs), frozenset(common))


def test_a_spanish_page_that_calls_its_condition_an_emergency_gives_its_signs_together(tmp_path):
    from healthqa.training.emergency_sources_es import page_groups_es

    topics = tmp_path / "medlineplus-es" / "topics"
    topics.mkdir(parents=True)
    symptoms = (
        "Los síntomas incluyen:\n\n* Fiebre alta\n* Escalofríos intensos\n* Confusión repentina\n"
    )
    (topics / "sepsis.md").write_text(
        f"Sepsis\n======\n\nLa sepsis es una emergencia médica.\n\n{symptoms}"
    )
    mild = "Los síntomas incluyen:\n\n* Tos seca\n* Nariz tapada\n"
    (topics / "gripe.md").write_text(f"Gripe\n=====\n\nLa gripe es común.\n\n{mild}")
    told = page_groups_es(tmp_path)
    assert "tengo fiebre alta y escalofríos intensos" in told
    assert "mi esposo tiene fiebre alta, escalofríos intensos y confusión repentina" in told
    assert not any("tos" in m for m in told)  # the flu page says no such thing
