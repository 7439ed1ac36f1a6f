"""Request limits as small ASGI pieces: body size and body-read time, security headers, and a
gate that lets at most N questions run at once and makes the rest wait or turn away."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The page and the API load nothing from elsewhere; /docs (Swagger UI) needs its inline
# start-up script, and nothing else is relaxed.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DOCS_CSP = PAGE_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


@dataclass(frozen=True, kw_only=True)
class ServeLimits:
    """Per worker. `max_concurrent` questions run at once (answering is CPU-bound, so about one
    per core); up to `max_waiting` more wait at most `wait_seconds` for a turn, the rest get 503
    with Retry-After. A client has `body_seconds` to send its body."""

    max_body_bytes: int = 16 * 1024
    max_concurrent: int = 1
    max_waiting: int = 64
    wait_seconds: float = 20.0
    body_seconds: float = 10.0
    retry_after_seconds: int = 2

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def busy(limits: ServeLimits) -> HTTPException:
    return HTTPException(
        503,
        "the server is busy; try again shortly",
        headers={"Retry-After": str(limits.retry_after_seconds)},
    )


class Gate:
    """At most `max_concurrent` calls at once; callers beyond that wait in a bounded line."""

    def __init__(self, limits: ServeLimits) -> None:
        self.limits = limits
        self.slots = asyncio.Semaphore(limits.max_concurrent)
        self.waiting = 0

    async def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self.slots.locked() and self.waiting >= self.limits.max_waiting:
            raise busy(self.limits)
        self.waiting += 1
        try:
            await asyncio.wait_for(self.slots.acquire(), self.limits.wait_seconds)
        except TimeoutError:
            raise busy(self.limits) from None
        finally:
            self.waiting -= 1
        try:
            return await run_in_threadpool(fn, *args, **kwargs)
        finally:
            self.slots.release()


async def _send_json(send: Send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


class BodyLimit:
    """413 for a body over the limit (by Content-Length, or counted as it streams in), 408 for a
    client that stops sending its body."""

    def __init__(self, app: ASGIApp, max_bytes: int, seconds: float) -> None:
        self.app, self.max_bytes, self.seconds = app, max_bytes, seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.max_bytes:
            status, error = (413, self._too_large()) if length.isdigit() else (400, "bad length")
            await _send_json(send, status, {"error": error})
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            try:
                message = await asyncio.wait_for(receive(), self.seconds)
            except TimeoutError:
                raise HTTPException(408, "the request body came too slowly") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, self._too_large())
            return message

        await self.app(scope, limited, send)

    def _too_large(self) -> str:
        return f"the request body is over {self.max_bytes // 1024} KB"


class SecurityHeaders:
    """CSP and friends on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"].startswith("/docs") else PAGE_CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)
