import pytest

from healthqa.corpus.medquad import iter_medquad
from healthqa.errors import HealthqaError
from healthqa.records import Document
from healthqa.retrieval.index import build_index, index_exists, open_index
from healthqa.retrieval.part import Part


def test_build_then_open_round_trip(tmp_path, medquad_root):
    target = tmp_path / "idx"
    manifest = build_index(iter_medquad(medquad_root), target)
    index = open_index(target)
    assert manifest["documents"] == 6 and len(index.passages) == manifest["passages"]
    scores = index.lexical.scores("sniffle fever treatment")
    assert index.passages[int(scores.argmax())].doc_id == "GARD_0000002_Sec2"


def test_a_crash_mid_build_keeps_the_old_index(tmp_path, medquad_root):
    target = tmp_path / "idx"
    build_index(iter_medquad(medquad_root), target)
    before = (target / "manifest.json").read_text()

    def exploding_part(given):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        build_index(
            iter_medquad(medquad_root), target, extra_parts={"boom": Part(exploding_part, str)}
        )
    assert (target / "manifest.json").read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["idx"]  # no half-built folder left


def test_nothing_to_index_is_an_error(tmp_path):
    with pytest.raises(HealthqaError):
        build_index([Document(id="a", text="", title="t")], tmp_path / "idx")
    assert not index_exists(tmp_path / "idx")


def test_opening_a_missing_or_foreign_index_says_what_to_do(tmp_path):
    with pytest.raises(HealthqaError, match="healthqa index"):
        open_index(tmp_path)
    (tmp_path / "manifest.json").write_text('{"format_version": 999}')
    with pytest.raises(HealthqaError, match="rebuild"):
        open_index(tmp_path)


def test_tokenize_matches_bm25s_analysis():
    import bm25s
    import Stemmer

    from healthqa.retrieval.lexical import tokenize

    texts = ["Why does spasm occur? Muscle cramps, at night!", "The A1C test: 5.7 percent, H2O"]
    expected = bm25s.tokenize(
        texts,
        stopwords="en",
        stemmer=Stemmer.Stemmer("english"),
        return_ids=False,
        show_progress=False,
    )
    assert tokenize(texts) == expected
