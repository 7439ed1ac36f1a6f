import json
from importlib import resources

import pytest

from healthqa.analysis.emergency import (
    EmergencyFinding,
    detect_emergency,
    emergency_notice,
    load_cues,
)
from healthqa.errors import HealthqaError

from .conftest import read_questions


@pytest.mark.parametrize("question", read_questions("emergency"))
def test_every_emergency_question_is_detected(question):
    finding = detect_emergency(question)
    assert finding.emergency, question
    assert finding.cues and finding.groups and finding.kinds


@pytest.mark.parametrize(
    "question", read_questions("ordinary") + read_questions("ordinary_poison_belly")
)
def test_no_ordinary_question_is_an_emergency(question):
    assert detect_emergency(question) == EmergencyFinding(emergency=False), question


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("i want to kill myself", "crisis"),
        ("my 2 year old drank some bleach", "poison"),
        ("my wife has chest pressure and is sweating", "emergency"),
    ],
)
def test_each_danger_gets_its_own_kind_of_help(question, kind):
    assert detect_emergency(question).kinds == (kind,)


@pytest.mark.parametrize(
    ("negated", "affirmed"),
    [
        ("I have no chest pain or sweating", "I have chest pain and sweating"),
        (
            "my chest hurts when I cough but no shortness of breath",
            "my chest hurts and I have shortness of breath",
        ),
        ("she hit her head but is not confused or sleepy", "she hit her head and is confused"),
    ],
)
def test_negated_signs_do_not_count(negated, affirmed):
    assert not detect_emergency(negated).emergency
    assert detect_emergency(affirmed).emergency


def test_informational_question_about_an_emergency_gets_no_notice_but_an_event_does():
    assert not detect_emergency("what are the signs of a stroke?").emergency
    assert detect_emergency("what do I do if my dad is having a stroke?").emergency


def test_signs_far_apart_in_a_long_message_are_not_combined():
    message = (
        "I have had chest pain on and off for years. My doctor says it is reflux. "
        "Last summer I hurt my back moving house. Anyway, what diet helps reflux?"
    )
    assert not detect_emergency(message).emergency
    assert detect_emergency("I have had chest pain for an hour. It spreads to my back.").emergency


def test_notice_names_the_configured_numbers_for_each_kind():
    finding = detect_emergency("I took too many pills and I want to die")
    assert finding.kinds == ("crisis", "poison")
    notice = emergency_notice(
        finding, emergency_number="112", crisis_number="116 123", poison_number="0800 POISON"
    )
    assert "116 123" in notice and "0800 POISON" in notice and "112" in notice
    assert "911" not in notice and "988" not in notice
    assert "\n" not in notice
    assert notice.index("116 123") < notice.index("0800 POISON")  # the crisis line comes first


def test_default_notice_uses_us_numbers_and_no_notice_without_emergency():
    notice = emergency_notice(detect_emergency("my husband collapsed and is not breathing"))
    assert "911" in notice
    assert emergency_notice(detect_emergency("what helps chest congestion")) == ""


def test_every_cue_group_names_its_sources():
    cues = load_cues()
    assert len(cues.groups) >= 12
    for group in cues.groups:
        assert group.sources, group.id
        assert all(s["name"] and s["url"].startswith("http") for s in group.sources), group.id


def test_a_custom_cue_file_is_used_and_a_bad_one_is_named(tmp_path):
    data = {
        "notices": {"emergency": "Call {emergency_number}."},
        "groups": [
            {
                "id": "snake",
                "label": "snake bite",
                "kind": "emergency",
                "rules": [{"any": ["bitten by a (rattle)?snake"]}],
            }
        ],
    }
    path = tmp_path / "cues.json"
    path.write_text(json.dumps(data))
    cues = load_cues(path)
    finding = detect_emergency("I was bitten by a rattlesnake", cues)
    assert finding.groups == ("snake",)
    assert emergency_notice(finding, emergency_number="000", cues=cues) == "Call 000."
    data["groups"][0]["rules"] = [{"any": ["(unclosed"]}]
    path.write_text(json.dumps(data))
    with pytest.raises(HealthqaError, match="snake"):
        load_cues(path)


