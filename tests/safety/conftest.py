"""The question lists the safety tests share (tests/data/*_questions.txt, one a line)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


def read_questions(name: str) -> list[str]:
    return read_lines(f"{name}_questions.txt")


def read_lines(filename: str) -> list[str]:
    lines = (DATA / filename).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="session")
def emergency_questions() -> list[str]:
    return read_questions("emergency")


@pytest.fixture(scope="session")
def ordinary_questions() -> list[str]:
    return read_questions("ordinary")


@pytest.fixture(scope="session")
def out_of_scope_questions() -> list[str]:
    return read_questions("out_of_scope")


@pytest.fixture(scope="session")
def meaning():
    """The shipped semantic emergency check (skipped when the MiniLM model is not installed)."""
    from healthqa.analysis.emergency_meaning import default_meaning

    check = default_meaning()
    if check is None:
        pytest.skip("the MiniLM encoder is not installed")
    return check
