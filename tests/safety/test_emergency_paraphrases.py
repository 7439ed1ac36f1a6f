"""The held-out emergencies (tests/data/emergency_paraphrases.txt, never tuned on) and what each
layer of the check catches. `pytest tests/safety/test_emergency_paraphrases.py -s` prints it."""

import pytest

from healthqa.analysis.emergency import detect_emergency

from .conftest import read_lines

# Of the first 20: what the check flagged when it last read the list (session s15, classifier
# over USE and MiniLM vectors trained on sourced signs; 12 before). Issue 9's target is 19; see
# docs/safety.md for the misses. Raise this when the check gets better; it must not drop.
# (16 then; of all 24, 18, and 14 before that).
# Session s17-emerg (danger negations, sourced signs written while reading this list's misses,
# so in-sample): 20 of the first 20, 24 of 24.
REQUIRED = 20
REQUIRED_ALL = 24


def test_held_out_paraphrases_are_flagged(meaning):
    questions = read_lines("emergency_paraphrases.txt")
    assert len(questions) >= 20
    patterns = [detect_emergency(q, by_meaning=False).emergency for q in questions]
    both = [detect_emergency(q, meaning=meaning).emergency for q in questions]
    print(
        f"\nheld-out: patterns {sum(patterns)}/{len(questions)}, patterns + meaning "
        f"{sum(both)}/{len(questions)}"
    )
    for question, found in zip(questions, both, strict=True):
        if not found:
            print(f"  missed: {question}")
    assert sum(both[:20]) >= REQUIRED
    assert sum(both) >= REQUIRED_ALL


def test_the_two_examples_of_the_issue_get_their_kind_of_help():
    pills = detect_emergency("my 3 year old swallowed some of my blood pressure pills")
    assert pills.kinds == ("poison",)
    assert detect_emergency("toddler drank bleach").kinds == ("poison",)
    belly = "severe one-sided belly pain with vomiting and fever that keeps getting worse"
    assert detect_emergency(belly, by_meaning=False).groups == ("acute_abdomen",)
    assert detect_emergency("sudden severe abdominal pain, rigid belly").kinds == ("emergency",)


# The second held-out list (session s15), measured once with the classifier over USE and MiniLM
# vectors trained on sourced signs: 16 of 20 emergencies flagged (13 by the patterns alone) and
# 3 of 20 ordinary near misses flagged, all 3 by the classifier (docs/safety.md). With the
# classifier refitted in session s15-emerg2 (dose questions and harmless swallows as negatives),
# read again: 16 of 20, and 1 false alarm (the tight chest with a cold). This list had been read
# before that refit, so its third list below is the fair measure. Recall must not drop; the
# false alarms must not grow (0 is the issue's target, not met).
ALLOWED_LAY_FALSE_ALARMS = 1
# (16 before.) Session s17-emerg, a development list (in-sample): 20 of 20, the same false alarm.
REQUIRED_LAY = 20

# The third held-out list (session s15-emerg2), written and committed before any detector ran on
# it, measured once with the classifier refitted with drug-page dose questions and A.D.A.M.'s
# harmless swallows as negatives: 14 of 20 emergencies flagged (13 by the patterns alone; the
# previous classifier also 14) and 1 of 20 near misses flagged, by the classifier (the previous
# one 4) (docs/safety.md). Issue 9's targets, 19 / 20 and 0 / 20, are not met. Recall must not
# drop; the false alarms must not grow.
ALLOWED_THIRD_FALSE_ALARMS = 1
# (14 before.) Session s17-emerg, a development list (in-sample): 19 of 20 (the pulse over
# 180 is missed). Session s18-emerg (a racing heart with near fainting, a sourced group added
# after reading that miss, so in-sample): 20 of 20.
REQUIRED_THIRD = 20

# The fourth held-out list (session s16-emerg), written and committed before any detector ran on
# it (20 emergencies of 19 kinds; 20 calm questions naming scary things: a stroke two years ago,
# reflux chest pain, teen suicide warning signs, epilepsy and swimming), measured with the
# shipped check: 11 of 20 (7 by the patterns alone) and 1 false alarm, by the patterns ("what
# are the warning signs of suicide in teenagers": any talk of suicide gets the crisis line,
# docs/safety.md). The variants tried in s16 on training data did not do better (docs/safety.md).
# Issue 9's targets, 19 / 20 and 0 / 20, are not met.
# (11 and 1 false alarm before.) Session s17-emerg, a development list (its misses written
# into sourced signs, so in-sample): 20 of 20; the teen suicide warning signs question now
# shows the crisis line as information, without counting as an emergency: 0 false alarms.
REQUIRED_FOURTH = 20
ALLOWED_FOURTH_FALSE_ALARMS = 0

