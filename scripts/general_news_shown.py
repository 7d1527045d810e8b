"""What ``analyze`` shows by default on general news, judged: a prospective check of the rules that decide it.

The items are every technique label the default keep shows on a fresh sample of PolNeAR's training articles
(``scripts/general_news_items.py --keep likely --min-p 0 --per-article 99``, in one mode or both); three blind
readers judged each label (plausible for its words?) and its voice (right?). This script merges the items and the
judgements into one data file (article and characters, no text: ``docs/data/general-news-shown.jsonl``) and
measures, per mode, the share plausible and the share with the right voice among the labels each rule keeps:

- every label shown before the rules below;
- a probability floor (``--floor``, default 0.5: no label under that calibrated probability);
- the voice rule (``detector.in_quotation_marks``: no label in the outlet's voice inside quotation marks);
- what ``analyze`` shows now: the voice rule and the mode's shipped floor (``calibrate.PROBABILITY_MIN``).

With 95% intervals from resampling the articles (labels of one article are not independent).

    python scripts/general_news_shown.py --items default=DIR/items.jsonl accurate=DIR2/items.jsonl \\
        --judged JUDGED_DIR --texts ../shared/data/polnear/train/text --write docs/data/general-news-shown.jsonl
    python scripts/general_news_shown.py --data docs/data/general-news-shown.jsonl

``JUDGED_DIR`` holds one JSON-lines file per batch and reader, ``<batch>-r<reader>.jsonl``, lines ``{"n": 3,
"plausible": true, "voice_right": true, "note": "..."}`` where ``n`` is the item's number in the blind batch file
(``--batches`` maps batch numbers to items: ``batches.json``, written when the batches were made).
``--second-panel DIR BATCHES``: a second panel's answers on some of the labels (a check of the readers, kept as
``plausible_2`` and ``voice_right_2``). Last line: JSON with the figures.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

from presslens.techniques.calibrate import PROBABILITY_MIN

Key = tuple[str, int, int, str]


def key(item: dict[str, Any]) -> Key:
    return (item["article"], item["start"], item["end"], item["technique"])


def in_marks(texts: Path, items: list[dict[str, Any]]) -> dict[Key, bool]:
    """For each item, whether at least half of its characters lie between paired quotation marks."""
    from presslens.techniques.detector import in_quotation_marks
    from presslens.text.clean import find_teasers, paragraphs
    from presslens.text.quotemarks import pair_quotes

    marks: dict[str, list[tuple[int, int]]] = {}
    out = {}
    for it in items:
        if it["article"] not in marks:
            text = (texts / it["article"]).read_text(encoding="utf-8")
            paras = paragraphs(text)
            ignored = [t.span for t in find_teasers(text, paras)]
            marks[it["article"]] = [p for q in pair_quotes(text, paras, ignored) for p in q.pieces]
        out[key(it)] = in_quotation_marks((it["start"], it["end"]), marks[it["article"]])
    return out


def read_votes(judged: Path, batches: Path) -> dict[Key, dict[str, list[bool]]]:
    """The readers' votes per label, from their answer files and the batches' item keys."""
    by_batch = json.loads(batches.read_text(encoding="utf-8"))  # {"A": {"1": [article, start, end, technique]}}
    votes: dict[Key, dict[str, list[bool]]] = defaultdict(lambda: {"plausible": [], "voice_right": []})
    for f in sorted(judged.glob("*-r*.jsonl")):
        batch = f.name.split("-r")[0]
        keys = {n: tuple(k) for n, k in by_batch[batch].items()}
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                j = json.loads(line)
                k = keys[str(j["n"])]
                votes[k]["plausible"].append(bool(j["plausible"]))
                votes[k]["voice_right"].append(bool(j["voice_right"]))
    return votes


def merge(
    items_args: list[str], judged: Path, batches: Path, texts: Path, second: tuple[Path, Path] | None = None
) -> list[dict[str, Any]]:
    """One row per label shown (a label shown in both modes: one row, both modes listed), with its readers'
    votes; *second*: a second panel's answers and batches (``plausible_2`` and ``voice_right_2`` where given)."""
    votes = read_votes(judged, batches)
    again = read_votes(*second) if second else {}
    rows: dict[Key, dict[str, Any]] = {}
    for arg in items_args:
        mode, path = arg.split("=", 1)
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            it = json.loads(line)
            k = key(it)
            row = rows.setdefault(
                k,
                {
                    "article": it["article"],
                    "start": it["start"],
                    "end": it["end"],
                    "technique": it["technique"],
                    "quoted": it["quoted"],
                    "p": {},
                    "threshold": {},
                },
            )
            row["p"][mode] = it["p"]
            row["threshold"][mode] = it["threshold"]
    marks = in_marks(texts, list(rows.values()))
    out = []
    for k, row in rows.items():
        if k not in votes:
            raise SystemExit(f"no judgement for {k}")
        extra = {f"{w}_2": v for w, v in again[k].items()} if k in again else {}
        out.append({**row, "in_marks": marks[k], **votes[k], **extra, "sample": "330-840"})
    return sorted(out, key=lambda r: key(r))


