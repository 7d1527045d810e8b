"""Files, directories, standard input and URLs turned into documents: the readers' entry points."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import presslens.inputs.fetch as _fetch
from presslens.inputs.document import (
    DEFAULT_MAX_BYTES,
    DIRECTORY_EXTENSIONS,
    Document,
    InputError,
    _decode_or_problem,
    _inner_extension,
    _InputProblem,
    _Options,
    _os_problem,
    _read_file_bytes,
    _too_large,
    _unexpected,
)
from presslens.inputs.feeds import _parse_feed
from presslens.inputs.html_reader import _parse_html
from presslens.inputs.tabular import _parse_jsonl, _read_csv, _read_jsonl, _read_parquet, _sniff_format
from presslens.inputs.urls import _read_url
from presslens.inputs.warc import _read_warc


def _parse(text: str, fmt: str, source: str) -> Iterator[Document | InputError]:
    """Turn decoded text in format ``fmt`` (``"text"``, ``"html"``, ``"jsonl"``) into results."""
    if fmt == "jsonl":
        yield from _parse_jsonl(text, source)
        return
    if not text.strip():
        raise _InputProblem("empty", "input is empty" if not text else "input contains only whitespace")
    if fmt == "html":
        yield _parse_html(text, source)
    else:
        yield Document(text=text, source=source)


def read_path(
    path: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fetch_links: bool = False,
    fetch_timeout: float = _fetch.DEFAULT_TIMEOUT,
    allow_private: bool | None = None,
) -> Iterator[Document | InputError]:
    """Read one file or directory given on the command line.

    A file's format follows its extension (see the module docstring; a trailing ``.gz`` is decompressed
    first, and anything unrecognised is read as text). A directory is walked recursively in sorted order for
    files ending in one of :data:`DIRECTORY_EXTENSIONS` (optionally ``.gz``), skipping hidden entries.
    ``max_bytes`` caps each file, except WARC, CSV and Parquet files, which are streamed and where it caps
    each record or row. ``fetch_links``, ``fetch_timeout`` and ``allow_private`` are as for
    :func:`iter_inputs`. Problems are yielded as :class:`InputError`; this generator does not raise for bad
    input.
    """
    opts = _Options(
        max_bytes=max_bytes, fetch_links=fetch_links, fetch_timeout=fetch_timeout, allow_private=allow_private
    )
    yield from _never_silent(path, _read_path(path, opts))


def _never_silent(source: str, items: Iterator[Document | InputError]) -> Iterator[Document | InputError]:
    """*items*, or an error record when an input yields neither a document nor an error (nothing is lost
    without a word: e.g. a WARC file whose records are all images)."""
    empty = True
    for item in items:
        empty = False
        yield item
    if empty:
        yield InputError(source=source, kind="empty", message="no articles found")


def _read_path(path: str, opts: _Options) -> Iterator[Document | InputError]:
    try:
        if os.path.isdir(path):
            yield from _read_directory(path, opts)
        else:
            yield from _read_file(path, opts)
    except _InputProblem as exc:
        yield InputError(source=path, kind=exc.kind, message=exc.message)
    except Exception as exc:  # one bad input must never stop the run
        yield InputError(source=path, kind="io", message=_unexpected(exc))


def _read_file(path: str, opts: _Options) -> Iterator[Document | InputError]:
    try:
        ext = _inner_extension(path)
        if ext == ".warc":
            yield from _read_warc(path, opts)
        elif ext == ".csv":
            yield from _read_csv(path, opts)
        elif ext == ".parquet":
            yield from _read_parquet(path, opts)
        elif ext == ".jsonl":
            yield from _read_jsonl(path, opts)
        elif ext in (".rss", ".atom", ".xml"):
            data = _read_file_bytes(path, opts.max_bytes)
            yield from _parse_feed(data, path, opts)
        else:
            data = _read_file_bytes(path, opts.max_bytes)
            fmt = "html" if ext in (".html", ".htm") else "jsonl" if ext == ".jsonl" else "text"
            text = _decode_or_problem(data)
            yield from _parse(text, fmt, path)
    except _InputProblem as exc:
        yield InputError(source=path, kind=exc.kind, message=exc.message)
    except Exception as exc:
        yield InputError(source=path, kind="io", message=_unexpected(exc))


def _wanted_in_directory(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return not name.startswith(".") and lower.endswith(DIRECTORY_EXTENSIONS)


def _read_directory(root: str, opts: _Options) -> Iterator[Document | InputError]:
    walk_errors: list[InputError] = []

    def on_error(exc: OSError) -> None:
        where = exc.filename if isinstance(exc.filename, str) else root
        problem = _os_problem(exc, "cannot list directory")
        walk_errors.append(InputError(source=where, kind=problem.kind, message=problem.message))

    found: list[tuple[tuple[str, ...], str]] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        rel_dir = os.path.relpath(dirpath, root)
        for name in filenames:
            if _wanted_in_directory(name):
                rel = name if rel_dir == os.curdir else os.path.join(rel_dir, name)
                found.append((tuple(rel.split(os.sep)), rel))
    found.sort()
    yield from walk_errors
    if not found and not walk_errors:
        listed = ", ".join(DIRECTORY_EXTENSIONS[:-1]) + " or " + DIRECTORY_EXTENSIONS[-1]
        yield InputError(source=root, kind="empty", message=f"directory has no {listed} files (plain or .gz)")
    for _, rel in found:
        yield from _read_file(os.path.join(root, rel), opts)


# --------------------------------------------------------------------------------------------- inputs


def _read_stdin(stdin: BinaryIO, max_bytes: int) -> Iterator[Document | InputError]:
    try:
        data = stdin.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _too_large(f"standard input is over {max_bytes:,} bytes", max_bytes)
        text = _decode_or_problem(data)
        yield from _parse(text, _sniff_format(text), "-")
    except _InputProblem as exc:
        yield InputError(source="-", kind=exc.kind, message=exc.message)
    except OSError as exc:
        problem = _os_problem(exc, "cannot read standard input")
        yield InputError(source="-", kind=problem.kind, message=problem.message)




def iter_inputs(
    inputs: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    fetch_links: bool = False,
    fetch_timeout: float = _fetch.DEFAULT_TIMEOUT,
    allow_private: bool | None = None,
) -> Iterator[Document | InputError]:
    """Yield documents (or per-input errors) for each command-line input, in order.

    Each input is a file path, a directory path, an ``http://`` or ``https://`` URL, or ``"-"`` for standard
    input (``stdin`` if given, else ``sys.stdin.buffer``), which is read up to ``max_bytes`` and sniffed as
    JSONL (every non-blank line starts with ``{``), HTML (starts with ``<`` and has an ``<html>``, ``<body>``
    or ``<p>`` tag) or plain text. Other URL schemes are ``unsupported``.

    URLs are fetched by :func:`presslens.fetch.fetch` within ``fetch_timeout`` seconds and ``max_bytes``;
    ``allow_private`` lets them reach private and loopback addresses (``None``: the module setting
    :data:`presslens.fetch.ALLOW_PRIVATE`). With ``fetch_links``, feed entries (from files or URLs) whose
    text is shorter than :data:`FETCH_LINKS_BELOW` characters are replaced by the page at their link, under
    the same rules.

    Never raises for a bad input: each problem becomes an :class:`InputError` and the remaining inputs (and
    the remaining entries, rows and records of the same file) are still read.
    """
    opts = _Options(
        max_bytes=max_bytes, fetch_links=fetch_links, fetch_timeout=fetch_timeout, allow_private=allow_private
    )
    for item in inputs:
        try:
            if item == "-":
                yield from _never_silent("-", _read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes))
            elif _fetch.is_url(item):
                yield from _never_silent(item, _read_url(item, opts))
            elif re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", item):
                yield InputError(
                    source=item,
                    kind="unsupported",
                    message="only http:// and https:// URLs are fetched; save the resource and pass the file",
                )
            else:
                yield from _never_silent(item, _read_path(item, opts))
        except Exception as exc:  # belt and braces: every reader already catches
            yield InputError(source=str(item), kind="io", message=_unexpected(exc))
