"""Fixtures for the HTTP app: a client over the tiny fixture engine (tests/conftest.py)."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="needs the serve extra")

from fastapi.testclient import TestClient  # noqa: E402

from healthqa.serving.app import create_app  # noqa: E402
from healthqa.serving.limits import ServeLimits  # noqa: E402


@pytest.fixture(scope="module")
def client(fixture_engine):
    with TestClient(create_app(engine=fixture_engine), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def client_over():
    """A client factory: the app over a given engine, with given limits."""

    def make(engine, **limits) -> TestClient:
        app = create_app(engine=engine, limits=ServeLimits(**limits))
        return TestClient(app, raise_server_exceptions=False)

    return make
