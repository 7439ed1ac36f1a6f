"""Speed and memory of the engine, with and without dense retrieval, in one run.

For each configuration (the pipeline, and BM25 only as the baseline), in fresh processes:

1. index build: `healthqa index` as a child process; wall time and peak RSS (`os.wait4`);
2. warm `ask`: one process opens the engine, answers one question to warm up, then times
   every dev LiveQA question; p50/p95 latency and the process's peak RSS;
3. cold `ask`: `healthqa ask "..." --json` from process start to answer, median of a few runs;
4. throughput: two worker processes, each with its own engine, share the dev questions.

Timings are medians or percentiles of repeated runs, never single measurements.
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from healthqa.config import Settings
from healthqa.errors import HealthqaError

CONFIGS = {"pipeline": True, "bm25": False}  # name -> dense retrieval on
COLD_QUESTION = "Why does spasm occur?"
WORKERS = 2
# How often a child's memory high-water mark is read; a peak reached in its last sampling
# interval can be missed, so a command that finishes in less time than this reports ~0.
PEAK_SAMPLE_S = 0.02
MARK_BEGIN = "<!-- bench:begin -->"
MARK_END = "<!-- bench:end -->"


@dataclass(frozen=True)
class ProcessRun:
    seconds: float
    peak_mb: float


def peak_mb(pid: int | str = "self") -> float | None:
    """The process's own resident-memory high-water mark (VmHWM), None where /proc is absent.

    Not `ru_maxrss`: Linux carries that across fork and exec, so a child reports at least
    the RSS its parent had when it started it.
    """
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_child(argv: list[str], env: dict[str, str]) -> ProcessRun:
    """Run a command to its end; its wall time and peak resident memory (sampled while it runs)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while True:
        peak = max(peak, peak_mb(child.pid) or 0.0)
        try:
            child.wait(timeout=PEAK_SAMPLE_S)
            break
        except subprocess.TimeoutExpired:
            continue
    seconds = time.perf_counter() - start
    error = child.stderr.read().decode(errors="replace")[-500:] if child.stderr else ""
    if child.returncode != 0:
        raise HealthqaError(f"{' '.join(argv[:4])} ... failed: {error}")
    return ProcessRun(seconds, peak)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "healthqa", *args]


def _warm_worker(settings: Settings, questions: list[str]) -> dict:
    from healthqa.engine import Engine

    start = time.perf_counter()
    engine = Engine.open(settings)
    opened = time.perf_counter() - start
    engine.ask(questions[0])
    latencies = []
    for text in questions:
        start = time.perf_counter()
        engine.ask(text)
        latencies.append(time.perf_counter() - start)
    return {"open_s": opened, "latencies": latencies, "peak_mb": peak_mb() or 0.0}


_ENGINE = None


def _pool_init(settings: Settings) -> None:
    global _ENGINE
    from healthqa.engine import Engine

    _ENGINE = Engine.open(settings)


def _pool_ask(text: str) -> None:
    _ENGINE.ask(text)  # type: ignore[union-attr]


