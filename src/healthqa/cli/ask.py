"""`healthqa ask` and `healthqa index`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from healthqa.analysis.analyzer import validate_question
from healthqa.cli.render import render_answer
from healthqa.config import ENGLISH_TOPIC_DEFAULT, SPANISH_TOPIC_DEFAULT, Settings
from healthqa.engine import Engine, build
from healthqa.errors import HealthqaError
from healthqa.jsonlines import read_rows

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data", help="Data folder holding medquad/ (default: $HEALTHQA_DATA or ../shared/data)."
    ),
]


class _Bar:
    """Index build progress on stderr, one bar per stage."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self.tasks: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)

    def __enter__(self) -> _Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()


CrossEncoderOption = Annotated[
    bool,
    typer.Option(
        "--cross-encoder/--no-cross-encoder",
        help="Re-read the best answers with the cross-encoder (off by default).",
    ),
]
SpanishBridgeOption = Annotated[
    bool,
    typer.Option(
        "--spanish-bridge/--no-spanish-bridge",
        help="Spanish search also through English topic names (docs/spanish.md).",
    ),
]
SpanishTopicOption = Annotated[
    str,
    typer.Option(
        "--spanish-topic",
        help="How a Spanish question's page is chosen: model (the learned chooser, the "
        "default), rules or names-model (the names, then the chooser).",
    ),
]
TopicOption = Annotated[
    str,
    typer.Option(
        "--topic",
        help="How an English question's page is chosen: rules-learned (the default: the rules "
        "answer or abstain, the calibrated chooser may pick a more probable page), rules, or "
        "learned (the calibrated chooser alone, models/topic.json).",
    ),
]
QtypeOption = Annotated[
    str,
    typer.Option(
        "--qtype",
        help="Question type from the cue patterns (cues, the default) or the learned classifier.",
    ),
]


def settings_from(data: Path | None, **overrides) -> Settings:
    return Settings.resolve(data, **overrides)


def open_engine(settings: Settings) -> Engine:
    from healthqa.retrieval.index import FORMAT_VERSION, index_exists, read_manifest

    if (
        index_exists(settings.index_dir)
        and read_manifest(settings.index_dir).get("format_version") == FORMAT_VERSION
    ):
        return Engine.open(settings)
    print("healthqa: building the index (about two minutes, once)...", file=sys.stderr)
    with _Bar() as bar:
        return Engine.open(settings, progress=bar)


def _read_batch(path: Path) -> list[dict]:
    items = []
    for number, row in read_rows(path):
        if "question" not in row:
            raise HealthqaError(f'{path}:{number}: expected {{"id": ..., "question": ...}}')
        items.append(row)
    return items


def ask_command(
    question: Annotated[str | None, typer.Argument(help="The question, in your own words.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
    batch: Annotated[
        Path | None, typer.Option("--batch", help='JSONL file of {"id", "question"} lines.')
    ] = None,
    max_words: Annotated[int, typer.Option("--max-words", help="Longest answer, in words.")] = 300,
    data: DataOption = None,
    dense: Annotated[
        bool, typer.Option("--dense/--no-dense", help="Use semantic search too.")
    ] = True,
    lang: Annotated[
        str,
        typer.Option("--lang", help="Answer in: auto (the question's language), en or es."),
    ] = "auto",
    collection: Annotated[
        str,
        typer.Option("--collection", help="Answer from this collection only (default: all)."),
    ] = "all",
    cross_encoder: CrossEncoderOption = False,
    spanish_bridge: SpanishBridgeOption = False,
    spanish_topic: SpanishTopicOption = SPANISH_TOPIC_DEFAULT,
    topic: TopicOption = ENGLISH_TOPIC_DEFAULT,
) -> int:
    """Answer a health question from trusted sources, with citations."""
    if (question is None) == (batch is None):
        raise HealthqaError("give a question, or --batch FILE (not both)")
    items = _read_batch(batch) if batch else [{"id": None, "question": validate_question(question)}]
    settings = settings_from(
        data,
        max_words=max_words,
        dense=dense,
        lang=lang,
        cross_encoder=cross_encoder,
        spanish_bridge=spanish_bridge,
        spanish_topic=spanish_topic,
        topic=topic,
    )
    engine = open_engine(settings)
    if batch is None:
        answer = engine.ask(items[0]["question"], collection=collection)
        if as_json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        else:
            render_answer(answer, Console())
        return 0
    for item in items:
        try:
            record = engine.ask(item["question"], collection=collection).to_dict()
        except HealthqaError as exc:
            record = {"error": str(exc)}
        print(json.dumps({"id": item.get("id"), **record}, ensure_ascii=False), flush=True)
    return 0


def index_command(
    data: DataOption = None,
    dense: Annotated[
        bool, typer.Option("--dense/--no-dense", help="Build semantic vectors too.")
    ] = True,
    encoder: Annotated[
        str,
        typer.Option(
            "--encoder",
            help="Encoder of the semantic vectors: question (fine-tuned, the default when "
            "installed) or minilm (all-MiniLM-L6-v2 as published).",
        ),
    ] = "",
) -> int:
    """Build (or rebuild) the search index from MedQuAD and every registered collection."""
    settings = settings_from(data, dense=dense, encoder=encoder)
    with _Bar() as bar:
        manifest, report = build(settings, progress=bar)
    if report.files:
        print(f"MedQuAD: {report.summary()}")
    for problem in report.bad_files:
        print(f"  skipped {problem}", file=sys.stderr)
    print(
        f"index: {manifest['documents']} answers, {manifest['passages']} passages "
        f"in {manifest['build_seconds']} s -> {settings.index_dir}"
    )
    for name, counts in sorted(manifest.get("collections", {}).items()):
        print(f"  {name}: {counts['documents']} answers, {counts['passages']} passages")
    if manifest.get("duplicates_merged"):
        print(f"  {manifest['duplicates_merged']} near-duplicate passages merged")
    return 0
