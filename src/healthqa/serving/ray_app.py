"""The same FastAPI app as a Ray Serve deployment: N replicas, each opening the index once from
a path every node can read (a shared folder, or the same path filled by `healthqa index` on
each node; docs/scaling.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from healthqa.errors import HealthqaError
from healthqa.serving.app import app_from_config, settings_from_config

DEPLOYMENT = "healthqa"
INSTALL_RAY = "pip install 'healthqa[ray]'"


def _serve():
    try:
        from ray import serve
    except ImportError:
        raise HealthqaError(f"--ray needs Ray Serve: {INSTALL_RAY}") from None
    return serve


def for_replicas(config: dict[str, Any]) -> dict[str, Any]:
    """The config with the index home and data folder spelled out: replicas run in the Ray
    workers' environment, not this shell's."""
    settings = settings_from_config(config)
    resolved = dict(config)
    resolved["settings"] = {
        **config.get("settings", {}),
        "home": str(Path(settings.home).resolve()),
    }
    resolved["data"] = str(settings.data_dir) if settings.data_dir else None
    return resolved


def application(config: dict[str, Any], *, replicas: int = 1, per_node: int | None = None):
    """The Ray Serve application: `replicas` copies of the app, one CPU each."""
    serve = _serve()
    limits = config.get("limits", {})
    options: dict[str, Any] = {
        "name": DEPLOYMENT,
        "num_replicas": replicas,
        "ray_actor_options": {"num_cpus": 1},
        # Requests wait in Ray's router (which can send them to any replica) rather than in a
        # replica that may die; a replica takes what it runs at once plus one.
        "max_ongoing_requests": limits.get("max_concurrent", 1) + 1,
        "health_check_period_s": 5,
        # Serve's access log names only method, path and status; off all the same, as uvicorn's
        "logging_config": {"enable_access_log": False},
    }
    if per_node:
        options["max_replicas_per_node"] = per_node

    resolved = for_replicas(config)

    def build_app():  # Ray runs a builder function on each replica: one engine per replica
        return app_from_config(resolved)

    @serve.deployment(**options)
    @serve.ingress(build_app)
    class HealthQA:
        pass

    return HealthQA.bind()


def deploy(config: dict, *, replicas: int, per_node: int | None, host: str, port: int) -> None:
    """Starts Serve's HTTP proxy on the head node and deploys; returns once replicas are up."""
    serve = _serve()
    serve.start(proxy_location="HeadOnly", http_options={"host": host, "port": port})
    serve.run(application(config, replicas=replicas, per_node=per_node), name=DEPLOYMENT)


def run_on_ray(
    address: str, config: dict, *, replicas: int, per_node: int | None, host: str, port: int
) -> int:
    """`healthqa serve --ray ADDRESS|local`: deploy, then serve until interrupted."""
    import ray

    if address == "local":
        ray.init(include_dashboard=False, configure_logging=False)
    else:
        ray.init(address=address, configure_logging=False)
    try:
        deploy(config, replicas=replicas, per_node=per_node, host=host, port=port)
        print(
            f"healthqa: {replicas} replica(s) on Ray Serve at http://{host}:{port}/",
            file=sys.stderr,
        )
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    finally:
        _serve().shutdown()
        ray.shutdown()


def ray_command() -> str:
    here = Path(sys.executable).parent / "ray"
    found = str(here) if here.is_file() else shutil.which("ray")
    if not found:
        raise HealthqaError(f"the `ray` command is missing: {INSTALL_RAY}")
    return found


@contextmanager
def loopback_cluster(
    port: int, temp_dir: Path, nodes: int = 2, cpus_per_node: int = 1, timeout: float = 120
) -> Iterator[str]:
    """A Ray cluster of `nodes` nodes on this machine (a head, then `ray start --address`
    nodes, each with its own custom resource `node<i>`), for trying and testing scale-out.
    Each `ray start --block` process stops its node's daemons when it is terminated."""
    ray = ray_command()
    address = f"127.0.0.1:{port}"
    common = ["--block", f"--num-cpus={cpus_per_node}", "--disable-usage-stats"]
    head = [ray, "start", "--head", f"--port={port}", "--node-ip-address=127.0.0.1"]
    head += ["--include-dashboard=false", f"--temp-dir={temp_dir}", '--resources={"node0": 1}']
    env = _loopback_env()
    temp_dir.mkdir(parents=True, exist_ok=True)

    def start(command: list[str], name: str) -> subprocess.Popen:
        log = (temp_dir / f"{name}.log").open("ab")
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)

    processes = [start(head + common, "node0")]
    try:
        _wait_for_nodes(address, 1, timeout, temp_dir / "node0.log")
        for i in range(1, nodes):
            node = [ray, "start", f"--address={address}", "--node-ip-address=127.0.0.1"]
            node.append(f'--resources={{"node{i}": 1}}')
            processes.append(start(node + common, f"node{i}"))
        _wait_for_nodes(address, nodes, timeout, temp_dir / f"node{nodes - 1}.log")
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _loopback_env() -> dict[str, str]:
    # A loopback cluster takes no connection from elsewhere, so it runs without Ray's token
    # authentication (which Ray turns on once any local run left a ~/.ray/auth_token).
    return {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}


def _wait_for_nodes(address: str, count: int, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    command = [ray_command(), "status", f"--address={address}"]
    while time.monotonic() < deadline:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=60, env=_loopback_env()
        )
        if done.returncode == 0 and done.stdout.count(" node_") >= count:
            return
        time.sleep(2)
    tail = log.read_text(errors="replace")[-1500:] if log.is_file() else ""
    raise HealthqaError(f"the Ray cluster at {address} did not reach {count} node(s): {tail}")


def replica_nodes(temp_dir: Path) -> dict[int, int]:
    """{replica pid: its node's raylet pid} for this deployment's replicas on a loopback
    cluster started with `temp_dir` (replicas are children of their node's raylet)."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"ServeReplica:{DEPLOYMENT}".encode() not in (proc / "cmdline").read_bytes():
                continue
            parent = _parent(int(proc.name))
            if str(temp_dir).encode() in Path(f"/proc/{parent}/cmdline").read_bytes():
                found[int(proc.name)] = parent
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def _parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])
