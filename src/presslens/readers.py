"""Turn command-line inputs (files, directories, URLs, ``-`` for stdin) into documents to analyse.

Every input yields :class:`Document` objects, or an :class:`InputError` that names the input (or the entry,
row or record inside it) and the problem in one sentence. One bad input never stops the others, and one bad
entry, row or record never stops the rest of its file: :func:`iter_inputs` does not raise.

Supported inputs:

* ``.txt`` and any other text file given explicitly: the decoded content, verbatim (a UTF-8 byte-order mark
  is dropped; line endings and surrounding whitespace are kept, so offsets are offsets into the file).
* ``.html`` / ``.htm``: the article body extracted with trafilatura (:mod:`presslens.extract`), plus title,
  author, date, site name and URL from the page metadata.
* ``.jsonl``: one JSON object per line with a ``"text"`` field; a broken line is an error for that line only.
* ``.rss``, ``.atom`` and ``.xml`` files that are RSS or Atom feeds: one document per entry, its text from
  the entry's content (HTML made text by :func:`presslens.extract.fragment_to_text`) or else its summary;
  title, link, author, date (ISO 8601) and the feed's title as the outlet. ``source`` is
  ``"<path>#<n>"`` for the n-th entry (from 1). With ``fetch_links``, an entry whose text is shorter than
  :data:`FETCH_LINKS_BELOW` characters (usually a summary) is replaced by the page its link points to.
* ``.warc`` (plain or ``.warc.gz``): every ``response`` record with HTTP status 200 and an HTML content type,
  through the HTML path, with ``url`` from ``WARC-Target-URI``; ``source`` is ``"<path>#<offset>"``, the
  record's byte offset in the file. Other records are skipped; a broken record is an error and reading
  resumes at the next record.
* ``.csv`` and ``.parquet``: one document per row, the text from a ``text`` (or ``body``, or ``content``)
  column, optional ``id``, ``title``, ``url``, ``outlet``, ``author``, ``published``, ``language`` and
  ``source`` columns; ``source`` defaults to ``"<path>:<row>"``, row 1 being the first row after the header.
  Both are streamed (Parquet in row batches of the needed columns), so files of any size are read; the
  ``max_bytes`` limit applies to each row's text. A Parquet file with a ``record`` column is a presslens
  record shard, not text (:func:`is_record_shard`), and is reported as ``unsupported``.
* any of the above compressed with gzip (``x.txt.gz``, ``x.csv.gz``, ``x.rss.gz``, ``x.warc.gz``); the inner
  extension decides.
* directories, recursively, in sorted order, skipping hidden files and folders.
* ``http://`` and ``https://`` URLs, fetched by :mod:`presslens.fetch` (timeout, size cap, robots.txt,
  checked redirects, no private addresses unless allowed): an HTML page through the HTML path with ``url``
  set to the final URL, a feed as its entries (``"<url>#<n>"``), plain text verbatim.
* ``-``: standard input, sniffed as JSONL, HTML or plain text.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import email.utils
import gzip
import io
import json
import os
import re
import sys
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import IO, Any, BinaryIO

from presslens import extract
from presslens import fetch as _fetch

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DIRECTORY_EXTENSIONS",
    "FETCH_LINKS_BELOW",
    "BinaryContentError",
    "DecodeError",
    "Document",
    "InputError",
    "decode_text",
    "is_record_shard",
    "iter_inputs",
    "read_path",
]

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
    yield from _read_path(path, opts)


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


# --------------------------------------------------------------------------------------------- html


def _parse_html(html: str, source: str) -> Document:
    """Extract the article body and metadata from an HTML page (see :func:`presslens.extract.extract_article`)."""
    try:
        article = extract.extract_article(html)
    except extract.ExtractionError as exc:
        raise _InputProblem(exc.kind, str(exc)) from None
    return Document(
        text=article.text,
        source=source,
        title=article.title,
        url=article.url,
        outlet=article.outlet,
        author=article.author,
        published=article.published,
        language=article.language,
    )


def _html_bytes_to_document(data: bytes, content_type: str | None, source: str, url: str | None) -> Document:
    """Decode a page's bytes (charset from the header or ``<meta>``) and extract it; ``url`` wins if given."""
    try:
        html = extract.decode_html(data, content_type)
    except DecodeError as exc:
        raise _InputProblem(exc.kind, str(exc)) from None
    if not html.strip():
        raise _InputProblem("empty", "the page is empty")
    doc = _parse_html(html, source)
    if url:
        doc.url = url
    return doc


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


# --------------------------------------------------------------------------------------------- feeds


def _feed_root(data: bytes) -> str | None:
    """The lower-cased local name of the XML root element, looking only at the first 8 KB."""
    head = data[: _SNIFF_BYTES * 4]
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            head = head.decode(encoding, "ignore").encode("utf-8")
            break
    head = _XML_PROLOGUE.sub(b"", head)
    match = _XML_ROOT.search(head)
    if not match:
        return None
    return match.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower()


