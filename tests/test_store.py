"""The store (presslens.store): migrations, idempotent ingest, identity, errors, near-duplicates, search,
export and the store commands, on SQLite and on PostgreSQL.

PostgreSQL: $PRESSLENS_TEST_PG (default postgresql+psycopg://postgres@127.0.0.1:5432/test). Each test gets
a fresh schema there (dropped afterwards), so the tests never touch other tables of that database. Where the
server cannot be reached, the PostgreSQL cases are skipped with the reason.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import uuid
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

import presslens.record.pipeline as pipeline
from presslens.store import Store, content_hash
from presslens.store.db import current_revision, downgrade, head_revision, upgrade
from presslens.store.ingest import ingest, ingest_records
from presslens.store.models import Article, Base, Error, Quote
from presslens.store.search import fts5_query, search

PG_URL = os.environ.get("PRESSLENS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

# --------------------------------------------------------------------------------------------- corpus

PEOPLE = [
    "Jonas Berg",
    "Ana Costa",
    "Priya Natarajan",
    "Tom Ellery",
    "Helen Achterberg",
    "Marek Novak",
    "Lucia Ferreira",
    "Omar Haddad",
    "Ingrid Solberg",
    "Kwame Mensah",
]
ROLES = ["the finance minister", "the opposition leader", "a senior engineer", "the harbour master"]
NOUNS = "harbour budget bridge railway school hospital tax ferry council market pipeline airport farm museum".split()
NOUNS += "library factory reservoir tunnel stadium clinic".split()
VERBS = "delay expand review close fund rebuild inspect sell protect audit".split()
ADJ = "new old costly regional national temporary delayed public private disputed".split()


def _sentence(r: random.Random) -> str:
    return (
        f"The {r.choice(ADJ)} {r.choice(NOUNS)} board will {r.choice(VERBS)} the {r.choice(ADJ)} "
        f"{r.choice(NOUNS)} before the {r.choice(NOUNS)} {r.choice(NOUNS)} opens in {r.randint(2020, 2030)}."
    )


def article(i: int, paragraphs: int = 2) -> str:
    """A small self-written article: a headline, filler, a direct quote by a named person, an indirect one."""
    r = random.Random(i)
    who, role, noun = PEOPLE[i % len(PEOPLE)], ROLES[i % len(ROLES)], NOUNS[i % len(NOUNS)]
    paras = [f"{noun.title()} plan {i} faces a vote", " ".join(_sentence(r) for _ in range(3))]
    paras.append(f"“We will {r.choice(VERBS)} the {noun} and we will not wait,” said {who}, {role}.")
    paras += [" ".join(_sentence(r) for _ in range(3)) for _ in range(paragraphs - 1)]
    paras.append(f"{who.split()[1]} added that the {r.choice(NOUNS)} would {r.choice(VERBS)} the {noun} next year.")
    return "\n\n".join(paras) + "\n"


def write_corpus(d: Path, n: int, start: int = 0) -> list[Path]:
    d.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        p = d / f"a{i:03d}.txt"
        p.write_text(article(i), encoding="utf-8")
        paths.append(p)
    return paths


def jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------- stores


@pytest.fixture(scope="session")
def pg_admin() -> sa.Engine:
    engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:
        engine.dispose()
        if os.environ.get("PRESSLENS_REQUIRE_PG"):  # CI: the PostgreSQL half of the store tests must run
            pytest.fail(f"PostgreSQL not reachable at {PG_URL} ({type(exc).__name__}) and PRESSLENS_REQUIRE_PG is set")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} ({type(exc).__name__}); set PRESSLENS_TEST_PG")
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    admin: sa.Engine = request.getfixturevalue("pg_admin")
    schema = f"presslens_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def store(db_url: str) -> Store:
    s = Store.open(db_url)
    yield s
    s.close()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text that goes to analysis (presslens.record.pipeline.analyze_many), in order."""
    texts: list[str] = []
    real = pipeline.analyze_many

    def analyze_many(items, *args, **kwargs):  # noqa: ANN001, ANN202
        def seen():  # noqa: ANN202
            for item in items:
                if hasattr(item, "text"):
                    texts.append(item.text)
                yield item

        return real(seen(), *args, **kwargs)

    monkeypatch.setattr(pipeline, "analyze_many", analyze_many)
    return texts


def counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            t: conn.scalar(sa.text(f"SELECT count(*) FROM {t}"))
            for t in ("articles", "actors", "quotes", "techniques", "errors", "signatures", "actor_names")
        }


def rows(store: Store, sql: str, **params: Any) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(sa.text(sql), params))


# --------------------------------------------------------------------------------------------- migrations


def test_migrations_upgrade_from_empty_and_are_at_head(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from presslens.store.db import make_engine

    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        downgrade(engine)  # downgrades work too, and a second upgrade starts from nothing again
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()

        def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
            # full text search is dialect-specific and lives in migration 0002 only: the FTS5 tables (and
            # their shadow tables) on SQLite, the GIN tsvector indexes on PostgreSQL
            return not (name is not None and ("_fts" in name or name.endswith("_tsv")))

        with engine.connect() as conn, warnings.catch_warnings():
            # Alembic cannot compare expression indexes (lower(outlet)) and says so
            warnings.filterwarnings("ignore", message=".*expression.*")
            ctx = MigrationContext.configure(conn, opts={"include_object": include, "compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        full_text = (
            rows(Store(db_url, engine), "SELECT name FROM sqlite_master WHERE name = 'quotes_fts'")
            if engine.dialect.name == "sqlite"
            else rows(
                Store(db_url, engine),
                "SELECT indexname FROM pg_indexes"
                " WHERE indexname = 'ix_quotes_content_tsv' AND schemaname = current_schema()",
            )
        )
        assert len(full_text) == 1
    finally:
        engine.dispose()


def test_sqlite_store_uses_wal(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'wal.db'}") as s, s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


# --------------------------------------------------------------------------------------------- ingest


def test_reingest_is_idempotent_and_analyses_nothing(store: Store, tmp_path: Path, spy: list[str]) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 6)
    stats = ingest(store, [str(corpus)], batch_size=4)
    assert (stats.analysed, stats.known, stats.errors) == (6, 0, 0)
    assert len(spy) == 6
    before = counts(store)
    assert before["articles"] == 6 and before["quotes"] >= 6 and before["actors"] >= 6
    ids_before = rows(store, "SELECT id, content_hash, near_dup_group FROM articles ORDER BY id")

    spy.clear()
    again = ingest(store, [str(corpus)], batch_size=4)
    assert (again.analysed, again.known, again.errors) == (0, 6, 0)
    assert spy == []  # nothing went to analysis
    assert counts(store) == before
    assert rows(store, "SELECT id, content_hash, near_dup_group FROM articles ORDER BY id") == ids_before
    # every article is its own near-duplicate group here
    assert all(r.id == r.near_dup_group for r in ids_before)


def test_reanalyze_replaces_rows(store: Store, tmp_path: Path, spy: list[str]) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 3)
    ingest(store, [str(corpus)])
    before = counts(store)
    old = rows(store, "SELECT id, analysed_at FROM articles ORDER BY id")
    old_quotes = {r.id for r in rows(store, "SELECT id FROM quotes")}
    spy.clear()
    stats = ingest(store, [str(corpus)], reanalyze=True)
    assert (stats.analysed, stats.replaced, stats.known) == (3, 3, 0)
    assert len(spy) == 3
    assert counts(store) == before
    new = rows(store, "SELECT id, analysed_at FROM articles ORDER BY id")
    assert [r.id for r in new] == [r.id for r in old]  # the same articles, analysed again
    assert all(n.analysed_at >= o.analysed_at for n, o in zip(new, old, strict=True))
    assert not old_quotes & {r.id for r in rows(store, "SELECT id FROM quotes")}  # quote rows replaced


