"""Candidate technique labels on general news, as blind items for readers to judge (a labelled sample of news
unlike PTC's training articles).

Runs the pipeline with every technique span kept (``technique_keep="all"``) over a random sample of plain-text
articles (PolNeAR's political news of several outlets: ``../shared/data/polnear/train/text``), and writes, for the
spans whose calibrated probability is at least ``--min-p`` (one per passage and technique, at most ``--per-article``
an article), what a reader judges (the paragraph with the words in [[ ]], the technique's readable name and
description, the voice) and what a filter may learn from (calibrated probability, threshold, word facts, length,
voice):

- ``items.jsonl``: everything, one item a line;
- ``items-blind.md``: what a reader sees (no probability, no features).

    python scripts/general_news_items.py ../shared/data/polnear/train/text --articles 130 --accurate --out DIR

(the first 347 items of ``docs/data/general-news-techniques.jsonl``; ``--skip 130 --articles 50``, 180, 230 and 280
gave the later batches; three blind readers judged each; ``scripts/general_news_filter.py`` measures rules and filters
on them). With ``--keep likely --min-p 0 --per-article 99`` the items are exactly what ``analyze`` keeps by default
(a prospective check of a rule chosen on the earlier batches: ``--skip 330 --articles 510``, in each mode; the
default mode's items were made before the voice rule, ``detector.in_quotation_marks``, which
``general_news_shown.py`` applies).
The texts stay outside the project (research data); only the judgements, by article name and characters, are
kept. Last line: JSON with the counts.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

from presslens.techniques.calibrate import one_per_passage
from presslens.techniques.evidence import word_facts
from presslens.techniques.features import DocView
from presslens.techniques.names import DESCRIPTIONS, label
from technique_check_items import paragraph  # scripts/, on the path when a script runs


def items_of(doc: Any, name: str, model: Any, min_p: float, per_article: int, rng: random.Random) -> list[dict]:
    """The candidate items of one analysed doc."""
    found = [t for t in doc._.presslens_techniques or [] if t.score >= min_p]
    found = one_per_passage(found, lambda t: (t.technique, t.span[0], t.span[1], t.score))
    rng.shuffle(found)
    v = DocView(doc)
    quotes = doc._.presslens_quotes or []
    cal = model.calibration
    out = []
    for t in found[:per_article]:
        s, e = t.span
        facts = word_facts(v, s, e, model.evidence)
        if t.quote is None:
            voice = "the outlet's own words (not inside any quote)"
        else:
            q = quotes[t.quote]
            who = q.actor.name if q.actor is not None else "(no speaker named)"
            voice = f"a quote given to {who}"
        out.append(
            {
                "article": name,
                "start": s,
                "end": e,
                "words": doc.text[s:e],
                "technique": t.technique,
                "label": label(t.technique),
                "description": DESCRIPTIONS.get(t.technique, ""),
                "paragraph": paragraph(doc.text, s, e),
                "voice": voice,
                "quoted": t.quote is not None,
                "p": round(float(t.score), 4),
                "threshold": cal.threshold(t.technique) if cal is not None else None,
                "evidence": round(facts.evidence, 4),
                "lone": facts.lone,
                "negated": facts.negated,
                "nation": facts.nation,
                "chars": e - s,
            }
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("texts", type=Path, help="A folder of plain-text articles")
    ap.add_argument("--articles", type=int, default=130)
    ap.add_argument("--skip", type=int, default=0, help="Skip this many of the shuffled articles (a second sample)")
    ap.add_argument("--accurate", action="store_true")
    ap.add_argument("--min-p", type=float, default=0.3)
    ap.add_argument("--per-article", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--keep",
        choices=("all", "likely"),
        default="all",
        help="Which spans the pipeline keeps: every span (candidates, the default) or what analyze keeps by default",
    )
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()

    from presslens.record.pipeline import load_nlp
    from presslens.techniques.detector import load_model

    paths = sorted(args.texts.glob("*.txt"))
    rng = random.Random(args.seed)
    rng.shuffle(paths)
    paths = paths[args.skip : args.skip + args.articles]
    nlp = load_nlp(accurate=args.accurate, technique_keep=args.keep, figures=False, claims=False, relations=False)
    model = load_model().accurate() if args.accurate else load_model()
    items: list[dict] = []
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "items-partial.jsonl").open("w", encoding="utf-8") as partial:  # a run stopped early keeps these
        for k, path in enumerate(paths):
            doc = nlp(path.read_text(encoding="utf-8"))
            found = items_of(doc, path.name, model, args.min_p, args.per_article, rng)
            items += found
            partial.writelines(json.dumps(it, ensure_ascii=False) + "\n" for it in found)
            partial.flush()
            if (k + 1) % 20 == 0:
                print(f"  {k + 1}/{len(paths)} articles, {len(items)} items", flush=True)
    rng.shuffle(items)
    for n, it in enumerate(items, 1):
        it["n"] = n
    with (args.out / "items.jsonl").open("w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    blind = [
        f"## Item {it['n']}\n\n- article: {it['article']}\n- label: possible {it['label']} "
        f"({it['description']})\n- words: “{it['words']}”\n- voice given: {it['voice']}\n\n> {it['paragraph']}\n"
        for it in items
    ]
    (args.out / "items-blind.md").write_text("\n".join(blind), encoding="utf-8")
    print(
        json.dumps({"articles": len(paths), "items": len(items), "techniques": Counter(i["technique"] for i in items)})
    )


if __name__ == "__main__":
    main()
