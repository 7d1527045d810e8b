"""Calibrated span probabilities and the per-technique thresholds that decide what a reader is shown.

A found span has a raw score: its mean token probability times its technique's probability to the power
``alpha``. Per technique, an isotonic map, fitted on out-of-fold predictions of the cross-validation, turns the
raw score into the probability that the span's words lie inside a technique span of the gold annotation (the
span's share of characters inside gold spans: the reference scorer's SI precision of that one span). Techniques
with few out-of-fold spans share a map fitted on all spans (``"*"``).

``keep`` chooses which spans the record keeps:

- ``"likely"`` (default): the calibrated probability clears the technique's record threshold
  (``record_thresholds``), the lowest one at which the out-of-fold spans kept for that technique have SI precision
  of at least ``TARGET_PRECISION``; and the text is about public affairs (``domain.in_domain``; a review or a
  recipe keeps none);
- ``"f1"``: the calibrated probability clears ``f1_threshold``, the single cut with the best out-of-fold SI F1
  (``presslens techniques``, the PTC benchmark command);
- ``"all"``: every span found (research).

Whatever the keep mode, a kept span is *shown* (the record's ``shown``; the table, the web app and the store's
corpus views show only those) when it also clears the display bar, which general-news readers judged: its
technique's display threshold (``thresholds``, chosen with the word-evidence test), a floor on the probability
(``probability_min``) and the word-evidence test itself (``evidence_min``). A calibration without record
thresholds keeps what it shows.

Inference is NumPy only (``np.interp`` over the stored breakpoints); fitting uses scikit-learn.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from presslens.techniques.evidence import WordFacts, effective_evidence

KEEP_MODES = ("likely", "f1", "all")
TARGET_PRECISION = 0.6
#: The precision of a technique's kept spans is smoothed towards its precision over all its spans with the weight
#: of this many spans, and the thresholds are the median over resamples of the articles (``bagged_thresholds``):
#: chosen on held-out halves of PTC (scripts/threshold_rules.py, docs/techniques-model-card.md)
PRIOR_WEIGHT = 5.0
#: keep="likely" never shows a span under this calibrated probability, whatever its technique's threshold, per
#: mode: on judged general news the labels under 0.5 were plausible less often than those over it (default mode:
#: 0.44 against 0.65, chosen on a first sample and confirmed on a fresh one; accurate mode: 0.63 against 0.88), at a
#: cost in recall on PTC (docs/techniques-model-card.md, "What is shown, judged" and "The accurate mode's floor")
PROBABILITY_MIN = {"default": 0.5, "accurate": 0.5}
MIN_SPANS = 60  # fewer out-of-fold spans than this for a technique: it uses the pooled map
POOLED = "*"

#: What ``analyze`` shows by default, checked by hand on general news pages by two blind readers
#: (docs/hand-check-techniques.md, ninth check): what the out-of-fold figures, measured on the political articles
#: of the training corpus, do not show. "plausible" is the first reader's count, "plausible_second" the second's.
#: The ninth check judged every label shown then; the counts are those of the labels still shown (the floor,
#: ``PROBABILITY_MIN``, left 9 of the default mode's 25 and 26 of the accurate mode's 35; the public-affairs gate's
#: two-word rule, ``domain.PUBLIC_AFFAIRS_MIN_WORDS``, took out two more of the accurate mode's, both not plausible).
REAL_PAGES = {
    "date": "2026-12-02",
    "pages": 182,  # the 181 benchmark pages and the seed article
    "checked": 9,  # every label the default mode shows there
    "plausible": 7,
    "plausible_second": 7,
    "checked_accurate": 24,  # every label --accurate shows there
    "plausible_accurate": 13,
    "plausible_accurate_second": 15,
    "voices_checked": 30,  # both modes' labels, those shown by both counted once
    "voices_right": 28,  # by both readers
}

#: What ``analyze`` shows by default on other general news, judged by three blind readers (majority): PolNeAR's
#: training texts, US political news of seven outlets (docs/techniques-model-card.md, "What is shown, judged" and "A
#: stricter panel"; ``docs/data/general-news-shown.jsonl``, ``scripts/general_news_shown.py``). The counts are the
#: latest panel's (``panel``: the suffix of its votes in the data file), which read every label both modes show on
#: all the articles and judged more strictly than the first panel, whose count is ``plausible_first_panel``.
#: Voices: a quote whose speaker presslens did not resolve is judged under the wording the record's views use
#: ("speaker not identified": ``general_news_shown.py --wording``).
GENERAL_NEWS = {
    "panel": "_3",
    "articles": 510,
    "checked": 103,
    "plausible": 55,
    "plausible_first_panel": 69,
    "voices_right": 95,  # a quote's unresolved speaker judged as shown since: "speaker not identified" (81 before)
    "articles_accurate": 510,
    "checked_accurate": 171,
    "plausible_accurate": 99,
}


def real_pages_sentence() -> str:
    """The hand checks of what is shown by default on general news, in one sentence (help pages)."""
    r, g = REAL_PAGES, GENERAL_NEWS
    return (
        f"Checked by hand on {r['pages']} general news pages ({r['date']}, two blind readers), {r['plausible']} of "
        f"{r['checked']} labels shown by default were plausible ({r['plausible_second']} by the second reader; with "
        f"--accurate {r['plausible_accurate']} and {r['plausible_accurate_second']} of {r['checked_accurate']}), and "
        f"the voice was right for {r['voices_right']} of {r['voices_checked']}; on {g['articles']} more news articles "
        f"of seven US outlets (three blind readers), {g['plausible']} of {g['checked']} labels were plausible (a "
        f"first, more lenient panel: {g['plausible_first_panel']}) and {g['voices_right']} had the right voice (with "
        f"--accurate, {g['plausible_accurate']} of {g['checked_accurate']} plausible). On news unlike the training "
        "corpus the out-of-fold precision overstates how often a label is right."
    )


def real_pages_short() -> str:
    """The same hand checks in a clause (table captions)."""
    r, g = REAL_PAGES, GENERAL_NEWS
    return (
        f"on general news {r['plausible']} of {r['checked']} labels shown and {g['plausible']} of {g['checked']} "
        "were plausible when checked by hand"
    )


def check_keep(keep: str) -> str:
    """*keep* if it names a mode, else a ValueError that lists the modes."""
    if keep not in KEEP_MODES:
        raise ValueError(f"unknown technique keep mode {keep!r}: choose one of {', '.join(KEEP_MODES)}")
    return keep


@dataclass
class Calibration:
    """Isotonic maps (raw score -> probability) per technique, and the thresholds for each keep mode."""

    maps: dict[str, tuple[list[float], list[float]]]
    thresholds: dict[str, float]  # the display bar: least calibrated probability shown, per technique
    f1_threshold: float = 0.0  # keep="f1"
    alpha: float = 1.0  # raw score = mean token probability * technique probability ** alpha
    stats: dict[str, Any] = field(default_factory=dict)  # out-of-fold precision/recall, per technique and overall
    evidence_min: float = 0.0  # keep="likely": least word evidence of a span (``evidence``; 0: no such test)
    evidence_scope: str = "every"  # which spans face that test (``evidence.SCOPES``)
    probability_min: float = 0.0  # the display bar: least calibrated probability whatever the threshold
    #: keep="likely": least calibrated probability the record keeps, per technique (out-of-fold SI precision
    #: ``TARGET_PRECISION``, no word test, no floor); empty: the record keeps what the display bar shows
    record_thresholds: dict[str, float] = field(default_factory=dict)

    def raw(self, mean: float, technique_p: float) -> float:
        return float(mean) * float(technique_p) ** self.alpha

    def probability(self, technique: str, mean: float, technique_p: float) -> float:
        """The calibrated probability that a span with this mean token probability and technique probability
        lies in a technique span."""
        xs, ys = self.maps.get(technique) or self.maps[POOLED]
        return float(np.interp(self.raw(mean, technique_p), xs, ys))

    def keeps(self, technique: str, probability: float, keep: str = "likely", evidence: float = 1.0) -> bool:
        """Whether a span of *technique* with this calibrated probability (and word *evidence*) is kept in mode
        *keep*."""
        if keep == "all":
            return True
        if keep == "f1":
            return probability >= self.f1_threshold
        return probability >= self.record_threshold(technique) or self.shows(technique, probability, evidence)

    def shows(self, technique: str, probability: float, evidence: float = 1.0) -> bool:
        """Whether a span of *technique* with this calibrated probability and word *evidence* clears the display
        bar (what the table and the web app show by default)."""
        return probability >= self.threshold(technique) and evidence >= self.evidence_min

    def threshold(self, technique: str) -> float:
        """The least calibrated probability of a *technique* span shown by default (above 1: never shown)."""
        return max(self.thresholds.get(technique, 1.01), self.probability_min)

    def record_threshold(self, technique: str) -> float:
        """The least calibrated probability of a *technique* span the record keeps by default (above 1: kept only
        when shown)."""
        if not self.record_thresholds:
            return 1.01
        return self.record_thresholds.get(technique, 1.01)

    def to_json(self) -> dict[str, Any]:
        return {
            "alpha": self.alpha,
            "evidence_min": self.evidence_min,
            "evidence_scope": self.evidence_scope,
            "probability_min": self.probability_min,
            "f1_threshold": self.f1_threshold,
            "thresholds": self.thresholds,
            "record_thresholds": self.record_thresholds,
            "maps": {k: {"x": list(map(float, x)), "y": list(map(float, y))} for k, (x, y) in self.maps.items()},
            "stats": self.stats,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Calibration:
        return cls(
            maps={k: (list(v["x"]), list(v["y"])) for k, v in d["maps"].items()},
            thresholds={k: float(v) for k, v in d["thresholds"].items()},
            f1_threshold=float(d.get("f1_threshold", 0.0)),
            alpha=float(d.get("alpha", 1.0)),
            stats=d.get("stats", {}),
            evidence_min=float(d.get("evidence_min", 0.0)),
            evidence_scope=str(d.get("evidence_scope", "every")),
            probability_min=float(d.get("probability_min", 0.0)),
            record_thresholds={k: float(v) for k, v in (d.get("record_thresholds") or {}).items()},
        )


def load_calibrations(path: Path) -> dict[str, Calibration]:
    """The calibrations in *path* (``calibration.json``): ``{"default": ..., "accurate": ...}``, those present."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {mode: Calibration.from_json(d) for mode, d in data.items() if isinstance(d, dict) and "maps" in d}


