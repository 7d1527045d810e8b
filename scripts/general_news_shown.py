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
(``--batches`` maps batch numbers to items: ``batches.json``, written when the batches were made). ``--sample``
names the merged rows' sample and ``--append`` adds them to a data file's rows; ``--only-sample`` measures some.
``--second-panel DIR BATCHES``: a second panel's answers on some of the labels (a check of the readers, kept as
``plausible_2`` and ``voice_right_2``). ``--panel _3`` names a panel's fields (``plausible_3``, ``voice_right_3``):
``--add-panel DIR BATCHES`` adds its votes to the rows of ``--data`` it judged, a merge writes them there, and the
figures are that panel's (rows it did not judge left out). Last line: JSON with the figures.
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
    """For each item, whether at least half of its characters lie between paired quotation marks (those the
    quotation-mark stage pairs, and straight single ones, as the voice rule reads them)."""
    from presslens.techniques.detector import in_quotation_marks, quotation_marks
    from presslens.text.clean import find_teasers, paragraphs
    from presslens.text.quotemarks import pair_quotes

    marks: dict[str, list[tuple[int, int]]] = {}
    out = {}
    for it in items:
        if it["article"] not in marks:
            text = (texts / it["article"]).read_text(encoding="utf-8")
            paras = paragraphs(text)
            ignored = [t.span for t in find_teasers(text, paras)]
            pieces = [p for q in pair_quotes(text, paras, ignored) for p in q.pieces]
            marks[it["article"]] = quotation_marks(text, pieces)
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
    items_args: list[str],
    judged: Path,
    batches: Path,
    texts: Path,
    second: tuple[Path, Path] | None = None,
    sample: str = "330-840",
    panel: str = "",
) -> list[dict[str, Any]]:
    """One row per label shown (a label shown in both modes: one row, both modes listed), with its readers'
    votes (as ``plausible<panel>`` and ``voice_right<panel>``); *second*: a second panel's answers and batches
    (``plausible_2`` and ``voice_right_2`` where given)."""
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
        mine = {f"{w}{panel}": v for w, v in votes[k].items()}
        out.append({**row, "in_marks": marks[k], **mine, **extra, "sample": sample})
    return sorted(out, key=lambda r: key(r))


def add_panel(rows: list[dict[str, Any]], judged: Path, batches: Path, panel: str, sample: str) -> int:
    """Give the rows of *sample* another panel's votes (``plausible<panel>``, ``voice_right<panel>``) on the labels
    it judged; how many rows got them. Every label the panel judged must be a row of *sample*."""
    votes = read_votes(judged, batches)
    by_key = {key(r): r for r in rows if r["sample"] == sample}
    for k, v in votes.items():
        if k not in by_key:
            raise SystemExit(f"the panel judged {k}, which no row holds")
        for w, x in v.items():  # a label the panel read twice (in two batches) has all its votes
            by_key[k][f"{w}{panel}"] = by_key[k].get(f"{w}{panel}", []) + x
    return len(votes)


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a data file (JSON lines)."""
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def write_rows(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


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


def figures(rows: list[dict[str, Any]], floor: float, panel: str = "", wording: bool = False) -> dict[str, Any]:
    """Per mode and rule: labels, articles, the share plausible and with the voice right (majority of *panel*'s
    readers: ``plausible<panel>``; rows that panel did not judge are left out). *wording*: the voice of a quote
    whose speaker was not resolved as judged under the display's wording since the fifteenth session ("speaker
    not identified", ``voice_right_unidentified``) instead of "no speaker named"."""
    rows = [r for r in rows if f"plausible{panel}" in r]
    if wording:
        rows = [{**r, f"voice_right{panel}": r.get("voice_right_unidentified", r[f"voice_right{panel}"])} for r in rows]
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
                "plausible": share(sel, f"plausible{panel}"),
                "plausible_95": interval(sel, f"plausible{panel}"),
                "voice_right": share(sel, f"voice_right{panel}"),
                "voice_right_95": interval(sel, f"voice_right{panel}"),
            }
            for name, sel in rules.items()
        }
    return out


