import json

import numpy as np
import pytest

from healthqa.corpus.medquad import iter_medquad
from healthqa.errors import HealthqaError
from healthqa.records import Passage
from healthqa.retrieval.dense import (
    DenseIndex,
    get_encoder,
    mean_pool,
    passage_text,
)
from healthqa.retrieval.index import build_index, open_index


@pytest.fixture(scope="module")
def encoder():
    return get_encoder()


def test_vectors_have_unit_length_and_keep_input_order(encoder):
    texts = ["a much longer sentence about leg cramps at night and what to do", "cramp", "tax"]
    together = encoder.encode(texts)
    assert together.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    one_by_one = np.vstack([encoder.encode([t]) for t in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-4)


def test_a_lay_name_is_closer_to_its_medical_name_than_to_an_unrelated_topic(encoder):
    cramp, charley, tax = encoder.encode(["muscle cramp", "charley horse", "tax return"])
    assert cramp @ charley > cramp @ tax + 0.2


def test_mean_pooling_ignores_padding():
    hidden = np.array([[[1.0, 3.0], [3.0, 5.0], [100.0, 100.0]]])
    mask = np.array([[1, 1, 0]])
    np.testing.assert_allclose(mean_pool(hidden, mask), [[2.0, 4.0]])


def test_text_beyond_max_tokens_does_not_change_the_vector():
    short = get_encoder(max_tokens=16)
    head = "Leg cramps are sudden tight painful squeezes of a muscle, often at night"
    a, b = short.encode([head, head + " and this tail is about tax returns and holidays"])
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_search_and_scores_agree_and_survive_a_save_load_round_trip(encoder, tmp_path):
    texts = ["How are leg cramps treated?", "What causes the flu?", "How do I file a tax return?"]
    index = DenseIndex.build(texts, encoder=encoder)
    query = encoder.encode(["treatment for a charley horse"])[0]
    hits = index.search(query, k=2)
    assert [h.row for h in hits] == [0, 1]
    assert hits[0].score == pytest.approx(float(index.scores(query)[0]), abs=1e-5)
    index.save(tmp_path / "dense")
    loaded = DenseIndex.load(tmp_path / "dense")
    assert [h.row for h in loaded.search(query, k=3)] == [h.row for h in index.search(query, k=3)]
    np.testing.assert_allclose(loaded.scores(query), index.scores(query), atol=1e-3)
    meta = json.loads((tmp_path / "dense" / "dense.json").read_text())
    assert meta["dimension"] == 384 and meta["max_tokens"] == encoder.max_tokens


def test_rows_that_share_a_vector_score_alike():
    vectors = np.eye(3, dtype=np.float32)
    index = DenseIndex(vectors, rows=np.array([0, 0, 1, 2]))
    query = np.array([1.0, 0.2, 0.0], dtype=np.float32)
    np.testing.assert_allclose(index.scores(query), [1.0, 1.0, 0.2, 0.0])
    assert [h.row for h in index.search(query, k=3)] == [0, 1, 2]


def test_rows_pointing_outside_the_vectors_are_refused():
    with pytest.raises(HealthqaError, match="outside"):
        DenseIndex(np.eye(2, dtype=np.float32), rows=np.array([0, 2]))


def test_loading_an_index_of_another_model_asks_for_a_rebuild(tmp_path):
    DenseIndex(np.eye(2, dtype=np.float32)).save(tmp_path)
    meta = json.loads((tmp_path / "dense.json").read_text())
    (tmp_path / "dense.json").write_text(json.dumps({**meta, "model_id": "other"}))
    with pytest.raises(HealthqaError, match="rebuild"):
        DenseIndex.load(tmp_path)
    with pytest.raises(HealthqaError, match="healthqa index"):
        DenseIndex.load(tmp_path / "missing")


def test_a_passage_is_embedded_as_its_question_with_the_focus():
    with_focus = Passage(
        "a#0",
        "a",
        ("Text.",),
        "Sniffle fever",
        question="How is it treated?",
        focus="Sniffle fever",
    )
    assert passage_text(with_focus) == "How is it treated? (Sniffle fever)"
    no_question = Passage("b#0", "b", ("Rest helps.",), "Sniffle fever", focus="Sniffle fever")
    assert passage_text(no_question) == "Sniffle fever: Rest helps."


def test_index_build_with_the_dense_part_finds_the_treatment_answer(tmp_path, medquad_root):
    target = tmp_path / "idx"
    manifest = build_index(iter_medquad(medquad_root), target, parts=["dense"])
    index = open_index(target)
    assert manifest["parts"]["dense"]["vectors"] <= len(index.passages) == len(index.dense)
    best = index.dense.search(index.dense.encode_query("how do you treat sniffle fever"), k=1)[0]
    assert index.passages[best.row].doc_id == "GARD_0000002_Sec2"


def test_a_text_just_encoded_is_not_encoded_again_and_its_vector_cannot_be_changed():
    from healthqa.retrieval.dense import encode_one

    first = encode_one("what helps leg cramps at night")
    assert encode_one("what helps leg cramps at night") is first
    np.testing.assert_allclose(first, get_encoder().encode(["what helps leg cramps at night"])[0])
    with pytest.raises(ValueError):
        first[0] = 0.0
