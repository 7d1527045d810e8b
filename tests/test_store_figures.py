"""Figures, claims and relations in the store (migration 0004, ingest, search_facts, export, the CLI), on SQLite
and on PostgreSQL (the ``db_url`` fixture of tests/test_store.py: a fresh schema per test, skipped without a
server unless PRESSLENS_REQUIRE_PG is set).

The records are written by hand over real text: the seed article (tests/fixtures/seed.txt) with the figures
Michael Milstein gives for Hamas, and two short self-written articles of other outlets that state some
relations differently (another commander of the Quds Force; Iran denied to be a member of the axis), plus an
older record without the three lists and a hostile one.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from presslens.record.schema import validate
from presslens.store import Store
from presslens.store.db import downgrade, upgrade
from presslens.store.export import defuse, export
from presslens.store.facts import fact_rows
from presslens.store.ingest import ingest_records
from presslens.store.models import JSONType
from presslens.store.search import search_facts
from test_store import db_url, pg_admin  # noqa: F401  (fixtures: SQLite and PostgreSQL)

SEED = Path(__file__).parent / "fixtures" / "seed.txt"
XSS = "<script>window.__pwned=1</script>"
FORMULA = '=HYPERLINK("http://evil.example","x")'


def span(text: str, piece: str, start: int = 0) -> list[int]:
    i = text.index(piece, start)
    return [i, i + len(piece)]


def _actor(aid: str, name: str, kind: str, text: str, *names: str, aliases: list[str] | None = None) -> dict:
    mentions = []
    for n in (name, *names):
        i = text.find(n)
        if i >= 0:
            mentions.append([i, i + len(n)])
    return {
        "id": aid,
        "name": name,
        "kind": kind,
        "aliases": aliases or [],
        "titles": [],
        "roles": [],
        "mentions": mentions,
        "kb_id": None,
    }


def _record(text: str, meta: dict[str, Any], actors: list[dict], quotes: list[dict], **lists: Any) -> dict:
    rec = {
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
            "ignored": [],
        },
        "actors": actors,
        "quotes": quotes,
        "techniques": lists.pop("techniques", []),
        **lists,
        "presslens": {"version": "0.1.0", "model": "hand-written"},
    }
    validate(rec)
    return rec


def _src(quote: str | None = None, actor: str | None = None) -> dict[str, str | None]:
    return {"quote": quote, "actor": actor}


def _rel(rid: str, s: str, rel: str, o: str, ev: list[int], neg: bool = False, src: dict | None = None) -> dict:
    return {
        "id": rid,
        "subject": s,
        "relation": rel,
        "object": o,
        "evidence": ev,
        "source": src or _src(),
        "negated": neg,
        "confidence": 0.9,
    }


def seed_record() -> dict[str, Any]:
    """The seed article with its figures (Milstein's, on Hamas), claims and relations written by hand."""
    t = SEED.read_text(encoding="utf-8")
    actors = [
        _actor("a1", "Hamas", "group", t),
        _actor("a2", "Izzedine al-Qassam Brigades", "group", t),
        _actor("a3", "Michael Milstein", "person", t, aliases=["Milstein"]),
        _actor("a4", "Ismail Qaani", "person", t, aliases=["Qaani", "Gen. Qaani"]),
        _actor("a5", "Quds Force", "organization", t),
        _actor("a6", "Islamic Revolution Guards Corps", "organization", t),
        _actor("a7", "Iran", "country", t),
        _actor("a8", "Axis of Resistance", "group", t),
    ]
    quote = "Quite apart from the 25,000-plus strength of Hamas’s military wing, it has 80-90,000 more members"
    q = span(t, quote)
    he = span(t, "he says", q[1])
    quotes = [
        {
            "id": "q1",
            "kind": "indirect",
            "content": [q],
            "cue": [[he[0] + 3, he[1]]],
            "speaker": {"span": [he[0], he[0] + 2], "actor": "a3", "name": "Michael Milstein"},
            "confidence": 0.99,
        }
    ]
    figures = [
        {
            "id": "f1",
            "span": span(t, "25,000-plus"),
            "value": 25000,
            "high": None,
            "qualifier": "at_least",
            "change": None,
            "unit": None,
            "counts": span(t, "strength of Hamas’s military wing"),
            "source": _src("q1", "a3"),
        },
        {
            "id": "f2",
            "span": span(t, "80-90,000"),
            "value": 80000,
            "high": 90000,
            "qualifier": "exact",
            "change": None,
            "unit": "person",
            "counts": span(t, "members", span(t, "80-90,000")[1]),
            "source": _src("q1", "a3"),
        },
    ]
    axis = "The Axis of Resistance refers to an alliance among Iran, Syria and anti-Israeli groups in Lebanon"
    claims = [
        {"id": "c1", "span": span(t, axis), "checkworthy": True, "score": 0.97, "source": _src()},
        {"id": "c2", "span": q, "checkworthy": True, "score": 0.88, "source": _src("q1", "a3")},
        {"id": "c3", "span": span(t, "Military analysts have cast doubt"), "checkworthy": False, "score": 0.2,
         "source": _src()},
    ]
    relations = [
        _rel("r1", "a2", "part_of", "a1", span(t, "Izzedine al-Qassam Brigades, the military wing of Hamas")),
        _rel("r2", "a4", "leads", "a5", span(t, "the commander of the Quds Force")),
        _rel("r3", "a5", "part_of", "a6", span(t, "Quds Force of the Islamic Revolution Guards Corps")),
        _rel("r4", "a7", "member_of", "a8", span(t, "Axis of Resistance refers to an alliance among Iran")),
    ]
    meta = {"id": "seed", "title": "Axis of Resistance remains united with Gaza fighters", "outlet": "Tehran Times",
            "published": "2023-11-10", "url": "https://tehrantimes.example/seed"}
    return _record(t, meta, actors, quotes, figures=figures, claims=claims, relations=relations)


def other_record() -> dict[str, Any]:
    """A self-written article of another outlet: another commander of the Quds Force, Iran denied to be a
    member of the axis, an alliance and a hostility, and a figure in its own voice."""
    t = (
        "Quds Force chief visits Beirut\n\n"
        "Qassem Soleimani, the commander of the Quds Force, met allies in Beirut on Monday.\n\n"
        "Iran is not a member of the Axis of Resistance, the ministry said in a statement.\n\n"
        "Hamas is allied with Iran, and Israel fights Hamas in Gaza, where about 2,000 members of Hamas were "
        "reported.\n"
    )
    actors = [
        _actor("a1", "Qassem Soleimani", "person", t, aliases=["Soleimani"]),
        _actor("a2", "Quds Force", "organization", t),
        _actor("a3", "Iran", "country", t),
        _actor("a4", "Axis of Resistance", "group", t),
        _actor("a5", "Hamas", "group", t),
        _actor("a6", "Israel", "country", t),
        _actor("a7", "the ministry", "organization", t),
    ]
    said = span(t, "Iran is not a member of the Axis of Resistance")
    quotes = [
        {
            "id": "q1",
            "kind": "indirect",
            "content": [said],
            "cue": [span(t, "said")],
            "speaker": {"span": span(t, "the ministry"), "actor": "a7", "name": "the ministry"},
            "confidence": 0.9,
        }
    ]
    figures = [
        {
            "id": "f1",
            "span": span(t, "about 2,000"),
            "value": 2000,
            "high": None,
            "qualifier": "approx",
            "change": None,
            "unit": "person",
            "counts": span(t, "members of Hamas"),
            "source": _src(),
        }
    ]
    relations = [
        _rel("r1", "a1", "leads", "a2", span(t, "Qassem Soleimani, the commander of the Quds Force")),
        _rel("r2", "a3", "member_of", "a4", said, neg=True, src=_src("q1", "a7")),
        _rel("r3", "a5", "allied_with", "a3", span(t, "Hamas is allied with Iran")),
        _rel("r4", "a6", "opposes", "a5", span(t, "Israel fights Hamas")),
    ]
    claims = [{"id": "c1", "span": said, "checkworthy": True, "score": 0.75, "source": _src("q1", "a7")}]
    meta = {"id": "other", "title": "Quds Force chief visits Beirut", "outlet": "Beirut Daily",
            "published": "2020-01-02", "url": "https://beirut-daily.example/quds"}
    return _record(t, meta, actors, quotes, figures=figures, claims=claims, relations=relations)


def old_record() -> dict[str, Any]:
    """A record as presslens wrote them before figures, claims and relations (none of the three lists)."""
    t = "Harbour news\n\n“The ferry runs again,” said Tom Ellery, who runs a bakery near the pier.\n"
    actors = [_actor("a1", "Tom Ellery", "person", t)]
    quotes = [
        {
            "id": "q1",
            "kind": "direct",
            "content": [span(t, "“The ferry runs again,”")],
            "cue": [span(t, "said")],
            "speaker": {"span": span(t, "Tom Ellery"), "actor": "a1", "name": "Tom Ellery"},
            "confidence": 0.9,
        }
    ]
    meta = {"id": "old", "title": "Harbour news", "outlet": "Coast Herald", "published": "2024-05-10"}
    return _record(t, meta, actors, quotes)


def hostile_record() -> dict[str, Any]:
    """Names, what a figure counts, and a relation's evidence carry script; a claim starts like a formula."""
    t = (
        f"{FORMULA} said the board.\n\n"
        f"The {XSS} Brigade, a unit of the Evil {XSS} Front, has 300 <b>fighters</b> in the town.\n"
    )
    brigade, front = f"The {XSS} Brigade", f"Evil {XSS} Front"
    actors = [_actor("a1", brigade, "group", t), _actor("a2", front, "group", t)]
    figures = [
        {"id": "f1", "span": span(t, "300"), "value": 300, "high": None, "qualifier": "exact", "change": None,
         "unit": "person", "counts": span(t, "<b>fighters</b>"), "source": _src()}
    ]
    claims = [{"id": "c1", "span": span(t, f"{FORMULA} said the board."), "checkworthy": True, "score": 0.6,
               "source": _src()}]
    relations = [_rel("r1", "a1", "part_of", "a2", span(t, f"{brigade}, a unit of the {front}"))]
    meta = {"id": "evil", "title": f"Evil {XSS} figures", "outlet": f"<img src=x onerror=alert(1)>{XSS}",
            "published": "2024-06-01", "url": "https://evil.example/figures"}
    return _record(t, meta, actors, [], figures=figures, claims=claims, relations=relations)


def all_records() -> list[dict[str, Any]]:
    return [seed_record(), other_record(), old_record(), hostile_record()]


@pytest.fixture
def store(db_url: str) -> Store:  # noqa: F811
    s = Store.open(db_url)
    stats = ingest_records(s, all_records())
    assert stats.errors == 0, stats.error_sources
    yield s
    s.close()


def table(store: Store, sql: str, **params: Any) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(sa.text(sql), params))


