"""Throughput and p95 of the embedded server against Ray Serve with 1 and 2 replicas, in one
run, on a two-node Ray cluster on loopback (1 CPU per node), with the index of $HEALTHQA_HOME.

    python bench/serve_ray.py [--clients 8] [--seconds 20]

Each setting gets the same load (bench/serve_load.py's clients and questions) after its
replicas are up and warm; also reports each replica's and worker's resident memory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import socket
import tempfile
from pathlib import Path

from serve_load import run_load, start_server, stop_server, summary, wait_healthy, worker_pids

from healthqa.serving.ray_app import deploy, loopback_cluster, replica_nodes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def measure(url: str, clients: int, seconds: float) -> dict:
    asyncio.run(run_load(url, 2, 5))  # warm-up, not counted
    tally, elapsed = asyncio.run(run_load(url, clients, seconds))
    return summary(tally, elapsed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    results = {}
    for workers in (1, 2):
        process, url = start_server(workers, 1)
        try:
            result = measure(url, args.clients, args.seconds)
            result["rss_mb"] = [rss_mb(p) for p in sorted(worker_pids(process.pid))]
            results[f"embedded, {workers} worker(s)"] = result
        finally:
            stop_server(process)

    import ray
    from ray import serve

    temp_dir = Path(tempfile.mkdtemp(prefix="hqray", dir="/tmp"))
    try:
        with loopback_cluster(free_port(), temp_dir, timeout=600) as address:
            ray.init(address=address, configure_logging=False, log_to_driver=False)
            try:
                port = free_port()
                url = f"http://127.0.0.1:{port}"
                for replicas in (1, 2):
                    deploy({}, replicas=replicas, per_node=1, host="127.0.0.1", port=port)
                    wait_healthy(url, 900)
                    result = measure(url, args.clients, args.seconds)
                    nodes = replica_nodes(temp_dir)
                    result["rss_mb"] = [rss_mb(p) for p in sorted(nodes)]
                    result["nodes"] = len(set(nodes.values()))
                    results[f"Ray Serve, {replicas} replica(s)"] = result
            finally:
                serve.shutdown()
                ray.shutdown()
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)
    print(json.dumps({"clients": args.clients, "seconds": args.seconds, **results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
