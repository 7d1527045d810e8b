"""Inputs expanded into units that tasks can read apart: the files of directories, slices of big JSONL,
CSV and Parquet files, URLs."""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from presslens.inputs import DEFAULT_MAX_BYTES, DIRECTORY_EXTENSIONS, Document, InputError, iter_inputs, read_path
from presslens.inputs.fetch import is_url

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


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
