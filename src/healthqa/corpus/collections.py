"""Collections: named sets of documents read by one loader, with their source's credit line,
licence and date, kept in a small JSON registry (`<home>/collections.json`).

    healthqa collection add pdq ../shared/data/nci-pdq-patient --credit NCI
    healthqa collection list
    healthqa collection remove pdq

A collection records the SHA-256 of every file it read, so adding the same files again
is seen to change nothing, and a changed file is named (for an index that updates only
what changed). The registry is written to a temporary file and renamed into place, so a
crash leaves the old registry or the new one. MedQuAD is the built-in collection
"medquad"; `iter_documents` yields it and then every registered collection.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from healthqa.config import Settings, medquad_dir
from healthqa.corpus.loaders import AUTO, IngestReport, get_loader, load_paths
from healthqa.corpus.medquad import LoadReport, iter_medquad
from healthqa.errors import HealthqaError
from healthqa.records import Document

REGISTRY_FILE = "collections.json"
REGISTRY_VERSION = 1
MEDQUAD = "medquad"
RESERVED = {MEDQUAD, "all", AUTO}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class Collection:
    name: str
    paths: tuple[str, ...]
    format: str = AUTO
    credit: str = ""
    licence: str = ""
    date: str = ""  # the source's date, if the user gave one
    added: str = ""  # when it was (last) added
    documents: int = 0
    files: dict[str, str] = field(default_factory=dict)  # file name -> SHA-256

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["paths"] = list(self.paths)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Collection:
        return cls(**{**data, "paths": tuple(data.get("paths", ()))})


@dataclass(frozen=True)
class Changes:
    """What an add did to a collection's files (by name), and the batch report."""

    collection: Collection
    report: IngestReport
    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()
    # the collection's Documents as this add read them (what `load_collection` would read
    # again), so that the index update that follows need not read the files a second time
    documents: tuple[Document, ...] = field(default=(), repr=False)

    @property
    def is_noop(self) -> bool:
        return not (self.new or self.changed or self.gone)

    def summary(self) -> str:
        if self.is_noop:
            return f"{self.collection.name}: unchanged ({len(self.unchanged)} files)"
        return (
            f"{self.collection.name}: {self.collection.documents} documents; files "
            f"{len(self.new)} new, {len(self.changed)} changed, {len(self.unchanged)} "
            f"unchanged, {len(self.gone)} gone"
        )


def registry_path(settings: Settings) -> Path:
    return Path(settings.home) / REGISTRY_FILE


def read_collections(settings: Settings) -> dict[str, Collection]:
    path = registry_path(settings)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {c["name"]: Collection.from_dict(c) for c in data["collections"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise HealthqaError(f"cannot read the collection registry {path}: {exc}") from exc


def _write_collections(settings: Settings, collections: dict[str, Collection]) -> None:
    path = registry_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    body = {
        "version": REGISTRY_VERSION,
        "collections": [collections[name].to_dict() for name in sorted(collections)],
    }
    try:
        staging.write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise HealthqaError(
            f"bad collection name {name!r}: use 1-40 lower-case letters, digits, '-' or '_'"
        )
    if name in RESERVED:
        raise HealthqaError(f"{name!r} is reserved; choose another collection name")
    return name


def add_collection(
    settings: Settings,
    name: str,
    paths: Sequence[Path],
    fmt: str = AUTO,
    *,
    credit: str = "",
    licence: str = "",
    date: str = "",
) -> Changes:
    """Register (or refresh) a collection after reading every file once: bad files are
    reported and skipped; a collection with no readable document is refused and the
    registry is left as it was."""
    check_name(name)
    if not paths:
        raise HealthqaError("give at least one file or folder")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise HealthqaError(f"no such file or folder: {', '.join(missing)}")
    if fmt != AUTO:
        get_loader(fmt)
    if date:
        _check_date(date)
    resolved = tuple(str(p.resolve()) for p in paths)
    report = IngestReport()
    hashes: dict[str, str] = {}
    read = list(load_paths(paths, fmt, prefix=name, report=report, hashes=hashes))
    documents = len(read)
    if documents == 0:
        raise HealthqaError(f"no documents in {', '.join(resolved)}: {report.summary()}")
    collections = read_collections(settings)
    before = collections.get(name)
    collection = Collection(
        name=name,
        paths=resolved,
        format=fmt,
        credit=credit or (before.credit if before else ""),
        licence=licence or (before.licence if before else ""),
        date=date or (before.date if before else ""),
        added=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        documents=documents,
        files=hashes,
    )
    changes = _changes(before, collection, report)
    if changes.is_noop and before is not None and _same_settings(before, collection):
        collection = before
    else:
        collections[name] = collection
        _write_collections(settings, collections)
    return replace(
        changes,
        collection=collection,
        documents=tuple(_with_collection(d, collection) for d in read),
    )


def _changes(before: Collection | None, after: Collection, report: IngestReport) -> Changes:
    old = before.files if before else {}
    new = after.files
    return Changes(
        collection=after,
        report=report,
        new=tuple(sorted(set(new) - set(old))),
        changed=tuple(sorted(n for n in set(new) & set(old) if new[n] != old[n])),
        unchanged=tuple(sorted(n for n in set(new) & set(old) if new[n] == old[n])),
        gone=tuple(sorted(set(old) - set(new))),
    )


def _same_settings(a: Collection, b: Collection) -> bool:
    keys = ("paths", "format", "credit", "licence", "date")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


def _check_date(date: str) -> None:
    try:
        dt.date.fromisoformat(date)
    except ValueError as exc:
        raise HealthqaError(f"bad date {date!r}: use YYYY-MM-DD") from exc


def remove_collection(settings: Settings, name: str) -> Collection:
    collections = read_collections(settings)
    if name not in collections:
        known = ", ".join(sorted(collections)) or "none"
        raise HealthqaError(f"no collection named {name!r} (collections: {known})")
    removed = collections.pop(name)
    _write_collections(settings, collections)
    return removed


def list_collections(settings: Settings) -> list[Collection]:
    return [c for _, c in sorted(read_collections(settings).items())]


def load_collection(
    settings: Settings, name: str, report: IngestReport | None = None
) -> Iterator[Document]:
    """The collection's Documents, read again from its paths, with its credit, licence
    and date filled in (a credit or licence given for the collection wins over the
    file's own; the file's own date wins over the collection's)."""
    collections = read_collections(settings)
    if name not in collections:
        known = ", ".join(sorted(collections)) or "none"
        raise HealthqaError(f"no collection named {name!r} (collections: {known})")
    collection = collections[name]
    paths = [Path(p) for p in collection.paths]
    for document in load_paths(paths, collection.format, prefix=name, report=report):
        yield _with_collection(document, collection)


def _with_collection(document: Document, collection: Collection) -> Document:
    credit = collection.credit or document.credit
    return replace(
        document,
        collection=collection.name,
        credit=credit,
        source=document.source or credit,
        licence=collection.licence or document.licence,
        date=document.date or collection.date,
    )


def iter_documents(
    settings: Settings, *, include_empty: bool = True, medquad_report: LoadReport | None = None
) -> Iterator[Document]:
    """MedQuAD (when the settings have a data folder) and then every registered
    collection's Documents. `include_empty` is MedQuAD's: its QA pairs without answer
    text, whose names the vocabulary uses (the index build takes them)."""
    if settings.data_dir is not None:
        yield from iter_medquad(
            medquad_dir(settings.data_dir), medquad_report, include_empty=include_empty
        )
    for collection in list_collections(settings):
        yield from load_collection(settings, collection.name)