# The fifth held-out list (session s17-emerg), written and committed before any detector ran on
# it (20 emergencies of 18 kinds; 20 calm questions naming scary things), read once at the end
# with the shipped check: 16 of 20 (16 by the patterns alone; the check before s17: 15, 14 by the
# patterns) and 1 false alarm, by the crisis pattern ("my friend lost her brother to suicide last
# year": grief is not an information frame by design, docs/safety.md; before s17 also 1).
# Issue 9's targets, 19 / 20 and 0 / 20, are not met.
# Session s18-emerg, a development list (its misses and false alarm read and their categories
# written as sourced signs and the past-frame rule, so in-sample): 20 of 20 and 0 false alarms
# (the grief question shows the crisis line as information: a suicide in a past frame).
REQUIRED_FIFTH = 20
ALLOWED_FIFTH_FALSE_ALARMS = 0

# The sixth held-out list (session s18-heldout-en), written and committed before any detector ran
# on it (20 emergencies of 17 kinds; 20 calm questions naming scary things), read once with the
# shipped check (main at 86eab4f): 9 of 20 (9 by the patterns alone; the meaning check added
# none) and 1 false alarm, by the crisis pattern ("how can I tell if a friend is thinking about
# suicide": a general warning-signs question). Missed: heart attack in lay words, two children's
# breathing troubles, swallowed pills, two suicide plans without the word, a long seizure, a head
# injury with confusion, ketoacidosis, sepsis-like signs, a clot in the lung after a flight.
# Issue 9's targets, 19 / 20 and 0 / 20, are not met. Recall must not drop; alarms must not grow.
# With session 18's sourced signs and past frames (written from list 5, never from this list):
# 11 of 20 (now also the infant's retractions and the clot in the lung), the same false alarm.
# Session 20 (lay training messages and a negation model, built on other lists): 14 of 20.
REQUIRED_SIXTH = 14
ALLOWED_SIXTH_FALSE_ALARMS = 1


# The seventh held-out list (session s19-heldout), written and committed before any detector
# ran on it (20 emergencies of 19 kinds; 20 calm questions), read once with main at the start of
# session 19 (2d45ab9): 12 of 20 and 1 false alarm; once at the end (session 19's classifier
# refitted with the signs of pages that call their condition an emergency, built on other
# lists): 13 of 20, the same false alarm. Issue 9's targets, 19 / 20 and 0 / 20, are not met.
# Session 20 (the classifier refitted with 154 lay emergencies and 151 calm lay messages written
# as training data, and a negation model; this list was read in session 19, so development):
# 16 of 20, the same false alarm.
REQUIRED_SEVENTH = 16
ALLOWED_SEVENTH_FALSE_ALARMS = 1

# The eighth held-out list (session s20-heldout), written and committed before any detector ran
# on it (20 emergencies, 20 calm questions), read once with main at the start of session 20
# (8006dc6): 8 of 20 and 2 false alarms; once at the end (the session-20 English classifier refit
# on lay training messages and the negation model, built on other lists): 11 of 20, the same 2
# false alarms. Issue 9's targets, 19 / 20 and 0 / 20, are not met.
REQUIRED_EIGHTH = 11
ALLOWED_EIGHTH_FALSE_ALARMS = 2

# The ninth held-out list (session s21-heldout), written and committed before any detector ran
# on it (20 emergencies, 20 calm questions), read once with main at the start of session 21
# (5715925): 16 of 20 and 1 false alarm; once at the end (no change to the English check this
# session: the fine-tuned window classifier lost out of fold and was not shipped): the same.
# Issue 9's targets, 19 / 20 and 0 / 20, are not met.
REQUIRED_NINTH = 16
ALLOWED_NINTH_FALSE_ALARMS = 1

# The tenth held-out list (session s22-heldout), written and committed before any detector ran
# on it (20 emergencies, 20 calm questions), read once with main at the start of session 22
# (97a33e8): 13 of 20 and 1 false alarm; once at the end (the English classifier refitted with
# weights and a threshold from the median of 3 fold splits, three NIMH crisis cues; chosen on
# training data): 15 of 20, the same 1 false alarm. Issue 9's targets, 19 / 20 and 0 / 20, are
# not met.
REQUIRED_TENTH = 15
ALLOWED_TENTH_FALSE_ALARMS = 1

# The eleventh held-out list (session s23-heldout), written and committed before any detector
# ran on it (20 emergencies, 20 calm questions), read once with main at the start of session 23
# (dde941d, the code of 4f0645c): 13 of 20 and 1 false alarm; once at the end (sourced cue
# patterns for carbon monoxide, soaked bleeding, a grunting baby, plants and doubled medicines,
# suicide plans; chosen on training data): 14 of 20, the same 1 false alarm. Issue 9's targets,
# 19 / 20 and 0 / 20, are not met.
REQUIRED_ELEVENTH = 14
ALLOWED_ELEVENTH_FALSE_ALARMS = 1
# The twelfth held-out list (session s24-heldout), written and committed before any detector
# ran on it, read once with main at the start of session 24 (a07e56b, the code of 415c510): 17 of
# 20 and 0 false alarms; once at the end (sourced cue groups for meningitis, sepsis and diabetic
# ketoacidosis; chosen on training data): 19 of 20, 0 false alarms. (Read a third time in
# between, numbers only, while checking the classifier that was put back: 19 / 20, 0.)
REQUIRED_TWELFTH = 19
ALLOWED_TWELFTH_FALSE_ALARMS = 0
# The thirteenth held-out list (session s25-heldout), written and committed before any detector
# ran on it, read once with main at the start of session 25 (ee8220d, the code of 65e3546): 17 of
# 20 and 0 false alarms; once at the end (English lay signs: choking told without the word, ten
# or more pills, fainting without coming round, two NIMH crisis signs; chosen on training data):
# 17 of 20, 0 false alarms. Issue 9's 19 / 20 is not met on this list.
REQUIRED_THIRTEENTH = 17
ALLOWED_THIRTEENTH_FALSE_ALARMS = 0
# The fourteenth held-out list (session s26-heldout), written and committed before any detector
# ran on it, read once with main at the start of session 26 (5dbd86b, the code of f1aa7a0): 17
# of 20 and 1 false alarm; once at the end (no English detector change shipped): 17 of 20, 1
# false alarm. Issue 9's 19 / 20 and 0 / 20 are not met on this list.
REQUIRED_FOURTEENTH = 17
ALLOWED_FOURTEENTH_FALSE_ALARMS = 1


