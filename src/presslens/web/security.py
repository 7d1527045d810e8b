"""The newsroom's guards: security headers, a request body cap, per-client rate limits, the write token.

* Every response carries a Content-Security-Policy that allows nothing but this server's own files (no inline
  script, no inline style, no frames, no plugins), plus ``nosniff``, ``no-referrer`` and ``DENY`` framing.
* A request body over ``max_body`` bytes is refused with 413 before it is read (by its Content-Length) or as
  soon as it grows past the cap (chunked uploads).
* Analysis endpoints take a token from a per-client bucket (``burst`` tokens, refilled at ``rate`` per
  second); an empty bucket answers 429 with Retry-After. Clients are told apart by their address.
* Writing and deleting need the token configured with ``PRESSLENS_TOKEN`` (or ``create_app(token=...)``),
  given as ``Authorization: Bearer TOKEN`` or a ``token`` form field, compared in constant time. With no
  token configured the store is read-only: writes answer 403.
* Only configured hosts are answered (``presslens serve --allowed-host``): a request whose Host header names
  another host (DNS rebinding, cache poisoning) gets 400. Every redirect's Location is made relative, so no
  redirect is built from what a client's Host header says.
"""

from __future__ import annotations

import hmac
import json
import math
import threading
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """ASGI middleware: answer HEAD as GET without the body (link checkers and monitors send HEAD)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def no_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, no_body)


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``max_body`` bytes with a clear 413.

    A declared Content-Length over the cap is refused before anything is read; otherwise the body is read
    (up to the cap, so chunked uploads are bounded too) before the app sees the request, and replayed to it."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_body:
                    await self._refuse(scope, send)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_body:
                await self._refuse(scope, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        limit = _human(self.max_body)
        detail = f"The request body is larger than this server accepts ({limit}). Send a smaller file or text."
        if scope.get("path", "").startswith("/api/"):
            body = json.dumps({"detail": detail}).encode()
            ctype = b"application/json"
        else:
            body = (
                "<!doctype html><html lang=en><meta charset=utf-8><title>Too large · presslens</title>"
                '<link rel="stylesheet" href="/static/style.css"><main id=main class=wrap>'
                f"<h1>413: too large</h1><p>{detail}</p><p><a href=/analyze>Back to Analyse</a></p></main></html>"
            ).encode()
            ctype = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()), *HEADERS],
            }
        )
        await send({"type": "http.response.body", "body": body})


_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-_:")


def host_name(value: str) -> str | None:
    """The host of a Host header or of a configured host (lower case, no port, no brackets around IPv6, no
    trailing dot), or None when it is not a well-formed host."""
    value = value.strip().lower()
    if value.startswith("["):  # [IPv6] or [IPv6]:port
        end = value.find("]")
        if end < 0 or (value[end + 1 :] and not _is_port(value[end + 1 :])):
            return None
        host = value[1:end]
    elif value.count(":") == 1:
        host, _, port = value.partition(":")
        if not port.isdigit():
            return None
    else:  # a name, an IPv4 address or a bare IPv6 address
        host = value
    host = host.rstrip(".")
    if not host or not set(host) <= _HOST_CHARS:
        return None
    return host


def _is_port(text: str) -> bool:
    return text.startswith(":") and text[1:].isdigit()


class TrustedHosts:
    """ASGI middleware: answer only requests for the ``allowed`` hosts (``*.example.org`` allows its subdomains,
    ``*`` or None any host); others get 400. Redirects to this server get a relative Location."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str] | None = None) -> None:
        self.app = app
        given = list(allowed) if allowed is not None else ["*"]
        self.any = "*" in given
        names = [h for h in given if h != "*"]
        self.suffixes = tuple("." + n for h in names if h.startswith("*.") and (n := host_name(h[2:])))
        self.exact = frozenset(n for h in names if not h.startswith("*.") and (n := host_name(h)))

    def allows(self, host_header: str | None) -> bool:
        """Whether a request with this Host header is answered."""
        if self.any:
            return True
        host = host_name(host_header or "")
        return host is not None and (host in self.exact or host.endswith(self.suffixes))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw = headers.get(b"host")
        if not self.allows(raw.decode("latin-1") if raw is not None else None):
            await _refuse_host(scope, send)
            return

        async def relative_redirects(message: Message) -> None:
            if message["type"] == "http.response.start" and 300 <= message.get("status", 200) < 400:
                message["headers"] = [
                    (k, _relative(v) if k.lower() == b"location" else v) for k, v in message.get("headers", [])
                ]
            await send(message)

        await self.app(scope, receive, relative_redirects)


def _relative(location: bytes) -> bytes:
    """A Location without scheme and host (``http://HOST/a?b`` -> ``/a?b``), and never ``//x`` or ``/\\x``
    (which browsers read as another host)."""
    try:
        parts = urlsplit(location.decode("latin-1"))
    except ValueError:
        return b"/"
    path = parts.path.replace("\\", "/")
    if parts.scheme or parts.netloc or path.startswith("/"):
        path = "/" + path.lstrip("/")
    return urlunsplit(("", "", path, parts.query, parts.fragment)).encode("latin-1")


async def _refuse_host(scope: Scope, send: Send) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = b"400: this server does not answer for that host name (see presslens serve --allowed-host).\n"
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _human(n: int) -> str:
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return f"{n >> 20} MB"
    if n >= 1 << 10 and n % (1 << 10) == 0:
        return f"{n >> 10} KB"
    return f"{n:,} bytes"


class RateLimiter:
    """A token bucket per client: ``burst`` requests at once, then ``rate`` per second. In memory, bounded."""

    def __init__(self, rate: float, burst: int, max_clients: int = 10_000) -> None:
        self.rate = rate
        self.burst = burst
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the request may go ahead; else the seconds until it may."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1 - tokens) / self.rate if self.rate > 0 else math.inf
            if len(self._buckets) > self.max_clients:
                self._prune(now)
        return wait

    def _prune(self, now: float) -> None:
        full = [c for c, (t, last) in self._buckets.items() if t + (now - last) * self.rate >= self.burst]
        for c in full:
            del self._buckets[c]
        while len(self._buckets) > self.max_clients:  # all busy: forget the oldest
            oldest = min(self._buckets, key=lambda c: self._buckets[c][1])
            del self._buckets[oldest]


def token_matches(configured: str | None, given: str | None) -> bool:
    """Whether ``given`` is the configured token (constant time; never true when none is configured)."""
    if not configured or not given:
        return False
    return hmac.compare_digest(configured.encode("utf-8"), given.encode("utf-8"))


def bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def client_id(scope: dict[str, Any]) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"
