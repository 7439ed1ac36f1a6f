"""Choose the threshold of the semantic emergency check on training data only.

    python -m healthqa.training.emergency [--data DIR] [--write] [--out PATH]

Negatives: real consumer questions, MeQSum (1,000) and LiveQA 2017 train (446). The
threshold is the lowest that gives no false alarm on them: MARGIN above the best cosine of
any negative the pattern layer does not already flag (those that it flags get the notice
anyway, and read by hand most are real emergencies, docs/safety.md). Positives: lay
emergencies written for this (`emergency_positives.txt`), reported as recall at the chosen
threshold; `emergency_informational.txt` measures the event gate (informational questions
about emergencies must get no notice). The held-out test list is never read here.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from healthqa.analysis.emergency import detect_emergency
from healthqa.analysis.emergency_meaning import (
    CALIBRATION_FILE,
    MeaningCheck,
    best_matches,
    load_descriptions,
)
from healthqa.config import find_data_dir
from healthqa.errors import HealthqaError
from healthqa.xmlfiles import read_xml

# Added to the best negative cosine: the cosines of int8 MiniLM move by about 0.005 between
# batch shapes, and a few points more keep a near-duplicate of a training negative out.
MARGIN = 0.02
TOP_NEGATIVES = 10  # printed to be read by hand
TIMED_QUESTIONS = 200  # MeQSum questions checked one by one, as `ask` does, for the latency


@dataclass(frozen=True)
class Scored:
    text: str
    score: float  # best cosine over the windows that tell of a person; 0 if none
    description: str  # the nearest description's id
    by_patterns: bool


def packaged_path() -> Path:
    return Path(str(resources.files("healthqa") / CALIBRATION_FILE))


def read_lines(name: str) -> list[str]:
    """A training list shipped beside this module: one text a line, '#' lines are notes."""
    raw = resources.files("healthqa.training").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in raw.splitlines() if line.strip() and line[0] != "#"]


@dataclass(frozen=True)
class LayList:
    """The texts of lay training lists, and per text its condition (the "# kind:" heading it
    sits under, the same id in every list read together) and the list it came from."""

    texts: list[str]
    conditions: list[int]
    files: list[str]
    names: list[str]  # the condition of each id


def condition_name(heading: str) -> str:
    """ "# kind: poisoning - overdose (MedlinePlus ...)" -> "poisoning": the cue group (first
    word), so that an overdose and a swallowed pill share a fold; Spanish "historia" is "story"."""
    words = heading.split(":", 1)[1].split("(")[0].replace("/", " ").split()
    first = words[0].lower() if words else "none"
    return {"historia": "story"}.get(first, first)


def read_lay(names: str | tuple[str, ...]) -> LayList:
    """Lay training lists whose lines may hold variants of one message separated by " | "
    (a typo, a missing accent), each line under a "# kind:" heading naming its condition.
    Cross-validation folds follow the condition (session 24): every paraphrase of a stroke
    is held out together, so a fold measures wording the model was not fitted on."""
    files = (names,) if isinstance(names, str) else names
    ids: dict[str, int] = {}
    out = LayList([], [], [], [])
    for name in files:
        raw = resources.files("healthqa.training").joinpath(name).read_text(encoding="utf-8")
        condition = f"none:{name}"
        for line in raw.splitlines():
            if line.startswith("# kind:"):
                condition = condition_name(line)
            if not line.strip() or line[0] == "#":
                continue
            for variant in line.split(" | "):
                if variant.strip():
                    out.texts.append(variant.strip())
                    out.conditions.append(ids.setdefault(condition, len(ids)))
                    out.files.append(name)
    out.names.extend(ids)
    return out


def read_variants(names: str | tuple[str, ...]) -> tuple[list[str], list[int]]:
    """The texts of lay training lists (`read_lay`), and the condition of each, which
    cross-validation keeps in one fold."""
    lay = read_lay(names)
    return lay.texts, lay.conditions


def read_meqsum(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def read_liveqa_train(folder: Path) -> list[str]:
    """What each person sent: the subject line, then the message."""
    questions = []
    for path in sorted(folder.glob("*.xml")):
        for item in read_xml(path, "LiveQA training questions").iter("NLM-QUESTION"):
            parts = (item.findtext("SUBJECT") or "", item.findtext("MESSAGE") or "")
            questions.append("\n".join(p.strip() for p in parts if p.strip()))
    if not questions:
        raise HealthqaError(f"no NLM-QUESTION elements in {folder}/*.xml")
    return questions


def score(check: MeaningCheck, texts: list[str], *, gated: bool = True) -> list[Scored]:
    """Each text's best window, all windows of all texts encoded in one run."""
    spans = [check.spans(text, gated=gated) for text in texts]
    flat = [span for row in spans for span in row]
    found = best_matches(check.encoder.encode(flat), check.vectors)
    rows, start = [], 0
    for text, row in zip(texts, spans, strict=True):
        mine = found[start : start + len(row)]
        start += len(row)
        best = int(mine[:, 1].argmax()) if len(mine) else -1
        rows.append(
            Scored(
                text=text,
                score=float(mine[best, 1]) if best >= 0 else 0.0,
                description=check.descriptions[int(mine[best, 0])].id if best >= 0 else "",
                by_patterns=detect_emergency(text, by_meaning=False).emergency,
            )
        )
    return rows


