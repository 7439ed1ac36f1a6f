"""`healthqa eval ...`, `healthqa mediqa ...` and `healthqa bench`: thin calls into
`healthqa.evaluation`. Files default to their place in the data folder (../shared/data).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from healthqa.cli.ask import (
    CrossEncoderOption,
    QtypeOption,
    SpanishBridgeOption,
    SpanishTopicOption,
    TopicOption,
    open_engine,
    settings_from,
)
from healthqa.config import ENGLISH_TOPIC_DEFAULT, SPANISH_TOPIC_DEFAULT, find_data_dir
from healthqa.errors import HealthqaError

eval_app = typer.Typer(
    help="Score healthqa on public benchmarks, beside a BM25 baseline.", no_args_is_help=True
)
mediqa_app = typer.Typer(help="Run MEDIQA tasks and write submission files.", no_args_is_help=True)

CorpusOption = Annotated[
    Path | None,
    typer.Option(
        "--corpus", help="Data folder holding medquad/ (default: $HEALTHQA_DATA or ../shared/data)."
    ),
]
DenseOption = Annotated[bool, typer.Option("--dense/--no-dense", help="Use semantic search too.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")]
ModelOption = Annotated[
    Path | None, typer.Option("--model", help="Re-ranking model JSON (default: the packaged one).")
]

LIVEQA_DIR = Path("liveqa-med-2017-dev")
MEDIQA_QA_DIR = Path("mediqa2019") / "task3-qa"
MEDIQA_QA_VALIDATION = MEDIQA_QA_DIR / "MEDIQA2019-Task3-QA-ValidationSet.xml"
RQE_VALIDATION = (
    Path("mediqa2019") / "task2-rqe" / "MEDIQA2019-Task2-RQE-ValidationSet-AMIA2016.xml"
)
MAS_VALIDATION = Path("mediqa2021") / "mas-validation.jsonl"


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise HealthqaError(f"file not found: {path}")
    return path


def _data_file(given: Path | None, default: Path, corpus: Path | None) -> Path:
    """`given`, else `default` inside the data folder; an error that names both otherwise."""
    if given is not None:
        return _existing(given)
    data_dir = find_data_dir(corpus)
    if data_dir is None or not (data_dir / default).is_file():
        raise HealthqaError(
            f"no file given and {default} not found in the data folder ({data_dir})"
        )
    return data_dir / default


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _table(title: str, columns: list[str], rows: list[list[str]]) -> Table:
    table = Table(title=title, title_justify="left")
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*row)
    return table


# --- eval ---------------------------------------------------------------------------------


@eval_app.command("liveqa")
def eval_liveqa(
    questions: Annotated[
        Path | None, typer.Option("--questions", help="LiveQA questions XML.")
    ] = None,
    qrels: Annotated[
        Path | None, typer.Option("--qrels", help="qrels: qid label answer_id.")
    ] = None,
    run_out: Annotated[
        Path | None,
        typer.Option("--run-out", help="Write the pipeline's TREC run here (BM25's beside it)."),
    ] = None,
    inputs: Annotated[
        str,
        typer.Option(
            "--inputs",
            help="original (SUBJECT + MESSAGE), or the labelled experiments paraphrase / summary.",
        ),
    ] = "original",
    as_json: JsonOption = False,
    corpus: CorpusOption = None,
    dense: DenseOption = True,
    cross_encoder: CrossEncoderOption = False,
    qtype: QtypeOption = "cues",
) -> int:
    """TREC 2017 LiveQA medical: rank MedQuAD answers; avgScore, P@1, MAP@10, MRR@10."""
    from healthqa.evaluation import liveqa
    from healthqa.evaluation.trec import read_qrels, write_run

    items = liveqa.read_questions(_data_file(questions, LIVEQA_DIR / "questions.xml", corpus))
    judgments = read_qrels(_data_file(qrels, LIVEQA_DIR / "qrels-medquad.txt", corpus))
    engine = open_engine(
        settings_from(corpus, dense=dense, cross_encoder=cross_encoder, qtype=qtype)
    )
    report = liveqa.evaluate(engine, items, judgments, inputs=inputs)
    if run_out is not None:
        for name, path in _run_paths(run_out).items():
            write_run(path, report.runs[name], tag=f"healthqa-{name}")
            print(f"wrote {path}", file=sys.stderr)
    if as_json:
        _print_json(report.to_dict())
        return 0
    names = list(report.systems)
    rows = [
        [measure, *(_figure(measure, report.systems[n].means[measure]) for n in names)]
        for measure in report.systems[names[0]].means
    ]
    console = Console()
    console.print(
        f"TREC 2017 LiveQA medical: {report.judged} judged of {report.questions} questions, "
        f"input: {report.inputs}"
    )
    console.print(_table("", ["measure", *names], rows))
    console.print("Published (full test set, 104 questions):")
    for name, value in report.anchors.items():
        console.print(f"  {name}: {value:.3f}")
    return 0


def _figure(measure: str, value: float) -> str:
    return f"{value:.0f}" if measure == "unjudged@1" else f"{value:.3f}"


def _run_paths(run_out: Path) -> dict[str, Path]:
    return {
        "pipeline": run_out,
        "bm25": run_out.with_name(f"{run_out.stem}-bm25{run_out.suffix}"),
        "hybrid": run_out.with_name(f"{run_out.stem}-hybrid{run_out.suffix}"),
    }


def _mediqa_rows(scores: dict[str, dict[str, float]]) -> list[list[str]]:
    names = list(scores)
    return [[m, *(f"{scores[n][m]:.3f}" for n in names)] for m in scores[names[0]]]


@eval_app.command("mediqa-qa")
def eval_mediqa_qa(
    data: Annotated[
        Path | None, typer.Option("--data", help="Labelled MEDIQA 2019 task 3 XML.")
    ] = None,
    run: Annotated[
        Path | None, typer.Option("--run", help="Score this submission CSV instead of re-ranking.")
    ] = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
    corpus: CorpusOption = None,
    dense: DenseOption = True,
) -> int:
    """MEDIQA 2019 task 3: accuracy, precision, MRR, Spearman's rho; SystemRank as baseline."""
    from healthqa.evaluation.mediqa import (
        BEST_TASK3_ACCURACY,
        read_questions,
        read_submission,
        score_submission,
        system_rank_baseline,
    )

    items = read_questions(_data_file(data, MEDIQA_QA_VALIDATION, corpus))
    if run is not None:
        judgements = read_submission(run)
    else:
        from healthqa.evaluation.qa_rerank import RerankModel, rerank

        reranker = RerankModel.load(model)
        judgements = rerank(open_engine(settings_from(corpus, dense=dense)), reranker, items)
    scores = {
        "healthqa": score_submission(judgements, items),
        "SystemRank": score_submission(system_rank_baseline(items), items),
    }
    if as_json:
        _print_json(
            {"questions": len(items), "scores": scores, "best_2019_accuracy": BEST_TASK3_ACCURACY}
        )
        return 0
    console = Console()
    console.print(
        _table(
            f"MEDIQA 2019 task 3, {len(items)} questions",
            ["measure", *scores],
            _mediqa_rows(scores),
        )
    )
    console.print(f"Published: best team accuracy {BEST_TASK3_ACCURACY:.3f} (test set).")
    return 0