@pytest.mark.parametrize(
    ("question", "group"),
    [
        ("my dad isnt breathing and his lips are blue", "cannot_breathe"),
        ("he took his insulin but didnt eat and now he is confused", "low_blood_sugar"),
        ("her chest pressure wont go away and she is sweating", "heart_attack"),
        ("the bleeding wont stop and he is not responding to us", "unresponsive"),
        ("he got knocked out playing rugby and doesnt know where he is", "severe_head_injury"),
        ("my friend collapsed in the heat, hes not sweating and acting confused", "heat_stroke"),
    ],
)
def test_a_negation_that_is_itself_a_danger_sign_cancels_nothing(question, group):
    assert group in detect_emergency(question, by_meaning=False).groups


def test_the_danger_negations_name_their_sources():
    raw = json.loads(
        (resources.files("healthqa") / "data/emergency_cues.json").read_text(encoding="utf-8")
    )
    assert len(raw["danger_negations"]["sources"]) >= 5
    assert load_cues().danger_negations is not None


@pytest.mark.parametrize(
    "question",
    [
        "how can I prevent heat stroke when running in summer",
        "my diabetic mother gets a bit dizzy if she skips lunch, what snack helps",
        "my dad has had a weak hand since his stroke, it is not moving well, what helps",
        "my son got knocked out in a game last season, when can he play rugby again",
    ],
)
def test_calm_questions_near_the_new_signs_get_no_notice(question):
    assert not detect_emergency(question, by_meaning=False).emergency


def test_a_question_about_suicide_in_general_shows_the_crisis_line_but_is_no_emergency():
    general = detect_emergency(
        "what are the warning signs of suicide in teenagers", by_meaning=False
    )
    assert not general.emergency and general.information == ("suicide_self_harm",)
    assert "988" in emergency_notice(general)
    asked = "my son is suicidal, what are the warning signs of suicide"
    assert detect_emergency(asked, by_meaning=False).groups == ("suicide_self_harm",)
    assert detect_emergency("suicide prevention, I want to kill myself", by_meaning=False).emergency


def test_an_answer_about_suicide_in_general_opens_with_the_crisis_line_and_is_no_emergency():
    from healthqa.answer.safety import apply_safety
    from healthqa.config import Settings
    from healthqa.records import Answer, Question

    raw = "what are the warning signs of suicide in older adults"
    answer = apply_safety(Answer(question=Question(raw=raw, text=raw)), Settings(), {})
    assert "988" in answer.notice and not answer.emergency
    raw = "my dad says he wants to die"
    answer = apply_safety(Answer(question=Question(raw=raw, text=raw)), Settings(), {})
    assert "988" in answer.notice and answer.emergency


def test_someone_else_said_to_be_about_to_kill_themselves_gets_the_crisis_line():
    finding = detect_emergency(
        "my sister says she is going to kill herself tonight", by_meaning=False
    )
    assert finding.kinds == ("crisis",)


@pytest.mark.parametrize(
    ("question", "group"),
    [
        # F.A.S.T. face and arm signs in lay words (MedlinePlus stroke, ADAM_0003751_Sec8)
        ("grandpa woke up and one side of his mouth is sagging, he seems confused", "stroke"),
        ("his face is drooping on one side", "stroke"),
        ("my aunt cant hold her fork and her words are jumbled", "stroke"),
        ("dad's arm keeps drifting down and he is talking nonsense", "stroke"),
        # NIMH / 988 warning signs: saying goodbye, giving things away, the means
        ("my son posted a goodbye message and he has his dads gun", "suicide_self_harm"),
        (
            "she gave away all her favourite things and she has been stockpiling pills",
            "suicide_self_harm",
        ),
        ("he wrote that this is the last time anyone will hear from him", "suicide_self_harm"),
        # MedlinePlus intercostal retractions and nasal flaring: a child's breathing distress
        (
            "my toddler has a cold and the skin under her ribs pulls in when she breathes",
            "cannot_breathe",
        ),
        ("our newborn is breathing really fast and his nostrils flare", "cannot_breathe"),
        ("my 3 month old is breathing hard and grunting", "cannot_breathe"),
        # MedlinePlus and NIDDK GI bleeding: coffee-ground vomit, black stool with blood loss
        ("she threw up stuff that looked like coffee grounds", "blood_from_mouth"),
        ("my husband has tarry black stools and nearly passed out in the bathroom", "gi_bleeding"),
        ("my mum has black poop and is very pale and weak to stand", "gi_bleeding"),
        # MedlinePlus heart palpitations: with fainting, dizziness or chest pain, call 911
        ("my dad says his heart is pounding and he feels faint", "fast_heartbeat"),
        ("my pulse is 170 and i have chest pain", "fast_heartbeat"),
    ],
)
def test_sourced_signs_in_lay_words_are_flagged(question, group):
    assert group in detect_emergency(question, by_meaning=False).groups