def _yes(votes: list[bool]) -> bool:
    return 2 * sum(votes) > len(votes)


def share(rows: list[dict[str, Any]], what: str) -> float | None:
    """The share of *rows* the majority of readers found *what* (plausible, voice_right)."""
    if not rows:
        return None
    return round(sum(_yes(r[what]) for r in rows) / len(rows), 3)


def interval(rows: list[dict[str, Any]], what: str, rounds: int = 2000, seed: int = 0) -> list[float | None]:
    """95% interval of ``share`` over resamples of the articles."""
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_article[r["article"]].append(r)
    names = sorted(by_article)
    if not names:
        return [None, None]
    rng = random.Random(seed)
    got = sorted(
        share([r for a in (rng.choice(names) for _ in names) for r in by_article[a]], what) or 0.0
        for _ in range(rounds)
    )
    return [got[int(0.025 * rounds)], got[int(0.975 * rounds) - 1]]


def figures(rows: list[dict[str, Any]], floor: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mode in sorted({m for r in rows for m in r["p"]}):
        mine = [r for r in rows if mode in r["p"]]
        shipped = PROBABILITY_MIN.get(mode, 0.0)
        voiced = [r for r in mine if r["quoted"] or not r["in_marks"]]
        rules = {
            "shown before": mine,
            f"floor {floor}": [r for r in mine if r["p"][mode] >= floor],
            f"under floor {floor}": [r for r in mine if r["p"][mode] < floor],
            "voice rule": voiced,
            "dropped by the voice rule": [r for r in mine if not r["quoted"] and r["in_marks"]],
            f"shown now (floor {shipped})": [r for r in voiced if r["p"][mode] >= shipped],
        }
        out[mode] = {
            name: {
                "labels": len(sel),
                "articles": len({r["article"] for r in sel}),
                "plausible": share(sel, "plausible"),
                "plausible_95": interval(sel, "plausible"),
                "voice_right": share(sel, "voice_right"),
                "voice_right_95": interval(sel, "voice_right"),
            }
            for name, sel in rules.items()
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", nargs="+", default=[], help="MODE=items.jsonl of general_news_items.py")
    ap.add_argument("--judged", type=Path, help="The readers' answer files")
    ap.add_argument("--batches", type=Path, help="batches.json: the items of each blind batch")
    ap.add_argument("--texts", type=Path, help="The articles' texts (for the quotation marks)")
    ap.add_argument("--second-panel", type=Path, nargs=2, metavar=("JUDGED", "BATCHES"), help="A second panel")
    ap.add_argument("--write", type=Path, help="Write the merged rows here")
    ap.add_argument("--data", type=Path, help="Read merged rows (instead of --items and --judged)")
    ap.add_argument("--floor", type=float, default=PROBABILITY_MIN["default"])
    args = ap.parse_args()
    if args.data:
        rows = [json.loads(x) for x in args.data.read_text(encoding="utf-8").splitlines() if x.strip()]
    else:
        if not (args.items and args.judged and args.batches and args.texts):
            ap.error("give --data, or --items, --judged, --batches and --texts")
        rows = merge(args.items, args.judged, args.batches, args.texts, args.second_panel)
        if args.write:
            args.write.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = figures(rows, args.floor)
    checked = [r for r in rows if "plausible_2" in r]
    if checked:  # the second panel against the first, on the labels both judged; by mode (a label of both: "both")
        by: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in checked:
            by["both" if len(r["p"]) > 1 else next(iter(r["p"]))].append(r)
        second = {
            m: {
                "labels": len(sel),
                "plausible_first": sum(_yes(r["plausible"]) for r in sel),
                "plausible_second": sum(_yes(r["plausible_2"]) for r in sel),
                "agree": sum(_yes(r["plausible"]) == _yes(r["plausible_2"]) for r in sel),
            }
            for m, sel in sorted(by.items())
        }
        print("second panel:", json.dumps(second))
    for mode, rules in out.items():
        for name, f in rules.items():
            print(
                f"{mode:9} {name:26} {f['labels']:4} labels on {f['articles']:3} articles: plausible "
                f"{f['plausible']} {f['plausible_95']}, voice right {f['voice_right']} {f['voice_right_95']}"
            )
    print(json.dumps({**out, "second_panel": second} if checked else out))


if __name__ == "__main__":
    main()
