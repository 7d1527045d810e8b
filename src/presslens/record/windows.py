"""Long articles through spaCy's own stages in bounded windows, so memory grows linearly with the article.

spaCy's token-to-vector layer, parser and entity recogniser hold intermediate arrays for the whole ``Doc`` at
once (about 13 KB per token on ``en_core_web_sm``): a 1,000,000-character article would need gigabytes. A text
longer than :data:`WINDOW_CHARS` is cut at paragraph breaks into windows of at most that many characters;
spaCy's stages (everything before ``presslens_actors``) run on each window, the windows are joined back into
one ``Doc`` (same text, tokens, tags, parse, entities, sentence starts and ``doc.tensor``), and the presslens
stages then run on the whole article. Texts up to :data:`WINDOW_CHARS` are not touched; for longer ones the
tokens and parses next to a window's edge may differ slightly from one run over the whole text.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from presslens.text.clean import find_headline, find_teasers, paragraphs

#: Texts longer than this many characters are run through spaCy's stages in windows of at most this size.
WINDOW_CHARS = 50_000
#: The first presslens stage that needs the whole article; the stages before it run per window.
FIRST_WHOLE_STAGE = "presslens_actors"


def windows(text: str, size: int = WINDOW_CHARS) -> Iterator[tuple[int, int]]:
    """``(start, end)`` pieces covering *text* exactly, each at most *size* characters, cut after a blank
    line where there is one in the second half of the piece, else after a line break, else after a space."""
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            half = start + size // 2
            for sep in ("\n\n", "\n", " "):
                cut = text.rfind(sep, half, end)
                if cut >= 0:
                    end = cut + len(sep)
                    break
        yield start, end
        start = end


def run_windowed(nlp: Language, text: str, size: int = WINDOW_CHARS) -> Doc:
    """``nlp(text)``, with spaCy's stages run window by window when *text* is longer than *size*."""
    if len(text) <= size:
        return nlp(text)
    names = nlp.pipe_names
    split = names.index(FIRST_WHOLE_STAGE) if FIRST_WHOLE_STAGE in names else len(names)
    early, late = nlp.pipeline[:split], nlp.pipeline[split:]
    parts = []
    for start, end in windows(text, size):
        part = nlp.make_doc(text[start:end])
        for _, proc in early:
            part = proc(part)
        parts.append(part)
    doc = Doc.from_docs(parts, ensure_whitespace=False, exclude=["user_data"])
    del parts
    if doc.text != text:  # pragma: no cover - windows cover the text exactly
        raise RuntimeError("windowed analysis changed the text")
    # What presslens_paragraphs records on the Doc, for the whole article (sentence starts came per window).
    paras = paragraphs(text)
    doc._.presslens_paragraphs = paras
    doc._.presslens_ignored = find_teasers(text, paras)
    doc._.presslens_headline = find_headline(text, paras)
    for _, proc in late:
        doc = proc(doc)
    return doc
