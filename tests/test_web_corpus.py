"""The small store the web tests run on (tests/test_web*.py), and checks that it holds what they expect.

Self-written articles go in through the store's normal paths: a JSON Lines file through
``presslens.store.ingest.ingest`` (analysed by the presslens pipeline), and two hand-made records through
``ingest_records`` (for techniques, which the pipeline does not detect yet, and for hostile speaker names).
One article is hostile throughout: title, outlet, text, URL and speaker names carry HTML and script.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from presslens.store import Store
from presslens.store.ingest import ingest, ingest_records

XSS = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE_TITLE = f"{XSS}Harbour <b>report</b> {IMG}"
HOSTILE_OUTLET = f"{IMG}Evil Outlet"
HOSTILE_URL = "javascript:window.__pwned=1"
HOSTILE_SPEAKER = f"Evil {XSS} Speaker"

ARTICLES = [
    {
        "id": "web-1",
        "title": "Council delays the harbour bridge",
        "outlet": "Harbour Times",
        "published": "2024-03-01",
        "url": "https://harbour-times.example/2024/03/01/bridge",
        "text": "Council delays the harbour bridge\n\n"
        "The city council voted on Monday to delay the harbour bridge by a year.\n\n"
        "“We will not wait for the ministry to make up its mind,” said Jonas Berg, the mayor of Port Ellen.\n\n"
        "Ana Costa, the opposition leader, said that the delay would cost the city millions.\n\n"
        "Berg added that the council would publish the full accounts next week.\n",
    },
    {
        "id": "web-2",
        "title": "Bridge budget questioned",
        "outlet": "Harbour Times",
        "published": "2024-03-15",
        "url": "https://harbour-times.example/2024/03/15/budget",
        "text": "Bridge budget questioned\n\n"
        "Auditors raised doubts on Friday about the cost of the harbour bridge.\n\n"
        "“The numbers do not add up,” said Priya Natarajan, the chief auditor.\n\n"
        "“We have checked every figure twice,” Mayor Jonas Berg told reporters.\n",
    },
    {
        "id": "web-3",
        "title": "Opposition demands a vote on the bridge",
        "outlet": "Daily Ledger",
        "published": "2024-04-02",
        "url": "https://ledger.example/bridge-vote",
        "text": "Opposition demands a vote on the bridge\n\n"
        "“The people of this city deserve a say,” said Ana Costa, the opposition leader.\n\n"
        "Costa said that Jonas Berg had ignored the auditors for months.\n\n"
        "According to Tom Ellery, a local shop owner, the traffic has already doubled.\n",
    },
    {
        "id": "web-4",
        "title": "Ferry service resumes",
        "outlet": "Coast Herald",
        "published": "2024-05-10",
        "url": "https://coast-herald.example/ferry",
        "text": "Ferry service resumes\n\n"
        "The island ferry returned to service on Thursday after a month of repairs.\n\n"
        "“We are relieved,” said Tom Ellery, who runs a bakery near the pier.\n\n"
        "Priya Natarajan, the chief auditor, said the repairs had stayed within budget.\n",
    },
    {
        "id": "web-evil",
        "title": HOSTILE_TITLE,
        "outlet": HOSTILE_OUTLET,
        "published": "2024-05-20",
        "url": HOSTILE_URL,
        "text": f"Harbour report {XSS}\n\n"
        f"The board met on Tuesday. {IMG} The minutes were not published.\n\n"
        f"“<script>window.__pwned=1</script> is not a plan,” said Jonas Berg, the mayor of Port Ellen.\n\n"
        'Visit <a href="javascript:window.__pwned=1">this link</a> for more.\n',
    },
]


def _record(
    text: str,
    meta: dict[str, Any],
    actors: list[dict[str, Any]],
    quotes: list[dict[str, Any]],
    techniques: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "schema": "presslens/1",
        "article": {
            "id": meta["id"],
            "source": f"records/{meta['id']}",
            "title": meta["title"],
            "url": meta.get("url"),
            "outlet": meta["outlet"],
            "author": None,
            "published": meta["published"],
            "language": "en",
            "text": text,
            "ignored": meta.get("ignored", []),
        },
        "actors": actors,
        "quotes": quotes,
        "techniques": techniques,
        "presslens": {"version": "0.1.0", "model": "hand-written"},
    }


def _span(text: str, piece: str, start: int = 0) -> list[int]:
    i = text.index(piece, start)
    return [i, i + len(piece)]


def hand_records() -> list[dict[str, Any]]:
    """Two records written by hand: techniques in both voices, an ignored teaser, a hostile speaker."""
    t1 = (
        "Bridge row deepens\n\n"
        "Bridge row deepens as the mayor\n\n"
        "Bridge row deepens as the mayor digs in. The disastrous plan is a betrayal of every taxpayer.\n\n"
        "“This bridge is a monument to waste and arrogance,” said Ana Costa, the opposition leader.\n\n"
        "Jonas Berg said the bridge would bring jobs.\n"
    )
    q1 = _span(t1, "“This bridge is a monument to waste and arrogance,”")
    q2 = _span(t1, "the bridge would bring jobs")
    costa = _span(t1, "Ana Costa")
    berg = _span(t1, "Jonas Berg")
    rec1 = _record(
        t1,
        {
            "id": "hand-1",
            "title": "Bridge row deepens",
            "outlet": "Daily Ledger",
            "published": "2024-04-20",
            "url": "https://ledger.example/row",
            "ignored": [{"span": _span(t1, "Bridge row deepens as the mayor\n"), "reason": "teaser"}],
        },
        [
            {
                "id": "a1",
                "name": "Ana Costa",
                "kind": "person",
                "aliases": ["Costa"],
                "titles": [],
                "roles": [
                    {"role": "opposition leader", "organization": None, "span": _span(t1, "the opposition leader")}
                ],
                "mentions": [costa],
                "kb_id": None,
            },
            {
                "id": "a2",
                "name": "Jonas Berg",
                "kind": "person",
                "aliases": ["Berg"],
                "titles": ["Mayor"],
                "roles": [],
                "mentions": [berg, _span(t1, "the mayor")],
                "kb_id": None,
            },
        ],
        [
            {
                "id": "q1",
                "kind": "direct",
                "content": [q1],
                "cue": [_span(t1, "said")],
                "speaker": {"span": costa, "actor": "a1", "name": "Ana Costa"},
                "confidence": 0.95,
            },
            {
                "id": "q2",
                "kind": "indirect",
                "content": [q2],
                "cue": [_span(t1, "said", berg[1])],
                "speaker": {"span": berg, "actor": "a2", "name": "Jonas Berg"},
                "confidence": 0.9,
            },
        ],
        [
            {
                "technique": "Loaded_Language",
                "span": _span(t1, "disastrous"),
                "score": 0.9,
                "voice": {"quote": None, "actor": None},
            },
            {
                "technique": "Name_Calling,Labeling",
                "span": _span(t1, "a betrayal of every taxpayer"),
                "score": 0.7,
                "voice": {"quote": None, "actor": None},
            },
            {
                "technique": "Loaded_Language",
                "span": _span(t1, "a monument to waste and arrogance"),
                "score": 0.8,
                "voice": {"quote": "q1", "actor": "a1"},
            },
        ],
    )
    t2 = (
        "Who speaks for the harbour?\n\n"
        f"“The harbour belongs to all of us {IMG},” said {HOSTILE_SPEAKER}, a {XSS} spokesman.\n\n"
        "Jonas Berg declined to comment.\n"
    )
    evil = _span(t2, HOSTILE_SPEAKER)
    q = _span(t2, f"“The harbour belongs to all of us {IMG},”")
    rec2 = _record(
        t2,
        {
            "id": "hand-evil",
            "title": f"Who speaks {XSS}?",
            "outlet": HOSTILE_OUTLET,
            "published": "2024-05-21",
            "url": "data:text/html,<script>window.__pwned=1</script>",
        },
        [
            {
                "id": "a1",
                "name": HOSTILE_SPEAKER,
                "kind": "person",
                "aliases": [],
                "titles": [IMG],
                "roles": [{"role": f"{XSS} spokesman", "organization": IMG, "span": _span(t2, f"a {XSS} spokesman")}],
                "mentions": [evil],
                "kb_id": None,
            },
            {
                "id": "a2",
                "name": "Jonas Berg",
                "kind": "person",
                "aliases": ["Berg"],
                "titles": [],
                "roles": [],
                "mentions": [_span(t2, "Jonas Berg")],
                "kb_id": None,
            },
        ],
        [
            {
                "id": "q1",
                "kind": "direct",
                "content": [q],
                "cue": [_span(t2, "said")],
                "speaker": {"span": evil, "actor": "a1", "name": HOSTILE_SPEAKER},
                "confidence": 0.9,
            },
        ],
        [
            {
                "technique": f"Slogans{XSS}",
                "span": _span(t2, "belongs to all of us"),
                "score": 0.5,
                "voice": {"quote": "q1", "actor": "a1"},
            },
        ],
    )
    return [rec1, rec2]


def build_store(directory: Path, url: str | None = None) -> str:
    """A store holding the articles above (in ``directory``, or at ``url``); its URL."""
    directory.mkdir(parents=True, exist_ok=True)
    inputs = directory / "articles.jsonl"
    inputs.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    url = url or f"sqlite:///{directory / 'web.db'}"
    with Store.open(url) as store:
        stats = ingest(store, [str(inputs)])
        assert stats.errors == 0, stats.error_sources
        stats = ingest_records(store, hand_records())
        assert stats.errors == 0, stats.error_sources
    return url


def test_the_corpus_is_stored_with_its_markup_intact(tmp_path: Path) -> None:
    from sqlalchemy import select

    from presslens.store.models import Article, Quote

    url = build_store(tmp_path)
    with Store.open(url, create=False) as store, store.engine.connect() as conn:
        titles = set(conn.scalars(select(Article.title)))
        speakers = set(conn.scalars(select(Quote.speaker_name)))
    assert HOSTILE_TITLE in titles and len(titles) == len(ARTICLES) + 2
    assert HOSTILE_SPEAKER in speakers and "Jonas Berg" in speakers
