"""The learned attribution tagger: features, NumPy inference, grouping into attributions, the component."""

from __future__ import annotations

import numpy as np
import pytest

from presslens.attribution.decode import group
from presslens.attribution.features import FEATURES, featurize, sequences_of
from presslens.attribution.model import TAGS, shipped_tagger
from presslens.record.pipeline import load_nlp
from presslens.tagger.crf import Tagged, allowed_transitions


@pytest.fixture(scope="module")
def nlp_learned():
    return load_nlp(techniques=False, quotes="learned")


@pytest.fixture(scope="module")
def nlp_bare():
    nlp = load_nlp(techniques=False)
    nlp.remove_pipe("presslens_quotes")
    return nlp


def _quotes(nlp, text):
    doc = nlp(text)
    return doc, [q.to_dict(f"q{k}") for k, q in enumerate(doc._.presslens_quotes, 1)]


def _text(text, span):
    return text[span[0] : span[1]] if span else None


def test_shipped_model_is_in_the_package_and_small():
    tagger = shipped_tagger()
    assert tagger is not None
    from presslens.attribution.train import PACKAGE_MODEL

    size = sum(p.stat().st_size for p in PACKAGE_MODEL.iterdir())
    assert 0 < size < 100 * 2**20
    assert tagger.meta["tags"] == list(TAGS)
    assert tagger.meta["seed"] == 13


def test_indirect_attribution_with_source_cue_and_content(nlp_learned):
    text = "The governor said on Tuesday that the state budget would be balanced by next year."
    doc, quotes = _quotes(nlp_learned, text)
    assert len(quotes) == 1, quotes
    q = quotes[0]
    assert q["kind"] == "indirect"
    assert [_text(text, c) for c in q["cue"]] == ["said"]
    assert _text(text, q["speaker"]["span"]) == "The governor"
    content = " ".join(_text(text, c) for c in q["content"])
    assert "the state budget would be balanced by next year" in content
    assert "governor" not in content
    assert 0.5 < q["confidence"] <= 1.0


def test_direct_quote_in_two_pieces_is_one_attribution_resolved_to_the_named_speaker(nlp_learned):
    text = (
        "Maria Lopez is the mayor of the city.\n"
        "“We will rebuild every school,” Lopez said on Monday, “and we will do it this year.”"
    )
    doc, quotes = _quotes(nlp_learned, text)
    rebuilt = [q for q in quotes if any("rebuild" in _text(text, c) for c in q["content"])]
    assert len(rebuilt) == 1, quotes
    q = rebuilt[0]
    assert q["kind"] == "direct"
    assert len(q["content"]) == 2
    assert "this year" in _text(text, q["content"][1])
    assert [_text(text, c) for c in q["cue"]] == ["said"]
    assert q["speaker"]["name"] == "Maria Lopez"


def test_pronoun_speaker_and_mixed_kind(nlp_learned):
    text = (
        "Senator John Carter spoke to reporters in Washington.\n"
        "He said the new rules were “a disaster for farmers” and would be repealed."
    )
    doc, quotes = _quotes(nlp_learned, text)
    q = next(q for q in quotes if any("disaster" in _text(text, c) for c in q["content"]))
    assert q["kind"] == "mixed"
    assert _text(text, q["speaker"]["span"]) == "He"
    assert q["speaker"]["name"] == "John Carter"


def test_plain_narration_has_no_attribution(nlp_learned):
    text = "The bridge was built in 1932. It carries four lanes of traffic across the river."
    _, quotes = _quotes(nlp_learned, text)
    assert quotes == []


def test_features_are_deterministic_and_in_range(nlp_bare):
    text = "“It is over,” the minister told AFP. Critics disagreed."
    from presslens.text.quotemarks import pair_quotes

    doc = nlp_bare(text)
    quoted = pair_quotes(doc.text, doc._.presslens_paragraphs, [])
    a = featurize(doc, quoted, doc._.presslens_resolver.token_actor)
    b = featurize(nlp_bare(text), quoted, {})
    assert a.ids.shape == (len(doc), len(FEATURES))
    for k, (_, size) in enumerate(FEATURES):
        assert a.ids[:, k].min() > 0 and a.ids[:, k].max() < size
    # the same text gives the same hashed ids in another parse (actors aside)
    same = [k for k, (name, _) in enumerate(FEATURES) if name != "actor"]
    assert (a.ids[:, same] == b.ids[:, same]).all()
    # quotation marks are seen: the opening mark, inside, the closing mark, outside
    quote_col = [name for name, _ in FEATURES].index("quote")
    assert a.ids[0, quote_col] == 3 and a.ids[1, quote_col] == 2 and a.ids[-2, quote_col] == 1


