"""Quantities in plain text: numerals and number words, magnitudes, ranges, qualifiers, changes and units.

``parse_text(text)`` scans the text once and returns ``Parsed`` items with character spans. It never raises
on odd input; a number it cannot read with confidence is left out. Dates, times, years, ordinals, phone
numbers, labels ("No. 5", "page 3") and letter-number names ("G7", "5G", "COVID-19") are not quantities.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from presslens.figures.vocabulary import (
    _BY,
    _BY_VERB,
    _CHANGE_AFTER,
    _CHANGE_BEFORE,
    _CHANGE_NOUN_OF,
    _DASHES,
    _MAX_UNIT_WORDS,
    _NUM_RE,
    _Q_AFTER_RE,
    _Q_BEFORE_RE,
    _SHORT,
    _SPACED,
    _TOKEN_RE,
    _UNITS,
    CURRENCY_SYMBOLS,
    FRACTIONS,
    LABELS,
    MAG_ABBR,
    MONTHS,
    SCALES,
    SMALL,
    TENS,
    VAGUE,
    VULGAR,
    Parsed,
)


@dataclass
class _Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()


def tokenize(text: str) -> list[_Tok]:
    """Words, numerals and single symbols with their offsets."""
    return [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def _numeral(tok: str) -> float | None:
    """Value of a digit token with standard thousands commas ("25,000", "3.5"); None for "1,2,3"."""
    if not _NUM_RE.fullmatch(tok):
        return None
    try:
        v = float(tok.replace(",", ""))
    except ValueError:
        return None
    return v if math.isfinite(v) else None


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = tokenize(text)

    def adj(self, i: int) -> bool:
        """Token i+1 touches token i (no space)."""
        return i + 1 < len(self.toks) and self.toks[i].end == self.toks[i + 1].start

    def low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < len(self.toks) else ""

    # A number at token i: (value, next index, written in words, vague range high or None)
    def number(self, i: int) -> tuple[float, int, bool, float | None] | None:
        toks = self.toks
        if i >= len(toks):
            return None
        t = toks[i]
        if t.text in VULGAR:
            return VULGAR[t.text], i + 1, False, None
        if t.text[0].isdigit():
            v = _numeral(t.text)
            if v is None:
                return None
            j = i + 1
            if j < len(toks) and toks[j].text in VULGAR and toks[j].start == t.end:
                v, j = v + VULGAR[toks[j].text], j + 1
            frac = self.fraction(j) if "." not in t.text and "," not in t.text else None
            if frac is not None and toks[j].start > t.end:
                v, j = v + frac[0], frac[1]  # "10 1/2 miles", "7 3/4 %"
            elif self.fraction(i) is not None:
                return None  # a bare "a/b" is read by the caller only where it is a simple fraction
            return self.half(v, j, False)
        got = self.words(i)
        return self.half(got[0], got[1], True, got[3]) if got is not None else None

    def fraction(self, i: int) -> tuple[float, int] | None:
        """"3/4" at token i (a < b, b one of 2, 3, 4, 8, 16, 32): its value and the next index."""
        toks = self.toks
        if i + 2 >= len(toks) or toks[i + 1].text != "/":
            return None
        if not toks[i].end == toks[i + 1].start == toks[i + 2].start - 1:
            return None
        a, b = toks[i].text, toks[i + 2].text
        if not (a.isdigit() and b.isdigit()) or int(b) not in (2, 3, 4, 8, 16, 32) or not 0 < int(a) < int(b):
            return None
        if i + 3 < len(toks) and toks[i + 3].text == "/" and toks[i + 3].start == toks[i + 2].end:
            return None  # "1/2/2020"
        return round(int(a) / int(b), 6), i + 3

    def half(self, v: float, j: int, words: bool, hi: float | None = None) -> tuple[float, int, bool, float | None]:
        """"five-and-a-half", "2 and a half": add one half."""
        k = j + 1 if self.low(j) in _DASHES else j
        if hi is None and self.low(k) == "and" and self.low(k + 1 + (self.low(k + 1) in _DASHES)) in ("a", "one"):
            k2 = k + 2 + (self.low(k + 1) in _DASHES)
            k2 += self.low(k2) in _DASHES
            if self.low(k2) == "half":
                return v + 0.5, k2 + 1, words, hi
        return v, j, words, hi

    def words(self, i: int) -> tuple[float, int, bool, float | None] | None:
        toks, n = self.toks, len(self.toks)
        w = self.low(i)
        # "tens/hundreds of thousands", "hundreds", "dozens"
        if w in VAGUE:
            lo, hi = VAGUE[w]
            if self.low(i + 1) == "of" and self.low(i + 2) in ("thousands", "millions", "billions"):
                m = SCALES[self.low(i + 2)[:-1]]
                return lo * m, i + 3, True, hi * m
            if w in ("tens", "scores") and self.low(i + 1) != "of":
                return None
            return lo, i + 1, True, hi
        # "a dozen", "a third", "a hundred", "a million", "half"
        if w in ("a", "an"):
            nxt = self.low(i + 1)
            if nxt == "dozen":
                return 12.0, i + 2, True, None
            if nxt == "half" and self.low(i + 2) in _DASHES and self.low(i + 3) == "dozen":
                return 6.0, i + 4, True, None  # "a half-dozen"
            if nxt == "half" and self.low(i + 2) == "dozen":
                return 6.0, i + 3, True, None
            if nxt in ("third", "quarter", "fifth", "tenth", "half") and self.low(i + 2) != "of" or \
                    nxt in ("third", "quarter", "fifth", "tenth") and self.low(i + 2) == "of":
                return round(FRACTIONS[nxt], 4), i + 2, True, None
            if nxt in SCALES:
                v, j = SCALES[nxt], i + 2
                while self.low(j) in SCALES and SCALES[self.low(j)] > v:
                    v, j = v * SCALES[self.low(j)], j + 1
                return v, j, True, None
            return None
        if w == "half" and self.low(i + 1) == "a" and self.low(i + 2) == "dozen":
            return 6.0, i + 3, True, None  # "half a dozen"
        if w == "half" and self.low(i - 1) not in ("first", "second", "latter", "the", "other", "and", "a"):
            if self.low(i + 1) in ("of", "a", "an", "the") or self.low(i + 1) in _UNITS:
                return 0.5, i + 1, True, None
            return None
        # cardinal words: "twenty-five", "one hundred and fifty", "two million", "two dozen", "two-thirds"
        total, cur, j, seen = 0.0, 0.0, i, False
        while j < n:
            tw = self.low(j)
            if tw in SMALL:
                cur += SMALL[tw]
            elif tw in TENS:
                cur += TENS[tw]
            elif tw == "hundred" and seen:
                cur = (cur or 1) * 100
            elif tw in SCALES and seen:
                total += (cur or 1) * SCALES[tw]
                cur = 0.0
            elif tw == "dozen" and seen:
                cur *= 12
            elif tw in FRACTIONS and seen and tw not in ("half", "halves") and cur > 1 - 1e-9 \
                    and (tw.endswith("s") or cur == 1):
                cur = round(cur * FRACTIONS[tw], 4)
                j += 1
                seen = True
                break
            else:
                break
            seen = True
            j += 1
            # connectors inside one number: "twenty-five", "one hundred and five"
            if j < n and toks[j].text in _DASHES and j + 1 < n and (self.low(j + 1) in SMALL or
                                                                    self.low(j + 1) in FRACTIONS):
                if self.low(j - 1) in TENS or self.low(j + 1) in FRACTIONS:
                    j += 1
            elif self.low(j) == "and" and self.low(j - 1) in ("hundred", "thousand") and \
                    (self.low(j + 1) in SMALL or self.low(j + 1) in TENS):
                j += 1
        if not seen:
            return None
        return total + cur, j, True, None

    def magnitude(self, i: int, numeric_adjacent: bool, money: bool) -> tuple[float, int]:
        w = self.low(i)
        if w in SCALES:
            m, j = SCALES[w], i + 1
            while self.low(j) in SCALES and SCALES[self.low(j)] > m:
                m, j = m * SCALES[self.low(j)], j + 1
            return m, j
        glued_on = i + 1 < len(self.toks) and self.toks[i].end == self.toks[i + 1].start \
            and self.toks[i + 1].text[0].isalnum()
        if w in MAG_ABBR and (numeric_adjacent or money) and (money or w not in ("m", "b", "t")) and not glued_on \
                and (money or self.toks[i].text != "K"):
            return MAG_ABBR[w], i + 1
        return 1.0, i

    def unit(self, i: int, numeric: bool, adjacent: bool) -> tuple[str | None, int]:
        """Longest unit phrase at token i; allows a hyphen first ("10-year-old", "5-mile")."""
        j0 = i
        hyph = False
        if self.low(i) in _DASHES and self.toks[i - 1].end == self.toks[i].start and i + 1 < len(self.toks) \
                and self.toks[i].end == self.toks[i + 1].start:
            j0, hyph = i + 1, True
        best: tuple[str | None, int] = (None, i)
        if self.low(i) in _BETWEEN_ADJ and not hyph:
            inner = self.unit(i + 1, numeric, False)
            if inner[0] in ("year", "month", "week", "day", "hour", "minute", "point", "percentage point", "mile",
                            "kilometre", "game", "seat", "vote"):
                return inner
        for k in range(_MAX_UNIT_WORDS + 3, 0, -1):
            if j0 + k > len(self.toks):
                continue
            parts = self.toks[j0:j0 + k]
            phrase = ""
            for a, p in enumerate(parts):
                if a and p.text not in _DASHES and parts[a - 1].text not in _DASHES and p.text not in ("/", "²", ".") \
                        and parts[a - 1].text != "/":
                    phrase += " "
                phrase += p.low
            phrase = phrase.replace(" - ", "-").replace(" -", "-").replace("- ", "-")
            key = phrase if phrase in _UNITS else phrase.replace("-", " ") if phrase.replace("-", " ") in _UNITS \
                else None
            if key is None:
                continue
            if key in _SHORT and not (numeric and (adjacent or key in _SPACED)):
                continue
            # the unit must end at a word boundary: "5 g" not "5 great"
            end_i = j0 + k
            if end_i < len(self.toks) and self.toks[end_i - 1].end == self.toks[end_i].start \
                    and self.toks[end_i].text[0].isalnum():
                continue
            best = (_UNITS[key], end_i)
            break
        if best[0] and hyph and best[0] in ("percent",):
            return best
        return best

    def is_date_or_label(self, i: int, j: int, value: float, has_comma: bool, numeric: bool) -> bool:
        toks, text = self.toks, self.text
        prev, prev2 = self.low(i - 1), self.low(i - 2)
        if numeric:
            # "Oct. 7", "7 October", "May 2020"
            if prev in MONTHS or (prev == "." and prev2 in MONTHS):
                return True
            if self.low(j) in MONTHS and self.low(j) != "may":
                return True
            if self.low(j) == "may" and value <= 31 and value == int(value):
                return True
            tt = toks[i].text
            # years, decades: "2023", "the 1990s", "2019-20"
            if re.fullmatch(r"1[5-9][0-9]{2}|20[0-9]{2}", tt) and not has_comma:
                return True
            if j < len(toks) and toks[j].start == toks[j - 1].end and self.low(j) in ("s", "st", "nd", "rd", "th"):
                return True
            # times and clock readings
            if j < len(toks) and toks[j].text == ":" and j + 1 < len(toks) and toks[j + 1].text[:1].isdigit():
                return True
            if prev == ":" and i >= 2 and toks[i - 2].text[:1].isdigit():
                return True
            if self.low(j) in ("am", "pm", "gmt", "utc", "bst", "et", "est", "edt", "pt", "pst", "pdt", "ct",
                               "o'clock", "hrs", "hgmt") or (self.low(j) in ("a", "p") and self.low(j + 1) == "."
                                                              and self.low(j + 2) == "m"):
                return True
            # glued to letters: "G7", "5G", "MH17", "COVID-19", "F-16", "4K"
            if i > 0 and toks[i - 1].end == toks[i].start and toks[i - 1].text[-1:].isalpha():
                return True
            if i > 1 and prev in _DASHES and toks[i - 1].end == toks[i].start and toks[i - 2].end == toks[i - 1].start \
                    and toks[i - 2].text[-1:].isalpha() and toks[i - 2].low not in _UNITS \
                    and toks[i - 2].low not in QUAL_WORDS:
                return True
            if j < len(toks) and toks[j - 1].end == toks[j].start and toks[j].text[:1].isalpha() \
                    and toks[j].low not in _UNITS and toks[j].low not in MAG_ABBR and toks[j].low not in SCALES \
                    and toks[j].low not in ("s", "st", "nd", "rd", "th", "x", "plus", "ish", "odd", "fold") \
                    or (j < len(toks) and toks[j].text == "K" and toks[j - 1].end == toks[j].start):
                return True
            # odd digit runs: "1,2,3", "10^6", "2-3-4", phone numbers, "3.2.1", "#5"
            after = text[toks[j - 1].end:toks[j - 1].end + 2]
            before = text[max(0, toks[i].start - 2):toks[i].start]
            if re.match(r"[.,^/:][0-9]", after) or re.search(r"[0-9][.,^/:]$", before) or before.endswith("#") \
                    or before.endswith("^"):
                return True
            if re.search(r"[0-9][-–]$", before) or after.startswith("("):
                return True
            # citation markers "(36)", "[2]"; emergency numbers
            if re.search(r"[(\[]$", before) and re.match(r"[)\]]", after) and "." not in tt and "," not in tt \
                    and re.match(r"[)\]]\s*(?:[.,;]|$)", text[toks[j - 1].end:toks[j - 1].end + 3]):
                return True
            if re.match(r"\s+[A-Z][a-z]+\s+(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Drive|Way|Place)\b",
                        text[toks[j - 1].end:toks[j - 1].end + 30]):
                return True  # a street address
            if tt in ("911", "999", "112") and (self.low(j) in ("call", "calls", "operator", "dispatcher") or
                                                prev in ("called", "dial", "dialed", "dialled", "call", "calling")):
                return True
            if re.match(r"\)?[ .-]?[0-9]{3}[-. ][0-9]{4}", text[toks[j - 1].end:toks[j - 1].end + 10]) \
                    and len(tt) == 3:
                return True
        return prev in LABELS and numeric and not (prev == "top" and self.low(j) in _UNITS)


QUAL_WORDS = {"plus", "over", "under", "about"}
_BETWEEN_ADJ = {"straight", "consecutive", "successive", "more", "additional", "extra", "full", "long", "whole",
                "further", "other", "short"}


def _qualifier_before(text: str, start: int) -> tuple[str, int]:
    window = text[max(0, start - 40):start]
    for q, rx in _Q_BEFORE_RE:
        m = rx.search(window)
        if m:
            return q, start - (len(window) - m.start())
    return "exact", start


def _change(text: str, start: int, end: int, unit: str | None = None) -> str | None:
    before = text[max(0, start - 80):start]
    for ch, rx in _CHANGE_BEFORE:
        if rx.search(before):
            return ch
    for ch, rx in _CHANGE_NOUN_OF:
        if rx.search(before):
            return ch
    by = _BY.search(before)
    if by:
        clause = re.split(r"[;:()\[\]—]|, (?:and|but|while)\b", before[:by.start()])[-1]
        verbs = list(_BY_VERB.finditer(clause))
        if verbs:
            return "up" if verbs[-1].group("up") else "down"
    # not the target of a change: "rose 5% to 7%", "from 10 to 12"
    if re.search(r"\b(?:to|from|at|of|reached|reaching|hit|hitting|totalled|totaled|stood at)\s*$", before, re.I):
        return None
    after = text[end:end + 40]
    for ch, rx in _CHANGE_AFTER:
        m = rx.match(after)
        if m and (m.group().strip().lower() not in ("higher", "lower") or unit in _LEVEL_UNITS or unit is None):
            return ch
    return None


_LEVEL_UNITS = {"percent", "percentage point", "point", "basis point", "US dollar", "euro", "pound sterling"}


def parse_text(text: str) -> list[Parsed]:
    """Every quantity in *text*, in order, spans not overlapping. Never raises."""
    try:
        return _parse(text)
    except Exception:  # noqa: BLE001 - a bad input must never break the record
        return _parse_safely(text)


def _parse_safely(text: str) -> list[Parsed]:
    """Fallback: parse sentence-sized pieces separately so one odd piece cannot hide the rest."""
    out: list[Parsed] = []
    for m in re.finditer(r"[^.!?\n]+[.!?\n]*", text):
        try:
            for p in _parse(m.group()):
                p.start += m.start()
                p.end += m.start()
                out.append(p)
        except Exception:  # noqa: BLE001, S112
            continue
    return out


def _merge_ranges(text: str, found: list[Parsed]) -> list[Parsed]:
    """"80% to 90%", "97%–98%", "between 3x and 12x": two figures with one unit become a range."""
    out: list[Parsed] = []
    for p in found:
        q = out[-1] if out else None
        if q is not None and q.high is None and p.high is None and q.value < p.value and q.unit == p.unit \
                and (q.unit is not None or re.match(r"x\b", text[q.end:q.end + 2])) and q.change == p.change:
            gap = text[q.end:p.start]
            m = re.fullmatch(r"\s*(?:x\s*)?(?:(to)|[-–—]|(and))\s*~?", gap)
            lead = text[max(0, q.start - 12):q.start]
            if m and not (m.group(1) and re.search(r"\bfrom\s*$", lead, re.I)) and \
                    not (m.group(2) and not re.search(r"\bbetween\s*~?$", lead, re.I)):
                out[-1] = Parsed(q.start, p.end, q.value, p.value, q.qualifier, q.change, q.unit, q.words and p.words)
                continue
        out.append(p)
    return out


def _parse(text: str) -> list[Parsed]:
    sc = _Scanner(text)
    toks = sc.toks
    out: list[Parsed] = []
    i = 0
    while i < len(toks):
        item = _parse_at(sc, i)
        if item is None:
            i += 1
            continue
        parsed, j = item
        if parsed is not None:
            out.append(parsed)
        i = max(j, i + 1)
    return _merge_ranges(text, out)


_MONEY_CONTEXT = re.compile(r"\b(?:pay|paid|pays|cost|costs|price|priced|worth|fine|fined|salary|wage|spent|spend|"
                            r"raise|raised|budget|fund|funds|funding|bill|fee|fees|bought|sold|sell|buy|earn|earned|"
                            r"profit|loss|revenue|sterling|tax|taxpayers|money|cash|bonus|debt|donat\w*|invest\w*)\b",
                            re.I)


def _weight_pounds(sc: _Scanner, start_i: int, end_i: int) -> bool:
    """"pounds" without "£" or a magnitude: weight, unless money words stand close by."""
    text = sc.text
    window = text[max(0, sc.toks[start_i].start - 50):sc.toks[end_i - 1].end + 30]
    return not _MONEY_CONTEXT.search(window)


def _simple_fraction(sc: _Scanner, i: int) -> tuple[Parsed | None, int] | None:
    """"1/4 point", "3/4 of the vote": a bare fraction, only with a unit or "of" after it."""
    toks, text = sc.toks, sc.text
    frac = sc.fraction(i) if toks[i].text.isdigit() else None
    if frac is None or (i > 0 and toks[i - 1].end == toks[i].start and toks[i - 1].text[-1:].isalnum()):
        return None
    value, j = frac
    unit, u_end = sc.unit(j, True, False)
    if unit is None and sc.low(j) != "of":
        return None, j
    end_i = u_end if unit else j
    start, end = toks[i].start, toks[end_i - 1].end
    qualifier, _ = _qualifier_before(text, start)
    return Parsed(start, end, value, None, qualifier, _change(text, start, end, unit), unit), end_i


def _currency_before(sc: _Scanner, i: int) -> tuple[str | None, int]:
    toks = sc.toks
    if i == 0:
        return None, i
    p = toks[i - 1]
    if p.text in CURRENCY_SYMBOLS and p.text != "rs":
        # "US$", "C$", "HK$"
        if p.text == "$" and i >= 2 and toks[i - 2].end == p.start and toks[i - 2].low + "$" in CURRENCY_SYMBOLS:
            return CURRENCY_SYMBOLS[toks[i - 2].low + "$"], i - 2
        return CURRENCY_SYMBOLS[p.text], i - 1
    if p.low in ("rs",) or (p.text == "." and sc.low(i - 2) == "rs"):
        return "rupee", i - 1 if p.low == "rs" else i - 2
    if p.low in ("usd", "eur", "gbp", "jpy", "cny", "chf", "inr") and p.end < toks[i].start:
        name = {"usd": "US dollar", "eur": "euro", "gbp": "pound sterling", "jpy": "japanese yen",
                "cny": "chinese yuan", "chf": "swiss franc", "inr": "rupee"}[p.low]
        return name, i - 1
    return None, i


def _parse_at(sc: _Scanner, i: int) -> tuple[Parsed | None, int] | None:
    toks, text = sc.toks, sc.text
    first = sc.number(i)
    if first is None:
        return _simple_fraction(sc, i)
    v1, j, words1, vague_hi = first
    numeric1 = not words1
    if words1 and sc.low(i) in ("one", "zero") and j == i + 1:
        # "one" alone is a pronoun or determiner far more often than a figure
        nxt_unit, _ = sc.unit(j, False, False)
        if nxt_unit is None or nxt_unit in ("year", "day", "week", "month", "hour", "minute", "point", "seat",
                                            "vote"):
            return None, j
    if words1 and sc.low(i) in ("second",):
        return None, j
    if re.match(r"[-–\s]*to[-–\s]*[0-9]", text[toks[j - 1].end:toks[j - 1].end + 6]) and \
            re.match(r"[-–]", text[toks[j - 1].end:toks[j - 1].end + 1]):
        return None, j + 3  # a ratio: "3-to-1"
    if words1 and i >= 2 and toks[i - 1].text in _DASHES and toks[i - 1].start == toks[i - 2].end \
            and toks[i - 1].end == toks[i].start and toks[i - 2].text[:1].isupper():
        return None, j  # "Take-Two"
    if sc.low(j) in _DASHES and sc.adj(j - 1) and sc.low(j + 1) in ("state", "figure", "figures", "party", "stroke",
                                                                   "way", "pointer", "pointers", "star"):
        return None, j + 2  # "two-state solution", "six-figure salary", "3-pointer"
    cur, start_i = _currency_before(sc, i)
    money = cur is not None
    m1, j = sc.magnitude(j, numeric1 and sc.adj(j - 1), money)
    has_comma = "," in toks[i].text
    if sc.is_date_or_label(i, i + 1 if numeric1 else j, v1, has_comma, numeric1) and m1 == 1.0 and not money:
        return None, j
    value, high = v1 * m1, (vague_hi * m1 if vague_hi is not None else None)
    end_i = j
    # ranges: "80-90,000", "$5-6 million", "5 to 10 percent", "between 5 and 10"
    k = j
    sep = sc.low(k)
    between = re.search(r"\bbetween\s*(?:[$€£¥]\s*)?$", text[max(0, toks[start_i].start - 12):toks[start_i].start],
                        re.I) is not None
    from_before = re.search(r"\bfrom\s*$", text[max(0, toks[start_i].start - 8):toks[start_i].start], re.I)
    range_ok = (sep in _DASHES and vague_hi is None) or \
        (sep == "to" and not from_before and m1 == 1.0 and vague_hi is None) or (sep == "and" and between)
    if range_ok and high is None:
        k2 = k + 1
        cur2, _ = (None, k2)
        if k2 < len(toks) and toks[k2].text in CURRENCY_SYMBOLS:
            cur2, k2 = CURRENCY_SYMBOLS[toks[k2].text], k2 + 1
        second = sc.number(k2)
        if second is not None and (not second[2] or words1) and second[3] is None:
            v2, j2, _, _ = second
            if not (sep in _DASHES and second[2] != words1):
                m2, j2b = sc.magnitude(j2, not second[2] and sc.adj(j2 - 1), money or cur2 is not None)
                if re.match(r"[-–][0-9]", text[toks[j2b - 1].end:toks[j2b - 1].end + 2]):
                    return None, j2b  # "2-3-4"
                hi = v2 * m2
                lo = value if m1 != 1.0 else v1 * m2
                # shared magnitude written once: "80-90,000" is 80,000 to 90,000
                if m1 == 1.0 and m2 == 1.0 and "," not in toks[i].text and "," in toks[k2].text:
                    zeros = re.search(r"((?:,000)+)$", toks[k2].text)
                    if zeros:
                        scale = 1000.0 ** zeros.group(1).count(",")
                        if v1 * scale <= v2 and v1 * scale * 10 > v2:
                            lo = v1 * scale
                if lo < hi:
                    value, high, end_i = lo, hi, j2b
                    money = money or cur2 is not None
                    cur = cur or cur2
                elif sep in _DASHES:
                    return None, j2b  # a score or tally ("3-2", "52-48")
    # "-plus", "+"
    qualifier = "exact"
    plus_end = None
    if end_i < len(toks) and toks[end_i].text in _DASHES and sc.low(end_i + 1) == "plus" and sc.adj(end_i):
        plus_end, qualifier = end_i + 2, "at_least"
    elif end_i < len(toks) and toks[end_i].text == "+" and sc.adj(end_i - 1):
        plus_end, qualifier = end_i + 1, "at_least"
    if plus_end is not None:
        end_i = plus_end
    # unit after the number
    unit, u_end = sc.unit(end_i, numeric1, end_i < len(toks) and sc.adj(end_i - 1))
    if unit is not None:
        if cur is not None and unit not in ("percent",) and not unit.endswith("dollar") and unit != "cent" \
                and unit not in ("euro", "pound sterling"):
            unit_final = cur  # "$5 billion" then "a year": keep the money
            u_end = end_i
        else:
            unit_final = unit if not (cur and unit == "US dollar") else cur
        # a unit word right after a vague amount: "hundreds of dollars"
    else:
        unit_final = cur
    if unit is None and (vague_hi is not None or words1) and sc.low(end_i) == "of":
        # "hundreds of dollars", "thousands of miles"
        u2, u2_end = sc.unit(end_i + 1, False, False)
        if u2 in ("US dollar", "euro", "pound sterling", "kilometre", "mile", "tonne", "year", "barrel"):
            unit_final, u_end = u2, u2_end
            unit = u2
    if unit is not None and unit_final == unit and u_end > end_i:
        end_i = u_end
    if unit_final is not None and unit_final.endswith(("dollar", "euro", "pound sterling", "cent", "penny", "yen")):
        tail = text[toks[end_i - 1].end:toks[end_i - 1].end + 16].lower()
        if re.match(r"\s*(?:-\s*)?(?:a|per)\s*(?:-\s*)?share\b", tail):
            unit_final += " per share"
    if unit_final == "pound sterling" and cur is None and m1 == 1.0 and _weight_pounds(sc, start_i, end_i):
        unit_final = "pound-mass"  # "5,200 pounds of water vapor", "lost 25 pounds"
    if numeric1 and (sc.low(start_i - 1) == "aged" or sc.low(start_i - 1) == "age" and sc.low(start_i - 2) != "the"):
        if unit_final is None:
            unit_final = "year of age"
        elif unit_final in ("month", "week", "day", "year"):
            unit_final += " of age"
    # "5 feet 6 inches" and the like are left as two figures; "years old" already folded into the unit.
    # "5-year" as an adjective before a noun ("a 10-year plan") is a duration, kept.
    if words1 and unit_final is None and value < 2 and high is None and value == int(value):
        return None, end_i
    # "three" words alone before "of the" ("two of the men") are still counts; keep them.
    start = toks[start_i].start
    end = toks[end_i - 1].end
    # a minus sign: "-5 degrees", "minus 20C"
    if numeric1 and start_i == i and i > 0 and toks[i - 1].text in ("-", "−") and toks[i - 1].end == start \
            and (i == 1 or toks[i - 2].end < toks[i - 1].start or toks[i - 2].text in ("(", "[")) \
            and not (i > 1 and toks[i - 2].text[-1:].isdigit()) \
            and high is None or numeric1 and start_i == i and sc.low(i - 1) == "minus" and high is None:
        value, start = -value, toks[i - 1].start
    # qualifiers before and after
    if qualifier == "exact":
        qualifier, _ = _qualifier_before(text, start)
        if qualifier == "exact":
            after = text[end:end + 20]
            for q, rx in _Q_AFTER_RE:
                if rx.match(after):
                    qualifier = q
                    break
        if qualifier == "exact" and vague_hi is not None:
            qualifier = "approx"
    change = _change(text, start, end, unit_final)
    if change is not None and unit_final is None and not re.search(r"\b(?:by|up|down)\s*$", text[:start]) \
            and vague_hi is None and not words1:
        # "lost 500 jobs" is a count, not a change; keep changes for percentages, points, money and "by"
        after = text[end:end + 30]
        if not any(rx.match(after) for _, rx in _CHANGE_AFTER):
            change = None
    if change is not None and unit_final is None and not any(rx.match(text[end:end + 30]) for _, rx in _CHANGE_AFTER) \
            and not re.search(r"\b(?:by|up|down)\s*$", text[:start]):
        change = None
    if unit_final in ("US dollar", "euro", "pound sterling") and change is not None and \
            not re.search(r"\b(?:by|up|down)\s*$", text[:start]) and \
            not any(rx.match(text[end:end + 30]) for _, rx in _CHANGE_AFTER) and \
            re.search(r"\b(?:lost|cut|shed|raised|raising|added|gained|gain|lower|higher)\b\s*\S*\s*$", text[:start]):
        change = None
    if not math.isfinite(value) or (high is not None and not math.isfinite(high)):
        return None, end_i
    value = _tidy(value)
    high = _tidy(high) if high is not None else None
    return Parsed(start, end, value, high, qualifier, change, unit_final, words1), end_i


def _tidy(v: float) -> float:
    """Round away float noise ("2.3 billion" is 2300000000, not 2299999999.9999998)."""
    if v == 0:
        return 0.0
    r = float(f"{v:.12g}")
    return r