def _looks_like_feed(data: bytes) -> bool:
    return _feed_root(data) in _FEED_ROOTS


def _parse_feed(
    data: bytes, source: str, opts: _Options, *, base_url: str | None = None, content_type: str | None = None
) -> Iterator[Document | InputError]:
    """One :class:`Document` per feed entry; an :class:`InputError` per entry without usable text."""
    if not data.strip():
        raise _InputProblem("empty", "input is empty" if not data else "input contains only whitespace")
    root = _feed_root(data)
    if root not in _FEED_ROOTS:
        what = f"its root element is <{root}>" if root else "no XML element found"
        raise _InputProblem("unsupported", f"not an RSS or Atom feed ({what})")

    import feedparser

    headers = {}
    if base_url:
        headers["content-location"] = base_url
    if content_type:
        headers["content-type"] = content_type
    # A stream, never bytes or str: feedparser treats a string as a URL or file name to open.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers or None)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            detail = parsed.get("bozo_exception")
            raise _InputProblem("feed", f"not a well-formed feed: {detail or 'unreadable XML'}")
        raise _InputProblem("empty", "the feed has no entries")
    feed = parsed.get("feed") or {}
    outlet = _plain_line(feed.get("title"), feed.get("title_detail"))
    language = _clean_str(feed.get("language"))
    for index, entry in enumerate(entries, start=1):
        where = f"{source}#{index}"
        try:
            yield _feed_entry(entry, where, opts, outlet=outlet, language=language)
        except _InputProblem as exc:
            yield InputError(source=where, kind=exc.kind, message=exc.message)
        except Exception as exc:
            yield InputError(source=where, kind="feed", message=_unexpected(exc))


def _feed_entry(entry: Any, where: str, opts: _Options, *, outlet: str | None, language: str | None) -> Document:
    text = ""
    for detail in sorted(entry.get("content") or [], key=lambda d: len(d.get("value") or ""), reverse=True):
        text = _entry_text(detail)
        if text:
            break
    if not text:
        text = _entry_text(entry.get("summary_detail") or {"value": entry.get("summary"), "type": "text/html"})
    link = _clean_str(entry.get("link"))
    doc = Document(
        text=text,
        source=where,
        title=_plain_line(entry.get("title"), entry.get("title_detail")),
        url=link,
        outlet=outlet,
        author=_entry_author(entry.get("author")),
        published=_entry_published(entry),
        language=_clean_str(entry.get("language")) or language,
    )
    if opts.fetch_links and len(text) < FETCH_LINKS_BELOW:
        if not link:
            if text:
                return doc
            raise _InputProblem("feed", "entry has no text (no content or summary) and no link to fetch")
        page = _fetch_page(link, where, opts, why=f"the entry gives only {len(text):,} characters of text")
        # The feed's own metadata is structured and reliable; the page fills the gaps.
        doc.text = page.text
        doc.title = doc.title or page.title
        doc.author = doc.author or page.author
        doc.published = doc.published or page.published
        doc.language = doc.language or page.language
        doc.outlet = doc.outlet or page.outlet
        return doc
    if not text:
        raise _InputProblem("feed", "entry has no text (no content or summary)")
    return doc


def _entry_text(detail: Any) -> str:
    value = detail.get("value") if detail else None
    if not isinstance(value, str) or not value.strip():
        return ""
    kind = (detail.get("type") or "text/html").lower()
    if "html" in kind:
        return extract.fragment_to_text(value)
    return "\n".join(" ".join(line.split()) for line in value.strip().splitlines() if line.strip())


def _plain_line(value: Any, detail: Any = None) -> str | None:
    """A title as one line of plain text (feed titles may carry markup)."""
    if not isinstance(value, str) or not value.strip():
        return None
    kind = ((detail or {}).get("type") or "").lower()
    if "html" in kind and "<" in value:
        value = extract.plain_text(value)
    return " ".join(value.split()) or None


_EMAIL = r"[^\s@()<>]+@[^\s@()<>]+"
_AUTHOR_FORMS = (
    re.compile(rf"^{_EMAIL}\s*\((?P<name>[^()]*)\)$"),  # RSS: "desk@example.org (News Desk)"
    re.compile(rf"^(?P<name>.+?)\s*\({_EMAIL}\)$"),  # feedparser's Atom name with email
    re.compile(rf"^(?P<name>.+?)\s*<{_EMAIL}>$"),  # "News Desk <desk@example.org>"
    re.compile(rf"^(?P<name>){_EMAIL}$"),  # a bare address names nobody
)


def _entry_author(value: Any) -> str | None:
    """The author's name from a feed's author string, without an e-mail address."""
    author = _clean_str(value)
    if author is None:
        return None
    for form in _AUTHOR_FORMS:
        match = form.match(author)
        if match:
            return _clean_str(match.group("name"))
    return author


