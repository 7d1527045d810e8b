"""Where the technique model's domain gate falls: the public-affairs share of PTC's training articles, PolNeAR's
dev and training articles and the extraction benchmark's pages, how many fall below ``PUBLIC_AFFAIRS_MIN``, and
how many are outside the gate (``in_domain``: the share, and ``PUBLIC_AFFAIRS_MIN_WORDS`` different words).

    python scripts/public_affairs_share.py [--shared ../shared]

Reads ../shared (never committed); prints one line per set and, last, a JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from presslens.techniques.domain import PUBLIC_AFFAIRS_MIN, PUBLIC_AFFAIRS_MIN_WORDS, in_domain, public_affairs_share


def summary(name: str, texts: list[str]) -> dict:
    shares = [public_affairs_share(t) for t in texts]
    below = sum(s < PUBLIC_AFFAIRS_MIN for s in shares)
    outside = sum(not in_domain(t) for t in texts)
    q = statistics.quantiles(shares, n=20) if len(shares) > 1 else shares
    out = {
        "set": name,
        "texts": len(shares),
        "below": below,
        "outside": outside,
        "p5": round(q[0], 4),
        "median": round(statistics.median(shares), 4),
    }
    print(
        f"{name}: {len(shares)} texts, {below} below {PUBLIC_AFFAIRS_MIN}, {outside} outside the gate, "
        f"5th percentile {out['p5']}, median {out['median']}"
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    a = ap.parse_args()
    d = a.shared / "data"
    def texts(folder: Path, pattern: str = "*") -> list[str]:
        return [p.read_text(encoding="utf-8") for p in sorted(folder.glob(pattern))]

    sets = [
        summary("PTC train", texts(d / "ptc" / "train-articles", "*.txt")),
        summary("PolNeAR dev", texts(d / "polnear" / "dev" / "text")),
        summary("PolNeAR train", texts(d / "polnear" / "train" / "text")),
    ]
    gt = json.loads((d / "extraction-benchmark" / "ground-truth.json").read_text(encoding="utf-8"))
    sets.append(summary("extraction benchmark", [v["articleBody"] for v in gt.values()]))
    print(json.dumps({"min": PUBLIC_AFFAIRS_MIN, "min_words": PUBLIC_AFFAIRS_MIN_WORDS, "sets": sets}))


if __name__ == "__main__":
    main()