def test_reanalyze_analyses_a_syndicated_text_once(store: Store, tmp_path: Path, spy: list[str]) -> None:
    text = article(45)
    first = jsonl(tmp_path / "a.jsonl", [{"text": text, "url": "https://one.example/x"}])
    second = jsonl(tmp_path / "b.jsonl", [{"text": text, "url": "https://two.example/x"}])
    ingest(store, [str(first)])
    ingest(store, [str(second)])
    assert len(spy) == 1
    before = max(r.analysed_at for r in rows(store, "SELECT analysed_at FROM articles"))
    spy.clear()
    stats = ingest(store, [str(second), str(first)], reanalyze=True)  # the copy comes first this time
    assert (stats.analysed, stats.copied, stats.replaced) == (1, 1, 2)
    assert spy == [text]
    after = rows(store, "SELECT analysed_at FROM articles")
    assert len(after) == 2 and all(r.analysed_at > before for r in after)  # both carry the new analysis


def test_identity_by_url_else_by_content_hash(store: Store, tmp_path: Path, spy: list[str]) -> None:
    a, b, c = article(40), article(41), article(42)
    feed = jsonl(
        tmp_path / "feed.jsonl",
        [
            {"id": "x1", "text": a, "outlet": "Wire"},  # known by its text ...
            {"id": "x2", "text": a, "outlet": "Other"},  # ... so this one is the same article
            {"text": b, "url": "https://one.example/b"},
            {"text": b + "\nUpdated.\n", "url": "https://one.example/b"},  # same URL: the same article
            {"text": c, "url": "https://one.example/c"},
            {"text": c, "url": "https://two.example/c", "outlet": "Two"},  # same text, new URL: a copy
        ],
    )
    stats = ingest(store, [str(feed)])
    assert (stats.analysed, stats.copied, stats.known, stats.errors) == (3, 1, 2, 0)
    assert sorted(spy) == sorted([a, b, c])  # each text analysed once
    arts = rows(store, "SELECT id, url, outlet, content_hash, near_dup_group FROM articles ORDER BY id")
    assert len(arts) == 4
    assert sum(1 for r in arts if r.content_hash == content_hash(a)) == 1
    copies = [r for r in arts if r.content_hash == content_hash(c)]
    assert {r.url for r in copies} == {"https://one.example/c", "https://two.example/c"}
    assert copies[0].near_dup_group == copies[1].near_dup_group == copies[0].id
    n_quotes = [rows(store, "SELECT count(*) AS n FROM quotes WHERE article_id = :i", i=r.id)[0].n for r in copies]
    assert n_quotes[0] == n_quotes[1] > 0  # the copy carries the stored analysis
    two = rows(store, "SELECT outlet, record FROM articles WHERE url = 'https://two.example/c'")[0]
    rec = two.record if isinstance(two.record, dict) else json.loads(two.record)
    assert two.outlet == "Two" and rec["article"]["outlet"] == "Two" and rec["article"]["url"].startswith("https://two")

    spy.clear()
    again = ingest(store, [str(feed)])
    assert (again.analysed, again.copied, again.known) == (0, 0, 6) and spy == []
    assert len(rows(store, "SELECT id FROM articles")) == 4


