"""Attributions: who is said to have said, claimed or believed what.

Three sources of evidence meet here:
1. cue words in the dependency parse: a speech or belief verb with its subject (the source) and its clausal
   complement (the content), "according to X", nominal cues ("assurances from X on Y"), a headline
   "CONTENT: SOURCE";
2. paired quotation marks (``quotemarks``);
3. discourse order: a quote with no cue of its own continues the previous speaker.

A quotation-marked stretch that is the whole content of a cue is a direct quote; one inside a wider reported
clause makes that attribution mixed; a cue whose content has no quotation marks is indirect. Cues inside
quotes or inside another attribution's content are not attributions of their own (the output, like PolNeAR,
is univocal).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from presslens.actors import Actor, ActorResolver
from presslens.text.clean import Span
from presslens.text.lexicon import (
    CLAUSE_ONLY_VERBS,
    CUE_NOUNS,
    OBJECT_CUES,
    ROLE_NOUNS,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
)
from presslens.text.quotemarks import Quoted
from presslens.text.tokens import doc_text

_EDGE_PUNCT = set(",;:—–-(") | {"--"}
_GO_ON = {"go", "continue", "proceed"}


@dataclass
class Attribution:
    kind: str  # direct | indirect | mixed
    content: list[Span]
    cue: list[Span] = field(default_factory=list)
    speaker_span: Span | None = None
    speaker_head: int | None = None  # token index
    actor: Actor | None = None
    confidence: float = 0.5
    negated: bool = False  # the text reports that the source did not say it ("did not say", "denied saying")

    @property
    def start(self) -> int:
        return self.content[0][0]

    def to_dict(self, qid: str) -> dict:
        out = {
            "id": qid,
            "kind": self.kind,
            "content": [list(s) for s in self.content],
            "cue": [list(s) for s in self.cue],
            "speaker": {
                "span": list(self.speaker_span) if self.speaker_span else None,
                "actor": self.actor.id if self.actor else None,
                "name": self.actor.name if self.actor else None,
            },
            "confidence": round(self.confidence, 3),
        }
        if self.negated:
            out["negated"] = True
        return out


@dataclass
class _Cue:
    token: Token
    cue_span: Span
    source: tuple[int, int, int] | None  # token start, end, head
    content: list[tuple[int, int]]  # token ranges [start, end)
    confidence: float
    used: bool = False


def char_span(doc: Doc, start: int, end: int) -> Span:
    """Character offsets of the tokens ``[start, end)``."""
    return (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop edge punctuation and spaces from a token range; a final full stop goes too (PolNeAR's contents end
    before it), while closing quotation marks stay."""
    while start < end and (doc[start].is_space or doc[start].text in _EDGE_PUNCT or doc[start].text == ","):
        start += 1
    while end > start and (
        doc[end - 1].is_space or doc[end - 1].text in _EDGE_PUNCT or doc[end - 1].text in (",", ".")
    ):
        end -= 1
    return start, end


