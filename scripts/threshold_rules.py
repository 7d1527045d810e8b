"""Compare rules for the per-technique thresholds of the default keep mode, on held-out articles.

Reads the out-of-fold spans a cross-validation wrote (``presslens train techniques ... --cv-out DIR`` writes
``DIR/oof-spans-<mode>.jsonl``) and the gold labels. For each of *repeats* random halvings of the articles, the
calibration (maps and thresholds) is fitted on one half with each rule and applied to the other half: the kept
spans' SI precision and recall there (the reference scorer's definitions, ``techniques.evaluate``), and which
techniques each rule shows. A rule is steady when its held-out precision rarely falls under the target and the
techniques it shows do not change from one halving to the next.

    python scripts/threshold_rules.py --spans /tmp/ptc-cv/oof-spans-default.jsonl \\
        --gold ../shared/data/ptc/train-task-flc-tc.labels --repeats 20

``--articles DIR`` (PTC's ``train-articles``) applies the public-affairs gate as ``analyze`` does: spans of an
article outside the domain (``techniques.domain``) are not kept. ``--evidence`` sets the word-evidence test
(default: the shipped minimum; 0 turns it off) and ``--scope`` which spans face it, ``--floor`` the least calibrated
probability shown whatever the threshold (default: the ``--mode``'s shipped ``PROBABILITY_MIN``; 0 turns it off),
for the comparison and for ``--write``. With ``--write FILE`` it fits the shipped rule (``calibrate.fit_calibration``'s
defaults, what ``presslens train techniques`` fits) on all the spans instead and writes it as ``--mode`` into FILE (a
``calibration.json``); with ``--keep-maps`` it keeps FILE's maps for that mode and chooses only the thresholds
again, and with ``--stats-only`` as well it keeps the thresholds too and only measures on these spans what each
keep mode shows (the figures of ``presslens techniques-help``).

Last line: JSON with each rule's figures.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from pathlib import Path
from typing import Any

import numpy as np

from presslens.techniques.calibrate import (
    PROBABILITY_MIN,
    TARGET_PRECISION,
    OofSpan,
    _si,
    choose_thresholds,
    describe,
    fit_calibration,
    load_calibrations,
    save_calibration,
    shown,
    tested,
)
from presslens.techniques.domain import in_domain
from presslens.techniques.evidence import CHOOSE_AT, MINIMUM, SCOPE, SCOPES
from presslens.techniques.labels import article_id, read_labels

RULES: dict[str, dict[str, Any]] = {
    "lowest (shipped before)": {"rule": "lowest", "prior_weight": 0.0},
    "lowest, smoothed w=10": {"rule": "lowest", "prior_weight": 10.0},
    "pooled cut": {"rule": "pooled", "prior_weight": 0.0},
    "bagged": {"rule": "bagged", "prior_weight": 0.0},
    "bagged, smoothed w=5 (shipped)": {"rule": "bagged", "prior_weight": 5.0},
}


def held_out(
    spans: list[OofSpan],
    gold: list[Any],
    fit_on: set[str],
    kw: dict[str, Any],
    evidence_min: float = MINIMUM,
    choose_at: float = CHOOSE_AT,
    outside: frozenset[str] = frozenset(),
    scope: str = SCOPE,
    passages: bool = True,
    probability_min: float = 0.0,
) -> dict[str, Any]:
    """Fit on the articles in *fit_on*, keep on the others: kept spans, SI precision and recall there, and the
    techniques shown. *passages*: one label per passage and technique, as ``analyze`` shows them
    (``calibrate.one_per_passage``)."""
    cal = fit_calibration(
        [s for s in spans if s.article in fit_on],
        [g for g in gold if g.article in fit_on],
        evidence_min=evidence_min,
        choose_at=choose_at,
        scope=scope,
        probability_min=probability_min,
        **kw,
    )
    test = tested([s for s in spans if s.article not in fit_on and s.article not in outside], scope)
    probs = [cal.probability(s.technique, s.mean, s.technique_p) for s in test]
    picked = [(s, p) for s, p in zip(test, probs, strict=True) if cal.keeps(s.technique, p, "likely", s.evidence)]
    kept = shown(picked) if passages else [s for s, _ in picked]
    held = [g for g in gold if g.article not in fit_on]
    si = _si(held, kept)
    on = sorted(t for t, th in cal.thresholds.items() if th <= 1.0)
    out = {"kept": len(kept), "precision": si["precision"], "recall": si["recall"], "shown": on}
    if cal.record_thresholds:  # the record keeps more than it shows: the display bar's figures too
        bar = shown([(s, p) for s, p in zip(test, probs, strict=True) if cal.shows(s.technique, p, s.evidence)])
        si_bar = _si(held, bar)
        out.update({"kept_shown": len(bar), "precision_shown": si_bar["precision"], "recall_shown": si_bar["recall"]})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--spans", type=Path, required=True)
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--write", type=Path, help="Fit the shipped rule on all spans; write it into this calibration.json")
    ap.add_argument(
        "--mode", default="default", help="default or accurate: its shipped floor; with --write, the entry to write"
    )
    ap.add_argument(
        "--keep-maps", action="store_true", help="With --write: keep that entry's maps, refit only its thresholds"
    )
    ap.add_argument(
        "--evidence",
        type=float,
        default=MINIMUM,
        help=f"Least word evidence of a span kept by default (default {MINIMUM}; 0 turns the test off)",
    )
    ap.add_argument(
        "--choose-at",
        type=float,
        help=f"Choose the thresholds among spans with at least this evidence (default: {CHOOSE_AT}, or --evidence "
        "when lower)",
    )
    ap.add_argument(
        "--target",
        type=float,
        default=TARGET_PRECISION,
        help=f"The SI precision the thresholds aim at (default {TARGET_PRECISION})",
    )
    ap.add_argument(
        "--scope",
        choices=SCOPES,
        default=SCOPE,
        help=f"Which spans face the evidence test (default {SCOPE}; techniques.evidence.SCOPES)",
    )
    ap.add_argument(
        "--floor",
        type=float,
        help="Least calibrated probability of a span kept by default, whatever its threshold (default: the mode's "
        f"shipped floor, {PROBABILITY_MIN})",
    )
    ap.add_argument(
        "--record-target",
        type=float,
        help="Also choose record thresholds for this SI precision (no word test, no floor): the record keeps the spans "
        "over them as well as those shown (calibrate.Calibration.record_thresholds); with --write --keep-maps they are "
        "chosen on these spans (also with --stats-only, which keeps the display thresholds)",
    )
    ap.add_argument("--articles", type=Path, help="PTC's train-articles: apply the public-affairs gate")
    ap.add_argument("--shipped-only", action="store_true", help="Compare only the shipped rule")
    ap.add_argument(
        "--stats-only",
        action="store_true",
        help="With --write --keep-maps: keep the thresholds too, and only measure again what each keep mode shows",
    )
    ap.add_argument(
        "--every-span",
        action="store_true",
        help="Count every kept span, also those overlapping a more probable one of their technique (before 2026-12-02)",
    )
    args = ap.parse_args()
    choose_at = args.choose_at if args.choose_at is not None else min(CHOOSE_AT, args.evidence)
    if args.floor is None:
        args.floor = PROBABILITY_MIN.get(args.mode, 0.0)
    spans = [OofSpan(**json.loads(line)) for line in args.spans.read_text(encoding="utf-8").splitlines() if line]
    gold = read_labels(args.gold)
    if args.write:
        aids = {s.article for s in spans} | {g.article for g in gold}
        gold = [g for g in gold if g.article in aids]
        if args.keep_maps:  # the shipped maps, thresholds chosen again on these spans by the shipped rule
            cal = load_calibrations(args.write)[args.mode]
            probs = np.array([cal.probability(s.technique, s.mean, s.technique_p) for s in spans])
            spans = tested(spans, cal.evidence_scope)
            cal.probability_min = args.floor
            if not args.stats_only:
                cal.thresholds = choose_thresholds(spans, probs, args.target, choose_at, cal.evidence_min)
            if args.record_target is not None:
                cal.record_thresholds = choose_thresholds(spans, probs, args.record_target, 0.0, 0.0)
            cal.stats = describe(cal, spans, probs, gold)
        else:
            cal = fit_calibration(
                spans,
                gold,
                target=args.target,
                evidence_min=args.evidence,
                choose_at=choose_at,
                scope=args.scope,
                probability_min=args.floor,
                record_target=args.record_target,
            )
        save_calibration(args.write, args.mode, cal)
        print(json.dumps({k: cal.stats[k] for k in ("likely", "shown", "f1", "all")}))
        print(json.dumps({t: round(cal.threshold(t), 3) for t, th in cal.thresholds.items() if th <= 1.0}))
        print(json.dumps({"record": {t: round(th, 3) for t, th in cal.record_thresholds.items() if th <= 1.0}}))
        return
    articles = sorted({g.article for g in gold} | {s.article for s in spans})
    outside: frozenset[str] = frozenset()
    if args.articles:
        outside = frozenset(
            article_id(p) for p in args.articles.glob("article*.txt") if not in_domain(p.read_text(encoding="utf-8"))
        )
        print(f"{len(outside)} articles outside the public-affairs domain: their spans are not kept", flush=True)
    out: dict[str, Any] = {}
    rules = {k: v for k, v in RULES.items() if k.endswith("(shipped)")} if args.shipped_only else RULES
    for name, kw in rules.items():
        runs = []
        for r in range(args.repeats):
            fit_on = set(random.Random(r).sample(articles, len(articles) // 2))
            kw_r = {**kw, "target": args.target, "record_target": args.record_target}
            runs.append(
                held_out(
                    spans,
                    gold,
                    fit_on,
                    kw_r,
                    args.evidence,
                    choose_at,
                    outside,
                    args.scope,
                    not args.every_span,
                    args.floor,
                )
            )
        prec = [x["precision"] for x in runs]
        techs = sorted({t for x in runs for t in x["shown"]})
        out[name] = {
            "kept": round(statistics.mean(x["kept"] for x in runs), 1),
            "precision": round(statistics.mean(prec), 4),
            "precision_sd": round(statistics.pstdev(prec), 4),
            "precision_p10": round(float(np.percentile(prec, 10)), 4),
            "share_at_target": round(sum(p >= TARGET_PRECISION for p in prec) / len(prec), 2),
            "recall": round(statistics.mean(x["recall"] for x in runs), 4),
            "shown_share": {t: round(sum(t in x["shown"] for x in runs) / len(runs), 2) for t in techs},
        }
        if args.record_target is not None:  # "kept", "precision", "recall": the record's; these: what is shown
            for k in ("kept_shown", "precision_shown", "recall_shown"):
                out[name][k] = round(statistics.mean(x[k] for x in runs), 4)
        print(name, json.dumps(out[name]), flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
