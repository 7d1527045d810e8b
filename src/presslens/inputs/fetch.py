"""Fetch ``http://`` and ``https://`` URLs politely and safely.

:func:`fetch` returns the body of one URL or raises :class:`FetchError` (``kind`` ``fetch``) with one sentence
saying why. Every request:

* identifies itself with :data:`USER_AGENT`;
* honours the host's ``robots.txt`` (fetched with the same limits, cached per scheme, host and port for the
  life of the process). A ``robots.txt`` that does not exist (HTTP 404 or 410) allows everything; any other
  failure to read it (a server error, 401/403, a timeout, a refused address) means the page is not fetched;
* must finish within ``timeout`` seconds in all: connecting, robots.txt, redirects, headers and body
  (name resolution, which the operating system does, is not bounded);
* reads at most ``max_bytes`` of body (after gzip decoding) and refuses a larger ``Content-Length`` at once;
* follows at most :data:`MAX_REDIRECTS` redirects, checking every hop like the first (scheme, address,
  robots.txt);
* resolves the host with :func:`socket.getaddrinfo` and refuses it, before connecting, when any of its
  addresses is private, loopback, link-local, multicast, reserved, unspecified or otherwise not globally
  routable, unless ``allow_private`` is true (or, when the argument is not given, the module setting
  :data:`ALLOW_PRIVATE`, which the command line may set). The connection then goes to an address that was
  checked, so a second resolution cannot swap in another one.

Proxies from the environment are not used.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.robotparser
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field

from presslens.version import __version__

__all__ = [
    "ALLOW_PRIVATE",
    "DEFAULT_TIMEOUT",
    "MAX_REDIRECTS",
    "USER_AGENT",
    "FetchError",
    "Response",
    "clear_robots_cache",
    "fetch",
    "is_url",
]

#: Seconds a fetch may take in all (connect, robots.txt, redirects, headers, body).
DEFAULT_TIMEOUT = 20.0
#: Redirects followed before giving up.
MAX_REDIRECTS = 5
#: Sent with every request; robots.txt rules for ``presslens`` (or ``*``) apply.
USER_AGENT = f"presslens/{__version__} (+https://github.com/presslens/presslens)"
#: Module-wide default for ``allow_private``: whether private, loopback and other non-public addresses
#: may be fetched. Off unless a caller (the command line, a test with its own local server) turns it on.
ALLOW_PRIVATE = False

_DEFAULT_MAX_BYTES = 10_000_000
_CHUNK = 65536
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ROBOTS_ABSENT = frozenset({404, 410})
_ROBOTS_CACHE_SIZE = 1024
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
# NAT64 well-known prefix: the last 32 bits are an IPv4 address.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class FetchError(Exception):
    """A URL that could not (or may not) be fetched; ``str(error)`` is one sentence saying why."""

    kind = "fetch"


@dataclass
class Response:
    """A successful (2xx) response. ``url`` is the final URL after redirects."""

    url: str
    status: int
    #: The media type, lower-case and without parameters (``"text/html"``); ``""`` when not given.
    media_type: str
    #: The whole ``Content-Type`` header (for its charset); ``""`` when not given.
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def is_url(item: str) -> bool:
    """Whether a command-line input is an ``http://`` or ``https://`` URL."""
    return item[:8].lower().startswith(("http://", "https://"))


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = _DEFAULT_MAX_BYTES,
    allow_private: bool | None = None,
) -> Response:
    """Fetch ``url`` (see the module docstring for the rules) and return its 2xx response.

    Raises:
        FetchError: a bad or non-HTTP URL, a refused address, robots.txt disallows it, a timeout, a body
            over ``max_bytes``, too many redirects, a non-2xx status, or a network error.
    """
    allow = ALLOW_PRIVATE if allow_private is None else allow_private
    deadline = time.monotonic() + timeout
    try:
        final, status, reason, headers, body = _follow(
            url, deadline=deadline, timeout=timeout, max_bytes=max_bytes, allow=allow, robots=True
        )
    except FetchError:
        raise
    except Exception as exc:  # anything unforeseen is still one clear fetch error
        raise FetchError(f"cannot fetch {url}: {_describe(exc)}") from None
    if not 200 <= status < 300:
        raise FetchError(f"{final} answered HTTP {status}{' ' + reason if reason else ''}")
    content_type = headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    return Response(
        url=final, status=status, media_type=media_type, content_type=content_type, body=body, headers=headers
    )


def clear_robots_cache() -> None:
    """Forget every robots.txt read so far."""
    with _robots_lock:
        _robots_cache.clear()


