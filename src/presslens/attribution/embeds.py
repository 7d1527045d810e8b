"""Posts embedded in a page: a tweet's text followed by its signature line, "— Arvind Kejriwal (@ArvindKejriwal)
November 1, 2019". The post is a direct quote of the account's owner; the first persons inside it ("I urge all
Delhiites ...") are the owner speaking, not new sources.

The extracted page does not say where a post of several lines begins, and an article sentence taken for a post
would be a false quote. So the post is the line right above the signature and, above it, only lines that cannot
be the article's own paragraphs: lines that end without a full stop or other closing mark (a post's line breaks,
"Delhi has turned into a gas chamber due to smoke from crop burning in neighbouring states"), that are not the
page's first line (its headline), not a heading (every word capitalised) and not another post's signature, while
the post stays within ``MAX_POST_CHARS``. An article paragraph ends with a closing mark; a post's earlier lines
that do too ("We must apply a system of compassion to criminal justice.") are left out.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.tokens import Span as TokenSpan

from presslens.actors import Actor, ActorResolver
from presslens.attribution.rules import Attribution
from presslens.text.clean import Span
from presslens.text.lexicon import TITLE_WORDS
from presslens.text.tokens import doc_text

_SIGNATURE = re.compile(
    r"^[ \t]*[—–-][ \t]*(?P<name>[^\n()@]{2,60}?)[ \t]*\(@\w{1,30}\)[ \t]*"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4}[ \t]*$",
    re.MULTILINE,
)
_LINK_TAIL = re.compile(r"(?:\s*(?:pic\.twitter\.com/\S+|https?://t\.co/\S+|by @\w+))+\s*$")
MAX_POST_CHARS = 400  # a post is at most 280 characters, links aside


_CLOSING = ".?!:;\"”’)…]"


def _heading(line: str) -> bool:
    words = [w for w in line.split() if w[0].isalpha()]
    return bool(words) and len(words) <= 10 and all(w[0].isupper() for w in words)


def _post_lines(text: str, signature_start: int) -> list[Span] | None:
    """The post's lines above the signature, top to bottom (module docstring), when they can be one post: four
    words or more, not too long."""
    end = text.rfind("\n", 0, signature_start)
    if end < 0:
        return None
    start = text.rfind("\n", 0, end) + 1
    lines = [(start, end)]
    size = len(_LINK_TAIL.sub("", text[start:end]).strip())
    while start > 0:
        above_start = text.rfind("\n", 0, start - 1) + 1
        above = text[above_start : start - 1].strip()
        if (
            above_start == 0
            or not above
            or above[-1] in _CLOSING
            or _SIGNATURE.match(text, above_start)
            or _heading(above)
            or size + len(above) > MAX_POST_CHARS
        ):
            break
        size += len(above)
        lines.insert(0, (above_start, start - 1))
        start = above_start
    core = " ".join(_LINK_TAIL.sub("", text[s:e]) for s, e in lines)
    if size > MAX_POST_CHARS or sum(w.isalpha() for w in core.split()) < 4:
        return None  # "*min. 25 snaps": a post's footnote, no statement
    return lines


def _words_of(text: str, span: Span) -> Span:
    """*span* without its surrounding white space and trailing links."""
    s, e = span
    core = _LINK_TAIL.sub("", text[s:e]).rstrip()
    lead = len(core) - len(core.lstrip())
    return (s + lead, s + len(core))


def _owner(resolver: ActorResolver, name: TokenSpan, words: str) -> Actor | None:
    """The actor the signature names, when its name (titles aside) is all the actor's: "Rep. Ilhan Omar" is Ilhan
    Omar, "The Nigerian Senate" the Nigerian Senate, but the account "PFF CLE Browns" is not the Browns."""
    actor = resolver.resolve(name.start, name.end, name.root.i)
    if actor is None:
        return None
    own = {w for n in [actor.name, *actor.aliases] for w in n.split()}
    signed = [w for w in words.split() if w.lower() not in TITLE_WORDS and w.lower() != "the"]
    return actor if signed and all(w in own for w in signed) else None


def embedded_posts(doc: Doc, resolver: ActorResolver) -> list[tuple[Span, Attribution]]:
    """Each embedded post with text: its lines' extent, and a direct attribution of its words (links aside, one
    piece a line) to the signed name."""
    text = doc_text(doc)
    out = []
    for m in _SIGNATURE.finditer(text):
        lines = _post_lines(text, m.start())
        name = doc.char_span(m.start("name"), m.end("name"), alignment_mode="expand")
        if lines is None or name is None or not len(name):
            continue
        words = [w for w in (_words_of(text, ln) for ln in lines) if w[1] > w[0]]
        dash = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t"))
        actor = _owner(resolver, name, m.group("name"))
        speaker = (name.start_char, name.end_char)
        post = Attribution("direct", words, [(dash, dash + 1)], speaker, name.root.i, actor, 0.8)
        out.append(((lines[0][0], lines[-1][1]), post))
    return out


def with_posts(found: list[Attribution], posts: list[tuple[Span, Attribution]]) -> list[Attribution]:
    """*found* with each post added and the attributions inside a post's line left out: their source is the
    post's author ("I urge ..." in Kejriwal's tweet), unless a speaker outside the post is named."""
    if not posts:
        return found

    def inside(a: Attribution, line: Span, p: Attribution) -> bool:
        ps, pe = line
        in_post = all(ps <= s and e <= pe for s, e in a.content)
        speaker_in = a.speaker_span is None or ps <= a.speaker_span[0] < pe
        return (in_post and speaker_in) or a.cue == p.cue

    kept = [a for a in found if not any(inside(a, line, p) for line, p in posts)]
    kept.extend(p for _line, p in posts)
    kept.sort(key=lambda a: a.start)
    return kept
