"""Reading JSON-lines files (batches of questions, evaluation sets) with errors that name the
file and line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from healthqa.errors import HealthqaError


def read_rows(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line; a bad file or line is a HealthqaError."""
    if not path.is_file():
        raise HealthqaError(f"file not found: {path}")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise HealthqaError(f"{path} is not UTF-8 text") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise HealthqaError(f"{path}:{number}: not a JSON line ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise HealthqaError(f"{path}:{number}: expected a JSON object")
        yield number, row
