"""http(s) URLs fetched with :mod:`presslens.inputs.fetch`: a page, a feed or plain text."""

from __future__ import annotations

from collections.abc import Iterator

import presslens.inputs.fetch as _fetch
from presslens.inputs.document import (
    _FEED_MEDIA_TYPES,
    _HTML_MEDIA_TYPES,
    _XML_MEDIA_TYPES,
    Document,
    InputError,
    _decode_or_problem,
    _InputProblem,
    _Options,
    _unexpected,
)
from presslens.inputs.feeds import _looks_like_feed, _parse_feed
from presslens.inputs.html_reader import _html_bytes_to_document, _looks_like_html

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