@eval_app.command("rqe")
def eval_rqe(
    data: Annotated[
        Path | None, typer.Option("--data", help="Labelled MEDIQA 2019 task 2 XML.")
    ] = None,
    as_json: JsonOption = False,
    corpus: CorpusOption = None,
) -> int:
    """MEDIQA 2019 task 2 (question entailment): accuracy."""
    from healthqa.evaluation.rqe import BEST_TASK2_ACCURACY, evaluate

    report = evaluate(_data_file(data, RQE_VALIDATION, corpus))
    if as_json:
        _print_json({**report.to_dict(), "best_2019_accuracy": BEST_TASK2_ACCURACY})
        return 0
    print(
        f"MEDIQA 2019 task 2: accuracy {report.accuracy:.3f} on {report.pairs} pairs "
        f"(majority class {report.majority:.3f}; "
        f"best team 2019 {BEST_TASK2_ACCURACY:.3f}, test set)"
    )
    return 0


@eval_app.command("mas")
def eval_mas(
    data: Annotated[
        Path | None, typer.Option("--data", help="MEDIQA 2021 MAS JSONL with reference summaries.")
    ] = None,
    max_words: Annotated[
        int | None, typer.Option("--max-words", help="Longest summary, in words.")
    ] = None,
    as_json: JsonOption = False,
    corpus: CorpusOption = None,
    dense: DenseOption = True,
) -> int:
    """MEDIQA 2021 multi-answer summarisation: ROUGE F1 beside a lead baseline of equal length."""
    from healthqa.evaluation import mas

    items = mas.read_mas(_data_file(data, MAS_VALIDATION, corpus))
    engine = open_engine(settings_from(corpus, dense=dense))
    report = mas.evaluate(engine, items, max_words or mas.SUMMARY_WORDS)
    if as_json:
        _print_json(report.to_dict())
        return 0
    rows = [
        [f"{kind} {rouge}", *(f"{report.scores[s][kind][rouge]:.3f}" for s in report.scores)]
        for kind in mas.REFERENCES
        for rouge in mas.ROUGE_TYPES
    ]
    rows.append(["mean words", *(f"{report.mean_words[s]:.0f}" for s in report.scores)])
    Console().print(
        _table(
            f"MEDIQA 2021 MAS, {report.questions} questions, ROUGE F1",
            ["reference", *report.scores],
            rows,
        )
    )
    return 0