def test_bad_inputs_become_error_rows_and_the_batch_goes_on(store: Store, tmp_path: Path) -> None:
    first = tmp_path / "first"
    write_corpus(first, 2)
    ingest(store, [str(first)])
    stored = rows(store, "SELECT id, content_hash FROM articles ORDER BY id")

    batch = tmp_path / "batch"
    write_corpus(batch, 3, start=10)
    (batch / "empty.txt").write_bytes(b"")
    (batch / "binary.txt").write_bytes(bytes(range(256)) * 40)
    broken = jsonl(batch / "feed.jsonl", [{"text": article(20), "id": "ok"}])
    broken.write_text(broken.read_text() + '{"text": "cut off\n', encoding="utf-8")
    missing = str(tmp_path / "nope.txt")
    stats = ingest(store, [str(batch), missing, str(first)])
    assert stats.analysed == 4 and stats.known == 2
    assert stats.errors == 4
    errs = {r.source: r.kind for r in rows(store, "SELECT source, kind FROM errors")}
    assert errs == {
        str(batch / "binary.txt"): "binary",
        str(batch / "empty.txt"): "empty",
        f"{broken}:2": "json",
        missing: "not_found",
    }
    # nothing stored before is lost, the good inputs of the batch are stored
    assert rows(store, "SELECT id, content_hash FROM articles ORDER BY id")[:2] == stored
    assert counts(store)["articles"] == 6

    # a failing input retried fails again: still one row for it; fixed, it is stored and its error goes
    (batch / "empty.txt").write_text(article(30), encoding="utf-8")
    again = ingest(store, [str(batch), missing])
    assert again.analysed == 1 and again.errors == 3
    errs = {r.source: r.kind for r in rows(store, "SELECT source, kind FROM errors")}
    assert str(batch / "empty.txt") not in errs
    assert len(errs) == 3 and counts(store)["errors"] == 3
    assert counts(store)["articles"] == 7


def test_near_duplicates_group_across_runs(store: Store, tmp_path: Path) -> None:
    original = article(50, paragraphs=4)
    edited = original.replace("faces a vote", "faces a final vote", 1).replace(" will ", " shall ", 1)
    assert edited != original
    ingest(store, [str(jsonl(tmp_path / "one.jsonl", [{"text": original, "url": "https://a.example/1"}]))])
    feed = jsonl(
        tmp_path / "two.jsonl",
        [
            {"text": edited, "url": "https://b.example/1", "outlet": "Copycat"},  # syndicated, lightly edited
            {"text": article(51, paragraphs=4), "url": "https://a.example/2"},  # a different article
        ],
    )
    ingest(store, [str(feed)])
    groups = {r.url: (r.id, r.near_dup_group) for r in rows(store, "SELECT id, url, near_dup_group FROM articles")}
    first_id = groups["https://a.example/1"][0]
    assert groups["https://a.example/1"][1] == first_id
    assert groups["https://b.example/1"][1] == first_id  # grouped with the first member
    assert groups["https://a.example/2"][1] == groups["https://a.example/2"][0]  # its own group
    # counts with and without near-duplicates
    assert len(search(store, what="articles", limit=10)) == 3
    assert len(search(store, what="articles", limit=10, dedup=True)) == 2
    speaker = PEOPLE[50 % len(PEOPLE)]
    with_dups = search(store, speaker=speaker, kind=["direct"])
    without = search(store, speaker=speaker, kind=["direct"], dedup=True)
    assert len(with_dups) == 2 and len(without) == 1 and without[0]["article_id"] == first_id


# --------------------------------------------------------------------------------------------- search


@pytest.fixture
def searchable(store: Store, tmp_path: Path) -> Store:
    docs = []
    for i in range(8):
        docs.append(
            {
                "id": f"s{i}",
                "text": article(100 + i),
                "url": f"https://news.example/{i}",
                "outlet": "North Times" if i % 2 else "South Post",
                "published": f"2024-0{1 + i % 4}-1{i}",
            }
        )
    ingest(store, [str(jsonl(tmp_path / "search.jsonl", docs))])
    return store


