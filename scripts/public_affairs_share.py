"""Where the technique model's domain gate falls: the public-affairs share of PTC's training articles, PolNeAR's
dev articles and the extraction benchmark's pages, and how many fall below ``PUBLIC_AFFAIRS_MIN``.

    python scripts/public_affairs_share.py [--shared ../shared]

Reads ../shared (never committed); prints one line per set and, last, a JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from presslens.techniques.domain import PUBLIC_AFFAIRS_MIN, public_affairs_share


def summary(name: str, shares: list[float]) -> dict:
    below = sum(s < PUBLIC_AFFAIRS_MIN for s in shares)
    q = statistics.quantiles(shares, n=20) if len(shares) > 1 else shares
    out = {
        "set": name,
        "texts": len(shares),
        "below": below,
        "p5": round(q[0], 4),
        "median": round(statistics.median(shares), 4),
    }
    print(
        f"{name}: {len(shares)} texts, {below} below {PUBLIC_AFFAIRS_MIN}, "
        f"5th percentile {out['p5']}, median {out['median']}"
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    a = ap.parse_args()
    d = a.shared / "data"
    sets = [
        summary(
            "PTC train",
            [
                public_affairs_share(p.read_text(encoding="utf-8"))
                for p in sorted((d / "ptc" / "train-articles").glob("*.txt"))
            ],
        ),
        summary(
            "PolNeAR dev",
            [
                public_affairs_share(p.read_text(encoding="utf-8"))
                for p in sorted((d / "polnear" / "dev" / "text").glob("*"))
            ],
        ),
    ]
    gt = json.loads((d / "extraction-benchmark" / "ground-truth.json").read_text(encoding="utf-8"))
    sets.append(summary("extraction benchmark", [public_affairs_share(v["articleBody"]) for v in gt.values()]))
    print(json.dumps({"min": PUBLIC_AFFAIRS_MIN, "sets": sets}))


if __name__ == "__main__":
    main()