@eval_app.command("answers")
def eval_answers(
    questions: Annotated[
        Path | None,
        typer.Option(
            "--questions",
            help="Dev set JSONL (default: evalsets/answers-dev.jsonl, or answers-es-dev.jsonl "
            "with --lang es).",
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="One line per question.")
    ] = False,
    max_words: Annotated[
        int | None, typer.Option("--max-words", help="Longest answer, in words.")
    ] = None,
    as_json: JsonOption = False,
    corpus: CorpusOption = None,
    dense: DenseOption = True,
    lang: Annotated[
        str, typer.Option("--lang", help="Questions of this language: en or es.")
    ] = "en",
    spanish_bridge: SpanishBridgeOption = False,
    qtype: QtypeOption = "cues",
    spanish_topic: SpanishTopicOption = SPANISH_TOPIC_DEFAULT,
    topic: TopicOption = ENGLISH_TOPIC_DEFAULT,
) -> int:
    """Answer quality: required facts found and a right source cited; length; abstentions."""
    from healthqa.evaluation.answers import DEV_SETS, evaluate, read_dev_set

    if lang not in DEV_SETS:
        raise HealthqaError(f"--lang must be one of {', '.join(DEV_SETS)}, got {lang!r}")
    items = [i for i in read_dev_set(questions or DEV_SETS[lang]) if i.language == lang]
    engine = open_engine(
        settings_from(
            corpus,
            dense=dense,
            spanish_bridge=spanish_bridge,
            qtype=qtype,
            spanish_topic=spanish_topic,
            topic=topic,
        )
    )
    if lang != "en" and lang not in engine.languages():
        print(
            f"healthqa eval answers --lang {lang}: needs the Spanish collection in the index "
            "(healthqa collection add medlineplus-es ../shared/data/medlineplus-es)",
            file=sys.stderr,
        )
        return 1
    report = evaluate(engine, items, max_words)
    if as_json:
        _print_json(report.to_dict())
        return 0
    if verbose:
        for c in report.checks:
            words = "abstained" if c.abstained else f"{c.words} words"
            missing = "; ".join("/".join(g) for g in c.missing_facts) or "-"
            source = "-" if c.abstain_expected else ("yes" if c.right_source else "no")
            print(
                f"{'pass' if c.passed else 'FAIL'}  {c.id:<26} {words:<10} "
                f"right source: {source:<4} missing: {missing}  cited: {' '.join(c.cited) or '-'}"
            )
    means = report.means
    print(
        f"{means['passed']:.0%} of {means['questions']} answers pass (facts and a right source); "
        f"facts found {means['facts_found']:.0%}, right source {means['right_source']:.0%}, "
        f"mean {means['mean_words']:.0f} words, {means['abstentions']} abstentions"
    )
    return 0


# --- mediqa -------------------------------------------------------------------------------


@mediqa_app.command("qa")
def mediqa_qa(
    input_file: Annotated[Path, typer.Argument(help="MEDIQA 2019 task 3 XML (labels not needed).")],
    out: Annotated[
        Path, typer.Option("--out", help="Submission CSV: question_id,answer_id,label.")
    ],
    model: ModelOption = None,
    corpus: CorpusOption = None,
    dense: DenseOption = True,
) -> int:
    """Re-rank each question's answers and label them correct (1) or not (0)."""
    from healthqa.evaluation.mediqa import read_questions, write_submission
    from healthqa.evaluation.qa_rerank import RerankModel, rerank

    reranker = RerankModel.load(model)
    items = read_questions(_existing(input_file))
    write_submission(out, rerank(open_engine(settings_from(corpus, dense=dense)), reranker, items))
    print(f"wrote {out}", file=sys.stderr)
    return 0


