"""Start-up (the index opened once, built first on a fresh machine, /api/health meanwhile) and
the slow-client limit, at the ASGI level."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from healthqa.config import Settings
from healthqa.serving import app as app_module
from healthqa.serving.app import create_app
from healthqa.serving.limits import BodyLimit, ServeLimits


def test_health_reports_building_with_progress_then_ok(monkeypatch, fixture_engine):
    release, calls = threading.Event(), []

    def slow_open(settings, progress):
        calls.append(settings)
        progress("lexical", 3, 10)
        release.wait(10)
        return fixture_engine

    monkeypatch.setattr(app_module, "open_engine_once", slow_open)
    with TestClient(create_app(Settings(dense=False))) as c:
        building = c.get("/api/health").json()
        early = c.post("/api/ask", json={"question": "what is sniffle fever"})
        release.set()
        for _ in range(50):
            if c.get("/api/health").json()["status"] == "ok":
                break
            time.sleep(0.1)
        answered = c.post("/api/ask", json={"question": "what is sniffle fever"})
        c.post("/api/ask", json={"question": "what causes night knots"})
    assert building == {
        "status": "building",
        "languages": ["en"],
        "progress": {"stage": "lexical", "done": 3, "total": 10},
    }
    assert early.status_code == 503 and "building" in early.json()["error"]
    assert "retry-after" in early.headers
    assert answered.status_code == 200 and len(calls) == 1  # opened once, not per request


def test_a_fresh_machine_builds_the_index_at_start_up(medquad_root, tmp_path):
    settings = Settings(data_dir=medquad_root.parent, home=tmp_path / "home", dense=False)
    seen = set()
    with TestClient(create_app(settings)) as c:
        for _ in range(600):
            status = c.get("/api/health").json()["status"]
            seen.add(status)
            if status in ("ok", "error"):
                break
            time.sleep(0.1)
        answer = c.post("/api/ask", json={"question": "how is sniffle fever treated"}).json()
    assert status == "ok" and seen <= {"loading", "building", "ok"}
    assert (tmp_path / "home" / "index" / "main" / "manifest.json").is_file()
    assert answer["citations"][0]["id"].startswith("GARD_0000002")


def test_start_up_failure_is_reported_without_details(tmp_path):
    settings = Settings(data_dir=None, home=tmp_path / "home", dense=False)
    with TestClient(create_app(settings)) as c:
        for _ in range(100):
            health = c.get("/api/health").json()
            if health["status"] == "error":
                break
            time.sleep(0.05)
        refused = c.post("/api/ask", json={"question": "why?"})
    assert health["status"] == "error" and "no MedQuAD found" in health["error"]
    assert refused.status_code == 503


async def _call(app, receive) -> list[dict]:
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/ask",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"100")],
    }
    await app(scope, receive, send)
    return sent


def test_a_client_that_stops_sending_its_body_gets_408(fixture_engine):
    limits = ServeLimits(body_seconds=0.2)
    app = create_app(engine=fixture_engine, limits=limits)

    async def stalls():
        await asyncio.sleep(30)

    async def run():
        async with app.router.lifespan_context(app):
            return await asyncio.wait_for(_call(app, stalls), 5)

    sent = asyncio.run(run())
    assert sent[0]["status"] == 408 and b"too slowly" in sent[1]["body"]


def test_body_limit_counts_bytes_without_content_length():
    async def inner(scope, receive, send):
        while (await receive()).get("more_body"):
            pass

    limit = BodyLimit(inner, max_bytes=10, seconds=1)
    chunks = iter([b"12345", b"67890", b"x"])

    async def receive():
        chunk = next(chunks)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def run():
        scope = {"type": "http", "path": "/", "headers": []}
        await limit(scope, receive, lambda m: None)

    with pytest.raises(HTTPException) as caught:
        asyncio.run(run())
    assert caught.value.status_code == 413
