"""Attribution figures against PolNeAR-style brat annotations, computed as the reference scorer
(``shared/eval/score_attribution.py``) defines them, so the numbers compare with published results.

role_exact: per role (source, cue, content), spans matching a gold span exactly after trimming white space, each
contiguous piece of a discontinuous span counted on its own. attribution: a predicted quote matches a gold
attribution when their contents overlap by at least half of each side, one to one, greedily by overlap;
with_source also needs the predicted speaker span to overlap the gold source (or both to lack one).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Pieces = list[tuple[int, int]]

_SPAN_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_EVENT_LINE = re.compile(r"^(E\d+)\t(.*)$")


def read_brat(path: str | Path) -> list[dict[str, Pieces]]:
    """Attributions of one ``.ann`` file: ``[{"source": pieces, "cue": pieces, "content": pieces}]``."""
    spans: dict[str, Pieces] = {}
    events: list[dict[str, str]] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            m = _SPAN_LINE.match(line)
            if m:
                tid, _label, locs = m.groups()
                spans[tid] = [(int(a), int(b)) for a, b in (p.split() for p in locs.split(";"))]
                continue
            m = _EVENT_LINE.match(line)
            if m:
                events.append(dict(a.split(":", 1) for a in m.group(2).split() if ":" in a))
    out = []
    for ev in events:
        att: dict[str, Pieces] = {"source": [], "cue": [], "content": []}
        for key, tid in ev.items():
            role = re.sub(r"\d+$", "", key).lower()
            if role in att and tid in spans:
                att[role].extend(spans[tid])
        out.append(att)
    return out


def load_gold(split_dir: str | Path) -> tuple[dict[str, str], dict[str, list[dict[str, Pieces]]]]:
    """Texts and annotations of a split (``text/NAME.txt``, ``attributions/NAME_ANNOTATOR.ann``; the first
    annotator of each article in name order)."""
    split = Path(split_dir)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (split / "text").glob("*.txt")}
    anns: dict[str, list[dict[str, Pieces]]] = {}
    for fn in sorted(os.listdir(split / "attributions")):
        if not fn.endswith(".ann"):
            continue
        stem = fn[:-4].rsplit("_", 1)[0]
        if stem in texts and stem not in anns:
            anns[stem] = read_brat(split / "attributions" / fn)
    return texts, anns


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def precision_recall_f1(p_num: float, n_pred: int, r_num: float, n_gold: int) -> dict[str, float]:
    """Precision (``p_num / n_pred``), recall (``r_num / n_gold``) and their F1, each 0.0 where undefined and
    rounded to 4 places as the reference scorers print them (also used by ``presslens.techniques.evaluate``)."""
    p = p_num / n_pred if n_pred else 0.0
    r = r_num / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    return {**precision_recall_f1(tp, n_pred, tp, n_gold), "tp": tp, "pred": n_pred, "gold": n_gold}


def _overlap(a: Pieces, b: Pieces) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _length(pieces: Pieces) -> int:
    return sum(e - s for s, e in pieces)


def score(records: Iterable[dict[str, Any]], split_dir: str | Path) -> dict[str, Any]:
    """Score presslens records (matched to gold articles by the file stem of ``article.source``)."""
    texts, anns = load_gold(split_dir)
    preds: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        src = rec["article"].get("source") or rec["article"].get("id")
        preds[os.path.splitext(os.path.basename(str(src)))[0]] = rec.get("quotes") or []
    role_tp: Counter[str] = Counter()
    role_pred: Counter[str] = Counter()
    role_gold: Counter[str] = Counter()
    att: Counter[str] = Counter()
    for stem, gold in anns.items():
        text = texts[stem]
        quotes = preds.get(stem, [])
        for role in ("source", "cue", "content"):
            g = {_trim(text, s, e) for at in gold for s, e in at[role]}
            p = set()
            for q in quotes:
                if role == "source":
                    sp = (q.get("speaker") or {}).get("span")
                    pieces = [sp] if sp else []
                else:
                    pieces = q.get(role) or []
                for s, e in pieces:
                    p.add(_trim(text, int(s), int(e)))
            g = {x for x in g if x[1] > x[0]}
            p = {x for x in p if x[1] > x[0]}
            role_tp[role] += len(g & p)
            role_pred[role] += len(p)
            role_gold[role] += len(g)
        cands = []
        for gi, at in enumerate(gold):
            if not at["content"]:
                continue
            for qi, q in enumerate(quotes):
                content = [(int(a), int(b)) for a, b in (q.get("content") or [])]
                if not content:
                    continue
                ov = _overlap(at["content"], content)
                if ov and ov >= 0.5 * _length(at["content"]) and ov >= 0.5 * _length(content):
                    cands.append((ov, gi, qi))
        used_g: set[int] = set()
        used_q: set[int] = set()
        for _ov, gi, qi in sorted(cands, reverse=True):
            if gi in used_g or qi in used_q:
                continue
            used_g.add(gi)
            used_q.add(qi)
            att["matched"] += 1
            sp = (quotes[qi].get("speaker") or {}).get("span")
            gsrc = gold[gi]["source"]
            if (not gsrc and not sp) or (gsrc and sp and _overlap(gsrc, [(int(sp[0]), int(sp[1]))])):
                att["with_source"] += 1
        att["gold"] += sum(1 for at in gold if at["content"])
        att["pred"] += sum(1 for q in quotes if q.get("content"))
    return {
        "articles": len(anns),
        "articles_without_prediction": len(set(anns) - set(preds)),
        "role_exact": {r: _prf(role_tp[r], role_pred[r], role_gold[r]) for r in ("source", "cue", "content")},
        "attribution": _prf(att["matched"], att["pred"], att["gold"]),
        "attribution_with_source": _prf(att["with_source"], att["pred"], att["gold"]),
    }