@pytest.mark.parametrize(
    "question",
    [
        "my dad has black stools since he started iron pills, is that normal",
        "my baby grunts in his sleep, is that normal",
        "i breathe hard and grunt when i lift weights at the gym",
        "we said goodbye to grandma at the airport, she takes a lot of pills for her heart",
        "my grandpa is giving away his things before he moves to a nursing home, he takes pills",
        "why do i get a droopy eyelid when i am tired",
        "i get palpitations and night sweats during menopause",
        "whenever i drink coffee my heart races and i feel dizzy",
        "my daughter leaves for college tomorrow, its goodbye for now",
        "i passed blood in my urine and felt dizzy",
    ],
)
def test_calm_questions_near_the_added_signs_get_no_notice(question):
    assert not detect_emergency(question, by_meaning=False).emergency


@pytest.mark.parametrize(
    "question",
    [
        "my husband had a heart attack last year with crushing chest pain and sweating, is "
        "viagra safe for him",
        "when i was a kid, i had a seizure that lasted 10 minutes. can i get a driving license",
        "my dad had a stroke in 2019 and his speech is still slurred, can therapy help",
        "my son swallowed a battery 3 years ago, does he need an x ray",
        "as a teenager i had an anaphylactic reaction to peanuts, should i carry an epipen",
    ],
)
def test_a_sign_in_a_clearly_past_frame_is_no_emergency(question):
    finding = detect_emergency(question, by_meaning=False)
    assert not finding.emergency and finding.past and not finding.notice_kinds


@pytest.mark.parametrize(
    ("question", "group"),
    [
        (
            "my husband had a heart attack last year and right now he has crushing chest pain and "
            "is sweating",
            "heart_attack",
        ),
        (
            "my dad had a stroke in 2019. today his face is drooping and he cant lift his arm",
            "stroke",
        ),
        (
            "mum had a stroke 3 years ago, she is slurring her words and her face is drooping",
            "stroke",
        ),
        (
            "i had a seizure when i was 12 and now my son has been seizing for 6 minutes",
            "long_seizure",
        ),
        (
            "she tried to kill herself two years ago and now she says she wants to die again",
            "suicide_self_harm",
        ),
    ],
)
def test_a_past_event_with_a_current_sign_still_alarms(question, group):
    assert group in detect_emergency(question, by_meaning=False).groups


def test_a_past_suicide_still_shows_the_crisis_line_without_counting_as_an_emergency():
    grief = detect_emergency(
        "my friend lost her brother to suicide last year, how can i help her", by_meaning=False
    )
    assert not grief.emergency and grief.information == ("suicide_self_harm",)
    assert "988" in emergency_notice(grief)
    now = "my friend lost her brother to suicide last year and now she talks about suicide too"
    assert detect_emergency(now, by_meaning=False).groups == ("suicide_self_harm",)


def test_the_past_frames_name_their_sources():
    raw = json.loads(
        (resources.files("healthqa") / "data/emergency_cues.json").read_text(encoding="utf-8")
    )
    assert raw["past_frames"]["sources"] and load_cues().past_frames is not None
    del raw["past_frames"]["sources"]
    with pytest.raises(HealthqaError, match="past_frames"):
        from healthqa.analysis.emergency import _past_frames

        _past_frames(raw["past_frames"])


@pytest.mark.parametrize(
    ("question", "group", "number"),
    [
        # session 23 cues, each beside its source in the cue file
        (
            "we ran a space heater in the tent all night and now we all have headaches",
            "carbon_monoxide",
            "911",
        ),
        ("the gauze is soaked through already and it keeps coming", "severe_bleeding", "911"),
        ("our newborn is grunting and flaring his nostrils", "cannot_breathe", "911"),
        (
            "my 3 year old ate some mushrooms in the park and is drooling a lot",
            "poisoning",
            "1-800-222-1222",
        ),
        ("my roommate took a bunch of xanax and we cant wake her", "poisoning", "1-800-222-1222"),
        ("i have my pills lined up on the table", "suicide_self_harm", "988"),
    ],
)
def test_session_23_danger_signs_get_their_notice(question, group, number):
    finding = detect_emergency(question, by_meaning=False)
    assert group in finding.groups
    assert number in emergency_notice(finding)


