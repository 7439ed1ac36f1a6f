"""Warm `ask` latency in Spanish against English, in one process and one run.

HEALTHQA_HOME=... python bench/spanish_latency.py [--rounds 3] [--json] [--spanish-bridge]

The index in HEALTHQA_HOME must hold the Spanish collection (`healthqa collection add
medlineplus-es ../shared/data/medlineplus-es`). One engine answers the Spanish development
questions (evalsets/answers-es-dev.jsonl) and the English ones (evalsets/answers-dev.jsonl),
interleaved, after one warm-up question of each language (which loads the encoders); each
question is timed `--rounds` times. Only timings are read from the sets: nothing is fitted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from healthqa.config import Settings
from healthqa.engine import Engine
from healthqa.evaluation.answers import DEV_SETS, read_dev_set


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(engine: Engine, rounds: int) -> dict[str, dict[str, float]]:
    questions = {lang: [q.question for q in read_dev_set(DEV_SETS[lang])] for lang in DEV_SETS}
    for lang, texts in questions.items():
        engine.ask(texts[0], lang=lang)  # warm-up: encoders, caches
    timings: dict[str, list[float]] = {lang: [] for lang in questions}
    longest = max(len(texts) for texts in questions.values())
    for _ in range(rounds):
        for i in range(longest):
            for lang, texts in questions.items():
                if i < len(texts):
                    start = time.perf_counter()
                    engine.ask(texts[i], lang=lang)
                    timings[lang].append(1000 * (time.perf_counter() - start))
    return {
        lang: {
            "asks": len(ms),
            "p50_ms": statistics.median(ms),
            "p95_ms": percentile(ms, 0.95),
        }
        for lang, ms in timings.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--spanish-bridge", action="store_true", help="with the cross-lingual bridge (bridge_es)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    engine = Engine.open(Settings.resolve(spanish_bridge=args.spanish_bridge))
    opened = time.perf_counter() - started
    figures = measure(engine, args.rounds)
    ratio = figures["es"]["p95_ms"] / figures["en"]["p95_ms"]
    if args.json:
        print(json.dumps({"open_s": opened, **figures, "p95_ratio_es_en": ratio}, indent=2))
        return
    print(f"engine open {opened:.1f} s")
    for lang, row in figures.items():
        print(f"{lang}: {row['asks']} asks, p50 {row['p50_ms']:.0f} ms, p95 {row['p95_ms']:.0f} ms")
    print(f"p95 Spanish / English: {ratio:.2f}")


if __name__ == "__main__":
    main()
