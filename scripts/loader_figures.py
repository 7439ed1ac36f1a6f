"""Figures for docs/loaders.md: documents per real data folder, ingest speed (CPU time),
what the boilerplate filter removes from the 104 raw CDC pages, and ingest speed on
generated pages.

    .venv/bin/python scripts/loader_figures.py [DATA_DIR] [--generated N]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

import trafilatura

from healthqa.corpus.loaders import IngestReport, load_paths
from healthqa.corpus.loaders.boilerplate import clean_blocks
from healthqa.corpus.loaders.html import raw_blocks

FOLDERS = (
    "formats/mplus_topics_2012-07-21.xml",
    "nci-pdq-patient",
    "medlineplus-es",
    "html/cdc-pcd-2024-raw.zip",
    "formats/openfda-spl",
    "medquad",
)
CDC = "html/cdc-pcd-2024-raw.zip"


def timed_load(paths: list[Path], fmt: str = "auto") -> tuple[IngestReport, float]:
    report = IngestReport()
    start = time.process_time()
    for _ in load_paths(paths, fmt, prefix="m", report=report):
        pass
    return report, time.process_time() - start


def input_megabytes(path: Path) -> float:
    """The bytes the loaders read: files as they are, zip members unpacked."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    size = 0
    for file in files:
        if file.suffix == ".zip":
            with zipfile.ZipFile(file) as archive:
                size += sum(i.file_size for i in archive.infolist())
        else:
            size += file.stat().st_size
    return size / 2**20


def folder_figures(data: Path) -> None:
    for relative in FOLDERS:
        path = data / relative
        if not path.exists():
            print(f"{relative}: absent")
            continue
        report, cpu = timed_load([path])
        megabytes = input_megabytes(path)
        print(
            f"{relative}: {report.summary()}; {megabytes:.1f} MB, {cpu:.1f} s CPU, "
            f"{report.files / cpu:.0f} files/s, {report.documents / cpu:.0f} documents/s, "
            f"{megabytes / cpu:.2f} MB/s"
        )


def filter_figures(archive: Path) -> None:
    removed: Counter = Counter()
    words_in = words_out = unpacked = 0
    with zipfile.ZipFile(archive) as pages:
        for info in pages.infolist():
            if info.is_dir():
                continue
            unpacked += info.file_size
            extracted = trafilatura.bare_extraction(
                pages.read(info).decode("utf-8"), include_tables=False, include_links=True
            )
            blocks = raw_blocks(extracted.body)
            kept, counts = clean_blocks(blocks)
            removed.update(counts)
            words_in += sum(len(b.text.split()) for b in blocks)
            words_out += sum(len(b.text.split()) for b in kept)
    share = 100 * (words_in - words_out) / words_in
    print(f"CDC pages: {unpacked / 2**20:.1f} MB of HTML; trafilatura keeps {words_in} words, ")
    print(f"  the filter removes {words_in - words_out} ({share:.1f} %): {dict(removed)}")


def generated_figures(count: int) -> None:
    rng = random.Random(7)
    words = [
        "muscle",
        "cramp",
        "nerve",
        "blood",
        "water",
        "salt",
        "pain",
        "night",
        "sleep",
        "doctor",
        "stretch",
        "heat",
    ]

    def sentence() -> str:
        picked = rng.sample(words, 9)
        return " ".join([picked[0].capitalize(), *picked[1:]]) + "."

    menu = "".join(f'<li><a href="/t{k}">Topic {k}</a></li>' for k in range(12))
    with tempfile.TemporaryDirectory() as folder:
        size = 0
        for n in range(count):
            body = "".join(
                f"<h2>Part {h}</h2><p>{' '.join(sentence() for _ in range(5))}</p>"
                f"<ul>{''.join(f'<li>{sentence()}</li>' for _ in range(3))}</ul>"
                for h in range(4)
            )
            page = (
                f"<html><head><title>Page {n}</title></head><body><nav><ul>{menu}</ul></nav>"
                f"<main><article><h1>Page {n}</h1>{body}</article></main>"
                "<footer><p>Contact us. Privacy policy.</p></footer></body></html>"
            )
            size += (Path(folder) / f"p{n:05d}.html").write_text(page)
        report, cpu = timed_load([Path(folder)], "html")
    print(
        f"{count} generated pages ({size / 2**20:.1f} MB): {report.summary()}; {cpu:.1f} s CPU, "
        f"{count / cpu:.0f} pages/s, {report.documents / cpu:.0f} documents/s, "
        f"{size / 2**20 / cpu:.2f} MB/s"
    )


def main(argv: list[str]) -> None:
    count = int(argv[argv.index("--generated") + 1]) if "--generated" in argv else 3000
    positional = [a for a in argv if not a.startswith("--") and not a.isdigit()]
    data = Path(positional[0]) if positional else Path("../shared/data")
    folder_figures(data)
    if (data / CDC).is_file():
        filter_figures(data / CDC)
    generated_figures(count)


if __name__ == "__main__":
    main(sys.argv[1:])
