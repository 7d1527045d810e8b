"""WARC archives: one document per HTML response record."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from presslens.inputs.document import (
    _HTML_MEDIA_TYPES,
    Document,
    InputError,
    _clean_str,
    _InputProblem,
    _Options,
    _os_problem,
    _short_detail,
    _stat_size,
    _too_large,
)
from presslens.inputs.html_reader import _html_bytes_to_document

# --------------------------------------------------------------------------------------------- warc

_WARC_SCAN_CHUNK = 1 << 20


def _read_warc(path: str, opts: _Options) -> Iterator[Document | InputError]:
    """One :class:`Document` per HTML ``response`` record with status 200 (see the module docstring).

    warcio stops at the first record it cannot parse; then the file is scanned from just after that
    record's start for the next record start (a gzip member, or a ``WARC/1.x`` line), and reading resumes
    there. The broken record is reported once, as ``"<path>#<offset>"``. A ``.warc.gz`` compressed as one
    gzip stream rather than one member per record is read through a decompressing stream, and its offsets
    are then offsets into the decompressed WARC.
    """
    _stat_size(path)  # a clear not_found / io error before anything else
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below; the generator may be suspended
    except OSError as exc:
        raise _os_problem(exc) from None
    with fh:
        magic = fh.read(2)
        if not magic:
            raise _InputProblem("empty", "input is empty")
        gzipped = magic == b"\x1f\x8b"
        state = _WarcState()
        try:
            yield from _warc_stream(fh, path, opts, gzipped=gzipped, state=state)
        except _WholeFileGzip:
            fh.seek(0)
            with gzip.GzipFile(fileobj=fh) as stream:
                yield from _warc_stream(stream, path, opts, gzipped=False, state=state, skip=state.records)
        if state.warc_records == 0 and not state.errors:
            raise _InputProblem("warc", "not a WARC file: it holds no WARC records")


class _WholeFileGzip(Exception):
    """warcio found a gzip member holding more than one record."""


@dataclass
class _WarcState:
    records: int = 0  # records handed out so far (documents, errors and skipped ones alike)
    warc_records: int = 0  # of which WARC (not ARC or unparseable) records
    errors: int = 0


def _warc_stream(
    fh: BinaryIO, path: str, opts: _Options, *, gzipped: bool, state: _WarcState, skip: int = 0
) -> Iterator[Document | InputError]:
    from warcio.archiveiterator import ArchiveIterator

    start = 0
    reported: set[int] = set()
    resyncing = False  # after a failure, candidates that fail again are not reported again
    seen = 0
    while True:
        fh.seek(start)
        records = ArchiveIterator(fh)
        try:
            for record in records:
                offset = records.offset
                resyncing = False
                seen += 1
                if seen <= skip:
                    continue
                state.records += 1
                if str(getattr(record, "format", "")).startswith("warc"):
                    state.warc_records += 1
                where = f"{path}#{offset}"
                try:
                    doc = _warc_record(record, where, opts)
                except _InputProblem as exc:
                    reported.add(offset)
                    state.errors += 1
                    yield InputError(source=where, kind=exc.kind, message=exc.message)
                except Exception as exc:
                    reported.add(offset)
                    state.errors += 1
                    yield InputError(source=where, kind="warc", message=f"broken record: {_short_detail(exc)}")
                else:
                    if doc is not None:
                        yield doc
            return
        except Exception as exc:  # warcio gave up: report, then look for the next record
            if gzipped and "non-chunked gzip" in str(exc):
                raise _WholeFileGzip() from None
            failed_at = records.offset
            following = _next_warc_record(fh, failed_at + 1, gzipped)
            if not resyncing and failed_at not in reported:
                reported.add(failed_at)
                if failed_at == 0 and seen == 0 and following is None:
                    raise _InputProblem("warc", f"not a WARC file: {_short_detail(exc)}") from None
                state.errors += 1
                yield InputError(
                    source=f"{path}#{failed_at}", kind="warc", message=f"broken record: {_short_detail(exc)}"
                )
            resyncing = True
            if following is None:
                return
            start = following


def _warc_record(record: Any, where: str, opts: _Options) -> Document | None:
    """The document of one WARC record, or ``None`` for a record that is not a 200 HTML response."""
    if record.rec_type != "response" or record.http_headers is None or record.format != "warc":
        return None
    http = record.http_headers
    if http.get_statuscode() != "200":
        return None
    content_type = http.get_header("Content-Type") or ""
    if content_type.split(";", 1)[0].strip().lower() not in _HTML_MEDIA_TYPES:
        return None
    data = record.content_stream().read(opts.max_bytes + 1)
    if len(data) > opts.max_bytes:
        raise _too_large(f"record payload is over {opts.max_bytes:,} bytes", opts.max_bytes)
    raw = record.raw_stream
    if getattr(raw, "limit", 0) > 0 and not raw.read(1):
        raise _InputProblem("warc", "broken record: it is shorter than its Content-Length (truncated file?)")
    url = record.rec_headers.get_header("WARC-Target-URI")
    return _html_bytes_to_document(data, content_type, where, _clean_str(url))




def _next_warc_record(fh: BinaryIO, position: int, gzipped: bool) -> int | None:
    """The offset of the next candidate record start at or after ``position``, or ``None``."""
    marker = b"\x1f\x8b\x08" if gzipped else b"\nWARC/1."
    # For plain WARCs the marker includes the newline before the record; back up one byte to keep it.
    fh.seek(max(0, position - (0 if gzipped else 1)))
    base = fh.tell()
    carry = b""
    while True:
        chunk = fh.read(_WARC_SCAN_CHUNK)
        if not chunk:
            return None
        buffer = carry + chunk
        found = buffer.find(marker)
        if found >= 0:
            offset = base - len(carry) + found
            return offset if gzipped else offset + 1
        carry = buffer[-(len(marker) - 1) :]
        base += len(chunk)
