"""Several processes, or a Dask cluster, give exactly the records of one process (presslens.parallel)."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from presslens.inputs import Document, InputError, iter_inputs
from presslens.parallel import (
    Unit,
    WorkerPool,
    WorkerStartupError,
    analyze_parallel,
    analyze_stream,
    expand_inputs,
    read_shards,
    run_dask,
    run_dask_items,
)
from presslens.record.pipeline import analyze_many, default_nlp
from presslens.record.schema import validate

# Self-written articles: short, each with quotes and named people and organisations.
ARTICLES = {
    "bridge.txt": (
        "Bridge to reopen in May\n\n"
        "The city's transport office said on Monday that the Harbour Bridge would reopen in May.\n\n"
        "\u201cThe repairs are ahead of schedule,\u201d said Elena Ruiz, the office's chief engineer. "
        "\u201cWe expect the first buses on the bridge by the second week of May.\u201d\n\n"
        "Shop owners on the north bank were relieved. Tom Becker, who runs a bakery there, said trade had "
        "fallen by half since the closure.\n"
    ),
    "vote.txt": (
        "Council delays vote on housing plan\n\n"
        "The county council postponed a vote on its housing plan until next month, council members said.\n\n"
        "\u201cWe need more time to read the amendments,\u201d said councillor Amira Haddad. Her colleague "
        "Peter Lindqvist said the delay was \u201cregrettable but necessary\u201d.\n\n"
        "The Tenants Union called the postponement a stalling tactic.\n"
    ),
    "storm.txt": (
        "Storm cuts power to thousands\n\n"
        "A storm cut power to about 40,000 homes overnight, the regional grid operator said.\n\n"
        "\u201cCrews have been working since 3 a.m.,\u201d said Jonas Weber, a spokesman for Nordgrid. "
        "He said most customers would have power again by the evening.\n\n"
        "The weather service warned of more wind on Thursday.\n"
    ),
    "football.txt": (
        "Coach stays despite defeat\n\n"
        "The club's board backed coach Maria Lopez after Saturday's 3-0 defeat, its chairman said.\n\n"
        "\u201cMaria has our full confidence,\u201d said chairman Henrik Olsen. \u201cOne bad afternoon does "
        "not change that.\u201d\n\n"
        "Lopez told reporters that the team had \u201cplayed without courage\u201d and promised changes.\n"
    ),
    "school.txt": (
        "New school opens its doors\n\n"
        "The new primary school in Eastfield welcomed its first 300 pupils on Wednesday.\n\n"
        "Head teacher Grace Okafor said the building had been finished just in time. "
        "\u201cLast week we were still painting the classrooms,\u201d she said.\n\n"
        "The education ministry said two more schools would open next year.\n"
    ),
    "trade.txt": (
        "Exports rise for a third month\n\n"
        "Exports rose for the third month in a row in March, the statistics office said on Friday.\n\n"
        "\u201cDemand from our neighbours is picking up,\u201d said Lars Nilsson, an economist at Nordbank. "
        "Finance minister Sofia Marin said the figures showed the recovery was \u201cfirmly under way\u201d.\n"
    ),
    "hospital.txt": (
        "Hospital waiting times fall\n\n"
        "Waiting times at the city hospital fell by a fifth last year, its director said.\n\n"
        "\u201cWe hired forty nurses and it made all the difference,\u201d said director Ahmed Saleh.\n\n"
        "The nurses' union said staff were still overworked and asked for a meeting with the health board.\n"
    ),
    "museum.txt": (
        "Museum returns stolen painting\n\n"
        "A painting stolen from the Lindholm Museum in 1994 was returned on Tuesday, police said.\n\n"
        "\u201cWe never gave up hope,\u201d said the museum's curator, Ingrid Dahl. Inspector Mark Evans said "
        "the painting had been found in a private collection abroad.\n"
    ),
}
WIRE = [
    {"id": "w1", "text": "\u201cPrices will fall,\u201d said Anna Berg, the bank's chief economist."},
    {"id": "w2", "text": "The mayor, Paul Grant, said the park would close for a week."},
    {"id": "w3", "text": "\u201cWe are ready,\u201d the coach, Sam Kerr, said on Sunday."},
    {"id": "w4", "text": "Police said the road would stay closed until Friday."},
]


def _without_volatile(rec: dict) -> dict:
    """Records carry no timestamp today; if one ever appears under ``presslens``, it is ignored here."""
    rec = json.loads(json.dumps(rec))
    rec.get("presslens", {}).pop("analyzed_at", None)
    return rec


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    for name, text in ARTICLES.items():
        (d / name).write_text(text, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")  # a bad file: an error record
    lines = [json.dumps(r) for r in WIRE]
    lines.insert(2, '{"id": "broken", "text": ')  # a broken line inside a JSONL file that gets split
    (d / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def _documents() -> list[Document | InputError]:
    items: list[Document | InputError] = [Document(text=t, source=n) for n, t in ARTICLES.items()]
    items.insert(3, InputError(source="missing.txt", kind="not_found", message="no such file or directory"))
    return items


@pytest.fixture(scope="module")
def single_records() -> list[dict]:
    return [_without_volatile(r) for r in analyze_many(_documents(), nlp=default_nlp())]


def test_memory_zone_gives_the_same_records(single_records):
    zoned = [_without_volatile(r) for r in analyze_stream(_documents(), default_nlp(), batch_size=3)]
    assert zoned == single_records


def test_analyze_parallel_two_workers_equals_one_process(single_records):
    t0 = time.monotonic()
    records = [_without_volatile(r) for r in analyze_parallel(iter(_documents()), workers=2, chunk=2)]
    assert records == single_records  # same records, same order, error record in its place
    assert records[3]["error"]["kind"] == "not_found"
    assert sum("error" in r for r in records) == 1
    assert time.monotonic() - t0 < 120


def test_workers_one_runs_in_process(single_records):
    assert [_without_volatile(r) for r in analyze_parallel(_documents(), workers=1)] == single_records


def test_only_input_errors_start_no_worker():
    items = [InputError(source=f"{k}.txt", kind="empty", message="input is empty") for k in range(3)]
    # the loader would fail in a worker: it is never called, because no document needs a worker
    records = list(analyze_parallel(items, workers=2, loader=_failing_loader))
    assert [r["article"]["source"] for r in records] == ["0.txt", "1.txt", "2.txt"]
    assert all(r["error"]["kind"] == "empty" for r in records)


# ----------------------------------------------------------------------- crashes, with a fast fake pipeline

CRASH = "KILL-THE-WORKER"
HANG = "HANG-THE-WORKER"


def _failing_loader():
    raise RuntimeError("no model here")


def _blank_loader():
    """A pipeline that loads in a blink and yields real records (with few actors and quotes), and whose
    worker dies on a text containing CRASH or hangs on one containing HANG."""
    import spacy
    from spacy.language import Language

    if "presslens_test_saboteur" not in Language.factories:

        @Language.component("presslens_test_saboteur")
        def saboteur(doc):
            if CRASH in doc.text:
                os._exit(3)
            if HANG in doc.text:
                time.sleep(600)
            return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("presslens_test_saboteur")
    nlp.add_pipe("presslens_paragraphs")
    nlp.add_pipe("presslens_quotes")
    return nlp


def test_a_crashing_document_becomes_an_error_record_and_the_run_goes_on():
    texts = [f"Story {k}. \u201cAll is well,\u201d the mayor said." for k in range(7)]
    texts[4] = f"Story 4 {CRASH}."
    items = [Document(text=t, source=f"s{k}") for k, t in enumerate(texts)]
    records = list(analyze_parallel(items, workers=2, chunk=3, loader=_blank_loader))
    expected = list(analyze_stream(items[:4] + items[5:], _blank_loader()))  # not the crash here: it would exit
    assert [r["article"]["source"] for r in records] == [f"s{k}" for k in range(7)]
    assert records[4]["error"]["kind"] == "worker"
    assert "exit status 3" in records[4]["error"]["message"]
    validate(records[4])
    # its chunk-mates were retried alone and came out as usual
    assert records[:4] + records[5:] == expected


def test_a_hanging_document_is_stopped_after_the_timeout():
    items = [Document(text=t, source=f"s{k}") for k, t in enumerate(["One.", f"Two {HANG}.", "Three."])]
    t0 = time.monotonic()
    records = list(analyze_parallel(items, workers=2, chunk=1, loader=_blank_loader, task_timeout=2))
    assert time.monotonic() - t0 < 60
    assert ["error" in r for r in records] == [False, True, False]
    assert records[1]["error"]["kind"] == "worker" and "over 2 s" in records[1]["error"]["message"]


def test_input_is_read_a_bounded_window_ahead():
    pulled = 0

    def endless():
        nonlocal pulled
        for k in itertools.count():
            pulled += 1
            yield Document(text=f"Story {k}. The mayor said all was well.", source=f"s{k}")

    records = analyze_parallel(endless(), workers=2, chunk=2, max_ahead=3, loader=_blank_loader)
    first = list(itertools.islice(records, 5))
    assert [r["article"]["source"] for r in first] == [f"s{k}" for k in range(5)]
    assert pulled <= (3 + 3) * 2  # the slots yielded, plus at most max_ahead slots of 2 read ahead
    records.close()  # stops the workers


def test_a_worker_pool_serves_several_streams():
    items = [Document(text=f"Story {k}. \u201cAll is well,\u201d the mayor said.", source=f"s{k}") for k in range(5)]
    expected = list(analyze_stream(items, _blank_loader()))
    with WorkerPool(2, chunk=1, loader=_blank_loader) as pool:
        pool.start(wait=True)
        assert len(set(pool.pids)) == 2 and None not in pool.pids
        assert list(pool.analyze(items)) == expected
        abandoned = pool.analyze(items)
        next(abandoned)
        abandoned.close()  # chunks still in flight: their workers are replaced
        assert list(pool.analyze(iter(items))) == expected


def test_a_worker_that_cannot_load_the_pipeline_raises():
    with pytest.raises(WorkerStartupError, match="no model here"):
        list(analyze_parallel([Document(text="Hello.")], workers=2, loader=_failing_loader))


# ----------------------------------------------------------------------- Dask


def test_split_units_keeps_the_items_and_their_order(corpus, tmp_path):
    from presslens.parallel.cluster import _split_units
    from presslens.parallel.units import _read_unit

    inputs = [str(corpus), str(corpus / "wire.jsonl")]
    units = expand_inputs(inputs, partition_size=3)
    split = _split_units(units, 1)
    assert all(u.weight == 1 for u in split) and len(split) == 9 + 5 + 5
    read = [item for u in split for item in _read_unit(u, 10_000_000, {})]
    assert read == list(iter_inputs(inputs))


def test_expand_inputs_reads_like_iter_inputs(corpus, tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from presslens.parallel.units import _read_unit

    rows = [{"id": f"r{k}", "text": f"Row {k}: the mayor said the park would reopen."} for k in range(7)]
    rows[3]["text"] = ""  # an error row
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "rows.parquet", row_group_size=2)
    csv_lines = ["id,text"] + [f'{r["id"]},"{r["text"]}"' for r in rows]
    (tmp_path / "rows.csv").write_text("\n".join(csv_lines) + "\n", encoding="utf-8")
    inputs = [
        str(corpus),
        str(corpus / "wire.jsonl"),
        str(tmp_path / "rows.parquet"),
        str(tmp_path / "rows.csv"),
        str(tmp_path / "nope.txt"),
        "ftp://example.org/x",
    ]
    units = expand_inputs(inputs, partition_size=2)
    # wire.jsonl (5 lines), in its directory and on its own: 3 slices each; 7 Parquet and 7 CSV rows: 4 each
    assert [u.kind for u in units].count("slice") == 3 + 3 + 4 + 4
    got = [item for u in units for item in _read_unit(u, 10_000_000, {})]
    assert got == list(iter_inputs(inputs))
    # relative paths keep their form in sources (the workers open the absolute path)
    monkeypatch.chdir(tmp_path)
    rel_units = expand_inputs(["rows.csv"], partition_size=3)
    assert all(u.path == str(tmp_path / "rows.csv") for u in rel_units)
    assert [item for u in rel_units for item in _read_unit(u, 10_000_000, {})] == list(iter_inputs(["rows.csv"]))
    # a directory read whole (here: the unit run_dask makes for one it cannot list) keeps relative sources too
    shutil.copytree(corpus, tmp_path / "copy")
    whole = Unit("path", "copy", str(tmp_path / "copy"))
    assert list(_read_unit(whole, 10_000_000, {})) == list(iter_inputs(["copy"]))


def test_run_dask_local_cluster_equals_one_process(corpus, tmp_path):
    distributed = pytest.importorskip("distributed")
    expected = [_without_volatile(r) for r in analyze_many(iter_inputs([str(corpus)]), nlp=default_nlp())]
    out = tmp_path / "shards"
    t0 = time.monotonic()
    try:
        paths = run_dask([str(corpus)], "local", out, partition_size=3, n_workers=2)
    except (OSError, TimeoutError, distributed.comm.core.CommClosedError) as exc:  # pragma: no cover
        pytest.skip(f"a Dask LocalCluster on 127.0.0.1 could not start here: {exc!r}")
    assert time.monotonic() - t0 < 180
    assert [p.name for p in paths] == [f"part-{k:05d}.parquet" for k in range(len(paths))]
    assert len(paths) >= 4 and all(p.parent == out for p in paths)

    records = [_without_volatile(r) for r in read_shards(paths)]
    by_source = sorted(records, key=lambda r: r["article"]["source"])
    assert by_source == sorted(expected, key=lambda r: r["article"]["source"])
    assert records == expected  # and the shards, read in order, keep the input order too
    assert {r["error"]["kind"] for r in records if "error" in r} == {"empty", "json"}

    import pyarrow.parquet as pq

    table = pq.read_table(paths[0])
    assert table.column_names == ["record", "id", "source", "error"]
    row = table.slice(0, 1).to_pylist()[0]
    assert json.loads(row["record"])["article"]["source"] == row["source"]

    with pytest.raises(FileExistsError):
        run_dask([str(corpus)], "tcp://127.0.0.1:1", out)  # refuses before it connects anywhere


def test_run_dask_items_sends_documents_with_the_tasks(single_records, tmp_path):
    pytest.importorskip("distributed")
    paths = run_dask_items(_documents(), "local", tmp_path / "shards", partition_size=4, n_workers=1)
    assert len(paths) == 9  # 9 items are too few for partitions of 4 on one thread: one item each
    assert [_without_volatile(r) for r in read_shards(paths)] == single_records


def test_a_failed_dask_task_becomes_a_shard_of_error_records(corpus, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    from presslens.parallel import cluster, shards

    def flaky(index, units, out_dir, max_bytes, batch_size, options):
        if index == 1:
            raise RuntimeError("disk full")
        path = Path(out_dir) / f"part-{index:05d}.parquet"
        return shards._write_shard(path, [{"article": {"source": u.given}} for u in units])

    # In-process workers run the patched task function (a process cluster would import the real one).
    monkeypatch.setattr(cluster, "_dask_partition", flaky)
    with distributed.LocalCluster(
        n_workers=1, processes=False, threads_per_worker=1, host="127.0.0.1", protocol="tcp", dashboard_address=None
    ) as cluster:
        paths = run_dask([str(corpus)], cluster.scheduler_address, tmp_path / "out", partition_size=1)
    units = expand_inputs([str(corpus)], partition_size=1)
    assert [r["article"]["source"] for r in read_shards(paths)] == [u.given for u in units]
    failed = list(read_shards(paths[1:2]))
    assert len(failed) == 1 and failed[0]["error"]["kind"] == "worker"
    assert failed[0]["article"]["source"] == units[1].given
    assert "RuntimeError: disk full" in failed[0]["error"]["message"]
    validate(failed[0])
