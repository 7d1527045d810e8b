"""How often general-news readers found plausible the technique labels the record keeps under the display bar.

Reads the judged candidates of the accurate mode on PolNeAR training articles (``docs/data/general-news-
techniques.jsonl``: calibrated probability, word facts, technique and three readers' votes per item; candidates
with probability 0.3 or more, at most three an article, drawn at random) and a calibration (``calibration.json``,
``--mode``), and splits the candidates into what that calibration shows (``Calibration.shows``), what the record
keeps without showing it (``keeps(..., "likely")`` but not shown) and the rest, with the share judged plausible
(majority of the three votes) in each part, a 95% Wilson interval, and the share of voters.

The probabilities are those the stage gave when the items were drawn (2026-12-02, twelfth session); the shipped
maps have changed a little since, so the split is an estimate.

    python scripts/record_tier_judged.py --calibration src/presslens/data/techniques/calibration.json --mode accurate

Last line: JSON with the figures.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from presslens.techniques.calibrate import load_calibrations
from presslens.techniques.evidence import WordFacts, effective_evidence


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of k successes in n."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    mid = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (round(mid - half, 3), round(mid + half, 3))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--judgements", type=Path, default=Path("docs/data/general-news-techniques.jsonl"))
    ap.add_argument("--calibration", type=Path, default=Path("src/presslens/data/techniques/calibration.json"))
    ap.add_argument("--mode", default="accurate")
    args = ap.parse_args()
    cal = load_calibrations(args.calibration)[args.mode]
    rows = [json.loads(line) for line in args.judgements.read_text(encoding="utf-8").splitlines() if line]
    parts: dict[str, list[dict[str, Any]]] = {"shown": [], "record only": [], "not kept": []}
    for r in rows:
        facts = WordFacts(r["evidence"], r["lone"], r["negated"], r["nation"])
        evidence = effective_evidence(facts, r["technique"], cal.evidence_scope)
        if cal.shows(r["technique"], r["p"], evidence):
            parts["shown"].append(r)
        elif cal.keeps(r["technique"], r["p"], "likely", evidence):
            parts["record only"].append(r)
        else:
            parts["not kept"].append(r)
    out: dict[str, Any] = {"items": len(rows), "mode": args.mode}
    for name, items in parts.items():
        yes = sum(sum(r["plausible"]) >= 2 for r in items)
        votes = sum(len(r["plausible"]) for r in items)
        out[name] = {
            "items": len(items),
            "plausible": yes,
            "share": round(yes / len(items), 3) if items else None,
            "interval": wilson(yes, len(items)),
            "votes_share": round(sum(sum(r["plausible"]) for r in items) / votes, 3) if votes else None,
        }
        print(f"{name}: {json.dumps(out[name])}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
