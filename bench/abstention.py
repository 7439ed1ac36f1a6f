"""Abstention at several topic-coverage thresholds, on out-of-scope, ordinary and real questions.

HEALTHQA_HOME=... python bench/abstention.py [--data DIR] [--coverage 0.6 0.45 0.3]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import healthqa.answer.topic as topic
from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.evaluation.liveqa import read_questions

LISTS = Path(__file__).resolve().parents[1] / "tests" / "data"
MEQSUM_QUESTIONS = 200


def _lines(name: str) -> list[str]:
    text = (LISTS / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--coverage", type=float, nargs="+", default=[topic.MIN_CONTENT_COVERAGE])
    args = parser.parse_args()
    engine = Engine.open(Settings.resolve(args.data))
    data = engine.settings.data_dir
    sets = {
        "out-of-scope": _lines("out_of_scope_questions.txt"),
        "ordinary": _lines("ordinary_questions.txt"),
        "LiveQA dev": [
            q.original for q in read_questions(data / "liveqa-med-2017-dev" / "questions.xml")
        ],
        "MeQSum": [
            json.loads(line)["question"]
            for line in (data / "meqsum" / "meqsum.jsonl")
            .read_text()
            .splitlines()[:MEQSUM_QUESTIONS]
        ],
    }
    print(
        "| coverage | "
        + " | ".join(f"{name} abstain ({len(q)})" for name, q in sets.items())
        + " |"
    )
    print("|---|" + "---:|" * len(sets))
    for coverage in args.coverage:
        topic.MIN_CONTENT_COVERAGE = coverage
        counts = {name: sum(engine.ask(q).abstained for q in qs) for name, qs in sets.items()}
        print(
            f"| {coverage} | "
            + " | ".join(f"{counts[n]} ({counts[n] / len(sets[n]):.0%})" for n in sets)
            + " |"
        )


if __name__ == "__main__":
    main()
