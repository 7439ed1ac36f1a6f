"""Crash safety: a build killed with SIGKILL leaves the old index answering, and what it left
behind is cleaned up by the next open or build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from healthqa.corpus.medquad import iter_medquad
from healthqa.retrieval.index import build_index, open_index, recover

# A build whose extra part writes a marker and then hangs, so the test can kill it mid-build.
HANGING_BUILD = """
import sys, time
from pathlib import Path
from healthqa.corpus.medquad import iter_medquad
from healthqa.retrieval.index import build_index
from healthqa.retrieval.part import Part

def hang(given):
    (given.folder / "half-written.bin").write_bytes(b"x" * 1000)
    Path(sys.argv[3]).write_text("started")
    time.sleep(300)
    return {}

documents = iter_medquad(Path(sys.argv[1]))
build_index(documents, Path(sys.argv[2]), extra_parts={"slow": Part(hang, str)})
"""


def _best_doc(index, query: str) -> str:
    return index.passages[int(index.lexical.scores(query).argmax())].doc_id


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_build_killed_with_sigkill_leaves_the_old_index_answering(tmp_path, medquad_root):
    target = tmp_path / "idx"
    build_index(iter_medquad(medquad_root), target)
    marker = tmp_path / "started"
    process = subprocess.Popen(
        [sys.executable, "-c", HANGING_BUILD, str(medquad_root), str(target), str(marker)]
    )
    try:
        deadline = time.monotonic() + 240
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker.exists(), "the build did not reach its hanging part"
        leftover = tmp_path / f".idx.building-{process.pid}"
        assert (leftover / "slow" / "half-written.bin").is_file()
        # a live build's folder is not touched
        assert recover(target) == [] and leftover.is_dir()
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    index = open_index(target)
    assert _best_doc(index, "sniffle fever treatment") == "GARD_0000002_Sec2"
    assert not leftover.exists()  # the dead build's folder went when the index was opened
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx", "started"]


def test_an_index_moved_aside_by_a_build_killed_mid_swap_is_put_back(tmp_path, medquad_root):
    target = tmp_path / "idx"
    build_index(iter_medquad(medquad_root), target)
    pid = _dead_pid()
    os.replace(target, tmp_path / f".idx.old-{pid}")
    (tmp_path / f".idx.building-{pid}").mkdir()
    index = open_index(target)
    assert _best_doc(index, "sniffle fever treatment") == "GARD_0000002_Sec2"
    assert [p.name for p in tmp_path.iterdir()] == ["idx"]


# `healthqa collection add` whose index update hangs in its BM25 part, so the test can kill it.
HANGING_ADD = """
import sys, time
from pathlib import Path
from healthqa.retrieval import index
from healthqa.retrieval.part import Part

lexical = index.PARTS["lexical"]

def hang(given):
    Path(sys.argv[1]).write_text("started")
    time.sleep(300)
    return lexical.build(given)

index.PARTS["lexical"] = Part(hang, lexical.open)
from healthqa.cli import main
sys.exit(main(["collection", "add", "clinic", sys.argv[2]]))
"""
FROST_TOE = (
    "# Frost toe\n\nFrost toe is a painful chill of the toes after long hours in wet boots.\n"
)


def test_a_collection_add_killed_mid_update_leaves_the_old_index_and_can_be_redone(
    tmp_path, medquad_root, monkeypatch
):
    from healthqa.cli import main
    from healthqa.config import Settings
    from healthqa.engine import Engine

    monkeypatch.setenv("HEALTHQA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HEALTHQA_DATA", str(medquad_root.parent))
    pages = tmp_path / "clinic"
    pages.mkdir()
    (pages / "frost-toe.md").write_text(FROST_TOE)
    assert main(["index"]) == 0
    marker = tmp_path / "started"
    process = subprocess.Popen([sys.executable, "-c", HANGING_ADD, str(marker), str(pages)])
    try:
        deadline = time.monotonic() + 240
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker.exists(), "the update did not reach its hanging part"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    settings = Settings.resolve()
    engine = Engine.open(settings)  # the old index, and what the dead update left is gone
    assert engine.ask("how is sniffle fever treated").citations[0].id == "GARD_0000002_Sec2"
    assert engine.ask("what causes frost toe?").abstained
    assert [p.name for p in settings.index_dir.parent.iterdir()] == [settings.index_dir.name]
    # the registry took the collection before the kill; adding it again brings it in
    assert main(["collection", "add", "clinic", str(pages)]) == 0
    assert Engine.open(settings).ask("what causes frost toe?").citations[0].id.startswith("clinic:")