# --------------------------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, without brackets
    port: int
    path: str  # request target: path and query

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host.lower(), self.port)

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def _parse_url(url: str) -> _Target:
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"not a valid URL: {url} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"only http:// and https:// URLs are fetched, not {url}")
    if parts.username is not None or parts.password is not None:
        raise FetchError(f"URLs with a user name or password are not fetched: {parts.scheme}://…@{parts.hostname}")
    host = parts.hostname
    if not host:
        raise FetchError(f"URL has no host: {url}")
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchError(f"URL has an invalid host name: {host}") from None
    path = urllib.parse.quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + urllib.parse.quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return _Target(url=url, scheme=scheme, host=ascii_host, port=port or (443 if scheme == "https" else 80), path=path)


def _follow(
    url: str, *, deadline: float, timeout: float, max_bytes: int, allow: bool, robots: bool
) -> tuple[str, int, str, dict[str, str], bytes]:
    """Request ``url``, following redirects; returns (final URL, status, reason, headers, body)."""
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        target = _parse_url(current)
        addresses = _resolve(target, allow)  # refuse a private address before anything else
        if robots:
            _check_robots(target, deadline=deadline, timeout=timeout, max_bytes=max_bytes, allow=allow)
        status, reason, headers, body = _request(
            target, addresses, deadline=deadline, timeout=timeout, max_bytes=max_bytes
        )
        if status in _REDIRECTS:
            location = headers.get("location", "").strip()
            if not location:
                raise FetchError(f"{current} answered HTTP {status} (a redirect) without a Location header")
            current = urllib.parse.urljoin(current, location)
            continue
        return current, status, reason, headers, body
    raise FetchError(f"{url} redirects more than {MAX_REDIRECTS} times")


def _resolve(target: _Target, allow: bool) -> list[tuple[int, tuple]]:
    """Resolve the host and check every address; returns (family, sockaddr) pairs to try in order."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(f"cannot resolve host {target.host}: {_describe(exc)}") from None
    if not infos:
        raise FetchError(f"cannot resolve host {target.host}: no addresses")
    addresses: list[tuple[int, tuple]] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        if not allow:
            problem = _address_problem(str(sockaddr[0]))
            if problem:
                raise FetchError(
                    f"refused to fetch {target.url}: host {target.host} resolves to {sockaddr[0]}, {problem} "
                    "(allow_private is off)"
                )
        addresses.append((family, sockaddr))
    if not addresses:
        raise FetchError(f"cannot resolve host {target.host}: no IPv4 or IPv6 addresses")
    return addresses


def _address_problem(text: str) -> str | None:
    """Why an address may not be fetched (``"a loopback address"``), or ``None`` for a public one."""
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            problem = _address_problem(str(embedded))
            if problem:
                return problem
    checks = (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private address"),
    )
    for attribute, words in checks:
        if getattr(address, attribute):
            return words
    if not address.is_global:
        return "not a public address"
    return None


def _request(
    target: _Target, addresses: list[tuple[int, tuple]], *, deadline: float, timeout: float, max_bytes: int
) -> tuple[int, str, dict[str, str], bytes]:
    """One GET to one of the checked ``addresses``; the body is read (up to ``max_bytes``) only for 2xx."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _timed_out(target, timeout)
    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = http.client.HTTPSConnection(
            target.host, target.port, timeout=remaining, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=remaining)
    conn._create_connection = _pinned_connect(addresses)  # type: ignore[attr-defined]
    watchdog: threading.Timer | None = None
    sock: socket.socket | None = None
    try:
        try:
            conn.connect()
        except TimeoutError:
            raise _timed_out(target, timeout) from None
        sock = conn.sock
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _shutdown, args=(sock,))
        watchdog.daemon = True
        watchdog.start()
        conn.putrequest("GET", target.path, skip_host=True, skip_accept_encoding=True)
        for name, value in (
            ("Host", target.host_header),
            ("User-Agent", USER_AGENT),
            ("Accept", _ACCEPT),
            ("Accept-Encoding", "gzip"),
            ("Connection", "close"),
        ):
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        status = response.status
        if not 200 <= status < 300:
            return status, response.reason or "", headers, b""
        body = _read_body(response, headers, target, deadline=deadline, timeout=timeout, max_bytes=max_bytes)
        return status, response.reason or "", headers, body
    except FetchError:
        raise
    except Exception as exc:
        if time.monotonic() >= deadline or isinstance(exc, TimeoutError):
            raise _timed_out(target, timeout) from None
        raise FetchError(f"cannot fetch {target.url}: {_describe(exc)}") from None
    finally:
        if watchdog is not None:
            watchdog.cancel()
        conn.close()


