"""Figures: presslens and quantulum3 alone on sentence sets in the CQE format, scored by the reference scorer.

    python benchmarks/figures.py [SET.json ...]
    python benchmarks/figures.py --speed [N]     cost of presslens_figures next to spaCy alone, N articles

Default sets: benchmarks/data/figures-news.json (development), figures-news-blind.json (held out) and, where
present, ../shared/data/quantities/*.json.
For each set and system it writes presslens-style records (``{"article": {"id": "nq-i"}, "figures": [...]}``)
to a temporary file, runs ``../shared/eval/score_quantities.py score`` on them and prints value F1,
value+qualifier F1 and value+unit F1; the last line is JSON with every score. quantulum3 runs without its
scikit-learn unit classifier (its pickled model does not load with the installed scikit-learn).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score_quantities.py"
NEWS = ROOT / "benchmarks" / "data" / "figures-news.json"
BLIND = ROOT / "benchmarks" / "data" / "figures-news-blind.json"


def presslens_figures(texts: list[str]) -> list[list[dict[str, Any]]]:
    """Figures of each text: spaCy's model (parser and NER, which is all figures use) plus presslens_figures.
    Sources need quotes and do not count in these scores, so the other presslens components are left out."""
    import spacy

    import presslens.figures.component  # noqa: F401
    from presslens.figures.detect import figure_records
    from presslens.record.pipeline import MODEL_PACKAGE

    nlp = spacy.load(MODEL_PACKAGE)
    nlp.add_pipe("presslens_figures")
    return [figure_records(doc) for doc in nlp.pipe(texts, batch_size=64)]


def quantulum_figures(texts: list[str]) -> list[list[dict[str, Any]]]:
    """Figures of each text from quantulum3's parser alone (value, uncertainty as a range, unit name)."""
    warnings.filterwarnings("ignore")
    from quantulum3 import classifier, parser

    classifier.USE_CLF = False
    out = []
    for text in texts:
        figs = []
        try:
            found = parser.parse(text)
        except Exception:  # noqa: BLE001 - a crash is counted as nothing found
            found = []
        for q in found:
            unit = q.unit.name if q.unit is not None and q.unit.name != "dimensionless" else None
            value, high = q.value, None
            if q.uncertainty:  # quantulum3 gives a range as its midpoint plus or minus an uncertainty
                value, high = q.value - q.uncertainty, q.value + q.uncertainty
            figs.append({"value": value, "high": high, "qualifier": "exact", "change": None, "unit": unit})
        out.append(figs)
    return out


def score(set_path: Path, figures: list[list[dict[str, Any]]]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for i, figs in enumerate(figures):
            f.write(json.dumps({"article": {"id": f"nq-{i}"}, "figures": figs}) + "\n")
        pred = f.name
    res = subprocess.run([sys.executable, str(SCORER), "score", str(set_path), pred], capture_output=True,
                         text=True, check=True)
    Path(pred).unlink()
    return json.loads(res.stdout.strip().splitlines()[-1])


def speed(n: int) -> dict[str, Any]:
    """Seconds spaCy's model takes on *n* PolNeAR train articles, and what ``find_figures`` adds on the same docs."""
    import spacy

    from presslens.figures.detect import find_figures
    from presslens.record.pipeline import MODEL_PACKAGE

    paths = sorted((SHARED / "data" / "polnear" / "train" / "text").glob("*.txt"))[:n]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    nlp = spacy.load(MODEL_PACKAGE)
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    t_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = sum(len(find_figures(doc)) for doc in docs)
    t_fig = time.perf_counter() - t0
    res = {"articles": len(texts), "chars": sum(map(len, texts)), "spacy_s": round(t_spacy, 2),
           "figures_s": round(t_fig, 3), "figures": found, "ratio_with_figures": round(t_spacy / (t_spacy + t_fig), 4)}
    print(f"spaCy alone {t_spacy:.2f}s, find_figures {t_fig:.3f}s ({found} figures) on {len(texts)} articles: "
          f"spaCy+figures runs at {res['ratio_with_figures']:.3f} of spaCy's throughput")
    print(json.dumps(res))
    return res


def main(argv: list[str]) -> None:
    if argv[:1] == ["--speed"]:
        speed(int(argv[1]) if len(argv) > 1 else 200)
        return
    if not SCORER.is_file():
        sys.exit(f"reference scorer not found: {SCORER}")
    sets = [Path(a) for a in argv] or [NEWS, BLIND, *sorted((SHARED / "data" / "quantities").glob("*.json"))]
    results: dict[str, dict[str, Any]] = {}
    for path in sets:
        texts = [s["text"] for s in json.loads(path.read_text(encoding="utf-8"))]
        for name, run in (("presslens", presslens_figures), ("quantulum3", quantulum_figures)):
            t0 = time.perf_counter()
            figures = run(texts)
            secs = time.perf_counter() - t0
            r = score(path, figures)
            r["seconds"] = round(secs, 2)
            results[f"{path.stem}/{name}"] = r
            print(f"{path.stem:22} {name:10} gold {r['gold']:4} pred {r['predicted']:4}  value F1 {r['value_f1']:.4f}"
                  f"  value+qualifier F1 {r['value_qualifier_f1']:.4f}  value+unit F1 {r['value_unit_f1']:.4f}"
                  f"  ({secs:.1f}s)", flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:])
