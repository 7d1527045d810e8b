"""Tests for URL inputs (presslens.inputs.fetch): a local HTTP server on 127.0.0.1 only, never the network."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import presslens.inputs.fetch as fetch
from presslens.inputs import Document, InputError, iter_inputs
from presslens.inputs.fetch import USER_AGENT, FetchError

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
ARTICLE = (FIXTURES / "article.html").read_bytes()
LONG_PARAGRAPH = b"The harbour council heard from residents, ferry crews and the operator for three hours. " * 4


def page(title: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>".encode()
        + b"<p>"
        + LONG_PARAGRAPH
        + b'</p><p>"We are listening," said council leader Rowan Pike.</p></article></body></html>'
    )


class Site:
    """What the local server serves; tests change ``robots`` and read ``requests``."""

    def __init__(self) -> None:
        self.robots: tuple[int, bytes] = (200, b"User-agent: *\nDisallow: /private\n")
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self.port = 0

    def feed(self) -> bytes:
        base = f"http://127.0.0.1:{self.port}"
        return f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local Courier</title>
<item><title>Teaser</title><link>{base}/news/ferry</link><description>Short teaser.</description></item>
<item><title>Blocked</title><link>{base}/private/secret</link><description>Another teaser.</description></item>
<item><title>Full</title><link>{base}/news/full</link><description>{"Long enough text. " * 40}</description></item>
</channel></rss>""".encode()


class Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if "no_length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            if name != "no_length":
                self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        site = self.server.site
        site.requests.append((self.path, self.headers.get("User-Agent", "")))
        path = self.path
        try:
            if path == "/robots.txt":
                status, body = site.robots
                self.send(status, body, "text/plain")
            elif path in ("/news/ferry", "/news/full", "/private/secret"):
                self.send(200, page(path.rsplit("/", 1)[1].title()))
            elif path == "/article":
                self.send(200, ARTICLE)
            elif path == "/redirect":
                self.send(302, b"", Location="/article")
            elif path == "/loop":
                self.send(302, b"", Location="/loop")
            elif path == "/to-private":
                self.send(302, b"", Location="/private/secret")
            elif path == "/to-internal":
                self.send(302, b"", Location=f"http://internal.example:{site.port}/article")
            elif path == "/slow":
                time.sleep(1.5)
                self.send(200, page("Slow"))
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(30):
                    self.wfile.write(b"<p>drip</p>")
                    self.wfile.flush()
                    time.sleep(0.05)
            elif path == "/big":
                self.send(200, b"<p>" + b"x" * 200_000 + b"</p>")
            elif path == "/big-unannounced":
                self.send(200, b"<p>" + b"x" * 200_000 + b"</p>", no_length="1")
            elif path == "/gzip":
                self.send(200, gzip.compress(ARTICLE), Content_Encoding="gzip")
            elif path == "/feed":
                self.send(200, site.feed(), "application/rss+xml")
            elif path == "/plain":
                self.send(200, b"  Plain words from a server.\n", "text/plain; charset=utf-8")
            elif path == "/image":
                self.send(200, b"\x89PNG\r\n\x1a\n", "image/png")
            else:
                self.send(404, b"<p>not here</p>")
        except (BrokenPipeError, ConnectionResetError):
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site


@pytest.fixture
def site() -> Iterator[Site]:
    server = _Server(("127.0.0.1", 0), Handler)
    server.site = Site()
    server.site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    fetch.clear_robots_cache()
    try:
        yield server.site
    finally:
        server.shutdown()
        server.server_close()
        fetch.clear_robots_cache()


def url(site: Site, path: str) -> str:
    return f"http://127.0.0.1:{site.port}{path}"


def read(site: Site, path: str, **kwargs) -> list[Document | InputError]:
    kwargs.setdefault("allow_private", True)  # only ever for this local test server
    return list(iter_inputs([url(site, path)], **kwargs))


def only_error(results) -> InputError:
    assert len(results) == 1 and isinstance(results[0], InputError), results
    return results[0]


# --------------------------------------------------------------------------------------------- fetching


