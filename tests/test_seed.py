"""The motivating article, against a hand-made gold (tests/fixtures/seed_gold.json)."""

from __future__ import annotations

from conftest import span_text


def _quote_with(rec: dict, anchor: str) -> dict | None:
    text = rec["article"]["text"]
    starts = []
    i = text.find(anchor)
    while i >= 0:
        starts.append(i)
        i = text.find(anchor, i + 1)
    for q in rec["quotes"]:
        for s, e in q["content"]:
            if any(s <= a and a + len(anchor) <= e for a in starts):
                return q
    return None


def test_teaser_is_ignored_and_nothing_pairs_across_it(seed_record, seed_gold):
    text = seed_record["article"]["text"]
    ignored = seed_record["article"]["ignored"]
    assert len(ignored) == 1
    s, e = ignored[0]["span"]
    assert text[s:e].startswith(seed_gold["teaser_starts_with"])
    assert text[s:e].endswith("[…]")
    for q in seed_record["quotes"]:
        for a, b in q["content"] + q["cue"]:
            assert b <= s or a >= e, f"{q['id']} touches the teaser"
    for actor in seed_record["actors"]:
        for a, b in actor["mentions"]:
            assert b <= s or a >= e, f"{actor['name']} mentioned inside the teaser"


def test_every_gold_attribution_found_with_speaker_and_kind(seed_record, seed_gold):
    for g in seed_gold["attributions"]:
        q = _quote_with(seed_record, g["anchor"])
        if g.get("optional") and q is None:
            continue
        assert q is not None, f"missing: {g['anchor']}"
        assert q["speaker"]["name"] == g["speaker"], (g["anchor"], q["speaker"])
        assert q["kind"] == g["kind"], (g["anchor"], q["kind"])
        if "speaker_text" in g:
            # PolNeAR sources keep the comma that closes an appositive ("Michael Milstein, head of ...,")
            assert span_text(seed_record, q["speaker"]["span"]).rstrip(" ,") == g["speaker_text"], g["anchor"]
        if "cue" in g:
            cues = [span_text(seed_record, c) for c in q["cue"]]
            # PolNeAR cues keep auxiliaries and negation ("has said"): the gold cue word must be inside one
            assert any(g["cue"] == c or f" {g['cue']}" in f" {c}" for c in cues), (g["anchor"], cues)


def test_nothing_spurious(seed_record, seed_gold):
    anchors = [g["anchor"] for g in seed_gold["attributions"]]
    text = seed_record["article"]["text"]
    for q in seed_record["quotes"]:
        content = " ".join(text[s:e] for s, e in q["content"])
        assert any(a in content for a in anchors), f"spurious {q['id']}: {content[:80]}"
    # the scare-quoted name and the outlet's own explanation are not attributions
    assert _quote_with(seed_record, "The Axis of Resistance refers to") is None
    assert _quote_with(seed_record, "cast doubt") is None


def test_actors_merged_with_titles_and_roles(seed_record, seed_gold):
    by_name = {a["name"]: a for a in seed_record["actors"]}
    text = seed_record["article"]["text"]
    for name, want in seed_gold["actors"].items():
        assert name in by_name, f"no actor {name}; have {sorted(by_name)}"
        a = by_name[name]
        assert a["kind"] == want["kind"], name
        for t in want.get("titles", []):
            assert t in a["titles"], (name, a["titles"])
        roles = [(r["role"], r["organization"]) for r in a["roles"]]
        for r in want.get("roles", []):
            assert tuple(r) in roles, (name, roles)
        mentions = [text[s:e] for s, e in a["mentions"]]
        for m in want.get("mentions_include", []):
            assert m in mentions, (name, m, mentions)
        for al in want.get("aliases_include", []):
            assert al in a["aliases"], (name, a["aliases"])
    for bad in seed_gold["not_actors"]:
        assert bad not in by_name
        assert all(bad not in a["aliases"] for a in seed_record["actors"])
    # one entry per real actor: no second Qaani (spaCy tags one mention ORG), Hamas never a person
    assert sum("Qaani" in a["name"] for a in seed_record["actors"]) == 1
    assert not any(a["kind"] == "person" and "Hamas" in a["name"] for a in seed_record["actors"])


def test_quotes_link_speakers_to_actor_ids(seed_record):
    ids = {a["id"]: a["name"] for a in seed_record["actors"]}
    for q in seed_record["quotes"]:
        if q["speaker"]["actor"] is not None:
            assert ids[q["speaker"]["actor"]] == q["speaker"]["name"]


def test_the_accurate_coreference_keeps_every_speaker_and_adds_nothing(seed_text, seed_gold):
    """`analyze --accurate` resolves he/she over the MPNet encoder: the seed's attributions stay as the gold has
    them, with their speakers, and nothing spurious comes in (needs the encoder packages)."""
    import pytest

    from presslens.record.pipeline import Document, analyze_many, load_nlp
    from presslens.tagger.minilm import EncoderMissing
    from presslens.tagger.mpnet import model_dir

    try:
        model_dir()
    except EncoderMissing:
        pytest.skip("the MPNet encoder packages are not installed")
    nlp = load_nlp(accurate=True, techniques=False)
    assert nlp.get_pipe("presslens_coref").accurate
    (rec,) = list(analyze_many([Document(text=seed_text, source="seed.txt")], nlp=nlp))
    test_every_gold_attribution_found_with_speaker_and_kind(rec, seed_gold)
    test_nothing_spurious(rec, seed_gold)


def test_the_accurate_techniques_show_one_label_per_passage_in_the_speakers_voice(seed_text):
    """The accurate tagger finds Qaani's "... will not allow the enemy to reach its dirty goals" twice, with and
    without "in Gaza and Palestine", both over their threshold: the record shows the passage once, in his voice
    (``calibrate.one_per_passage``), and ``--techniques all`` keeps both for research (needs the encoders)."""
    import pytest

    from presslens.record.pipeline import Document, analyze_many, load_nlp
    from presslens.tagger.minilm import EncoderMissing
    from presslens.tagger.mpnet import model_dir

    try:
        model_dir()
    except EncoderMissing:
        pytest.skip("the MPNet encoder packages are not installed")
    records = {}
    for keep in ("likely", "all"):
        nlp = load_nlp(accurate=True, technique_keep=keep)
        (records[keep],) = list(analyze_many([Document(text=seed_text, source="seed.txt")], nlp=nlp))
    names = {a["id"]: a["name"] for a in records["likely"]["actors"]}
    shown = records["likely"]["techniques"]
    goals = [t for t in shown if "dirty goals" in t["text"]]
    assert len(goals) == 1 and names.get(goals[0]["voice"]["actor"]) == "Ismail Qaani", shown
    for a in shown:
        for b in shown:
            if a is not b and a["technique"] == b["technique"]:
                assert a["span"][1] <= b["span"][0] or b["span"][1] <= a["span"][0], (a, b)
    assert len([t for t in records["all"]["techniques"] if "dirty goals" in t["text"]]) > 1