def save_calibration(path: Path, mode: str, cal: Calibration) -> None:
    """Write *cal* as *mode* ("default" or "accurate") into *path*, keeping the other mode's entry."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    data[mode] = cal.to_json()
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


# ----- fitting on out-of-fold predictions ---------------------------------------------------------------------


@dataclass
class OofSpan:
    """One out-of-fold span: article, characters, mean token probability, technique and its probability, and
    its share of characters inside gold spans (the target)."""

    article: str
    start: int
    end: int
    mean: float
    technique: str
    technique_p: float
    target: float = 0.0
    evidence: float = 1.0  # word evidence (``evidence``), from the words of the articles it was not trained on
    lone: bool = False  # the rest of its ``evidence.WordFacts``
    negated: bool = False
    nation: bool = True

    def facts(self) -> WordFacts:
        return WordFacts(self.evidence, self.lone, self.negated, self.nation)


def tested(spans: Sequence[OofSpan], scope: str) -> list[OofSpan]:
    """*spans* with their evidence replaced by the evidence the test compares in *scope*
    (``evidence.effective_evidence``)."""
    return [replace(s, evidence=effective_evidence(s.facts(), s.technique, scope)) for s in spans]


S = TypeVar("S")


def one_per_passage(spans: Sequence[S], key: Callable[[S], tuple[Hashable, int, int, float]]) -> list[S]:
    """What the default shows: of kept spans that overlap and share a *key* group (a technique; for out-of-fold
    spans, an article and a technique), only the most probable, the shorter of equals ("disgrace" rather than
    'slammed the ongoing impeachment hearings as a "disgrace'); the others would show one label twice. *key* gives
    (group, start, end, probability); the order of *spans* is kept."""
    keys = [key(s) for s in spans]
    order = sorted(range(len(spans)), key=lambda i: (-keys[i][3], keys[i][2] - keys[i][1], keys[i][1]))
    taken: dict[Hashable, list[tuple[int, int]]] = {}
    kept: set[int] = set()
    for i in order:
        group, start, end, _ = keys[i]
        if any(start < e and s < end for s, e in taken.get(group, [])):
            continue
        taken.setdefault(group, []).append((start, end))
        kept.add(i)
    return [s for i, s in enumerate(spans) if i in kept]


def shown(picked: Sequence[tuple[OofSpan, float]]) -> list[OofSpan]:
    """``one_per_passage`` of out-of-fold spans kept by default, each given with its calibrated probability."""
    out = one_per_passage(picked, lambda sp: ((sp[0].article, sp[0].technique), sp[0].start, sp[0].end, sp[1]))
    return [s for s, _ in out]


def gold_share(spans: Iterable[OofSpan], gold: dict[str, list[tuple[int, int]]]) -> None:
    """Set each span's target: the share of its characters inside the (merged) gold spans of its article."""
    merged = {a: _merge(v) for a, v in gold.items()}
    for s in spans:
        inter = sum(max(0, min(s.end, ge) - max(s.start, gs)) for gs, ge in merged.get(s.article, []))
        s.target = inter / max(1, s.end - s.start)