def _clean_str(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _entry_published(entry: Any) -> str | None:
    """The entry's date in ISO 8601, keeping the feed's time zone offset; ``updated`` when not published."""
    for name in ("published", "updated", "created"):
        raw = _clean_str(entry.get(name))
        if raw:
            parsed = _parse_feed_date(raw)
            if parsed:
                return parsed
        struct = entry.get(f"{name}_parsed")
        if struct:  # feedparser normalised it to UTC
            try:
                return datetime(*struct[:6], tzinfo=UTC).isoformat()
            except (TypeError, ValueError):
                continue
    return None


def _parse_feed_date(raw: str) -> str | None:
    try:  # Atom, and the many RSS feeds that use RFC 3339
        parsed = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        parsed = None
    if parsed is None:
        try:  # RSS: RFC 822
            parsed = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None and len(raw) <= 10:
        return parsed.date().isoformat()
    return parsed.isoformat()


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


def _short_detail(exc: BaseException) -> str:
    """An exception as one short printable line (warcio quotes the raw bytes of a broken header)."""
    detail = " ".join(str(exc).split())
    cut = next((i for i, ch in enumerate(detail) if not ch.isprintable()), None)
    if cut is not None:
        detail = detail[:cut].rstrip() + " [binary data]"
    if len(detail) > 200:
        detail = detail[:200] + "…"
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


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
            raw = stack.enter_context(gzip.GzipFile(fileobj=raw))
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
        reader = csv.reader(text_stream)
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


# --------------------------------------------------------------------------------------------- urls


def _read_url(url: str, opts: _Options) -> Iterator[Document | InputError]:
    """Fetch a URL: an HTML page is one document, a feed its entries, plain text one verbatim document."""
    try:
        response = _fetch.fetch(
            url, timeout=opts.fetch_timeout, max_bytes=opts.max_bytes, allow_private=opts.allow_private
        )
        media = response.media_type
        body = response.body
        if media in _FEED_MEDIA_TYPES or (media in _XML_MEDIA_TYPES | {""} and _looks_like_feed(body)):
            yield from _parse_feed(body, url, opts, base_url=response.url, content_type=response.content_type)
        elif media in _HTML_MEDIA_TYPES or (not media and _looks_like_html(body)):
            yield _html_bytes_to_document(body, response.content_type, url, response.url)
        elif media in ("text/plain", ""):
            text = _decode_or_problem(body)
            if not text.strip():
                raise _InputProblem("empty", "the fetched page is empty")
            yield Document(text=text, source=url, url=response.url)
        else:
            what = "XML that is not an RSS or Atom feed" if media in _XML_MEDIA_TYPES else media
            raise _InputProblem("unsupported", f"{response.url} is {what}, not HTML, a feed or plain text")
    except _fetch.FetchError as exc:
        yield InputError(source=url, kind=exc.kind, message=str(exc))
    except _InputProblem as exc:
        yield InputError(source=url, kind=exc.kind, message=exc.message)
    except Exception as exc:
        yield InputError(source=url, kind="io", message=_unexpected(exc))


def _looks_like_html(data: bytes) -> bool:
    head = data[:_SNIFF_BYTES].decode("utf-8", "replace")
    return head.lstrip().startswith("<") and _HTML_SNIFF.search(head) is not None


def _fetch_page(url: str, where: str, opts: _Options, *, why: str) -> Document:
    """Fetch an HTML page for a feed entry (``fetch_links``); problems are ``fetch`` errors naming ``why``."""
    try:
        response = _fetch.fetch(
            url, timeout=opts.fetch_timeout, max_bytes=opts.max_bytes, allow_private=opts.allow_private
        )
    except _fetch.FetchError as exc:
        raise _InputProblem("fetch", f"{why} and fetching its link failed: {exc}") from None
    if response.media_type not in _HTML_MEDIA_TYPES and not (
        not response.media_type and _looks_like_html(response.body)
    ):
        raise _InputProblem(
            "fetch", f"{why} and its link {response.url} is {response.media_type or 'untyped'}, not HTML"
        )
    return _html_bytes_to_document(response.body, response.content_type, where, response.url)


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


def _unexpected(exc: BaseException) -> str:
    detail = str(exc)
    return f"{type(exc).__name__}: {detail}" if detail else f"unexpected {type(exc).__name__}"


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
                yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes)
            elif _fetch.is_url(item):
                yield from _read_url(item, opts)
            elif re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", item):
                yield InputError(
                    source=item,
                    kind="unsupported",
                    message="only http:// and https:// URLs are fetched; save the resource and pass the file",
                )
            else:
                yield from _read_path(item, opts)
        except Exception as exc:  # belt and braces: every reader already catches
            yield InputError(source=str(item), kind="io", message=_unexpected(exc))
