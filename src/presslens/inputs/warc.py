"""WARC archives: one document per HTML response record, read record by record under a cap.

The framing (record starts, headers, ``Content-Length``) is read here, with every line and header capped, so a
broken or hostile file cannot make a record grow without bound; warcio then parses one framed record at a
time (HTTP headers, chunked and compressed payloads). Bytes that are not a record (garbage, a corrupt gzip
member) are reported once as an error and reading resumes at the next ``WARC/1.x`` line or gzip member.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
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

#: Most bytes of one record's WARC header (all its lines); a longer header is an error for that record.
MAX_WARC_HEADER = 1 << 16
#: Most bytes decompressed from one ``.warc.gz`` file (a gzip bomb stops here with an error).
MAX_WARC_DECOMPRESSED = 1 << 34
_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b\x08"
_RECORD_START = b"WARC/1."
_BLANK = b"\r\n\t \x00"


class _Broken(Exception):
    """A gzip member that does not decompress: reported, and reading goes on at the next member."""

    def __init__(self, offset: int, detail: str) -> None:
        super().__init__(detail)
        self.offset = offset


@dataclass
class _Stream:
    """The bytes of a WARC file (decompressed member by member for gzip) with capped lines, and for each
    record start the offset to report: the gzip member's offset in the file when a record starts a member,
    else the offset in the (decompressed) WARC."""

    fh: BinaryIO
    gzipped: bool
    pos: int = 0  # position in the decompressed data of the next byte returned
    buf: bytes = b""
    eof: bool = False
    member_starts: dict[int, int] = field(default_factory=dict)  # decompressed position -> file offset
    garbage: list[tuple[int, int, str]] = field(default_factory=list)  # (file offset, bytes, why), gzip only
    _raw_pos: int = 0  # file position of the next compressed byte (gzip)
    _pending: bytes = b""  # compressed bytes read but not yet used (gzip)
    _inflate: Any = None
    _member_at: int = 0
    _member_out: int = 0  # bytes the current member gave so far
    _resync: bool = False  # after a corrupt member: skipped bytes and false starts are not reported again
    _out: int = 0  # decompressed bytes so far (gzip)

    def offset_of(self, position: int) -> int:
        return self.member_starts.get(position, position)

    # -------------------------------------------------------------------------------- filling the buffer
    def _fill(self) -> bool:
        """Add bytes to the buffer; False at the end of the data."""
        if self.eof:
            return False
        if not self.gzipped:
            chunk = self.fh.read(_CHUNK)
            if not chunk:
                self.eof = True
                return False
            self.buf += chunk
            return True
        while True:
            if self._inflate is None and not self._start_member():
                self.eof = True
                return False
            if not self._pending:
                self._pending = self.fh.read(_CHUNK)
                if not self._pending:
                    self._inflate = None  # a member cut short: what it gave is all there is
                    continue
            data = self._pending
            try:
                out = self._inflate.decompress(data, _CHUNK)
            except zlib.error as exc:
                self._inflate, self._pending = None, b""
                broken_at = self._member_at
                self.fh.seek(broken_at + 1)
                self._raw_pos = broken_at + 1
                if self._resync and not self._member_out:
                    continue  # a false start while looking for the next member
                self._resync = True
                raise _Broken(broken_at, f"corrupt gzip member: {exc}") from None
            used = len(data) - len(self._inflate.unconsumed_tail) - len(self._inflate.unused_data)
            self._raw_pos += used
            self._pending = self._inflate.unconsumed_tail + self._inflate.unused_data
            if self._inflate.eof:
                self._inflate = None
                self._resync = False
            if out:
                self._member_out += len(out)
                self._out += len(out)
                if self._out > MAX_WARC_DECOMPRESSED:
                    raise _InputProblem(
                        "too_large", f"decompressed WARC is over {MAX_WARC_DECOMPRESSED:,} bytes (a gzip bomb?)"
                    )
                self.buf += out
                return True

    def _start_member(self) -> bool:
        """Find the next gzip member (reporting any bytes before it, unless blank, as garbage) and start
        inflating it."""
        skipped_from, skipped, junk = self._raw_pos, 0, False
        while True:
            if len(self._pending) < len(_GZIP_MAGIC):
                more = self.fh.read(_CHUNK)
                if not more:
                    skipped += len(self._pending)
                    junk = junk or bool(self._pending.strip(_BLANK))
                    if junk and not self._resync:
                        self.garbage.append((skipped_from, skipped, "bytes that are not a gzip member"))
                    return False
                self._pending += more
                continue
            found = self._pending.find(_GZIP_MAGIC)
            drop = found if found >= 0 else len(self._pending) - (len(_GZIP_MAGIC) - 1)
            junk = junk or bool(self._pending[:drop].strip(_BLANK))
            skipped += drop
            self._raw_pos += drop
            self._pending = self._pending[drop:]
            if found >= 0:
                break
        if junk and not self._resync:
            self.garbage.append((skipped_from, skipped, "bytes that are not a gzip member"))
        self._member_at = self._raw_pos
        self._member_out = 0
        self.member_starts[self.pos + len(self.buf)] = self._raw_pos
        self._inflate = zlib.decompressobj(31)
        return True

    # -------------------------------------------------------------------------------- reading
    def readline(self, limit: int) -> bytes:
        """One line (with its newline), or *limit* bytes of a longer one; b"" at the end."""
        while True:
            nl = self.buf.find(b"\n", 0, limit)
            if nl >= 0 or len(self.buf) >= limit or not self._fill():
                break
        cut = nl + 1 if nl >= 0 else min(limit, len(self.buf))
        line, self.buf = self.buf[:cut], self.buf[cut:]
        self.pos += len(line)
        return line

    def read(self, n: int) -> bytes:
        parts = [self.buf[:n]]
        self.buf = self.buf[n:]
        got = len(parts[0])
        while got < n and self._fill():
            parts.append(self.buf[: n - got])
            self.buf = self.buf[n - got :]
            got += len(parts[-1])
        self.pos += got
        return b"".join(parts)

    def skip(self, n: int) -> int:
        done = 0
        while done < n:
            if not self.buf and not self._fill():
                break
            take = min(n - done, len(self.buf))
            self.buf = self.buf[take:]
            self.pos += take
            done += take
        return done


def _read_warc(path: str, opts: _Options) -> Iterator[Document | InputError]:
    """One :class:`Document` per HTML ``response`` record with status 200 (see the module docstring)."""
    _stat_size(path)  # a clear not_found / io error before anything else
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below; the generator may be suspended
    except OSError as exc:
        raise _os_problem(exc) from None
    with fh:
        magic = fh.read(len(_GZIP_MAGIC))
        if not magic:
            raise _InputProblem("empty", "input is empty")
        fh.seek(0)
        head = fh.read(len(_RECORD_START))
        fh.seek(0)
        gzipped = magic == _GZIP_MAGIC or (path.lower().endswith(".gz") and head != _RECORD_START)
        yield from _warc_records(_Stream(fh, gzipped), path, opts)


def _warc_records(stream: _Stream, path: str, opts: _Options) -> Iterator[Document | InputError]:
    records = 0
    pending_error: InputError | None = None  # garbage at the start: "not a WARC file" if nothing follows
    line = b""
    while True:
        try:
            if not line:
                line = _next_nonblank(stream)
            yield from _drain_garbage(stream, path)
            if not line:
                break
            start = stream.pos - len(line)
            if not line.startswith(_RECORD_START):
                line, skipped = _skip_to_record(stream, line)
                yield from _drain_garbage(stream, path)
                problem = InputError(
                    source=f"{path}#{stream.offset_of(start)}",
                    kind="warc",
                    message=f"broken record: {skipped:,} bytes that are not a WARC record, skipped to the next record",
                )
                if records == 0 and pending_error is None:
                    pending_error = problem
                else:
                    yield problem
                continue
            if pending_error is not None:
                yield pending_error
                pending_error = None
            records += 1
            where = f"{path}#{stream.offset_of(start)}"
            line, result = _one_record(stream, line, where, opts)
            if result is not None:
                yield result
        except _Broken as exc:
            line = b""
            problem = InputError(source=f"{path}#{exc.offset}", kind="warc", message=f"broken record: {exc}")
            if records == 0 and pending_error is None:
                pending_error = problem
            else:
                yield problem
            stream.buf = b""
    if records == 0:
        detail = pending_error.message.removeprefix("broken record: ") if pending_error else "no records"
        raise _InputProblem("warc", f"not a WARC file: it holds no WARC records ({detail})")


def _drain_garbage(stream: _Stream, path: str) -> Iterator[InputError]:
    while stream.garbage:
        at, size, why = stream.garbage.pop(0)
        yield InputError(source=f"{path}#{at}", kind="warc", message=f"broken record: {size:,} {why}, skipped")


def _next_nonblank(stream: _Stream) -> bytes:
    while True:
        line = stream.readline(MAX_WARC_HEADER)
        if not line or line.strip():
            return line


def _skip_to_record(stream: _Stream, line: bytes) -> tuple[bytes, int]:
    """Skip bytes (read in capped lines) up to the next ``WARC/1.`` (garbage need not end with a line break);
    (the rest of that line, bytes skipped)."""
    skipped = 0
    while line:
        found = line.find(_RECORD_START)
        if found >= 0:
            return line[found:], skipped + found
        skipped += len(line)
        line = stream.readline(MAX_WARC_HEADER)
    return b"", skipped


def _one_record(
    stream: _Stream, first: bytes, where: str, opts: _Options
) -> tuple[bytes, Document | InputError | None]:
    """Read one record whose first line is *first*; (the line after it if already read, its result)."""
    header = [first]
    size = len(first)
    while True:
        line = stream.readline(MAX_WARC_HEADER - size + 1)
        if not line:
            return b"", InputError(source=where, kind="warc", message="broken record: the file ends inside its header")
        size += len(line)
        if size > MAX_WARC_HEADER:
            return _skip_to_record(stream, stream.readline(MAX_WARC_HEADER))[0], InputError(
                source=where, kind="warc", message=f"broken record: its header is over {MAX_WARC_HEADER:,} bytes"
            )
        header.append(line)
        if not line.strip():
            break
    fields = _header_fields(header)
    try:
        length = int(fields.get(b"content-length", b"").strip())
        if length < 0:
            raise ValueError
    except ValueError:
        return _skip_to_record(stream, stream.readline(MAX_WARC_HEADER))[0], InputError(
            source=where, kind="warc", message="broken record: no valid Content-Length"
        )
    wanted = fields.get(b"warc-type", b"").strip().lower() == b"response"
    if length > opts.max_bytes + MAX_WARC_HEADER:
        head = stream.read(min(length, MAX_WARC_HEADER))
        stream.skip(length - len(head))
        if wanted and _is_html_ok(head):
            return b"", _too_large_error(where, opts)
        return b"", None
    block = stream.read(length)
    if len(block) < length:
        return b"", InputError(
            source=where, kind="warc", message="broken record: it is shorter than its Content-Length (truncated file?)"
        )
    if not wanted:
        return b"", None
    return b"", _parse_record(b"".join(header) + block + b"\r\n\r\n", where, opts)


def _header_fields(lines: list[bytes]) -> dict[bytes, bytes]:
    fields = {}
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if sep:
            fields[name.strip().lower()] = value
    return fields


def _is_html_ok(head: bytes) -> bool:
    status, _, rest = head.partition(b"\n")
    parts = status.split()
    if len(parts) < 2 or parts[1] != b"200":
        return False
    for line in rest.split(b"\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-type":
            return value.split(b";", 1)[0].strip().lower().decode("latin-1") in _HTML_MEDIA_TYPES
    return False


def _too_large_error(where: str, opts: _Options) -> InputError:
    problem = _too_large(f"record payload is over {opts.max_bytes:,} bytes", opts.max_bytes)
    return InputError(source=where, kind=problem.kind, message=problem.message)


def _parse_record(data: bytes, where: str, opts: _Options) -> Document | InputError | None:
    """warcio's reading of one framed record (HTTP headers, chunked and compressed payloads)."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            return _warc_record(record, where, opts)
    except _InputProblem as exc:
        return InputError(source=where, kind=exc.kind, message=exc.message)
    except Exception as exc:
        return InputError(source=where, kind="warc", message=f"broken record: {_short_detail(exc)}")
    return None


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
