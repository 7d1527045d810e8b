"""Text-level cleaning before NLP: paragraphs, a headline, and regions to leave out of the analysis.

Nothing here rewrites the text: every result is a ``(start, end)`` pair of offsets into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Span = tuple[int, int]

# A paragraph is a maximal run of non-blank characters between line breaks.
_LINE = re.compile(r"[^\r\n]+")
# What a truncated teaser ends with: "[…]", "[...]", "…", "...", optionally followed by a closing bracket.
_TRUNCATION = re.compile(r"\s*(?:\[\s*(?:…|\.{3})\s*\]|…|\.{3})\s*$")
_WS = re.compile(r"\s+")
_MIN_TEASER_CHARS = 40


@dataclass(frozen=True)
class Ignored:
    span: Span
    reason: str


def paragraphs(text: str) -> list[Span]:
    """Return the non-blank lines of *text* as ``(start, end)`` spans, surrounding spaces trimmed."""
    out = []
    for m in _LINE.finditer(text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _normalise(s: str) -> str:
    return _WS.sub(" ", s).strip()


def find_teasers(text: str, paras: list[Span] | None = None) -> list[Ignored]:
    """Find teaser paragraphs: a paragraph that ends truncated ("[…]", "...") and whose text, up to the
    truncation, repeats the start of the text that follows it (one or several later paragraphs)."""
    paras = paragraphs(text) if paras is None else paras
    found = []
    for i, (s, e) in enumerate(paras[:-1]):
        para = text[s:e]
        m = _TRUNCATION.search(para)
        if not m:
            continue
        head = _normalise(para[: m.start()])
        if len(head) < _MIN_TEASER_CHARS:
            continue
        nxt = paras[i + 1][0]
        following = _normalise(text[nxt : nxt + 4 * len(para) + 200])
        if following.startswith(head):
            found.append(Ignored((s, e), "teaser: repeats and truncates the text that follows"))
    return found


def find_headline(text: str, paras: list[Span] | None = None) -> Span | None:
    """The first line is a headline when it is short, has no final full stop, and a blank line follows it."""
    paras = paras if paras is not None else paragraphs(text)
    if len(paras) < 2:
        return None
    s, e = paras[0]
    line = text[s:e]
    gap = text[e : paras[1][0]]
    if len(line) <= 200 and not line.endswith((".", "”", '"')) and gap.count("\n") >= 2:
        return (s, e)
    return None


def inside(pos: int, spans: list[Span]) -> bool:
    """Whether offset *pos* falls in any of *spans*."""
    return any(s <= pos < e for s, e in spans)
