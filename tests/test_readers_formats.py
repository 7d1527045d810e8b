"""Tests for the corpus formats of presslens.inputs: RSS/Atom feeds, WARC, CSV and Parquet (and their .gz)."""

from __future__ import annotations

import csv
import gzip
import io
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import presslens.inputs.html as extract
from presslens.inputs import Document, InputError, is_record_shard, iter_inputs, read_path

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
FEED_RSS = FIXTURES / "feed.rss"
FEED_ATOM = FIXTURES / "feed.atom"
ARTICLE_HTML = FIXTURES / "article.html"


def kinds(results) -> list[str]:
    return [type(r).__name__ for r in results]


# --------------------------------------------------------------------------------------------- feeds


def test_rss_one_document_per_entry_and_an_error_for_the_entry_without_text() -> None:
    results = list(read_path(str(FEED_RSS)))
    assert kinds(results) == ["Document", "InputError", "Document"]
    first, error, third = results
    assert first.source == f"{FEED_RSS}#1"
    assert first.title == "Harbour council delays ferry vote after fare protest"
    assert first.url == "https://courier.example/news/2024/03/14/harbour-ferry-vote"
    assert first.author == "Imogen Hartley"
    assert first.published == "2024-03-14T09:30:00+01:00"  # the feed's own offset is kept
    assert first.outlet == "The Saltmarsh Courier"
    assert first.language == "en-gb"
    assert first.id is None
    # content:encoded wins over the short description; the script is gone, paragraphs are lines
    assert first.text.startswith("Saltmarsh harbour council postponed Thursday's vote on the ferry contract")
    assert '"We were elected to listen, and today we are listening," said council leader Rowan Pike.' in first.text
    assert "alert" not in first.text and "steal" not in first.text and "<" not in first.text
    assert len(first.text.splitlines()) == 3

    assert error == InputError(source=f"{FEED_RSS}#2", kind="feed", message="entry has no text (no content or summary)")

    # summary only: HTML made text; "email (Name)" gives the name; GMT date
    assert third.text == "The lighthouse will reopen in May, the trust said."
    assert third.title == "Lighthouse & museum to reopen in May"
    assert third.author == "News Desk"
    assert third.published == "2024-03-15T18:05:00+00:00"


def test_atom_content_html_and_xhtml_title_markup_and_empty_entry() -> None:
    results = list(read_path(str(FEED_ATOM)))
    assert kinds(results) == ["Document", "Document", "InputError"]
    bridge, coach, gallery = results
    assert bridge == Document(
        text='The mayor said the bridge would reopen in May.\n"We are ready," the engineer said.',
        source=f"{FEED_ATOM}#1",
        title="Bridge to reopen",
        url="https://wire.example/2024/05/bridge",
        outlet="Example Wire",
        author="Sam Okafor",
        published="2024-05-02T08:15:00-04:00",
        language="en",
    )
    assert coach.text == '"We are ready," the coach said on Wednesday.'
    assert coach.title == "Coach ready for final"
    assert coach.published == "2024-05-01T20:00:00+00:00"  # no <published>: <updated>
    assert coach.author is None
    assert (gallery.source, gallery.kind) == (f"{FEED_ATOM}#3", "feed")


def test_feed_as_xml_and_gzip(tmp_path: Path) -> None:
    xml = tmp_path / "news.xml"
    xml.write_bytes(FEED_ATOM.read_bytes())
    zipped = tmp_path / "news.rss.gz"
    zipped.write_bytes(gzip.compress(FEED_RSS.read_bytes()))
    assert kinds(read_path(str(xml))) == ["Document", "Document", "InputError"]
    results = list(read_path(str(zipped)))
    assert kinds(results) == ["Document", "InputError", "Document"]
    assert results[0].source == f"{zipped}#1"


def test_xml_that_is_not_a_feed_and_a_broken_feed(tmp_path: Path) -> None:
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_bytes(b'<?xml version="1.0"?>\n<!-- a <feed> in a comment -->\n<urlset><url/></urlset>')
    error = next(iter(read_path(str(sitemap))))
    assert (error.kind, error.source) == ("unsupported", str(sitemap))
    assert "<urlset>" in error.message
    broken = tmp_path / "broken.rss"
    broken.write_bytes(b"<rss><channel><title>Cut off</title><item><title>x</ti")
    error = next(iter(read_path(str(broken))))
    assert isinstance(error, InputError) and error.kind in ("feed", "empty"), error


