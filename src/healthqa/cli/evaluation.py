"""`healthqa eval ...`, `healthqa mediqa ...` and `healthqa bench` (filled in by the evaluation package)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    return None
