"""The lay emergency training lists are folded by condition: every line under one "# kind:"
heading shares one id, across the lists read together, and each list names its sources."""

from healthqa.training.emergency import condition_name, read_lay
from healthqa.training.emergency_classifier import LAY_NEGATIVES, LAY_POSITIVES
from healthqa.training.emergency_classifier_es import LAY_NEGATIVES_ES, LAY_POSITIVES_ES


def test_a_condition_keeps_one_id_across_the_lists():
    both = (LAY_POSITIVES, "emergency_positives_lay2.txt")
    lay = read_lay(both)
    stroke = lay.names.index("stroke")
    files = {f for f, c in zip(lay.files, lay.conditions, strict=True) if c == stroke}
    assert files == set(both)  # the old and the new list's strokes share a fold
    assert len(set(lay.names)) == len(lay.names)


def test_a_heading_names_its_cue_group():
    assert (
        condition_name("# kind: poisoning - overdose (MedlinePlus Opioid overdose)") == "poisoning"
    )
    assert (
        condition_name("# kind: blood_from_mouth / gi_bleeding (MedlinePlus)") == "blood_from_mouth"
    )
    assert condition_name("# kind: historia - uno de los casos") == "story"


def test_every_list_has_its_lines_under_a_heading():
    # the trainers read only the first pair for now; the second is checked with it
    spanish = (
        (LAY_POSITIVES_ES, "emergency_positives_es2.txt"),
        (LAY_NEGATIVES_ES, "emergency_negatives_es2.txt"),
    )
    english = (
        (LAY_POSITIVES, "emergency_positives_lay2.txt"),
        (LAY_NEGATIVES, "emergency_negatives_lay2.txt"),
    )
    for names in (*english, *spanish):
        lay = read_lay(names)
        assert len(lay.texts) >= 200
        assert not any(name.startswith("none:") for name in lay.names), names