def test_html_page_is_fetched_with_user_agent_and_robots(site: Site) -> None:
    (doc,) = read(site, "/article")
    assert isinstance(doc, Document)
    assert doc.source == url(site, "/article")
    assert doc.url == url(site, "/article")  # the fetched URL, not the page's canonical link
    assert doc.title == "Harbour council delays ferry vote after fare protest"
    assert "Tidewater Crossings" in doc.text and "alert" not in doc.text
    assert site.requests == [("/robots.txt", USER_AGENT), ("/article", USER_AGENT)]
    assert USER_AGENT.startswith("presslens/") and "(+https://github.com/presslens/presslens)" in USER_AGENT
    read(site, "/gzip")  # robots.txt is read once per host
    assert [p for p, _ in site.requests].count("/robots.txt") == 1


def test_gzip_body_plain_text_feed_and_unsupported_type(site: Site) -> None:
    (doc,) = read(site, "/gzip")
    assert doc.title == "Harbour council delays ferry vote after fare protest"
    (plain,) = read(site, "/plain")
    assert (plain.text, plain.url) == ("  Plain words from a server.\n", url(site, "/plain"))
    entries = read(site, "/feed")
    assert [e.source for e in entries] == [url(site, f"/feed#{n}") for n in (1, 2, 3)]
    assert entries[0].text == "Short teaser." and entries[0].outlet == "Local Courier"
    error = only_error(read(site, "/image"))
    assert error.kind == "unsupported" and "image/png" in error.message


def test_robots_txt_disallow_and_redirect_into_a_disallowed_path(site: Site) -> None:
    error = only_error(read(site, "/private/secret"))
    assert error.kind == "fetch"
    assert "robots.txt" in error.message and "disallows" in error.message
    error = only_error(read(site, "/to-private"))  # every hop is checked
    assert "robots.txt" in error.message
    assert "/private/secret" not in [p for p, _ in site.requests]


@pytest.mark.parametrize(
    ("robots", "allowed"),
    [((404, b""), True), ((410, b""), True), ((500, b"oops"), False), ((403, b"no"), False)],
)
def test_robots_txt_failures_other_than_absent_mean_no_fetch(
    site: Site, robots: tuple[int, bytes], allowed: bool
) -> None:
    site.robots = robots
    results = read(site, "/news/ferry")
    if allowed:
        assert isinstance(results[0], Document), results
    else:
        error = only_error(results)
        assert error.kind == "fetch" and f"HTTP {robots[0]}" in error.message and "robots.txt" in error.message
        assert "/news/ferry" not in [p for p, _ in site.requests]


def test_robots_txt_rules_for_presslens_by_name(site: Site) -> None:
    site.robots = (200, b"User-agent: otherbot\nDisallow:\n\nUser-agent: presslens\nDisallow: /news/\n")
    error = only_error(read(site, "/news/ferry"))
    assert "disallows" in error.message
    assert isinstance(read(site, "/article")[0], Document)


def test_redirects_are_followed_up_to_five(site: Site) -> None:
    (doc,) = read(site, "/redirect")
    assert doc.source == url(site, "/redirect")
    assert doc.url == url(site, "/article")
    error = only_error(read(site, "/loop"))
    assert error.kind == "fetch" and "more than 5" in error.message
    assert [p for p, _ in site.requests].count("/loop") == 6


def test_http_error_status(site: Site) -> None:
    error = only_error(read(site, "/nope"))
    assert error.kind == "fetch" and "HTTP 404" in error.message


def test_timeout_covers_a_slow_answer_and_a_slow_body(site: Site) -> None:
    for path in ("/slow", "/drip"):
        started = time.perf_counter()
        error = only_error(read(site, path, fetch_timeout=0.4))
        assert time.perf_counter() - started < 1.2
        assert error.kind == "fetch" and "timed out after 0.4 s" in error.message


def test_size_cap_with_and_without_content_length(site: Site) -> None:
    error = only_error(read(site, "/big", max_bytes=100_000))
    assert error.kind == "fetch" and "too large" in error.message and "Content-Length" in error.message
    error = only_error(read(site, "/big-unannounced", max_bytes=100_000))
    assert error.kind == "fetch" and "too large" in error.message


