"""The files of a batch: a folder walked in sorted order, zip archives opened member by
member, and every file no loader should see reported and skipped (issue 10, item 5).

Checked before a loader runs: symlinks that lead out of the given folder, files that are
not regular, empty, too large or binary, and zip archives whose members would unpack to
too much (declared sizes and ratios are checked before anything is read, and a member is
read no further than its declared size allows).
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from healthqa.corpus.loaders.base import IngestReport, SourceFile

# The largest single file read: the full MedlinePlus topics XML is about 30 MB (2026).
MAX_FILE_BYTES = 64 * 2**20
# All members of one archive together, unpacked.
MAX_ARCHIVE_BYTES = 1 * 2**30
MAX_ARCHIVE_MEMBERS = 100_000
# Text compresses 3-10 times (the 104 CDC pages: 4.3; the MedlinePlus XML: 6.3); zip
# bombs compress hundreds to millions of times. Small members are let through whatever
# their ratio, since they cannot hurt.
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1 * 2**20
# Files that are not content, whatever their format.
LICENCE_NAMES = ("copying", "license", "licence")
# Leading bytes of common binary formats.
BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"\x7fELF",
    b"MZ",
    b"\xd0\xcf\x11\xe0",
    b"Rar!",
    b"7z\xbc\xaf",
)
ZIP_MAGIC = b"PK\x03\x04"


def iter_sources(
    path: Path, report: IngestReport, *, prefix: str = "", sidecars: tuple[str, ...] = ()
) -> Iterator[SourceFile]:
    """Every readable file under `path` (a file or a folder), zip members included."""
    if not path.exists():
        report.files += 1
        report.skip(str(path), "missing", f"{path}: no such file or folder")
        return
    if path.is_dir():
        root = path.resolve()
        for file in _walk(path, root, report):
            if file.name in sidecars:
                continue
            yield from _read(file, file.relative_to(path).as_posix(), root, report, prefix)
    else:
        yield from _read(path, path.name, path.resolve().parent, report, prefix)


def _walk(folder: Path, root: Path, report: IngestReport) -> Iterator[Path]:
    """Files below `folder` in sorted order; hidden entries are passed over, symlinked
    folders are not followed (a folder reached twice, or outside `root`)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            sub = here / name
            if name.startswith("."):
                continue
            if sub.is_symlink():
                if not _inside(sub, root):
                    report.files += 1
                    report.skip(str(sub), "outside folder", f"{sub}: links outside {root}")
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if not name.startswith("."):
                yield here / name


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return False


def _read(
    path: Path, name: str, root: Path, report: IngestReport, prefix: str
) -> Iterator[SourceFile]:
    report.files += 1
    if path.is_symlink() and not _inside(path, root):
        report.skip(
            name, "outside folder", f"{name}: a symlink to {os.readlink(path)}, outside {root}"
        )
        return
    if PurePosixPath(name).stem.lower() in LICENCE_NAMES:
        report.skip(name, "licence file", f"{name}: a licence, not content")
        return
    try:
        info = path.stat()
    except OSError as exc:
        report.skip(name, "unreadable", f"{name}: {exc.strerror or exc}")
        return
    if not stat.S_ISREG(info.st_mode):
        report.skip(name, "not a file", f"{name}: not a regular file")
        return
    if _is_zip(path):
        report.files -= 1  # the archive's members are counted instead
        yield from _zip_members(path, name, report, prefix)
        return
    if info.st_size > MAX_FILE_BYTES:
        report.skip(name, "too large", f"{name}: {info.st_size:,} bytes, over {MAX_FILE_BYTES:,}")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.skip(name, "unreadable", f"{name}: {exc.strerror or exc}")
        return
    source = _checked(name, data, report, prefix, str(path))
    if source is not None:
        yield source


def _is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == ZIP_MAGIC
    except OSError:
        return False


def _checked(
    name: str, data: bytes, report: IngestReport, prefix: str, location: str
) -> SourceFile | None:
    """The file as a SourceFile, or None when it is empty or binary (reported)."""
    if not data.strip():
        report.skip(name, "empty", f"{name}: empty")
        return None
    head = data[:8192]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if head.startswith(BINARY_MAGIC) or (b"\x00" in head and not utf16):
        report.skip(name, "binary", f"{name}: a binary file, not text")
        return None
    return SourceFile(name=name, data=data, prefix=prefix, location=location)


def _zip_members(path: Path, name: str, report: IngestReport, prefix: str) -> Iterator[SourceFile]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        report.files += 1
        report.skip(name, "malformed archive", f"{name}: not a readable zip archive ({exc})")
        return
    with archive:
        members = sorted(
            (i for i in archive.infolist() if not i.is_dir()), key=lambda i: i.filename
        )
        total = sum(i.file_size for i in members)
        if total > MAX_ARCHIVE_BYTES or len(members) > MAX_ARCHIVE_MEMBERS:
            report.files += 1
            report.skip(
                name,
                "zip bomb",
                f"{name}: {len(members):,} members would unpack to "
                f"{total:,} bytes (limit {MAX_ARCHIVE_BYTES:,})",
            )
            return
        for info in members:
            source = _member(archive, info, f"{name}/{info.filename}", report, prefix, path)
            if source is not None:
                yield source


def _member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    report: IngestReport,
    prefix: str,
    path: Path,
) -> SourceFile | None:
    parts = PurePosixPath(info.filename).parts
    if info.filename.startswith("/") or ".." in parts:
        report.files += 1
        report.skip(name, "unsafe path", f"{name}: a member path that leaves the archive")
        return None
    if any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return None
    report.files += 1
    if info.file_size > MAX_FILE_BYTES:
        report.skip(name, "too large", f"{name}: {info.file_size:,} bytes, over {MAX_FILE_BYTES:,}")
        return None
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
        report.skip(name, "zip bomb", f"{name}: compressed {ratio:,.0f} to 1 (limit {MAX_RATIO})")
        return None
    try:
        with archive.open(info) as handle:
            data = handle.read(info.file_size + 1)
    except (
        zipfile.BadZipFile,
        NotImplementedError,
        RuntimeError,
        OSError,
        EOFError,
        zlib.error,
    ) as exc:
        # CRC errors, encrypted members, compression methods Python lacks, truncated data
        report.skip(name, "malformed archive", f"{name}: cannot unpack ({exc})")
        return None
    if len(data) > info.file_size:
        report.skip(name, "zip bomb", f"{name}: unpacks to more than its declared size")
        return None
    if data.startswith(ZIP_MAGIC):
        report.skip(name, "nested archive", f"{name}: an archive inside an archive")
        return None
    return _checked(name, data, report, prefix, f"{path}/{info.filename}")
