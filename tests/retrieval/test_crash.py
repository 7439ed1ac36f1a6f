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
