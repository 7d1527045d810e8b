"""Peak resident memory of `presslens analyze` on one article of 10 KB, 100 KB, 250 KB and 1 MB.

    python benchmarks/memory.py [--sizes 10,100,250,1000] [--articles DIR] [--keep DIR]

Each article is made by repeating real paragraphs (PolNeAR dev texts from ../shared when present, else the
seed article and examples/), cut at a paragraph end to about the size asked (characters, 1 KB = 1,000). Each
size runs `presslens analyze FILE --compact` in its own subprocess, and its peak RSS is read from that
process's rusage. The table gives the peak, the growth over the 10 KB run, and that growth per extra KB (the
analysis is linear in the article when this stays flat); the ratio column is the peak per KB of article
against the 10 KB run's. The last line printed is a JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT.parent / "shared/data/polnear/dev/text", ROOT / "tests/fixtures", ROOT / "examples"]
# The child reports its own peak RSS (ru_maxrss of RUSAGE_CHILDREN in a fresh wrapper is that child's peak).
_WRAPPER = """
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter() - t)
"""


def paragraphs(directory: Path | None) -> list[str]:
    dirs = [directory] if directory else [d for d in SOURCES if d.is_dir()]
    out: list[str] = []
    for d in dirs:
        for path in sorted(d.glob("*.txt"))[:40]:
            out += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 80]
        if len(out) > 50:
            break
    if not out:
        raise SystemExit("no .txt articles found; pass --articles DIR")
    return out


def article(paras: list[str], chars: int) -> str:
    text, k = [], 0
    size = 0
    while size < chars:
        p = paras[k % len(paras)]
        text.append(p)
        size += len(p) + 2
        k += 1
    return "\n\n".join(text) + "\n"


def peak_rss(path: Path) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "presslens.cli", "analyze", str(path), "--compact", "-o", str(path) + ".jsonl"]
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True, check=True)
    rc, kb, seconds = proc.stdout.split()
    if rc != "0":
        raise SystemExit(f"presslens analyze {path} failed ({rc})")
    return int(kb) / 1024, float(seconds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10,100,250,1000", help="article sizes in KB (1 KB = 1,000 characters)")
    ap.add_argument("--articles", type=Path, help="a directory of .txt articles to take paragraphs from")
    ap.add_argument("--keep", type=Path, help="write the articles here instead of a temporary directory")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    paras = paragraphs(args.articles)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        for kb in sizes:
            path = where / f"article_{kb}kb.txt"
            text = article(paras, kb * 1000)
            path.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            mb, seconds = peak_rss(path)
            rows.append({"kb": kb, "chars": len(text), "peak_mb": round(mb, 1), "seconds": round(seconds, 1)})
            print(f"{kb:>6} KB: peak {mb:.1f} MB in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    base = rows[0]
    header = ("article", "chars", "peak MB", "growth MB", "MB/extra KB", "ratio/KB", "s")
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, (10, 10, 9, 10, 12, 9, 7), strict=True)))
    for r in rows:
        growth = r["peak_mb"] - base["peak_mb"]
        extra_kb = (r["chars"] - base["chars"]) / 1000
        r["growth_mb"] = round(growth, 1)
        r["mb_per_extra_kb"] = round(growth / extra_kb, 3) if extra_kb > 0 else None
        r["ratio_per_kb"] = round((r["peak_mb"] / r["chars"]) / (base["peak_mb"] / base["chars"]), 4)
        per_kb = f"{r['mb_per_extra_kb']:.3f}" if r["mb_per_extra_kb"] is not None else "-"
        print(
            f"{r['kb']:>7} KB {r['chars']:>10,} {r['peak_mb']:>9.1f} {growth:>10.1f} {per_kb:>12} "
            f"{r['ratio_per_kb']:>9.4f} {r['seconds']:>7.1f}"
        )
    print(json.dumps({"baseline_kb": base["kb"], "runs": rows}))


if __name__ == "__main__":
    main()
