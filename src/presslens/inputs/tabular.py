"""JSON Lines, CSV and Parquet: one document per line or row, streamed."""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import json
import os
import re
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import IO, Any

from presslens.inputs.document import (
    _BOMS,
    _CSV_SAMPLE_BYTES,
    _HTML_SNIFF,
    _JSONL_FIELDS,
    _MAX_GUNZIPPED_PARQUET,
    _PARQUET_BATCH_ROWS,
    _SNIFF_BYTES,
    _TABLE_FIELDS,
    _TABLE_TEXT_COLUMNS,
    BinaryContentError,
    DecodeError,
    Document,
    InputError,
    _CappedGzip,
    _decode_or_problem,
    _detect_encoding,
    _gzip_problem,
    _inner_extension,
    _InputProblem,
    _Options,
    _os_problem,
    _read_file_bytes,
    _short_detail,
    _stat_size,
    _too_large,
    _unexpected,
)

# --------------------------------------------------------------------------------------------- jsonl


def _parse_jsonl(text: str, source: str) -> Iterator[Document | InputError]:
    """One :class:`Document` per JSON line; an :class:`InputError` (kind ``json``) per broken line."""
    if not text.strip():
        raise _InputProblem("empty", "input is empty" if not text else "input contains only whitespace")
    # Split on "\n" only: JSON strings may legally contain U+2028 and friends, which splitlines() breaks on.
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            yield _jsonl_record(line, where)
        except _InputProblem as exc:
            yield InputError(source=where, kind=exc.kind, message=exc.message)
        except Exception as exc:  # e.g. RecursionError on absurdly nested JSON
            yield InputError(source=where, kind="json", message=_unexpected(exc))


def _read_jsonl(path: str, opts: _Options) -> Iterator[Document | InputError]:
    """JSON Lines from a file: read whole (with encoding detection) when it is within ``max_bytes``, else
    streamed line by line as UTF-8, each line capped at ``max_bytes`` (a longer one is an error for that line,
    read and dropped in bounded pieces), a ``.gz`` under the per-file decompression caps."""
    size = _stat_size(path)
    gzipped = path.lower().endswith(".gz")
    if not gzipped and size <= opts.max_bytes:
        yield from _parse_jsonl(_decode_or_problem(_read_file_bytes(path, opts.max_bytes)), path)
        return
    try:
        raw: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise _os_problem(exc) from None
    with contextlib.ExitStack() as stack:
        stack.enter_context(raw)
        if gzipped:
            raw = stack.enter_context(io.BufferedReader(_CappedGzip(raw)))
            try:
                head = raw.read(opts.max_bytes + 1)
            except (OSError, EOFError, zlib.error) as exc:
                raise _gzip_problem(exc) from None
            if len(head) <= opts.max_bytes:
                yield from _parse_jsonl(_decode_or_problem(head), path)
                return
            del head
            raw.seek(0)
        lineno = 0
        found = False
        while True:
            lineno += 1
            where = f"{path}:{lineno}"
            try:
                line = raw.readline(opts.max_bytes + 1)
            except (OSError, EOFError, zlib.error) as exc:
                problem = _gzip_problem(exc)
                yield InputError(source=where, kind=problem.kind, message=problem.message)
                return
            if not line:
                break
            if len(line) > opts.max_bytes and not line.endswith(b"\n"):
                found = True
                yield InputError(source=where, kind="too_large", message=f"line is over {opts.max_bytes:,} bytes")
                while line and not line.endswith(b"\n"):
                    line = raw.readline(1 << 20)
                continue
            if lineno == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            found = True
            try:
                yield _jsonl_record(line.decode("utf-8"), where)
            except UnicodeDecodeError as exc:
                yield InputError(source=where, kind="decode", message=f"line is not valid UTF-8 (byte {exc.start:,})")
            except _InputProblem as exc:
                yield InputError(source=where, kind=exc.kind, message=exc.message)
            except Exception as exc:  # e.g. RecursionError on absurdly nested JSON
                yield InputError(source=where, kind="json", message=_unexpected(exc))
        if not found:
            raise _InputProblem("empty", "input contains only whitespace")


