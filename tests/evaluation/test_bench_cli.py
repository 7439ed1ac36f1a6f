"""`healthqa bench` end to end on a tiny corpus (BM25 only, one cold run): a smoke test of the
measuring machinery, not a measurement."""

import pytest

from healthqa.cli import main

from .conftest import LIVEQA_XML

pytestmark = pytest.mark.slow


def test_bench_writes_the_table_into_the_markdown_file(medquad_root, tmp_path, capsys):
    data = medquad_root.parent
    (data / "liveqa-med-2017-dev").mkdir(exist_ok=True)
    (data / "liveqa-med-2017-dev" / "questions.xml").write_text(LIVEQA_XML)
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nHand-written notes stay.\n")
    code = main(
        [
            "bench",
            "--data",
            str(data),
            "--only",
            "bm25",
            "--cold-runs",
            "1",
            "--work",
            str(tmp_path / "work"),
            "--write",
            str(doc),
        ]
    )
    assert code == 0
    text = doc.read_text()
    assert "Hand-written notes stay." in text
    row = next(line for line in text.splitlines() if line.startswith("| warm ask p50"))
    assert row.split("|")[2].strip() == "-"  # the pipeline was not measured
    assert float(row.split("|")[3]) > 0  # BM25 was
    assert "Machine:" in capsys.readouterr().out
