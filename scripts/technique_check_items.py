"""Pool the technique labels that records keep into shuffled, blind items for a hand check.

Reads presslens records (JSONL, e.g. ``presslens analyze PAGES -f jsonl -o default.jsonl`` and the same with
``--accurate``), names each file's mode, and writes every label once (same article, words and technique: the
modes that kept it are listed together) with its outlet, the paragraph it sits in (the words in [[ ]]) and the
voice the record gives it: ``items.json`` (everything, for the table) and ``items-blind.md`` (what a reader
sees: no mode, no probability).

    python scripts/technique_check_items.py default=default.jsonl accurate=accurate.jsonl --out DIR

Last line: JSON with the counts.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from presslens.techniques.names import LABELS

MAX_PARAGRAPH = 1300


def paragraph(text: str, start: int, end: int) -> str:
    """The line holding ``text[start:end]``, the words marked [[ ]], cut around them when long."""
    ps = text.rfind("\n", 0, start) + 1
    pe = text.find("\n", end)
    pe = len(text) if pe < 0 else pe
    para = text[ps:start] + "[[" + text[start:end] + "]]" + text[end:pe]
    if len(para) > MAX_PARAGRAPH + 100:
        lo = max(0, start - ps - MAX_PARAGRAPH // 2)
        para = ("…" if lo else "") + para[lo : lo + MAX_PARAGRAPH] + "…"
    return para


def voice(record: dict[str, Any], technique: dict[str, Any]) -> str:
    quote_id = (technique.get("voice") or {}).get("quote")
    if not quote_id:
        return "the outlet's own words (not inside any quote)"
    q = next(q for q in record["quotes"] if q["id"] == quote_id)
    sp = q.get("speaker") or {}
    who = sp.get("name") or sp.get("text") or "(no speaker named)"
    return f"a quote given to {who}: “{q['text'][:500]}”"


def pool(files: list[tuple[str, Path]]) -> list[dict[str, Any]]:
    items: dict[tuple, dict[str, Any]] = {}
    for mode, path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            art = rec["article"]
            text, source = art.get("text") or "", art.get("source") or ""
            outlet = urlparse(art.get("url") or "").netloc.removeprefix("www.") or art.get("outlet") or source
            for t in rec.get("techniques") or []:
                s, e = t["span"]
                key = (source, s, e, t["technique"])
                if key in items:
                    items[key]["modes"].append(mode)
                    items[key]["scores"][mode] = t["score"]
                    continue
                items[key] = {
                    "source": source,
                    "outlet": outlet,
                    "words": text[s:e],
                    "label": "possible " + LABELS.get(t["technique"], t["technique"]).lower(),
                    "technique": t["technique"],
                    "span": [s, e],
                    "context": paragraph(text, s, e),
                    "voice": voice(rec, t),
                    "modes": [mode],
                    "scores": {mode: t["score"]},
                }
    out = list(items.values())
    random.Random(20261202).shuffle(out)
    for n, it in enumerate(out, 1):
        it["n"] = n
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("records", nargs="+", help="MODE=records.jsonl")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    files = [(m, Path(p)) for m, p in (r.split("=", 1) for r in args.records)]
    items = pool(files)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "items.json").write_text(json.dumps(items, indent=1, ensure_ascii=False), encoding="utf-8")
    with (args.out / "items-blind.md").open("w", encoding="utf-8") as fh:
        for it in items:
            fh.write(
                f"## Item {it['n']}\n- outlet: {it['outlet']}\n- page: {it['source']}\n- label shown: {it['label']}\n"
                f"- words labelled: “{it['words']}”\n- voice in the record: {it['voice']}\n"
                f"- paragraph (labelled words in [[ ]]):\n\n> {it['context']}\n\n"
            )
    modes = Counter(" and ".join(sorted(it["modes"])) for it in items)
    print(json.dumps({"items": len(items), "pages": len({it["source"] for it in items}), "modes": modes}))


if __name__ == "__main__":
    main()