def _merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(intervals):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def fit_maps(spans: Sequence[OofSpan], alpha: float, min_spans: int = MIN_SPANS) -> dict[str, tuple]:
    """Isotonic maps of raw score to target, per technique with at least *min_spans* spans, plus the pooled one."""
    from sklearn.isotonic import IsotonicRegression

    def one(group: Sequence[OofSpan]) -> tuple[list[float], list[float]]:
        x = np.array([s.mean * s.technique_p**alpha for s in group])
        y = np.array([s.target for s in group])
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x, y)
        return [float(v) for v in iso.X_thresholds_], [float(v) for v in iso.y_thresholds_]

    maps = {POOLED: one(spans)}
    by: dict[str, list[OofSpan]] = {}
    for s in spans:
        by.setdefault(s.technique, []).append(s)
    for t, group in by.items():
        if len(group) >= min_spans:
            maps[t] = one(group)
    return maps


def precision_thresholds(
    spans: Sequence[OofSpan],
    probs: np.ndarray,
    target: float = TARGET_PRECISION,
    min_kept: int = 5,
    prior_weight: float = 0.0,
) -> dict[str, float]:
    """Per technique, the lowest calibrated probability at which the spans at or above it have a mean target
    (SI precision of those spans) of at least *target*; a technique that never gets there keeps nothing (1.01).
    With *prior_weight* w > 0 the mean is smoothed towards the technique's precision over all its spans,
    as if w more spans of that precision were kept: a cut held up by a few lucky spans is not chosen."""
    out: dict[str, float] = {}
    for t in sorted({s.technique for s in spans}):
        idx = [i for i, s in enumerate(spans) if s.technique == t]
        y = np.array([spans[i].target for i in idx])
        out[t] = lowest_cut(probs[idx], y, target, min_kept, float(y.mean()), prior_weight)
    return out


