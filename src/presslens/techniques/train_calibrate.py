"""The calibration of a cross-validation: the out-of-fold spans of ``train.cross_validate``'s result, each with
its target and word facts, the calibration fitted on them and the word evidence table of the articles."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from presslens.techniques.detector import find_spans
from presslens.techniques.features import DocView, span_features


def oof_spans(items: Sequence[Any], res: dict[str, Any]) -> list[Any]:
    """The out-of-fold spans of a cross-validation (``cross_validate``'s result, its chosen settings), each
    with its mean token probability, top technique and that technique's probability, and its target (share
    of characters inside gold spans): what ``calibrate.fit_calibration`` reads."""
    from presslens.techniques.calibrate import OofSpan, gold_share
    from presslens.techniques.evidence import word_facts

    out: list[OofSpan] = []
    for i, it in enumerate(items):
        model = res["models"][i]
        if model.span_tagger is not None:
            ft = res.get("tuned", {}).get(i)
            tuned = None if ft is None else lambda ft=ft: ft
            p = model.span_proba(res["probas"][i], lambda it=it, model=model: model.si_proba(it.X), tuned)
        else:
            p = model.si_proba(it.X)
        spans = find_spans(it.view, model, p)
        if not spans:
            continue
        rows = [span_features(it.view, s, e) for s, e, _ in spans]
        proba = model.classify(it.view.doc.text, [(s, e) for s, e, _ in spans], rows)
        for (s, e, mean), row in zip(spans, proba, strict=True):
            k = int(np.argmax(row))
            out.append(OofSpan(it.aid, s, e, float(mean), model.techniques[k], float(row[k])))
    gold_share(out, {it.aid: [(g.start, g.end) for g in it.gold] for it in items})
    # each span's word evidence, from the articles its fold was trained on
    fold_of = {i: k for k, (_train, test) in enumerate(res["splits"]) for i in test}
    evidence = {k: fit_evidence([items[i] for i in train]) for k, (train, _test) in enumerate(res["splits"])}
    by_aid = {it.aid: i for i, it in enumerate(items)}
    for span in out:
        i = by_aid[span.article]
        facts = word_facts(items[i].view, span.start, span.end, evidence[fold_of[i]])
        span.evidence, span.lone, span.negated, span.nation = facts.evidence, facts.lone, facts.negated, facts.nation
    return out


def fit_evidence(items: Sequence[Any]) -> Any:
    """The word evidence table (``evidence``) of *items*: their tokens and gold spans."""
    from presslens.techniques.evidence import build, count

    def tokens(v: DocView) -> list[tuple[int, int, str, str]]:
        return list(zip(v.idx, v.end, v.lemma, v.pos, strict=True))

    return build(*count((tokens(it.view), [(g.start, g.end) for g in it.gold]) for it in items))


def calibrate_cv(
    items: Sequence[Any], res: dict[str, Any], out: Path, mode: str, log: Callable = print, cv_out: Path | None = None
) -> Any:
    """Fit the calibration (``calibrate``) on the out-of-fold spans of *res* and write it as *mode* into
    ``out/calibration.json``; returns it. With *cv_out*, the out-of-fold spans also go to
    ``cv_out/oof-spans-<mode>.jsonl`` (what ``scripts/threshold_rules.py`` reads)."""
    from presslens.techniques.calibrate import PROBABILITY_MIN, TARGET_PRECISION, fit_calibration, save_calibration
    from presslens.techniques.evidence import CHOOSE_AT, EVIDENCE_FILE, MINIMUM, SCOPE
    from presslens.techniques.model import CALIBRATION_FILE

    gold = [g for it in items for g in it.gold]
    spans = oof_spans(items, res)
    if cv_out is not None:
        cv_out.mkdir(parents=True, exist_ok=True)
        with (cv_out / f"oof-spans-{mode}.jsonl").open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(asdict(s)) + "\n" for s in spans)
    cal = fit_calibration(
        spans,
        gold,
        evidence_min=MINIMUM,
        choose_at=CHOOSE_AT,
        scope=SCOPE,
        probability_min=PROBABILITY_MIN[mode],
        record_target=TARGET_PRECISION,
    )
    out.mkdir(parents=True, exist_ok=True)
    save_calibration(out / CALIBRATION_FILE, mode, cal)
    fit_evidence(items).save(out / EVIDENCE_FILE)  # the table run time reads: from every article
    log(f"calibration ({mode}): " + json.dumps({k: cal.stats[k]["si"] for k in ("likely", "shown", "f1", "all")}))
    return cal