@pytest.mark.parametrize(
    ("name", "emergency_file", "ordinary_file", "required", "allowed_alarms"),
    [
        (
            "second",
            "emergency_lay_heldout.txt",
            "ordinary_lay_heldout.txt",
            REQUIRED_LAY,
            ALLOWED_LAY_FALSE_ALARMS,
        ),
        (
            "third",
            "emergency_heldout3.txt",
            "ordinary_heldout3.txt",
            REQUIRED_THIRD,
            ALLOWED_THIRD_FALSE_ALARMS,
        ),
        (
            "fourth",
            "emergency_heldout4.txt",
            "ordinary_heldout4.txt",
            REQUIRED_FOURTH,
            ALLOWED_FOURTH_FALSE_ALARMS,
        ),
        (
            "fifth",
            "emergency_heldout5.txt",
            "ordinary_heldout5.txt",
            REQUIRED_FIFTH,
            ALLOWED_FIFTH_FALSE_ALARMS,
        ),
        (
            "sixth",
            "emergency_heldout6.txt",
            "ordinary_heldout6.txt",
            REQUIRED_SIXTH,
            ALLOWED_SIXTH_FALSE_ALARMS,
        ),
        (
            "seventh",
            "emergency_heldout7.txt",
            "ordinary_heldout7.txt",
            REQUIRED_SEVENTH,
            ALLOWED_SEVENTH_FALSE_ALARMS,
        ),
        (
            "eighth",
            "emergency_heldout8.txt",
            "ordinary_heldout8.txt",
            REQUIRED_EIGHTH,
            ALLOWED_EIGHTH_FALSE_ALARMS,
        ),
        (
            "ninth",
            "emergency_heldout9.txt",
            "ordinary_heldout9.txt",
            REQUIRED_NINTH,
            ALLOWED_NINTH_FALSE_ALARMS,
        ),
        (
            "tenth",
            "emergency_heldout10.txt",
            "ordinary_heldout10.txt",
            REQUIRED_TENTH,
            ALLOWED_TENTH_FALSE_ALARMS,
        ),
        (
            "eleventh",
            "emergency_heldout11.txt",
            "ordinary_heldout11.txt",
            REQUIRED_ELEVENTH,
            ALLOWED_ELEVENTH_FALSE_ALARMS,
        ),
        (
            "twelfth",
            "emergency_heldout12.txt",
            "ordinary_heldout12.txt",
            REQUIRED_TWELFTH,
            ALLOWED_TWELFTH_FALSE_ALARMS,
        ),
        (
            "thirteenth",
            "emergency_heldout13.txt",
            "ordinary_heldout13.txt",
            REQUIRED_THIRTEENTH,
            ALLOWED_THIRTEENTH_FALSE_ALARMS,
        ),
        (
            "fourteenth",
            "emergency_heldout14.txt",
            "ordinary_heldout14.txt",
            REQUIRED_FOURTEENTH,
            ALLOWED_FOURTEENTH_FALSE_ALARMS,
        ),
    ],
)
def test_held_out_lists_of_emergencies_and_near_misses(
    meaning, name, emergency_file, ordinary_file, required, allowed_alarms
):
    emergencies = read_lines(emergency_file)
    ordinary = read_lines(ordinary_file)
    assert len(emergencies) == len(ordinary) == 20
    patterns = [detect_emergency(q, by_meaning=False).emergency for q in emergencies]
    found = [detect_emergency(q, meaning=meaning).emergency for q in emergencies]
    alarms = [q for q in ordinary if detect_emergency(q, meaning=meaning).emergency]
    print(
        f"\n{name} held-out: patterns {sum(patterns)}/20, patterns + meaning {sum(found)}/20, "
        f"false alarms {len(alarms)}/20"
    )
    for question, hit in zip(emergencies, found, strict=True):
        if not hit:
            print(f"  missed: {question}")
    for question in alarms:
        print(f"  false alarm: {question}")
    assert sum(found) >= required
    assert len(alarms) <= allowed_alarms
