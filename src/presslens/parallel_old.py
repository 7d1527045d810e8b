"""Analyse a corpus on several cores of one machine, or on a Dask cluster.

Two ways to spread :func:`presslens.pipeline.analyze_many` over more than one core:

* :func:`analyze_parallel` keeps the streaming interface of ``analyze_many``: a stream of documents in, a
  stream of records out, in input order. Worker processes (``spawn`` start method, so it is safe in a
  program that runs threads) each load the spaCy pipeline once; documents go to them in chunks, and only a
  bounded number of chunks is ever in flight, so the input is never read ahead without limit.
* :func:`run_dask` runs on a ``distributed`` cluster (or a :class:`distributed.LocalCluster` it starts
  itself): the inputs are expanded on the client into units that can be read apart (the files of
  directories; slices of big JSONL, CSV and Parquet files; URLs), partitions of units go to the workers, and
  every partition becomes one Parquet shard (``part-00000.parquet``, ...) that :func:`read_shards` reads
  back. The workers read the files themselves, so on a real cluster they must see the same paths (a shared
  file system). :func:`run_dask_items` sends documents already in memory along with the tasks instead.

Both give exactly the records that ``analyze_many`` gives for the same inputs, error records included.

Long runs: every batch of documents is analysed inside spaCy's ``nlp.memory_zone()``
(:func:`analyze_stream`), so the strings that each article adds to the vocabulary are released after it and a
worker's memory does not grow with the number of articles it has seen.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import itertools
import json
import multiprocessing
import os
import re
import signal
import threading
import time
import traceback
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from spacy.language import Language

from presslens import __version__
from presslens.fetch import is_url
from presslens.pipeline import analyze_many, default_nlp, error_record, load_nlp
from presslens.readers import DEFAULT_MAX_BYTES, DIRECTORY_EXTENSIONS, Document, InputError, iter_inputs, read_path
from presslens.schema import SCHEMA_ID

__all__ = [
    "SHARD_COLUMNS",
    "Unit",
    "WorkerPool",
    "WorkerStartupError",
    "analyze_parallel",
    "analyze_stream",
    "expand_inputs",
    "local_cluster",
    "read_shards",
    "run_dask",
    "run_dask_items",
    "warm_up",
]

#: The error kind of a record whose document was lost because its worker process died.
WORKER_ERROR_KIND = "worker"
#: Columns of a Parquet shard written by :func:`run_dask`.
SHARD_COLUMNS = ("record", "id", "source", "error")

_END = object()
_SHARD_NAME = "part-{:05d}.parquet"
_SHARD_GLOB = "part-*.parquet"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class WorkerStartupError(RuntimeError):
    """A worker process could not start or could not load the spaCy pipeline."""


# ============================================================================================ in-process


def analyze_stream(
    items: Iterable[Document | InputError],
    nlp: Language | None = None,
    batch_size: int = 16,
    *,
    zone: bool = True,
) -> Iterator[dict[str, Any]]:
    """:func:`~presslens.pipeline.analyze_many`, batch by batch inside ``nlp.memory_zone()``.

    The records are the same as ``analyze_many``'s (they are plain dicts, built before each zone closes).
    What changes is memory: without zones, spaCy's ``StringStore`` keeps every new string (names, numbers,
    misspellings) of every article it has seen, so a long-running process grows; with them, those strings
    are dropped after each batch. ``zone=False`` is plain ``analyze_many``.
    """
    nlp = nlp or default_nlp()
    if not zone:
        yield from analyze_many(items, nlp=nlp, batch_size=batch_size)
        return
    iterator = iter(items)
    while group := list(islice(iterator, max(1, batch_size))):
        with nlp.memory_zone():
            records = list(analyze_many(group, nlp=nlp, batch_size=batch_size))
        yield from records


# ============================================================================================ processes


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "it stopped responding"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (often the out-of-memory killer)" if name == "SIGKILL" else ""
        return f"killed by {name}{hint}"
    return f"exit status {code}"


def _worker_main(conn: Connection, loader: Callable[[], Language], batch_size: int, zone: bool) -> None:
    """The loop of one worker process: load the pipeline once, then analyse chunk after chunk."""
    # The parent handles Ctrl-C and shuts the workers down; a worker must not die of it mid-chunk.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        nlp = loader()
    except BaseException:
        conn.send(("init_error", traceback.format_exc()))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task_id, docs = message
        try:
            records = list(analyze_stream(docs, nlp, batch_size, zone=zone))
        except Exception as exc:  # analyze_many catches per document; this is e.g. a MemoryError in spaCy
            detail = f"{type(exc).__name__}: {exc}"
            records = [error_record(d.source, "analysis", detail) for d in docs]
        conn.send(("done", task_id, records))


@dataclass
class _Slot:
    """One chunk of the input, in input order: its records as they arrive (``None`` until then)."""

    records: list[dict[str, Any] | None]
    missing: int = 0


@dataclass
class _Task:
    """Documents of one slot sent to a worker together; ``positions`` are their places in the slot."""

    slot: int
    positions: list[int]
    docs: list[Document]
    alone: bool = False  # a retry of one document after its chunk's worker died
    tid: int = -1
    started: float = 0.0


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    task: _Task | None = None
    pid: int | None = None


class WorkerPool:
    """Worker processes that each load the spaCy pipeline once and then analyse chunk after chunk.

    :func:`analyze_parallel` makes one for a single stream; make one yourself to analyse several streams
    with the same warm workers, or to start them (:meth:`start`) before the clock starts::

        with WorkerPool(4) as pool:
            pool.start(wait=True)
            for record in pool.analyze(iter_inputs(paths)):
                ...

    The arguments are those of :func:`analyze_parallel`. The processes start at the first :meth:`start` or
    at the first document that :meth:`analyze` has to send, and stop at :meth:`close`.
    """

    def __init__(
        self,
        workers: int,
        *,
        batch_size: int = 16,
        chunk: int = 8,
        max_ahead: int | None = None,
        task_timeout: float | None = None,
        loader: Callable[[], Language] = load_nlp,
        zone: bool = True,
        context: str = "spawn",
    ) -> None:
        if workers < 1 or chunk < 1 or batch_size < 1:
            raise ValueError("workers, chunk and batch_size must be at least 1")
        if max_ahead is not None and max_ahead < 1:
            raise ValueError("max_ahead must be at least 1")
        self.size = workers
        self.chunk = chunk
        self.max_ahead = max_ahead or 4 * workers
        self.task_timeout = task_timeout
        self._ctx = multiprocessing.get_context(context)
        self._args = (loader, batch_size, zone)
        self._workers: list[_Worker] = []
        self._task_ids = iter(range(1 << 62))
        self._running = False

    # ------------------------------------------------------------------ processes

    @property
    def pids(self) -> list[int | None]:
        """The process ids of the workers (``None`` for one that is still starting)."""
        return [w.pid for w in self._workers]

    def start(self, wait: bool = False) -> None:
        """Start the worker processes if they are not running; with *wait*, return once every one of them
        has loaded its pipeline.

        Raises:
            WorkerStartupError: a worker could not load the pipeline.
        """
        if not self._workers:
            self._workers = [self._spawn() for _ in range(self.size)]
        while wait and not all(w.ready for w in self._workers):
            ready = set(_wait_any(self._workers, None))
            for worker in list(self._workers):
                self._receive(worker, ready, None, None)

    def close(self) -> None:
        """Stop the worker processes (idle ones are asked to finish, the others are terminated)."""
        asked = []
        for w in self._workers:
            if w.ready and w.task is None:
                with contextlib.suppress(OSError, ValueError):
                    w.conn.send(None)
                    asked.append(w)
        deadline = time.monotonic() + 5.0
        for w in self._workers:
            _stop(w, grace=max(0.0, deadline - time.monotonic()) if any(w is a for a in asked) else 0.0)
        self._workers = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=_worker_main, args=(child, *self._args), name="presslens-worker", daemon=True)
        proc.start()
        child.close()
        return _Worker(process=proc, conn=parent)

    def _replace(self, worker: _Worker) -> None:
        _stop(worker, grace=0.0)
        self._workers[self._workers.index(worker)] = self._spawn()

    def _receive(
        self,
        worker: _Worker,
        ready: set[Any],
        done: Callable[[_Task, Sequence[dict[str, Any]]], None] | None,
        lost: Callable[[_Worker, str], None] | None,
    ) -> None:
        """Take in what *worker* sent: its records go to *done* with the task they answer. If it died (or
        overran the task timeout), its task goes to *lost*, and another process takes its place."""
        dead = worker.process.sentinel in ready
        if worker.conn in ready or dead:
            try:
                while worker.conn.poll():
                    message = worker.conn.recv()
                    kind = message[0]
                    if kind == "ready":
                        worker.ready, worker.pid = True, message[1]
                    elif kind == "init_error":
                        raise WorkerStartupError(
                            f"a presslens worker process could not load the pipeline:\n{message[1]}"
                        )
                    elif kind == "done" and worker.task is not None and message[1] == worker.task.tid:
                        task, worker.task = worker.task, None
                        if done is not None:
                            done(task, message[2])
            except WorkerStartupError:
                raise
            except Exception:  # EOF, or a message cut short by the death of its sender
                dead = True
        if dead:
            worker.process.join(1.0)
            how = _describe_exit(worker.process.exitcode)
            if not worker.ready:
                raise WorkerStartupError(f"a presslens worker process died while loading the pipeline ({how})")
            if lost is not None:
                lost(worker, how)
            self._replace(worker)
        elif (
            self.task_timeout is not None
            and lost is not None
            and worker.task is not None
            and time.monotonic() - worker.task.started > self.task_timeout
        ):
            lost(worker, f"it spent over {self.task_timeout:g} s on one chunk and was stopped")
            self._replace(worker)

    # ------------------------------------------------------------------ analysis

    def analyze(self, items: Iterable[Document | InputError]) -> Iterator[dict[str, Any]]:
        """Yield one record per item of *items*, in order (see :func:`analyze_parallel`). One stream at a
        time: a second ``analyze`` while one is still being read raises ``RuntimeError``."""
        if self._running:
            raise RuntimeError("this WorkerPool is already analysing a stream")
        self._running = True
        try:
            yield from self._analyze(iter(items))
        finally:
            self._running = False
            # A stream left unfinished leaves chunks in flight: stop those workers rather than wait.
            for worker in list(self._workers):
                if worker.task is not None:
                    worker.task = None
                    self._replace(worker)

    def _analyze(self, source: Iterator[Document | InputError]) -> Iterator[dict[str, Any]]:
        chunk, max_ahead, timeout_s = self.chunk, self.max_ahead, self.task_timeout
        exhausted = False
        slots: dict[int, _Slot] = {}
        next_slot = 0  # the number of the next slot to read
        next_out = 0  # the number of the next slot to yield
        pending: deque[_Task] = deque()  # tasks waiting for a worker; retries go in front

        def read_chunk() -> _Task | None:
            """Read the next slot, filling in its InputErrors at once. Its task, or ``None`` if it has no
            documents (or the input is at its end)."""
            nonlocal exhausted, next_slot
            records: list[dict[str, Any] | None] = []
            task = _Task(slot=next_slot, positions=[], docs=[])
            while len(task.docs) < chunk:
                item = next(source, _END)
                if item is _END:
                    exhausted = True
                    break
                if isinstance(item, InputError):
                    records.append(error_record(item.source, item.kind, item.message))
                else:
                    task.positions.append(len(records))
                    task.docs.append(item)
                    records.append(None)
            if not records:
                return None
            slots[next_slot] = _Slot(records=records, missing=len(task.docs))
            next_slot += 1
            return task if task.docs else None

        def window_open() -> bool:
            return not exhausted and next_slot - next_out < max_ahead

        def completed() -> Iterator[dict[str, Any]]:
            nonlocal next_out
            while next_out in slots and slots[next_out].missing == 0:
                done = slots.pop(next_out)
                next_out += 1
                for rec in done.records:
                    assert rec is not None
                    yield rec

        def fill(task: _Task, records: Sequence[dict[str, Any]]) -> None:
            slot = slots[task.slot]
            for pos, rec in zip(task.positions, records, strict=True):
                slot.records[pos] = rec
            slot.missing -= len(task.positions)

        def lost(worker: _Worker, how: str) -> None:
            """Its worker died (or hung) over a task: retry each document alone, or give up on it."""
            task = worker.task
            worker.task = None
            if task is None:
                return
            if task.alone:
                message = f"the worker process analysing this document died ({how}); the run went on without it"
                fill(task, [error_record(d.source, WORKER_ERROR_KIND, message) for d in task.docs])
            else:
                singles = [
                    _Task(slot=task.slot, positions=[p], docs=[d], alone=True)
                    for p, d in zip(task.positions, task.docs, strict=True)
                ]
                pending.extendleft(reversed(singles))

        # Input that holds no document at all (only input errors) needs no worker process.
        while not pending and window_open():
            first = read_chunk()
            if first is not None:
                pending.append(first)
            yield from completed()
        if not pending:
            yield from completed()
            return
        self.start()
        while True:
            # 1. hand work to idle workers: retries and chunks already read first, then new chunks
            for worker in [w for w in self._workers if w.ready and w.task is None]:
                while not pending and window_open():
                    task = read_chunk()
                    if task is not None:
                        pending.append(task)
                if not pending:
                    break
                task = pending.popleft()
                task.tid = next(self._task_ids)
                task.started = time.monotonic()
                worker.task = task
                with contextlib.suppress(OSError, ValueError):  # a dead worker is found by its sentinel
                    worker.conn.send((task.tid, task.docs))
            # 2. yield what is complete, in order
            yield from completed()
            if exhausted and not slots:
                return
            busy = [w for w in self._workers if w.task is not None]
            idle = [w for w in self._workers if w.ready and w.task is None]
            if not busy and idle and (pending or window_open()):
                continue  # the window has just opened again: read on
            # 3. wait for a result, a worker that has loaded its pipeline, or a worker that died
            timeout = None
            if timeout_s is not None and busy:
                oldest = min(w.task.started for w in busy if w.task is not None)
                timeout = max(0.0, oldest + timeout_s - time.monotonic())
            ready = set(_wait_any(self._workers, timeout))
            for worker in list(self._workers):
                self._receive(worker, ready, fill, lost)


def _wait_any(workers: Sequence[_Worker], timeout: float | None) -> list[Any]:
    waitables: list[Any] = []
    for w in workers:
        waitables += [w.conn, w.process.sentinel]
    return wait(waitables, timeout)


def _stop(worker: _Worker, grace: float) -> None:
    proc = worker.process
    proc.join(grace)
    if proc.is_alive():
        proc.terminate()
        proc.join(2.0)
    if proc.is_alive():  # pragma: no cover - a worker that ignores SIGTERM
        proc.kill()
        proc.join()
    with contextlib.suppress(OSError):
        worker.conn.close()
    with contextlib.suppress(ValueError):
        proc.close()


def analyze_parallel(
    items: Iterable[Document | InputError],
    workers: int,
    batch_size: int = 16,
    chunk: int = 8,
    *,
    max_ahead: int | None = None,
    task_timeout: float | None = None,
    loader: Callable[[], Language] = load_nlp,
    zone: bool = True,
    context: str = "spawn",
) -> Iterator[dict[str, Any]]:
    """Analyse a stream of documents with *workers* processes; yield one record per item, in input order.

    Each worker process loads the pipeline once (``loader()``, by default
    :func:`presslens.pipeline.load_nlp`; it must be a module-level function, so that a spawned process can
    import it) and then analyses chunks of *chunk* documents with ``nlp.pipe(batch_size=batch_size)`` inside
    a memory zone (:func:`analyze_stream`). At most *max_ahead* chunks (default ``4 * workers``) are read
    from *items* and not yet yielded, so memory stays bounded however long the input is, and a slow consumer
    slows the reading down. The records are those of :func:`~presslens.pipeline.analyze_many`.

    An :class:`~presslens.readers.InputError` becomes its error record in this process; input made only of
    them starts no worker. A document whose analysis raises becomes an ``"analysis"`` error record, as in
    ``analyze_many``. If a worker process dies (a crash in native code, the out-of-memory killer) or spends
    more than *task_timeout* seconds on a chunk, it is replaced and each document of its chunk is retried
    once on its own; a document that kills its worker again becomes an error record of kind ``"worker"``
    that says how the worker died, and the run goes on.

    ``workers=1`` runs in this process, with no worker process at all (and no crash protection).
    *context* is the ``multiprocessing`` start method: ``"spawn"`` (the default) or ``"forkserver"``;
    both are safe in a program that runs threads, which ``"fork"`` is not.

    Raises:
        ValueError: *workers*, *chunk* or *batch_size* below 1.
        WorkerStartupError: a worker process could not load the pipeline.
    """
    if workers < 1 or chunk < 1 or batch_size < 1:
        raise ValueError("workers, chunk and batch_size must be at least 1")
    if workers == 1:
        nlp = default_nlp() if loader is load_nlp else loader()
        yield from analyze_stream(items, nlp, batch_size, zone=zone)
        return
    with WorkerPool(
        workers,
        batch_size=batch_size,
        chunk=chunk,
        max_ahead=max_ahead,
        task_timeout=task_timeout,
        loader=loader,
        zone=zone,
        context=context,
    ) as pool:
        yield from pool.analyze(items)


# ============================================================================================ Dask

# The pipeline of this worker process (one per process: tasks on several threads take turns with it).
_WORKER_NLP: Language | None = None
_WORKER_LOCK = threading.Lock()


def _worker_nlp() -> Language:
    """This process's pipeline, loaded on first use."""
    global _WORKER_NLP
    with _WORKER_LOCK:
        if _WORKER_NLP is None:
            _WORKER_NLP = load_nlp()
        return _WORKER_NLP