def test_fragment_to_text_keeps_short_fragments_and_drops_scripts() -> None:
    assert extract.fragment_to_text("<p>Short.</p><script>x()</script>") == "Short."
    assert extract.fragment_to_text("Plain &amp; simple") == "Plain & simple"
    assert extract.fragment_to_text("<p> </p>") == ""
    assert extract.plain_text("<div>A <b>bold</b><br>move</div><ul><li>one</li><li>two</li></ul>") == (
        "A bold\nmove\none\ntwo"
    )


# --------------------------------------------------------------------------------------------- warc

PAGE_ONE = (
    b"<html><head><title>Ferry vote delayed</title>"
    b'<meta property="article:published_time" content="2024-03-14"></head><body><article>'
    b"<h1>Ferry vote delayed</h1><p>Saltmarsh harbour council postponed Thursday's vote on the ferry contract "
    b"after residents protested outside the town hall for most of the afternoon.</p>"
    b'<p>"We were elected to listen," said council leader Rowan Pike, who asked for calm.</p>'
    b"</article></body></html>"
)
PAGE_TWO = (
    "<html><head><title>Lighthouse reopens</title></head><body><article><p>The lighthouse at Saltmarsh Point "
    "will reopen in May, the trust said, after a restoration that cost more than two million pounds.</p>"
    "<p>Visitors will pay \u00a34 for the climb, the caf\u00e9 owner said.</p></article></body></html>"
).encode("latin-1")


