"""The on-disk index: a folder with a manifest, the passages, and one sub-folder per signal.

    manifest.json    format version, corpus fingerprint, counts, parts, build time
    passages.jsonl   one Passage a line, in row order (row = position in every signal)
    lexical/         bm25s arrays
    dense/           vectors (optional, see retrieval.dense)

A shard has the same layout over a subset of passages. A build writes to a temporary
folder beside the target and renames it into place, so a crash never leaves a broken index.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from healthqa.corpus.passages import split_passages
from healthqa.errors import HealthqaError
from healthqa.records import Document, Passage
from healthqa.retrieval.lexical import LexicalIndex

FORMAT_VERSION = 3
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"

Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class Index:
    path: Path
    manifest: dict
    passages: list[Passage]
    lexical: LexicalIndex
    dense: object | None = None
    rows_by_doc: dict[str, list[int]] = field(default_factory=dict)
    rows_by_article: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row, passage in enumerate(self.passages):
            self.rows_by_doc.setdefault(passage.doc_id, []).append(row)
            self.rows_by_article.setdefault(article_id(passage.doc_id), []).append(row)


def article_id(doc_id: str) -> str:
    """The source page a MedQuAD answer comes from: `ADAM_0000039_Sec2` -> `ADAM_0000039`."""
    return doc_id.rsplit("_Sec", 1)[0]


def fingerprint(documents: list[Document]) -> str:
    digest = hashlib.sha256()
    for document in documents:
        digest.update(document.id.encode())
        digest.update(hashlib.sha256(document.text.encode()).digest())
    return digest.hexdigest()[:16]


def unique_documents(documents: Iterable[Document]) -> list[Document]:
    """First of each id: MedQuAD repeats a few QA pairs across files."""
    seen: dict[str, Document] = {}
    for document in documents:
        seen.setdefault(document.id, document)
    return list(seen.values())


def build_index(
    documents: Iterable[Document],
    target: Path,
    *,
    extra_parts: dict[str, Callable[[list[Passage], Path, Progress], dict]] | None = None,
    progress: Progress = _no_progress,
    metadata: dict | None = None,
) -> dict:
    """Build an index of `documents` at `target`; returns the manifest.

    `extra_parts` maps a part name to a builder that writes its files into the given folder
    (used for dense vectors), so the swap stays atomic for every part.
    """
    started = time.perf_counter()
    docs = [d for d in unique_documents(documents) if d.text]
    if not docs:
        raise HealthqaError("no documents with text to index")
    progress("passages", 0, len(docs))
    passages = [p for d in docs for p in split_passages(d)]
    progress("passages", len(docs), len(docs))
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        _write_passages(passages, staging / PASSAGES)
        progress("lexical", 0, 1)
        LexicalIndex.build(passages).save(staging / "lexical")
        progress("lexical", 1, 1)
        parts = {"lexical": {"kind": "bm25s"}}
        for name, build_part in (extra_parts or {}).items():
            (staging / name).mkdir()
            parts[name] = build_part(passages, staging / name, progress)
        manifest = {
            "format_version": FORMAT_VERSION,
            "corpus_fingerprint": fingerprint(docs),
            "documents": len(docs),
            "passages": len(passages),
            "parts": parts,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": round(time.perf_counter() - started, 2),
            **(metadata or {}),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2))
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _write_passages(passages: list[Passage], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for passage in passages:
            handle.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")


def _swap_into_place(staging: Path, target: Path) -> None:
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


class StaleIndexError(HealthqaError):
    """An index written by another version of healthqa."""


def index_exists(path: Path) -> bool:
    return (path / MANIFEST).is_file()


def read_manifest(path: Path) -> dict:
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise HealthqaError(f"no index at {path}: run `healthqa index`")
    return json.loads(manifest_path.read_text())


def open_index(path: Path) -> Index:
    manifest = read_manifest(path)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise StaleIndexError(
            f"index at {path} has format {manifest.get('format_version')}, "
            f"this healthqa reads {FORMAT_VERSION}: run `healthqa index` to rebuild it"
        )
    with (path / PASSAGES).open(encoding="utf-8") as handle:
        passages = [Passage.from_dict(json.loads(line)) for line in handle]
    dense = None
    if "dense" in manifest["parts"]:
        from healthqa.retrieval.dense import DenseIndex

        dense = DenseIndex.load(path / "dense")
    return Index(
        path=path,
        manifest=manifest,
        passages=passages,
        lexical=LexicalIndex.load(path / "lexical"),
        dense=dense,
    )
