"""HTML to article text: the one extraction path shared by every HTML-bearing reader.

:func:`extract_article` turns a whole page (a saved ``.html`` file, a WARC response, a fetched URL) into the
article body plus metadata, with trafilatura; the options in :data:`TRAFILATURA_OPTIONS` were chosen on the
article-extraction benchmark (``benchmarks/extraction.py``). :func:`fragment_to_text` turns the HTML of a
feed entry, which is already the article body, into text. :func:`decode_html` decodes the bytes of a page
using the charset its HTTP header or ``<meta>`` tag declares.

This module does not know about :mod:`presslens.inputs`; problems are raised as :class:`ExtractionError`,
which the readers turn into an ``InputError`` of kind ``html``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = [
    "TRAFILATURA_OPTIONS",
    "Article",
    "ExtractionError",
    "decode_html",
    "extract_article",
    "fragment_to_text",
    "plain_text",
]

#: trafilatura options for article pages. ``favor_precision`` scored best on the article-extraction
#: benchmark (shingle F1 0.964 against 0.953 for trafilatura's defaults; ``favor_recall``, dropping tables
#: and the fast mode all scored lower). Comments, links and images are never part of the article text.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "favor_recall": False,
    "include_comments": False,
    "include_tables": True,
    "include_links": False,
    "include_images": False,
}

_SNIFF_CHARS = 8192
_HTML_ANY_TAG = re.compile(r"<[A-Za-z!]")
_HTML_OPENS_DOC = re.compile(r"<(?:html|body)[\s>/]", re.IGNORECASE)
_HTML_CLOSES_DOC = re.compile(r"</(?:html|body)\s*>", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Labels that, as on the web, mean Windows-1252 (a superset that decodes the 0x80-0x9F range sensibly).
_WINDOWS_1252_LABELS = frozenset({"iso8859-1", "latin-1", "latin1", "ascii", "us-ascii", "iso-8859-1", "cp1252"})

# Tags whose text is dropped from a fragment, and tags that end a line.
_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math"})
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre",
        "section", "table", "tr", "ul",
    }
)  # fmt: skip


class ExtractionError(ValueError):
    """The HTML could not be turned into article text (``kind`` ``html``)."""

    kind = "html"


@dataclass
class Article:
    """The body and metadata extracted from one page. ``published`` is an ISO 8601 date where known."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None


def extract_article(html: str) -> Article:
    """Extract the article body and metadata from a whole HTML page.

    Raises:
        ExtractionError: no markup, markup truncated mid-tag or mid-text, or no article body found.
    """
    if not _HTML_ANY_TAG.search(html):
        raise ExtractionError("no HTML markup found")
    stripped = html.rstrip()
    if stripped.rfind("<") > stripped.rfind(">"):
        raise ExtractionError("HTML is truncated: it ends inside a tag")
    # HTML5 lets a page omit </body></html>, but a page that opens them, never closes them and stops in
    # the middle of text was cut off (a partial download or a broken save).
    if not stripped.endswith(">") and _HTML_OPENS_DOC.search(html) and not _HTML_CLOSES_DOC.search(html):
        raise ExtractionError("HTML is truncated: it stops mid-text without closing <body> or <html>")

    import trafilatura

    extracted = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        # Dates from markup only (meta tags, <time>, URL); scanning the text tends to find dates that the
        # article mentions rather than the one it was published on.
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": date.today().isoformat(),
        },
        **TRAFILATURA_OPTIONS,
    )
    body = getattr(extracted, "text", None) if extracted is not None else None
    # A body with no letters or digits at all (e.g. stray "<<>>" from garbage input) is no article.
    if not isinstance(body, str) or not any(ch.isalnum() for ch in body):
        raise ExtractionError("no article body could be extracted from the HTML")
    lang = _HTML_LANG.search(html[:_SNIFF_CHARS])
    return Article(
        text=body,
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


# --------------------------------------------------------------------------------------------- fragments


def fragment_to_text(html: str) -> str:
    """Turn an HTML fragment that is already an article body (a feed entry's content) into text.

    trafilatura runs on the fragment (so feed text and page text come out alike, and trailers such as
    "The post ... appeared first on ..." are dropped); when it keeps less than half of the fragment's
    words (it discards short texts as boilerplate), the fragment's own text is used instead: paragraphs on
    their own lines, scripts and styles dropped. Returns ``""`` when the fragment has no text.
    """
    plain = plain_text(html)
    if not plain:
        return ""
    import trafilatura

    wrapped = f"<html><body><article>{html}</article></body></html>"
    extracted = trafilatura.extract(wrapped, **TRAFILATURA_OPTIONS)
    if extracted and len(extracted.split()) * 2 >= len(plain.split()):
        return extracted.strip()
    return plain


def plain_text(html: str) -> str:
    """All text of an HTML fragment, one line per block element, whitespace inside lines collapsed."""
    if not _HTML_ANY_TAG.search(html):
        text = html
    else:
        import lxml.etree
        import lxml.html

        try:
            root = lxml.html.fragment_fromstring(html, create_parent="div")
        except (lxml.etree.ParserError, ValueError):
            return ""
        parts: list[str] = []
        _collect_text(root, parts)
        text = "".join(parts)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _collect_text(element: Any, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    tag = tag.lower()
    if tag in _DROP_TAGS:
        if element.tail:
            parts.append(element.tail)
        return
    block = tag in _BLOCK_TAGS
    if block:
        parts.append("\n")
    if element.text and tag:  # comments and processing instructions have no string tag
        parts.append(element.text)
    for child in element:
        _collect_text(child, parts)
    if block:
        parts.append("\n")
    if element.tail:
        parts.append(element.tail)


# --------------------------------------------------------------------------------------------- decoding


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode the bytes of an HTML page.

    A byte-order mark wins; then bytes that are valid UTF-8 are read as UTF-8 (servers often label UTF-8
    pages ISO-8859-1); then the charset of the ``Content-Type`` header, then that of a ``<meta>`` tag in the
    first 8 KB (``ISO-8859-1`` and ``ASCII`` read as Windows-1252, as browsers do); otherwise
    :func:`presslens.inputs.decode_text` detects the encoding.

    Raises:
        presslens.inputs.DecodeError: the bytes are binary or decode in no encoding.
    """
    from presslens.inputs.document import decode_text

    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return decode_text(data) if text else text
    declared: list[str] = []
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match:
            declared.append(match.group(1))
    meta = _META_CHARSET.search(data[:_SNIFF_CHARS])
    if meta:
        declared.append(meta.group(1).decode("ascii", "replace"))
    for label in declared:
        try:
            name = codecs.lookup(label).name
        except LookupError:
            continue
        if name in _WINDOWS_1252_LABELS or label.lower() in _WINDOWS_1252_LABELS:
            name = "cp1252"
        if name.startswith(("utf-16", "utf-32")):
            continue  # a page declaring UTF-16 in ASCII-compatible bytes is lying
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text[:_SNIFF_CHARS]:
            return text
    return decode_text(data)
