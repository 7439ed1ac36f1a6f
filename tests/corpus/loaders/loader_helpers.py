"""Helpers for the loader tests: the real files in ../shared/data (skipped when absent) and
a loader run that returns its documents with the batch report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from healthqa.config import find_data_dir
from healthqa.corpus.loaders import IngestReport, load_paths
from healthqa.records import Document


def shared_path(relative: str) -> Path:
    """A file or folder of ../shared/data, or a skip when it is not on this machine."""
    try:
        root = find_data_dir(os.environ.get("HEALTHQA_DATA"))
    except Exception:  # an unusable HEALTHQA_DATA means: no shared data here
        root = None
    if root is None or not (root / relative).exists():
        pytest.skip(f"../shared/data/{relative} is not present")
    return root / relative


def load(*paths: Path, fmt: str = "auto", prefix: str = "t") -> tuple[list[Document], IngestReport]:
    report = IngestReport()
    documents = list(load_paths(list(paths), fmt, prefix=prefix, report=report))
    return documents, report