def choose_threshold(negatives: list[Scored], margin: float = MARGIN) -> float:
    """MARGIN above the best negative that only the semantic check could flag."""
    unflagged = [s.score for s in negatives if not s.by_patterns]
    return round(max(unflagged, default=0.0) + margin, 3)


def caught(rows: list[Scored], threshold: float) -> dict[str, int]:
    patterns = sum(r.by_patterns for r in rows)
    either = sum(r.by_patterns or r.score >= threshold for r in rows)
    return {"questions": len(rows), "patterns": patterns, "patterns_and_meaning": either}


def latency_ms(check: MeaningCheck, texts: list[str]) -> dict[str, float]:
    """Median and p95 of the whole check (patterns and meaning), one question at a time."""
    times = []
    for text in texts:
        check.forget()
        started = time.perf_counter()
        detect_emergency(text, meaning=check)
        times.append(1000 * (time.perf_counter() - started))
    return {"median": float(np.median(times)), "p95": float(np.percentile(times, 95))}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder")
    parser.add_argument("--write", action="store_true", help="store the threshold")
    parser.add_argument("--out", type=Path, default=packaged_path())
    args = parser.parse_args(argv)
    data = find_data_dir(args.data)
    if data is None:
        raise HealthqaError("no data folder: pass --data DIR or set HEALTHQA_DATA")
    from healthqa.retrieval.dense import MODEL_ID, get_encoder

    descriptions, digest = load_descriptions()
    check = MeaningCheck(descriptions, threshold=1.0, encoder=get_encoder())
    negatives = {
        "meqsum": score(check, read_meqsum(data / "meqsum" / "meqsum.jsonl")),
        "liveqa_train": score(check, read_liveqa_train(data / "liveqa-med-2017-train")),
    }
    threshold = choose_threshold([s for rows in negatives.values() for s in rows])
    positives = score(check, read_lines("emergency_positives.txt"))
    informational = read_lines("emergency_informational.txt")
    report = {
        "negatives": {name: caught(rows, threshold) for name, rows in negatives.items()},
        "positives": caught(positives, threshold),
        "informational": {
            "gated": caught(score(check, informational), threshold),
            "ungated": caught(score(check, informational, gated=False), threshold),
        },
    }
    _print(negatives, positives, threshold, report)
    check.threshold = threshold
    timed = latency_ms(check, [s.text for s in negatives["meqsum"][:TIMED_QUESTIONS]])
    print(f"latency per MeQSum question, patterns + meaning: {json.dumps(timed)} ms")
    if args.write:
        _write(args.out, threshold, MODEL_ID, digest, report)
        print(f"threshold written to {args.out}")


def _print(negatives, positives, threshold, report) -> None:
    rows = sorted(
        (s for r in negatives.values() for s in r if not s.by_patterns), key=lambda s: -s.score
    )
    print(f"best negatives the patterns do not flag (threshold {threshold}):")
    for s in rows[:TOP_NEGATIVES]:
        print(f"  {s.score:.3f} {s.description:<24} {' '.join(s.text.split())[:110]}")
    print("positives below the threshold and missed by the patterns:")
    for s in positives:
        if s.score < threshold and not s.by_patterns:
            print(f"  {s.score:.3f} {s.description:<24} {s.text}")
    print(json.dumps(report, indent=2))
    print(f"positives' cosines: median {np.median([s.score for s in positives]):.3f}")


def _write(path: Path, threshold: float, model_id: str, digest: str, report: dict) -> None:
    data = {
        "format_version": 1,
        "threshold": threshold,
        "model_id": model_id,
        "descriptions_sha256": digest,
        "margin": MARGIN,
        "note": (
            "Chosen by `python -m healthqa.training.emergency --write` on training data only: "
            f"{MARGIN} above the best cosine of any MeQSum or LiveQA 2017 train question that the "
            "pattern layer does not flag, so that the semantic check adds no alarm on those "
            "1,446 real consumer questions. Recall is measured on emergency_positives.txt."
        ),
        "measured": report,
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