# --------------------------------------------------------------------------------------------- ingest


def test_ingest_writes_figures_claims_relations_with_resolved_sources(store: Store) -> None:
    n = {t: table(store, f"SELECT count(*) FROM {t}")[0][0] for t in ("figures", "claims", "relations")}
    assert n == {"figures": 4, "claims": 5, "relations": 9}
    # the one query of the issue: every figure given for Hamas's members, by whom, in which outlet, when
    rows = table(
        store,
        "SELECT f.text, f.value, f.high, f.speaker_name, q.kind, a.outlet, a.published FROM figures f"
        " JOIN articles a ON a.id = f.article_id"
        " LEFT JOIN quotes q ON q.article_id = f.article_id AND q.quote_id = f.source_quote"
        " WHERE lower(f.counts) LIKE '%hamas%' OR (f.counts_key = 'members' AND lower(a.text) LIKE '%hamas%')"
        " ORDER BY a.published_date, f.figure_id",
    )
    assert [tuple(r) for r in rows] == [
        ("about 2,000", 2000, None, None, None, "Beirut Daily", "2020-01-02"),
        ("25,000-plus", 25000, None, "Michael Milstein", "indirect", "Tehran Times", "2023-11-10"),
        ("80-90,000", 80000, 90000, "Michael Milstein", "indirect", "Tehran Times", "2023-11-10"),
    ]
    rel = table(
        store,
        "SELECT subject_key, relation, object_key, negated, voice, speaker_key, text FROM relations"
        " WHERE negated = :neg",
        neg=True,
    )
    assert [tuple(r) for r in rel] == [
        ("iran", "member_of", "axis of resistance", True, "quoted", "the ministry",
         "Iran is not a member of the Axis of Resistance")
    ]
    claims = table(store, "SELECT claim_id, checkworthy, speaker_name FROM claims WHERE score < 0.5")
    assert [tuple(r) for r in claims] == [("c3", False, None)]


