"""The record keeps technique spans under the display bar (``"shown": false``); the table, the web app's article
page and the store's corpus tables show only those over it, and the stored record keeps the rest.

The record is the seed's, analysed by the real pipeline with every technique span kept (``--techniques all``),
so it holds both kinds.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from presslens.record.render import shown_techniques
from presslens.record.schema import validate
from presslens.store import Store
from presslens.store.ingest import ingest_records
from presslens.web import create_app


@pytest.fixture(scope="module")
def record(seed_text: str) -> dict:
    from presslens.record import pipeline

    pipe = pipeline.default_nlp().get_pipe("presslens_techniques")
    before = pipe.keep
    pipe.keep = "all"
    try:
        return pipeline.analyze(seed_text, source="seed.txt", outlet="Seed News")
    finally:
        pipe.keep = before


def test_the_record_says_which_techniques_are_shown(record: dict) -> None:
    validate(record)
    shown = shown_techniques(record)
    assert all(isinstance(t["shown"], bool) for t in record["techniques"])
    assert 0 < len(shown) < len(record["techniques"])
    text = record["article"]["text"]
    assert "dirty goals" in {text[slice(*t["span"])] for t in shown}
    assert shown_techniques({"techniques": [{"technique": "Doubt", "span": [0, 1]}]})  # older records: all shown


def test_the_store_counts_what_is_shown_and_keeps_the_whole_record(tmp_path: Path, record: dict) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store.open(url) as store:
        assert ingest_records(store, [record]).loaded == 1
        with store.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT technique, span FROM techniques")).all()
            stored = conn.execute(sa.text("SELECT record FROM articles")).scalar_one()
    assert len(rows) == len(shown_techniques(record))
    stored = stored if isinstance(stored, dict) else json.loads(stored)
    assert len(stored["techniques"]) == len(record["techniques"])


def test_the_article_page_lists_the_rest_apart(tmp_path: Path, record: dict) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store.open(url) as store:
        ingest_records(store, [record])
    client = TestClient(create_app(url))
    [item] = client.get("/api/articles").json()["items"]
    page = client.get(f"/articles/{item['article_id']}").text
    shown = len(shown_techniques(record))
    hidden = len(record["techniques"]) - shown
    assert f'<h2 id="h-tech">Techniques <span class="count">{shown}</span></h2>' in page
    assert f"{hidden} less certain possible techniques (kept in the record under the display bar" in page
    # the marked-up text highlights only what is shown (a highlight's title gives the label and its probability)
    from presslens.techniques.names import possible
    from presslens.web.markup import article_view

    html = str(article_view(record)["html"])
    for t in record["techniques"]:
        title = escape(possible(t["technique"], t["score"]))
        if t["shown"]:
            assert title in html
        elif not any(
            u["shown"] and possible(u["technique"], u["score"]) == possible(t["technique"], t["score"])
            for u in record["techniques"]
        ):
            assert title not in html
