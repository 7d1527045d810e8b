"""From tagged tokens to attributions: group source, cue and content spans, resolve speakers to actors.

Each cue span anchors one attribution. A content span goes to the nearest cue of its line (crossing a sentence
boundary costs more than any distance inside one), so "“A,” he said, “B.”" is one attribution in two pieces; a
source span goes to its nearest cue likewise. A content without any cue on its line continues the speaker of
the attribution just before it when it is quoted ("“...” (next paragraph) “...”"), and otherwise stands alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from presslens.actors import ActorResolver
from presslens.attribution.model import TAGS
from presslens.attribution.rules import Attribution, char_span
from presslens.tagger.crf import Tagged, bio_runs
from presslens.text.clean import Span, inside
from presslens.text.quotemarks import Quoted
from presslens.text.tokens import doc_text

_SENTENCE_COST = 1000
# Below this confidence an indirect attribution with no source is dropped: on PolNeAR dev such attributions
# below 0.9 match a gold one less than half the time (docs/attribution-model-card.md).
MIN_SOURCELESS_CONFIDENCE = 0.9
# Cues that, with anything but a person as subject, explain a name rather than report a statement.
DEFINITIONAL_CUES = frozenset({"refers to", "refer to", "means", "stands for", "is defined as"})


@dataclass
class _Piece:
    role: str
    start: int  # token range [start, end)
    end: int
    confidence: float


def tagged_pieces(tagged: Tagged) -> list[_Piece]:
    """The tagged spans, each sequence on its own, with their mean tag probability."""
    return [
        _Piece(role, a, b, float(np.mean(tagged.confidence[a:b])))
        for s, e in tagged.sequences
        for role, a, b in bio_runs(tagged.tags, TAGS, s, e)
    ]


class Grouper:
    def __init__(
        self,
        doc: Doc,
        resolver: ActorResolver,
        quoted: list[Quoted],
        ignored: list[Span],
        sequences: list[tuple[int, int]],
    ):
        self.doc = doc
        self.resolver = resolver
        self.ignored = ignored
        self.text = doc_text(doc)
        text_len = len(self.text)
        # characters that count when deciding how much of a content is quoted: letters and digits
        self.word_char = np.fromiter((c.isalnum() for c in self.text), dtype=bool, count=text_len)
        self.in_quote = np.zeros(text_len + 1, dtype=bool)
        self.stretch_of = np.full(text_len + 1, -1, dtype=np.int64)  # char -> index of its quoted stretch
        for k, q in enumerate(quoted):
            for s, e in q.pieces:
                self.in_quote[s:e] = True
                self.stretch_of[s:e] = k
        self.sent_of = np.zeros(len(doc) + 1, dtype=np.int64)
        if len(doc):
            starts = doc.to_array(SENT_START).astype(np.int64) == 1
            starts[0] = False
            self.sent_of[: len(doc)] = np.cumsum(starts)
        self.line_of = np.full(len(doc) + 1, -1, dtype=np.int64)
        for k, (s, e) in enumerate(sequences):
            self.line_of[s:e] = k

    def _char_span(self, start: int, end: int) -> Span:
        return char_span(self.doc, start, end)

    def _distance(self, a: _Piece, b: _Piece) -> int:
        if a.end <= b.start:
            gap, left, right = b.start - a.end, a.end - 1, b.start
        elif b.end <= a.start:
            gap, left, right = a.start - b.end, b.end - 1, a.start
        else:
            gap, left, right = 0, a.start, a.start
        return gap + _SENTENCE_COST * int(self.sent_of[right] - self.sent_of[left])

    def _kind(self, content: list[Span]) -> str:
        inside = outside = 0
        for s, e in content:
            words = self.word_char[s:e]
            q = int((words & self.in_quote[s:e]).sum())
            inside += q
            outside += int(words.sum()) - q
        if inside == 0:
            return "indirect"
        return "direct" if outside <= 3 else "mixed"

    def _parse_source(self, cue: _Piece, content: list[_Piece]) -> _Piece | None:
        """The tagger found no source for *cue*: take the grammatical subject (or possessor) of the cue word,
        or, for a participle or a second verb ("..., saying", "said A and added B"), that of the verb it hangs
        from. Sources found this way carry a lower confidence (half the cue's)."""
        doc = self.doc
        root = doc[cue.start : cue.end].root
        taken = {i for p in content for i in range(p.start, p.end)} | set(range(cue.start, cue.end))
        for tok in (root, root.head):
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "poss", "agent")), None)
            if subj is not None and subj.dep_ == "agent":
                subj = next((c for c in subj.children if c.dep_ == "pobj"), None)
            if subj is not None and subj.i not in taken and subj.tag_ not in ("WP", "WDT", "EX"):
                start, end = subj.left_edge.i, subj.right_edge.i + 1
                if any(i in taken for i in range(start, end)) or end - start > 8:
                    start, end = subj.i, subj.i + 1
                    while (
                        start > 0
                        and doc[start - 1].dep_ in ("compound", "amod", "det")
                        and doc[start - 1].head.i == subj.i
                    ):
                        start -= 1
                while start < end and (doc[start].is_punct or doc[start].is_space):
                    start += 1
                while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
                    end -= 1
                if end > start:
                    return _Piece("source", start, end, cue.confidence / 2)
            if tok.dep_ not in ("advcl", "xcomp", "conj", "acl", "pcomp") or tok.head.i == tok.i:
                break
            if tok is root.head:
                break
        return None

    def group(self, pieces: list[_Piece]) -> list[Attribution]:
        pieces = [p for p in pieces if not inside(self.doc[p.start].idx, self.ignored)]
        cues = [p for p in pieces if p.role == "cue"]
        members: dict[int, dict[str, list[_Piece]]] = {id(c): {"source": [], "content": []} for c in cues}
        orphans: list[_Piece] = []
        for p in pieces:
            if p.role == "cue":
                continue
            line = self.line_of[p.start]
            near = [c for c in cues if self.line_of[c.start] == line]
            if not near:
                if p.role == "content":
                    orphans.append(p)
                continue
            best = min(near, key=lambda c: (self._distance(p, c), c.start))
            members[id(best)][p.role].append(p)
        # "X wrote on Friday:" (next line) "“...”": a content alone on its line goes to a cue of the line
        # before that found no content of its own
        still: list[_Piece] = []
        for p in orphans:
            line = self.line_of[p.start]
            waiting = [c for c in cues if self.line_of[c.start] == line - 1 and not members[id(c)]["content"]]
            if waiting:
                members[id(waiting[-1])]["content"].append(p)
            else:
                still.append(p)
        orphans = still
        out: list[Attribution] = []
        for c in cues:
            m = members[id(c)]
            if not m["content"]:
                continue
            content = [self._char_span(p.start, p.end) for p in sorted(m["content"], key=lambda p: p.start)]
            speaker = head = actor = None
            src = min(m["source"], key=lambda p: self._distance(p, c)) if m["source"] else None
            if src is None:
                src = self._parse_source(c, m["content"])
            if src is not None:
                span = self.doc[src.start : src.end]
                head = span.root.i
                speaker = self._char_span(src.start, src.end)
                actor = self.resolver.resolve(src.start, src.end, head)
            parts = [c, *m["content"], *m["source"]]
            conf = float(np.mean([p.confidence for p in parts]))
            kind = self._kind(content)
            if speaker is None and kind == "indirect" and conf < MIN_SOURCELESS_CONFIDENCE:
                continue  # an unsure reported clause with nobody to report it
            cue_text = self.doc[c.start : c.end].text.lower()
            if cue_text in DEFINITIONAL_CUES and (actor is None or actor.kind != "person"):
                continue  # "The Axis of Resistance refers to an alliance ...": the outlet explains a name
            out.append(Attribution(kind, content, [self._char_span(c.start, c.end)], speaker, head, actor, conf))
        out.sort(key=lambda a: a.start)
        for p in orphans:
            piece = self._char_span(p.start, p.end)
            kind = self._kind([piece])
            prev = [a for a in out if a.start < piece[0]]
            stretch = self.stretch_of[piece[0]]
            if prev and stretch >= 0 and any(self.stretch_of[s] == stretch for s, _ in prev[-1].content):
                prev[-1].content.append(piece)  # the next paragraph of a quotation left open
                continue
            actor = self._continued_speaker(prev[-1] if prev else None, piece, out) if kind == "direct" else None
            out.append(Attribution(kind, [piece], [], None, None, actor, 0.8 * p.confidence))
            out.sort(key=lambda a: a.start)
        return out

    def _paragraph_of(self, char: int) -> int:
        return self.text.count("\n\n", 0, char)

    def _continued_speaker(self, prev: Attribution | None, piece: Span, out: list[Attribution]):
        """The speaker of a quote with no cue of its own: the previous speaker, unless another person is named in
        between (then that one); with no speaker before it in this or the last paragraph, the speaker of an
        attribution in the next paragraph ("“...”" (next paragraph) "That was how X put it")."""
        par = self._paragraph_of(piece[0])
        if prev is not None and prev.actor is not None and par - self._paragraph_of(prev.start) <= 1:
            last_end = max(e for _s, e in prev.content + prev.cue + ([prev.speaker_span] if prev.speaker_span else []))
            between = [a for c, a in self.resolver._person_mentions if last_end <= c < piece[0]]
            others = {id(a): a for a in between if a is not prev.actor}
            if not others:
                return prev.actor
            return next(iter(others.values())) if len(others) == 1 else None
        nxt = [a for a in out if a.start > piece[1] and self._paragraph_of(a.start) == par + 1 and a.actor is not None]
        if nxt and nxt[0].actor.kind == "person":
            return nxt[0].actor
        return prev.actor if prev is not None else None


def group(
    doc: Doc, tagged: Tagged, resolver: ActorResolver, quoted: list[Quoted], ignored: list[Span]
) -> list[Attribution]:
    """Attributions from a tagged document (speakers resolved with *resolver*, which gains their mentions)."""
    grouper = Grouper(doc, resolver, quoted, ignored, tagged.sequences)
    return grouper.group(tagged_pieces(tagged))