def test_search_text_speaker_and_filters(searchable: Store) -> None:
    s = searchable
    everything = search(s, limit=1000)
    assert len(everything) == counts(s)["quotes"]
    # speaker by full name (any case), by alias (surname), unknown
    berg = PEOPLE[100 % len(PEOPLE)]  # "Jonas Berg": articles 100
    by_name = search(s, speaker=berg.upper())
    assert by_name and all(r["speaker"] == berg for r in by_name)
    by_alias = search(s, speaker=berg.split()[1])
    assert {r["article_id"] for r in by_alias} == {r["article_id"] for r in by_name}
    assert search(s, speaker="Nobody Atall") == []
    # full text: words, stemming, phrase, exclusion
    r = search(s, text="wait")  # every direct quote says "we will not wait"
    assert len(r) == 8 and all("wait" in x["content"] for x in r)
    assert len(search(s, text="waiting")) == 8  # stemmed
    assert len(search(s, text='"will not wait"')) == 8
    assert len(search(s, text='"next year"')) == 8  # every indirect quote ends "... next year"
    assert search(s, text='"year next"') == []
    assert len(search(s, text="wait -harbour")) == sum(1 for x in r if "harbour" not in x["content"].lower())
    # outlet, dates, kind, limit
    north = search(s, outlet=["north times"], limit=1000)
    assert north and all(x["outlet"] == "North Times" for x in north)
    since = search(s, since=date(2024, 3, 1), limit=1000)
    assert since and all(x["published"] >= "2024-03-01" for x in since)
    window = search(
        s,
        since=date(2024, 2, 1),
        until=date(2024, 2, 28),
        limit=1000,
    )
    assert window and all(x["published"].startswith("2024-02") for x in window)
    assert all(x["kind"] == "direct" for x in search(s, kind=["direct"], limit=1000))
    assert len(search(s, limit=3)) == 3
    combined = search(s, text="wait", outlet=["South Post"], kind=["direct"])
    assert combined and all(x["outlet"] == "South Post" for x in combined)
    # articles
    arts = search(s, text="vote", what="articles", limit=100)
    assert len(arts) == 8 and all(a["quotes"] >= 1 for a in arts)
    assert search(s, text="zzzzunseen", what="articles") == []
    # input that is not FTS syntax is searched as words, never an error
    for odd in ['"', "AND OR NOT", "content:wait", "wait*", "(", "-", "NEAR(a b)", "''", "\\"]:
        search(s, text=odd)


def test_search_technique_filter(store: Store) -> None:
    rec = pipeline.analyze(article(200), url="https://t.example/1", outlet="T")
    assert rec["quotes"]
    q = rec["quotes"][0]
    rec["techniques"] = [
        {
            "technique": "Loaded_Language",
            "span": q["content"][0],
            "score": 0.9,
            "voice": {"quote": q["id"], "actor": None},
        }
    ]
    stats = ingest_records(store, [rec])
    assert stats.loaded == 1
    hits = search(store, technique=["Loaded_Language"])
    assert [h["quote_id"] for h in hits] == [q["id"]]
    assert search(store, technique=["Doubt"]) == []
    t = rows(store, "SELECT technique, voice_quote, text FROM techniques")[0]
    assert t.voice_quote == q["id"] and t.text == rec["article"]["text"][slice(*q["content"][0])]
    assert len(search(store, technique=["Loaded_Language"], what="articles")) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wait", '"wait"'),
        ("Wait for it", '"Wait" AND "for" AND "it"'),
        ('"not wait" now', '"not wait" AND "now"'),
        ("a OR b c", '("a" OR "b") AND "c"'),
        ("a -b", '"a" NOT "b"'),
        ('col:umn "x', '"col umn" AND "x"'),  # a hyphenated or punctuated word is a phrase
        ("-only", None),
        ("***", None),
    ],
)
def test_fts5_query(text: str, expected: str | None) -> None:
    assert fts5_query(text) == expected


# --------------------------------------------------------------------------------------------- export


