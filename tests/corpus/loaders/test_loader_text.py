from loader_helpers import load

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
