"""Loaders: small plug-ins that turn files into Documents, registered by name.

A loader is one module of this package that calls `register(Loader(...))`: a function from
one file to its Documents (or, for a format that spans a folder, from the folder), the file
suffixes it reads, and a test of a file's first bytes for `--format auto`. Adding a format
is adding a module; every module here is imported when the registry is first used.

    documents = list(load_paths([Path("pdq")], "markdown", prefix="pdq", report=report))
    print(report.summary())   # 155 files: 155 added (2,960 documents), 0 skipped
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import pkgutil
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from healthqa.corpus.loaders.base import (
    IngestReport,
    PerFile,
    SourceFile,
    iter_per_file,
)
from healthqa.corpus.loaders.sources import iter_sources
from healthqa.errors import HealthqaError
from healthqa.records import Document

AUTO = "auto"
_NOT_LOADERS = {"base", "sources", "boilerplate"}

FolderLoader = Callable[[Path, str, IngestReport], Iterator[Document]]


@dataclass(frozen=True)
class Loader:
    """A format: `load` reads one file; `load_folder`, when given, reads a whole folder
    that it claims (`claims(folder)`) instead; `sniff(file)` says whether a file of one of
    `suffixes` is in this format, for `--format auto` (higher `priority` wins)."""

    name: str
    description: str
    suffixes: tuple[str, ...]
    load: PerFile
    sniff: Callable[[SourceFile], bool] | None = None
    priority: int = 0
    load_folder: FolderLoader | None = None
    claims: Callable[[Path], bool] | None = None
    sidecars: tuple[str, ...] = ()


_REGISTRY: dict[str, Loader] = {}
_builtins_loaded = False


def register(loader: Loader) -> Loader:
    if loader.name == AUTO:
        raise HealthqaError(f"{AUTO!r} is reserved for format detection")
    _REGISTRY[loader.name] = loader
    return loader


def _load_builtins() -> None:
    global _builtins_loaded
    if _builtins_loaded:
        return
    _builtins_loaded = True
    for module in pkgutil.iter_modules(__path__):
        if module.name not in _NOT_LOADERS and not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


def formats() -> list[str]:
    """The registered format names, for the CLI's choices."""
    _load_builtins()
    return sorted(_REGISTRY)


def get_loader(name: str) -> Loader:
    _load_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        choices = ", ".join([AUTO, *sorted(_REGISTRY)])
        raise HealthqaError(f"unknown format {name!r}; choose one of: {choices}") from None


def detect_file(source: SourceFile) -> str | None:
    """The format of one file, by suffix and first bytes; None if no loader reads it."""
    _load_builtins()
    fits = [
        loader
        for loader in _REGISTRY.values()
        if source.suffix in loader.suffixes and (loader.sniff is None or loader.sniff(source))
    ]
    return max(fits, key=lambda loader: loader.priority).name if fits else None


def detect_format(path: Path) -> str:
    """The format of a file, or the most common format of a folder's files."""
    _load_builtins()
    folder_loader = _folder_loader(path, None)
    if folder_loader is not None:
        return folder_loader.name
    found = Counter(
        name for source in iter_sources(path, IngestReport()) if (name := detect_file(source))
    )
    if not found:
        raise HealthqaError(
            f"no file in {path} is in a known format ({', '.join(formats())}); "
            "pass --format to choose one"
        )
    return found.most_common(1)[0][0]


def load_paths(
    paths: Sequence[Path],
    fmt: str = AUTO,
    *,
    prefix: str = "",
    report: IngestReport | None = None,
    hashes: dict[str, str] | None = None,
) -> Iterator[Document]:
    """The Documents of every file under `paths`, read by the `fmt` loader (or, with
    "auto", by each file's detected format). Bad files are reported and skipped.

    Files are named by their path below the path given; a second file of the same name
    (from another path) is skipped, since its ids would be the same. With `hashes`, the
    SHA-256 of every file read is put there by name.
    """
    report = report if report is not None else IngestReport()
    _load_builtins()
    chosen = None if fmt == AUTO else get_loader(fmt)
    seen: set[str] = set()
    for path in paths:
        folder_loader = _folder_loader(path, chosen)
        if folder_loader is not None and folder_loader.load_folder is not None:
            report.formats[folder_loader.name] += 1
            yield from folder_loader.load_folder(path, prefix or folder_loader.name, report)
            continue
        sidecars = tuple(s for loader in _candidates(chosen) for s in loader.sidecars)
        for source in iter_sources(path, report, prefix=prefix, sidecars=sidecars):
            if source.name in seen:
                report.skip(source.name, "duplicate name", f"{path}: a second {source.name}")
                continue
            seen.add(source.name)
            if hashes is not None:
                hashes[source.name] = file_hash(source.data)
            yield from _load_one(source, chosen, report)


def file_hash(data: bytes) -> str:
    """SHA-256 of a file's bytes together with the loaders' own code, so that re-adding an
    unchanged file is a no-op, but a file read by changed loader code is read again."""
    digest = hashlib.sha256(_loaders_code_digest())
    digest.update(data)
    return digest.hexdigest()


@functools.cache
def _loaders_code_digest() -> bytes:
    # The source of every loader module stands for "how files are read": a release or a
    # local edit that changes a loader changes this digest, with no version to remember.
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode())
        digest.update(module.read_bytes())
    return digest.digest()


def _candidates(chosen: Loader | None) -> list[Loader]:
    return [chosen] if chosen is not None else list(_REGISTRY.values())


def _folder_loader(path: Path, chosen: Loader | None) -> Loader | None:
    """The loader that reads `path` as a whole folder, if one claims it."""
    if not path.is_dir():
        return None
    return next((x for x in _candidates(chosen) if x.claims is not None and x.claims(path)), None)


def _load_one(
    source: SourceFile, chosen: Loader | None, report: IngestReport
) -> Iterator[Document]:
    name = chosen.name if chosen is not None else detect_file(source)
    if name is None:
        report.skip(
            source.name,
            "unknown format",
            f"{source.name}: no loader reads {source.suffix or 'files without a suffix'}",
        )
        return
    loader = _REGISTRY[name]
    if chosen is not None and source.suffix not in loader.suffixes:
        report.skip(
            source.name,
            "unknown format",
            f"{source.name}: not a {loader.name} file ({', '.join(loader.suffixes)})",
        )
        return
    if not source.prefix:
        source = SourceFile(source.name, source.data, name, source.location)
    report.formats[name] += 1
    yield from iter_per_file(loader.load, [source], report)


__all__ = [
    "AUTO",
    "IngestReport",
    "Loader",
    "SourceFile",
    "detect_file",
    "detect_format",
    "formats",
    "get_loader",
    "load_paths",
    "register",
]
