import numpy as np
import pytest

from healthqa.errors import HealthqaError
from healthqa.records import Candidate, Passage, Question
from healthqa.retrieval.cross_encoder import (
    CrossEncoder,
    Stage,
    answer_text,
    default_cross_encoder,
    rescore,
)

CRAMPS = (
    "What are the treatments for Muscle Cramps ? To ease a leg cramp, stretch the muscle: pull "
    "your toes toward you and hold. Gentle massage, a warm towel and walking also help. "
    "Drinking enough water may keep cramps from coming back."
)
GLAUCOMA = (
    "What is (are) Glaucoma ? Glaucoma is a group of eye diseases that damage the optic nerve. "
    "Open-angle glaucoma is the most common kind. Eye drops lower the pressure in the eye."
)


def _candidate(doc_id: str, score: float, part: int = 0) -> Candidate:
    passage = Passage(
        id=f"{doc_id}#{part}",
        doc_id=doc_id,
        sentences=(f"Text of {doc_id}.",),
        title=doc_id,
        question=f"What is {doc_id} ?",
    )
    return Candidate(passage, scores={"rerank": score}, score=score)


class FixedModel:
    """A stand-in model: an answer's score is set by its id, the third word of its text."""

    def __init__(self, by_doc: dict[str, float]) -> None:
        self.by_doc = by_doc

    def scores(self, query: str, texts: list[str]) -> np.ndarray:
        return np.array([self.by_doc[t.split()[2]] for t in texts])


def test_the_packaged_model_loads_offline_and_scores_the_answer_to_the_question_higher():
    model = default_cross_encoder()
    relevant, irrelevant = model.scores("what helps leg cramps at night", [CRAMPS, GLAUCOMA])
    assert relevant > irrelevant
    assert model.stage.depth >= 2
    assert model.card["built_by"] == "python -m healthqa.training.cross_encoder"


def test_a_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(HealthqaError, match="python -m healthqa.training.cross_encoder"):
        CrossEncoder(tmp_path)


def test_the_cross_encoder_reorders_the_head_and_leaves_the_rest_in_place():
    question = Question(raw="q", text="q")
    candidates = [
        _candidate("A", 0.9),
        _candidate("A", 0.9, part=1),
        _candidate("B", 0.8),
        _candidate("C", 0.7),
        _candidate("D", 0.6),
    ]
    model = FixedModel({"A": -5.0, "B": 0.0, "C": 5.0})
    ranked = rescore(question, candidates, model, Stage(depth=3, weight=100.0))
    assert [c.passage.id for c in ranked] == ["C#0", "B#0", "A#0", "A#1", "D#0"]
    # the head keeps the scores it held, handed out in the new order; D keeps its own
    assert [c.score for c in ranked] == [0.9, 0.8, 0.7, 0.7, 0.6]
    assert ranked[0].scores["cross_encoder"] == 5.0


def test_a_small_weight_leaves_the_re_rankers_order_when_it_is_confident():
    question = Question(raw="q", text="q")
    candidates = [_candidate("A", 0.99), _candidate("B", 0.01)]
    model = FixedModel({"A": 0.0, "B": 1.0})
    ranked = rescore(question, candidates, model, Stage(depth=2, weight=0.5))
    assert [c.passage.doc_id for c in ranked] == ["A", "B"]


def test_answer_text_leads_with_what_the_answer_answers():
    passage = _candidate("A", 0.5).passage
    assert answer_text(passage) == "What is A ? Text of A."


def test_the_settings_switch_turns_the_stage_on_and_off(fixture_engine):
    from healthqa.engine import Engine

    question = fixture_engine.analyze("how do I treat sniffle fever")
    off = Engine(fixture_engine.settings.with_(cross_encoder=False), fixture_engine.index)
    on = Engine(fixture_engine.settings.with_(cross_encoder=True), fixture_engine.index)
    assert not any("cross_encoder" in c.scores for c in off.retrieve(question))
    assert any("cross_encoder" in c.scores for c in on.retrieve(question))


def test_the_stage_settings_are_the_smallest_depth_that_is_about_as_good():
    from healthqa.training.cross_encoder import choose

    figures = {
        "pipeline": {"MAP": 0.60, "MRR": 0.70},
        "5:1.0": {"MAP": 0.655, "MRR": 0.70},
        "5:2.0": {"MAP": 0.65, "MRR": 0.70},
        "10:1.0": {"MAP": 0.66, "MRR": 0.70},
    }
    assert choose(figures) == "5:1.0"
    figures["10:1.0"] = {"MAP": 0.70, "MRR": 0.70}
    assert choose(figures) == "10:1.0"


def test_the_shipped_card_records_training_data_only_and_its_held_out_figures():
    card = default_cross_encoder().card
    assert set(card["trained_on"]) <= {
        "medquad",
        "medquad-negative",
        "liveqa",
        "liveqa-negative",
        "mediqa-set2",
    }
    held = card["held_out"]
    assert held["chosen"] == f"{card['runtime']['depth']}:{card['runtime']['weight']}"
    assert "pipeline" in held["figures"]