@dataclass(frozen=True)
class Unit:
    """A part of the input that one task can read on its own.

    ``kind`` is ``"path"`` (a file, or a directory read whole, with ``read_path``), ``"slice"`` (items
    ``start:stop`` of what ``read_path`` yields for a big JSONL, CSV or Parquet file), ``"url"`` (an input
    that the worker reads with ``iter_inputs``: a URL to fetch) or ``"inline"`` (items already read on the
    client: standard input, paths that are not regular files here). ``given`` is the input as the user
    wrote it, which record sources keep; ``path`` is its absolute form, which the workers open. ``weight``
    is about how many documents it holds.
    """

    kind: str
    given: str
    path: str = ""
    start: int = 0
    stop: int | None = None
    items: tuple[Document | InputError, ...] = ()
    weight: int = 1


#: run_dask makes partitions smaller than ``partition_size`` where the input is too small to give every
#: worker thread this many of them.
PARTITIONS_PER_THREAD = 16
#: A big file is cut into at most this many slices. Each slice reads the file from its start and keeps its
#: own items, so reading costs grow with the number of slices; parsing is cheap next to analysis.
MAX_SLICES_PER_FILE = 256
# Extensions (after any .gz) whose files yield one item per line or row, so that they can be sliced.
_SLICEABLE = (".jsonl", ".csv", ".parquet")