def write_warc(*, gzipped: bool) -> bytes:
    """A WARC with a warcinfo, a request, two HTML responses (UTF-8 and Latin-1), an image and a 404."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "presslens tests"}))

    def response(url: str, content_type: str, body: bytes, status: str = "200 OK") -> None:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))

    request_headers = StatusAndHeaders("GET /news/ferry HTTP/1.1", [("Host", "courier.example")], is_http_request=True)
    writer.write_record(
        writer.create_warc_record(
            "https://courier.example/news/ferry", "request", payload=io.BytesIO(b""), http_headers=request_headers
        )
    )
    response("https://courier.example/news/ferry", "text/html; charset=utf-8", PAGE_ONE)
    response("https://courier.example/img/ferry.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    response("https://courier.example/news/lighthouse", "text/html; charset=iso-8859-1", PAGE_TWO)
    response(
        "https://courier.example/gone", "text/html", b"<html><body><p>Not found</p></body></html>", "404 Not Found"
    )
    return buffer.getvalue()


def record_offsets(data: bytes) -> dict[str, int]:
    """WARC-Target-URI -> offset of its response record, as warcio reports them."""
    offsets = {}
    records = ArchiveIterator(io.BytesIO(data))
    for record in records:
        if record.rec_type == "response":
            offsets[record.rec_headers.get_header("WARC-Target-URI")] = records.get_record_offset()
    return offsets


@pytest.mark.parametrize("gzipped", [False, True])
def test_warc_html_responses_become_documents_other_records_are_skipped(tmp_path: Path, gzipped: bool) -> None:
    data = write_warc(gzipped=gzipped)
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    path.write_bytes(data)
    offsets = record_offsets(data)
    results = list(read_path(str(path)))
    assert kinds(results) == ["Document", "Document"], results
    ferry, lighthouse = results
    assert ferry.source == f"{path}#{offsets['https://courier.example/news/ferry']}"
    assert ferry.url == "https://courier.example/news/ferry"
    assert "postponed Thursday's vote" in ferry.text and "Rowan Pike" in ferry.text
    assert ferry.title == "Ferry vote delayed"
    assert ferry.published == "2024-03-14"
    assert lighthouse.source == f"{path}#{offsets['https://courier.example/news/lighthouse']}"
    assert "Visitors will pay \u00a34 for the climb, the caf\u00e9 owner said." in lighthouse.text  # Latin-1 header


def test_warc_broken_record_is_an_error_and_the_rest_still_reads(tmp_path: Path) -> None:
    data = write_warc(gzipped=False)
    offsets = record_offsets(data)
    image_at = offsets["https://courier.example/img/ferry.png"]
    assert data[image_at : image_at + 8] == b"WARC/1.1" or data[image_at : image_at + 8] == b"WARC/1.0"
    broken = data[:image_at] + b"XARC" + data[image_at + 4 :]  # the image record's header is garbage
    path = tmp_path / "broken.warc"
    path.write_bytes(broken)
    results = list(read_path(str(path)))
    assert kinds(results) == ["Document", "InputError", "Document"], results
    assert results[1].source == f"{path}#{image_at}"
    assert results[1].kind == "warc"
    assert "broken record" in results[1].message
    assert results[2].url == "https://courier.example/news/lighthouse"


def test_warc_gz_corrupt_member_is_an_error_and_the_rest_still_reads(tmp_path: Path) -> None:
    data = write_warc(gzipped=True)
    offsets = record_offsets(data)
    at = offsets["https://courier.example/news/ferry"]
    corrupt = bytearray(data)
    for i in range(at + 40, at + 80):  # inside the deflate stream of the first HTML response
        corrupt[i] ^= 0x5A
    path = tmp_path / "corrupt.warc.gz"
    path.write_bytes(bytes(corrupt))
    results = list(read_path(str(path)))
    assert [r.source for r in results if isinstance(r, InputError)] == [f"{path}#{at}"]
    assert [(r.url, r.source) for r in results if isinstance(r, Document)] == [
        ("https://courier.example/news/lighthouse", f"{path}#{offsets['https://courier.example/news/lighthouse']}")
    ]


def test_warc_truncated_last_record_and_not_a_warc(tmp_path: Path) -> None:
    data = write_warc(gzipped=False)
    offsets = record_offsets(data)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: offsets["https://courier.example/news/lighthouse"] + 700])
    results = list(read_path(str(cut)))
    assert kinds(results) == ["Document", "InputError"], results
    assert results[1].kind in ("warc", "html")
    text = tmp_path / "notes.warc"
    text.write_bytes(b"just some notes, not an archive\n")
    error = next(iter(read_path(str(text))))
    assert (error.source, error.kind) == (str(text), "warc")


# --------------------------------------------------------------------------------------------- csv


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8") -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)


CSV_ROWS = [
    ["id", "Title", "text", "url", "published", "outlet"],
    ["a1", "Bridge", "The mayor said the bridge would reopen in May.", "https://wire.example/a1", "2024-05-02", "Wire"],
    ["a2", "Empty", "   ", "", "", ""],
    ["a3", "Multi", 'Line one.\n"Quoted," she said, "with commas."', "", "", ""],
    ["a4", "Extra", "Too many fields.", "", "", "", "surplus"],
    [],
    ["a5", "", "Last row after a blank line.", "", "", ""],
]


@pytest.mark.parametrize("name", ["wire.csv", "wire.csv.gz"])
def test_csv_rows_become_documents_bad_rows_are_errors(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_csv(path, CSV_ROWS)
    results = list(read_path(str(path)))
    assert kinds(results) == ["Document", "InputError", "Document", "InputError", "Document"]
    first, empty, multi, extra, last = results
    assert first == Document(
        text="The mayor said the bridge would reopen in May.",
        source=f"{path}:1",
        id="a1",
        title="Bridge",
        url="https://wire.example/a1",
        outlet="Wire",
        published="2024-05-02",
    )
    assert (empty.source, empty.kind) == (f"{path}:2", "csv")
    assert "empty" in empty.message
    assert multi.text == 'Line one.\n"Quoted," she said, "with commas."'
    assert (multi.source, multi.url) == (f"{path}:3", None)
    assert (extra.source, extra.kind) == (f"{path}:4", "csv")
    assert "7 fields" in extra.message
    assert (last.source, last.id, last.title) == (f"{path}:5", "a5", None)  # blank lines are not rows


def test_csv_body_column_bom_cp1252_and_own_source(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    write_csv(
        path, [["body", "source"], ["\u201cNo,\u201d said the caf\u00e9 owner.", "archive/77"]], encoding="cp1252"
    )
    doc = next(iter(read_path(str(path))))
    assert (doc.text, doc.source) == ("\u201cNo,\u201d said the caf\u00e9 owner.", "archive/77")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbfcontent,author\r\nFrom Excel.,Jo\r\n")
    doc = next(iter(read_path(str(bom))))
    assert (doc.text, doc.author) == ("From Excel.", "Jo")


def test_csv_without_text_column_or_rows(tmp_path: Path) -> None:
    no_text = tmp_path / "meta.csv"
    write_csv(no_text, [["title", "url"], ["A", "https://x.example"]])
    error = next(iter(read_path(str(no_text))))
    assert (error.source, error.kind) == (str(no_text), "unsupported")
    assert "'title', 'url'" in error.message
    header_only = tmp_path / "header.csv"
    write_csv(header_only, [["text"]])
    assert [(e.source, e.kind) for e in read_path(str(header_only))] == [(str(header_only), "empty")]


@pytest.mark.parametrize("good_rows", [3000, 7000])  # the stray byte inside, then after, the 64 KB sample
def test_csv_invalid_utf8_row_is_an_error_for_that_row(tmp_path: Path, good_rows: int) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"text\n" + "Caf\u00e9 ok.\n".encode() * good_rows + b"Bad \xff byte.\nFine again.\n")
    results = list(read_path(str(path)))
    assert len(results) == good_rows + 2
    assert results[0].text == "Caf\u00e9 ok."
    assert (results[good_rows].source, results[good_rows].kind) == (f"{path}:{good_rows + 1}", "decode")
    assert results[good_rows + 1].text == "Fine again."


def test_csv_row_over_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    write_csv(path, [["text"], ["x" * 500], ["small"]])
    results = list(read_path(str(path), max_bytes=100))
    assert [(type(r).__name__, getattr(r, "kind", None)) for r in results] == [
        ("InputError", "too_large"),
        ("Document", None),
    ]


# --------------------------------------------------------------------------------------------- parquet


def test_parquet_rows_in_batches_with_typed_metadata(tmp_path: Path) -> None:
    n = 600  # more than one row batch
    texts: list[str | None] = [f"Story number {i} says the ferry runs." for i in range(n)]
    texts[5] = None
    texts[7] = ""
    table = pa.table(
        {
            "id": pa.array(range(n), pa.int64()),
            "text": pa.array(texts, pa.large_string()),
            "published": pa.array([datetime(2024, 3, 14, 9, 30, tzinfo=UTC)] * n, pa.timestamp("s", tz="UTC")),
            "day": pa.array([date(2024, 3, 14)] * n),
            "title": pa.array([f"T{i}" for i in range(n)]),
            "embedding": pa.array([[0.5] * 4] * n),
        }
    )
    path = tmp_path / "corpus.parquet"
    pq.write_table(table, path, row_group_size=250)
    results = list(read_path(str(path)))
    assert len(results) == n
    errors = [r for r in results if isinstance(r, InputError)]
    assert [(e.source, e.kind) for e in errors] == [(f"{path}:6", "parquet"), (f"{path}:8", "parquet")]
    first = results[0]
    assert first == Document(
        text="Story number 0 says the ferry runs.",
        source=f"{path}:1",
        id="0",
        title="T0",
        published="2024-03-14T09:30:00+00:00",
    )
    assert results[-1].source == f"{path}:{n}"
    gz = tmp_path / "corpus.parquet.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    assert [r.source.replace(str(gz), "") for r in read_path(str(gz))][:2] == [":1", ":2"]


def test_parquet_text_column_must_hold_strings(tmp_path: Path) -> None:
    path = tmp_path / "numbers.parquet"
    pq.write_table(pa.table({"text": [1, 2]}), path)
    error = next(iter(read_path(str(path))))
    assert (error.source, error.kind) == (str(path), "parquet")


def test_record_shard_is_detected_and_not_read_as_text(tmp_path: Path) -> None:
    shard = tmp_path / "part-00001.parquet"
    pq.write_table(pa.table({"id": ["x"], "text": ["also has text"], "record": ['{"schema": "presslens/1"}']}), shard)
    plain = tmp_path / "plain.parquet"
    pq.write_table(pa.table({"text": ["an article"]}), plain)
    jsonl = tmp_path / "x.jsonl"
    jsonl.write_text('{"text": "x"}\n')
    fake = tmp_path / "fake.parquet"
    fake.write_bytes(b"not parquet")
    assert is_record_shard(shard) and is_record_shard(str(shard))
    assert not is_record_shard(plain)
    assert not is_record_shard(jsonl)
    assert not is_record_shard(fake)
    assert not is_record_shard(tmp_path / "missing.parquet")
    assert not is_record_shard(tmp_path)
    assert list(iter_inputs([str(shard)])) == [
        InputError(
            source=str(shard), kind="unsupported", message="a presslens record shard: load it with `presslens ingest`"
        )
    ]


# --------------------------------------------------------------------------------------------- directories


def test_directory_walk_picks_up_the_new_formats(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "feeds").mkdir(parents=True)
    (root / "feeds" / "courier.rss.gz").write_bytes(gzip.compress(FEED_RSS.read_bytes()))
    (root / "crawl.warc.gz").write_bytes(write_warc(gzipped=True))
    write_csv(root / "rows.csv.gz", [["text"], ["One row."]])
    pq.write_table(pa.table({"text": ["A parquet row."]}), root / "table.parquet")
    pq.write_table(pa.table({"record": ["{}"]}), root / "shard.parquet")
    (root / "readme.md").write_text("ignored")
    results = list(read_path(str(root)))
    summary = [(os.path.relpath(r.source, root).split("#")[0].split(":")[0], type(r).__name__) for r in results]
    assert summary == [
        ("crawl.warc.gz", "Document"),
        ("crawl.warc.gz", "Document"),
        (os.path.join("feeds", "courier.rss.gz"), "Document"),
        (os.path.join("feeds", "courier.rss.gz"), "InputError"),
        (os.path.join("feeds", "courier.rss.gz"), "Document"),
        ("rows.csv.gz", "Document"),
        ("shard.parquet", "InputError"),
        ("table.parquet", "Document"),
    ]
