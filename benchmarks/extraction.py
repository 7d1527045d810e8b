"""Article-body extraction quality of the presslens HTML path against trafilatura alone, same pages, same run.

    python benchmarks/extraction.py [--data DIR] [--rounds 1]

DIR (default ``../shared/data/extraction-benchmark``) is the article-extraction-benchmark layout:
``html/<id>.html.gz`` pages and ``ground-truth.json`` mapping each id to ``{"articleBody": ..., "url": ...}``.

presslens: each page goes through :func:`presslens.inputs.read_path` exactly as ``presslens analyze
page.html.gz`` reads it (gunzip, charset decoding, :func:`presslens.inputs.html.extract_article` with metadata);
a page that yields an error counts as an empty prediction. Baseline: ``trafilatura.extract(html)`` with
trafilatura's default settings on the page decoded as UTF-8.

Scoring is the benchmark's own (scrapinghub/article-extraction-benchmark ``evaluate.py``): texts are
tokenised into ``\\w+`` words; shingles are 4-word n-grams, counted as multisets; per page TP/FP/FN are
normalised to sum to 1; precision is averaged over pages with TP+FP > 0, recall over pages with TP+FN > 0,
and F1 is the harmonic mean of those two averages. The mean of per-page F1s is printed too.

The last line printed is a JSON object with both systems' figures and the ratios presslens / trafilatura.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import trafilatura

from presslens.inputs import Document, read_path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared/data/extraction-benchmark"

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """Shingle matches of one page, normalised so that every page weighs the same."""
    gold, guess = shingles(true), shingles(pred)
    tp = sum((gold & guess).values())
    fp = sum((guess - gold).values())
    fn = sum((gold - guess).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def page_f1(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def score(truths: dict[str, str], predictions: dict[str, str]) -> dict[str, float]:
    counts = [tp_fp_fn(truths[key], predictions.get(key) or "") for key in truths]
    p = statistics.mean(precision(*c) for c in counts if c[0] + c[1] > 0)
    r = statistics.mean(recall(*c) for c in counts if c[0] + c[2] > 0)
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "f1_page_mean": round(statistics.mean(page_f1(*c) for c in counts), 4),
    }


def run_presslens(paths: dict[str, Path]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, path in paths.items():
        results = list(read_path(str(path)))
        out[key] = results[0].text if len(results) == 1 and isinstance(results[0], Document) else ""
    return out


def run_trafilatura(paths: dict[str, Path]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, path in paths.items():
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        out[key] = trafilatura.extract(html) or ""
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--rounds", type=int, default=1, help="timing rounds per system (best kept)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages (0: all)")
    a = ap.parse_args()
    truth_file = a.data / "ground-truth.json"
    if not truth_file.is_file():
        raise SystemExit(f"no benchmark at {a.data} (expected ground-truth.json and html/*.html.gz)")
    ground = json.loads(truth_file.read_text(encoding="utf-8"))
    paths = {p.name.split(".")[0]: p for p in sorted((a.data / "html").glob("*.html.gz"))}
    keys = [k for k in sorted(ground) if k in paths]
    if a.limit:
        keys = keys[: a.limit]
    missing = len(ground) - len(keys) if not a.limit else 0
    paths = {k: paths[k] for k in keys}
    truths = {k: ground[k].get("articleBody") or "" for k in keys}

    # Warm both (imports, lazy tables), then time whole passes; the best of --rounds is kept.
    first = dict(list(paths.items())[:3])
    run_presslens(first)
    run_trafilatura(first)
    figures: dict[str, dict[str, float]] = {}
    for name, runner in (("presslens", run_presslens), ("trafilatura", run_trafilatura)):
        best = float("inf")
        predictions: dict[str, str] = {}
        for _ in range(max(1, a.rounds)):
            started = time.perf_counter()
            predictions = runner(paths)
            best = min(best, time.perf_counter() - started)
        figures[name] = {**score(truths, predictions), "pages_per_s": round(len(paths) / best, 1)}

    print(f"pages: {len(paths)}" + (f" ({missing} ground-truth ids without a page skipped)" if missing else ""))
    for name, f in figures.items():
        print(
            f"{name:12s} precision={f['precision']:.4f} recall={f['recall']:.4f} F1={f['f1']:.4f} "
            f"(per-page mean F1 {f['f1_page_mean']:.4f})  {f['pages_per_s']:.1f} pages/s"
        )
    ratio = figures["presslens"]["f1"] / figures["trafilatura"]["f1"]
    speed = figures["presslens"]["pages_per_s"] / figures["trafilatura"]["pages_per_s"]
    print(f"F1 ratio presslens / trafilatura: {ratio:.4f}; speed ratio: {speed:.2f}")
    summary = {
        "benchmark": "article-extraction-benchmark",
        "pages": len(paths),
        "presslens": figures["presslens"],
        "trafilatura_default": figures["trafilatura"],
        "f1_ratio": round(ratio, 4),
        "speed_ratio": round(speed, 3),
        "trafilatura_version": trafilatura.__version__,
    }
    sys.stdout.write(json.dumps(summary) + "\n")


if __name__ == "__main__":
    main()
