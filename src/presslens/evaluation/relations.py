"""CoNLL04 end to end: convert a split with the reference scorer's ``to-jsonl``, run the pipeline with the
relations component, write records (article id, actors with mentions, relations), score with ``score_relations.py``.

    presslens eval relations --data ../shared/data/conll04 --split dev [--rules-only|--model-only]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from presslens.record.pipeline import load_nlp as base
from presslens.relations.detect import relations_to_dicts


def load_nlp(learned: bool = True, rules: bool = True) -> Any:
    """The presslens pipeline (no techniques) with ``presslens_relations`` at the end."""
    nlp = base(techniques=False)
    if "presslens_relations" in nlp.pipe_names:
        nlp.remove_pipe("presslens_relations")
    nlp.add_pipe("presslens_relations", config={"learned": learned, "rules": rules})
    return nlp


def evaluate(data: str | Path, split: str = "dev", learned: bool = True, rules: bool = True,
             scorer: str | Path | None = None, workdir: str | Path | None = None) -> dict[str, Any]:  # fmt: skip
    """Micro and per-type P/R/F1 from the reference scorer (its last output line), plus seconds taken."""
    data = Path(data)
    scorer = Path(scorer) if scorer else data.parents[1] / "eval" / "score_relations.py"
    gold = data / f"{split}.json"
    work = Path(workdir or tempfile.mkdtemp(prefix="relations-"))
    inp, pred = work / f"{split}.in.jsonl", work / f"{split}.pred.jsonl"
    with open(inp, "w", encoding="utf-8") as f:
        subprocess.run([sys.executable, str(scorer), "to-jsonl", str(gold)], stdout=f, check=True)
    items = [json.loads(line) for line in inp.read_text(encoding="utf-8").splitlines() if line.strip()]
    nlp = load_nlp(learned, rules)
    t0 = time.time()
    with open(pred, "w", encoding="utf-8") as f:
        for item, doc in zip(items, nlp.pipe([i["text"] for i in items], batch_size=64), strict=True):
            rec = {
                "article": {"id": item["id"], "text": doc.text},
                "actors": [{"id": a.id, "name": a.name, "mentions": [list(m) for m in a.mentions]}
                           for a in doc._.presslens_actors],  # fmt: skip
                "relations": relations_to_dicts(doc),
            }
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    seconds = time.time() - t0
    out = subprocess.run([sys.executable, str(scorer), "score", str(gold), str(pred)], capture_output=True,
                         text=True, check=True)  # fmt: skip
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["seconds"] = round(seconds, 2)
    return res


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data/conll04")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--scorer", default=None)
    ap.add_argument("--workdir", default=None)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--rules-only", action="store_true")
    g.add_argument("--model-only", action="store_true")
    args = ap.parse_args(argv)
    res = evaluate(args.data, args.split, learned=not args.rules_only, rules=not args.model_only,
                   scorer=args.scorer, workdir=args.workdir)  # fmt: skip
    print(json.dumps(res))


if __name__ == "__main__":
    main()
