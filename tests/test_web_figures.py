"""The newsroom's figures, claims and relations (presslens.web): the article page marks them up with their
sources, the figures page (and its JSON twin) groups them by speaker and by what they count, the actor page lists
relations and the ones outlets state differently side by side, the network draws typed relations over a
fainter co-occurrence layer; technique names are readable and shown as "possible" with a score. Hostile names,
counts and evidence are escaped everywhere.

The store holds the hand-written records of tests/test_store_figures.py (the seed article with Milstein's
figures, another outlet's article, a record without the new lists, a hostile one).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from presslens.store import Store
from presslens.store.ingest import ingest_records
from presslens.techniques.names import LABELS, TECHNIQUES, label
from presslens.web import create_app
from test_store_figures import XSS, all_records, seed_record
from test_web import markup_problems


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = tmp_path_factory.mktemp("web-figures") / "web.db"
    rec = seed_record()
    start = rec["claims"][0]["span"][0]  # "The Axis" of the first claim
    voice = {"quote": None, "actor": None}
    tech = {"technique": "Name_Calling,Labeling", "span": [start, start + 8], "score": 0.42, "voice": voice}
    rec["techniques"] = [tech]
    with Store.open(f"sqlite:///{db}") as store:
        stats = ingest_records(store, [rec, *all_records()[1:]])
        assert stats.errors == 0, stats.error_sources
    return TestClient(create_app(f"sqlite:///{db}", burst=1000, rate=100.0))


def article_id(client: TestClient, title: str) -> int:
    items = client.get("/api/articles?limit=100").json()["items"]
    return next(a["article_id"] for a in items if a["title"] == title)


def test_technique_labels_cover_every_ptc_name() -> None:
    assert set(LABELS) == set(TECHNIQUES)
    assert label("Name_Calling,Labeling") == "Name calling or labelling"
    assert all("_" not in v for v in LABELS.values())
    assert label("Some_New_Name") == "Some New Name"


def test_article_page_marks_up_figures_and_claims_with_sources(client: TestClient) -> None:
    aid = article_id(client, "Axis of Resistance remains united with Gaza fighters")
    html = client.get(f"/articles/{aid}").text
    # in the text: each figure highlighted, with who gives it
    assert re.search(r'<span class="[^"]*\bfig\b[^"]*"[^>]*title="[^"]*figure f2: given by Michael Milstein[^"]*">'
                     r"80-90,000</span>", html)
    assert "figure f1: given by Michael Milstein" in html
    # claims: check-worthy with the score, in whose voice
    assert "check-worthy 0.97 (c1): the outlet&#39;s own voice" in html
    assert re.search(r'class="[^"]*claim-low[^"]*"', html)  # the claim judged not worth checking
    side = html[html.index('id="h-fig"'):]
    assert "strength of Hamas’s military wing" in side and 'given by <a href="/actors/michael%20milstein">' in side
    assert "check-worthy</span> <span class=\"score\"" in side and "0.88" in side
    # techniques: readable, possible, with the score
    assert "possible <span class=\"badge tech tech-own\">Name calling or labelling</span>" in html
    assert "0.42" in html and "Name_Calling" not in html.replace('value="Name_Calling,Labeling"', "")
    assert "possible name calling or labelling (p 0.42): the outlet&#39;s own voice" in html
    # its JSON twin holds the same record
    rec = client.get(f"/api/articles/{aid}").json()["record"]
    assert [f["id"] for f in rec["figures"]] == ["f1", "f2"] and len(rec["claims"]) == 3


def test_article_without_the_new_lists(client: TestClient) -> None:
    html = client.get(f"/articles/{article_id(client, 'Harbour news')}").text
    assert "Tom Ellery" in html and 'id="h-fig"' in html
    side = html[html.index('id="h-fig"'):]
    assert "None recorded." in side


def test_figures_page_and_its_json_twin(client: TestClient) -> None:
    api = client.get("/api/figures").json()
    assert api["total"] == 4
    assert api["by_speaker"][0] == {"speaker_key": "michael milstein", "speaker_name": "Michael Milstein",
                                    "figures": 2, "outlets": 1}
    counts = {r["counts_key"]: r for r in api["by_counts"]}
    assert counts["members"]["lowest"] == 80000 and counts["members"]["highest"] == 90000
    assert [i["text"] for i in client.get("/api/figures", params={"counts": "members"}).json()["items"]] == [
        "80-90,000", "about 2,000"]
    by_speaker = client.get("/api/figures", params={"speaker": "Milstein"}).json()
    assert {i["figure_id"] for i in by_speaker["items"]} == {"f1", "f2"}
    assert by_speaker["filters"]["speaker"] == "Milstein"
    dated = client.get("/api/figures", params={"since": "2021-01-01", "outlet": "tehran times"}).json()
    assert dated["total"] == 2
    assert client.get("/api/figures", params={"since": "soon"}).status_code == 422
    page = client.get("/api/figures", params={"limit": 1}).json()
    assert len(page["items"]) == 1 and page["next"] == "/api/figures?limit=1&offset=1"

    html = client.get("/figures?counts=members").text
    assert "<h1>Figures</h1>" in html and "80-90,000" in html and "25,000-plus" not in html.split('id="h-figures"')[1]
    assert 'href="/actors/michael%20milstein"' in html and "the outlet's own voice" in html
    rows = list(csv.DictReader(io.StringIO(client.get("/figures?format=csv").text)))
    assert len(rows) == 4 and {"text", "counts", "speaker_name", "outlet"} <= set(rows[0])
    assert len(client.get("/figures?format=json").json()) == 4


def test_actor_page_lists_relations_and_conflicts_side_by_side(client: TestClient) -> None:
    api = client.get("/api/actors/quds%20force").json()
    rel = api["relations"]
    assert rel["total"] == 3
    assert [(r["outlet"], r["subject_name"], r["relation"]) for r in rel["items"]][:1] == [
        ("Beirut Daily", "Qassem Soleimani", "leads")
    ]
    leads = [c for c in rel["conflicts"] if c["relation"] == "leads"]
    assert len(leads) == 1 and leads[0]["across_outlets"]
    assert [(v["name"], v["outlets"]) for v in leads[0]["versions"]] == [
        ("Ismail Qaani", ["Tehran Times"]),
        ("Qassem Soleimani", ["Beirut Daily"]),
    ]
    iran = client.get("/api/actors/iran").json()["relations"]
    denied = [c for c in iran["conflicts"] if c["kind"] == "denied"]
    assert len(denied) == 1 and [v["says"] for v in denied[0]["versions"]] == ["states it", "denies it"]
    assert denied[0]["versions"][1]["statements"][0]["voice"] == "quoted"

    html = client.get("/actors/quds%20force").text
    assert "Stated differently" in html and "Who leads" in html
    block = html[html.index('class="side-by-side"'):]
    assert block.index("Ismail Qaani") < block.index("Qassem Soleimani")
    assert "<q>the commander of the Quds Force</q>" in html and "outlet's own voice" in html
    html = client.get("/actors/iran").text
    assert "<strong>not</strong> is a member of" in html and "quoted: <a href=\"/actors/the%20ministry\">" in html
    # the outlet filter narrows the list
    only = client.get("/api/actors/quds%20force", params={"outlet": "Tehran Times"}).json()["relations"]
    assert {r["outlet"] for r in only["items"]} == {"Tehran Times"}


def test_network_draws_typed_relations_over_cooccurrence(client: TestClient) -> None:
    net = client.get("/api/network").json()
    typed = {(e["source"], e["target"], e["type"]) for e in net["edges"] if e["layer"] == "relation"}
    assert ("ismail qaani", "quds force", "command") in typed
    assert ("israel", "hamas", "hostility") in typed
    assert ("hamas", "iran", "alliance") in typed  # undirected: ends sorted
    assert ("izzedine al-qassam brigades", "hamas", "membership") in typed
    assert not any(e["source"] == "iran" and e["target"] == "axis of resistance" and e["layer"] == "relation"
                   and e["weight"] > 1 for e in net["edges"])  # the denial does not count
    layers = {e["layer"] for e in net["edges"]}
    assert layers <= {"relation", "cooccurrence"} and "relation" in layers
    edge = next(e for e in net["edges"] if e["type"] == "command")
    assert edge["relations"] == ["leads"]
    by_outlet = client.get("/api/network", params={"outlet": "Beirut Daily"}).json()
    assert {e["type"] for e in by_outlet["edges"] if e["layer"] == "relation"} == {"command", "alliance", "hostility"}
    assert client.get("/api/network", params={"until": "2019-12-31"}).json()["edges"] == []
    html = client.get("/network").text
    assert '<span class="badge rel-command">command</span> leads' in html and 'class="line hostility"' in html
    rows = list(csv.DictReader(io.StringIO(client.get("/network?format=csv").text)))
    assert {"layer", "relations", "type"} <= set(rows[0])


def test_techniques_pages_use_readable_names(client: TestClient) -> None:
    html = client.get("/techniques").text
    assert ">Name calling or labelling</a>" in html and ">Name_Calling" not in html
    assert 'value="Name_Calling,Labeling"' in client.get("/quotes").text  # the filter still sends the PTC name


@pytest.mark.parametrize(
    "path",
    [
        "/figures",
        "/figures?counts=%3Cb%3E",
        "/figures?speaker=%3Cscript%3Ex%3C/script%3E",
        "/actors/the%20%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E%20brigade",
        "/actors/evil%20%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E%20front",
        "/network",
    ],
)
def test_hostile_names_counts_and_evidence_are_escaped(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, path
    assert markup_problems(r.text) == [] and XSS not in r.text and "<b>fighters</b>" not in r.text


def test_hostile_article_page(client: TestClient) -> None:
    items = client.get("/api/articles?limit=100").json()["items"]
    aid = next(a["article_id"] for a in items if "figures" in (a["title"] or ""))
    html = client.get(f"/articles/{aid}").text
    assert markup_problems(html) == [] and XSS not in html
    assert "&lt;b&gt;fighters&lt;/b&gt;" in html and "&lt;script&gt;window.__pwned=1&lt;/script&gt; Brigade" in html
    assert client.get("/api/figures").json()["by_counts"]  # the JSON twin carries the text as data
    assert any(r["counts"] == "<b>fighters</b>" for r in client.get("/api/figures").json()["items"])


def test_every_new_route_is_listed_and_documented(client: TestClient) -> None:
    listed = {(x["method"], x["path"]) for x in client.get("/api/").json()["routes"]}
    assert ("GET", "/api/figures") in listed
    assert "/figures" in client.get("/").text  # in the navigation
    docs = client.get("/docs").text
    assert "/api/figures" in docs and "counts" in docs


def test_templates_never_mark_data_safe() -> None:
    templates = Path(__file__).resolve().parents[1] / "src/presslens/web/templates"
    for name in ("figures.html", "actor.html", "article.html", "network.html"):
        text = (templates / name).read_text()
        assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text
