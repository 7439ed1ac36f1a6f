"""Issue 10, item 5: every bad file is reported with its reason and skipped, and the rest of
the batch goes in."""

import io
import os
import zipfile

import pytest
from loader_helpers import load

from healthqa.corpus.loaders import sources

GOOD = "# Leg cramps\n\nLeg cramps are sudden, tight squeezes of a muscle.\n"


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    return folder


def _names(report, kind):
    return [s.name for s in report.skipped if s.kind == kind]


def test_a_batch_of_every_bad_file_keeps_the_good_one(batch, tmp_path):
    (batch / "empty.md").write_text("")
    (batch / "blank.txt").write_text("  \n\n \t\n")
    (batch / "picture.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (batch / "nul.txt").write_bytes(b"abc\x00def\x00" * 20)
    # UTF-8 text with a Latin-1 byte in the middle: two encodings in one file
    (batch / "mixed.txt").write_bytes("Café au lait. ".encode() + b"caf\xe9 " + "naïve.".encode())
    (batch / "broken.xml").write_text('<?xml version="1.0"?><health-topics><health-topic>')
    (batch / "nothing.html").write_text("just words, no markup at all")
    (batch / "scripts.html").write_text("<html><body><script>var a = 1;</script></body></html>")
    (batch / "bad.md").write_text("---\ntitle: [unclosed\n---\n\nText.")
    outside = tmp_path / "secret.md"
    outside.write_text(GOOD)
    os.symlink(outside, batch / "link.md")
    documents, report = load(batch)
    assert [d.title for d in documents] == ["Leg cramps"]
    assert report.loaded == 1 and report.documents == 1
    assert report.reasons() == {
        "empty": 2,
        "binary": 2,
        "broken encoding": 1,
        "malformed": 3,
        "no text": 1,
        "outside folder": 1,
    }
    assert _names(report, "outside folder") == ["link.md"]
    assert "11 files: 1 added (1 documents), 10 skipped" in report.summary()
    assert "1 broken encoding" in report.summary()


def test_a_symlink_inside_the_folder_is_read(batch):
    os.symlink(batch / "good.md", batch / "alias.md")
    documents, report = load(batch)
    assert len(documents) == 2 and not report.skipped


def test_a_symlinked_folder_leading_outside_is_not_followed(batch, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.md").write_text(GOOD)
    os.symlink(elsewhere, batch / "more")
    documents, report = load(batch)
    assert len(documents) == 1 and report.reasons() == {"outside folder": 1}


def test_a_legacy_encoding_alone_is_decoded(batch):
    (batch / "latin.txt").write_bytes("Le café est prêt pour la réunion à midi.".encode("cp1252"))
    documents, report = load(batch / "latin.txt")
    assert not report.skipped and "café est prêt" in documents[0].text + documents[0].title


def test_a_huge_file_is_skipped_before_it_is_read(batch, monkeypatch):
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 1000)
    (batch / "huge.txt").write_text("word " * 500)
    documents, report = load(batch)
    assert len(documents) == 1 and _names(report, "too large") == ["huge.txt"]


def _zip(path, members, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_members_are_read_and_bombs_are_refused(batch, tmp_path):
    _zip(
        batch / "pages.zip",
        {
            "a/one.md": GOOD,
            "bomb.txt": b"0" * (3 * 2**20),  # 3 MiB of zeros compress about 1000 to 1
            "../escape.md": GOOD,
            "inner.zip": _zip(tmp_path / "inner.zip", {"x.md": GOOD}).read_bytes(),
        },
    )
    documents, report = load(batch)
    assert sorted(d.id for d in documents) == ["t:good#0", "t:pages-zip-a-one#0"]
    assert report.reasons() == {"zip bomb": 1, "unsafe path": 1, "nested archive": 1}
    assert _names(report, "zip bomb") == ["pages.zip/bomb.txt"]


def test_an_archive_that_would_unpack_to_too_much_is_refused_whole(batch, monkeypatch):
    monkeypatch.setattr(sources, "MAX_ARCHIVE_BYTES", 10_000)
    _zip(batch / "big.zip", {f"p{n}.md": GOOD * 20 for n in range(20)})
    documents, report = load(batch)
    assert len(documents) == 1 and _names(report, "zip bomb") == ["big.zip"]


def test_a_member_larger_than_it_declares_is_not_read_past_its_size(batch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("liar.md", GOOD * 10)
    data = bytearray(buffer.getvalue())
    # shrink the declared size in both headers (local header offset 22, central 24 past "PK")
    size = len(GOOD * 10)
    small = (20).to_bytes(4, "little")
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    assert int.from_bytes(data[local + 22 : local + 26], "little") == size
    data[local + 22 : local + 26] = small
    data[central + 24 : central + 28] = small
    (batch / "liar.zip").write_bytes(bytes(data))
    documents, report = load(batch)
    assert len(documents) == 1
    assert report.reasons() in ({"zip bomb": 1}, {"malformed archive": 1})


def test_a_corrupt_archive_is_reported(batch):
    (batch / "broken.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    documents, report = load(batch)
    assert len(documents) == 1 and report.reasons() == {"malformed archive": 1}


def test_the_real_cdc_archive_is_not_taken_for_a_bomb():
    from loader_helpers import shared_path

    archive = shared_path("html/cdc-pcd-2024-raw.zip")
    with zipfile.ZipFile(archive) as z:
        ratios = [i.file_size / i.compress_size for i in z.infolist() if i.compress_size]
    assert max(ratios) < sources.MAX_RATIO
