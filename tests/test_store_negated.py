"""What a source did *not* say ("declined to comment", "did not reveal the crash location") is kept apart from
what it said: the record marks it ``negated: true``; the store keeps the flag (migration 0005); searches, the CLI
and the web app leave those quotes out of what someone said unless asked, and mark them when they list them.

The article is written for this test (real pipeline, no hand-made record), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from presslens.record import pipeline
from presslens.store import Store
from presslens.store.db import downgrade, make_engine, upgrade
from presslens.store.ingest import ingest_records
from presslens.store.models import JSONType
from presslens.store.search import search
from presslens.web import create_app
from test_store import db_url, pg_admin  # noqa: F401  (fixtures: SQLite and PostgreSQL)

TEXT = """Helicopter crashes near Kabul

A military helicopter crashed in Logar province on Tuesday, killing two crew members, Afghan officials said.
"The crew were returning from a routine mission," said Sediq Sediqqi, a spokesman for the interior ministry.
The Taliban claimed responsibility for shooting down the helicopter. The ministry did not reveal the crash location.
Sediqqi declined to comment on the Taliban's claim.
"""


@pytest.fixture(scope="module")
def record() -> dict:
    rec = pipeline.analyze(TEXT, url="https://news.example/crash", outlet="Example News", published="2026-11-30")
    return rec


def _said(rec: dict) -> tuple[list[dict], list[dict]]:
    quotes = rec["quotes"]
    return [q for q in quotes if not q.get("negated")], [q for q in quotes if q.get("negated")]


def test_the_record_marks_what_was_not_said(record: dict) -> None:
    said, not_said = _said(record)
    text = record["article"]["text"]
    not_said_text = {text[slice(*q["content"][0])] for q in not_said}
    assert not_said_text == {"the crash location", "to comment on the Taliban's claim"}
    assert any(q["kind"] == "direct" and q["speaker"]["name"] == "Sediq Sediqqi" for q in said)


def test_search_leaves_out_what_was_not_said_unless_asked(db_url: str, record: dict) -> None:  # noqa: F811
    said, not_said = _said(record)  # every quote, whatever its confidence (unsure="include"; see the next test)
    with Store.open(db_url) as store:
        assert ingest_records(store, [record]).loaded == 1
        default = search(store, limit=100, unsure="include")
        assert sorted(r["quote_id"] for r in default) == sorted(q["id"] for q in said)
        assert not any(r["negated"] for r in default)
        both = search(store, limit=100, negated="include", unsure="include")
        assert sorted(r["quote_id"] for r in both) == sorted(q["id"] for q in record["quotes"])
        assert {r["quote_id"] for r in both if r["negated"]} == {q["id"] for q in not_said}
        only = search(store, limit=100, negated="only", unsure="include")
        assert sorted(r["quote_id"] for r in only) == sorted(q["id"] for q in not_said)
        # "everything Sediqqi said" holds his quotation, not his declining to comment
        his = search(store, speaker="Sediq Sediqqi", limit=100, unsure="include")
        assert his and all(not r["negated"] for r in his)
        assert {r["content"] for r in search(store, speaker="Sediqqi", negated="only", unsure="include")} == {
            "to comment on the Taliban's claim"
        }
        # the article list counts statements the same way
        [art] = search(store, what="articles", unsure="include")
        assert art["quotes"] == len(said)
        with pytest.raises(ValueError, match="negated"):
            search(store, negated="maybe")


def test_low_confidence_quotes_are_left_out_of_lists_unless_asked(db_url: str, record: dict) -> None:  # noqa: F811
    """"The ministry did not reveal the crash location" (no actor for its speaker, a short content) is under the
    quote confidence's listing level: the lists leave it out by default, like the table."""
    from presslens.record.quote_confidence import quote_shown

    unsure = {q["id"] for q in record["quotes"] if not quote_shown(q)}
    assert unsure and unsure < {q["id"] for q in record["quotes"]}
    with Store.open(db_url) as store:
        assert ingest_records(store, [record]).loaded == 1
        everything = {r["quote_id"] for r in search(store, limit=100, negated="include", unsure="include")}
        assert everything == {q["id"] for q in record["quotes"]}
        default = {r["quote_id"] for r in search(store, limit=100, negated="include")}
        assert default == everything - unsure
        only = {r["quote_id"] for r in search(store, limit=100, negated="include", unsure="only")}
        assert only == unsure
        [art] = search(store, what="articles", negated="include")
        assert art["quotes"] == len(everything - unsure)
        with pytest.raises(ValueError, match="unsure"):
            search(store, unsure="maybe")


def insert_article(conn: sa.Connection, record_id: str, record: dict) -> None:
    """Article 1, holding *record*, written as an older revision of the store had it (for migration tests)."""
    articles = sa.table(
        "articles",
        *(sa.column(c) for c in ("id", "record_id", "content_hash", "text")),
        sa.column("ignored", JSONType),
        sa.column("record", JSONType),
    )
    conn.execute(sa.insert(articles), [{"id": 1, "record_id": record_id, "content_hash": "x", "ignored": [],
                                       "text": record["article"]["text"], "record": record}])  # fmt: skip