@pytest.mark.parametrize(
    "question",
    [
        "is it safe to use a generator during a power outage",
        "how do I change the bandage on my knee scrape",
        "my baby grunts when he poops, is that normal",
        "my toddler ate a blueberry off the floor",
        "I take my blood pressure pills twice a day, can I take them together",
    ],
)
def test_calm_questions_near_the_session_23_signs_get_no_notice(question):
    assert not detect_emergency(question, by_meaning=False).emergency


@pytest.mark.parametrize(
    "question",
    [
        "can a gas stove cause headaches?",
        "my towel was soaked through with sweat after the workout",
        "my dog ate some mushrooms and is throwing up",
    ],
)
def test_a_fuel_source_sweat_or_a_pet_is_no_human_emergency(question):
    assert not detect_emergency(question, by_meaning=False).emergency


@pytest.mark.parametrize(
    "question",
    [
        "i took a lot of ibuprofen for my back this week, is that bad for my kidneys",
        "my baby grunts in his sleep and his nose flares when he cries",
    ],
)
def test_regular_use_and_a_sleeping_baby_are_no_emergency(question):
    assert not detect_emergency(question, by_meaning=False).emergency


# Session 24: three groups whose sources send their signs to a doctor at once or to 911
# (NINDS meningitis, MedQuAD NINDS_0000115; MedlinePlus sepsis, MPlusHealthTopics_0000806;
# diabetic ketoacidosis, MedlinePlus 000320), each tested both ways.
@pytest.mark.parametrize(
    ("question", "group"),
    [
        ("my roommate has a high fever and a stiff neck and is getting confused", "meningitis"),
        ("my 7 month old has a fever and the soft spot on her head is bulging", "meningitis"),
        ("my mom has a uti and now she's confused, shivering and breathing fast", "sepsis"),
        ("my dad had surgery last week, now he is out of it and his heart is racing", "sepsis"),
        ("my son with type 1 is throwing up and his breath smells fruity", "high_blood_sugar"),
        ("my wife is diabetic, her sugar is over 500 and she is confused", "high_blood_sugar"),
    ],
)
def test_session_24_danger_signs_get_the_emergency_notice(question, group):
    finding = detect_emergency(question, by_meaning=False)
    assert group in finding.groups, (question, finding.groups)
    assert finding.kinds == ("emergency",)


@pytest.mark.parametrize(
    "question",
    [
        "my daughter has a stiff neck from sleeping wrong, no fever",
        "my baby's soft spot pulses a little, is that normal",
        "is fruity breath a sign of diabetes",
        "my son has type 1 diabetes, his sugar is 250 after pizza, how much insulin should he take",
        "my dad had surgery last week and is a bit sore, how long until he can drive",
        "what are the symptoms of sepsis after a uti",
    ],
)
def test_calm_questions_near_the_session_24_signs_get_no_notice(question):
    assert not detect_emergency(question, by_meaning=False).emergency, question


@pytest.mark.parametrize(
    ("question", "group"),
    [
        # session 25: choking told without the word, and the NIMH signs the crisis group cites
        ("my son put a marble in his mouth and now he cant make any noise", "choking"),
        ("my sister keeps googling how many sleeping pills it would take", "suicide_self_harm"),
        ("my brother is giving all his things away and wont answer his phone", "suicide_self_harm"),
        ("my daughter took 25 tylenol an hour ago", "poisoning"),
        ("my dad passed out and still hasnt come round", "unresponsive"),
    ],
)
def test_session_25_danger_signs_get_their_notice(question, group):
    assert group in detect_emergency(question, by_meaning=False).groups, question


@pytest.mark.parametrize(
    "question",
    [
        "my husband stuck a thermometer in his mouth and cant talk, what does 101 mean",
        "my son put a coin in his mouth and swallowed it, he can talk and is playing",
        "how many of my sleeping pills does it take to fall asleep",
        "my mom is giving her things away to charity before she moves",
        "i have taken 10 tylenol over the last 3 days for my back",
        "she passed out for a second and came round quickly",
    ],
)
def test_calm_questions_near_the_session_25_signs_get_no_notice(question):
    assert not detect_emergency(question, by_meaning=False).emergency, question
