"""Load test of `healthqa serve` on loopback: N concurrent clients for S seconds, bounded.

    python bench/serve_load.py --workers 2 --clients 50 --seconds 60 [--kill-at 30]

Starts `healthqa serve` on a free loopback port (the index from $HEALTHQA_HOME), waits for
/api/health to say ok, then runs the clients (httpx, asyncio), each asking the questions below
one after another. With --kill-at T it SIGKILLs one uvicorn worker T seconds in, counts the
requests that fail from then on, and times until uvicorn has a new worker that answers.
Prints one JSON object: requests, errors by kind, requests/s, p50/p95/p99 latency (ms).
`--url` tests a server already running (loopback only; no worker kill then).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx

# Everyday questions, written for this benchmark (no evaluation data).
QUESTIONS = (
    "Why does spasm occur?",
    "what helps a charley horse at night",
    "what causes kidney stones",
    "how is high blood pressure treated",
    "what are the symptoms of diabetes",
    "is the flu contagious",
    "how do I know if I have asthma",
    "what causes migraines",
    "how can I prevent osteoporosis",
    "what is shingles",
    "what are the side effects of ibuprofen",
    "why do my feet swell",
    "how is strep throat diagnosed",
    "what causes bad breath",
    "how long does chickenpox last",
    "what is anemia and how is it treated",
    "who is at risk for glaucoma",
    "what causes hair loss in women",
    "how do you get lyme disease",
    "what are the warning signs of a stroke",
)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_REQUESTS = 200_000  # a hard bound whatever the duration


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    events: list[tuple[float, bool]] = field(default_factory=list)  # (time, ok)

    def add(self, started: float, ok: bool, kind: str = "") -> None:
        now = time.monotonic()
        self.events.append((now, ok))
        if ok:
            self.latencies_ms.append((now - started) * 1000)
        else:
            self.errors[kind] = self.errors.get(kind, 0) + 1


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else values[0]
    )


async def _client(http: httpx.AsyncClient, url: str, offset: int, deadline: float, tally: Tally):
    n = offset
    while time.monotonic() < deadline and len(tally.events) < MAX_REQUESTS:
        question = QUESTIONS[n % len(QUESTIONS)]
        n += 1
        started = time.monotonic()
        try:
            response = await http.post(f"{url}/api/ask", json={"question": question})
        except httpx.HTTPError as exc:
            tally.add(started, False, type(exc).__name__)
            continue
        if response.status_code == 200:
            tally.add(started, True)
            continue
        tally.add(started, False, f"HTTP {response.status_code}")
        retry_after = response.headers.get("retry-after", "")
        if retry_after.isdigit():  # as a well-behaved client does
            await asyncio.sleep(min(int(retry_after), max(0.0, deadline - time.monotonic())))


async def run_load(url: str, clients: int, seconds: float, on_tick=None) -> tuple[Tally, float]:
    """`clients` loops for `seconds`; `on_tick(elapsed)` is called once a second."""
    tally = Tally()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        start = time.monotonic()
        deadline = start + seconds
        tasks = [
            asyncio.create_task(_client(http, url, i, deadline, tally)) for i in range(clients)
        ]
        while not all(t.done() for t in tasks):
            await asyncio.sleep(1)
            if on_tick:
                on_tick(time.monotonic() - start)
        await asyncio.gather(*tasks)
        return tally, time.monotonic() - start


def summary(tally: Tally, elapsed: float) -> dict:
    ok = len(tally.latencies_ms)
    return {
        "requests": len(tally.events),
        "ok": ok,
        "errors": sum(tally.errors.values()),
        "errors_by_kind": tally.errors,
        "seconds": round(elapsed, 1),
        "requests_per_s": round(ok / elapsed, 1),
        "p50_ms": round(percentile(tally.latencies_ms, 50)),
        "p95_ms": round(percentile(tally.latencies_ms, 95)),
        "p99_ms": round(percentile(tally.latencies_ms, 99)),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_pids(pid: int) -> set[int]:
    """uvicorn's worker processes (with one worker, the server process itself)."""
    found = set()
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.add(int(child))
        except FileNotFoundError:
            pass
    return found or {pid}


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_healthy(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/health", timeout=2).json().get("status") == "ok":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"server at {url} not healthy after {seconds} s")


def start_server(workers: int, max_concurrent: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-m", "healthqa", "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--max-concurrent", str(max_concurrent)]
    process = subprocess.Popen(command)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, 900)
    except SystemExit:
        stop_server(process)
        raise
    deadline = time.monotonic() + 300
    while workers > 1 and len(worker_pids(process.pid)) < workers and time.monotonic() < deadline:
        time.sleep(0.5)
    return process, url


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


class Killer:
    """Kills one worker at `at` seconds, then watches for uvicorn's replacement."""

    def __init__(self, server_pid: int, at: float, workers: int) -> None:
        self.server_pid, self.at, self.workers = server_pid, at, workers
        self.victim: int | None = None
        self.killed_at: float | None = None
        self.replaced_after: float | None = None

    def __call__(self, elapsed: float) -> None:
        if self.victim is None and elapsed >= self.at:
            self.victim = max(worker_pids(self.server_pid), key=cpu_ticks)  # the busiest
            os.kill(self.victim, signal.SIGKILL)
            self.killed_at = time.monotonic()
        elif self.victim is not None and self.replaced_after is None:
            alive = worker_pids(self.server_pid) - {self.victim}
            if len(alive) >= self.workers:
                self.replaced_after = round(time.monotonic() - self.killed_at, 1)

    def report(self, tally: Tally) -> dict:
        if self.killed_at is None:
            return {}
        window = [ok for t, ok in tally.events if self.killed_at <= t <= self.killed_at + 5]
        after = [ok for t, ok in tally.events if t > self.killed_at + 5]
        return {
            "killed_worker_at_s": self.at,
            "failed_in_5_s_after_kill": window.count(False),
            "answered_in_5_s_after_kill": window.count(True),
            "failed_later": after.count(False),
            "new_worker_after_s": self.replaced_after,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-concurrent", type=int, default=1)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kill-at", type=float, help="kill one worker this many seconds in")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 200 or not 1 <= args.seconds <= 600:
        parser.error("--clients must be 1..200 and --seconds 1..600")
    process = None
    if args.url:
        if urlparse(args.url).hostname not in LOOPBACK:
            parser.error("--url must be a loopback address")
        url = args.url.rstrip("/")
    else:
        process, url = start_server(args.workers, args.max_concurrent)
    killer = Killer(process.pid, args.kill_at, args.workers) if process and args.kill_at else None
    try:
        tally, elapsed = asyncio.run(run_load(url, args.clients, args.seconds, killer))
        if killer and killer.replaced_after is None:
            deadline = time.monotonic() + 30
            while killer.replaced_after is None and time.monotonic() < deadline:
                killer(args.seconds)
                time.sleep(0.5)
    finally:
        if process:
            stop_server(process)
    result = {
        "clients": args.clients,
        "workers": args.workers if process else None,
        **summary(tally, elapsed),
    }
    if killer:
        result["kill"] = killer.report(tally)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
