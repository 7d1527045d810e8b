"""The newsroom (presslens.web) through FastAPI's TestClient: every page and API route, paging, filters,
exports, escaping of hostile articles, the token for writes, the body cap (413) and the rate limit (429).

The store is built by tests/test_web_corpus.py through the store's normal ingest paths.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from presslens.web import create_app
from presslens.web.security import CSP
from test_web_corpus import HOSTILE_OUTLET, HOSTILE_SPEAKER, HOSTILE_TITLE, build_store

TOKEN = "s3cret-token"
PAGES = ["/", "/articles", "/quotes", "/actors", "/outlets", "/techniques", "/figures", "/network", "/analyze", "/docs"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src", "").split("?")[0] != "/static/app.js":
            self.problems.append(f"<script {found}>")
        if tag in ("img", "iframe", "object", "embed", "b"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}={value}")
            if name in ("href", "src", "action", "formaction") and value and not value.startswith(("/", "#", "http")):
                self.problems.append(f"{tag} {name}={value}")


def markup_problems(html: str) -> list[str]:
    """Tags and attributes in a page that could run script (what hostile data must never become)."""
    parser = _Tags()
    parser.feed(html)
    return parser.problems


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("web-store")
    build_store(d)
    return d / "web.db"


@pytest.fixture(scope="module")
def client(base_db: Path) -> TestClient:
    return TestClient(create_app(f"sqlite:///{base_db}", token=TOKEN, burst=1000, rate=100.0))


@pytest.fixture()
def fresh_db(base_db: Path, tmp_path: Path) -> str:
    """A copy of the store that a test may change."""
    target = tmp_path / "copy.db"
    shutil.copy(base_db, target)
    return f"sqlite:///{target}"


def ids_by_title(client: TestClient) -> dict[str, int]:
    items = client.get("/api/articles?limit=100").json()["items"]
    return {a["title"]: a["article_id"] for a in items}


# --------------------------------------------------------------------------------------------- pages


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_csp_and_landmarks(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    html = r.text
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    assert "<nav" in html and "<h1" in html and 'lang="en"' in html
    # nothing from outside, no inline script
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.replace('href="https://', "")), path
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_overview(client: TestClient) -> None:
    html = client.get("/").text
    for text in ("Council delays the harbour bridge", "Jonas Berg", "Harbour Times", "Loaded language", "2024-03"):
        assert text in html
    ov = client.get("/api/overview").json()
    assert ov["totals"]["articles"] == 7 and ov["totals"]["outlets"] == 4
    assert ov["speakers"][0]["name"] == "Jonas Berg"
    rates = {t["technique"]: t for t in ov["techniques"]}
    # (the hand-made records hold techniques in both voices; the pipeline may find more)
    assert rates["Loaded_Language"]["own"] >= 1 and rates["Loaded_Language"]["quoted"] >= 1
    assert rates["Loaded_Language"]["own_per_1000_words"] > 0
    assert client.get("/?format=json").json()["totals"] == ov["totals"]
    assert client.get("/?format=csv").text.startswith("technique,own,quoted")


def test_articles_list_pages_filters_and_exports(client: TestClient) -> None:
    first = client.get("/api/articles?limit=3").json()
    assert first["total"] == 7 and len(first["items"]) == 3 and first["prev"] is None
    assert first["next"] == "/api/articles?limit=3&offset=3"
    second = client.get(first["next"]).json()
    assert second["offset"] == 3 and second["prev"] == "/api/articles?limit=3"
    assert {a["article_id"] for a in first["items"]}.isdisjoint(a["article_id"] for a in second["items"])
    newest = [a["published"] for a in first["items"] + second["items"]]
    assert newest == sorted(newest, reverse=True)

    ledger = client.get("/api/articles", params={"outlet": "daily ledger"}).json()
    assert ledger["total"] == 2 and {a["outlet"] for a in ledger["items"]} == {"Daily Ledger"}
    since = client.get("/api/articles", params={"since": "2024-05-01"}).json()
    assert since["total"] == 3
    text = client.get("/api/articles", params={"q": "ferry"}).json()
    assert [a["title"] for a in text["items"]] == ["Ferry service resumes"]

    html = client.get("/articles?limit=2&outlet=Harbour+Times").text
    assert "Council delays the harbour bridge" in html and "Ferry service resumes" not in html
    assert "1–2 of 2" in html and "Permalink" in html
    assert 'href="/articles?outlet=Harbour+Times&amp;limit=2"' in html  # the permalink keeps the filters

    rows = list(csv.DictReader(io.StringIO(client.get("/articles?format=csv&outlet=Harbour+Times").text)))
    assert len(rows) == 2 and rows[0]["outlet"] == "Harbour Times"
    r = client.get("/articles?format=json")
    assert "attachment" in r.headers["content-disposition"] and len(r.json()) == 7


def test_article_page_marks_up_quotes_speakers_techniques_and_ignored(client: TestClient) -> None:
    ids = ids_by_title(client)
    html = client.get(f"/articles/{ids['Bridge row deepens']}").text
    assert re.search(r'<span class="q q-direct"[^>]*data-q="q1"', html)
    assert re.search(r'<a href="/actors/ana%20costa" class="spk[^"]*"[^>]*>Ana Costa</a>', html)
    assert 'class="tech tech-own"' in html and "tech-quoted" in html
    assert re.search(r'<span class="ign"[^>]*title="ignored: teaser"', html)
    assert 'href="#quote-q1"' in html and 'id="quote-q1"' in html
    assert "opposition leader" in html and "Mayor" in html  # roles and titles at the side
    assert 'href="https://ledger.example/row"' in html

    # analysed by the pipeline: Jonas Berg's quote links to his page
    html = client.get(f"/articles/{ids['Council delays the harbour bridge']}").text
    assert 'href="/actors/jonas%20berg"' in html and "q-direct" in html

    data = client.get(f"/api/articles/{ids['Bridge row deepens']}").json()
    assert data["record"]["article"]["title"] == "Bridge row deepens" and data["near_duplicates"] == []
    assert client.get(f"/articles/{ids['Bridge row deepens']}?format=json").json()["id"] == data["id"]
    quotes = list(csv.DictReader(io.StringIO(client.get(f"/articles/{data['id']}?format=csv").text)))
    assert [q["id"] for q in quotes] == ["q1", "q2"]
    assert client.get("/articles/999999").status_code == 404
    assert client.get("/api/articles/999999").json()["detail"]
    assert client.get("/api/articles/0").status_code == 422


def test_quote_search_filters_facets_and_paging(client: TestClient) -> None:
    everything = client.get("/api/quotes").json()
    assert everything["total"] >= 12
    facets = everything["facets"]
    assert facets["speaker"][0] == {"value": "jonas berg", "label": "Jonas Berg", "count": 5}
    assert {f["value"] for f in facets["kind"]} <= {"direct", "indirect", "mixed"}
    assert any(f["value"] == "Loaded_Language" for f in facets["technique"])
    assert facets["month"][0]["value"] == "2024-05"

    page = client.get("/api/quotes?limit=2&offset=2").json()
    assert page["offset"] == 2 and len(page["items"]) == 2 and page["prev"] == "/api/quotes?limit=2"
    assert [q["content"] for q in page["items"]] == [q["content"] for q in everything["items"][2:4]]

    berg = client.get("/api/quotes", params={"speaker": "berg"}).json()  # an alias
    assert berg["total"] >= 2 and all(q["speaker_key"] == "jonas berg" for q in berg["items"])
    direct = client.get("/api/quotes", params={"kind": "direct", "outlet": "Harbour Times"}).json()
    assert direct["total"] >= 2 and all(q["kind"] == "direct" for q in direct["items"])
    assert all(q["outlet"] == "Harbour Times" for q in direct["items"])
    tech = client.get("/api/quotes", params={"technique": "Loaded_Language"}).json()
    assert all("Loaded_Language" in q["techniques"] for q in tech["items"])
    costa = [q for q in tech["items"] if "monument to waste" in q["content"]]
    assert [q["speaker_name"] for q in costa] == ["Ana Costa"]
    words = client.get("/api/quotes", params={"q": '"do not add up"'}).json()
    assert [q["speaker_name"] for q in words["items"]] == ["Priya Natarajan"]
    dated = client.get("/api/quotes", params={"since": "2024-04-01", "until": "2024-04-30"}).json()
    assert dated["total"] > 0 and all("2024-04" in q["published"] for q in dated["items"])
    assert client.get("/api/quotes", params={"q": "!!!"}).json()["total"] == 0

    html = client.get("/quotes?q=bridge&speaker=Ana+Costa").text
    assert "monument to waste" in html and "Narrow down" in html
    assert "Remove filter speaker Ana Costa" in html
    assert 'href="/quotes?q=bridge&amp;speaker=Ana+Costa"' in html  # permalink


def test_quote_exports_hold_every_filtered_row(client: TestClient) -> None:
    total = client.get("/api/quotes?speaker=Jonas+Berg").json()["total"]
    r = client.get("/quotes?speaker=Jonas+Berg&limit=1&format=csv")
    assert (
        r.headers["content-type"].startswith("text/csv") and 'filename="quotes.csv"' in r.headers["content-disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == total and {row["speaker"] for row in rows} == {"Jonas Berg"}
    data = client.get("/quotes?speaker=Jonas+Berg&format=json").json()
    assert len(data) == total and data[0]["speaker"] == "Jonas Berg"
    empty = client.get("/quotes?q=zzzznothing&format=csv").text
    assert empty.splitlines()[0].startswith("article_id,quote_id")


def test_csv_cells_that_a_spreadsheet_would_run_are_defused() -> None:
    from presslens.web.views import _csv

    text = "".join(_csv([{"a": "=HYPERLINK(1)", "b": "plain", "c": ["x"]}], None))
    assert "'=HYPERLINK(1)" in text and '"[""x""]"' in text


def test_actors_and_the_speaker_page(client: TestClient) -> None:
    actors = client.get("/api/actors").json()
    assert actors["items"][0]["key"] == "jonas berg" and actors["items"][0]["quotes"] == 5
    assert client.get("/api/actors", params={"q": "cost"}).json()["items"][0]["name"] == "Ana Costa"
    assert client.get("/api/actors?limit=1&offset=1").json()["next"] == "/api/actors?limit=1&offset=2"
    assert client.get("/api/actors", params={"kind": "person", "sort": "name"}).json()["total"] >= 5
    html = client.get("/actors?q=berg").text
    assert 'href="/actors/jonas%20berg"' in html
    assert "Jonas Berg" in client.get("/actors?format=csv").text

    berg = client.get("/api/actors/Jonas Berg").json()
    assert berg["key"] == "jonas berg" and berg["name"] == "Jonas Berg" and berg["quotes_total"] == 5
    outlets = {o["outlet"]: o for o in berg["as_outlets_give_them"]}
    assert "Mayor" in outlets["Daily Ledger"]["titles"]
    assert any(r["role"] == "mayor" for r in outlets["Harbour Times"]["roles"])
    assert {o["outlet"] for o in berg["outlets_quoting"]} >= {"Harbour Times", "Daily Ledger"}
    assert "priya natarajan" in {a["key"] for a in berg["alongside"]}
    assert berg["timeline"][0]["month"] == "2024-03"
    assert berg["quotes"]["total"] == 5 and len(berg["quotes"]["items"]) == 5

    html = client.get("/actors/jonas%20berg?limit=2").text
    for text in ("Titles and roles, as each outlet gives them", "Outlets quoting them", "Quoted alongside"):
        assert text in html
    assert "Priya Natarajan" in html and "Next ›" in html
    filtered = client.get("/api/actors/jonas berg", params={"outlet": "Daily Ledger"}).json()
    assert filtered["quotes"]["total"] == 1
    rows = list(csv.DictReader(io.StringIO(client.get("/actors/jonas%20berg?format=csv").text)))
    assert len(rows) == 5
    assert client.get("/actors/nobody%20at%20all").status_code == 404
    assert client.get("/api/actors/nobody").status_code == 404


def test_outlets_compared(client: TestClient) -> None:
    rows = {o["outlet"]: o for o in client.get("/api/outlets").json()["items"]}
    ledger = rows["Daily Ledger"]
    assert ledger["articles"] == 2 and ledger["quotes"] == ledger["direct"] + ledger["indirect"] + ledger["mixed"]
    assert ledger["named"] + ledger["unnamed"] == ledger["quotes"]
    assert ledger["techniques_own"] >= 2 and ledger["techniques_quoted"] >= 1  # the hand-made record's, at least
    assert ledger["own_per_1000_words"] > 0 and ledger["quoted_per_1000_words"] > 0
    html = client.get("/outlets").text
    assert "Quotes per article" in html and "Named sources" in html and "Daily Ledger" in html
    since = client.get("/api/outlets?since=2024-05-01").json()
    assert "Daily Ledger" not in {o["outlet"] for o in since["items"]}
    assert len(list(csv.DictReader(io.StringIO(client.get("/outlets?format=csv").text)))) == 4
    assert client.get("/api/outlets?limit=1").json()["next"] == "/api/outlets?limit=1&offset=1"


def test_techniques_page(client: TestClient) -> None:
    rows = client.get("/api/techniques").json()["items"]
    assert {r["technique"] for r in rows} >= {"Loaded_Language", "Name_Calling,Labeling"}
    only = client.get("/api/techniques", params={"outlet": "daily ledger"}).json()
    assert "Loaded_Language" in {r["technique"] for r in only["items"]}
    assert client.get("/api/techniques", params={"since": "2030-01-01"}).json()["total"] == 0
    assert "Loaded language" in client.get("/techniques").text
    assert client.get("/techniques?format=json").json()[0]["technique"]


def test_network(client: TestClient) -> None:
    net = client.get("/api/network").json()
    keys = {n["id"] for n in net["nodes"]}
    assert {"jonas berg", "ana costa", "priya natarajan"} <= keys
    kinds = {(e["source"], e["target"], e["type"]) for e in net["edges"]}
    assert ("jonas berg", "priya natarajan", "alongside") in kinds
    assert ("ana costa", "jonas berg", "about") in kinds  # "Costa said that Jonas Berg had ignored ..."
    around = client.get("/api/network", params={"focus": "Priya Natarajan"}).json()
    assert all("priya natarajan" in (e["source"], e["target"]) for e in around["edges"])
    html = client.get("/network?focus=Jonas+Berg").text
    assert 'data-src="/api/network?focus=Jonas+Berg"' in html and "quoted alongside" in html
    rows = list(csv.DictReader(io.StringIO(client.get("/network?format=csv").text)))
    assert len(rows) == len(net["edges"]) and {"source_name", "target_name", "weight"} <= set(rows[0])
    assert client.get("/api/network?nodes=1").status_code == 422


def test_bad_parameters_are_4xx_not_5xx(client: TestClient) -> None:
    for path in (
        "/api/quotes?since=yesterday",
        "/api/quotes?kind=shouted",
        "/api/quotes?limit=0",
        "/api/quotes?offset=-1",
        "/api/articles?limit=100000",
        "/api/articles/99999999999999999999",
    ):
        r = client.get(path)
        assert r.status_code == 422, path
        assert r.headers["content-type"] == "application/json"
    r = client.get("/quotes?since=yesterday")
    assert r.status_code == 422 and "not a date" in r.text and r.headers["content-type"].startswith("text/html")
    assert client.get("/quotes?since=&until=&kind=&outlet=&q=&technique=").status_code == 200  # empty form fields
    assert client.get("/api/quotes", params={"q": "a\x00b", "speaker": "\x00"}).status_code == 200
    assert client.get("/nowhere").status_code == 404 and "Not found" in client.get("/nowhere").text


def test_docs_are_self_contained(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/articles", "/api/articles/{article_id}", "/api/quotes", "/api/actors", "/api/actors/{key}"} <= paths
    assert "/api/outlets" in paths and "/api/network" in paths
    html = client.get("/docs").text
    assert "/api/quotes" in html and "Try it" in html
    assert "cdn" not in html.lower() and "swagger-ui" not in html.lower()
    assert client.get("/redoc").status_code == 404
    assert client.get("/static/app.js").headers["content-security-policy"] == CSP
    head = client.head("/quotes")
    assert head.status_code == 200 and head.content == b"" and head.headers["content-security-policy"] == CSP


# --------------------------------------------------------------------------------------------- hostile data


def test_hostile_article_is_shown_as_text(client: TestClient) -> None:
    ids = ids_by_title(client)
    for title in (HOSTILE_TITLE, "Who speaks <script>window.__pwned=1</script>?"):
        html = client.get(f"/articles/{ids[title]}").text
        assert markup_problems(html) == []
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
        assert 'href="javascript:' not in html and 'href="data:' not in html
    html = client.get(f"/articles/{ids[HOSTILE_TITLE]}").text
    assert '<span class="url" title="not a web link">javascript:window.__pwned=1</span>' in html
    assert "&lt;b&gt;report&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "path",
    [
        *PAGES,
        "/articles?limit=100",
        "/quotes?limit=100",
        "/actors/" + "evil%20%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E%20speaker",
        "/quotes?outlet=" + "%3Cimg+src%3Dx+onerror%3D%22window.__pwned%3D1%22%3EEvil+Outlet",
        "/articles?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/network?focus=%3Cscript%3Ex%3C/script%3E",
        "/nowhere%3Cscript%3E",
    ],
)
def test_no_page_carries_hostile_markup(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code in (200, 404)
    assert markup_problems(r.text) == []
    assert "<script>window" not in r.text


def test_hostile_speaker_page(client: TestClient) -> None:
    r = client.get("/api/actors/" + HOSTILE_SPEAKER.replace("/", "%2F"))
    assert r.status_code == 200 and r.json()["name"] == HOSTILE_SPEAKER
    html = client.get("/actors/evil%20%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E%20speaker").text
    assert "Evil &lt;script&gt;window.__pwned=1&lt;/script&gt; Speaker" in html
    assert HOSTILE_OUTLET not in html and "&lt;img src=x" in html


def test_templates_never_mark_data_safe() -> None:
    templates = Path(__file__).resolve().parents[1] / "src/presslens/web/templates"
    for t in templates.glob("*.html"):
        assert "|safe" not in t.read_text().replace(" ", ""), t.name
        assert "autoescape false" not in t.read_text(), t.name


def test_safe_url() -> None:
    from presslens.web.markup import safe_url

    assert safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "//evil.example",
        "http:///x",
        " javascript:alert(1)",
        'https://a.example/"onmouseover=x',
        "vbscript:x",
        None,
        3,
    ):
        assert safe_url(bad) is None, bad


# --------------------------------------------------------------------------------------------- analysis


def test_analyse_pasted_text_without_storing(client: TestClient) -> None:
    before = client.get("/api/articles").json()["total"]
    text = "Ferry fares will rise.\n\n“We had no choice,” said Helen Achterberg, the transport minister.\n"
    r = client.post("/analyze", data={"text": text, "title": "Fares <b>up</b>", "url": "javascript:alert(1)"})
    assert r.status_code == 200
    assert "This analysis is not stored" in r.text and "q-direct" in r.text
    assert 'href="/actors/helen%20achterberg"' in r.text
    assert "Fares &lt;b&gt;up&lt;/b&gt;" in r.text and 'href="javascript:' not in r.text
    assert client.get("/api/articles").json()["total"] == before

    upload = {"file": ("ferry.txt", text.encode(), "text/plain")}
    r = client.post("/analyze", files=upload, data={"title": "Uploaded"})
    assert r.status_code == 200 and "Uploaded" in r.text and "Helen Achterberg" in r.text
    r = client.post(
        "/analyze",
        files={"file": ("page.html", b"<html><body><p>" + text.encode() + b"</p></body></html>", "text/html")},
    )
    assert r.status_code == 200 and "Helen Achterberg" in r.text
    r = client.post("/analyze", data={"text": "   "})
    assert r.status_code == 400 and "Paste a text" in r.text

    rec = client.post("/api/analyze", json={"text": text, "outlet": "Wire"}).json()
    assert rec["schema"] == "presslens/1" and rec["quotes"][0]["speaker"]["name"] == "Helen Achterberg"
    assert client.get("/api/articles").json()["total"] == before
    assert client.post("/api/analyze", json={"text": ""}).status_code == 422


def test_writing_needs_the_token(fresh_db: str) -> None:
    c = TestClient(create_app(fresh_db, token=TOKEN, burst=100, rate=10.0))
    body = {"text": "“We will build it,” said Marek Novak, the harbour master.\n", "url": "https://x.example/1"}
    assert c.post("/api/articles", json=body).status_code == 401
    r = c.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = c.post("/api/articles", json=body, headers=auth)
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["stored"] == "new" and r.headers["location"] == f"/api/articles/{new['id']}"
    assert c.get(new["location"]).json()["record"]["quotes"][0]["speaker"]["name"] == "Marek Novak"
    assert c.get("/api/quotes?speaker=Marek+Novak").json()["total"] == 1  # the cache saw the write
    again = c.post("/api/articles", json=body, headers=auth)
    assert again.status_code == 200 and again.json() == {**new, "stored": "known"}

    assert c.delete(f"/api/articles/{new['id']}").status_code == 401
    assert c.delete(f"/api/articles/{new['id']}", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert c.delete(f"/api/articles/{new['id']}", headers=auth).status_code == 204
    assert c.get(new["location"]).status_code == 404
    assert c.delete(f"/api/articles/{new['id']}", headers=auth).status_code == 404

    # the forms: store on request, delete with the token field
    text = "“Nobody asked us,” said Lucia Ferreira, a fisher.\n"
    r = c.post("/analyze", data={"text": text, "store": "1", "token": "wrong"})
    assert r.status_code == 401 and "token" in r.text.lower()
    r = c.post("/analyze", data={"text": text, "store": "1", "token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/articles/")
    page = c.get(r.headers["location"])
    assert "Analysed and stored" in page.text and "Lucia Ferreira" in page.text
    article_id = int(r.headers["location"].split("/")[2].split("?")[0])
    assert c.post(f"/articles/{article_id}/delete", data={"token": "wrong"}).status_code == 401
    r = c.post(f"/articles/{article_id}/delete", data={"token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303 and c.get(f"/articles/{article_id}").status_code == 404


def test_without_a_token_the_store_is_read_only(fresh_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRESSLENS_TOKEN", raising=False)
    c = TestClient(create_app(fresh_db))
    body = {"text": "Some text.", "url": "https://x.example/2"}
    r = c.post("/api/articles", json=body, headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403 and "disabled" in r.json()["detail"]
    assert c.delete("/api/articles/1", headers={"Authorization": "Bearer "}).status_code in (401, 403)
    assert c.post("/articles/1/delete", data={"token": ""}).status_code == 403
    assert c.post("/analyze", data={"text": "x y z", "store": "1", "token": "t"}).status_code == 403
    assert c.get("/articles/1").status_code == 200 and "Delete this article" not in c.get("/articles/1").text
    assert "read-only" in c.get("/analyze").text


def test_token_from_the_environment(fresh_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSLENS_TOKEN", "from-env")
    c = TestClient(create_app(fresh_db))
    assert c.delete("/api/articles/1", headers={"Authorization": "Bearer from-env"}).status_code == 204


def test_request_bodies_over_the_cap_get_413(fresh_db: str) -> None:
    c = TestClient(create_app(fresh_db, token=TOKEN, max_body=10_000, burst=100))
    r = c.post("/api/analyze", json={"text": "word " * 5000})
    assert r.status_code == 413 and "larger than this server accepts (10,000 bytes)" in r.json()["detail"]
    r = c.post("/analyze", files={"file": ("big.txt", b"x" * 20_000, "text/plain")})
    assert r.status_code == 413 and "413" in r.text and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CSP

    def chunks() -> Any:  # no Content-Length: counted as it arrives
        for _ in range(20):
            yield b"x" * 1000

    r = c.post("/api/analyze", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    r = c.post("/api/analyze", json={"text": "A short text that fits."})
    assert r.status_code == 200
    default = TestClient(create_app(fresh_db))
    assert default.post("/api/analyze", content=b"x" * (2 * 1024 * 1024 + 1)).status_code == 413


def test_analysis_is_rate_limited_per_client(fresh_db: str) -> None:
    c = TestClient(create_app(fresh_db, token=TOKEN, burst=2, rate=0.01))
    body = {"text": "The council met."}
    assert c.post("/api/analyze", json=body).status_code == 200
    assert c.post("/api/analyze", json=body).status_code == 200
    r = c.post("/api/analyze", json=body)
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and "Too many" in r.json()["detail"]
    r = c.post("/analyze", data={"text": "The council met."})
    assert r.status_code == 429 and "Too many" in r.text
    assert c.get("/quotes").status_code == 200  # reading is not limited
    other = TestClient(create_app(fresh_db, burst=2, rate=0.01), client=("10.0.0.9", 5000))
    assert other.post("/api/analyze", json=body).status_code == 200


def test_rate_limiter_refills_and_stays_bounded() -> None:
    from presslens.web.security import RateLimiter

    rl = RateLimiter(rate=1000.0, burst=1, max_clients=50)
    assert rl.take("a") == 0 and rl.take("a") > 0
    time.sleep(0.01)
    assert rl.take("a") == 0
    for i in range(200):
        rl.take(f"c{i}")
    assert len(rl._buckets) <= 51


# --------------------------------------------------------------------------------------------- serve


def test_serve_command(base_db: Path, tmp_path: Path) -> None:
    import socket

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = [sys.executable, "-m", "presslens.cli", "serve", "--db", f"sqlite:///{base_db}", "--port", str(port)]
    proc = subprocess.Popen(exe, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert f"http://127.0.0.1:{port}/" in line and "read-only" in line
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/overview", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["totals"]["articles"] == 7
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    missing = subprocess.run(
        [sys.executable, "-m", "presslens.cli", "serve", "--db", str(tmp_path / "none.db")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2 and "no store" in missing.stderr


def test_json_api_matches_the_pages(client: TestClient) -> None:
    """The API serves the data the pages show: the same totals."""
    for page, api in (("/articles", "/api/articles"), ("/quotes", "/api/quotes"), ("/actors", "/api/actors")):
        total = client.get(api).json()["total"]
        assert f"of {total}" in client.get(page).text.replace(",", "")
    assert json.loads(client.get("/api/overview").text)["totals"]["quotes"] == client.get("/api/quotes").json()["total"]


def test_cache_computes_once_and_forgets_when_the_store_changes(fresh_db: str) -> None:
    import threading

    from presslens.store import Store
    from presslens.web.data import Cache

    with Store.open(fresh_db, create=False) as store:
        cache = Cache(store, check_every=0)
        calls: list[int] = []

        def slow() -> int:
            calls.append(1)
            time.sleep(0.2)
            return len(calls)

        threads = [threading.Thread(target=cache.get, args=("k", slow)) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert calls == [1] and cache.get("k", slow) == 1
        from presslens.web.data import delete_article

        assert delete_article(store, 1)
        assert cache.get("k", slow) == 2  # the fingerprint changed: computed again


PG_URL = os.environ.get("PRESSLENS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def test_the_pages_on_postgresql(client: TestClient, tmp_path: Path) -> None:
    """The same store on PostgreSQL (a fresh schema, dropped afterwards) gives the same pages and figures."""
    import uuid

    import sqlalchemy as sa

    admin = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:
        admin.dispose()
        why = f"PostgreSQL not reachable at {PG_URL} ({type(exc).__name__}); set PRESSLENS_TEST_PG"
        if os.environ.get("PRESSLENS_REQUIRE_PG"):
            pytest.fail(why)
        pytest.skip(why)
    schema = f"presslens_web_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        url = build_store(tmp_path, f"{PG_URL}?options=-csearch_path%3D{schema}")
        pg = TestClient(create_app(url, token=TOKEN))
        for path in PAGES + ["/actors/jonas%20berg", "/articles/1", "/quotes?q=bridge&kind=direct&dedup=true"]:
            assert pg.get(path).status_code == 200, path
        for path in ("/api/overview", "/api/outlets", "/api/quotes?q=bridge", "/api/actors/jonas%20berg"):
            mine, theirs = pg.get(path).json(), client.get(path).json()
            if path == "/api/overview":
                mine, theirs = mine["totals"], theirs["totals"]
            elif path == "/api/actors/jonas%20berg":
                mine, theirs = mine["quotes"]["total"], theirs["quotes"]["total"]
            else:
                mine = [
                    {k: v for k, v in r.items() if k not in ("article_id", "near_dup_group")} for r in mine["items"]
                ]
                theirs = [
                    {k: v for k, v in r.items() if k not in ("article_id", "near_dup_group")} for r in theirs["items"]
                ]
                mine, theirs = sorted(mine, key=json.dumps), sorted(theirs, key=json.dumps)  # ranks differ
            assert mine == theirs, path
        assert "&lt;script&gt;" in pg.get("/articles?limit=100").text
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def test_api_index_lists_every_api_route(client: TestClient) -> None:
    r = client.get("/api/")
    assert r.status_code == 200
    body = r.json()
    listed = {(x["method"], x["path"]) for x in body["routes"]}
    assert ("GET", "/api/quotes") in listed and ("GET", "/api/actors/{key:path}") in listed
    assert ("POST", "/api/articles") in listed and ("DELETE", "/api/articles/{article_id}") in listed
    # every listed GET route without a parameter answers
    for method, path in sorted(listed):
        if method == "GET" and "{" not in path:
            assert client.get(path).status_code == 200, path


def test_article_page_lists_likely_actors_and_folds_away_the_rest(fresh_db: str) -> None:
    """An actor under the confidence the model lists at is shown in a closed <details>, with its confidence; an
    actor of an older record with no confidence is listed; names are escaped in both places."""
    from presslens.record.actor_confidence import ActorConfidence
    from presslens.store import Store
    from presslens.store.ingest import ingest_records
    from test_web_corpus import _record, _span

    text = "Expo news\n\nLena Fisk, the organiser, said the <b>Gala</b> Expo 2024 would open on Friday.\n"
    shown_at = ActorConfidence.load().shown_at
    actors = [
        {"id": "a1", "name": "Lena Fisk", "kind": "person", "aliases": [], "titles": [], "roles": [],
         "mentions": [_span(text, "Lena Fisk")], "kb_id": None, "confidence": 0.97},
        {"id": "a2", "name": "<b>Gala</b> Expo 2024", "kind": "organization", "aliases": [], "titles": [],
         "roles": [], "mentions": [_span(text, "<b>Gala</b> Expo 2024")], "kb_id": None,
         "confidence": round(shown_at - 0.2, 2)},
        {"id": "a3", "name": "Friday Club", "kind": "organization", "aliases": [], "titles": [], "roles": [],
         "mentions": [], "kb_id": None},
    ]  # fmt: skip
    rec = _record(text, {"id": "web-doubt", "title": "Expo news", "outlet": "Expo Daily", "published": "2024-06-01"},
                  actors, [], [])  # fmt: skip
    with Store.open(fresh_db, create=False) as store:
        assert ingest_records(store, [rec]).errors == 0
    c = TestClient(create_app(fresh_db))
    ids = ids_by_title(c)
    html = c.get(f"/articles/{ids['Expo news']}").text
    assert not markup_problems(html)
    listed, _, folded = html.partition('<details class="doubtful-actors">')
    assert "Lena Fisk" in listed and "confidence 0.97" in listed and "Friday Club" in listed
    assert "1 less certain actor" in folded and f"confidence {shown_at - 0.2:.2f}" in folded
    assert "&lt;b&gt;Gala&lt;/b&gt; Expo 2024" in folded and "<b>Gala</b>" not in html
    assert '<h2 id="h-actors">Actors <span class="count">2</span>' in html


def test_article_page_lists_likely_quotes_and_folds_away_the_rest(fresh_db: str) -> None:
    """A quote under the quote model's shown_at is shown in a closed <details>, with its confidence, its words
    escaped; the count in the heading is of the quotes listed."""
    from presslens.record.quote_confidence import QuoteConfidence
    from presslens.store import Store
    from presslens.store.ingest import ingest_records
    from test_web_corpus import _record, _span

    text = "Budget news\n\nLena Fisk said the budget would pass. He said <i>nothing</i> would change.\n"
    shown_at = QuoteConfidence.load().shown_at
    actors = [{"id": "a1", "name": "Lena Fisk", "kind": "person", "aliases": [], "titles": [], "roles": [],
               "mentions": [_span(text, "Lena Fisk")], "kb_id": None, "confidence": 0.97}]  # fmt: skip
    quotes = [
        {"id": "q1", "kind": "indirect", "content": [_span(text, "the budget would pass")],
         "cue": [_span(text, "said")], "speaker": {"span": _span(text, "Lena Fisk"), "actor": "a1",
         "name": "Lena Fisk"}, "confidence": 0.96},
        {"id": "q2", "kind": "indirect", "content": [_span(text, "<i>nothing</i> would change")],
         "cue": [_span(text, "said", 40)], "speaker": {"span": _span(text, "He"), "actor": None, "name": None},
         "confidence": round(shown_at - 0.3, 2)},
    ]  # fmt: skip
    rec = _record(text, {"id": "web-unsure", "title": "Budget news", "outlet": "Budget Daily",
                         "published": "2024-06-02"}, actors, quotes, [])  # fmt: skip
    with Store.open(fresh_db, create=False) as store:
        assert ingest_records(store, [rec]).errors == 0
    c = TestClient(create_app(fresh_db))
    html = c.get(f"/articles/{ids_by_title(c)['Budget news']}").text
    assert not markup_problems(html)
    side = html.split('<section aria-labelledby="h-quotes">')[1].split("</section>")[0]
    listed, _, folded = side.partition('<details class="doubtful-quotes">')
    assert "the budget would pass" in listed and "confidence 0.96" in listed and "would change" not in listed
    assert "1 less certain quote" in folded and f"confidence {shown_at - 0.3:.2f}" in folded
    assert "&lt;i&gt;nothing&lt;/i&gt; would change" in folded and "<i>nothing</i>" not in html
    assert '<h2 id="h-quotes">Quotes <span class="count">1</span>' in html