def lowest_cut(
    p: np.ndarray, y: np.ndarray, target: float, min_kept: int = 1, base: float = 0.0, weight: float = 0.0
) -> float:
    """The lowest of the probabilities *p* at which the targets *y* of the spans at or above it have a mean
    (smoothed towards *base* with *weight*) of at least *target*, over at least *min_kept* spans; 1.01 if none."""
    order = np.argsort(-p, kind="stable")
    p, y = p[order], y[order]
    best = 1.01
    csum = np.cumsum(y)
    for k in range(len(p)):
        if k + 1 < len(p) and p[k + 1] == p[k]:
            continue  # a cut keeps all spans of one probability or none
        if k + 1 >= min_kept and smoothed(csum[k], k + 1, base, weight) >= target:
            best = float(p[k])
    return best


def smoothed(total: float, n: int, base: float, weight: float) -> float:
    """The mean of *n* values summing to *total*, shrunk towards *base* with the weight of *weight* values."""
    return (float(total) + weight * base) / (n + weight) if n + weight > 0 else 0.0


def pooled_cut(spans: Sequence[OofSpan], probs: np.ndarray, target: float = TARGET_PRECISION) -> float:
    """The lowest calibrated probability at which all spans at or above it, whatever their technique, have a
    mean target of at least *target* (1.01 if none): one cut for every technique, fitted on all spans."""
    return lowest_cut(probs, np.array([s.target for s in spans]), target)