def _inner_extension(path: str) -> str:
    name = os.path.basename(path).lower().removesuffix(".gz")
    return os.path.splitext(name)[1]


def _directory_files(root: str) -> list[str] | None:
    """The files ``read_path`` reads from a directory, in its order; ``None`` if it cannot list them all
    or finds none (the directory is then one unit, so that its errors come out exactly as they would)."""
    failed = False

    def on_error(_exc: OSError) -> None:
        nonlocal failed
        failed = True

    found: list[tuple[tuple[str, ...], str]] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        rel_dir = os.path.relpath(dirpath, root)
        for name in filenames:
            if not name.startswith(".") and name.lower().removesuffix(".gz").endswith(DIRECTORY_EXTENSIONS):
                rel = name if rel_dir == os.curdir else os.path.join(rel_dir, name)
                found.append((tuple(rel.split(os.sep)), rel))
    if failed or not found:
        return None
    found.sort()
    return [os.path.join(root, rel) for _, rel in found]


def _count_items(path: str, ext: str, max_bytes: int) -> int:
    """About how many items ``read_path`` yields for a JSONL, CSV or Parquet file (non-blank lines; rows);
    0 where that is not worth finding out. It need not be exact: the last slice of a file is open-ended."""
    try:
        gz = path.lower().endswith(".gz")
        if ext == ".parquet":
            if gz:
                return 0
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if ext == ".jsonl" and os.path.getsize(path) > max_bytes:
            return 0  # read whole or not at all: the worker reports it as too large
        count = 0
        with (gzip.open if gz else open)(path, "rb") as fh:
            for line in fh:
                if line.strip():
                    count += 1
        return count - 1 if ext == ".csv" else count
    except Exception:  # unreadable here: the worker reads it and reports the problem
        return 0