def test_fetch_links_replaces_short_entries_by_their_page(site: Site) -> None:
    teaser, blocked, full = read(site, "/feed", fetch_links=True)
    assert isinstance(teaser, Document)
    assert teaser.source == url(site, "/feed#1")
    assert teaser.title == "Teaser" and teaser.outlet == "Local Courier"  # the feed's metadata is kept
    assert teaser.url == url(site, "/news/ferry")
    assert "The harbour council heard from residents" in teaser.text
    assert isinstance(blocked, InputError) and blocked.kind == "fetch" and blocked.source == url(site, "/feed#2")
    assert "robots.txt" in blocked.message and "15 characters" in blocked.message
    assert isinstance(full, Document) and full.text.startswith("Long enough text.")
    assert "/news/full" not in [p for p, _ in site.requests]  # long enough: not fetched


def test_fetch_links_for_a_feed_file(site: Site, tmp_path: Path) -> None:
    path = tmp_path / "local.rss"
    path.write_bytes(site.feed())
    results = list(iter_inputs([str(path)], fetch_links=True, allow_private=True))
    assert [type(r).__name__ for r in results] == ["Document", "InputError", "Document"]
    assert results[0].source == f"{path}#1" and "Rowan Pike" in results[0].text


# --------------------------------------------------------------------------------------------- addresses


def test_loopback_is_refused_without_allow_private(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    error = only_error(read(site, "/article", allow_private=False))
    assert error.kind == "fetch"
    assert "127.0.0.1" in error.message and "loopback" in error.message
    assert site.requests == []  # refused before connecting, robots.txt included
    monkeypatch.setattr(fetch, "ALLOW_PRIVATE", True)  # the module setting the command line may set
    assert isinstance(read(site, "/article", allow_private=None)[0], Document)


def fake_resolver(table: dict[str, list[str]]):
    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        results = []
        for address in table[host]:
            fam = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, port, 0, 0) if fam == socket.AF_INET6 else (address, port)
            results.append((fam, socket.SOCK_STREAM, 6, "", sockaddr))
        return results

    return getaddrinfo


@pytest.mark.parametrize(
    ("addresses", "words"),
    [
        (["10.1.2.3"], "private"),
        (["169.254.169.254"], "link-local"),
        (["::1"], "loopback"),
        (["93.184.216.34", "192.168.0.10"], "private"),  # every address is checked
        (["::ffff:127.0.0.1"], "loopback"),
        (["0.0.0.0"], "unspecified"),
        (["224.0.0.251"], "multicast"),
        (["240.0.0.1"], "reserved"),
        (["100.64.0.1"], "private"),
        (["fd00::7"], "private"),
        (["2002:a00:1::1"], "private"),  # 6to4 wrapping 10.0.0.1
    ],
)
def test_hosts_resolving_to_non_public_addresses_are_refused(
    monkeypatch: pytest.MonkeyPatch, addresses: list[str], words: str
) -> None:
    monkeypatch.setattr(fetch.socket, "getaddrinfo", fake_resolver({"news.example": addresses}))

    def no_request(*args, **kwargs):
        raise AssertionError("connected to a refused address")

    monkeypatch.setattr(fetch, "_request", no_request)
    with pytest.raises(FetchError) as caught:
        fetch.fetch("https://news.example/story", allow_private=False)
    assert words in str(caught.value) and "news.example" in str(caught.value)
    (error,) = iter_inputs(["https://news.example/story"])
    assert error.kind == "fetch" and words in error.message


def test_public_addresses_pass_the_check() -> None:
    for address in ("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"):
        assert fetch._address_problem(address) is None, address


def test_redirect_to_an_internal_host_is_refused(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        fetch.socket, "getaddrinfo", fake_resolver({"public.example": ["127.0.0.1"], "internal.example": ["10.0.0.7"]})
    )
    real = fetch._address_problem
    monkeypatch.setattr(fetch, "_address_problem", lambda a: None if a == "127.0.0.1" else real(a))
    with pytest.raises(FetchError) as caught:
        fetch.fetch(f"http://public.example:{site.port}/to-internal", allow_private=False)
    assert "internal.example" in str(caught.value) and "10.0.0.7" in str(caught.value)
    assert [p for p, _ in site.requests] == ["/robots.txt", "/to-internal"]


@pytest.mark.parametrize(
    "bad", ["http://", "http://user:pw@news.example/", "http://news.example:99999/", "https://[::1/"]
)
def test_malformed_urls_are_fetch_errors(bad: str) -> None:
    (error,) = iter_inputs([bad])
    assert error.kind == "fetch" and error.source == bad
