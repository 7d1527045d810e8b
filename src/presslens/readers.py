"""Turn command-line inputs (files, directories, ``-`` for stdin) into documents to analyse.

Every input yields :class:`Document` objects, or an :class:`InputError` that names the input and the
problem in one sentence. One bad input never stops the others: :func:`iter_inputs` does not raise.

Supported inputs:

* ``.txt`` and any other text file given explicitly: the decoded content, verbatim (a UTF-8 byte-order mark
  is dropped; line endings and surrounding whitespace are kept, so offsets are offsets into the file).
* ``.html`` / ``.htm``: the article body extracted with trafilatura, plus title, author, date, site name and
  URL from the page metadata.
* ``.jsonl``: one JSON object per line with a ``"text"`` field; a broken line is an error for that line only.
* any of the above compressed with gzip (``x.txt.gz``); the inner extension decides.
* directories, recursively, in sorted order, skipping hidden files and folders.
* ``-``: standard input, sniffed as JSONL, HTML or plain text.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

__all__ = [
    "DEFAULT_MAX_BYTES",
    "BinaryContentError",
    "DecodeError",
    "Document",
    "InputError",
    "decode_text",
    "iter_inputs",
    "read_path",
]

DEFAULT_MAX_BYTES = 10_000_000

#: Extensions picked up when walking a directory (also with ``.gz`` appended).
DIRECTORY_EXTENSIONS = (".txt", ".html", ".htm", ".jsonl")

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
_HTML_ANY_TAG = re.compile(r"<[A-Za-z!]")
_HTML_OPENS_DOC = re.compile(r"<(?:html|body)[\s>/]", re.IGNORECASE)
_HTML_CLOSES_DOC = re.compile(r"</(?:html|body)\s*>", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.IGNORECASE)


@dataclass
class Document:
    """One document to analyse.

    ``source`` is where it came from: the path as given; for a file found inside a given directory,
    ``os.path.join(given_dir, relative_path)``; ``"-"`` for stdin; ``"<path>:<lineno>"`` for a JSONL line
    unless the record gives its own ``"source"``. ``id`` is set only when the input supplies one (JSONL
    ``"id"``); otherwise the caller derives one from the text. ``published`` is ISO 8601 where known.
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
    """A problem with one input (or one JSONL line), reported instead of raising.

    ``kind`` is a short machine word: ``not_found``, ``empty``, ``binary``, ``too_large``, ``decode``,
    ``html``, ``json``, ``unsupported`` or ``io``. ``message`` is one human sentence naming the problem.
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
                text = western
    return text


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


def _read_file_bytes(path: str, max_bytes: int) -> bytes:
    """Read a file's bytes, checking its size with ``os.stat`` before reading it."""
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise _os_problem(exc) from None
    except ValueError as exc:  # e.g. an embedded NUL in the path
        raise _InputProblem("io", f"invalid path: {exc}") from None
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
        raise _InputProblem("io", f"cannot decompress gzip data: {exc or type(exc).__name__}") from None
    if len(inner) > max_bytes:
        raise _too_large(f"decompressed content is over {max_bytes:,} bytes", max_bytes)
    return inner


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


def read_path(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document | InputError]:
    """Read one file or directory given on the command line.

    A file's format follows its extension (``.html``/``.htm``, ``.jsonl``, otherwise text; a trailing
    ``.gz`` is decompressed first). A directory is walked recursively in sorted order for files ending in
    ``.txt``, ``.html``, ``.htm`` or ``.jsonl`` (optionally ``.gz``), skipping hidden entries. Problems
    are yielded as :class:`InputError`; this generator does not raise for bad input.
    """
    try:
        if os.path.isdir(path):
            yield from _read_directory(path, max_bytes)
        else:
            yield from _read_file(path, max_bytes)
    except _InputProblem as exc:
        yield InputError(source=path, kind=exc.kind, message=exc.message)
    except Exception as exc:  # one bad input must never stop the run
        yield InputError(source=path, kind="io", message=_unexpected(exc))


def _read_file(path: str, max_bytes: int) -> Iterator[Document | InputError]:
    try:
        data = _read_file_bytes(path, max_bytes)
        ext = _inner_extension(path)
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


def _read_directory(root: str, max_bytes: int) -> Iterator[Document | InputError]:
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
        yield InputError(
            source=root,
            kind="empty",
            message="directory has no .txt, .html, .htm or .jsonl files (plain or .gz)",
        )
    for _, rel in found:
        yield from _read_file(os.path.join(root, rel), max_bytes)


# --------------------------------------------------------------------------------------------- formats


def _parse_html(html: str, source: str) -> Document:
    """Extract the article body and metadata from an HTML page."""
    if not _HTML_ANY_TAG.search(html):
        raise _InputProblem("html", "no HTML markup found")
    stripped = html.rstrip()
    if stripped.rfind("<") > stripped.rfind(">"):
        raise _InputProblem("html", "HTML is truncated: it ends inside a tag")
    # HTML5 lets a page omit </body></html>, but a page that opens them, never closes them and stops in
    # the middle of text was cut off (a partial download or a broken save).
    if not stripped.endswith(">") and _HTML_OPENS_DOC.search(html) and not _HTML_CLOSES_DOC.search(html):
        raise _InputProblem("html", "HTML is truncated: it stops mid-text without closing <body> or <html>")

    import trafilatura

    extracted = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        favor_precision=False,
        include_links=False,
        include_images=False,
        # Dates from markup only (meta tags, <time>, URL); scanning the text tends to find dates that the
        # article mentions rather than the one it was published on.
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": date.today().isoformat(),
        },
    )
    body = getattr(extracted, "text", None) if extracted is not None else None
    # A body with no letters or digits at all (e.g. stray "<<>>" from garbage input) is no article.
    if not isinstance(body, str) or not any(ch.isalnum() for ch in body):
        raise _InputProblem("html", "no article body could be extracted from the HTML")
    lang = _HTML_LANG.search(html[:_SNIFF_BYTES])
    return Document(
        text=body,
        source=source,
        title=_meta(extracted, "title"),
        url=_meta(extracted, "url"),
        outlet=_meta(extracted, "sitename"),
        author=_meta(extracted, "author"),
        published=_meta(extracted, "date"),
        language=_meta(extracted, "language") or (lang.group(1) if lang else None),
    )


def _meta(extracted: Any, name: str) -> str | None:
    value = getattr(extracted, name, None)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


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
) -> Iterator[Document | InputError]:
    """Yield documents (or per-input errors) for each command-line input, in order.

    Each input is a file path, a directory path, or ``"-"`` for standard input (``stdin`` if given,
    else ``sys.stdin.buffer``), which is read up to ``max_bytes`` and sniffed as JSONL (every non-blank
    line starts with ``{``), HTML (starts with ``<`` and has an ``<html>``, ``<body>`` or ``<p>`` tag) or
    plain text. URLs are not fetched. Never raises for a bad input: each problem becomes an
    :class:`InputError` and the remaining inputs are still read.
    """
    for item in inputs:
        try:
            if item == "-":
                yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes)
            elif re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", item):
                yield InputError(
                    source=item,
                    kind="unsupported",
                    message="URLs are not fetched; save the page and pass the file instead",
                )
            else:
                yield from read_path(item, max_bytes=max_bytes)
        except Exception as exc:  # belt and braces: read_path and _read_stdin already catch
            yield InputError(source=str(item), kind="io", message=_unexpected(exc))