F1_CUTS = tuple(round(0.02 * k, 2) for k in range(0, 31))


def _si(gold: Sequence[Any], spans: Sequence[OofSpan], same_label: bool = False) -> dict[str, Any]:
    from presslens.techniques.evaluate import group, overlap_prf
    from presslens.techniques.labels import Label

    pred = [Label(s.article, s.technique, s.start, s.end) for s in spans]
    return overlap_prf(group(gold), group(pred), same_label=same_label)


def thresholds_once(
    spans: Sequence[OofSpan],
    probs: np.ndarray,
    target: float,
    floor: float,
    evidence_min: float,
    rule: str = "lowest",
    prior_weight: float = 0.0,
) -> dict[str, float]:
    """The thresholds of one fit: chosen among the spans with evidence of at least *floor*, per technique
    ("lowest") or one cut for all ("pooled"); then a technique whose spans kept by the full default rule
    (threshold and evidence of at least *evidence_min*) fall short of *target* (smoothed with *prior_weight*)
    is switched off (1.01)."""
    gated = [k for k, s in enumerate(spans) if s.evidence >= floor]
    chosen = [spans[k] for k in gated]
    if rule == "pooled":
        cut = pooled_cut(chosen, probs[gated], target)
        out = {t: cut for t in sorted({s.technique for s in spans})}
    else:
        out = precision_thresholds(chosen, probs[gated], target, prior_weight=prior_weight)
    for t, th in list(out.items()):
        if th > 1.0:
            continue
        mine = [(s, p) for s, p in zip(spans, probs, strict=True) if s.technique == t]
        kept = [s.target for s, p in mine if p >= th and s.evidence >= evidence_min]
        base = float(np.mean([s.target for s, _p in mine]))
        if not kept or smoothed(sum(kept), len(kept), base, prior_weight) < target:
            out[t] = 1.01
    return out


BAG_ROUNDS = 51  # odd: the median is one of the fits


def bagged_thresholds(
    spans: Sequence[OofSpan],
    probs: np.ndarray,
    target: float,
    floor: float,
    evidence_min: float,
    prior_weight: float = 0.0,
    rounds: int = BAG_ROUNDS,
    seed: int = 0,
) -> dict[str, float]:
    """Per technique, the median of the thresholds (``thresholds_once``) fitted on *rounds* resamples of the
    articles (drawn with replacement): a technique is shown only when most resamples show it, and its threshold
    does not hang on a few spans near the cut."""
    rng = np.random.default_rng(seed)
    by_article: dict[str, list[int]] = {}
    for k, s in enumerate(spans):
        by_article.setdefault(s.article, []).append(k)
    groups = list(by_article.values())
    techs = sorted({s.technique for s in spans})
    found: dict[str, list[float]] = {t: [] for t in techs}
    for _ in range(rounds):
        idx = [k for g in rng.integers(0, len(groups), len(groups)) for k in groups[g]]
        th = thresholds_once([spans[k] for k in idx], probs[idx], target, floor, evidence_min, "lowest", prior_weight)
        for t in techs:
            found[t].append(th.get(t, 1.01))
    return {t: float(np.median(v)) for t, v in found.items()}