@mediqa_app.command("rqe")
def mediqa_rqe(
    input_file: Annotated[
        Path, typer.Argument(help="MEDIQA 2019 task 2 XML (value attribute not needed).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Submission CSV: pair_id,label.")],
) -> int:
    """Label each question pair: does the consumer question entail the FAQ?"""
    from healthqa.evaluation.rqe import write_predictions

    write_predictions(_existing(input_file), out)
    print(f"wrote {out}", file=sys.stderr)
    return 0


@mediqa_app.command("mas")
def mediqa_mas(
    input_file: Annotated[
        Path, typer.Argument(help='JSONL: {"question_id", "question", "answers"}.')
    ],
    out: Annotated[Path, typer.Option("--out", help='JSONL of {"question_id", "summary"}.')],
    max_words: Annotated[
        int | None, typer.Option("--max-words", help="Longest summary, in words.")
    ] = None,
    corpus: CorpusOption = None,
    dense: DenseOption = True,
) -> int:
    """Compose one answer per question from the answers given, with the `ask` composer."""
    from healthqa.evaluation import mas

    items = mas.read_mas(_existing(input_file))
    engine = open_engine(settings_from(corpus, dense=dense))
    with out.open("w", encoding="utf-8") as sink:
        for item in items:
            summary = mas.summarize(engine, item, max_words or mas.SUMMARY_WORDS)
            sink.write(
                json.dumps(
                    {"question_id": item.question_id, "summary": summary}, ensure_ascii=False
                )
                + "\n"
            )
    print(f"wrote {out}", file=sys.stderr)
    return 0


# --- bench --------------------------------------------------------------------------------


def bench_command(
    data: Annotated[
        Path | None, typer.Option("--data", help="Data folder holding medquad/ and LiveQA.")
    ] = None,
    work: Annotated[
        Path | None,
        typer.Option("--work", help="Folder for the indexes built (default: a temporary one)."),
    ] = None,
    cold_runs: Annotated[
        int, typer.Option("--cold-runs", help="Cold CLI asks per configuration.")
    ] = 3,
    write: Annotated[
        Path | None, typer.Option("--write", help="Put the table into this Markdown file.")
    ] = None,
    only: Annotated[
        str | None, typer.Option("--only", help="One configuration: pipeline or bm25.")
    ] = None,
    cross_encoder: CrossEncoderOption = False,
) -> int:
    """Index build time and memory, warm and cold ask latency, throughput: pipeline vs BM25."""
    import tempfile

    from healthqa.evaluation import bench
    from healthqa.evaluation.liveqa import read_questions

    data_dir = find_data_dir(data)
    if data_dir is None:
        raise HealthqaError("no data folder: pass --data DIR or set HEALTHQA_DATA")
    names = [only] if only else list(bench.CONFIGS)
    if not set(names) <= set(bench.CONFIGS):
        raise HealthqaError(
            f"unknown configuration {only!r}; choose from {', '.join(bench.CONFIGS)}"
        )
    questions = [q.original for q in read_questions(data_dir / LIVEQA_DIR / "questions.xml")]
    report = bench.BenchReport(bench.machine(), len(questions), cold_runs)
    with tempfile.TemporaryDirectory(prefix="healthqa-bench-") as scratch:
        root = work or Path(scratch)
        for name in names:
            report.results[name] = bench.measure(
                name,
                data_dir,
                root,
                questions,
                cold_runs,
                log=lambda m: print(m, file=sys.stderr),
                cross_encoder=cross_encoder,
            )
    command = " ".join(
        ["healthqa bench", f"--cold-runs {cold_runs}"]
        + ([f"--only {only}"] if only else [])
        + (["--cross-encoder"] if cross_encoder else [])
        + ([f"--write {write}"] if write else [])
    )
    markdown = report.markdown(command)
    print(markdown)
    if write is not None:
        bench.write_section(write, markdown)
        print(f"wrote {write}", file=sys.stderr)
    return 0


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
    app.add_typer(mediqa_app, name="mediqa")
    app.command("bench")(bench_command)