def test_sequences_follow_lines_and_cut_long_ones(nlp_bare):
    doc = nlp_bare("First line here.\n\nSecond line, a little longer.\n")
    seqs = sequences_of(doc)
    assert [doc[s:e].text for s, e in seqs] == ["First line here.", "Second line, a little longer."]
    long_text = " ".join(["The committee met again and nothing was decided."] * 120)
    doc = nlp_bare(long_text)
    seqs = sequences_of(doc)
    assert len(seqs) > 1 and all(e - s <= 400 for s, e in seqs)
    assert seqs[0][0] == 0 and seqs[-1][1] == len(doc)
    assert all(a[1] == b[0] for a, b in zip(seqs, seqs[1:], strict=False))


def test_grouping_joins_pieces_to_the_nearest_cue_of_the_sentence(nlp_bare):
    """Gold-like tags on a real parse: two quoted pieces around one cue make one attribution, a second
    sentence's content goes to its own cue, and a content with no cue on its line stands alone."""
    from presslens.text.quotemarks import pair_quotes

    text = "“Taxes will fall,” Ms. Reed said, “and soon.” Her rival denied it.\n“Nothing changes.”"
    doc = nlp_bare(text)
    tags = np.zeros(len(doc), dtype=np.int64)

    def mark(phrase, role, nth=0):
        start = -1
        for _ in range(nth + 1):
            start = text.index(phrase, start + 1)
        span = doc.char_span(start, start + len(phrase))
        tags[span.start] = TAGS.index("B-" + role)
        tags[span.start + 1 : span.end] = TAGS.index("I-" + role)

    mark("“Taxes will fall,”", "content")
    mark("Ms. Reed", "source")
    mark("said", "cue")
    mark("“and soon.”", "content")
    mark("Her rival", "source")
    mark("denied", "cue")
    mark("it.", "content")
    mark("“Nothing changes.”", "content")
    quoted = pair_quotes(doc.text, doc._.presslens_paragraphs, [])
    tagged = Tagged(tags, np.ones(len(doc), dtype=np.float32), sequences_of(doc))
    atts = group(doc, tagged, doc._.presslens_resolver, quoted, [])
    by_cue = {text[a.cue[0][0] : a.cue[0][1]] if a.cue else None: a for a in atts}
    assert set(by_cue) == {"said", "denied", None}
    said = by_cue["said"]
    assert [text[s:e] for s, e in said.content] == ["“Taxes will fall,”", "“and soon.”"]
    assert text[said.speaker_span[0] : said.speaker_span[1]] == "Ms. Reed"
    assert said.kind == "direct"
    assert text[by_cue["denied"].speaker_span[0] : by_cue["denied"].speaker_span[1]] == "Her rival"
    assert by_cue["denied"].kind == "indirect"
    assert by_cue[None].kind == "direct" and by_cue[None].cue == []


def test_transitions_forbid_an_inside_tag_after_another_role():
    ok = allowed_transitions(TAGS)
    assert ok[TAGS.index("B-cue"), TAGS.index("I-cue")]
    assert not ok[TAGS.index("O"), TAGS.index("I-cue")]
    assert not ok[TAGS.index("I-source"), TAGS.index("I-content")]


def test_quote_method_is_checked():
    from presslens.attribution.component import QuotesComponent

    with pytest.raises(ValueError, match="method"):
        QuotesComponent("magic")


