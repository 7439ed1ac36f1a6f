"""`healthqa data download`: MedQuAD from its public GitHub repository, for users without
../shared/data. The archive is unpacked beside the target and renamed into place."""

from __future__ import annotations

import csv
import io
import os
import shutil
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path

from healthqa.corpus.medquad import JUDGED_FILE
from healthqa.errors import HealthqaError

MEDQUAD_URL = "https://github.com/abachaa/MedQuAD/archive/refs/heads/master.zip"
# Inside the repository: the 2,479 judged answers, whose text fills the empty folders 10-12.
JUDGED_ARCHIVE = "QA-TestSet-LiveQA-Med-Qrels-2479-Answers.zip"
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read(MAX_ARCHIVE_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise HealthqaError(f"could not download {url}: {exc}") from exc
    if len(data) > MAX_ARCHIVE_BYTES:
        raise HealthqaError(f"{url} is larger than {MAX_ARCHIVE_BYTES // 2**20} MiB")
    return data


def download_medquad(data_dir: Path, url: str = MEDQUAD_URL) -> Path:
    """Fetch and unpack MedQuAD into `data_dir/medquad`; returns that folder."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(fetch(url)))
    except zipfile.BadZipFile as exc:
        raise HealthqaError(f"{url} is not a zip archive") from exc
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / "medquad"
    staging = Path(tempfile.mkdtemp(prefix=".medquad-", dir=data_dir))
    try:
        _unpack(archive, staging)
        if not any(staging.glob("*_QA*/*.xml")):
            raise HealthqaError(f"{url} holds no MedQuAD folders (*_QA*/*.xml)")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _unpack(archive: zipfile.ZipFile, staging: Path) -> None:
    """Copy the QA folders (without the repository's top folder) and the judged answers."""
    for member in archive.infolist():
        parts = Path(member.filename).parts
        if member.is_dir() or len(parts) < 2 or ".." in parts:
            continue
        inner = Path(*parts[1:])
        if inner.parts[0].count("_QA") and inner.suffix == ".xml":
            destination = staging / inner
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.read(member))
        elif inner.name == JUDGED_ARCHIVE:
            _write_judged(zipfile.ZipFile(io.BytesIO(archive.read(member))), staging / JUDGED_FILE)


def _write_judged(archive: zipfile.ZipFile, destination: Path) -> None:
    csv.field_size_limit(sys.maxsize)
    for member in archive.infolist():
        if member.filename.endswith(".csv"):
            text = archive.read(member).decode("utf-8", errors="replace")
            if text.startswith("AnswerID"):
                destination.write_text(text, encoding="utf-8")
                return
