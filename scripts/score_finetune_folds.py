"""Score the fine-tuned MiniLM span tagger's held-out folds with the reference PTC scorer (SI).

    python -m presslens.techniques.finetune --data ../shared/data/ptc --out /tmp/ft/f0 --epochs 3 --fold 0
    ... (folds 1-4 likewise)
    python scripts/score_finetune_folds.py /tmp/ft/f*/fold*-pieces.json [--data ../shared/data/ptc]

Each ``foldK-pieces.json`` holds, per held-out article, the word pieces' character ranges and their probability of
lying inside a technique span. Decoding: the probabilities averaged over ``smooth`` pieces either side, runs at or
above a threshold inside one line, widened to whole words, edge punctuation trimmed. The grid of thresholds and
smoothing is scored on the pooled folds (so the best figure is slightly optimistic, as for the shipped modes).
Writes the predictions to ``--work`` and prints one line per setting, then a JSON object with the best.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from presslens.techniques.train import load_corpus

PUNCT = ".,;:!?\"'()[]“”‘’—–-"


def decode(text: str, windows: list, threshold: float, smooth: int = 0) -> list[tuple[int, int]]:
    """Character spans of the runs of pieces whose (smoothed) probability reaches *threshold*."""
    out = []
    for ranges, probs in windows:
        n = len(probs)
        if smooth:
            probs = [
                sum(probs[max(0, i - smooth) : i + smooth + 1]) / len(probs[max(0, i - smooth) : i + smooth + 1])
                for i in range(n)
            ]
        i = 0
        while i < n:
            if probs[i] < threshold:
                i += 1
                continue
            j = i
            while j + 1 < n and probs[j + 1] >= threshold:
                j += 1
            s, e = ranges[i][0], ranges[j][1]
            while s > 0 and not text[s - 1].isspace():
                s -= 1
            while e < len(text) and not text[e].isspace():
                e += 1
            while s < e and (text[s] in PUNCT or text[s].isspace()):
                s += 1
            while e > s and (text[e - 1] in PUNCT or text[e - 1].isspace()):
                e -= 1
            if e - s >= 2:
                out.append((s, e))
            i = j + 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pieces", nargs="+", type=Path)
    ap.add_argument("--data", type=Path, default=Path("../shared/data/ptc"))
    ap.add_argument("--scorer", type=Path, default=Path("../shared/eval/score_ptc.py"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/ft-score"))
    a = ap.parse_args()
    texts, gold = load_corpus(a.data)
    text = dict(texts)
    preds: dict = {}
    for f in a.pieces:
        preds.update(json.loads(f.read_text(encoding="utf-8")))
    a.work.mkdir(parents=True, exist_ok=True)
    g = a.work / "gold.labels"
    g.write_text("".join(f"{x.article}\t{x.technique}\t{x.start}\t{x.end}\n" for x in gold if x.article in preds))
    best = None
    for smooth in (0, 1, 2):
        for thr in (0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
            lines = [
                f"{aid}\tX\t{s}\t{e}\n" for aid, wins in preds.items() for s, e in decode(text[aid], wins, thr, smooth)
            ]
            p = a.work / f"pred-{thr}-{smooth}.labels"
            p.write_text("".join(lines))
            r = subprocess.run(
                [sys.executable, str(a.scorer), "si", "--gold-labels", str(g), "--pred", str(p)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            res = json.loads(r.stdout.strip().splitlines()[-1])
            print(f"smooth {smooth} threshold {thr}: P {res['precision']} R {res['recall']} F1 {res['f1']}")
            if best is None or res["f1"] > best["f1"]:
                best = {**res, "threshold": thr, "smooth": smooth}
    print(json.dumps({"articles": len(preds), "best": best}))


if __name__ == "__main__":
    main()
