"""Runs on a Dask ``distributed`` cluster (or a local one): partitions of units to workers, one shard each."""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from spacy.language import Language

from presslens.inputs import DEFAULT_MAX_BYTES, Document, InputError
from presslens.parallel.shards import _SHARD_GLOB, _SHARD_NAME, _write_shard
from presslens.parallel.units import (
    _SLICEABLE,
    PARTITIONS_PER_THREAD,
    Unit,
    _inner_extension,
    _partition,
    _read_unit,
    expand_inputs,
)
from presslens.parallel.workers import WORKER_ERROR_KIND, analyze_stream
from presslens.record.pipeline import error_record, load_nlp

# ============================================================================================ Dask

# The pipeline of this worker process (one per process: tasks on several threads take turns with it).
_WORKER_NLP: Language | None = None
_WORKER_LOCK = threading.Lock()


_WORKER_NLPS: dict[tuple[tuple[str, Any], ...], Language] = {}  # pipelines loaded with options (load_nlp's)


def _worker_nlp(nlp_options: Mapping[str, Any] | None = None) -> Language:
    """This process's pipeline, loaded on first use; *nlp_options* are ``load_nlp``'s (e.g. ``accurate``)."""
    global _WORKER_NLP
    with _WORKER_LOCK:
        if nlp_options:
            key = tuple(sorted(nlp_options.items()))
            if key not in _WORKER_NLPS:
                _WORKER_NLPS[key] = load_nlp(**dict(key))
            return _WORKER_NLPS[key]
        if _WORKER_NLP is None:
            _WORKER_NLP = load_nlp()
        return _WORKER_NLP




def _dask_partition(
    index: int,
    units: Sequence[Unit],
    out_dir: str,
    max_bytes: int,
    batch_size: int,
    options: Mapping[str, Any],
    nlp_options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One Dask task: read the units, analyse them with this worker's pipeline, write one shard."""
    nlp = _worker_nlp(nlp_options)
    items = (item for unit in units for item in _read_unit(unit, max_bytes, options))
    path = Path(out_dir) / _SHARD_NAME.format(index)
    with _WORKER_LOCK:  # one pipeline per process: tasks on other threads of this worker wait their turn
        written = _write_shard(path, analyze_stream(items, nlp, batch_size))
    return {"path": str(path), "records": written}


def _unit_error_records(units: Sequence[Unit], message: str) -> list[dict[str, Any]]:
    """Error records for the units of a partition whose task failed: one per unit (per item if inline)."""
    records = []
    for unit in units:
        if unit.kind == "inline":
            records += [error_record(i.source, WORKER_ERROR_KIND, message) for i in unit.items]
        elif unit.kind == "slice":
            where = f"{unit.given} (items {unit.start + 1} to {unit.stop or 'the end'})"
            records.append(error_record(where, WORKER_ERROR_KIND, message))
        else:
            records.append(error_record(unit.given, WORKER_ERROR_KIND, message))
    return records


# Dask settings for the workers of local_cluster(), measured with benchmarks/scaling.py: spaCy allocates and
# frees so much that Dask's eager heap trimming (MALLOC_TRIM_THRESHOLD_=65536) costs about an eighth more CPU
# time per article, and the statistical profiler, which samples the task thread every 10 ms, some more.
_LOCAL_WORKER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
}


@contextlib.contextmanager
def local_cluster(n_workers: int | None = None) -> Iterator[str]:
    """A ``distributed.LocalCluster`` of *n_workers* processes (default: one per CPU) with one thread each,
    on 127.0.0.1 with no dashboard; yields its scheduler address and closes it at the end.

    Its workers run without Dask's default ``MALLOC_TRIM_THRESHOLD_=65536`` and without Dask's statistical
    profiler, both of which cost CPU time per article with spaCy. Workers of a cluster started elsewhere
    should do the same: ``distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_: null`` and
    ``distributed.worker.profile.enabled: false`` in the Dask configuration."""
    import dask
    from distributed import LocalCluster

    n = n_workers or os.cpu_count() or 1
    with (
        dask.config.set(_LOCAL_WORKER_CONFIG),
        LocalCluster(
            n_workers=n,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            scheduler_port=0,
            dashboard_address=None,
        ) as cluster,
    ):
        yield cluster.scheduler_address


