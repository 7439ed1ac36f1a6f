"""The FastAPI app: POST /api/ask, GET /api/health, GET /api/sources/{id}, the page at /, and
OpenAPI docs at /docs. One Engine per process, opened once at start-up (built first on a fresh
machine, with /api/health reporting the progress)."""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import html
import inspect
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from healthqa.config import MAX_QUESTION_CHARS, Settings
from healthqa.corpus.medquad import source_name
from healthqa.engine import Engine
from healthqa.errors import HealthqaError
from healthqa.records import DISCLAIMER
from healthqa.retrieval.index import Progress
from healthqa.serving.limits import BodyLimit, Gate, SecurityHeaders, ServeLimits

log = logging.getLogger(__name__)

STATIC = Path(str(resources.files("healthqa.serving") / "static"))
CONFIG_ENV = "HEALTHQA_SERVE_CONFIG"
LANGUAGES = ("en", "es")
WARM_UP_QUESTION = "What causes muscle cramps?"


class AskRequest(BaseModel):
    """A question, as the `ask` command takes it."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, description="In your words.")
    max_words: int | None = Field(None, ge=30, le=2000, description="Longest answer, in words.")
    lang: str | None = Field(None, pattern="^(en|es)$", description="Answer language.")
    collection: str | None = Field(
        None, min_length=1, max_length=100, description="Source collection (default: all)."
    )


@dataclass
class EngineSlot:
    """The process's engine: loading, building (with progress), ok, or failed."""

    opener: Callable[..., Engine]
    status: str = "loading"
    progress: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    engine: Engine | None = None

    def load(self) -> None:
        try:
            engine = self.opener(progress=self._progress)
            self.status = "loading"
            engine.ask(WARM_UP_QUESTION)  # loads the models that open lazily, before any user
            self.engine, self.status = engine, "ok"
        except HealthqaError as exc:
            self.status, self.error = "error", str(exc)
        except Exception:  # reported by /api/health without details; logged here
            log.exception("could not open the engine")
            self.status, self.error = "error", "the index could not be opened"

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.status = "building"
        self.progress = {"stage": stage, "done": done, "total": total}


def open_engine_once(settings: Settings | None, progress: Progress) -> Engine:
    """Engine.open under a machine-wide lock per index, so that of several workers starting on
    a fresh machine one builds the index and the others wait for it and open it."""
    settings = settings or Settings.resolve()
    key = hashlib.sha1(str(Path(settings.index_dir).resolve()).encode()).hexdigest()[:16]
    lock = Path(tempfile.gettempdir()) / f"healthqa-index-{key}.lock"
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            return Engine.open(settings, progress=progress)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _ask_options(engine: Engine, request: AskRequest) -> dict[str, Any]:
    """max_words always; lang and collection only once Engine.ask takes them."""
    accepted = inspect.signature(engine.ask).parameters
    options: dict[str, Any] = {"max_words": request.max_words}
    for name in ("lang", "collection"):
        value = getattr(request, name)
        if value is not None and name in accepted:
            options[name] = value
    return options


def _languages(engine: Engine | None) -> list[str]:
    if engine is not None and "lang" in inspect.signature(engine.ask).parameters:
        return list(LANGUAGES)
    return ["en"]


def source_record(engine: Engine, doc_id: str) -> dict[str, Any] | None:
    rows = engine.index.rows_by_doc.get(doc_id)
    if not rows:
        return None
    passages = [engine.index.passages[r] for r in rows]
    first = passages[0]
    return {
        "id": doc_id,
        "title": first.title,
        "url": first.url,
        "source": source_name(first.source),
        "collection": first.collection,
        "question": first.question,
        "date": getattr(first, "date", None) or None,
        "text": "\n\n".join(p.text for p in passages),
    }


def _readable(error: dict) -> str:
    if error.get("type") == "json_invalid":
        return "the body is not valid JSON"
    where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    return f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", "invalid")


def _page() -> str:
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    return page.replace("{{DISCLAIMER}}", html.escape(DISCLAIMER))


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    limits: ServeLimits | None = None,
) -> FastAPI:
    """The app over `engine`, or over an engine opened from `settings` at start-up."""
    limits = limits or ServeLimits()
    slot = EngineSlot(opener=partial(open_engine_once, settings))
    if engine is not None:
        slot.engine, slot.status = engine, "ok"

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.gate = Gate(limits)
        if slot.engine is None:
            threading.Thread(target=slot.load, name="healthqa-engine", daemon=True).start()
            # Take no connection until the engine is open (a restarted worker leaves them to
            # the others), unless the index is being built: then /api/health reports it.
            while slot.status == "loading":
                await asyncio.sleep(0.05)
        yield

    app = FastAPI(
        title="healthqa",
        summary="Answers consumer health questions from trusted sources, with citations.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes, seconds=limits.body_seconds)
    app.add_middleware(SecurityHeaders)
    _add_error_handlers(app)
    _add_docs(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    page = _page()

    def ready_engine() -> Engine:
        if slot.engine is None:
            raise HTTPException(
                503,
                f"the index is {slot.status}" + (f": {slot.error}" if slot.error else ""),
                headers={"Retry-After": str(limits.retry_after_seconds)},
            )
        return slot.engine

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index_page() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        """ "ok" once the index is open; "loading", or "building" with its progress, before."""
        body: dict[str, Any] = {"status": slot.status, "languages": _languages(slot.engine)}
        if slot.status == "building":
            body["progress"] = slot.progress
        if slot.error:
            body["error"] = slot.error
        return body

    @app.post("/api/ask")
    async def ask(request: AskRequest) -> dict[str, Any]:
        """The answer JSON of `healthqa ask --json`."""
        engine = ready_engine()
        options = _ask_options(engine, request)
        answer = await app.state.gate.run(engine.ask, request.question, **options)
        return answer.to_dict()

    @app.get("/api/sources/{source_id}")
    def source(source_id: str) -> dict[str, Any]:
        """A cited answer's text, title, original URL, source, and date when known."""
        record = source_record(ready_engine(), source_id)
        if record is None:
            raise HTTPException(404, "no source with this id")
        return record

    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def bad_body(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [_readable(e) for e in exc.errors()]
        return JSONResponse({"error": "; ".join(problems) or "bad request"}, status_code=422)

    @app.exception_handler(HealthqaError)
    async def bad_question(request: Request, exc: HealthqaError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error on %s: %s", request.url.path, type(exc).__name__)
        return JSONResponse({"error": "internal error"}, status_code=500)


def _add_docs(app: FastAPI) -> None:
    """Swagger UI from the swagger-ui-bundle package, served from here (no CDN). It renders
    OpenAPI 3.0, so the schema says 3.0.3 (FastAPI's schema is 3.0-compatible here)."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from swagger_ui_bundle import swagger_ui_path

    app.openapi_version = "3.0.3"
    app.mount("/docs/assets", StaticFiles(directory=swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="healthqa API",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )


def settings_from_config(config: dict[str, Any]) -> Settings:
    return Settings.resolve(config.get("data"), **config.get("settings", {}))


def app_from_config(config: dict[str, Any]) -> FastAPI:
    """The app for a config written by `healthqa serve` (data, settings, limits)."""
    return create_app(settings_from_config(config), limits=ServeLimits(**config.get("limits", {})))


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` (one app per worker process), from $HEALTHQA_SERVE_CONFIG."""
    return app_from_config(json.loads(os.environ.get(CONFIG_ENV, "{}")))