def choose_thresholds(
    spans: Sequence[OofSpan],
    probs: np.ndarray,
    target: float = TARGET_PRECISION,
    floor: float = 0.0,
    evidence_min: float = 0.0,
    rule: str = "bagged",
    prior_weight: float = PRIOR_WEIGHT,
) -> dict[str, float]:
    """The per-technique thresholds by *rule* (the shipped one by default): "bagged" (``bagged_thresholds``),
    else one fit (``thresholds_once``, "lowest" or "pooled")."""
    if rule == "bagged":
        return bagged_thresholds(spans, probs, target, floor, evidence_min, prior_weight)
    return thresholds_once(spans, probs, target, floor, evidence_min, rule, prior_weight)


def fit_calibration(
    spans: Sequence[OofSpan],
    gold: Sequence[Any],
    alpha: float = 1.0,
    target: float = TARGET_PRECISION,
    evidence_min: float = 0.0,
    choose_at: float | None = None,
    rule: str = "bagged",
    prior_weight: float = PRIOR_WEIGHT,
    scope: str = "every",
    probability_min: float = 0.0,
    record_target: float | None = None,
) -> Calibration:
    """Maps, thresholds and out-of-fold figures from out-of-fold *spans* (targets set) and the *gold* Labels
    of the same articles. Spans with word evidence under *evidence_min* are never kept by default; the precision
    thresholds are chosen among the spans with evidence of at least *choose_at* (default: *evidence_min*),
    per technique (*rule* "lowest", ``precision_thresholds`` with *prior_weight*), one cut for all (*rule*
    "pooled", ``pooled_cut``), or per technique as the median over resamples of the articles (*rule* "bagged",
    ``bagged_thresholds``). *scope* says which spans face the evidence test (``evidence.SCOPES``);
    *probability_min* is a floor under every threshold (``PROBABILITY_MIN`` of the mode): these make the display
    bar. With *record_target*, the record thresholds (``Calibration.record_thresholds``) are chosen by the same
    *rule* for that precision over every span, without the word test or the floor. The figures are for settings
    chosen on these same spans, so slightly optimistic."""
    if not spans:  # nothing found out of fold: no evidence, so nothing is shown by default
        return Calibration(maps={POOLED: ([0.0, 1.0], [0.0, 0.0])}, thresholds={}, alpha=alpha)
    maps = fit_maps(spans, alpha)
    spans = tested(spans, scope)
    cal = Calibration(
        maps=maps,
        thresholds={},
        alpha=alpha,
        evidence_min=evidence_min,
        evidence_scope=scope,
        probability_min=probability_min,
    )
    probs = np.array([cal.probability(s.technique, s.mean, s.technique_p) for s in spans])
    floor = evidence_min if choose_at is None else choose_at
    cal.thresholds = choose_thresholds(spans, probs, target, floor, evidence_min, rule, prior_weight)
    if record_target is not None:
        cal.record_thresholds = choose_thresholds(spans, probs, record_target, 0.0, 0.0, rule, prior_weight)
    best = (-1.0, 0.0)
    for cut in F1_CUTS:
        f1 = _si(gold, [s for s, p in zip(spans, probs, strict=True) if p >= cut])["f1"]
        best = max(best, (f1, cut))
    cal.f1_threshold = best[1]
    cal.stats = describe(cal, spans, probs, gold)
    return cal


