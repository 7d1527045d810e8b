"""Documents and input errors, byte decoding, and the limits every reader shares."""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import zlib
from dataclasses import dataclass
from typing import Any

import presslens.inputs.fetch as _fetch

DEFAULT_MAX_BYTES = 10_000_000

#: Extensions picked up when walking a directory (also with ``.gz`` appended).
DIRECTORY_EXTENSIONS = (
    ".txt", ".html", ".htm", ".jsonl", ".rss", ".atom", ".xml", ".warc", ".csv", ".parquet",
)  # fmt: skip

#: With ``fetch_links``, feed entries whose text is shorter than this many characters are fetched.
FETCH_LINKS_BELOW = 500

_SNIFF_BYTES = 8192
_CONTROL_SAMPLE_CHARS = 65536
_MAX_CONTROL_RATIO = 0.05
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_JSONL_FIELDS = ("title", "url", "outlet", "author", "published", "source", "language")
_HTML_SNIFF = re.compile(r"<(?:html|body|p)[\s>/]", re.IGNORECASE)
_HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_MEDIA_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_XML_MEDIA_TYPES = frozenset({"application/xml", "text/xml"})
_FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
_XML_PROLOGUE = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>", re.DOTALL | re.IGNORECASE)
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_TABLE_TEXT_COLUMNS = ("text", "body", "content")
_TABLE_FIELDS = ("id", "title", "url", "outlet", "author", "published", "language", "source")
_PARQUET_BATCH_ROWS = 256
_MAX_GUNZIPPED_PARQUET = 1 << 30
_CSV_SAMPLE_BYTES = 1 << 16


@dataclass
class Document:
    """One document to analyse.

    ``source`` is where it came from: the path as given; for a file found inside a given directory,
    ``os.path.join(given_dir, relative_path)``; ``"-"`` for stdin; ``"<path>:<lineno>"`` for a JSONL line and
    ``"<path>:<row>"`` for a CSV or Parquet row unless the record gives its own ``source``;
    ``"<path>#<n>"`` for the n-th entry of a feed; ``"<path>#<offset>"`` for a WARC record; the URL as given
    for a fetched page. ``id`` is set only when the input supplies one (JSONL, CSV or Parquet ``id``);
    otherwise the caller derives one from the text. ``published`` is ISO 8601 where known.
    """

    text: str
    source: str | None = None
    id: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None


@dataclass
class InputError:
    """A problem with one input (or one JSONL line, feed entry, WARC record, CSV or Parquet row), reported
    instead of raising.

    ``kind`` is a short machine word: ``not_found``, ``empty``, ``binary``, ``too_large``, ``decode``,
    ``html``, ``json``, ``feed``, ``warc``, ``csv``, ``parquet``, ``fetch``, ``unsupported`` or ``io``.
    ``message`` is one human sentence naming the problem.
    """

    source: str
    kind: str
    message: str


class DecodeError(ValueError):
    """Bytes that could not be decoded as text."""

    kind = "decode"


class BinaryContentError(DecodeError):
    """Bytes that are binary data rather than text."""

    kind = "binary"


class _InputProblem(Exception):
    """Internal: carries an :class:`InputError` kind and message out of nested helpers."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class _Options:
    """How inputs are read (see :func:`iter_inputs`)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    fetch_links: bool = False
    fetch_timeout: float = _fetch.DEFAULT_TIMEOUT
    allow_private: bool | None = None


# --------------------------------------------------------------------------------------------- decoding


