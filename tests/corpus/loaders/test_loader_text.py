import pytest
from loader_helpers import load, shared_path

from healthqa.corpus.passages import split_passages


def test_plain_text_by_paragraph(tmp_path):
    (tmp_path / "leg_knots.txt").write_text(
        "Leg knots\n\nLeg knots are sudden squeezes of a muscle.\nThey come at night.\n\n"
        "Gentle stretching eases them. Call a doctor if they are severe.\n",
        encoding="utf-8",
    )
    (document,), report = load(tmp_path, prefix="notes")
    assert report.formats == {"text": 1}
    assert document.title == "Leg knots" and document.id == "notes:leg-knots#0"
    assert document.text == (
        "Leg knots are sudden squeezes of a muscle. They come at night.\n\n"
        "Gentle stretching eases them. Call a doctor if they are severe."
    )
    assert document.url.endswith("leg_knots.txt")
    passages = split_passages(document)
    assert passages[0].sentences[0] == "Leg knots are sudden squeezes of a muscle."


def test_a_text_without_a_title_line_is_named_by_its_file(tmp_path):
    (tmp_path / "moon-root.txt").write_text("Moon root is a plant used in old remedies.\n")
    (document,), _ = load(tmp_path)
    assert document.title == "moon root" and document.text.startswith("Moon root is")


def test_the_real_seed_page_as_plain_text(tmp_path):
    seed = shared_path("formats").parent.parent / "examples" / "web-answer-why-does-spasm-occur.txt"
    if not seed.is_file():
        pytest.skip("../shared/examples is not present")
    (document,), report = load(seed, prefix="seed")
    assert report.formats == {"text": 1} and not report.skipped
    assert document.title == "Why does spasm occur"
    paragraphs = document.text.split("\n\n")
    assert len(paragraphs) == 16 and all(p.strip() for p in paragraphs)  # its 20 blank lines go
    assert paragraphs[0].startswith("Muscle spasms can occur as a result of a lot of different")