def test_records_without_the_lists_still_load_and_show(store: Store) -> None:
    rows = table(
        store,
        "SELECT count(*) FROM figures f JOIN articles a ON a.id = f.article_id WHERE a.outlet = 'Coast Herald'",
    )
    assert rows[0][0] == 0
    assert table(store, "SELECT speaker_name FROM quotes q JOIN articles a ON a.id = q.article_id"
                 " WHERE a.outlet = 'Coast Herald'")[0][0] == "Tom Ellery"


def test_reingest_replaces_the_rows_and_delete_cascades(store: Store) -> None:
    changed = copy.deepcopy(seed_record())
    changed["figures"] = changed["figures"][:1]
    changed["relations"] = []
    stats = ingest_records(store, [changed], replace=True)
    assert stats.replaced == 1 and stats.errors == 0
    assert table(store, "SELECT count(*) FROM figures")[0][0] == 3
    assert table(store, "SELECT count(*) FROM relations WHERE subject_key = 'ismail qaani'")[0][0] == 0
    with store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM articles WHERE record_id = 'other'"))
    assert table(store, "SELECT count(*) FROM relations")[0][0] == 1  # the hostile article's
    assert table(store, "SELECT count(*) FROM claims")[0][0] == 4


def test_migration_backfills_records_stored_before_it(db_url: str) -> None:  # noqa: F811
    """A store at revision 0003 holding a record with the three lists gets their rows when it upgrades."""
    from presslens.store.db import make_engine

    engine = make_engine(db_url)
    try:
        upgrade(engine, "0003")
        rec = seed_record()
        articles = sa.table(
            "articles",
            *(sa.column(c) for c in ("record_id", "content_hash", "text")),
            sa.column("ignored", JSONType),
            sa.column("record", JSONType),
        )
        with engine.begin() as conn:
            conn.execute(
                sa.insert(articles),
                [{"record_id": "seed", "content_hash": "x", "ignored": [], "text": rec["article"]["text"],
                  "record": rec}],
            )
        upgrade(engine)
        with engine.connect() as conn:
            got = conn.execute(sa.text("SELECT figure_id, speaker_key FROM figures ORDER BY figure_id")).all()
            n_rel = conn.execute(sa.text("SELECT count(*) FROM relations")).scalar()
        assert [tuple(r) for r in got] == [("f1", "michael milstein"), ("f2", "michael milstein")]
        assert n_rel == 4
        downgrade(engine, "0003")
        with engine.connect() as conn:
            assert "figures" not in sa.inspect(conn).get_table_names()
    finally:
        engine.dispose()


