"""The English topic chooser's training (`training/topic.py`): a shallower read, chosen out of
fold with the model, compares only the pages it reads, as the chooser does at run time."""

import numpy as np

from healthqa.answer.topic_model import FEATURES, with_leads
from healthqa.training.topic import Asked, read_to


def _rows(name_idf: list[float]) -> list[dict[str, float]]:
    rows = []
    for rank, value in enumerate(name_idf):
        row = dict.fromkeys(FEATURES, 0.0) | {"name_idf": value, "log_rank": float(rank)}
        rows.append(row)
    return with_leads(rows)


def test_a_shallower_read_leads_among_the_pages_it_reads():
    rows = _rows([1.0, 2.0, 5.0])  # the page whose name the question uses most ranks third
    features = np.array([[r[n] for n in FEATURES] for r in rows])
    asked = Asked("lay", "g", features, np.array([0, 1, 0]), 1, True, 0, np.array([0, 1, 20]))
    lead = FEATURES.index("name_idf_lead")
    assert asked.features[:, lead].tolist() == [-4.0, -3.0, 0.0]  # all three read
    shallow = read_to([asked], 5)[0]  # the third is past the depth and no strong term names it
    assert shallow.features[:, lead].tolist() == [-1.0, 0.0]
    # the same as the chooser's own reading of those two rows
    again = with_leads(_rows([1.0, 2.0]))
    assert [r["name_idf_lead"] for r in again] == [-1.0, 0.0]
