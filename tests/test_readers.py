"""Tests for presslens.inputs: command-line inputs -> documents, with one clear error per bad input."""

from __future__ import annotations

import gzip
import io
import os
import random
import time
from pathlib import Path

import pytest

import presslens.inputs.document as document_module
import presslens.inputs.files as files_module
from presslens.inputs import (
    DEFAULT_MAX_BYTES,
    BinaryContentError,
    DecodeError,
    Document,
    InputError,
    decode_text,
    iter_inputs,
    read_path,
)

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
ARTICLE_HTML = FIXTURES / "article.html"
WIRE_JSONL = FIXTURES / "wire.jsonl"


def only(results):
    """The single result of an iterator, failing clearly when there are more or fewer."""
    results = list(results)
    assert len(results) == 1, results
    return results[0]


def only_doc(results) -> Document:
    result = only(results)
    assert isinstance(result, Document), result
    return result


def only_error(results) -> InputError:
    result = only(results)
    assert isinstance(result, InputError), result
    return result


# --------------------------------------------------------------------------------------------- text


def test_txt_is_verbatim_with_crlf_and_surrounding_whitespace(tmp_path: Path) -> None:
    raw = '  Headline\r\n\r\n"It works," she said.\r\n\tIndented line\r\n\n'
    path = tmp_path / "story.txt"
    path.write_bytes(raw.encode("utf-8"))
    doc = only_doc(read_path(str(path)))
    assert doc.text == raw
    assert doc.source == str(path)
    assert doc.id is None and doc.title is None
    # offsets downstream are offsets into the file
    start = doc.text.index('"It works,"')
    assert raw.encode("utf-8")[start : start + 11] == b'"It works,"'


def test_utf8_bom_is_dropped_and_nothing_else_changes(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfCaf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d\r\n")
    doc = only_doc(read_path(str(path)))
    assert doc.text == "Café “quoted”\r\n"
    assert not doc.text.startswith("\ufeff")


def test_utf16_with_bom_decodes(tmp_path: Path) -> None:
    path = tmp_path / "notepad.txt"
    path.write_bytes("\ufeffShe said “no”.\r\n".encode("utf-16-le"))
    assert only_doc(read_path(str(path))).text == "She said “no”.\r\n"


def test_cp1252_file_decodes_curly_quotes_and_accents(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    data = b"\x93We will not back down,\x94 the caf\xe9 owner said.\r\n"
    path.write_bytes(data)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    doc = only_doc(read_path(str(path)))
    assert doc.text == "“We will not back down,” the café owner said.\r\n"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Plain ascii with one é.", "cp1252"),
        ("naïve résumé façade – déjà vu", "cp1252"),
        ("Привет, мир! Это тестовая строка на русском языке.", "cp1251"),
        ("Zażółć gęślą jaźń — powiedział minister.", "cp1250"),
    ],
)
def test_decode_text_detects_legacy_encodings(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)) == text


def test_decode_text_utf8_fast_path_and_empty() -> None:
    assert decode_text("naïve “x”\n".encode()) == "naïve “x”\n"
    assert decode_text(b"") == ""


def test_binary_with_nul_bytes_is_rejected(tmp_path: Path) -> None:
    rng = random.Random(1234)
    data = bytes(rng.randrange(256) for _ in range(4096)) + b"\x00" * 64
    path = tmp_path / "photo.txt"
    path.write_bytes(data)
    error = only_error(read_path(str(path)))
    assert error.kind == "binary"
    assert error.source == str(path)
    assert "NUL" in error.message
    with pytest.raises(BinaryContentError):
        decode_text(data)
    assert issubclass(BinaryContentError, ValueError) and issubclass(DecodeError, ValueError)


def test_binary_without_nul_bytes_is_rejected(tmp_path: Path) -> None:
    rng = random.Random(99)
    data = bytes(rng.randrange(1, 256) for _ in range(8192))
    path = tmp_path / "blob.dat"
    path.write_bytes(data)
    assert only_error(read_path(str(path))).kind == "binary"


def test_mostly_control_characters_is_binary() -> None:
    with pytest.raises(BinaryContentError, match="control characters"):
        decode_text(b"\x01\x02\x03\x04 text \x05\x06\x07\x08\x0e\x0f\x10\x11")


