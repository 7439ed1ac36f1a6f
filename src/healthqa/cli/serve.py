"""`healthqa serve`: the HTTP API and web page on uvicorn, or as Ray Serve replicas."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from healthqa.errors import HealthqaError

INSTALL_SERVE = "pip install 'healthqa[serve]'"


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes, each with its own index.", min=1, max=64)
    ] = 1,
    max_concurrent: Annotated[
        int, typer.Option(help="Questions answered at once per worker.", min=1, max=64)
    ] = 1,
    data: Annotated[
        Path | None, typer.Option("--data", help="Data folder holding medquad/ (for a build).")
    ] = None,
    dense: Annotated[
        bool, typer.Option("--dense/--no-dense", help="Use semantic search too.")
    ] = True,
    ray: Annotated[
        str | None,
        typer.Option(help="Deploy on Ray Serve: a cluster address, or 'local' for a new one."),
    ] = None,
    replicas: Annotated[int, typer.Option(help="Ray Serve replicas.", min=1, max=256)] = 1,
    per_node: Annotated[
        int | None, typer.Option(help="At most this many replicas on one Ray node.", min=1)
    ] = None,
) -> int:
    """Serve the HTTP API (/api/ask, /api/health, /api/sources/{id}, /docs) and the web page."""
    try:
        import uvicorn

        from healthqa.serving.app import CONFIG_ENV
        from healthqa.serving.limits import ServeLimits
    except ImportError as exc:
        missing = f"serving needs its extra ({exc.name} is missing): {INSTALL_SERVE}"
        raise HealthqaError(missing) from None
    limits = ServeLimits(max_concurrent=max_concurrent)
    config = {
        "data": str(data) if data else None,
        "settings": {"dense": dense},
        "limits": limits.to_dict(),
    }
    if ray is not None:
        from healthqa.serving.ray_app import run_on_ray

        return run_on_ray(ray, config, replicas=replicas, per_node=per_node, host=host, port=port)
    os.environ[CONFIG_ENV] = json.dumps(config)
    print(f"healthqa: serving on http://{host}:{port}/ ({workers} worker(s))", file=sys.stderr)
    uvicorn.run(
        "healthqa.serving.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # the README promises no question in logs; keep no request log at all
        log_level="warning",
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
    )
    return 0