def _file_units(given: str, path: str, partition_size: int, max_bytes: int) -> list[Unit]:
    ext = _inner_extension(path)
    if ext == ".warc":  # no cheap count: weigh by size (a news page is some tens of KB in a WARC)
        with contextlib.suppress(OSError):
            return [Unit("path", given, path, weight=max(1, os.path.getsize(path) // 50_000))]
    if ext not in _SLICEABLE:
        return [Unit("path", given, path)]
    count = _count_items(path, ext, max_bytes)
    if count <= partition_size:
        return [Unit("path", given, path, weight=max(1, count))]
    size = max(partition_size, -(-count // MAX_SLICES_PER_FILE))
    return [
        Unit("slice", given, path, start=s, stop=None if s + size >= count else s + size, weight=min(size, count - s))
        for s in range(0, count, size)
    ]


def expand_inputs(
    inputs: Iterable[str],
    *,
    partition_size: int = 64,
    max_bytes: int = DEFAULT_MAX_BYTES,
    read_options: Mapping[str, Any] | None = None,
) -> list[Unit]:
    """The inputs as units that tasks can read independently, in the order that ``iter_inputs`` reads them.

    A directory becomes its files; a JSONL, CSV or Parquet file with more than *partition_size* items
    becomes slices of *partition_size* items (or more, for a file that would need over
    :data:`MAX_SLICES_PER_FILE`); an ``http(s)://`` URL is fetched by a worker; what workers cannot read for
    themselves (``-``, other URL schemes, paths that are not regular files here) is read here, on the client.
    *read_options* are further keyword arguments of ``iter_inputs`` (``fetch_links``, ``fetch_timeout``,
    ``allow_private``).
    """
    options = dict(read_options or {})
    units: list[Unit] = []
    for given in inputs:
        if given != "-" and is_url(given):
            units.append(Unit("url", given))
        elif given != "-" and not _SCHEME.match(given) and os.path.isdir(given):
            files = _directory_files(given)
            if files is None:
                units.append(Unit("path", given, os.path.abspath(given)))
            else:
                for f in files:
                    units += _file_units(f, os.path.abspath(f), partition_size, max_bytes)
        elif given != "-" and not _SCHEME.match(given) and os.path.isfile(given):
            units += _file_units(given, os.path.abspath(given), partition_size, max_bytes)
        else:
            items = tuple(iter_inputs([given], max_bytes=max_bytes, **options))
            units.append(Unit("inline", given, items=items, weight=max(1, len(items))))
    return units


def _partition(units: Sequence[Unit], partition_size: int) -> list[list[Unit]]:
    parts: list[list[Unit]] = []
    current: list[Unit] = []
    weight = 0
    for unit in units:
        if current and weight + unit.weight > partition_size:
            parts.append(current)
            current, weight = [], 0
        current.append(unit)
        weight += unit.weight
    if current:
        parts.append(current)
    return parts


def _relabel(source: str | None, path: str, given: str) -> str | None:
    """A source as ``read_path(given)`` names it, for an item that ``read_path(path)`` produced: the path
    itself, the path followed by ``:line``, ``:row``, ``#entry`` or ``#offset``, or (for a directory read
    whole) a path inside it."""
    if source is None or path == given or not source.startswith(path):
        return source
    rest = source[len(path) :]
    return given + rest if rest == "" or rest[0] in (":", "#", os.sep) else source


def _read_unit(unit: Unit, max_bytes: int, options: Mapping[str, Any]) -> Iterator[Document | InputError]:
    """The items of a unit, named as ``iter_inputs`` names them."""
    if unit.kind == "inline":
        yield from unit.items
        return
    if unit.kind == "url":
        yield from iter_inputs([unit.given], max_bytes=max_bytes, **options)
        return
    items: Iterator[Document | InputError] = read_path(unit.path, max_bytes=max_bytes, **options)
    if unit.kind == "slice":
        items = islice(items, unit.start, unit.stop)
    for item in items:
        source = _relabel(item.source, unit.path, unit.given)
        yield item if source == item.source else dataclasses.replace(item, source=source)


_SHARD_ROWS = 256


def _shard_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            pa.field("record", pa.large_string(), nullable=False),
            pa.field("id", pa.string()),
            pa.field("source", pa.string()),
            pa.field("error", pa.bool_(), nullable=False),
        ],
        metadata={"presslens.schema": SCHEMA_ID, "presslens.version": __version__},
    )


def _write_shard(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write records to a shard as they come, in row groups; atomically (a reader never sees half a shard).
    Returns the number of records written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _shard_schema()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    written = 0
    try:
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            batch: list[dict[str, Any]] = []
            for rec in itertools.chain(records, [None]):
                if rec is not None:
                    batch.append(rec)
                if batch and (rec is None or len(batch) >= _SHARD_ROWS):
                    columns = {
                        "record": [json.dumps(r, ensure_ascii=False) for r in batch],
                        "id": [r["article"].get("id") for r in batch],
                        "source": [r["article"].get("source") for r in batch],
                        "error": ["error" in r for r in batch],
                    }
                    writer.write_table(pa.table(columns, schema=schema))
                    written += len(batch)
                    batch = []
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return written


def _dask_partition(
    index: int, units: Sequence[Unit], out_dir: str, max_bytes: int, batch_size: int, options: Mapping[str, Any]
) -> dict[str, Any]:
    """One Dask task: read the units, analyse them with this worker's pipeline, write one shard."""
    nlp = _worker_nlp()
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

    Raises:
        FileExistsError: *out_dir* already holds ``part-*.parquet`` shards and *overwrite* is false (with
            *overwrite*, they are removed first, so no stale shard of an older run stays behind).
    """
    out = _shard_dir(out_dir, partition_size, overwrite)
    options = dict(read_options or {})
    units = expand_inputs(inputs, partition_size=partition_size, max_bytes=max_bytes, read_options=options)
    return _run_units(address, n_workers, units, partition_size, out, max_bytes, batch_size, options)


def run_dask_items(
    items: Iterable[Document | InputError],
    address: str,
    out_dir: Path | str,
    *,
    partition_size: int = 64,
    n_workers: int | None = None,
    batch_size: int = 16,
    overwrite: bool = False,
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
    return _run_units(address, n_workers, units, partition_size, out, DEFAULT_MAX_BYTES, batch_size, {})


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
) -> list[Path]:
    if address == "local":
        with local_cluster(n_workers) as local_address:
            return _submit(local_address, units, partition_size, out, max_bytes, batch_size, options)
    return _submit(address, units, partition_size, out, max_bytes, batch_size, options)


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


def read_shards(paths: Iterable[Path | str]) -> Iterator[dict[str, Any]]:
    """The records stored in Parquet shards written by :func:`run_dask`, shard by shard, in order."""
    import pyarrow.parquet as pq

    for path in paths:
        pf = pq.ParquetFile(path)
        for batch in pf.iter_batches(columns=["record"], batch_size=256):
            for text in batch.column(0).to_pylist():
                yield json.loads(text)
