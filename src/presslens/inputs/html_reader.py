"""HTML pages to documents, through :mod:`presslens.inputs.html`."""

from __future__ import annotations

import presslens.inputs.fetch as _fetch
import presslens.inputs.html as extract
from presslens.inputs.document import (
    _HTML_MEDIA_TYPES,
    _HTML_SNIFF,
    _SNIFF_BYTES,
    DecodeError,
    Document,
    _InputProblem,
    _Options,
)

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


def _looks_like_html(data: bytes) -> bool:
    head = data[:_SNIFF_BYTES].decode("utf-8", "replace")
    return head.lstrip().startswith("<") and _HTML_SNIFF.search(head) is not None