def _reference_ids(doc, quoted, token_actor):
    """The token features written token by token, as plainly as they are defined (the shipped featurize
    computes the same numbers with arrays)."""
    from presslens.attribution.features import _cue_class, _is_cue_word
    from presslens.text.lexicon import SUBJECT_PRONOUNS

    def bucket(value, size):
        return 1 + value % (size - 1)

    sizes = [size for _, size in FEATURES]
    n = len(doc)
    text_len = doc[-1].idx + len(doc[-1].text) + 1
    in_quote = [0] * (text_len + 1)
    marks = {}
    for q in quoted:
        for s, e in q.pieces:
            for c in range(s, min(e, text_len)):
                in_quote[c] = 1
            marks[s] = 2
            marks[e - 1] = 3
    cue_word = [_is_cue_word(t) for t in doc]
    rows = []
    for tok in doc:
        i = tok.i
        anc = 0
        child, head, depth = tok, tok.head, 0
        while head.i != child.i and depth < 12:
            if cue_word[head.i]:
                anc = child.dep * 4 + (1 if child.i < head.i else 2) + (0 if depth == 0 else 2)
                break
            child, head, depth = head, head.head, depth + 1
        actor = token_actor.get(i)
        kind = {"person": 2, "organization": 3, "country": 4}.get(actor.kind, 5) if actor else None
        where = 1 + bool(tok.is_sent_start) + 2 * (i + 1 >= n or bool(doc[i + 1].is_sent_start))
        rows.append([
            bucket(tok.lower, sizes[0]), bucket(tok.suffix, sizes[1]), bucket(tok.shape, sizes[2]),
            bucket(tok.tag, sizes[3]), bucket(tok.dep, sizes[4]), bucket(tok.ent_type * 3 + tok.ent_iob, sizes[5]),
            1 + marks.get(tok.idx, marks.get(tok.idx + len(tok.text) - 1, in_quote[tok.idx])),
            _cue_class(tok), bucket(anc, sizes[8]) if anc else 1,
            bucket(doc[tok.head.i].lemma * 7 + tok.dep, sizes[9]),
            kind or (6 if tok.lower_ in SUBJECT_PRONOUNS else 1),
            where + 4 * tok.is_space + 8 * tok.is_punct,
        ])  # fmt: skip
    return np.array(rows, dtype=np.int64)


def test_array_features_equal_the_token_by_token_definition(nlp_bare):
    from conftest import FIXTURES
    from presslens.text.quotemarks import pair_quotes

    text = (FIXTURES / "seed.txt").read_text(encoding="utf-8")
    doc = nlp_bare(text)
    ignored = [i.span for i in doc._.presslens_ignored]
    quoted = pair_quotes(doc.text, doc._.presslens_paragraphs, ignored)
    token_actor = doc._.presslens_resolver.token_actor
    assert quoted and token_actor
    got = featurize(doc, quoted, token_actor).ids
    assert (got == _reference_ids(doc, quoted, token_actor)).all()


# ----- the verifier after grouping (attribution/verify.py) --------------------------------------------------------
def _proposed(doc, content: str, cue: str, source: str | None, kind: str = "indirect", confidence: float = 0.9):
    from presslens.attribution.rules import Attribution

    text = doc.text
    c0 = text.index(content)
    k0 = text.index(cue)
    span = head = None
    if source is not None:
        s0 = text.index(source)
        sp = doc.char_span(s0, s0 + len(source), alignment_mode="expand")
        span, head = (sp.start_char, sp.end_char), sp.root.i
    return Attribution(kind, [(c0, c0 + len(content))], [(k0, k0 + len(cue))], span, head, None, confidence)


def test_verifier_drops_actions_things_and_labels_and_marks_negation(nlp_bare):
    from presslens.attribution.verify import verify

    text = (
        "He later died of his injuries in hospital. The footage shows the car turning left. "
        "The report found that the brakes had failed. Mayor Ortiz did not say whether the budget would pass. "
        "UPDATED: the bridge is closed until Friday."
    )
    doc = nlp_bare(text)
    resolver = doc._.presslens_resolver
    died = _proposed(doc, "of his injuries in hospital", "died", "He")
    footage = _proposed(doc, "the car turning left", "shows", "The footage")
    report = _proposed(doc, "that the brakes had failed", "found", "The report")
    negated = _proposed(doc, "whether the budget would pass", "did not say", "Mayor Ortiz")
    label = _proposed(doc, "the bridge is closed until Friday", ":", "UPDATED")
    unsure = _proposed(doc, "the brakes had failed", "found", "The report", confidence=0.4)
    kept = verify(doc, [died, footage, report, negated, label], resolver)
    assert report in kept and negated in kept
    assert died not in kept and footage not in kept and label not in kept
    assert negated.negated and not report.negated
    assert negated.to_dict("q1")["negated"] is True and "negated" not in report.to_dict("q2")
    assert verify(doc, [unsure], resolver) == []