# --------------------------------------------------------------------------------------------- search


def test_relations_of_an_actor_by_outlet(store: Store) -> None:
    rows = search_facts(store, what="relations", actor="Hamas", order="outlet")
    got = [(r["outlet"], r["subject_name"], r["relation"], r["object_name"]) for r in rows]
    assert got == [
        ("Beirut Daily", "Hamas", "allied_with", "Iran"),
        ("Beirut Daily", "Israel", "opposes", "Hamas"),
        ("Tehran Times", "Izzedine al-Qassam Brigades", "part_of", "Hamas"),
    ]
    # by an alias of the actor in its article, and only one type, without the denied ones
    assert [r["object_name"] for r in search_facts(store, what="relations", actor="qaani")] == ["Quds Force"]
    iran = search_facts(store, what="relations", actor="iran", relation=["member_of"], include_negated=False)
    assert [(r["outlet"], r["negated"]) for r in iran] == [("Tehran Times", False)]


def test_figures_by_what_they_count_and_by_speaker(store: Store) -> None:
    members = search_facts(store, what="figures", counts="MEMBERS")
    assert [(r["text"], r["speaker_name"]) for r in members] == [("80-90,000", "Michael Milstein"),
                                                                ("about 2,000", None)]
    by_alias = search_facts(store, what="figures", speaker="milstein")
    assert {r["figure_id"] for r in by_alias} == {"f1", "f2"}
    assert search_facts(store, what="figures", speaker="milstein", since=date(2024, 1, 1)) == []
    assert [r["text"] for r in search_facts(store, what="figures", unit=["person"], outlet=["beirut daily"])] == [
        "about 2,000"
    ]
    # LIKE wildcards in the needle are taken literally
    assert search_facts(store, what="figures", counts="%") == []


