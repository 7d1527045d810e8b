"""Experiment: span identification (SI) of persuasion techniques with the attribution BiLSTM-CRF.

    python scripts/ptc_si_bilstm.py --data ../shared/data/ptc --out /tmp/si-cv.labels [--epochs 8]

Five folds by article (KFold, shuffled, seed 13, as `presslens train techniques`), a fixed number of epochs
(no fold is used to choose anything), out-of-fold spans written in the PTC format for
`../shared/eval/score_ptc.py si --gold-labels DATA/train-task-flc-tc.labels --pred OUT`. Needs PyTorch.
"""

from __future__ import annotations

import argparse
import pickle
import time
from pathlib import Path

import numpy as np

from presslens.attribution.features import featurize
from presslens.attribution.train import Example, fit, predict

TAGS = ("O", "B-span", "I-span")


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def prepare(data: Path, log=print) -> tuple[list[Example], list[list[tuple[int, int]]]]:
    from presslens.pipeline import load_nlp
    from presslens.techniques.train import load_corpus

    texts, gold = load_corpus(data)
    by_id: dict[str, list[tuple[int, int]]] = {}
    for g in gold:
        by_id.setdefault(g.article, []).append((g.start, g.end))
    nlp = load_nlp(techniques=False)
    examples, offsets = [], []
    t0 = time.time()
    for k, ((aid, _text), doc) in enumerate(zip(texts, nlp.pipe(t for _, t in texts), strict=True)):
        feats = featurize(doc, doc._.presslens_quoted, doc._.presslens_resolver.token_actor)
        starts = np.array([t.idx for t in doc])
        ends = starts + np.array([len(t.text) for t in doc])
        tags = np.zeros(len(doc), dtype=np.int64)
        for s, e in merged(by_id.get(aid, [])):
            toks = [int(i) for i in np.nonzero((starts < e) & (ends > s))[0] if not doc[int(i)].is_space]
            for j, i in enumerate(toks):
                tags[i] = 1 if j == 0 else 2
        examples.append(Example(aid, feats.ids, feats.dense.astype(np.float16), feats.sequences, tags))
        offsets.append(list(zip(starts.tolist(), ends.tolist(), strict=True)))
        if (k + 1) % 100 == 0:
            log(f"  {k + 1}/{len(texts)} parsed ({time.time() - t0:.0f} s)")
    return examples, offsets


def char_spans(tags: np.ndarray, offsets: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    start = None
    for i, t in enumerate([*tags.tolist(), 0]):
        if start is not None and t != 2:
            out.append((offsets[start][0], offsets[i - 1][1]))
            start = None
        if t == 1 or (t == 2 and start is None):
            start = i
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--cache", type=Path, default=None)
    a = ap.parse_args()
    if a.cache and a.cache.exists():
        examples, offsets = pickle.loads(a.cache.read_bytes())
    else:
        examples, offsets = prepare(a.data)
        if a.cache:
            a.cache.write_bytes(pickle.dumps((examples, offsets)))
    from sklearn.model_selection import KFold

    lines = []
    for k, (tr, te) in enumerate(KFold(5, shuffle=True, random_state=13).split(examples), 1):
        model, _ = fit([examples[i] for i in tr], None, TAGS, epochs=a.epochs, hidden=a.hidden)
        test = [examples[i] for i in te]
        for i, tags in zip(te, predict(model, test), strict=True):
            for s, e in char_spans(tags, offsets[i]):
                lines.append(f"{examples[i].name}\tLoaded_Language\t{s}\t{e}")
        print(f"fold {k} done", flush=True)
    a.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