def compare(rows: list[dict[str, Any]], panel: str) -> dict[str, dict[str, int]]:
    """*panel* against the first panel, on the labels both judged, by mode (a label of both modes: "both")."""
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if f"plausible{panel}" in r and "plausible" in r:
            by["both" if len(r["p"]) > 1 else next(iter(r["p"]))].append(r)
    return {
        m: {
            "labels": len(sel),
            "plausible_first": sum(_yes(r["plausible"]) for r in sel),
            "plausible_other": sum(_yes(r[f"plausible{panel}"]) for r in sel),
            "agree": sum(_yes(r["plausible"]) == _yes(r[f"plausible{panel}"]) for r in sel),
            "voice_right_first": sum(_yes(r["voice_right"]) for r in sel),
            "voice_right_other": sum(_yes(r[f"voice_right{panel}"]) for r in sel),
        }
        for m, sel in sorted(by.items())
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", nargs="+", default=[], help="MODE=items.jsonl of general_news_items.py")
    ap.add_argument("--judged", type=Path, help="The readers' answer files")
    ap.add_argument("--batches", type=Path, help="batches.json: the items of each blind batch")
    ap.add_argument("--texts", type=Path, help="The articles' texts (for the quotation marks)")
    ap.add_argument("--second-panel", type=Path, nargs=2, metavar=("JUDGED", "BATCHES"), help="A second panel")
    ap.add_argument("--write", type=Path, help="Write the merged rows here")
    ap.add_argument("--sample", default="330-840", help="The merged rows' sample (a data file may hold several)")
    ap.add_argument("--append", action="store_true", help="With --write: add the merged rows to the rows already there")
    ap.add_argument(
        "--panel", default="", help="The suffix of the votes' fields (plausible<panel>): what is merged, and measured"
    )
    ap.add_argument(
        "--add-panel",
        type=Path,
        nargs=2,
        metavar=("JUDGED", "BATCHES"),
        help="With --data and --write: add a panel's votes (fields with the --panel suffix) to the rows of --sample "
        "it judged",
    )
    ap.add_argument("--only-sample", nargs="+", help="Measure only the rows of these samples")
    ap.add_argument(
        "--wording",
        action="store_true",
        help='Voices of quotes with no resolved speaker as judged under "speaker not identified"',
    )
    ap.add_argument(
        "--marks-again", action="store_true", help="With --data, --texts and --write: compute in_marks again"
    )
    ap.add_argument("--data", type=Path, help="Read merged rows (instead of --items and --judged)")
    ap.add_argument("--floor", type=float, default=PROBABILITY_MIN["default"])
    args = ap.parse_args()
    if args.data:
        rows = read_rows(args.data)
        if args.marks_again:
            if not (args.texts and args.write):
                ap.error("--marks-again needs --texts and --write")
            marks = in_marks(args.texts, rows)
            print(f"{sum(marks[key(r)] != r['in_marks'] for r in rows)} rows change in_marks")
            for r in rows:
                r["in_marks"] = marks[key(r)]
            write_rows(args.write, rows)
        if args.add_panel:
            if not (args.panel and args.write):
                ap.error("--add-panel needs --panel and --write")
            print(f"{add_panel(rows, *args.add_panel, args.panel, args.sample)} rows judged by panel {args.panel}")
            write_rows(args.write, rows)
    else:
        if not (args.items and args.judged and args.batches and args.texts):
            ap.error("give --data, or --items, --judged, --batches and --texts")
        rows = merge(args.items, args.judged, args.batches, args.texts, args.second_panel, args.sample, args.panel)
        if args.write:
            old = []
            if args.append and args.write.is_file():
                old = read_rows(args.write)
                if any(r["sample"] == args.sample for r in old):
                    raise SystemExit(f"{args.write} already holds sample {args.sample}")
            rows = old + rows
            write_rows(args.write, rows)
    if args.only_sample:
        rows = [r for r in rows if r["sample"] in args.only_sample]
    out = figures(rows, args.floor, args.panel, args.wording)
    others = {}
    for panel in sorted({k[len("plausible") :] for r in rows for k in r if k.startswith("plausible_")}):
        others[panel] = compare(rows, panel)
        print(f"panel {panel} against the first:", json.dumps(others[panel]))
    for mode, rules in out.items():
        for name, f in rules.items():
            print(
                f"{mode:9} {name:26} {f['labels']:4} labels on {f['articles']:3} articles: plausible "
                f"{f['plausible']} {f['plausible_95']}, voice right {f['voice_right']} {f['voice_right_95']}"
            )
    print(json.dumps({**out, "other_panels": others}))


if __name__ == "__main__":
    main()
