"""The store keeps each actor's ``confidence`` (migration 0006), and the web app's actor index leaves out names
that are most likely no actor unless asked (``doubtful=include|only``). On SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from presslens.record import pipeline
from presslens.record.actor_confidence import ActorConfidence, score_actors
from presslens.store import Store
from presslens.store.db import downgrade, make_engine, upgrade
from presslens.store.ingest import ingest_records
from presslens.store.models import JSONType
from presslens.web import create_app
from test_store import db_url, pg_admin  # noqa: F401  (fixtures: SQLite and PostgreSQL)
from test_store_negated import insert_article

TEXT = (
    "Stadium deal signed\n\n"
    "Mayor Ruth Okafor said on Monday that the city had signed the stadium deal with Halvorsen Group.\n"
    "“It is a good day for Springfield,” Okafor said. The Winter Lights Festival 2025 will be held there.\n"
)


@pytest.fixture(scope="module")
def record() -> dict:
    rec = pipeline.analyze(TEXT, outlet="Example News", published="2026-11-30")
    s = TEXT.index("Winter Lights Festival 2025")
    rec["actors"].append({"id": f"a{len(rec['actors']) + 1}", "name": "Winter Lights Festival 2025",
                          "kind": "organization", "aliases": [], "titles": [], "roles": [],
                          "mentions": [[s, s + len("Winter Lights Festival 2025")]], "kb_id": None})  # fmt: skip
    return score_actors(rec)


def test_the_index_leaves_out_doubtful_names_unless_asked(db_url: str, record: dict) -> None:  # noqa: F811
    shown_at = ActorConfidence.load().shown_at
    doubtful = {a["name"] for a in record["actors"] if a["confidence"] < shown_at}
    sure = {a["name"] for a in record["actors"] if a["confidence"] >= shown_at}
    assert doubtful == {"Winter Lights Festival 2025"} and "Ruth Okafor" in sure
    with Store.open(db_url) as store:
        assert ingest_records(store, [record]).errors == 0
        with store.engine.connect() as conn:
            stored = dict(conn.execute(sa.text("SELECT name, confidence FROM actors")).all())
    assert stored == {a["name"]: pytest.approx(a["confidence"]) for a in record["actors"]}
    c = TestClient(create_app(db_url))

    def names(**params: str) -> set[str]:
        return {r["name"] for r in c.get("/api/actors", params={"limit": "100", **params}).json()["items"]}

    assert names() == sure
    assert names(doubtful="include") == sure | doubtful
    assert names(doubtful="only") == doubtful
    html = c.get("/actors", params={"doubtful": "only"}).text
    assert "Winter Lights Festival 2025" in html and "Ruth Okafor" not in html
    assert "Winter Lights Festival 2025" not in c.get("/actors").text
    rows = c.get("/actors", params={"doubtful": "include", "format": "json"}).json()
    assert {r["name"]: r["confidence"] for r in rows}["Ruth Okafor"] >= shown_at


def test_migration_copies_the_confidence_of_actors_stored_before_it(db_url: str, record: dict) -> None:  # noqa: F811
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0005")
        actors = sa.table("actors", *(sa.column(c) for c in ("article_id", "actor_id", "name", "kind")),
                          *(sa.column(c, JSONType) for c in ("titles", "roles", "aliases", "mentions")))  # fmt: skip
        older = json.loads(json.dumps(record))
        del older["actors"][0]["confidence"]  # a record written before the field: its actor stays null
        with engine.begin() as conn:
            insert_article(conn, "deal", older)
            conn.execute(
                sa.insert(actors),
                [{"article_id": 1, "actor_id": a["id"], "name": a["name"], "kind": a["kind"], "titles": [],
                  "roles": [], "aliases": [], "mentions": []} for a in record["actors"]],  # fmt: skip
            )
        upgrade(engine)
        with engine.connect() as conn:
            got = dict(conn.execute(sa.text("SELECT actor_id, confidence FROM actors")).all())
        want = {a["id"]: a.get("confidence") for a in older["actors"]}
        assert got == {k: (pytest.approx(v) if v is not None else None) for k, v in want.items()}
        assert got[older["actors"][0]["id"]] is None
        downgrade(engine, "0005")
        with engine.connect() as conn:
            assert "confidence" not in {c["name"] for c in sa.inspect(conn).get_columns("actors")}
    finally:
        engine.dispose()