def throughput(settings: Settings, questions: list[str], workers: int = WORKERS) -> float:
    """Questions answered per second by `workers` processes, after each has warmed up."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_pool_init, initargs=(settings,)) as pool:
        pool.map(_pool_ask, questions[:workers], chunksize=1)
        start = time.perf_counter()
        pool.map(_pool_ask, questions, chunksize=1)
        per_second = len(questions) / (time.perf_counter() - start)
        _shut_down(pool)
    return per_second


def _shut_down(pool) -> None:
    """Let the workers exit on their own: terminating them leaks their semaphores."""
    pool.close()
    pool.join()


@dataclass
class ConfigResult:
    build: ProcessRun
    open_s: float
    p50_ms: float
    p95_ms: float
    serving_peak_mb: float
    cold: list[ProcessRun]
    per_second: float

    @property
    def cold_s(self) -> float:
        return statistics.median(r.seconds for r in self.cold)

    @property
    def cold_peak_mb(self) -> float:
        return max(r.peak_mb for r in self.cold)


def measure(
    name: str,
    data_dir: Path,
    work: Path,
    questions: list[str],
    cold_runs: int,
    log=print,
    *,
    cross_encoder: bool = False,
) -> ConfigResult:
    """With `cross_encoder`, the pipeline (not BM25 only) runs with the cross-encoder stage."""
    dense = CONFIGS[name]
    home = work / name
    env = {**os.environ, "HEALTHQA_HOME": str(home), "HEALTHQA_DATA": str(data_dir)}
    flag = "--dense" if dense else "--no-dense"
    log(f"[{name}] building the index")
    build = run_child(cli("index", flag), env)
    cross_encoder = cross_encoder and dense
    settings = Settings(data_dir=data_dir, home=home, dense=dense, cross_encoder=cross_encoder)
    log(f"[{name}] warm ask over {len(questions)} questions")
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        warm = pool.apply(_warm_worker, (settings, questions))
        _shut_down(pool)
    latencies = np.array(warm["latencies"]) * 1000
    log(f"[{name}] cold CLI ask x{cold_runs}")
    flags = (flag, "--cross-encoder") if cross_encoder else (flag,)
    cold = [run_child(cli("ask", COLD_QUESTION, "--json", *flags), env) for _ in range(cold_runs)]
    log(f"[{name}] throughput with {WORKERS} workers")
    per_second = throughput(settings, questions)
    return ConfigResult(
        build=build,
        open_s=warm["open_s"],
        p50_ms=float(np.percentile(latencies, 50)),
        p95_ms=float(np.percentile(latencies, 95)),
        serving_peak_mb=warm["peak_mb"],
        cold=cold,
        per_second=per_second,
    )


def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    memory = "unknown"
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "load": load,
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


@dataclass
class BenchReport:
    machine: dict[str, str]
    questions: int
    cold_runs: int
    results: dict[str, ConfigResult] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(measure, pipeline, bm25, pipeline / bm25) table rows."""
        measures = [
            ("index build time (s)", lambda r: r.build.seconds, "{:.1f}"),
            ("index build peak memory (MB)", lambda r: r.build.peak_mb, "{:.0f}"),
            ("engine open, warm process (s)", lambda r: r.open_s, "{:.2f}"),
            (f"warm ask p50 (ms, {self.questions} questions)", lambda r: r.p50_ms, "{:.0f}"),
            (f"warm ask p95 (ms, {self.questions} questions)", lambda r: r.p95_ms, "{:.0f}"),
            ("serving process peak memory (MB)", lambda r: r.serving_peak_mb, "{:.0f}"),
            (f"cold CLI ask (s, median of {self.cold_runs})", lambda r: r.cold_s, "{:.2f}"),
            ("cold CLI ask peak memory (MB)", lambda r: r.cold_peak_mb, "{:.0f}"),
            (
                f"throughput, {WORKERS} worker processes (questions/s)",
                lambda r: r.per_second,
                "{:.2f}",
            ),
        ]
        rows = []
        pipeline, bm25 = self.results.get("pipeline"), self.results.get("bm25")
        for label, value, fmt in measures:
            cells = [fmt.format(value(r)) if r else "-" for r in (pipeline, bm25)]
            ratio = (
                f"{value(pipeline) / value(bm25):.2f}" if pipeline and bm25 and value(bm25) else "-"
            )
            rows.append((label, *cells, ratio))
        return rows

    def markdown(self, command: str) -> str:
        m = self.machine
        lines = [
            f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} memory, "
            f"Python {m['python']}, {m['os']}. Load average when the run started: {m['load']}.",
            "",
            f"Command: `{command}`",
            "",
            "| measure | pipeline (BM25 + dense) | BM25 only | ratio |",
            "|---|---:|---:|---:|",
            *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in self.rows()),
        ]
        return "\n".join(lines)


def write_section(path: Path, body: str) -> None:
    """Put `body` between the bench markers of `path`, replacing what was there."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    block = f"{MARK_BEGIN}\n{body}\n{MARK_END}"
    if MARK_BEGIN in text and MARK_END in text:
        head, rest = text.split(MARK_BEGIN, 1)
        text = head + block + rest.split(MARK_END, 1)[1]
    else:
        text = f"{text.rstrip()}\n\n## Speed and memory\n\n{block}\n".lstrip()
    path.write_text(text, encoding="utf-8")
