"""The Spanish question adapter: a linear map of the question vector, fitted so that the
question's page ranks first by its best passage cosine."""

import numpy as np

from healthqa.retrieval.adapter_es import QuestionAdapter, default_adapter
from healthqa.training import adapter_es
from healthqa.training.adapter_es import Passages, Queries, fit, ranks


def toy() -> tuple[Passages, Queries]:
    """3 pages of 2 passages (unit axes); each page's questions lie near the NEXT page's first
    passage, so the raw vectors rank another page first and a permutation undoes it."""
    vectors = np.eye(6, dtype=np.float32)[[0, 3, 1, 4, 2, 5]]
    pages = Passages(vectors, np.array([0, 0, 1, 1, 2, 2]), np.array([0, 2, 4]), ["a", "b", "c"])
    rng = np.random.default_rng(0)
    page = np.repeat([0, 1, 2], 10)
    raw = np.eye(6, dtype=np.float32)[(page + 1) % 3] + 0.1 * rng.random((30, 6))
    raw /= np.linalg.norm(raw, axis=1, keepdims=True)
    kinds = np.array(["descriptions"] * 30)
    return pages, Queries(kinds, [""] * 30, raw.astype(np.float32), page, np.ones(30))


def test_the_fitted_adapter_ranks_each_question_s_page_first(monkeypatch):
    monkeypatch.setattr(adapter_es, "EPOCHS", 200)
    monkeypatch.setattr(adapter_es, "LEARNING_RATE", 0.05)
    pages, queries = toy()
    assert (ranks(queries.vectors, queries.page, pages) > 0).all()
    w = fit(queries, np.ones(30, bool), pages, penalty=0.0)
    adapter = QuestionAdapter(w)
    adapted = np.stack([adapter.adapt(v) for v in queries.vectors])
    assert (ranks(adapted, queries.page, pages) == 0).all()


def test_the_shipped_adapter_maps_a_question_vector_to_a_unit_vector_near_it():
    adapter = default_adapter()
    assert adapter.matrix.shape == (512, 512)
    vector = np.random.default_rng(1).normal(size=512).astype(np.float32)
    vector /= np.linalg.norm(vector)
    adapted = adapter.adapt(vector)
    assert abs(np.linalg.norm(adapted) - 1) < 1e-5
    assert float(adapted @ vector) > 0.5  # fitted from the identity, with a penalty on leaving it
