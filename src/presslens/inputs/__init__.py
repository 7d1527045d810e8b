"""Inputs: turn command-line inputs (files, directories, URLs, ``-`` for stdin) into documents to analyse.

Every input yields :class:`Document` objects, or an :class:`InputError` that names the input (or the entry,
row or record inside it) and the problem in one sentence. One bad input never stops the others, and one bad
entry, row or record never stops the rest of its file: :func:`iter_inputs` does not raise.

Supported inputs:

* ``.txt`` and any other text file given explicitly: the decoded content, verbatim (a UTF-8 byte-order mark
  is dropped; line endings and surrounding whitespace are kept, so offsets are offsets into the file).
* ``.html`` / ``.htm``: the article body extracted with trafilatura (:mod:`presslens.inputs.html`), plus title,
  author, date, site name and URL from the page metadata.
* ``.jsonl``: one JSON object per line with a ``"text"`` field; a broken line is an error for that line only.
* ``.rss``, ``.atom`` and ``.xml`` files that are RSS or Atom feeds: one document per entry, its text from
  the entry's content (HTML made text by :func:`presslens.inputs.html.fragment_to_text`) or else its summary;
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
* ``http://`` and ``https://`` URLs, fetched by :mod:`presslens.inputs.fetch` (timeout, size cap, robots.txt,
  checked redirects, no private addresses unless allowed): an HTML page through the HTML path with ``url``
  set to the final URL, a feed as its entries (``"<url>#<n>"``), plain text verbatim.
* ``-``: standard input, sniffed as JSONL, HTML or plain text.
"""

from presslens.inputs.document import (
    DEFAULT_MAX_BYTES,
    DIRECTORY_EXTENSIONS,
    FETCH_LINKS_BELOW,
    BinaryContentError,
    DecodeError,
    Document,
    InputError,
    decode_text,
)
from presslens.inputs.files import iter_inputs, read_path
from presslens.inputs.tabular import is_record_shard

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