def test_export_three_formats_and_records_round_trip(searchable: Store, tmp_path: Path, spy: list[str]) -> None:
    import pyarrow.parquet as pq

    from presslens.store.export import export

    n_quotes = counts(searchable)["quotes"]
    for what, n in (("articles", 8), ("quotes", n_quotes), ("actors", counts(searchable)["actors"])):
        out_csv, out_jsonl, out_pq = (tmp_path / f"{what}.{ext}" for ext in ("csv", "jsonl", "parquet"))
        assert export(searchable, what, "csv", str(out_csv)) == n
        assert export(searchable, what, "jsonl", str(out_jsonl)) == n
        assert export(searchable, what, "parquet", str(out_pq)) == n
        with open(out_csv, encoding="utf-8", newline="") as fh:
            from_csv = list(csv.DictReader(fh))
        from_jsonl = [json.loads(line) for line in out_jsonl.read_text(encoding="utf-8").splitlines()]
        from_pq = pq.read_table(out_pq).to_pylist()
        assert len(from_csv) == len(from_jsonl) == len(from_pq) == n
        assert [str(r["id"]) for r in from_csv] == [str(r["id"]) for r in from_jsonl] == [str(r["id"]) for r in from_pq]
        if what == "quotes":
            assert {"content", "speaker_name", "kind", "outlet", "published", "url"} <= set(from_pq[0])
            assert (
                isinstance(from_jsonl[0]["spans"], list) and json.loads(from_csv[0]["spans"]) == from_jsonl[0]["spans"]
            )
    # the pipeline now detects techniques: both formats export the same rows
    n_techniques = export(searchable, "techniques", "jsonl", str(tmp_path / "t.jsonl"))
    assert export(searchable, "techniques", "parquet", str(tmp_path / "t.parquet")) == n_techniques

    # records: JSON Lines as presslens analyze prints them; Parquet shards that ingest loads without analysis
    from presslens.record.schema import validate

    recs = tmp_path / "records.jsonl"
    assert export(searchable, "records", "jsonl", str(recs)) == 8
    for line in recs.read_text(encoding="utf-8").splitlines():
        validate(json.loads(line))
    shard = tmp_path / "shards" / "records.parquet"
    shard.parent.mkdir()
    assert export(searchable, "records", "parquet", str(shard)) == 8
    extra = article(400)
    (shard.parent / "new.txt").write_text(extra, encoding="utf-8")  # a directory may mix shards and articles
    spy.clear()
    with Store.open(f"sqlite:///{tmp_path / 'copy.db'}") as other:
        stats = ingest(other, [str(shard.parent)])
        assert (stats.loaded, stats.analysed, stats.errors) == (8, 1, 0)
        assert spy == [extra]  # only the article is analysed, the records are loaded as they are
        assert counts(other)["quotes"] > n_quotes
        assert ingest(other, [str(shard)]).known == 8  # loading again changes nothing