def test_claims_search(store: Store) -> None:
    worthy = search_facts(store, what="claims", checkworthy=True, speaker="Michael Milstein")
    assert [r["claim_id"] for r in worthy] == ["c2"]
    assert len(search_facts(store, what="claims", checkworthy=True)) == 4
    with pytest.raises(ValueError):
        search_facts(store, what="nothing")


# --------------------------------------------------------------------------------------------- export


@pytest.mark.parametrize("what", ["figures", "claims", "relations"])
def test_export_csv_and_jsonl(store: Store, what: str, tmp_path: Path) -> None:
    buf = io.StringIO()
    n = export(store, what, "csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert n == len(rows) == {"figures": 4, "claims": 5, "relations": 9}[what]
    assert {"outlet", "published", "url", "article_id", "speaker_name"} <= set(rows[0])
    for row in rows:  # nothing a spreadsheet would run
        assert not any(v.startswith(("=", "+", "@")) for v in row.values())
    jl = io.StringIO()
    export(store, what, "jsonl", jl)
    items = [json.loads(line) for line in jl.getvalue().splitlines()]
    assert len(items) == n
    nested = {"figures": "counts_span", "claims": "span", "relations": "evidence"}[what]
    assert all(isinstance(i[nested], list | type(None)) for i in items)
    if what == "claims":
        evil = [r for r in rows if "HYPERLINK" in r["text"]]
        assert evil and evil[0]["text"].startswith("'=")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / f"{what}.parquet"
    assert export(store, what, "parquet", str(path)) == n
    assert pq.read_table(path).num_rows == n


@given(st.text(max_size=20))
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_defuse_never_leaves_a_formula(value: str) -> None:
    out = defuse(value)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert out in (value, "'" + value)
    assert defuse(3.5) == 3.5 and defuse(None) is None


@given(st.lists(st.sampled_from(["a1", "a2", "a3"]), min_size=0, max_size=6), st.booleans())
def test_fact_rows_resolve_every_source(actors: list[str], quoted: bool) -> None:
    """Whatever source an item names, its row has the speaker of that actor, or of the quote it sits in."""
    rec = seed_record()
    names = {a["id"]: a["name"] for a in rec["actors"]}
    rec["figures"] = [
        {**rec["figures"][0], "id": f"f{i}", "source": _src("q1" if quoted else None, a)}
        for i, a in enumerate(actors, 1)
    ]
    rows = fact_rows(rec, 7)["figures"]
    assert len(rows) == len(actors)
    for row, a in zip(rows, actors, strict=True):
        assert row["article_id"] == 7 and row["speaker_name"] == names[a]
        assert row["speaker_key"] == names[a].lower()
    rec["figures"] = [{**rec["figures"][0], "source": _src("q1" if quoted else None, None)}] if actors else []
    for row in fact_rows(rec, 7)["figures"]:
        assert row["speaker_name"] == ("Michael Milstein" if quoted else None)


# --------------------------------------------------------------------------------------------- CLI


def test_cli_search_and_export(store: Store, tmp_path: Path) -> None:
    import presslens.cli  # noqa: F401  (registers the commands)
    from presslens.cli.app import app

    runner = CliRunner()
    db = store.url
    r = runner.invoke(app, ["search", "--in", "relations", "--actor", "Hamas", "--db", db, "-f", "json"])
    assert r.exit_code == 0, r.output
    assert [x["outlet"] for x in json.loads(r.stdout)] == ["Beirut Daily", "Beirut Daily", "Tehran Times"]
    r = runner.invoke(app, ["search", "--in", "figures", "--counts", "members", "--db", db, "-f", "csv"])
    assert r.exit_code == 0 and "80-90,000" in r.stdout and "Michael Milstein" in r.stdout
    r = runner.invoke(app, ["search", "--in", "figures", "--speaker", "Michael Milstein", "--db", db])
    assert r.exit_code == 0 and "25,000-plus" in r.stdout
    r = runner.invoke(app, ["search", "--in", "relations", "--relation", "runs", "--db", db])
    assert r.exit_code == 2 and "leads" in r.output
    out = tmp_path / "rel.csv"
    r = runner.invoke(app, ["export", "--what", "relations", "-f", "csv", "-o", str(out), "--db", db])
    assert r.exit_code == 0 and len(list(csv.DictReader(out.open(encoding="utf-8")))) == 9
    r = runner.invoke(app, ["stats", "--db", db, "-f", "json"])
    assert {x["table"]: x["rows"] for x in json.loads(r.stdout)}["figures"] == 4
