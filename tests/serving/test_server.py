"""`healthqa serve` as a real server: two uvicorn workers on loopback over the fixture data,
one killed mid-load; the server keeps answering and uvicorn starts a new worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")

SECRET = "what causes night knots quokka-5521?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workers_of(pid: int) -> set[int]:
    """uvicorn's worker processes: the multiprocessing children of the server."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    found = set()
    for child in map(int, children):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in cmdline:
            found.add(child)
    return found


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_for(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/health", timeout=2).json()["status"] == "ok"
    except httpx.HTTPError:
        return False


@pytest.fixture
def server(medquad_root, tmp_path):
    port = free_port()
    env = {**os.environ, "HEALTHQA_HOME": str(tmp_path / "home")}
    log = (tmp_path / "server.log").open("w+")
    command = [sys.executable, "-m", "healthqa", "serve", "--port", str(port), "--workers", "2"]
    command += ["--no-dense", "--data", str(medquad_root.parent)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_for(lambda: healthy(url) and len(workers_of(process.pid)) == 2, 180):
            pytest.fail(f"server did not start: {(tmp_path / 'server.log').read_text()[-2000:]}")
        yield url, process, tmp_path / "server.log"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()


def _load(url: str, stop: threading.Event, results: list[int], errors: list[str]) -> None:
    with httpx.Client(timeout=30) as client:
        while not stop.is_set():
            try:
                response = client.post(f"{url}/api/ask", json={"question": SECRET})
                status = response.status_code
                if status != 200:
                    errors.append(response.text)
                if status == 503:  # busy: wait as the server asks, as a client should
                    time.sleep(int(response.headers.get("retry-after", "1")))
            except httpx.HTTPError:
                status = 0  # the connection broke: a request in flight on the killed worker
            results.append(status)


def test_a_killed_worker_is_replaced_and_the_server_keeps_answering(server):
    url, process, log_path = server
    before = workers_of(process.pid)
    stop, results, errors = threading.Event(), [], []
    clients = [threading.Thread(target=_load, args=(url, stop, results, errors)) for _ in range(4)]
    for client in clients:
        client.start()
    time.sleep(2)
    victim = max(before, key=cpu_ticks)  # the one answering
    os.kill(victim, signal.SIGKILL)
    killed_at = len(results)
    came_back = wait_for(lambda: len(workers_of(process.pid) - {victim}) == 2, 60)
    wait_for(lambda: results[killed_at:].count(200) > 10, 120)
    stop.set()
    for client in clients:
        client.join(60)
    after_kill = results[killed_at:]
    # Busy answers (503 with Retry-After) are back-pressure while one worker carries the load
    # on a loaded machine, and so is "the index is loading" from a worker still warming up (a
    # worker that built the index takes connections from then on, and answers that until its
    # engine is ready); anything else failing must be a request the killed worker held.
    back_pressure = {
        '{"error":"the server is busy; try again shortly"}',
        '{"error":"the index is loading"}',
    }
    failed = [s for s in results if s not in (200, 503)]
    assert all(e in back_pressure for e in errors if e), errors[:3]
    assert came_back and victim not in workers_of(process.pid)
    assert after_kill.count(200) > 10  # it kept answering
    assert len(failed) <= len(clients), (errors[:3], log_path.read_text()[-3000:])
    assert healthy(url)
    assert "quokka-5521" not in log_path.read_text()  # no question in the server's output
