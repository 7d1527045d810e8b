"""The PTC labels format: one line per span, ``ID<TAB>TECHNIQUE<TAB>START<TAB>END`` (END exclusive, offsets
are Python ``str`` indices into the article text). The SI variant has no TECHNIQUE column."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_ARTICLE_NAME = re.compile(r"^article(.+)\.txt$")


@dataclass(frozen=True)
class Label:
    article: str
    technique: str | None
    start: int
    end: int


def article_id(path: str | Path) -> str:
    """``article123.txt`` -> ``123``; any other file name gives its stem."""
    name = Path(path).name
    m = _ARTICLE_NAME.match(name)
    if m:
        return m.group(1)
    return name[:-4] if name.endswith(".txt") else Path(name).stem


def read_labels(path: str | Path) -> list[Label]:
    """Read a three- or four-column labels file (lines kept in order; empty spans dropped, as the scorer does)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            cols = line.split("\t")
            if len(cols) == 4:
                aid, tech, s, e = cols
            elif len(cols) == 3:
                aid, s, e = cols
                tech = None
            else:
                raise ValueError(f"{path}:{n}: expected ID<TAB>TECHNIQUE<TAB>START<TAB>END, got {line!r}")
            try:
                start, end = int(s), int(e)
            except ValueError:
                raise ValueError(f"{path}:{n}: offsets must be integers, got {line!r}") from None
            if end <= start:
                continue
            out.append(Label(aid.replace("article", ""), tech, start, end))
    return out


def by_article(labels: Iterable[Label]) -> dict[str, list[Label]]:
    grouped: dict[str, list[Label]] = defaultdict(list)
    for lab in labels:
        grouped[lab.article].append(lab)
    return dict(grouped)


def format_label(lab: Label) -> str:
    if lab.technique is None:
        return f"{lab.article}\t{lab.start}\t{lab.end}"
    return f"{lab.article}\t{lab.technique}\t{lab.start}\t{lab.end}"


def write_labels(path: str | Path, labels: Iterable[Label]) -> int:
    """Write labels in the four-column format; returns the number of lines written."""
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for lab in labels:
            f.write(format_label(lab) + "\n")
            n += 1
    return n