def describe(cal: Calibration, spans: Sequence[OofSpan], probs: np.ndarray, gold: Sequence[Any]) -> dict[str, Any]:
    """Out-of-fold figures of each keep mode and of what is shown (``"shown"``: the display bar), SI and FLC; and
    per technique, for what is shown: spans, SI precision (words inside any technique span), label precision and
    recall (inside a span of that technique), and the spans the record keeps by default with their SI precision."""
    out: dict[str, Any] = {
        "target_precision": TARGET_PRECISION,
        "evidence_min": cal.evidence_min,
        "evidence_scope": cal.evidence_scope,
        "probability_min": cal.probability_min,
    }

    def figures(kept: Sequence[OofSpan]) -> dict[str, Any]:
        return {
            "spans": len(kept),
            "si": {k: v for k, v in _si(gold, kept).items() if k in ("precision", "recall", "f1")},
            "flc": {k: v for k, v in _si(gold, kept, same_label=True).items() if k in ("precision", "recall", "f1")},
        }

    pairs = list(zip(spans, probs, strict=True))
    for keep in KEEP_MODES:
        picked = [(s, p) for s, p in pairs if cal.keeps(s.technique, p, keep, s.evidence)]
        out[keep] = figures(shown(picked) if keep == "likely" else [s for s, _ in picked])
    out["shown"] = figures(shown([(s, p) for s, p in pairs if cal.shows(s.technique, p, s.evidence)]))
    per: dict[str, Any] = {}
    for t in sorted({g.technique for g in gold}):
        kept = shown([(s, p) for s, p in pairs if s.technique == t and cal.shows(t, p, s.evidence)])
        record = shown([(s, p) for s, p in pairs if s.technique == t and cal.keeps(t, p, "likely", s.evidence)])
        found = [s for s in spans if s.technique == t]
        g = [x for x in gold if x.technique == t]
        lab = _si(g, kept, same_label=True)
        per[t] = {
            "found": len(found),
            "kept": len(kept),
            "threshold": cal.threshold(t),
            "si_precision": round(float(np.mean([s.target for s in kept])), 4) if kept else None,
            "label_precision": lab["precision"] if kept else None,
            "label_recall": lab["recall"],
            "gold_spans": len(g),
            "record_threshold": cal.record_threshold(t),
            "record_kept": len(record),
            "record_si_precision": round(float(np.mean([s.target for s in record])), 4) if record else None,
        }
    out["per_technique"] = per
    return out


def shipped() -> dict[str, Calibration]:
    """The calibrations shipped with the package model (``presslens/data/techniques/calibration.json``)."""
    from importlib import resources

    with resources.as_file(resources.files("presslens").joinpath("data/techniques/calibration.json")) as path:
        return load_calibrations(Path(path))


def help_rows(cal: Calibration | None = None) -> list[dict[str, Any]]:
    """Per technique, what its "possible" label is worth, measured out of fold: the readable name, the plain
    description, the display threshold, how many spans were found and shown, the share of shown spans' words
    inside any technique span (SI precision), inside a span of that technique (label precision), and the share of
    that technique's annotated material the shown spans find (label recall); then the record's threshold, the spans
    it keeps and their SI precision. Empty when nothing is calibrated."""
    from presslens.techniques.names import DESCRIPTIONS, TECHNIQUES, label

    cal = cal if cal is not None else shipped().get("default")
    if cal is None:
        return []
    per = cal.stats.get("per_technique", {})
    rows = []
    for t in TECHNIQUES:
        s = per.get(t, {})
        rows.append(
            {
                "technique": t,
                "label": label(t),
                "description": DESCRIPTIONS[t],
                "threshold": cal.threshold(t),
                "shown": cal.threshold(t) <= 1.0,
                "found": s.get("found"),
                "kept": s.get("kept"),
                "si_precision": s.get("si_precision"),
                "label_precision": s.get("label_precision"),
                "label_recall": s.get("label_recall"),
                "gold_spans": s.get("gold_spans"),
                "record_threshold": cal.record_threshold(t) if cal.record_thresholds else cal.threshold(t),
                "record_kept": s.get("record_kept", s.get("kept")),
                "record_si_precision": s.get("record_si_precision", s.get("si_precision")),
            }
        )
    return rows
