"""Only real attributions: a check after the tagger and the rules have proposed and grouped them.

An attribution stays when its cue reports speech, writing, a claim, a belief or a report (a speech or cognition
verb or noun, "according to", a colon or dash with a source) and its source can speak (a person, organisation,
document or study, a pronoun of one). Dropped: ordinary actions ("He later died of his injuries"), plans nobody
voices ("X is deciding between ..."), a thing as the subject of "shows/suggests/finds" unless it is a document
or study ("the report found" stays), headline labels taken for speakers ("UPDATED:", "WATCH:"). Negated speech
("did not say", "denied saying") stays, marked ``negated``. A content that carries a second source ("..., X said,
..., according to Reuters") is split in two.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from presslens.actors import ActorResolver, product_name
from presslens.attribution.rules import Attribution, char_span
from presslens.attribution.vocabulary import (
    ACCUSATIVE,
    ACTION_VERBS,
    ADVOCACY_VERBS,
    ANNOUNCED_NOUNS,
    ANYONE,
    BULLETS,
    CONDITION_MARKS,
    DEAL_NOUNS,
    DEAL_VERBS,
    DECISION_VERBS,
    DELIBERATION_VERBS,
    DENIAL_VERBS,
    DOCUMENT_NOUNS,
    EMPTY_IT_VERBS,
    EVIDENCE_VERBS,
    FIRST_PERSON,
    HANDING_VERBS,
    HYPOTHETICAL_MODALS,
    INSTRUMENT_NOUNS,
    KNOWING_VERBS,
    MEDIA_NOUNS,
    NAMING_VERBS,
    NEGATORS,
    NOBODY,
    OBJECT_ONLY_VERBS,
    OBJECT_PRONOUNS,
    RESPONSE_NOUNS,
    SPEECH_CORE,
    STANCE_VERBS,
    SUPPOSED_BELIEF_VERBS,
    THING_NOUNS,
)
from presslens.text.clean import Span
from presslens.text.lexicon import CUE_NOUNS, SPEECH_VERBS
from presslens.text.tokens import doc_text

LABEL_PREFIX = re.compile(
    r"^(?:UPDATED?|WATCH|CLAIM|BREAKING(?: NEWS)?|EXCLUSIVE|VIDEO|PHOTOS?|LIVE|ANALYSIS|OPINION|EDITORIAL|"
    r"FACT[ -]?CHECK|READ(?: MORE)?|RELATED|ALSO(?: READ)?|LISTEN|SEE ALSO|MORE|GALLERY|TRENDING|CORRECTION|"
    r"EDITOR'?S NOTE|NOTE|SPONSORED|ADVERTISEMENT|PHOTO|WARNING|ALERT|SOURCES?|CREDITS?|DEAR [A-Z ]+|DISCLOSURE|"
    r"DISCLAIMER|(?:COVER |FEATURED |TOP |HEADER |LEAD )?IMAGE|CAPTION|PICTURED|FILE PHOTO|TAGS|TOPICS|FILED UNDER|"
    r"UP NEXT|(?:NEW |HOT |TODAY'?S )?(?:RELEASE|PRICE DROP|DEALS?|SALE|LOWEST PRICE))\s*$",
    re.IGNORECASE,
)
_SECTION_TAG = re.compile(r"\[[A-Z][A-Z ]+\]\s*\|?\s*$")
# A dateline with its agency taken for a speaker: "LONDON (AP", "Hong Kong (CNN Business)A".
_DATELINE_AGENCY = re.compile(r"^[A-Z][\w .,'’-]*\s\((?:AP|Reuters|AFP|UPI|CNN|Bloomberg|Xinhua|dpa|RTTNews)\b")
# Below this confidence an attribution without quotation marks is dropped (PolNeAR dev: under 0.6, fewer than
# one in three matches a gold attribution).
MIN_CONFIDENCE = 0.6
# Which attributions without quotation marks records keep (``component.QuotesComponent``):
# "all" (down to MIN_CONFIDENCE: the research and benchmark setting), or "likely" (the default: from 0.7; on real
# pages, of those between 0.6 and 0.7 only about one in five is an attribution, against 57% matching gold on
# PolNeAR dev; docs/attribution-model-card.md).
QUOTE_KEEP = {"likely": 0.7, "all": MIN_CONFIDENCE}


class Verifier:
    """Checks, drops, splits and marks the attributions of one document."""

    def __init__(
        self,
        doc: Doc,
        resolver: ActorResolver,
        quoted_chars: list[Span] | None = None,
        min_confidence: float = MIN_CONFIDENCE,
    ):
        self.doc = doc
        self.min_confidence = min_confidence
        self.text = doc_text(doc)
        self.resolver = resolver
        self.quoted = quoted_chars or []

    def _tokens(self, span: Span) -> list[Token]:
        sp = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        return list(sp) if sp is not None else []

    def _content_words(self, a: Attribution) -> list[Token]:
        """The tokens of an attribution's content, without spaces and punctuation."""
        return [t for s, e in a.content for t in self._tokens((s, e)) if not (t.is_space or t.is_punct)]

    @staticmethod
    def _root(toks: list[Token]) -> Token | None:
        """The first of *toks* whose head is outside them (or itself): the head of the phrase they make."""
        inside = {t.i for t in toks}
        return next((t for t in toks if t.head.i == t.i or t.head.i not in inside), None)

    def _cue_tokens(self, a: Attribution) -> list[Token]:
        return [t for s in a.cue for t in self._tokens(s)]

    @staticmethod
    def _cue_head(toks: list[Token]) -> Token | None:
        words = [t for t in toks if t.pos_ in ("VERB", "NOUN", "ADJ", "AUX") or t.tag_.startswith("VB")]
        if not words:
            return None
        inside = {t.i for t in toks}
        roots = [t for t in words if t.head.i not in inside or t.head.i == t.i]
        return (roots or words)[0]

    # ----- the checks ---------------------------------------------------------------------------------
    def cue_reports(self, a: Attribution) -> bool:
        """The cue reports speech or belief (or is punctuation, a preposition: "in a statement")."""
        toks = [t for t in self._cue_tokens(a) if not t.is_space]
        if not toks:
            return True  # no cue: a continuation or a quote on its own, judged elsewhere
        if not any(t.is_alpha for t in toks):
            return True  # ":" or a dash before a name
        if any(t.lemma_.lower() in SPEECH_VERBS or t.lower_ in CUE_NOUNS or t.lower_ == "according" for t in toks):
            return True
        head = self._cue_head(toks)
        if head is not None and head.lemma_.lower() == "push" and any(c.lower_ == "for" for c in head.children):
            return True  # "pushed for greater use of SLS": advocacy, a stance voiced
        if head is not None and head.lemma_ == "be":  # "has been eager to": the adjective says what is reported
            inside = {t.i for t in toks}
            head = next((c for c in head.children if c.dep_ == "acomp" and c.i in inside), head)
        if head is not None and head.pos_ == "NOUN" and self._number_speaker(a):
            return False  # "six counts of aggravated sexual assault": a count of things, no one speaking
        if head is not None and head.lemma_.lower() == "refer" and any(c.dep_ == "dobj" for c in head.children):
            return False  # "His doctor referred him to a clinic", "referred the call to police": sent on, not said
        return head is None or head.lemma_.lower() not in ACTION_VERBS

    def _number_speaker(self, a: Attribution) -> bool:
        if a.speaker_span is None:
            return False
        toks = [t for t in self._tokens(a.speaker_span) if not (t.is_space or t.is_punct)]
        return bool(toks) and all(t.like_num for t in toks)

    def no_statement_content(self, a: Attribution) -> bool:
        """A content that states nothing: a bare relative pronoun or pronoun ("which", "it": the statement is
        elsewhere, or there is none), a number ("called 911"), or a recording handed over ("released the body camera
        footage", "shared a clip of ..."). A quotation is never judged here."""
        if a.kind == "direct":
            return False
        toks = self._content_words(a)
        words = [t for t in toks if t.is_alpha]
        if not words and toks and all(t.like_num for t in toks):
            return True  # "called 911"
        if words and all(t.is_stop or t.pos_ == "PRON" for t in words) and len(words) <= 2:
            return True  # "which", "it", "that"
        if words and words[0].tag_ == "PRP" and words[0].lower_ in ACCUSATIVE and self._finding(a):
            return True  # "they found her buried in a clothes basket": someone found, and how, nothing said
        if words and words[0].pos_ == "PRON" and words[0].lower_.endswith(("self", "selves")):
            return True  # "found myself ready to tackle ...": the source's own state, nothing said
        head = self._cue_head(self._cue_tokens(a))
        root = self._root(toks)
        if (
            head is not None
            and head.lemma_.lower() in DEAL_VERBS
            and root is not None
            and root.dep_ == "dobj"
            and root.lemma_.lower() in DEAL_NOUNS
        ):
            return True  # "Jose Mourinho has agreed a deal to replace ...": a deal made, not a statement
        if head is None or head.lemma_.lower() not in HANDING_VERBS:
            return False
        if root is not None and root.pos_ == "PROPN" and not any(t.pos_ in ("VERB", "AUX") for t in toks):
            return any(product_name(t.text) for t in toks)  # "Apple released the 11-inch iPad Pro"
        return root is not None and root.pos_ == "NOUN" and root.lemma_.lower() in MEDIA_NOUNS

    def _finding(self, a: Attribution) -> bool:
        head = self._cue_head(self._cue_tokens(a))
        return head is not None and head.lemma_.lower() in ("find", "discover", "see", "spot")

    def deliberation(self, a: Attribution) -> bool:
        """ "X is deciding between ...": a plan or deliberation in the progressive, voiced by nobody."""
        head = self._cue_head(self._cue_tokens(a))
        if head is None or head.lemma_.lower() not in DELIBERATION_VERBS or head.tag_ != "VBG":
            return False
        return any(c.dep_ == "aux" and c.lemma_ == "be" for c in head.children)

    def was_asked(self, a: Attribution) -> bool:
        """The source is the one asked, not the one asking: "Cam Heyward, asked about the league's decision, said
        ...", "When asked about ...", "I am asked to speak": the question's topic or the request is no statement
        of the source's (what it then says is an attribution of its own)."""
        toks = self._cue_tokens(a)
        head = self._cue_head(toks)
        if head is None or head.lemma_.lower() != "ask" or a.kind == "direct":
            return False
        if any(c.dep_ == "auxpass" for c in head.children):
            return True  # "I am asked to speak"
        first = min(toks, key=lambda t: t.i)
        before = self.doc[first.i - 1] if first.i > 0 else None
        if before is not None and before.lower_ in ("when", "if", "after", "before"):
            return True  # "when asked about"
        if head.tag_ == "VBN" and not any(c.dep_ in ("aux", "nsubj") for c in head.children):
            return True  # "Asked about the Muslim Brotherhood, he ..."
        # "Heyward, asked about X, said": a participle set off by commas right after the speaker's name
        # (a finite "asked", the sentence's verb, is a question: "Rep. Lucas, the ranking member, asked about")
        return before is not None and before.text == "," and head.dep_ in ("advcl", "acl")

    def _source_token(self, a: Attribution) -> Token | None:
        if a.speaker_head is not None and 0 <= a.speaker_head < len(self.doc):
            return self.doc[a.speaker_head]
        head = self._cue_head(self._cue_tokens(a))
        if head is None:
            return None
        return next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)

    def thing_as_source(self, a: Attribution) -> bool:
        """ "The video shows ...", "the numbers suggest ...": a thing, not a document or study, as the source."""
        head = self._cue_head(self._cue_tokens(a))
        if head is None or head.lemma_.lower() not in EVIDENCE_VERBS:
            return False
        src = self._source_token(a)
        if src is None:
            return False
        low = src.lower_
        if src.pos_ == "NOUN" and low in INSTRUMENT_NOUNS and src.ent_type_ == "":
            return True  # "NASA's Galileo spacecraft found evidence": the craft, not NASA, is the subject
        if a.actor is not None or src.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or src.pos_ == "PROPN":
            return False
        if low in DOCUMENT_NOUNS or src.lemma_.lower() in DOCUMENT_NOUNS:
            return False  # "the report found": the report is the source
        return low in THING_NOUNS

    def nested(self, a: Attribution) -> bool:
        """A cue inside quotation marks with its content in the same quotation ("“... we believe X ...,” he
        said"): the quoted speaker's own words, already attributed as a whole."""
        if not a.cue or a.kind != "indirect":
            return False
        for s, e in self.quoted:
            if s <= a.cue[0][0] and a.cue[-1][1] <= e and all(s <= cs and ce <= e for cs, ce in a.content):
                return True
        return False

    def list_line(self, a: Attribution) -> bool:
        """A colon that labels a line rather than introducing what a source says: a list ("Christopher L. Tays:
        Two warrants, possession of marijuana"), a line with no verb ("Cover image: artist's impression of ...",
        "Spain (Group F): 11th appearance"), an item of a bulleted list ("- NASA: The International Space Station
        Is Open for Business"), a dateline ("Washington, DC, United States: Getting to the Moon ...")."""
        if len(a.cue) != 1 or self.text[a.cue[0][0] : a.cue[0][1]].strip() != ":" or a.kind == "direct":
            return False
        if a.speaker_span is not None:
            line = self.text[self.text.rfind("\n", 0, a.speaker_span[0]) + 1 : a.speaker_span[0]]
            if line.strip() in BULLETS or self.text[a.speaker_span[0]] in BULLETS:
                return True
            who = self.text[a.speaker_span[0] : a.speaker_span[1]]
            if not line.strip() and "," in who and a.actor is not None and a.actor.kind in ("country", "other"):
                return True  # a dateline: a place, then its state or country
        toks = [t for s, e in a.content for t in self._tokens((s, e))]
        if not toks or sum(t.is_title for t in toks) > len(toks) / 2:
            return False  # a headline "Poll: Wealthy Voters Abandon ..." is a statement, not a list
        if not any(t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB") or t.tag_ == "MD" for t in toks):
            return True  # no verb at all: a caption, a count ("Spain (Group F): 11th appearance")
        if not any(t.text == "," for t in toks):
            return False
        return not any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in toks)

    def link_line(self, a: Attribution) -> bool:
        """A line of links to other stories: headlines run together with bars ("Progressives oppose funding bill
        | Senators call for ... | Facebook gets questions ...") or one ending with a section tag ("China furious at
        Macron for Hong Kong protest jibe [INSIGHT]", "Lakers vs Nets: NBA make final decision ... [VIDEO]")."""
        s = a.content[0][0]
        end = self.text.find("\n", s)
        line = self.text[self.text.rfind("\n", 0, s) + 1 : len(self.text) if end < 0 else end]
        return any(" | " in self.text[cs:ce] for cs, ce in a.content) or bool(_SECTION_TAG.search(line))

    def naming(self, a: Attribution) -> bool:
        """ "a poem called “Winter Solstice”", "a better USB-C spec called PD", "what's called “feather duvet
        lung”": a name given to a thing, not a statement (a participle after a noun, or a passive with no agent)."""
        head = self._cue_head(self._cue_tokens(a))
        if head is None or head.lemma_.lower() not in NAMING_VERBS or head.tag_ != "VBN":
            return False
        kids = list(head.children)
        if any(c.lower_ in ("for", "on", "upon") for c in kids) and not any(c.dep_ in ("dobj", "oprd") for c in kids):
            return False  # "who called Friday for releasing the videos": a demand voiced
        if head.dep_ == "acl":
            return True
        passive = any(c.dep_ == "auxpass" for c in head.children)
        return passive and not any(c.dep_ == "agent" for c in head.children)

    def object_speaker(self, a: Attribution) -> bool:
        """ "makes me want to get out", "let us know what ...": an object pronoun is no speaker (unless the
        cue is a verb of speech: "let me say this")."""
        if self._speaker_outside(a) not in OBJECT_PRONOUNS:
            return False
        head = self._cue_head(self._cue_tokens(a))
        return head is None or head.lemma_.lower() not in SPEECH_CORE

    def _speaker_outside(self, a: Attribution) -> str | None:
        """The speaker phrase in lower case, when there is one outside quotation marks (the outlet's own words)."""
        if a.speaker_span is None or self._in_quotes(a.speaker_span[0]):
            return None
        return self.text[a.speaker_span[0] : a.speaker_span[1]].strip().lower()

    def second_person(self, a: Attribution) -> bool:
        """ "You should have notified the police": the reader addressed (an advice column), not a source."""
        return self._speaker_outside(a) in ("you", "y'all", "you all")

    def empty_subject(self, a: Attribution) -> bool:
        """ "It would seem that ...", "it made a certain sense that ...", "It shouldn't escape notice that ...":
        a bare "it" whose verb takes an empty subject, or names something no source says (``EMPTY_IT_VERBS``), is
        no source; and "That said, ..." is a turn of phrase. An organisation's "it" with a verb of speech or
        stance ("it said", "it attacked Trump, saying", "it referenced ...") stays."""
        who = self._speaker_outside(a)
        if who == "that" and a.cue:
            return (
                self.text[a.cue[-1][0] : a.cue[-1][1]].strip().lower() == "said"
                and self.text[a.cue[-1][1] : a.cue[-1][1] + 1] == ","
            )
        if who != "it":
            return False
        toks = [t for t in self._cue_tokens(a) if t.is_alpha]
        if not toks or any(t.lower_ in CUE_NOUNS or t.lower_ == "according" for t in toks):
            return False
        head = self._cue_head(toks)
        return head is not None and head.lemma_.lower() in EMPTY_IT_VERBS

    def label_speaker(self, a: Attribution) -> bool:
        """A headline label ("UPDATED:", "WATCH:", "CLAIM:") taken for a speaker."""
        if a.speaker_span is None:
            return False
        return bool(LABEL_PREFIX.match(self.text[a.speaker_span[0] : a.speaker_span[1]].strip(" :")))

    def negated(self, a: Attribution) -> bool:
        """ "did not say", "never claimed", "denied saying", "declined to say whether"."""
        head = self._cue_head(self._cue_tokens(a))
        if head is None:
            return False
        lemma = head.lemma_.lower()
        denied = any(c.dep_ == "neg" or c.lower_ in NEGATORS and c.dep_ in ("advmod", "neg") for c in head.children)
        if lemma in SPEECH_CORE and denied:
            return True  # "did not say", "never claimed" (not "doesn't think": a belief, held)
        giving = lemma in ("offer", "make", "give", "provide", "have", "issue", "return", "send")
        for obj in (c for c in head.children if giving and c.dep_ == "dobj" and c.lemma_.lower() in RESPONSE_NOUNS):
            if denied or any(d.lower_ == "no" and d.dep_ == "det" for d in obj.children):
                return True  # "did not offer a response", "made no mention of"
        if lemma in DENIAL_VERBS or lemma == "refusal":
            return any(
                c.dep_ in ("xcomp", "pcomp", "ccomp", "acl") and c.pos_ == "VERB" and c.lemma_.lower() in SPEECH_CORE
                for c in head.children
            )  # "denied saying", "declined to say", "his refusal to say" (not "denied the claims": a statement)
        return False

    # ----- splitting ----------------------------------------------------------------------------------
    def _in_quotes(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.quoted)

    def split_second_source(self, a: Attribution) -> Attribution | None:
        """A content piece with its own "according to SOURCE" (the attribution's cue being another) becomes an
        attribution of that source: "A, X said, which is targeting B, according to Reuters"."""
        if len(a.content) < 2 or any("accord" in self.text[s:e].lower() for s, e in a.cue):
            return None
        for k, (s, e) in enumerate(a.content):
            after_piece = self.text[e : e + 16]
            gap = len(after_piece) - len(after_piece.lstrip(" ,;—–-"))
            if k > 0 and after_piece[gap:].lower().startswith("according to"):
                e2 = e + gap + len("according to")
                toks = self._tokens((s, min(len(self.text), e2 + 1)))  # the piece and "according to" after it
            else:
                toks = self._tokens((s, e))
            acc = next(
                (
                    t
                    for t in toks
                    if t.lower_ == "according"
                    and t.i + 1 < len(self.doc)
                    and self.doc[t.i + 1].lower_ == "to"
                    and not self._in_quotes(t.idx)
                ),
                None,
            )
            if acc is None:
                continue
            to = self.doc[acc.i + 1]
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if obj is None:
                continue
            ss, se = obj.left_edge.i, obj.right_edge.i + 1
            while se > ss and (self.doc[se - 1].is_punct or self.doc[se - 1].is_space):
                se -= 1
            if se <= ss:
                continue
            before = self.text[s : acc.idx].rstrip(" ,;—–-")
            after_start = self.doc[se - 1].idx + len(self.doc[se - 1].text)
            after = self.text[after_start:e].strip(" ,;.—–-")
            pieces = []
            if len(before.split()) >= 2:
                pieces.append((s, s + len(before)))
            if len(after.split()) >= 2:
                a0 = after_start + self.text[after_start:e].index(after)
                pieces.append((a0, a0 + len(after)))
            if not pieces:
                continue
            del a.content[k]
            actor = self.resolver.resolve(ss, se, obj.i)
            return Attribution(
                "indirect",
                pieces,
                [char_span(self.doc, acc.i, acc.i + 2)],
                char_span(self.doc, ss, se),
                obj.i,
                actor,
                a.confidence,
            )
        return None

    def trim_dateline(self, a: Attribution) -> None:
        """ "SIOUX FALLS, S.D. — Gov. Kristi Noem said": the speaker is what follows the dateline's dash."""
        if a.speaker_span is None:
            return
        s, e = a.speaker_span
        words = self.text[s:e]
        cut = max(words.rfind(" — "), words.rfind(" – "), words.rfind(" -- "))
        if cut < 0:
            if (s == 0 or self.text[s - 1] == "\n") and _DATELINE_AGENCY.match(words):
                a.speaker_span, a.speaker_head, a.actor = None, None, None  # "LONDON (AP" is where, not who
            return
        sp = self.doc.char_span(s + cut + 3, e, alignment_mode="expand")
        while sp is not None and len(sp) and (sp[0].is_punct or sp[0].is_space):
            sp = sp[1:]
        if sp is None or not len(sp):
            return
        a.speaker_span = (sp.start_char, sp.end_char)
        a.speaker_head = sp.root.i
        a.actor = self.resolver.resolve(sp.start, sp.end, sp.root.i)

    def own_sentence(self, a: Attribution) -> None:
        """Reported speech does not reach back over a sentence end to words outside quotation marks: "An augmented
        reality touch screen ... . VW says the car is a preview ..." reports what VW says, not the sentence before
        (a quotation of several sentences, or a content that goes on after its cue, stays whole)."""
        if a.kind != "indirect" or len(a.content) < 2 or not a.cue:
            return
        cue = self.doc.char_span(a.cue[0][0], a.cue[0][1], alignment_mode="expand")
        if cue is None or not len(cue):
            return
        start = cue[0].sent.start_char
        kept = [(cs, ce) for cs, ce in a.content if ce > start or self._in_quotes(cs) or self._in_quotes(cs + 1)]
        if kept and len(kept) < len(a.content):
            a.content = kept

    def _kept(self, a: Attribution) -> bool:
        """Confident enough for the records: a quotation always (by default not a bare term, ``_bare_term``);
        reported speech from ``self.min_confidence`` (``QUOTE_KEEP``), or from ``MIN_CONFIDENCE`` when it is a line
        a named actor signs (``_signed``). By default ("likely") reported speech also needs a source and a cue of
        speech, belief or stance (``_voiced``): on real pages few others are attributions
        (docs/hand-check-speakers.md, eleventh round)."""
        if a.kind == "direct":
            return not (self.min_confidence > MIN_CONFIDENCE and self._bare_term(a))
        if self.min_confidence > MIN_CONFIDENCE and (not self._voiced(a) or self._object_only(a) or self._unvoiced(a)):
            return False
        return a.confidence >= self.min_confidence or (a.confidence >= MIN_CONFIDENCE and self._signed(a))

    def _bare_term(self, a: Attribution) -> bool:
        """A quotation of three words or fewer that nobody is said to say: a term in quotation marks ("by saying
        “Hey Siri”", "“Ground Game.”", a headline's "Alarming mortality rate"), not a statement."""
        if a.speaker_span is not None or a.actor is not None:
            return False
        return sum(len(re.findall(r"\w+", self.text[s:e])) for s, e in a.content) <= 3

    def _voiced(self, a: Attribution) -> bool:
        """Reported speech a reader would take for an attribution: it has a source, and its cue is a verb (or noun)
        of speech, belief or stance, punctuation, or "according to" (or it says what the source did not say).
        "went in search of", "proceeded to share", "launched marches", "is typically negotiated", "contains" are
        not; nor "A case of the bubonic plague was reported", with no source."""
        if a.kind == "indirect" and a.speaker_span is None and a.actor is None:
            return False
        toks = [t for t in self._cue_tokens(a) if not t.is_space]
        if a.negated or not any(t.is_alpha for t in toks):
            return True
        if any(t.lemma_.lower() in ADVOCACY_VERBS and any(c.lower_ == "for" for c in t.children) for t in toks):
            return True  # "pushed for greater use of the rocket": a stance voiced
        return any(
            t.lemma_.lower() in SPEECH_VERBS or t.lemma_.lower() in STANCE_VERBS or t.lower_ in STANCE_VERBS
            or t.lower_ in CUE_NOUNS
            or t.lower_ == "according"
            for t in toks
        )  # fmt: skip

    def _object_only(self, a: Attribution) -> bool:
        """A verb that reports speech only with a clause, here with a thing as its object or a plan: "concluded
        its third public hearing on ...", "Lexus revealed the LC Convertible Concept", "dismissed a chest X-ray as
        normal", "decided to reopen the investigation", "resolved to observe a minute of silence", "failed to
        answer the invitation", "where he posts new marketing findings"."""
        if a.kind != "indirect" or a.negated:
            return False
        cue = self._cue_tokens(a)
        head = self._cue_head(cue)
        if head is None:
            return False
        inside = {t.i for t in cue}
        chain = [head]  # "failed to answer": the verb the cue leads to
        while (nxt := next((c for c in chain[-1].children if c.dep_ == "xcomp" and c.i in inside), None)) is not None:
            chain.append(nxt)
        toks = self._content_words(a)
        if not toks:
            return False
        if chain[0].lemma_.lower() in DECISION_VERBS and (len(chain) > 1 or toks[0].lower_ == "to"):
            return True
        head = chain[-1]
        if head.lemma_.lower() not in OBJECT_ONLY_VERBS:
            return False
        root = self._root(toks)
        if (
            root is not None
            and root.dep_ == "dobj"
            and root.head.i == head.i
            and root.pos_ in ("NOUN", "PROPN")
            and root.lemma_.lower() not in ANNOUNCED_NOUNS
            and not any(t.pos_ in ("VERB", "AUX") and self._finite(t) and t.dep_ not in ("relcl", "acl") for t in toks)
        ):
            return True  # a thing as the verb's object, with a phrase hung on it ("abusing his office", "to ponder")
        return not any(t.pos_ in ("VERB", "AUX") for t in toks)

    @staticmethod
    def _finite(t: Token) -> bool:
        """A verb with a clause of its own: finite, or bare after a subject ("recommends all individuals get a flu
        vaccine"), not a participle nor an infinitive with "to"."""
        if t.tag_ in ("VBG", "VBN", "TO"):
            return False
        return not (t.tag_ == "VB" and any(c.tag_ == "TO" for c in t.children))

    def _unvoiced(self, a: Attribution) -> bool:
        """Reported speech that no source voices: nobody ("no one knows ..."), the writer's own "I" or "we" with a
        verb that is not one of speech ("As I write this review", "I wish I still had ..."), someone unnamed with
        a modal ("some might find it strange"), the subject of a passive with no agent ("is expected to go on
        sale"), knowing negated ("Taylor didn't know at the time that ..."), a thought that leads to an act ("don't
        think to ask about bedding"), a suspicion as a noun ("a man suspect of committing ..."), a telephone call
        ("put in a call to the clinic"), the one spoken to taken for the content ("further claimed to the
        outlet") or a belief supposed in a condition ("if they really believed that ...")."""
        if a.kind != "indirect" or a.negated:
            return False
        who = self._speaker_outside(a)
        cue = self._cue_tokens(a)
        head = self._cue_head(cue)
        if who in NOBODY:
            return True
        if head is None:
            return False
        lemma = head.lemma_.lower()
        if who in FIRST_PERSON and not any(t.lemma_.lower() in SPEECH_CORE for t in cue):
            return True
        if who in ANYONE and any(c.tag_ == "MD" and c.lower_ in HYPOTHETICAL_MODALS for c in head.children):
            return True
        if lemma in SUPPOSED_BELIEF_VERBS and any(
            c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in head.children
        ):
            return True  # "if they really believed that ...": a belief the writer supposes
        src = self._source_token(a)
        if (
            src is not None
            and src.dep_ == "nsubjpass"
            and src.head.i == head.i
            and lemma not in ("quote", "cite")
            and not any(c.dep_ == "agent" for c in head.children)
        ):
            return True  # "is expected to go on sale", "was never viewed as": what is said of the subject, by nobody
        negated = any(c.dep_ == "neg" for c in head.children)
        if negated and lemma in KNOWING_VERBS:
            return True
        if lemma == "think" and any(c.dep_ == "xcomp" and c.pos_ == "VERB" for c in head.children):
            return True
        if any(t.lower_ == "suspect" and t.pos_ in ("NOUN", "ADJ") for t in cue):
            return True
        toks = self._content_words(a)
        if not toks or any(t.pos_ in ("VERB", "AUX") for t in toks):
            return False
        if any(t.lower_ == "call" and t.pos_ == "NOUN" and t.dep_ == "dobj" for t in cue):
            return True  # "put in a call to the urgent respiratory clinic"
        last = max(cue, key=lambda t: t.i)
        return last.lower_ == "to" and last.dep_ in ("prep", "dative") and lemma in SPEECH_CORE

    def _signed(self, a: Attribution) -> bool:
        """A line a named actor signs with a colon, named in two words or more: "Mayor Ana Ortiz: We will ...", the
        headline "... united with Gaza fighters: Quds Force chief" (the rules give these a fixed confidence of 0.6,
        not a probability); not an interview's "Q:" nor a match report's "Astronaut: Jaden Siemans 7 saves"."""
        if a.actor is None or a.speaker_span is None or len(a.cue) != 1:
            return False
        signer = [w for w in self.text[a.speaker_span[0] : a.speaker_span[1]].split() if w[:1].isalpha()]
        return self.text[a.cue[0][0] : a.cue[0][1]].strip() == ":" and len(signer) >= 2

    def verify(self, found: list[Attribution]) -> list[Attribution]:
        out: list[Attribution] = []
        for a in found:
            self.trim_dateline(a)
            self.own_sentence(a)
            if self.label_speaker(a) or not self.cue_reports(a) or self.deliberation(a) or self.thing_as_source(a):
                continue
            if self.was_asked(a):
                continue
            if self.nested(a) or self.list_line(a) or self.second_person(a) or self.empty_subject(a):
                continue
            if self.naming(a) or self.object_speaker(a) or self.link_line(a):
                continue
            if self.no_statement_content(a):
                continue
            if self.negated(a):
                a.negated = True
            if not self._kept(a):
                continue
            extra = self.split_second_source(a)
            out.append(a)
            if extra is not None and self._kept(extra):
                out.append(extra)
        out.sort(key=lambda a: a.start)
        return out


def verify(
    doc: Doc,
    found: list[Attribution],
    resolver: ActorResolver,
    quoted: list[Span] | None = None,
    min_confidence: float = MIN_CONFIDENCE,
) -> list[Attribution]:
    """The attributions of *found* that are real ones, split where a content has two sources, negated marked;
    those without quotation marks only from *min_confidence* (``QUOTE_KEEP``; ``Verifier._kept``)."""
    return Verifier(doc, resolver, quoted, min_confidence).verify(found)
