"""`healthqa serve --ray` on a two-node Ray cluster on loopback, started and stopped here:
two replicas land on different nodes and answer; killing one mid-load loses only what was
running on it. Skips where Ray Serve is missing. Bounded: about two to four minutes."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("ray.serve", reason="needs the ray extra")
httpx = pytest.importorskip("httpx")

import ray  # noqa: E402
from ray import serve  # noqa: E402

from healthqa.config import Settings  # noqa: E402
from healthqa.engine import build  # noqa: E402
from healthqa.serving.ray_app import deploy, loopback_cluster, replica_nodes  # noqa: E402

QUESTION = "how is sniffle fever treated"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def wait_for(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def _load(url: str, stop: threading.Event, results: list[tuple[float, int]]) -> None:
    with httpx.Client(timeout=60) as client:
        while not stop.is_set():
            try:
                status = client.post(f"{url}/api/ask", json={"question": QUESTION}).status_code
            except httpx.HTTPError:
                status = 0
            results.append((time.monotonic(), status))


@pytest.fixture
def cluster(medquad_root, tmp_path):
    home = tmp_path / "home"  # built here once; every node reads the same folder
    build(Settings(data_dir=medquad_root.parent, home=home, dense=False))
    temp_dir = Path(tempfile.mkdtemp(prefix="hqray", dir="/tmp"))  # short: socket paths
    try:
        with loopback_cluster(free_port(), temp_dir, timeout=300) as address:
            ray.init(address=address, configure_logging=False)
            try:
                yield home, temp_dir
            finally:
                serve.shutdown()
                ray.shutdown()
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)


def test_two_replicas_on_two_nodes_answer_and_a_killed_one_loses_only_its_own(cluster):
    home, temp_dir = cluster
    port = free_port()
    config = {"settings": {"home": str(home), "dense": False}, "limits": {"max_concurrent": 1}}
    deploy(config, replicas=2, per_node=1, host="127.0.0.1", port=port)
    url = f"http://127.0.0.1:{port}"
    replicas = replica_nodes(temp_dir)
    assert len(replicas) == 2 and len(set(replicas.values())) == 2  # one per node
    ticks = {pid: cpu_ticks(pid) for pid in replicas}

    stop, results = threading.Event(), []
    clients = [
        threading.Thread(target=_load, args=(url, stop, results), daemon=True) for _ in range(6)
    ]
    for client in clients:
        client.start()
    try:
        assert wait_for(lambda: len(results) >= 20, 300)
        assert all(cpu_ticks(pid) > ticks[pid] for pid in replicas)  # both answered
        victim = max(replicas, key=cpu_ticks)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()

        def answered_after() -> int:
            return sum(1 for t, s in results if t > killed_at + 1 and s == 200)

        assert wait_for(lambda: answered_after() >= 20, 300)
    finally:
        stop.set()
        for client in clients:
            client.join(90)

    failed = [s for _, s in results if s != 200]
    assert results[0][1] == 200 and answered_after() >= 20
    # Only requests already running on the killed replica may fail (max_ongoing_requests = 2);
    # the ones Ray Serve had not handed to it go to the other replica.
    assert len(failed) <= 2, failed
    assert wait_for(lambda: len(replica_nodes(temp_dir)) == 2, 300)  # Serve starts a new one