def _pinned_connect(addresses: list[tuple[int, tuple]]):
    """A replacement for ``socket.create_connection`` that connects only to the checked addresses."""

    def connect(_address, timeout=None, source_address=None, **_kwargs):
        last: OSError | None = None
        for family, sockaddr in addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                if timeout is not None:
                    sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                last = exc
                if isinstance(exc, TimeoutError):
                    raise
        raise last if last is not None else OSError("no address to connect to")

    return connect


def _shutdown(sock: socket.socket | None) -> None:
    if sock is None:
        return
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _read_body(
    response: http.client.HTTPResponse,
    headers: dict[str, str],
    target: _Target,
    *,
    deadline: float,
    timeout: float,
    max_bytes: int,
) -> bytes:
    length = headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > max_bytes:
        raise FetchError(
            f"{target.url} is too large: Content-Length {int(length):,} bytes, over the {max_bytes:,}-byte limit"
        )
    encoding = headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(f"{target.url} uses an unsupported Content-Encoding: {encoding}")
    decompressor = None
    if encoding in ("gzip", "x-gzip"):
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decompressor = zlib.decompressobj()
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() >= deadline:
            raise _timed_out(target, timeout)
        chunk = response.read(_CHUNK)
        if not chunk:
            break
        if decompressor is not None:
            try:
                chunk = decompressor.decompress(chunk, max_bytes + 1 - size)
            except zlib.error as exc:
                raise FetchError(f"cannot decompress the body of {target.url}: {exc}") from None
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{target.url} is too large: the body is over the {max_bytes:,}-byte limit")
        chunks.append(chunk)
    if time.monotonic() >= deadline:
        raise _timed_out(target, timeout)
    return b"".join(chunks)


def _timed_out(target: _Target, timeout: float) -> FetchError:
    return FetchError(f"fetching {target.url} timed out after {timeout:g} s")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror):
        return exc.strerror or str(exc)
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, http.client.IncompleteRead):
        return "the connection closed before the whole body arrived"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    detail = str(exc)
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


# --------------------------------------------------------------------------------------------- robots.txt

_robots_lock = threading.Lock()
#: origin -> a parser, or the message of a failure that forbids fetching from the origin.
_robots_cache: OrderedDict[tuple[str, str, int], urllib.robotparser.RobotFileParser | str] = OrderedDict()


def _check_robots(target: _Target, *, deadline: float, timeout: float, max_bytes: int, allow: bool) -> None:
    with _robots_lock:
        rules = _robots_cache.get(target.origin)
    if rules is None:
        try:
            rules = _load_robots(target, deadline=deadline, timeout=timeout, max_bytes=max_bytes, allow=allow)
        except FetchError as exc:  # a network failure or timeout: not remembered, the next URL tries again
            raise FetchError(f"not fetching {target.url}: cannot read its robots.txt ({exc})") from None
        with _robots_lock:
            _robots_cache[target.origin] = rules
            while len(_robots_cache) > _ROBOTS_CACHE_SIZE:
                _robots_cache.popitem(last=False)
    if isinstance(rules, str):
        raise FetchError(f"not fetching {target.url}: {rules}")
    if not rules.can_fetch(USER_AGENT, target.url):
        raise FetchError(f"robots.txt of {target.host_header} disallows fetching {target.url}")


def _load_robots(
    target: _Target, *, deadline: float, timeout: float, max_bytes: int, allow: bool
) -> urllib.robotparser.RobotFileParser | str:
    """The rules of the target's origin, or why nothing there may be fetched (an HTTP status that is an
    answer: remembered). Raises :class:`FetchError` for failures that are not an answer (timeouts, refused
    or unreachable addresses, bodies over the limit), which are not remembered."""
    robots_url = f"{target.scheme}://{target.host_header}/robots.txt"
    parser = urllib.robotparser.RobotFileParser(robots_url)
    _final, status, reason, _headers, body = _follow(
        robots_url, deadline=deadline, timeout=timeout, max_bytes=max_bytes, allow=allow, robots=False
    )
    if status in _ROBOTS_ABSENT:
        parser.allow_all = True
    elif 200 <= status < 300:
        parser.parse(body.decode("utf-8", "replace").splitlines())
    else:
        return f"cannot read {robots_url} (HTTP {status}{' ' + reason if reason else ''})"
    parser.modified()
    return parser