def _jsonl_record(line: str, where: str) -> Document:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _InputProblem("json", f"line is not valid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(record, dict):
        raise _InputProblem("json", f"line is a JSON {_json_type(record)}, not an object")
    if "text" not in record:
        raise _InputProblem("json", 'record has no "text" field')
    text = record["text"]
    if not isinstance(text, str):
        raise _InputProblem("json", f'"text" must be a string, not {_json_type(text)}')
    if not text.strip():
        raise _InputProblem("json", '"text" is empty')
    doc_id = record.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    elif doc_id is not None and not isinstance(doc_id, str):
        raise _InputProblem("json", f'"id" must be a string or integer, not {_json_type(doc_id)}')
    fields: dict[str, str | None] = {}
    for name in _JSONL_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise _InputProblem("json", f'"{name}" must be a string or null, not {_json_type(value)}')
        fields[name] = value
    source = fields.pop("source") or where
    return Document(text=text, source=source, id=doc_id or None, **fields)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _sniff_format(text: str) -> str:
    """Guess the format of stdin: ``"jsonl"``, ``"html"`` or ``"text"``."""
    lines = [line for line in text.split("\n") if line.strip()]
    if lines and all(line.lstrip().startswith("{") for line in lines):
        return "jsonl"
    if text.lstrip().startswith("<") and _HTML_SNIFF.search(text):
        return "html"
    return "text"


# --------------------------------------------------------------------------------------------- tables


def is_record_shard(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a Parquet file of already-analysed presslens records (a shard written by the
    distributed runner): a ``.parquet`` (or ``.parquet.gz``) file with a top-level column named ``record``.

    Reads only the file's schema (the footer). Never raises: anything that is not a readable Parquet file
    is not a shard.
    """
    path = os.fspath(path)
    if _inner_extension(path) != ".parquet" or not os.path.isfile(path):
        return False
    try:
        with _parquet_file(path) as parquet:
            return "record" in parquet.schema_arrow.names
    except Exception:
        return False


_SHARD_MESSAGE = "a presslens record shard: load it with `presslens ingest`"


@contextlib.contextmanager
def _parquet_file(path: str) -> Iterator[Any]:
    """A ``pyarrow.parquet.ParquetFile``; a ``.parquet.gz`` is first decompressed to a temporary file."""
    import pyarrow.parquet as pq

    if not path.lower().endswith(".gz"):
        parquet = pq.ParquetFile(path)
        try:
            yield parquet
        finally:
            parquet.close()
        return
    with tempfile.TemporaryFile(prefix="presslens-", suffix=".parquet") as tmp:
        try:
            with gzip.open(path, "rb") as gz:
                copied = 0
                while True:
                    block = gz.read(1 << 20)
                    if not block:
                        break
                    copied += len(block)
                    if copied > _MAX_GUNZIPPED_PARQUET:
                        raise _InputProblem(
                            "too_large",
                            f"decompressed Parquet is over {_MAX_GUNZIPPED_PARQUET:,} bytes; decompress it first",
                        )
                    tmp.write(block)
        except (OSError, EOFError, zlib.error) as exc:
            raise _gzip_problem(exc) from None
        tmp.seek(0)
        parquet = pq.ParquetFile(tmp)
        try:
            yield parquet
        finally:
            parquet.close()


def _column_map(names: Iterable[str]) -> tuple[str | None, dict[str, str]]:
    """The text column and the metadata columns present, matched case-insensitively and stripped."""
    by_key: dict[str, str] = {}
    for name in names:
        if isinstance(name, str):
            by_key.setdefault(name.strip().lower(), name)
    text = next((by_key[key] for key in _TABLE_TEXT_COLUMNS if key in by_key), None)
    fields = {field: by_key[field] for field in _TABLE_FIELDS if field in by_key}
    return text, fields


def _no_text_column(names: Iterable[str]) -> _InputProblem:
    shown = ", ".join(repr(n) for n in list(names)[:12]) or "none"
    return _InputProblem("unsupported", f'no "text", "body" or "content" column (columns: {shown})')


def _table_row(values: dict[str, Any], text_column: str, fields: dict[str, str], where: str, opts: _Options,
               kind: str) -> Document:  # fmt: skip
    text = values.get(text_column)
    if text is None:
        raise _InputProblem(kind, f'row has no "{text_column}" value')
    if not isinstance(text, str):
        raise _InputProblem(kind, f'"{text_column}" must be text, not {type(text).__name__}')
    if _has_surrogates(text):
        raise _InputProblem("decode", "row is not valid text in the file's encoding")
    if not text.strip():
        raise _InputProblem(kind, f'"{text_column}" is empty')
    if len(text) > opts.max_bytes or len(text.encode("utf-8")) > opts.max_bytes:
        raise _too_large("the row's text is larger", opts.max_bytes)
    meta: dict[str, str | None] = {}
    for field, column in fields.items():
        meta[field] = _table_value(values.get(column), field, column, kind)
    source = meta.pop("source", None) or where
    doc_id = meta.pop("id", None)
    return Document(text=text, source=source, id=doc_id, **meta)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogates(text: str) -> bool:
    """Lone surrogates: bytes that did not decode (read with ``surrogateescape``)."""
    return _SURROGATE.search(text) is not None


def _table_value(value: Any, field: str, column: str, kind: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if _has_surrogates(value):
            raise _InputProblem("decode", f'"{column}" is not valid text in the file\'s encoding')
        return value or None
    if field == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if field == "published" and isinstance(value, datetime | date):
        return value.isoformat()
    raise _InputProblem(kind, f'"{column}" must be text, not {type(value).__name__}')


def _read_csv(path: str, opts: _Options) -> Iterator[Document | InputError]:
    """One :class:`Document` per CSV row (see the module docstring), streamed."""
    _stat_size(path)
    try:
        raw: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise _os_problem(exc) from None
    with contextlib.ExitStack() as stack:
        stack.enter_context(raw)
        if path.lower().endswith(".gz"):
            raw = stack.enter_context(io.BufferedReader(_CappedGzip(raw)))
        try:
            sample = raw.read(_CSV_SAMPLE_BYTES)
        except (OSError, EOFError, zlib.error) as exc:
            raise _gzip_problem(exc) from None
        encoding = _csv_encoding(sample)
        raw.seek(0)
        text_stream = io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="")
        # A news article can exceed csv's default 128 KiB field limit; rows are capped at max_bytes instead.
        if csv.field_size_limit() < opts.max_bytes + 1:
            csv.field_size_limit(opts.max_bytes + 1)
        lines = _CappedLines(text_stream, opts.max_bytes + _CSV_SAMPLE_BYTES)
        reader = csv.reader(lines)
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeError) as exc:
            raise _InputProblem("csv", f"cannot read the CSV header: {exc}") from None
        except (OSError, EOFError, zlib.error) as exc:
            raise _gzip_problem(exc) from None
        if header is None or not any(cell.strip() for cell in header):
            raise _InputProblem("empty", "the CSV file is empty")
        header = [cell.lstrip("\ufeff") for cell in header]
        text_column, fields = _column_map(header)
        if text_column is None:
            raise _no_text_column(header)
        row = 0
        while True:
            row += 1
            where = f"{path}:{row}"
            try:
                cells = next(reader)
            except StopIteration:
                break
            except _LineTooLong as exc:
                yield InputError(source=where, kind="too_large", message=str(exc))
                continue
            except csv.Error as exc:
                yield InputError(source=where, kind="csv", message=f"row is not valid CSV: {exc}")
                continue
            except (OSError, EOFError, zlib.error) as exc:
                problem = _gzip_problem(exc)
                yield InputError(source=where, kind=problem.kind, message=problem.message)
                return
            if not cells or not any(cell.strip() for cell in cells):
                row -= 1  # blank lines are not rows
                continue
            if len(cells) > len(header):
                yield InputError(
                    source=where, kind="csv", message=f"row has {len(cells)} fields, the header {len(header)}"
                )
                continue
            values: dict[str, Any] = dict(zip(header, cells, strict=False))
            try:
                yield _table_row(values, text_column, fields, where, opts, "csv")
            except _InputProblem as exc:
                yield InputError(source=where, kind=exc.kind, message=exc.message)
        if row == 1:
            raise _InputProblem("empty", "the CSV file has a header but no rows")


class _LineTooLong(Exception):
    """A physical line over the cap; it was read and dropped in bounded pieces."""


class _CappedLines:
    """The lines of a text stream for ``csv.reader``, none held longer than *cap* characters: a longer line is
    skipped in pieces and reported by :class:`_LineTooLong` (the reader stays usable for the next row)."""

    def __init__(self, stream: IO[str], cap: int) -> None:
        self.stream = stream
        self.cap = cap
        self.skipping = False

    def __iter__(self) -> _CappedLines:
        return self

    def __next__(self) -> str:
        if self.skipping:  # the rest of an over-long line, read in bounded pieces and dropped
            line = "-"
            while line and not line.endswith("\n"):
                line = self.stream.readline(1 << 20)
            self.skipping = False
        line = self.stream.readline(self.cap + 1)
        if not line:
            raise StopIteration
        if len(line) > self.cap and not line.endswith("\n"):
            self.skipping = True
            raise _LineTooLong(f"the row has a line over {self.cap:,} characters (--max-bytes); it was skipped")
        return line


def _csv_encoding(sample: bytes) -> str:
    """The encoding of a CSV file judged from its first 64 KB (see :func:`decode_text`)."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    if b"\x00" in sample[:_SNIFF_BYTES]:
        raise BinaryContentError("content looks binary, not text (NUL bytes in the first 8 KB)")
    if len(sample) == _CSV_SAMPLE_BYTES and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # no character cut in half at the end
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        # Mostly valid UTF-8 with a few stray bytes: UTF-8, and the rows with stray bytes become errors.
        text = sample.decode("utf-8", "surrogateescape")
        stray = len(_SURROGATE.findall(text))
        valid = sum(1 for ch in text if ch > "\x7f") - stray
        if valid and stray * 10 <= valid:
            return "utf-8"
        try:
            return _detect_encoding(sample)
        except DecodeError:
            return "utf-8"
    return "utf-8"


def _read_parquet(path: str, opts: _Options) -> Iterator[Document | InputError]:
    """One :class:`Document` per Parquet row, read in batches of the needed columns only."""
    import pyarrow as pa

    _stat_size(path)
    with contextlib.ExitStack() as stack:
        try:
            parquet = stack.enter_context(_parquet_file(path))
        except _InputProblem:
            raise
        except OSError as exc:
            raise _os_problem(exc) from None
        except Exception as exc:
            raise _InputProblem("parquet", f"not a readable Parquet file: {_short_detail(exc)}") from None
        schema = parquet.schema_arrow
        if "record" in schema.names:
            raise _InputProblem("unsupported", _SHARD_MESSAGE)
        text_column, fields = _column_map(schema.names)
        if text_column is None:
            raise _no_text_column(schema.names)
        text_type = schema.field(text_column).type
        if not (pa.types.is_string(text_type) or pa.types.is_large_string(text_type)):
            raise _InputProblem("parquet", f'column "{text_column}" holds {text_type}, not strings')
        if parquet.metadata.num_rows == 0:
            raise _InputProblem("empty", "the Parquet file has no rows")
        columns = list(dict.fromkeys([text_column, *fields.values()]))
        batches = parquet.iter_batches(batch_size=_PARQUET_BATCH_ROWS, columns=columns)
        row = 0
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                break
            except Exception as exc:  # a corrupt page or row group: the rest of the file cannot be trusted
                yield InputError(
                    source=f"{path}:{row + 1}", kind="parquet", message=f"cannot read rows: {_short_detail(exc)}"
                )
                return
            data = batch.to_pydict()
            for i in range(batch.num_rows):
                row += 1
                where = f"{path}:{row}"
                values = {column: data[column][i] for column in columns}
                try:
                    yield _table_row(values, text_column, fields, where, opts, "parquet")
                except _InputProblem as exc:
                    yield InputError(source=where, kind=exc.kind, message=exc.message)
