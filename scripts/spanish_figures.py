"""Figures of the Spanish side (issue 11) on this machine: multilingual encoder load time and
speed on MedlinePlus en español passages (wall and CPU time, with the load average, since the
machine is shared), and language detection speed.

    python scripts/spanish_figures.py [/path/to/medlineplus-es] [--passages 300] [--qtype]

--qtype: how often the Spanish question type (analysis/qtype_es.py) agrees with the type the
words of a page's question heading name.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from pathlib import Path

from healthqa.analysis.language import detect_language
from healthqa.corpus.loaders import load_paths
from healthqa.corpus.passages import split_passages
from healthqa.retrieval.dense import passage_text
from healthqa.retrieval.multilingual import MultilingualEncoder


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


HEADING_TYPES = (
    ("causes", r"causa"),
    ("symptoms", r"s[ií]ntoma"),
    ("treatment", r"tratamiento|trata"),
    ("prevention", r"prevenir|prevenci"),
    ("exams and tests", r"diagn[oó]stic"),
    ("susceptibility", r"riesgo|probabilidad"),
    ("information", r"^¿qu[ée] (es|son) "),
)


def qtype_agreement(folder: Path) -> None:
    from healthqa.analysis.qtype_es import default_qtype

    classify = default_qtype()
    headings = [
        line[4:].strip()
        for path in sorted((folder / "topics").glob("*.md"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("### ¿")
    ]
    named = []
    for heading in headings:
        for qtype, pattern in HEADING_TYPES:
            if re.search(pattern, heading, re.IGNORECASE):
                named.append((heading, qtype))
                break
    agree = sum(classify(h) == t for h, t in named)
    print(
        f"question type: {agree} of {len(named)} headings that name their type agree "
        f"({agree / len(named):.1%}); {len(headings)} question headings in all"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default="../shared/data/medlineplus-es")
    parser.add_argument("--passages", type=int, default=300)
    parser.add_argument("--qtype", action="store_true", help="Question-type agreement only.")
    args = parser.parse_args()
    if args.qtype:
        qtype_agreement(Path(args.folder))
        return
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    docs = list(load_paths([Path(args.folder)], "markdown", prefix="medlineplus-es"))
    passages = [p for d in docs for p in split_passages(d)][: args.passages]
    texts = [passage_text(p) for p in passages]
    encoder, wall, cpu = _timed(MultilingualEncoder)
    print(f"USE multilingual load: {wall:.1f} s wall, {cpu:.1f} s CPU")
    _, wall, cpu = _timed(lambda: encoder.encode(texts))
    print(
        f"{len(texts)} passages: {len(texts) / wall:.1f} passages/s wall, "
        f"{len(texts) / cpu:.1f} passages per CPU-second"
    )
    question = "¿Por qué ocurren los espasmos musculares?"
    _, wall, cpu = _timed(lambda: [encoder.encode([question]) for _ in range(10)])
    print(f"one question: {wall * 100:.0f} ms wall, {cpu * 100:.0f} ms CPU")
    detect_language(question)
    _, wall, _ = _timed(lambda: [detect_language(question) for _ in range(200)])
    print(f"language detection: {wall / 200 * 1000:.2f} ms a question (warm)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