def test_bad_record_shard_rows_become_errors(store: Store, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    good = pipeline.analyze(article(300), source="good.txt")
    bad = {"schema": "presslens/1", "article": {"text": "x"}}
    err = pipeline.error_record("lost.txt", "empty", "input is empty")
    path = tmp_path / "part-00000.parquet"
    pq.write_table(pa.table({"record": [json.dumps(good), json.dumps(bad), "{not json", json.dumps(err)]}), path)
    stats = ingest(store, [str(path)])
    assert (stats.loaded, stats.errors) == (1, 3)
    kinds = sorted(r.kind for r in rows(store, "SELECT kind FROM errors"))
    assert kinds == ["empty", "record", "record"]


# --------------------------------------------------------------------------------------------- analysers


def test_workers_use_analyze_parallel_and_dask_loads_shards(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spy: list[str]
) -> None:
    parallel = pytest.importorskip("presslens.parallel")
    calls: dict[str, int] = {"parallel": 0, "dask": 0}

    def fake_parallel(items, workers, batch_size=16, **kw):  # noqa: ANN001, ANN202
        calls["parallel"] += 1
        assert workers == 3
        return pipeline.analyze_many(items, batch_size=batch_size)

    def fake_run_dask_items(items, address, out_dir, *, batch_size=16, n_workers=None, **kw):  # noqa: ANN001, ANN202
        import pyarrow as pa
        import pyarrow.parquet as pq

        calls["dask"] += 1
        assert address == "local" and n_workers == 2
        recs = list(pipeline.analyze_many(items))
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        path = Path(out_dir) / "part-00000.parquet"
        pq.write_table(pa.table({"record": [json.dumps(r) for r in recs]}), path)
        return [path]

    monkeypatch.setattr(parallel, "analyze_parallel", fake_parallel)
    monkeypatch.setattr(parallel, "run_dask_items", fake_run_dask_items)
    one, two = tmp_path / "one", tmp_path / "two"
    write_corpus(one, 3)
    write_corpus(two, 2, start=3)
    assert ingest(store, [str(one)], workers=3).analysed == 3
    stats = ingest(store, [str(one), str(two)], dask="local", workers=2)
    assert (stats.analysed, stats.known) == (2, 3)  # known articles never reach the cluster
    assert calls == {"parallel": 1, "dask": 1}
    assert len(spy) == 5
    srcs = {r.source for r in rows(store, "SELECT source FROM articles")}
    assert srcs == {str(p) for p in sorted(one.iterdir())} | {str(p) for p in sorted(two.iterdir())}


# --------------------------------------------------------------------------------------------- commands


def test_commands(db_url: str, tmp_path: Path) -> None:
    from presslens.cli.app import app

    runner = CliRunner()
    corpus = tmp_path / "c"
    write_corpus(corpus, 3)
    (corpus / "empty.txt").write_text("")
    res = runner.invoke(app, ["ingest", str(corpus), "--db", db_url])
    assert res.exit_code == 1, res.output  # one input failed
    assert "3 analysed, 0 skipped as known, 1 error" in res.stderr
    res = runner.invoke(app, ["ingest", str(corpus / "a000.txt"), "--db", db_url])
    assert res.exit_code == 0 and "0 analysed, 1 skipped as known, 0 errors" in res.stderr

    res = runner.invoke(app, ["errors", "--db", db_url, "--format", "json"])
    assert res.exit_code == 0
    assert [(e["source"], e["kind"]) for e in json.loads(res.stdout)] == [(str(corpus / "empty.txt"), "empty")]
    table = runner.invoke(app, ["errors", "--db", db_url]).stdout
    assert "1 error(s)" in table and "input is empty" in table

    res = runner.invoke(app, ["search", "wait", "--db", db_url, "--format", "json", "--kind", "direct"])
    assert res.exit_code == 0 and len(json.loads(res.stdout)) == 3
    res = runner.invoke(app, ["search", "--speaker", PEOPLE[1], "--db", db_url, "--format", "csv"])
    got = list(csv.DictReader(io.StringIO(res.stdout)))
    assert got and {r["speaker"] for r in got} == {PEOPLE[1]}
    res = runner.invoke(app, ["search", "wait", "--db", db_url])
    assert res.exit_code == 0 and PEOPLE[0] in res.stdout
    assert runner.invoke(app, ["search", "x", "--since", "June", "--db", db_url]).exit_code == 2

    out = tmp_path / "q.csv"
    res = runner.invoke(app, ["export", "--what", "quotes", "--format", "csv", "-o", str(out), "--db", db_url])
    assert res.exit_code == 0 and len(list(csv.DictReader(out.open(encoding="utf-8")))) >= 3
    res = runner.invoke(app, ["export", "--what", "articles", "--format", "jsonl", "--db", db_url])
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == 3

    res = runner.invoke(app, ["stats", "--db", db_url, "--format", "json"])
    assert {r["table"]: r["rows"] for r in json.loads(res.stdout)}["articles"] == 3


def test_read_commands_do_not_create_a_store(tmp_path: Path) -> None:
    from presslens.cli.app import app

    db = tmp_path / "none.db"
    res = CliRunner().invoke(app, ["search", "x", "--db", str(db)])
    assert res.exit_code == 2 and "no store" in res.stderr and not db.exists()


def test_orm_models_read_back(store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path / "c", 1)
    ingest(store, [str(tmp_path / "c")])
    with store.session() as session:
        art = session.scalars(sa.select(Article)).one()
        quotes = session.scalars(sa.select(Quote).where(Quote.article_id == art.id)).all()
        assert art.record["article"]["text"] == art.text and art.content_hash == content_hash(art.text)
        assert art.presslens_version and art.model_version and art.analysed_at is not None
        assert quotes and all(art.text[q.spans[0][0] : q.spans[0][1]] in q.content for q in quotes)
        assert session.scalars(sa.select(Error)).all() == []