def warm_up(address: str) -> dict[str, Any]:
    """Load the pipeline in every worker of the cluster at *address* now (otherwise the first task on each
    worker does it); returns what each worker answered, by worker address."""
    from distributed import Client

    with Client(address) as client:
        return client.run(_warm_worker)


def _warm_worker() -> str:
    return type(_worker_nlp()).__name__


def run_dask(
    inputs: Sequence[str],
    address: str,
    out_dir: Path | str,
    *,
    partition_size: int = 64,
    max_bytes: int = DEFAULT_MAX_BYTES,
    n_workers: int | None = None,
    batch_size: int = 16,
    overwrite: bool = False,
    read_options: Mapping[str, Any] | None = None,
    nlp_options: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Analyse *inputs* on a Dask cluster into Parquet shards under *out_dir*; return the shard paths.

    *address* is a scheduler address (``tcp://host:8786``), or ``"local"`` to start a ``LocalCluster``
    of *n_workers* processes (default: one per CPU; see :func:`local_cluster`) for this run.

    The inputs are those of ``presslens analyze`` (files, directories, URLs, ``-``), read with *max_bytes*
    and *read_options* (further keyword arguments of ``iter_inputs``). They are expanded here into units
    (:func:`expand_inputs`: files, slices of big JSONL, CSV and Parquet files) and cut into partitions of
    about *partition_size* documents, or fewer where the input is too small to give every worker thread
    :data:`PARTITIONS_PER_THREAD` partitions (so that no worker idles at the end). Each partition is one
    task, which reads its files on the worker (so a remote cluster needs the same paths: a shared file
    system), analyses them with the worker's pipeline (loaded once per worker process, analysing in memory
    zones) and writes
    ``out_dir/part-NNNNN.parquet`` with the columns ``record`` (the record as JSON), ``id``, ``source``
    and ``error`` (whether it is an error record). Read them back in order with :func:`read_shards`: the
    records are those that ``analyze_many(iter_inputs(inputs))`` gives, in the same order.

    A partition whose task fails on every try (its worker dies each time) becomes a shard of ``"worker"``
    error records, one per unit, so that the run still accounts for every input.

    *nlp_options*: keyword arguments of ``load_nlp`` for the workers' pipeline (``{"accurate": True}``: the
    accurate technique mode).

    Raises:
        FileExistsError: *out_dir* already holds ``part-*.parquet`` shards and *overwrite* is false (with
            *overwrite*, they are removed first, so no stale shard of an older run stays behind).
    """
    out = _shard_dir(out_dir, partition_size, overwrite)
    options = dict(read_options or {})
    units = expand_inputs(inputs, partition_size=partition_size, max_bytes=max_bytes, read_options=options)
    return _run_units(address, n_workers, units, partition_size, out, max_bytes, batch_size, options, nlp_options)


def run_dask_items(
    items: Iterable[Document | InputError],
    address: str,
    out_dir: Path | str,
    *,
    partition_size: int = 64,
    n_workers: int | None = None,
    batch_size: int = 16,
    overwrite: bool = False,
    nlp_options: Mapping[str, Any] | None = None,
) -> list[Path]:
    """:func:`run_dask` for documents already read: they travel to the workers inside their tasks, in
    partitions of *partition_size* items, so the workers need no access to the files (and no size limit of
    a file format applies). Shards, order, error records and the other arguments are as for ``run_dask``.

    All partitions are submitted at once, so the items are held in memory here and on the cluster: for a
    corpus bigger than that, pass files to ``run_dask``.
    """
    out = _shard_dir(out_dir, partition_size, overwrite)
    units: list[Unit] = []
    iterator = iter(items)
    while group := tuple(islice(iterator, partition_size)):
        units.append(Unit("inline", "", items=group, weight=len(group)))
    return _run_units(address, n_workers, units, partition_size, out, DEFAULT_MAX_BYTES, batch_size, {}, nlp_options)


def _shard_dir(out_dir: Path | str, partition_size: int, overwrite: bool) -> Path:
    if partition_size < 1:
        raise ValueError("partition_size must be at least 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stale = sorted(out.glob(_SHARD_GLOB))
    if stale and not overwrite:
        raise FileExistsError(f"{out} already holds {len(stale)} shard(s) such as {stale[0].name}; pass overwrite")
    for old in stale:
        old.unlink()
    return out


def _run_units(
    address: str,
    n_workers: int | None,
    units: list[Unit],
    partition_size: int,
    out: Path,
    max_bytes: int,
    batch_size: int,
    options: Mapping[str, Any],
    nlp_options: Mapping[str, Any] | None = None,
) -> list[Path]:
    if address == "local":
        with local_cluster(n_workers) as local_address:
            return _submit(local_address, units, partition_size, out, max_bytes, batch_size, options, nlp_options)
    return _submit(address, units, partition_size, out, max_bytes, batch_size, options, nlp_options)


def _split_units(units: Sequence[Unit], size: int) -> list[Unit]:
    """The units, with those holding over *size* documents cut into pieces of *size* where they can be:
    slices into smaller slices (the last keeps the open end), counted JSONL, CSV and Parquet files into
    slices, inline items into groups."""
    out: list[Unit] = []
    for u in units:
        if u.weight <= size:
            out.append(u)
        elif u.kind == "inline":
            out += [
                Unit("inline", u.given, items=u.items[k : k + size], weight=len(u.items[k : k + size]))
                for k in range(0, len(u.items), size)
            ]
        elif u.kind == "slice" or (u.kind == "path" and _inner_extension(u.path) in _SLICEABLE):
            end = u.start + u.weight
            for s in range(u.start, end, size):
                stop = (u.stop if u.kind == "slice" else None) if s + size >= end else s + size
                out.append(Unit("slice", u.given, u.path, start=s, stop=stop, weight=min(size, end - s)))
        else:
            out.append(u)
    return out


def _submit(
    address: str,
    units: list[Unit],
    partition_size: int,
    out: Path,
    max_bytes: int,
    batch_size: int,
    options: Mapping[str, Any],
    nlp_options: Mapping[str, Any] | None = None,
) -> list[Path]:
    from distributed import Client

    run = uuid.uuid4().hex[:12]  # task keys unique to this run: Dask would reuse the results of equal keys
    paths: list[Path] = []
    with Client(address) as client:
        # Small inputs get smaller partitions, so that every worker thread has some to take: otherwise
        # the last, lone partitions leave most of the cluster idle at the end of the run.
        threads = sum(client.nthreads().values())
        total = sum(u.weight for u in units)
        size = max(1, min(partition_size, total // (PARTITIONS_PER_THREAD * threads))) if threads else partition_size
        partitions = _partition(_split_units(units, size) if size < partition_size else units, size)
        futures = [
            client.submit(
                _dask_partition,
                i,
                units,
                str(out.resolve()),
                max_bytes,
                batch_size,
                options,
                *([dict(nlp_options)] if nlp_options else []),  # the default pipeline: the task's old arguments
                key=f"presslens-part-{i:05d}-{run}",
            )
            for i, units in enumerate(partitions)
        ]
        for i, (future, units) in enumerate(zip(futures, partitions, strict=True)):
            path = out / _SHARD_NAME.format(i)
            try:
                future.result()
            except Exception as exc:  # KilledWorker, or an error outside the per-document handling
                if future.status != "error":
                    raise  # not the task failing: the cluster went away, or the run was cancelled
                message = f"the Dask task for this input failed ({type(exc).__name__}: {exc}); no record was made"
                _write_shard(path, _unit_error_records(units, message))
            paths.append(path)
    return paths