@pytest.mark.parametrize("content", [b"", b"   \r\n\t\n  "])
def test_empty_or_whitespace_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    error = only_error(read_path(str(path)))
    assert error.kind == "empty"
    assert error.source == str(path)


def test_unknown_extension_text_is_read_and_binary_is_rejected(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_bytes(b"# Notes\nA line.\n")
    assert only_doc(read_path(str(notes))).text == "# Notes\nA line.\n"
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary stream")
    assert only_error(read_path(str(pdf))).kind == "binary"


# --------------------------------------------------------------------------------------------- size


def test_50mb_file_is_rejected_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    line = b"x" * 1023 + b"\n"
    with path.open("wb") as fh:
        block = line * 1024  # 1 MiB
        for _ in range(48):
            fh.write(block)
    assert path.stat().st_size > 50_000_000

    def no_open(*args, **kwargs):
        raise AssertionError("the file was opened; size must be checked with os.stat first")

    monkeypatch.setattr(document_module, "open", no_open, raising=False)
    started = time.perf_counter()
    error = only_error(iter_inputs([str(path)]))
    assert time.perf_counter() - started < 1.0
    assert error.kind == "too_large"
    assert error.source == str(path)
    assert f"{path.stat().st_size:,} bytes" in error.message
    assert f"{DEFAULT_MAX_BYTES:,}-byte limit" in error.message


def test_max_bytes_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "small.txt"
    path.write_bytes(b"a" * 101)
    assert only_error(read_path(str(path), max_bytes=100)).kind == "too_large"
    assert only_doc(read_path(str(path), max_bytes=101)).text == "a" * 101


def test_gzip_bomb_is_capped_at_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"spam " * 400_000))  # 2 MB inflated, a few KB on disk
    assert path.stat().st_size < 100_000
    error = only_error(read_path(str(path), max_bytes=100_000))
    assert error.kind == "too_large"
    assert "decompressed" in error.message


# --------------------------------------------------------------------------------------------- html


def test_news_html_extracts_body_without_script_or_boilerplate() -> None:
    doc = only_doc(read_path(str(ARTICLE_HTML)))
    text = doc.text
    for fragment in (
        "Saltmarsh harbour council postponed Thursday's vote",
        '"We were elected to listen, and today we are listening," said council leader Rowan Pike',
        "The operator, Tidewater Crossings, had asked for a fare increase",
        "Read her open letter to the council",
        "put to a public consultation before any new vote takes place",
    ):
        assert fragment in text
    for hostile in ("alert", "javascript", "onclick", "steal()", "openMenu", "tracker", "<script", "<"):
        assert hostile not in text
    for boilerplate in ("Most read", "Lighthouse keeper", "Privacy policy", "All rights reserved", "Sport"):
        assert boilerplate not in text
    assert doc.source == str(ARTICLE_HTML)
    assert doc.title == "Harbour council delays ferry vote after fare protest"
    assert doc.author == "Imogen Hartley"
    assert doc.outlet == "The Saltmarsh Courier"
    assert doc.published == "2024-03-14"
    assert doc.url == "https://courier.example/news/2024/03/14/harbour-ferry-vote"
    assert doc.language == "en-GB"
    assert doc.id is None


