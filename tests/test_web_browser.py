"""The newsroom in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; never a browser
that Playwright downloads): overview -> search -> article -> speaker -> export, a screenshot of each page under
test-artifacts/, and the hostile article shown as text with no script run.

Skipped, with the reason, where /usr/bin/chromium or the playwright package is missing.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_web_corpus import HOSTILE_TITLE, XSS, build_store

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is absent (apt-get install chromium): browser tests skipped"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from presslens.web import create_app

    url = build_store(tmp_path_factory.mktemp("web-browser"))
    app = create_app(url, token=None)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watch:
    """What a page did that it must not: dialogs, page errors, CSP violations, requests to other hosts."""

    def __init__(self, page: Any, base: str) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.console: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.console.append(m.text) if m.type in ("error", "warning") else None)
        page.on(
            "request", lambda r: None if r.url.startswith((base, "data:", "about:")) else self.outside.append(r.url)
        )


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


def test_overview_search_article_speaker_export(server: str, browser: Any) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    watch = Watch(page, server)

    page.goto(server + "/")
    assert page.title().startswith("Overview")
    assert page.locator("h1").inner_text() == "Overview"
    assert page.get_by_role("link", name="Jonas Berg").count() >= 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"  # keyboard: the skip link first
    shot(page, "1-overview")

    page.get_by_label("Search quotes").fill("bridge")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/quotes?q=bridge")
    assert page.locator("ol.quotes > li").count() >= 2
    page.locator(".facets a", has_text="Ana Costa").click()  # a facet: add the speaker filter
    page.wait_for_url("**speaker=ana+costa**")
    assert "monument to waste" in page.locator("ol.quotes").inner_text()
    shot(page, "2-search")

    page.locator("ol.quotes a[href^='/articles/']").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Bridge row deepens"
    quote = page.locator("#text span.q-direct").first
    quote.hover()
    assert page.locator("#quote-q1.hl").count() == 1  # the script links a quote to its list entry
    assert page.locator("#text .tech-own").count() >= 2 and page.locator("#text .ign").count() >= 1
    shot(page, "3-article")

    page.locator("#text a.spk", has_text="Ana Costa").click()
    page.wait_for_url("**/actors/ana%20costa")
    assert page.locator("h1").inner_text() == "Ana Costa"
    assert "opposition leader" in page.locator("dl.by-outlet").inner_text()
    shot(page, "4-speaker")

    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").first.click()
    download = info.value
    target = ARTIFACTS / "web-5-export.csv"
    download.save_as(str(target))
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("article_id,quote_id") and len(lines) >= 3
    assert all("Ana Costa" in line for line in lines[1:] if line)
    page.goto(server + "/network")
    page.wait_for_selector("#network svg .node")
    assert page.locator("#network svg .node").count() >= 3
    shot(page, "6-network")

    assert watch.dialogs == [] and watch.errors == [] and watch.outside == []
    assert not [c for c in watch.console if "Content Security Policy" in c], watch.console
    ctx.close()


def test_phone_width(server: str, browser: Any) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = ctx.new_page()
    page.goto(server + "/quotes?q=bridge")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"the page scrolls sideways on a phone ({width}px)"
    shot(page, "7-phone-search")
    page.goto(server + "/articles/1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    ctx.close()


def test_reading_works_without_javascript(server: str, browser: Any) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(server + "/quotes?q=bridge")
    assert page.locator("ol.quotes > li").count() >= 2
    page.get_by_role("link", name="Next ›").count()  # (one page only here)
    page.goto(server + "/network")
    assert page.locator("table.list tbody tr").count() >= 3  # the network as a table
    ctx.close()


def test_hostile_article_runs_no_script(server: str, browser: Any) -> None:
    ctx = browser.new_context()
    page = ctx.new_page()
    watch = Watch(page, server)
    page.goto(server + "/articles")
    page.get_by_role("link", name=HOSTILE_TITLE).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE  # the markup shows as text
    assert XSS in page.locator("#text").inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#text script, #text img, h1 b, h1 img").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    shot(page, "8-hostile")
    for path in ("/quotes", "/actors", "/", "/outlets", "/network"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.__pwned") == "undefined", path
    page.goto(server + "/articles?limit=100")
    page.get_by_role("link", name="Who speaks <script>window.__pwned=1</script>?").click()
    page.wait_for_load_state("networkidle")
    page.locator("#text a.spk").first.click()
    page.wait_for_load_state("networkidle")
    assert "Evil <script>" in page.locator("h1").inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert watch.dialogs == [] and watch.errors == [] and watch.outside == []
    ctx.close()
