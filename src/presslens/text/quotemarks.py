"""Pairing quotation marks into quoted stretches, paragraph by paragraph.

Rules: curly, straight, low-9 and angle double marks pair with a stack, so nested quotes keep their outer pair;
curly single marks pair only where they cannot be apostrophes. A mark left open at the end of a paragraph
continues only when the next paragraph opens with a mark too (a quote running over several paragraphs, closed
at the end); otherwise it is dropped. No pair ever crosses a paragraph any other way, and text in ignored
regions takes no part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from presslens.text.clean import Span

OPEN_DOUBLE = {"“": "”", "„": "”", "«": "»"}
CLOSE_DOUBLE = {"”", "»"}
STRAIGHT = '"'
# Characters after which a straight mark opens rather than closes.
_OPENING_CONTEXT = set(" \t\n([{—–-:/") | set("“‘")


@dataclass
class Quoted:
    """A quoted stretch: one piece per paragraph it spans, each including its quotation marks."""

    pieces: list[Span] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]

    def covers(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.pieces)


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def _pair_paragraph(text: str, s: int, e: int) -> tuple[list[Span], int | None]:
    """Pair double marks inside ``text[s:e]``. Returns closed spans (outermost only) and the offset of an
    outermost mark still open at the end, if any. Two apostrophes ('') count as a straight double mark and
    two backticks (``) as an opening one, as in some wire and newspaper copy."""
    stack: list[tuple[str, int]] = []
    spans: list[Span] = []
    i = s
    while i < e:
        ch = text[i]
        width = 1
        if ch == "'" and i + 1 < e and text[i + 1] == "'":
            ch, width = STRAIGHT, 2
        elif ch == "`" and i + 1 < e and text[i + 1] == "`":
            ch, width = "“", 2
        if ch in OPEN_DOUBLE or (ch == "”" and i == s and i + 1 < e and _is_letter(text[i + 1])):
            # a paragraph opened with a reversed mark (”Fear. I am ...”) still opens a quote
            stack.append((ch, i))
        elif ch in CLOSE_DOUBLE:
            # close the nearest open curly/angle mark; a stray close mark is ignored
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] != STRAIGHT and stack[k][1] != i:
                    _, at = stack[k]
                    del stack[k:]
                    if not stack:
                        spans.append((at, i + 1))
                    break
        elif ch == STRAIGHT:
            prev = text[i - 1] if i > s else " "
            nxt = text[i + width] if i + width < e else " "
            if stack and stack[-1][0] == STRAIGHT and not (prev in _OPENING_CONTEXT and _is_letter(nxt)):
                _, at = stack.pop()
                if not stack:
                    spans.append((at, i + width))
            elif prev in _OPENING_CONTEXT or i == s:
                stack.append((STRAIGHT, i))
        i += width
    open_at = stack[0][1] if stack else None
    return spans, open_at


def _single_pairs(text: str, s: int, e: int, taken: list[Span]) -> list[Span]:
    """Curly single quotes used as quotation marks: ‘ opening a word, ’ closing one, not an apostrophe."""
    spans = []
    i = s
    while i < e:
        if text[i] == "‘" and (i == s or not _is_letter(text[i - 1])) and i + 1 < e and text[i + 1] != " ":
            j = i + 1
            while j < e and j - i < 400:
                if text[j] == "’" and _is_letter(text[j - 1]) and (j + 1 >= e or not _is_letter(text[j + 1])):
                    break
                if text[j] in "‘“”\n":
                    j = e
                    break
                j += 1
            if j < e and text[j] == "’" and not any(a <= i < b for a, b in taken):
                spans.append((i, j + 1))
                i = j + 1
                continue
        i += 1
    return spans


def straight_single_pairs(text: str, s: int, e: int, taken: Sequence[Span] = ()) -> list[Span]:
    """Straight single quotes used as quotation marks, as headlines and ledes use them ("to 'bomb the hell' out of
    the extremists"): ' after a space or an opening character and before a letter, closed by ' after a letter or
    an end mark and before no letter, on one line; not an apostrophe ("don't", "'90s"); none starting inside
    *taken*. Not paired into quotes (``pair_quotes``): on PolNeAR's dev articles they added only section headings
    as quotes nobody voices; the technique stage's voice rule reads them (``techniques.detector``)."""
    spans = []
    i = s
    while i < e:
        if (
            text[i] == "'"
            and (i == s or text[i - 1] in _OPENING_CONTEXT)
            and i + 1 < e
            and text[i + 1].isalpha()
            and not any(a <= i < b for a, b in taken)
        ):
            j = i + 1
            while j < e and j - i < 300:
                if text[j] == "'" and (text[j - 1].isalpha() or text[j - 1] in ".,!?") and (
                    j + 1 >= e or not _is_letter(text[j + 1])
                ):
                    break
                if text[j] in "\n\"“”‘’":
                    j = e
                    break
                j += 1
            if j < e and text[j] == "'":
                spans.append((i, j + 1))
                i = j + 1
                continue
        i += 1
    return spans


def pair_quotes(text: str, paragraphs: list[Span], ignored: Sequence[Span] = ()) -> list[Quoted]:
    """Return the quoted stretches of *text*, in order."""
    out: list[Quoted] = []
    pending: Quoted | None = None  # a quote left open at the end of the previous paragraph

    def _flush(q: Quoted | None) -> None:
        # An unclosed curly or angle quote still quotes up to the end of its last paragraph; an unclosed
        # straight mark is too ambiguous to keep.
        if q is not None and text[q.start] != STRAIGHT:
            out.append(q)

    for s, e in paragraphs:
        if any(a <= s < b or a < e <= b for a, b in ignored):
            _flush(pending)
            pending = None
            continue
        spans, open_at = _pair_paragraph(text, s, e)
        first_is_open = text[s] in OPEN_DOUBLE or text[s] == STRAIGHT
        if pending is not None and (text[pending.start] == STRAIGHT) != (text[s] == STRAIGHT):
            first_is_open = False  # a straight mark never continues a curly quote, nor the reverse
        if pending is not None:
            if first_is_open and (open_at == s or (spans and spans[0][0] == s)):
                if open_at == s and not spans:
                    pending.pieces.append((s, e))  # still running on
                    continue
                if spans and spans[0][0] == s:
                    pending.pieces.append(spans.pop(0))
                    out.append(pending)
                    pending = None
                else:
                    pending.pieces.append((s, e))
                    continue
            else:
                _flush(pending)  # unbalanced: never pair across paragraphs
                pending = None
        for a, b in spans:
            out.append(Quoted([(a, b)]))
        if open_at is not None:
            # may continue if the next paragraph opens with a mark
            pending = Quoted([(open_at, e)])
        singles = _single_pairs(text, s, e, spans)
        for a, b in singles:
            out.append(Quoted([(a, b)]))
    _flush(pending)
    out.sort(key=lambda q: q.start)
    return out