@pytest.mark.parametrize(
    ("content", "message_part"),
    [
        (b"<html><body><div><p>unclosed <b>bold", "truncated"),
        (b'<html><body><p>Cut off <a href="https://exa', "truncated"),
        (
            b'<!doctype html><title>T</title><p>Some text about the vote.</p><p>Cut <a href="https://ex',
            "inside a tag",
        ),
        (b"%%%% this is not markup at all %%%%", "no HTML markup"),
        (b"<<<<>>>> <<< >>> <><><>", "no HTML markup"),
        (b"<div>>>>> <<<< ### <<>> %%% </div>", "no article body"),
        (b"<html><body><script>alert(1)</script><style>p {}</style></body></html>", "no article body"),
    ],
)
def test_malformed_or_bodyless_html_is_an_html_error(tmp_path: Path, content: bytes, message_part: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(content)
    error = only_error(read_path(str(path)))
    assert error.kind == "html"
    assert error.source == str(path)
    assert message_part in error.message


def test_published_date_comes_from_markup_not_from_dates_in_the_text(tmp_path: Path) -> None:
    path = tmp_path / "undated.html"
    path.write_bytes(
        b"<html><head><title>Vote</title></head><body><article><p>The council first met on 3 February 2021 "
        b"to discuss the ferry, and again on March 4, 2022.</p><p>Residents said they would keep protesting "
        b"until the fares were frozen.</p></article></body></html>"
    )
    doc = only_doc(read_path(str(path)))
    assert "3 February 2021" in doc.text
    assert doc.published is None


def test_html5_page_without_closing_body_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "short.htm"
    path.write_bytes(b"<!doctype html><html><body><p>The ferry will run on Sunday, the council said.</p>")
    assert "The ferry will run on Sunday" in only_doc(read_path(str(path))).text


# --------------------------------------------------------------------------------------------- jsonl


def test_jsonl_broken_middle_line_gives_two_documents_and_one_error() -> None:
    results = list(read_path(str(WIRE_JSONL)))
    assert [type(r).__name__ for r in results] == ["Document", "InputError", "Document"]
    first, error, last = results
    assert first == Document(
        text="The mayor said the bridge would reopen in May.",
        source=f"{WIRE_JSONL}:1",
        id="wire-001",
        title="Bridge to reopen",
        outlet="Example Wire",
        published="2024-05-02",
    )
    assert error.source == f"{WIRE_JSONL}:2"
    assert error.kind == "json"
    assert "not valid JSON" in error.message
    # line 3 is blank and skipped; the record's own "source" wins over "<path>:<lineno>"
    assert last.text == '"We are ready," the coach said.'
    assert last.source == "wire/sports/17"
    assert last.language == "en"
    assert last.id is None


def test_jsonl_bad_records_each_get_their_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        '["not", "an", "object"]',
        '{"title": "no text"}',
        '{"text": 42}',
        '{"text": "   "}',
        '{"text": "ok", "id": 7, "title": ["bad"]}',
        '{"text": "Kept\\r\\n  verbatim  ", "id": 7}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = list(read_path(str(path)))
    errors = [r for r in results if isinstance(r, InputError)]
    assert [(e.source, e.kind) for e in errors] == [(f"{path}:{n}", "json") for n in range(1, 6)]
    assert "array" in errors[0].message
    assert '"text"' in errors[1].message and '"text"' in errors[2].message
    assert "empty" in errors[3].message
    assert '"title"' in errors[4].message
    assert results[-1] == Document(text="Kept\r\n  verbatim  ", source=f"{path}:6", id="7")


def test_jsonl_with_only_blank_lines_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.jsonl"
    path.write_text("\n \n\n", encoding="utf-8")
    assert only_error(read_path(str(path))).kind == "empty"


# --------------------------------------------------------------------------------------------- paths


def test_missing_path_is_not_found_and_later_inputs_still_run(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_bytes(b"Still read.")
    missing = str(tmp_path / "nope.txt")
    error, doc = list(iter_inputs([missing, str(good)]))
    assert error == InputError(source=missing, kind="not_found", message="no such file or directory")
    assert isinstance(doc, Document) and doc.text == "Still read."


def test_unreadable_file_is_io_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_bytes(b"secret")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(document_module, "open", denied, raising=False)
    error = only_error(iter_inputs([str(path)]))
    assert error.kind == "io"
    assert "Permission denied" in error.message


def test_directory_is_walked_recursively_sorted_skipping_hidden(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    files = {
        "b.txt": b"B",
        "a/z.txt": b"AZ",
        "a/b/c.htm": b"<html><body><p>Deep page text about the harbour vote.</p></body></html>",
        "c.jsonl": b'{"text": "C1"}\n{"text": "C2"}\n',
        "d.txt.gz": gzip.compress(b"D zipped"),
        "notes.md": b"not picked up from a directory",
        "image.png": b"\x89PNG\r\n\x1a\n\x00\x00",
        ".hidden.txt": b"hidden file",
        ".git/config.txt": b"hidden dir",
    }
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    given = str(root) + os.sep  # as typed with a trailing slash
    results = list(read_path(given))
    assert all(isinstance(r, Document) for r in results), results
    c = os.path.join(given, "c.jsonl")
    assert [(r.source, r.text) for r in results] == [
        (os.path.join(given, "a", "b", "c.htm"), "Deep page text about the harbour vote."),
        (os.path.join(given, "a", "z.txt"), "AZ"),
        (os.path.join(given, "b.txt"), "B"),
        (f"{c}:1", "C1"),
        (f"{c}:2", "C2"),
        (os.path.join(given, "d.txt.gz"), "D zipped"),
    ]


def test_empty_directory_is_reported(tmp_path: Path) -> None:
    (tmp_path / "only.md").write_bytes(b"x")
    error = only_error(iter_inputs([str(tmp_path)]))
    assert error.kind == "empty"
    assert error.source == str(tmp_path)


def test_gzip_inner_extension_decides(tmp_path: Path) -> None:
    txt = tmp_path / "x.txt.gz"
    txt.write_bytes(gzip.compress(b"line one\r\nline two\r\n"))
    jsonl = tmp_path / "x.jsonl.gz"
    jsonl.write_bytes(gzip.compress(b'{"id": "g1", "text": "zipped record"}\n'))
    html = tmp_path / "x.html.gz"
    html.write_bytes(gzip.compress(ARTICLE_HTML.read_bytes()))
    assert only_doc(read_path(str(txt))).text == "line one\r\nline two\r\n"
    record = only_doc(read_path(str(jsonl)))
    assert (record.id, record.text, record.source) == ("g1", "zipped record", f"{jsonl}:1")
    page = only_doc(read_path(str(html)))
    assert page.title == "Harbour council delays ferry vote after fare protest"
    assert "alert" not in page.text


def test_corrupt_gzip_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt.gz"
    bad.write_bytes(b"this is not gzip data at all")
    truncated = tmp_path / "cut.txt.gz"
    truncated.write_bytes(gzip.compress(b"some text " * 100)[:30])
    for path in (bad, truncated):
        error = only_error(read_path(str(path)))
        assert error.kind in ("io", "binary"), error
        assert "gzip" in error.message


# --------------------------------------------------------------------------------------------- stdin


def test_stdin_plain_text_is_verbatim() -> None:
    doc = only_doc(iter_inputs(["-"], stdin=io.BytesIO(b"  From a pipe\r\n")))
    assert (doc.source, doc.text) == ("-", "  From a pipe\r\n")


def test_stdin_jsonl_is_sniffed() -> None:
    data = b'{"text": "one"}\n\n{"text": "two", "id": "b"}\n{broken\n'
    results = list(iter_inputs(["-"], stdin=io.BytesIO(data)))
    assert [(type(r).__name__, r.source) for r in results] == [
        ("Document", "-:1"),
        ("Document", "-:3"),
        ("InputError", "-:4"),
    ]
    assert results[1].id == "b"


def test_stdin_html_is_sniffed() -> None:
    doc = only_doc(iter_inputs(["-"], stdin=io.BytesIO(b"\n  " + ARTICLE_HTML.read_bytes())))
    assert doc.source == "-"
    assert doc.outlet == "The Saltmarsh Courier"
    assert "Tidewater Crossings" in doc.text and "alert" not in doc.text


def test_stdin_text_that_starts_with_a_tag_but_is_not_html() -> None:
    doc = only_doc(iter_inputs(["-"], stdin=io.BytesIO(b"<Reuters> The minister said no.")))
    assert doc.text == "<Reuters> The minister said no."


def test_stdin_size_cap_and_empty() -> None:
    error = only_error(iter_inputs(["-"], max_bytes=10, stdin=io.BytesIO(b"x" * 11)))
    assert (error.source, error.kind) == ("-", "too_large")
    assert only_error(iter_inputs(["-"], stdin=io.BytesIO(b""))).kind == "empty"


# --------------------------------------------------------------------------------------------- never raise


def test_unexpected_exception_becomes_an_error_and_the_run_continues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(html: str, source: str) -> Document:
        raise RuntimeError("extractor exploded")

    monkeypatch.setattr(files_module, "_parse_html", boom)
    page = tmp_path / "page.html"
    page.write_bytes(ARTICLE_HTML.read_bytes())
    text = tmp_path / "after.txt"
    text.write_bytes(b"after")
    error, doc = list(iter_inputs([str(page), str(text)]))
    assert isinstance(error, InputError) and error.source == str(page)
    assert "extractor exploded" in error.message
    assert isinstance(doc, Document) and doc.text == "after"


@pytest.mark.parametrize("url", ["ftp://courier.example/news/1", "file:///etc/passwd", "gopher://x.example/1"])
def test_non_http_urls_are_unsupported(url: str) -> None:
    error = only_error(iter_inputs([url]))
    assert (error.kind, error.source) == ("unsupported", url)
    assert "http://" in error.message