def _subtree_range(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _subject(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    return None


class QuoteFinder:
    def __init__(
        self,
        doc: Doc,
        resolver: ActorResolver,
        quoted: list[Quoted],
        ignored: list[Span],
        headline: Span | None,
        paragraphs: list[Span],
    ):
        self.doc = doc
        self.text = doc_text(doc)
        self.resolver = resolver
        self.quoted = [q for q in quoted if not self._is_name_quote(q)]
        self.ignored = ignored
        self.headline = headline
        self.paragraphs = paragraphs
        # character -> index of the quoted stretch covering it
        self._in_quote = [False] * (len(self.text) + 1)
        for q in self.quoted:
            for s, e in q.pieces:
                for i in range(s, e):
                    self._in_quote[i] = True

    # ----- helpers ------------------------------------------------------------------------------------
    def _ignored(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.ignored)

    def _quoted(self, tok: Token) -> bool:
        return self._in_quote[tok.idx]

    def _paragraph_of(self, char: int) -> int:
        for k, (s, e) in enumerate(self.paragraphs):
            if s <= char < e:
                return k
        return -1

    # ----- cues from the parse ------------------------------------------------------------------------
    def _verb_cue(self, t: Token) -> _Cue | None:
        lemma = t.lemma_.lower()
        if lemma not in SPEECH_VERBS and lemma not in OBJECT_CUES:
            return None
        if t.pos_ not in ("VERB", "AUX") and t.tag_[:2] != "VB":
            return None
        if any(c.dep_ == "auxpass" for c in t.children):
            return None  # "it was reported that": no source
        gov = t
        cue_start = t.i
        if t.dep_ == "xcomp" and t.head.lemma_ in _GO_ON:
            gov = t.head
            cue_start = t.head.i
        subj = _subject(t) or (_subject(gov) if gov.i != t.i else None)
        if subj is None and (t.dep_ == "conj" or (t.dep_ in ("advcl", "xcomp") and t.tag_ == "VBG")):
            subj = _subject(t.head)  # "X left, saying ..."; "X said A and added B"
        if (
            subj is None
            and t.dep_ == "relcl"
            and any(c.dep_ == "nsubj" and c.tag_ in ("WP", "WDT") for c in t.children)
        ):
            subj = t.head
        if subj is None:
            return None
        comps = [
            c
            for c in list(t.children) + (list(gov.children) if gov.i != t.i else [])
            if c.dep_ in ("ccomp",) or (c.dep_ == "xcomp" and c.tag_ in ("VBG",) and t.lemma_ == "say")
        ]
        content: list[tuple[int, int]] = []
        conf = 0.7
        if comps:
            for c in comps:
                content.append(_subtree_range(c))
        elif (
            (t.dep_ in ("parataxis", "ccomp") or (t.dep_ == "advcl" and t.i > t.head.i))
            and t.head.pos_ in ("VERB", "AUX")
            and subj.head.i == t.i
        ):
            # "The economy, he said, is growing": the content is the governing clause without the cue
            hs, he = _subtree_range(t.head)
            cs, ce = _subtree_range(t)
            if t.dep_ == "ccomp" and t.head.lemma_ in SPEECH_VERBS:
                return None
            content = [(hs, cs), (ce, he)]
            conf = 0.6
        elif lemma in OBJECT_CUES and (objs := self._object_content(t, OBJECT_CUES[lemma])):
            content = objs
            conf = 0.55
        elif lemma in CLAUSE_ONLY_VERBS or lemma not in SPEECH_VERBS:
            return None
        # else: a bare cue ("X wrote on Friday:"), good only next to a quotation
        # the source: the subject phrase; for a relative clause, the noun it modifies
        if subj.i == t.head.i:
            s, e = subj.left_edge.i, subj.i + 1
            rel = [x.i for x in subj.lefts]
            s = min(rel + [subj.i])
        else:
            s, e = _subtree_range(subj)
        s, e = _trim(self.doc, s, e)
        if e <= s:
            return None
        cue_span = char_span(self.doc, cue_start, t.i + 1)
        return _Cue(t, cue_span, (s, e, subj.i), [r for r in content if r[1] > r[0]], conf)

    def _object_content(self, t: Token, deps: tuple[str, ...]) -> list[tuple[int, int]]:
        """The object of an object-taking cue, as one token range: "Trump “unhinged”", "to build a wall"."""
        parts = [c for c in t.children if c.dep_ in deps and c.i > t.i]
        if not parts or any(c.dep_ == "dobj" and c.pos_ == "PRON" and len(list(c.subtree)) == 1 for c in parts):
            return []
        if t.lemma_ in ("want", "hope", "plan", "intend", "vow") and not any(c.dep_ == "xcomp" for c in parts):
            return []  # "wants a deal" says little; "wants to ..." states an intention
        start = min(c.left_edge.i for c in parts)
        end = max(c.right_edge.i for c in parts) + 1
        return [(start, end)]

    def _according_to(self, t: Token) -> _Cue | None:
        doc = self.doc
        if t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to":
            return None
        to = doc[t.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"]
        if not objs:
            return None
        src = objs[0]
        s, e = _trim(doc, *_subtree_range(src))
        head = t.head
        hs, he = _subtree_range(head)
        cs, ce = _subtree_range(t)
        if head.i == t.i or not (hs <= cs and ce <= he):
            return None
        content = [(hs, cs), (ce, he)]
        return _Cue(t, char_span(doc, t.i, t.i + 2), (s, e, src.i), content, 0.75)

    def _noun_cue(self, t: Token) -> _Cue | None:
        """ "assurances from X on Y", "X's claim that Y"."""
        if t.lower_ not in CUE_NOUNS or t.pos_ != "NOUN":
            return None
        doc = self.doc
        siblings = [c for c in t.children] + [c for c in t.head.children if c.i > t.i]
        src_prep = next((c for c in siblings if c.dep_ == "prep" and c.lower_ == "from"), None)
        if src_prep is None:
            return None
        objs = [c for c in src_prep.children if c.dep_ == "pobj"]
        if not objs:
            return None
        s, e = _trim(doc, *_subtree_range(objs[0]))
        topic = next(
            (
                c
                for c in siblings
                if c.i > e - 1
                and (
                    (c.dep_ == "prep" and c.lower_ in ("on", "about", "over", "regarding"))
                    or c.dep_ in ("acl", "ccomp")
                )
            ),
            None,
        )
        if topic is None:
            return None
        return _Cue(t, char_span(doc, t.i, t.i + 1), (s, e, objs[0].i), [_subtree_range(topic)], 0.5)

    def _collect_cues(self) -> list[_Cue]:
        cues = []
        for t in self.doc:
            if t.is_space or t.is_punct or self._quoted(t) or self._ignored(t.idx):
                continue
            cue = self._according_to(t) or self._verb_cue(t) or self._noun_cue(t)
            if cue is not None:
                cue.content = [_trim(self.doc, s, e) for s, e in cue.content]
                cue.content = [(s, e) for s, e in cue.content if e > s]
                cues.append(cue)
        return cues

    # ----- quotes -------------------------------------------------------------------------------------
    def _token_at(self, char: int, forward: bool = True) -> int | None:
        doc = self.doc
        span = doc.char_span(char, char + 1, alignment_mode="expand")
        if span is None:
            return None
        return span.start if forward else span.end - 1

    def _adjacent_cue(self, q: Quoted, cues: list[_Cue]) -> _Cue | None:
        """A cue right after the closing mark ("...,” he added") or right before the opening one
        ("X said in a message on Thursday, “...")."""
        par = self._paragraph_of(q.end - 1)
        pend = self.paragraphs[par][1] if par >= 0 else len(self.text)
        # after: within the same sentence, before the next quote
        after = [c for c in cues if q.end <= c.token.idx < pend and not c.used]
        for c in after:
            between = self.text[q.end : c.token.idx]
            if any(self._in_quote[i] for i in range(q.end, c.token.idx)):
                break
            if len(between) <= 80 and "." not in between.replace("Gen.", "").replace("Dr.", "") and "\n" not in between:
                return c
            break
        # before: the last cue before the opening mark in the same sentence, separated by little
        qpar = self._paragraph_of(q.start)
        pstart = self.paragraphs[qpar][0] if qpar >= 0 else 0
        if qpar > 0 and pstart == q.start and self.text[:pstart].rstrip().endswith(":"):
            pstart = self.paragraphs[qpar - 1][0]  # "X wrote on Friday:" closing the previous paragraph
        before = [c for c in cues if pstart <= c.token.idx < q.start and not c.used]
        if before:
            c = before[-1]
            between = self.text[c.cue_span[1] : q.start]
            if (
                len(between) <= 80
                and not any(self._in_quote[i] for i in range(c.cue_span[1], q.start))
                and not any(ch in between for ch in ".?!")
                or between.strip() in ("", ",", ":")
            ):
                return c
        return None

    def _overlapping_cue(self, q: Quoted, cues: list[_Cue]) -> _Cue | None:
        doc = self.doc
        for c in cues:
            if c.used:
                continue
            for s, e in c.content:
                cs, ce = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
                if cs < q.end and q.start < ce:
                    return c
        return None

    def _outside_words(self, c: _Cue, q: Quoted | None = None) -> int:
        """Word tokens of a cue's content outside quotation marks; with *q*, only those on the quote's side
        of the cue (a parse that runs the content on past the cue does not make a quote mixed)."""
        n = 0
        for s, e in c.content:
            for t in self.doc[s:e]:
                if not t.is_alpha or self._quoted(t):
                    continue
                if q is not None and ((q.end <= c.token.idx < t.idx) or (t.idx < c.token.idx <= q.start)):
                    continue
                n += 1
        return n

    def _is_name_quote(self, q: Quoted) -> bool:
        """Quotation marks around a name ("the “Axis of Resistance”") quote no speech."""
        raw = self.text[q.start + 1 : q.end - 1]
        if any(p in raw.rstrip(" ,.!?") for p in (". ", "! ", "? ")) or raw.rstrip(" ,").endswith(("!", "?")):
            return False  # sentences, not a name: "The Donald. Big Daddy."
        inner = raw.strip(" ,.")
        words = [w for w in inner.split() if w.lower() not in ("of", "the", "and", "for", "al")]
        return bool(words) and len(words) <= 6 and all(w[:1].isupper() for w in words)

    def find(self) -> list[Attribution]:
        doc = self.doc
        cues = self._collect_cues()
        # outer cues first; a cue inside another attribution's content is not one of its own
        cues.sort(key=lambda c: -sum(e - s for s, e in c.content))
        kept: list[_Cue] = []
        for c in cues:
            if any(s <= c.token.i < e for k in kept for s, e in k.content):
                continue
            kept.append(c)
        cues = sorted(kept, key=lambda c: c.token.i)
        out: list[Attribution] = []
        last: Attribution | None = None
        last_par = -2
        for q in self.quoted:
            if self._ignored(q.start):
                continue
            par = self._paragraph_of(q.start)
            # a quoted fragment inside a mixed attribution already made is part of it
            if any(a.kind == "mixed" and a.start <= q.start and q.end <= a.content[-1][1] + 3 for a in out):
                continue
            c = self._overlapping_cue(q, cues)
            mixed = c is not None and self._outside_words(c, q) >= 3
            if c is None:
                c = self._adjacent_cue(q, cues)
            if c is not None:
                c.used = True
                att = self._from_cue(c, "mixed" if mixed else "direct")
                if not mixed:
                    att.content = list(q.pieces)
                    att.confidence = 0.9
                else:
                    att.confidence = 0.8
                out.append(att)
                last, last_par = att, par
                continue
            dash = self._dash_attribution(q)
            if dash is not None:
                out.append(dash)
                last, last_par = dash, par
                continue
            inner = self.text[q.start + 1 : q.end]
            sentence_like = inner[:1].isupper() and len(inner.split()) >= 4
            # "“A,” Tester said, referring to X, “b ...”": the cue sits between the two pieces
            interrupted = (
                last is not None
                and par == last_par
                and bool(last.cue)
                and last.content[-1][1] <= last.cue[0][0] < q.start
                and not any(self._in_quote[i] for i in range(last.content[-1][1], q.start))
            )
            if (
                last is not None
                and (sentence_like or interrupted)
                and par - last_par <= 1
                and last.kind == "direct"
                and (last.actor is not None or last.speaker_span is not None)
            ):
                if par == last_par and not any(s < q.start < e for s, e in last.content):
                    last.content.extend(q.pieces)  # "“A,” he said. “B.”": one quote, two pieces
                    continue
                if par == last_par + 1 and q.start == self.paragraphs[par][0]:
                    att = Attribution("direct", list(q.pieces), [], None, None, last.actor, 0.7)
                    out.append(att)
                    last, last_par = att, par
                    continue
        # indirect attributions: cues not used by a quote, whose content holds no quotation marks
        for c in cues:
            if c.used or not c.content:
                continue
            if any(self._quoted(t) for s, e in c.content for t in doc[s:e] if not t.is_space):
                kind = "mixed" if self._outside_words(c) >= 3 else "direct"
            else:
                kind = "indirect"
            att = self._from_cue(c, kind)
            out.append(att)
        headline = self._headline_attribution()
        if headline is not None:
            out.append(headline)
        for att in self._colon_attributions():
            if not any(a.start < att.content[-1][1] and att.start < a.content[-1][1] for a in out):
                out.append(att)
        out.sort(key=lambda a: a.start)
        return out

    def _dash_attribution(self, q: Quoted) -> Attribution | None:
        """A quote signed with a dash: "“...” ― Jorge Falcon" (same paragraph or the next line)."""
        doc = self.doc
        par = self._paragraph_of(q.end - 1)
        if par < 0:
            return None
        rest_end = self.paragraphs[par][1]
        rest = self.text[q.end : rest_end]
        offset = q.end
        if not rest.strip() and par + 1 < len(self.paragraphs):
            offset, rest_end = self.paragraphs[par + 1]
            rest = self.text[offset:rest_end]
        stripped = rest.lstrip()
        if not stripped or stripped[0] not in "―—–-" or len(stripped) > 80:
            return None
        dash_at = offset + (len(rest) - len(stripped))
        name_start = dash_at + 1
        while name_start < rest_end and self.text[name_start] in " ―—–-":
            name_start += 1
        name_end = rest_end
        comma = self.text.find(",", name_start, rest_end)
        if comma > 0:
            name_end = comma
        span = doc.char_span(name_start, name_end, alignment_mode="expand")
        if span is None or not (1 <= len(span) <= 6) or not span.text[:1].isupper():
            return None
        actor = self.resolver.resolve(span.start, span.end, span.root.i)
        return Attribution(
            "direct",
            list(q.pieces),
            [(dash_at, dash_at + 1)],
            (span.start_char, span.end_char),
            span.root.i,
            actor,
            0.75,
        )

    def _close_quotes(self, content: list[Span]) -> list[Span]:
        """Extend a content piece over the closing mark of a quotation it opens: “... nature.”"""
        out = []
        for s, e in content:
            for q in self.quoted:
                if s <= q.start < e < q.end <= e + 3:
                    e = q.end
            out.append((s, e))
        return out

    def _from_cue(self, c: _Cue, kind: str) -> Attribution:
        doc = self.doc
        content = self._close_quotes([char_span(doc, s, e) for s, e in c.content])
        speaker = actor = head = None
        if c.source is not None:
            s, e, head = c.source
            speaker = char_span(doc, s, e)
            actor = self.resolver.resolve(s, e, head)
        return Attribution(kind, content, [c.cue_span], speaker, head, actor, c.confidence)

    def _source_like(self, span, headline: bool = False) -> bool:
        """A short phrase that can name a source by itself: a name, a pronoun, a role ("Quds Force chief")."""
        if span is None or not (1 <= len(span) <= 6):
            return False
        if any(t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBN", "VBG") for t in span):
            return False
        head = span.root
        if len(span) <= 3 and all(t.is_upper and t.is_alpha for t in span if not t.is_punct):
            return True  # transcript speaker labels: "WALLACE:", "PENCE:"
        if headline and len(span) <= 3 and all(t.is_title for t in span if t.is_alpha):
            return True  # "Poll: ...", "Politifact: ..." at the top of an article
        return (
            head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
            or head.lower_ in ROLE_NOUNS
            or head.lower_ in SUBJECT_PRONOUNS
            or head.i in self.resolver.token_actor
        )

    def _colon_attributions(self) -> list[Attribution]:
        """ "SOURCE: CONTENT" at the start of a paragraph: "Kerry: “By law ...”", "John McCain: Populist anger ..."."""
        out = []
        doc = self.doc
        for ps, pe in self.paragraphs:
            if self._ignored(ps):
                continue
            text = self.text[ps:pe]
            colon = text.find(": ")
            if colon <= 0 or colon > 60 or self._in_quote[ps + colon]:
                continue
            span = doc.char_span(ps, ps + colon, alignment_mode="expand")
            if span is not None and any(t.like_num for t in span):
                continue  # "Blue Jackets 5, Canadiens 2: ...": a score line, no source
            if not self._source_like(span, headline=(ps, pe) == self.headline):
                continue
            cs, ce = ps + colon + 2, pe
            while ce > cs and self.text[ce - 1] in ". ":
                ce -= 1
            if ce - cs < 10:
                continue
            inside = [self._in_quote[i] for i in range(cs, ce) if not self.text[i].isspace()]
            kind = "direct" if all(inside) else ("mixed" if any(inside) else "indirect")
            if kind == "direct":
                ce = pe
            head = span.root
            actor = self.resolver.resolve(span.start, span.end, head.i)
            out.append(
                Attribution(
                    kind,
                    [(cs, ce)],
                    [(ps + colon, ps + colon + 1)],
                    (span.start_char, span.end_char),
                    head.i,
                    actor,
                    0.6,
                )
            )
        return out

    def _headline_attribution(self) -> Attribution | None:
        """A headline "CONTENT: SOURCE", e.g. "Axis ... united with Gaza fighters: Quds Force chief"."""
        if self.headline is None:
            return None
        hs, he = self.headline
        text = self.text[hs:he]
        colon = text.rfind(": ")
        if colon <= 0:
            return None
        src_start = hs + colon + 2
        span = self.doc.char_span(src_start, he, alignment_mode="expand")
        if span is None or not (1 <= len(span) <= 5):
            return None
        head = span.root
        if not (head.lower_ in ROLE_NOUNS or head.ent_type_ == "PERSON" or head.lower_ in SUBJECT_PRONOUNS):
            return None
        actor = self.resolver.resolve(span.start, span.end, head.i)
        return Attribution(
            "indirect",
            [(hs, hs + colon)],
            [(hs + colon, hs + colon + 1)],
            (span.start_char, span.end_char),
            head.i,
            actor,
            0.6,
        )
