"""Worker processes on one machine: :func:`analyze_parallel` streams records in input order, with a bounded
number of chunks in flight."""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection, wait
from typing import Any

from spacy.language import Language

from presslens.inputs import Document, InputError
from presslens.record.pipeline import analyze_many, default_nlp, error_record, load_nlp

#: The error kind of a record whose document was lost because its worker process died.
WORKER_ERROR_KIND = "worker"

_END = object()


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
    """:func:`~presslens.record.pipeline.analyze_many`, batch by batch inside ``nlp.memory_zone()``.

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


def nlp_loader(**options: Any) -> Callable[[], Language]:
    """A loader for :func:`analyze_parallel` and :class:`WorkerPool`: ``load_nlp(**options)``, picklable (so
    spawned workers can load it); plain ``load_nlp`` when no option is given."""
    return functools.partial(load_nlp, **options) if options else load_nlp


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
    :func:`presslens.record.pipeline.load_nlp`; it must be a module-level function, so that a spawned process can
    import it) and then analyses chunks of *chunk* documents with ``nlp.pipe(batch_size=batch_size)`` inside
    a memory zone (:func:`analyze_stream`). At most *max_ahead* chunks (default ``4 * workers``) are read
    from *items* and not yet yielded, so memory stays bounded however long the input is, and a slow consumer
    slows the reading down. The records are those of :func:`~presslens.record.pipeline.analyze_many`.

    An :class:`~presslens.inputs.InputError` becomes its error record in this process; input made only of
    them starts no worker. A document whose analysis raises becomes an ``"analysis"`` error record, as in
    ``analyze_many``. If a worker process dies (a crash in native code, the out-of-memory killer) or spends
    more than *task_timeout* seconds on a chunk, it is replaced and each document of its chunk is retried
    once on its own; a document that kills its worker again becomes an error record of kind ``"worker"``
    that says how the worker died, and the run goes on.

    ``workers=1`` runs in this process, with no worker process at all (and no crash protection).
    For a pipeline with options (the accurate technique mode), pass ``loader=nlp_loader(accurate=True)``.
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
