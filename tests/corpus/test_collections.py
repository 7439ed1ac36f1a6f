import json

import pytest

from healthqa.cli import main
from healthqa.config import Settings
from healthqa.corpus.collections import (
    add_collection,
    iter_documents,
    list_collections,
    load_collection,
    registry_path,
    remove_collection,
)
from healthqa.errors import HealthqaError

KNOTS = (
    "---\ntitle: Leg knots\nsource: Knot Institute\n---\n\n## Causes\n\nTired nerves cause them.\n"
)
ROOT = "---\ntitle: Moon root\ndate: 2024-05-01\n---\n\n## Uses\n\nMoon root is used in teas.\n"


@pytest.fixture
def pages(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "knots.md").write_text(KNOTS, encoding="utf-8")
    (folder / "root.md").write_text(ROOT, encoding="utf-8")
    (folder / "empty.md").write_text("")
    return folder


@pytest.fixture
def settings(tmp_path):
    return Settings(home=tmp_path / "home")


def test_add_list_load_and_remove(settings, pages):
    changes = add_collection(settings, "mine", [pages], credit="My clinic", licence="CC BY 4.0")
    assert changes.new == ("knots.md", "root.md") and changes.report.reasons() == {"empty": 1}
    (collection,) = list_collections(settings)
    assert (collection.name, collection.documents, collection.format) == ("mine", 2, "auto")
    assert set(collection.files) == {"knots.md", "root.md"}
    documents = {d.title: d for d in load_collection(settings, "mine")}
    knots, root = documents["Leg knots"], documents["Moon root"]
    assert knots.id == "mine:knots#0" and knots.collection == "mine"
    assert knots.credit == "My clinic" and knots.licence == "CC BY 4.0"  # the collection's
    assert root.date == "2024-05-01"  # the file's own date
    assert remove_collection(settings, "mine").name == "mine"
    assert list_collections(settings) == []
    with pytest.raises(HealthqaError, match="no collection named 'mine'"):
        remove_collection(settings, "mine")


def test_adding_unchanged_files_again_changes_nothing(settings, pages):
    add_collection(settings, "mine", [pages])
    before = registry_path(settings).read_bytes()
    again = add_collection(settings, "mine", [pages])
    assert again.is_noop and again.unchanged == ("knots.md", "root.md")
    assert registry_path(settings).read_bytes() == before
    (pages / "root.md").write_text(ROOT.replace("teas", "soups"), encoding="utf-8")
    (pages / "knots.md").unlink()
    (pages / "new.md").write_text(KNOTS.replace("Leg knots", "Arm knots"), encoding="utf-8")
    changed = add_collection(settings, "mine", [pages])
    assert (changed.new, changed.changed, changed.gone) == (
        ("new.md",),
        ("root.md",),
        ("knots.md",),
    )
    assert "soups" in " ".join(d.text for d in load_collection(settings, "mine"))


def test_files_read_by_changed_loader_code_are_read_again(settings, pages, monkeypatch):
    from healthqa.corpus import loaders

    add_collection(settings, "mine", [pages])
    # a new healthqa whose Markdown loader reads files differently
    monkeypatch.setattr(loaders, "_loaders_code_digest", lambda: b"other loader code")
    again = add_collection(settings, "mine", [pages])
    assert not again.is_noop and again.changed == ("knots.md", "root.md")


def test_bad_adds_change_nothing(settings, pages, tmp_path):
    add_collection(settings, "mine", [pages])
    before = registry_path(settings).read_bytes()
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "blank.md").write_text("   ")
    for name, paths, fmt in (
        ("other", [nothing], "auto"),  # no documents
        ("other", [tmp_path / "missing"], "auto"),
        ("medquad", [pages], "auto"),  # reserved
        ("Mine!", [pages], "auto"),
        ("other", [pages], "docx"),
    ):
        with pytest.raises(HealthqaError):
            add_collection(settings, name, paths, fmt)
    assert registry_path(settings).read_bytes() == before


def test_iter_documents_yields_medquad_then_every_collection(settings, pages, medquad_root):
    settings = settings.with_(data_dir=medquad_root.parent)
    add_collection(settings, "mine", [pages])
    documents = list(iter_documents(settings, include_empty=False))
    collections = [d.collection for d in documents]
    assert collections[0] == "medquad" and collections[-2:] == ["mine", "mine"]
    assert {d.id for d in documents if d.collection == "mine"} == {"mine:knots#0", "mine:root#0"}


def test_collection_commands(tmp_path, pages, monkeypatch, capsys):
    monkeypatch.setenv("HEALTHQA_HOME", str(tmp_path / "cli-home"))
    assert main(["collection", "add", "mine", str(pages), "--credit", "My clinic"]) == 0
    out = capsys.readouterr()
    assert "mine: 2 documents; files 2 new" in out.out and "skipped empty.md: empty" in out.err
    assert main(["collection", "add", "mine", str(pages), "--credit", "My clinic"]) == 0
    assert "mine: unchanged (2 files)" in capsys.readouterr().out
    assert main(["collection", "list"]) == 0
    assert "mine: 2 documents from 2 files, format auto; My clinic" in capsys.readouterr().out
    assert main(["collection", "add", "x", str(pages), "--format", "docx"]) == 2
    assert "choose one of" in capsys.readouterr().err
    assert main(["collection", "remove", "mine"]) == 0
    registry = json.loads((tmp_path / "cli-home" / "collections.json").read_text())
    assert registry["collections"] == []


def test_collection_add_keeps_trafilaturas_markup_warnings_off_the_terminal(
    tmp_path, monkeypatch, caplog
):
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "knots.html").write_text(
        "<html><head><title>Leg knots</title></head><body><article><h1>Leg knots</h1>"
        "<p>Leg knots are sudden tight squeezes of a muscle that often come at night.</p>"
        "<p>Author Affiliations: <a>1Department of Imaginary Muscles, Nowhere.</a></p>"
        "<p>Gently stretching the muscle can ease the pain of leg knots in minutes.</p>"
        "</article></body></html>"
    )
    monkeypatch.setenv("HEALTHQA_HOME", str(tmp_path / "home"))
    assert main(["collection", "add", "web", str(folder)]) == 0
    assert [r.message for r in caplog.records if r.name.startswith("trafilatura")] == []
