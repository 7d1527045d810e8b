"""RSS and Atom feeds: one document per entry."""

from __future__ import annotations

import email.utils
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import presslens.inputs.html as extract
from presslens.inputs.document import (
    _BOMS,
    _FEED_ROOTS,
    _SNIFF_BYTES,
    _XML_PROLOGUE,
    _XML_ROOT,
    FETCH_LINKS_BELOW,
    Document,
    InputError,
    _clean_str,
    _InputProblem,
    _Options,
    _unexpected,
)
from presslens.inputs.html_reader import _fetch_page

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
