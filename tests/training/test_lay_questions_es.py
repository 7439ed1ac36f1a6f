"""Reading the Spanish lay training questions: each with its pages (none: it must abstain),
grouped by its page for cross-validation; a malformed line is refused by its number."""

import json

import pytest

from healthqa.errors import HealthqaError
from healthqa.training.data import read_lay_questions

COUGH = "https://medlineplus.gov/spanish/cough.html"
PNEUMONIA = "https://medlineplus.gov/spanish/pneumonia.html"


def write(path, *rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n")
    return path


def test_questions_keep_their_pages_and_those_without_a_page_abstain(tmp_path):
    path = write(
        tmp_path / "lay.jsonl",
        {
            "question": "tengo tos con flema y fiebre, ¿qué puede ser?",
            "sources": [PNEUMONIA],
            "topic": "Neumonía",
            "section": "Síntomas",
            "facts": ["flema", ["fiebre", "calentura"]],
        },
        {"question": "¿cuál es la mejor pizza?", "sources": []},
    )
    first, second = read_lay_questions("es", path=path)
    assert first.sources == (PNEUMONIA,) and first.topic == "Neumonía"
    assert first.facts == (("flema",), ("fiebre", "calentura"))
    assert first.group == PNEUMONIA
    assert second.sources == () and second.group != first.group


def test_two_questions_on_one_page_share_a_group(tmp_path):
    path = write(
        tmp_path / "lay.jsonl",
        {"question": "¿por qué toso tanto de noche?", "sources": [COUGH]},
        {"question": "mi hijo tose mucho", "sources": [COUGH]},
    )
    assert len({q.group for q in read_lay_questions("es", path=path)}) == 1


@pytest.mark.parametrize(
    "row, said",
    [
        ({"sources": [COUGH]}, "no question"),
        ({"question": "¿tos?", "sources": COUGH}, "sources must be a list of page names"),
    ],
)
def test_a_malformed_line_is_refused_by_its_number(tmp_path, row, said):
    path = write(tmp_path / "lay.jsonl", {"question": "¿tos?", "sources": [COUGH]}, row)
    with pytest.raises(HealthqaError, match=f"lay.jsonl:2: {said}"):
        read_lay_questions("es", path=path)