def test_migration_sets_the_flag_of_quotes_stored_before_it(db_url: str, record: dict) -> None:  # noqa: F811
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0004")
        quotes = sa.table("quotes", *(sa.column(c) for c in ("article_id", "quote_id", "kind", "content")),
                          sa.column("spans", JSONType), sa.column("cue_spans", JSONType))  # fmt: skip
        with engine.begin() as conn:
            insert_article(conn, "crash", record)
            conn.execute(
                sa.insert(quotes),
                [
                    {"article_id": 1, "quote_id": q["id"], "kind": q["kind"], "content": "", "spans": [],
                     "cue_spans": []}  # fmt: skip
                    for q in record["quotes"]
                ],
            )
        upgrade(engine)
        with engine.connect() as conn:
            flagged = set(conn.scalars(sa.text("SELECT quote_id FROM quotes WHERE negated")))
            assert conn.scalar(sa.text("SELECT count(*) FROM quotes")) == len(record["quotes"])
        assert flagged == {q["id"] for q in _said(record)[1]}
        downgrade(engine, "0004")
        with engine.connect() as conn:
            assert "negated" not in {c["name"] for c in sa.inspect(conn).get_columns("quotes")}
    finally:
        engine.dispose()


def test_cli_search_marks_them_when_asked(tmp_path: Path, record: dict) -> None:
    from presslens.cli.app import app

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with Store.open(url) as store:
        ingest_records(store, [record])
    runner = CliRunner()
    res = runner.invoke(app, ["search", "--db", url, "--format", "json", "--limit", "100"])
    assert res.exit_code == 0, res.output
    assert "crash location" not in res.stdout
    res = runner.invoke(
        app, ["search", "--db", url, "--negated", "include", "--unsure", "include", "--format", "csv", "--limit", "100"]
    )
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {r["content"] for r in rows if r["negated"] == "True"} == {
        "the crash location",
        "to comment on the Taliban's claim",
    }
    res = runner.invoke(app, ["search", "--db", url, "--negated", "include", "--limit", "100"], env={"COLUMNS": "200"})
    assert res.exit_code == 0 and "did not say" in res.stdout  # the table's column
    res = runner.invoke(app, ["search", "--db", url, "--negated", "maybe"])
    assert res.exit_code != 0


def test_web_lists_them_apart(tmp_path: Path, record: dict) -> None:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    with Store.open(url) as store:
        ingest_records(store, [record])
    client = TestClient(create_app(url, token="t", burst=1000, rate=100.0))
    page = client.get("/quotes")
    assert page.status_code == 200
    assert "crash location" not in page.text and "routine mission" in page.text
    page = client.get("/quotes?negated=include")  # its speaker unresolved, "the crash location" is less certain
    assert "crash location" not in page.text and "did not say" in page.text
    page = client.get("/quotes?negated=include&unsure=include")
    low = next(q for q in record["quotes"] if "crash location" in q["text"])
    assert "crash location" in page.text and f"confidence {low['confidence']:.2f}" in page.text
    assert client.get("/api/quotes?unsure=only&negated=include").json()["total"] == 1
    api = client.get("/api/quotes?negated=only&unsure=include").json()
    assert {i["content"] for i in api["items"]} == {"the crash location", "to comment on the Taliban's claim"}
    assert all(i["negated"] is True for i in api["items"]) and api["filters"]["negated"] == "only"
    assert client.get("/api/quotes?negated=maybe").status_code == 422
    assert client.get("/api/quotes?unsure=maybe").status_code == 422
    # the article page shows every quote of the record, those not said marked
    article_id = client.get("/api/articles").json()["items"][0]["article_id"]
    html = client.get(f"/articles/{article_id}").text
    assert html.count("did not say</span>") == 2
    assert json.dumps(client.get(f"/api/articles/{article_id}").json())  # the JSON twin still renders


def test_the_table_marks_them(record: dict) -> None:
    """Both are marked when the table lists every quote; by default it lists the one whose speaker is resolved
    ("Sediqqi declined to comment") and counts "The ministry did not reveal ..." among the less certain quotes."""
    from rich.console import Console

    from presslens.record.render import print_records, record_view

    console = Console(width=200, record=True, color_system=None)
    console.print(record_view(record, unsure_quotes=True))
    out = console.export_text()
    assert out.count("(did not say)") == 2, out
    console = Console(width=200, record=True, color_system=None)
    print_records([record], console)
    out = " ".join(console.export_text().replace("│", " ").split()).split(" Actors ")[0]  # the quotes table
    assert out.count("(did not say)") == 1 and "to comment on the Taliban" in out, out
    assert "1 less certain quote(s) not listed" in out and "the crash location" not in out, out
