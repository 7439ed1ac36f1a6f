"""`healthqa data download`: MedQuAD from its public GitHub repository, for users without
../shared/data, and the current MedlinePlus health-topics XML from NLM. Files are written
beside their target and renamed into place."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import sys
import tempfile
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from healthqa.corpus.loaders.sources import MAX_FILE_BYTES, MAX_RATIO
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


# MedlinePlus health topics: NLM lists the current files on its XML page, regenerated
# Tuesday to Saturday as mplus_topics_compressed_YYYY-MM-DD.zip (one mplus_topics_*.xml
# inside, about 30 MB unzipped).
MEDLINEPLUS_XML_PAGE = "https://medlineplus.gov/xml.html"
_MEDLINEPLUS_ZIP = re.compile(
    r"""href=["']([^"']*mplus_topics_compressed_(\d{4}-\d{2}-\d{2})\.zip)"""
)
_MEDLINEPLUS_XML = re.compile(r"(^|/)mplus_topics_\d{4}-\d{2}-\d{2}\.xml$")


def latest_medlineplus_url(page: str, page_url: str = MEDLINEPLUS_XML_PAGE) -> str:
    """The newest compressed health-topics file that NLM's XML page links to."""
    found = sorted(_MEDLINEPLUS_ZIP.findall(page), key=lambda match: match[1])
    if not found:
        raise HealthqaError(f"{page_url} links to no mplus_topics_compressed_*.zip file")
    return urllib.parse.urljoin(page_url, found[-1][0])


def download_medlineplus(
    data_dir: Path,
    url: str | None = None,
    *,
    fetch: Callable[[str], bytes] = fetch,
    page_url: str = MEDLINEPLUS_XML_PAGE,
) -> Path:
    """Fetch the current MedlinePlus health-topics XML into `data_dir/medlineplus/`
    (or the zip at `url`); returns the XML file's path. A file that is not a health-topics
    XML, or an archive that would unpack to too much, changes nothing."""
    if url is None:
        url = latest_medlineplus_url(fetch(page_url).decode("utf-8", "replace"), page_url)
    try:
        archive = zipfile.ZipFile(io.BytesIO(fetch(url)))
    except zipfile.BadZipFile as exc:
        raise HealthqaError(f"{url} is not a zip archive") from exc
    members = [m for m in archive.infolist() if _MEDLINEPLUS_XML.search(m.filename)]
    if len(members) != 1:
        raise HealthqaError(f"{url} holds no single mplus_topics_YYYY-MM-DD.xml file")
    member = members[0]
    _check_member_size(member, url)
    with archive.open(member) as handle:
        data = handle.read(member.file_size + 1)
    if len(data) > member.file_size or b"<health-topics" not in data[:4096]:
        raise HealthqaError(f"{url}: {member.filename} is not a MedlinePlus health-topics file")
    target = data_dir / "medlineplus" / Path(member.filename).name
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.part-{os.getpid()}")
    try:
        staging.write_bytes(data)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    return target


def _check_member_size(member: zipfile.ZipInfo, url: str) -> None:
    ratio = member.file_size / max(member.compress_size, 1)
    if member.file_size > MAX_FILE_BYTES or ratio > MAX_RATIO:
        raise HealthqaError(
            f"{url}: {member.filename} would unpack to {member.file_size:,} bytes "
            f"(ratio {ratio:,.0f}); limits {MAX_FILE_BYTES:,} bytes, ratio {MAX_RATIO}"
        )
