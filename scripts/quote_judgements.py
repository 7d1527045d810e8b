"""Rebuild docs/data/quote-judgements-train.jsonl from the quote judgements written in docs/hand-check-*.md.

Each judged quote line of those files ("- q3: **real, speaker right**. cue “said”, speaker “Mayer” → Kevin
Mayer; “...”", or a sample's "- 12. `page` **not** (...). cue ...") is matched to a quote of the records given
(JSON Lines from ``presslens analyze ../shared/data/extraction-benchmark/html/ --techniques none -f jsonl``) by
page, cue, speaker phrase, resolved speaker and the start of the content. A judged quote the records no longer
hold, or hold with another resolved speaker, is left out (its label would not be about this output). Pages in
``--exclude`` (the test pages) are left out. Later files win over earlier ones for the same quote.

    python scripts/quote_judgements.py --records records.jsonl --commit fbc39d3 \
        --exclude-from docs/data/quote-judgements-fresh.jsonl --out docs/data/quote-judgements-train.jsonl
"""

from __future__ import annotations

import argparse
import html
import json
import re
from pathlib import Path

FILES = ("hand-check-speakers-40-eighth.md", "hand-check-speakers.md", "hand-check-eleventh.md",
         "hand-check-twelfth.md")  # fmt: skip
ITEM = re.compile(r"^- (?:(q\d+): |(\d+)\. `([0-9a-f]{12})` )\*\*([^*]+)\*\*(.*)$")
FIELDS = re.compile(r"cue “(.*?)”, speaker “(.*?)”(?: → ([^;]*))?; “(.*)")


def norm(s: str) -> str:
    s = html.unescape(s).replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", s).strip()


def judged(docs: Path) -> list[dict]:
    rows = []
    for name in FILES:
        page = None
        for line in (docs / name).read_text(encoding="utf-8").splitlines():
            if m := re.match(r"^#{2,4} .*?`([0-9a-f]{12})`", line):
                page = m.group(1)
                continue
            m = ITEM.match(line.strip())
            f = FIELDS.search(m.group(5)) if m else None
            if not m or not f:
                continue
            label = m.group(4).lower()
            real = not (label.startswith(("not", "no")) or "not an attribution" in label)
            speaker = next((w for w in ("right", "wrong", "missing") if w in label), None) if real else None
            if real and speaker is None:
                continue  # a sample judged for reality only
            rows.append({"file": name, "page": m.group(3) or page, "real": real, "speaker": speaker,
                         "cue": f.group(1), "who": f.group(2), "resolved": (f.group(3) or "").strip(),
                         "content": f.group(4).rstrip("”").strip()})  # fmt: skip
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=Path, required=True)
    ap.add_argument("--commit", required=True)
    ap.add_argument("--docs", type=Path, default=Path("docs"))
    ap.add_argument("--exclude-from", type=Path, action="append", default=[])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    records = {}
    with open(args.records, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            records[r["article"]["source"].rsplit("/", 1)[-1][:12]] = r
    exclude = {json.loads(x)["page"] for p in args.exclude_from for x in p.read_text().splitlines() if x.strip()}
    out: dict[tuple[str, str], dict] = {}
    for j in judged(args.docs):
        r = records.get(j["page"])
        if r is None or j["page"] in exclude:
            continue
        text = r["article"]["text"]
        head = norm(j["content"]).split("…")[0].strip()[:30]
        who = norm(j["who"]).split("…")[0].strip()[:25]
        resolved = "" if j["resolved"].lower() in ("none", "null", "") else j["resolved"]
        for q in r["quotes"]:
            sp = q["speaker"] or {}
            if norm(" ".join(text[s:e] for s, e in q["cue"])) != norm(j["cue"]) or head not in norm(q["text"]):
                continue
            if not norm(sp.get("text") or "").startswith(who):
                continue
            if (sp.get("name") or "") == resolved:
                actor = next((a for a in r["actors"] if a["id"] == sp.get("actor")), None)
                spoken = sum(1 for x in r["quotes"] if actor and (x["speaker"] or {}).get("actor") == actor["id"])
                label = "right" if j["real"] and j["speaker"] == "right" else (
                    "not_real" if not j["real"] else f"speaker_{j['speaker']}")  # fmt: skip
                keep = {k: q[k] for k in ("id", "kind", "content", "cue", "speaker", "confidence", "negated") if k in q}
                out[(j["page"], q["id"])] = {
                    "page": j["page"], "article": r["article"]["id"], "commit": args.commit, "quote": keep,
                    "speaker_actor": {k: actor[k] for k in ("id", "name", "kind", "confidence")} if actor else None,
                    "spoken": spoken, "label": label, "judged_in": f"docs/{j['file']}",
                }  # fmt: skip
            break
    rows = sorted(out.values(), key=lambda x: (x["page"], int(x["quote"]["id"][1:])))
    args.out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows), encoding="utf-8")
    print(json.dumps({"quotes": len(rows), "pages": len({x["page"] for x in rows}),
                      "right": sum(x["label"] == "right" for x in rows)}))  # fmt: skip


if __name__ == "__main__":
    main()
