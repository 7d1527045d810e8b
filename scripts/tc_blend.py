"""Out-of-fold TC of the linear span classifier, the fine-tuned MiniLM classifier, and their mix.

The linear classifier (``presslens train techniques``' TC) is refitted on each fold of the five-fold split by
article (KFold, shuffled, seed 13); the fine-tuned one's held-out probabilities come from
``python -m presslens.techniques.finetune_tc --fold K`` (K = 0..4, the same split). The mix
``(1 - w) * linear + w * fine-tuned`` is scored over a grid of w; a span given k techniques gets its k most
likely, as ``presslens techniques`` answers. The figures come from the reference scorer
(``../shared/eval/score_ptc.py tc``) over label files written to --save-dir. w is chosen on these same
out-of-fold predictions (one number).

    python scripts/tc_blend.py --tc /tmp/tc/f*/fold*-tc.json [--data ../shared/data/ptc] [--cache F]

Last line: JSON with the figures at w = 0 (linear), 1 (fine-tuned) and the best w.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np


def linear_oof(data: Path, cache: Path | None) -> dict:
    """{(article, start, end): linear TC probabilities} out of fold, and the technique order."""
    if cache is not None and cache.is_file():
        with cache.open("rb") as fh:
            return pickle.load(fh)  # a file this script wrote
    from sklearn.model_selection import KFold

    from presslens.record.pipeline import load_nlp
    from presslens.techniques.model import TechniqueModel
    from presslens.techniques.train import SEED, featurize, fit_tc, load_corpus

    texts, gold = load_corpus(data)
    items = featurize(texts, gold, load_nlp(), log=lambda m: print(m, file=sys.stderr))
    out: dict = {"probs": {}, "gold": [(g.article, g.technique, g.start, g.end) for it in items for g in it.gold]}
    for tr, te in KFold(5, shuffle=True, random_state=SEED).split(items):
        coef, bias, techniques = fit_tc([items[i] for i in tr])
        m = TechniqueModel(np.zeros(1, np.float32), 0.0, coef, bias, techniques)
        out["techniques"] = techniques
        for i in te:
            it = items[i]
            if it.span_rows:
                for lab, row in zip(it.gold, m.technique_proba(it.span_rows), strict=True):
                    out["probs"][(lab.article, lab.start, lab.end)] = row
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as fh:
            pickle.dump(out, fh)
    return out


def labels_for(gold: list[tuple], proba: dict, techniques: list[str]) -> list[tuple]:
    seen: dict = {}
    out = []
    for aid, _t, s, e in gold:
        order = np.argsort(-proba[(aid, s, e)], kind="stable")
        k = seen.get((aid, s, e), 0)
        seen[(aid, s, e)] = k + 1
        out.append((aid, techniques[int(order[min(k, len(order) - 1)])], s, e))
    return out


def reference_tc(scorer: Path, gold_file: Path, pred: list[tuple], path: Path) -> dict:
    path.write_text("".join(f"{a}\t{t}\t{s}\t{e}\n" for a, t, s, e in pred), encoding="utf-8")
    res = subprocess.run(
        [sys.executable, str(scorer), "tc", "--gold-labels", str(gold_file), "--pred", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tc", nargs="+", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=Path("../shared/data/ptc"))
    ap.add_argument("--scorer", type=Path, default=Path("../shared/eval/score_ptc.py"))
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--save-dir", type=Path, default=Path("/tmp/tc-blend"))
    a = ap.parse_args()

    lin = linear_oof(a.data, a.cache)
    techniques = lin["techniques"]
    fine: dict = {}
    for f in a.tc:
        d = json.loads(f.read_text(encoding="utf-8"))
        order = [d["techniques"].index(t) for t in techniques]
        for aid, s, e, _t, p in d["rows"]:
            fine[(aid, s, e)] = np.asarray(p)[order]
    gold = [g for g in lin["gold"] if (g[0], g[2], g[3]) in fine]
    missing = len(lin["gold"]) - len(gold)
    a.save_dir.mkdir(parents=True, exist_ok=True)
    gold_file = a.save_dir / "gold.labels"
    gold_file.write_text("".join(f"{x}\t{t}\t{s}\t{e}\n" for x, t, s, e in gold), encoding="utf-8")
    results = {}
    for w in [round(0.1 * k, 1) for k in range(11)]:
        mix = {k: (1 - w) * lin["probs"][k] + w * fine[k] for k in fine}
        res = reference_tc(a.scorer, gold_file, labels_for(gold, mix, techniques), a.save_dir / f"pred-{w}.labels")
        results[w] = res
        print(f"w {w}: TC micro-F1 {res['micro_f1']}", file=sys.stderr)
    best = max(results, key=lambda w: results[w]["micro_f1"])
    print(json.dumps({
        "gold_spans": len(gold), "spans_without_fine_tuned": missing,
        "linear": results[0.0]["micro_f1"], "fine_tuned": results[1.0]["micro_f1"],
        "best_weight": best, "best": results[best]["micro_f1"],
        "per_technique_best": results[best]["per_technique_f1"],
    }))  # fmt: skip


if __name__ == "__main__":
    main()