def decode_text(data: bytes) -> str:
    """Decode the bytes of a text file to ``str``.

    UTF-8 is used when the bytes are valid UTF-8 (a byte-order mark is dropped); a UTF-16 or UTF-32
    byte-order mark selects that encoding. Otherwise the encoding is detected with charset_normalizer,
    with Windows-1252 preferred whenever it decodes the bytes and reads no worse than the detected
    encoding (short Western European texts are otherwise often mistaken for another code page).

    Raises:
        BinaryContentError: NUL bytes in the first 8 KB, no text encoding fits, or the decoded text is
            largely control characters.
        DecodeError: a byte-order mark or detected encoding that the bytes do not actually decode in.
    """
    if not data:
        return ""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                name = encoding.removesuffix("-sig").upper()
                raise DecodeError(
                    f"starts with a {name} byte-order mark but is not valid {name} (bad byte at offset {exc.start:,})"
                ) from None
            _check_controls(text)
            return text
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise BinaryContentError("content looks binary, not text (NUL bytes in the first 8 KB)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_detected(data)
    _check_controls(text)
    return text


def _decode_detected(data: bytes) -> str:
    """Decode non-UTF-8 bytes with charset detection (see :func:`decode_text`)."""
    return data.decode(_detect_encoding(data))


def _detect_encoding(data: bytes) -> str:
    """The encoding of non-UTF-8 bytes: charset_normalizer's best guess, or Windows-1252 where that decodes
    the bytes and reads no worse (see :func:`decode_text`)."""
    import charset_normalizer
    from charset_normalizer.md import mess_ratio

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise BinaryContentError("content looks binary, not text (no text encoding fits it)")
    encoding = best.encoding
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise DecodeError(f"content is not valid UTF-8 and does not decode as detected {encoding}: {exc}") from None
    if codecs.lookup(encoding).name != "cp1252":
        try:
            western = data.decode("cp1252")
        except UnicodeDecodeError:
            western = None
        if western is not None and western != text:
            sample = slice(0, _CONTROL_SAMPLE_CHARS)
            if mess_ratio(western[sample], 1.0) <= mess_ratio(text[sample], 1.0):
                return "cp1252"
    return encoding


def _check_controls(text: str) -> None:
    """Raise :class:`BinaryContentError` if much of the text is control characters."""
    sample = text[:_CONTROL_SAMPLE_CHARS]
    if not sample:
        return
    controls = sum(1 for ch in sample if (ch < " " and ch not in _ALLOWED_CONTROLS) or ("\x7f" <= ch <= "\x9f"))
    if controls / len(sample) > _MAX_CONTROL_RATIO:
        raise BinaryContentError(
            f"content looks binary, not text ({controls:,} of the first {len(sample):,} characters "
            "are control characters)"
        )


# --------------------------------------------------------------------------------------------- reading


def _too_large(size_words: str, max_bytes: int) -> _InputProblem:
    return _InputProblem("too_large", f"{size_words}, over the {max_bytes:,}-byte limit (--max-bytes)")


def _os_problem(exc: OSError, what: str = "cannot read file") -> _InputProblem:
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return _InputProblem("not_found", "no such file or directory")
    detail = exc.strerror or str(exc) or type(exc).__name__
    return _InputProblem("io", f"{what}: {detail}")


def _stat_size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError as exc:
        raise _os_problem(exc) from None
    except ValueError as exc:  # e.g. an embedded NUL in the path
        raise _InputProblem("io", f"invalid path: {exc}") from None


def _read_file_bytes(path: str, max_bytes: int) -> bytes:
    """Read a file's bytes, checking its size with ``os.stat`` before reading it."""
    size = _stat_size(path)
    if size > max_bytes:
        raise _too_large(f"file is {size:,} bytes", max_bytes)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown, or be a device or pipe
    except OSError as exc:
        raise _os_problem(exc) from None
    if len(data) > max_bytes:
        raise _too_large(f"file is over {max_bytes:,} bytes", max_bytes)
    if not path.lower().endswith(".gz"):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            inner = gz.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise _gzip_problem(exc) from None
    if len(inner) > max_bytes:
        raise _too_large(f"decompressed content is over {max_bytes:,} bytes", max_bytes)
    return inner


#: Per-file caps on what one gzip-compressed input (CSV, JSON Lines) may decompress to: an absolute size, and
#: a ratio to the compressed bytes read, checked once the output passes ``_BOMB_CHECK_AFTER`` (deflate reaches
#: about 1,000:1 on repeated bytes, news text about 4:1).
MAX_DECOMPRESSED_FILE = 1 << 34
MAX_GZIP_RATIO = 200
_BOMB_CHECK_AFTER = 1 << 26


class _CappedGzip(io.RawIOBase):
    """A gzip file's decompressed bytes, raising ``too_large`` past the per-file caps (gzip bombs)."""

    def __init__(self, raw: Any) -> None:
        super().__init__()
        self._raw = raw
        self._gz = gzip.GzipFile(fileobj=raw)
        self.out = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        if (offset, whence) == (0, 1):
            return self.out
        if (offset, whence) != (0, 0):
            raise io.UnsupportedOperation("only a rewind to the start")
        self.out = 0
        return self._gz.seek(0)

    def tell(self) -> int:
        return self.out

    def readinto(self, buffer: Any) -> int:
        n = self._gz.readinto(buffer)
        self.out += n
        if self.out > MAX_DECOMPRESSED_FILE or (
            self.out > _BOMB_CHECK_AFTER and self.out > MAX_GZIP_RATIO * max(1, self._raw.tell())
        ):
            raise _InputProblem(
                "too_large",
                f"decompressed content passed {self.out:,} bytes from {self._raw.tell():,} compressed bytes "
                f"(over the {MAX_GZIP_RATIO}:1 or {MAX_DECOMPRESSED_FILE:,}-byte cap: a gzip bomb?)",
            )
        return n


def _gzip_problem(exc: BaseException) -> _InputProblem:
    return _InputProblem("io", f"cannot decompress gzip data: {exc or type(exc).__name__}")


def _decode_or_problem(data: bytes) -> str:
    try:
        return decode_text(data)
    except DecodeError as exc:
        raise _InputProblem(exc.kind, str(exc)) from None


def _inner_extension(path: str) -> str:
    """The lower-cased extension that decides the format (``x.html.gz`` -> ``.html``)."""
    name = os.path.basename(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return os.path.splitext(name)[1]


def _unexpected(exc: BaseException) -> str:
    detail = str(exc)
    return f"{type(exc).__name__}: {detail}" if detail else f"unexpected {type(exc).__name__}"


def _short_detail(exc: BaseException) -> str:
    """An exception as one short printable line (warcio quotes the raw bytes of a broken header)."""
    detail = " ".join(str(exc).split())
    cut = next((i for i, ch in enumerate(detail) if not ch.isprintable()), None)
    if cut is not None:
        detail = detail[:cut].rstrip() + " [binary data]"
    if len(detail) > 200:
        detail = detail[:200] + "…"
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _clean_str(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
