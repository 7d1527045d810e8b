"""CoNLL04 sentences: read them, run the presslens pipeline on them, and their gold relations as char spans."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TYPE_OF = {
    "works_for": "Work_For", "leads": "Work_For", "member_of": "Work_For", "killed": "Kill",
    "based_in": "OrgBased_In", "lives_in": "Live_In", "located_in": "Located_In",
}  # fmt: skip
NAME_OF = {"Work_For": "works_for", "Kill": "killed", "OrgBased_In": "based_in", "Live_In": "lives_in",
           "Located_In": "located_in"}  # fmt: skip


def entities(tags: list[str]) -> list[tuple[int, int, str]]:
    """BILOU tags to (start, end, type) token spans, in order (as the reference scorer reads them)."""
    out, start = [], None
    for i, t in enumerate(tags):
        if t.startswith("U-"):
            out.append((i, i + 1, t[2:]))
        elif t.startswith("B-"):
            start = i
        elif t.startswith("L-") and start is not None:
            out.append((start, i + 1, t[2:]))
            start = None
    return out


def char_spans(tokens: list[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for tok in tokens:
        spans.append((pos, pos + len(tok)))
        pos += len(tok) + 1
    return spans


def read_split(path: str | Path) -> Iterator[dict[str, Any]]:
    """Each sentence as {"id", "text", "entities": [(s, e, type)], "relations": [(head (s, e), tail (s, e), type)]}."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for i, s in enumerate(data):
        cs = char_spans(s["tokens"])
        ents = [(cs[a][0], cs[b - 1][1], t) for a, b, t in entities(s["tags"])]
        rels = [(ents[r["head"]][:2], ents[r["tail"]][:2], r["type"]) for r in s["relations"]]
        yield {"id": f"conll04-{i}", "text": " ".join(s["tokens"]), "entities": ents, "relations": rels}
