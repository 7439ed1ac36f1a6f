"""What `healthqa ask` prints: sections, inline lists as list lines, sources."""

import io

from rich.console import Console

from healthqa.cli.render import render_answer
from healthqa.records import Answer, Citation, Question, Section, Sentence


def _printed(*sentences: str) -> str:
    answer = Answer(
        question=Question(raw="q", text="q"),
        sections=(Section("Symptoms", tuple(Sentence(s, (1,)) for s in sentences)),),
        citations=(Citation(1, "A_1_Sec1", "Leg Knots", "https://example.org/k", "MedlinePlus"),),
    )
    out = io.StringIO()
    render_answer(answer, Console(file=out, width=200, color_system=None))
    return out.getvalue()


def test_an_inline_list_is_printed_as_list_lines():
    text = _printed("Symptoms are - Tight muscles - Pain at night")
    assert "Symptoms are\n  • Tight muscles\n  • Pain at night [1]" in text


def test_a_dash_inside_a_sentence_stays_a_dash():
    sentence = "Two or more functions - such as memory -- are impaired."
    assert sentence in _printed(sentence)


def test_sources_are_listed_with_their_numbers_and_addresses():
    text = _printed("Leg knots are common.")
    assert "[1] Leg Knots, MedlinePlus" in text and "https://example.org/k" in text
