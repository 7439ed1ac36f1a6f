from healthqa.answer.readability import plainer
from healthqa.records import Passage
from healthqa.retrieval.dedupe import authority, dedupe

ABOUT = (
    "About This PDQ Summary. Physician Data Query is the comprehensive cancer information "
    "database of the National Cancer Institute, reviewed regularly by editorial boards of "
    "cancer experts who read the latest published research."
)
HARD = (
    "Nocturnal leg cramps constitute involuntary, painful contractions of the gastrocnemius "
    "musculature that frequently disturb sleep in older adults and resolve spontaneously "
    "within several minutes."
)
PLAIN = (
    "Night leg cramps are sudden, painful tightenings of the calf muscle that often wake "
    "older people and go away on their own within a few minutes, said the nurse."
)


def _passage(pid: str, text: str, collection: str, credit: str = "") -> Passage:
    return Passage(pid, pid.split("#")[0], (text,), "t", collection=collection, credit=credit)


def test_identical_sections_collapse_to_one():
    about = [_passage(f"pdq:page{i}#0#0", ABOUT, "pdq", "NCI") for i in range(155)]
    other = _passage("pdq:page0#1#0", PLAIN, "pdq", "NCI")
    result = dedupe([*about, other], plainer)
    assert [p.id for p in result.kept] == ["pdq:page0#0#0", "pdq:page0#1#0"]
    assert len(result.dropped) == 154


def test_a_near_copy_keeps_the_more_authoritative_source_then_the_plainer_text():
    near = ABOUT.replace("regularly", "often")
    mine = _passage("mine:a#0#0", near, "mine", "My clinic")
    nci = _passage("pdq:a#0#0", ABOUT, "pdq", "NCI")
    assert [p.id for p in dedupe([mine, nci], plainer).kept] == ["pdq:a#0#0"]
    assert authority(nci) < authority(mine)
    # same authority: the plainer of two near copies (one word apart) stays
    hard = _passage("x:a#0#0", PLAIN.replace("sudden", "paroxysmal"), "x", "NIH")
    easy = _passage("y:a#0#0", PLAIN, "y", "MedlinePlus")
    assert [p.id for p in dedupe([hard, easy], plainer).kept] == ["y:a#0#0"]


def test_different_texts_and_medquad_alone_are_left_as_they_are():
    passages = [
        _passage("m:1#0", ABOUT, "medquad"),
        _passage("m:2#0", ABOUT, "medquad"),
        _passage("x:1#0", HARD, "x"),
        _passage("y:1#0", PLAIN, "y"),
    ]
    assert dedupe(passages[:2], plainer).kept == passages[:2]
    # a user's copy of a MedQuAD answer goes; MedQuAD's answers (what evaluations score) stay
    copy = _passage("z:1#0", ABOUT, "z", "NIH")
    assert dedupe([*passages, copy], plainer).kept == passages
