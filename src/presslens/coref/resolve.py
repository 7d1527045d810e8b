"""Resolve pronouns and descriptions to the actors of a document and add them to the actors' mentions.

Personal pronouns (he, she, his, her, him ...) go through the learned pair scorer in text order; "it", "its",
"they", "their" and descriptions ("the minister", "the chief diplomat", "the 71-year-old", "the company") are
resolved by rules: role and title agreement, gender of generic nouns, the nearest organisation before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import DEP, HEAD, LOWER, POS
from spacy.tokens import Doc, Token

from presslens.actors.model import next_actor_id
from presslens.actors.names import org_word_name
from presslens.coref.features import INDEX, DocContext, Entity, Mention, pair_features, role_of
from presslens.coref.gender import FEMININE, MASCULINE, NEUTER, PLURAL, name_p_female
from presslens.coref.model import PairScorer, default_scorer
from presslens.text.lexicon import ROLE_NOUNS
from presslens.text.quotemarks import OPEN_DOUBLE, STRAIGHT
from presslens.text.tokens import token_ints, token_strings

MALE_NOUNS = frozenset("man boy father son husband brother gentleman king prince actor".split())
FEMALE_NOUNS = frozenset("woman girl mother daughter wife sister lady queen princess actress".split())
PERSON_NOUNS = frozenset(
    "man woman boy girl person official spokesman spokeswoman spokesperson politician lawmaker legislator "
    "diplomat analyst expert scholar professor researcher author writer actor actress singer player coach "
    "manager executive founder candidate nominee victim suspect father mother son daughter husband wife "
    "veteran activist lawyer journalist reporter".split()
)
ORG_NOUNS = {
    "company": ("organization",),
    "firm": ("organization",),
    "group": ("organization", "group"),
    "organisation": ("organization", "group"),
    "organization": ("organization", "group"),
    "movement": ("organization", "group"),
    "militia": ("organization", "group"),
    "party": ("organization", "group"),
    "agency": ("organization",),
    "ministry": ("organization",),
    "bank": ("organization",),
    "network": ("organization", "group"),
    "outlet": ("organization",),
    "newspaper": ("organization",),
    "university": ("organization",),
    "union": ("organization", "group"),
    "alliance": ("organization", "group"),
    "utility": ("organization",),
    "airline": ("organization",),
    "studio": ("organization",),
    "label": ("organization",),
    "commission": ("organization",),
    "committee": ("organization",),
    "council": ("organization",),
    "board": ("organization",),
    "country": ("country",),
    "nation": ("country",),
    "state": ("country",),
    "kingdom": ("country",),
    "republic": ("country",),
}
# Descriptions that name a kind of organisation its name shows: "the commission" is an organisation whose name
# holds the word (the California Public Utilities Commission, not PG&E named just before it), "the label" one
# named "... Records", "the airline" one named "... Airways" (not Boeing); for all but the last four, only such a one.
NAMED_ORG_NOUNS: dict[str, tuple[str, ...]] = {
    "commission": ("commission",), "committee": ("committee",), "council": ("council",), "board": ("board",),
    "label": ("records", "label", "music"), "airline": ("air", "airline", "airlines", "airways"),
    "studio": ("studio", "studios", "pictures", "animation"),
    "agency": ("agency",), "ministry": ("ministry",), "bank": ("bank",), "university": ("university",),
}  # fmt: skip
_NAMED_ONLY = frozenset(list(NAMED_ORG_NOUNS)[:7])
# What a source issues, and the verbs of issuing: "the statement" speaks for whoever "issued a statement".
DOCUMENT_WORDS = frozenset({"statement", "release", "letter", "post", "tweet"})
ISSUING_VERBS = frozenset({"issue", "release", "put", "publish", "post", "share", "send", "tweet", "write", "make"})
# Last words of organisations that are no company: events, public bodies, parties, schools, leagues.
NOT_COMPANIES = frozenset(
    """awards award festival cup games championship championships olympics ministry department council committee
    commission party university college school court police army navy force forces parliament senate house
    assembly congress government administration league association union federation foundation church hospital
    agency office board authority institute""".split()
)
SYNONYMS = {
    "diplomat": ("foreign minister", "foreign secretary", "secretary of state", "ambassador", "envoy", "diplomat"),
    "commander": ("commander", "chief", "general", "gen."),
    "chief": ("chief", "head", "commander", "leader", "director"),
    "head": ("head", "chief", "leader", "director", "chairman", "commander"),
    "leader": ("leader", "head", "chief", "president", "commander", "prime minister"),
    "general": ("general", "gen.", "commander"),
    "minister": ("minister", "secretary"),
    "premier": ("prime minister", "premier"),
    "president": ("president",),
    "spokesman": ("spokesman", "spokesperson", "spokeswoman"),
    "spokeswoman": ("spokesman", "spokesperson", "spokeswoman"),
}
_AGE = re.compile(r"^\d+-year-old$")
_NOMINAL = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "appos", "attr"})
REACH = 3  # sentences back for rule-based links


@dataclass
class Link:
    """A pronoun or description resolved to an actor."""

    span: tuple[int, int]
    actor: Any
    kind: str  # "pronoun" | "description"
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"span": list(self.span), "actor": self.actor.id, "kind": self.kind, "score": round(self.score, 3)}


def _role_parts(actor: Any) -> list[str]:
    parts = [t.lower().strip() for t in getattr(actor, "titles", []) or []]
    return parts + [r.role.lower().strip() for r in getattr(actor, "roles", []) or []]


# Titles a bare "the president" does not name: a deputy's or a former holder's ("Vice President", "former ...").
_NOT_THE_OFFICE = re.compile(r"\b(?:vice|deputy|former|ex|acting|assistant)\b")


def _nearest_holder(persons: list[tuple[int, Any]], keys: tuple[str, ...], bare: bool) -> Any:
    """Of *persons* (latest first), the nearest whose title or role is one of *keys* itself, else the nearest whose
    title holds one ("Ukrainian President"); for a *bare* description ("the president") never a deputy's or a
    former holder's title."""
    for whole in (True, False):
        for _s, a in persons:
            parts = [p for p in _role_parts(a) if not (bare and _NOT_THE_OFFICE.search(p))]
            if any((k == p) if whole else (k in p) for p in parts for k in keys):
                return a
    return None


OPENING_QUOTES = frozenset(OPEN_DOUBLE) | {STRAIGHT, "‘", "'", "`"}  # a quotation's first character


# Nouns of more than one person: "The French duo" is not one of the two.
_COLLECTIVE = frozenset("duo pair couple trio team family group crew band".split())


class Resolver:
    def __init__(self, doc: Doc, scorer: PairScorer | None = None):
        self.doc = doc
        self.text = doc.text  # spaCy rebuilds Doc.text on every access: read it once
        self.actors: list[Any] = doc._.presslens_actors or []
        self.quotes: list[Any] = doc._.presslens_quotes or []
        self.scorer = scorer or default_scorer()
        self.ignored = [tuple(i.span) for i in (getattr(doc._, "presslens_ignored", None) or [])]
        self.quote_spans = [
            (min(c[0] for c in q.content), max(c[1] for c in q.content))
            for q in self.quotes
            if q.content and getattr(q, "kind", "direct") != "indirect"
        ]
        self.links: list[Link] = []
        self._introduced: list[tuple[Any, str, int]] = []  # (actor, noun, char): "The group, WeWorkers Coalition"
        self._nouns: dict[str, list[tuple[int, Any]]] | None = None  # see _introduced_as
        self._name_starts: list[tuple[int, int]] | None = None  # see _named_inside

    # ----- helpers ------------------------------------------------------------------------------------
    def _rejected(self, ent: Entity, ctx: DocContext) -> bool:
        """A name the actor layer left out as no actor ("the Black Death", "Siri"): no pronoun makes it one."""
        resolver = getattr(self.doc._, "presslens_resolver", None) if Doc.has_extension("presslens_resolver") else None
        first = next((m for m in ctx.mentions if m.entity is ent), None)
        return resolver is not None and first is not None and resolver.rejects(first.start, first.end, "PERSON")

    def _new_actor(self, ent: Entity, ctx: DocContext) -> Any:
        """An actor for a proper-noun run that no actor covered (a name the entity tagger missed)."""
        if self.actors:
            cls = type(self.actors[0])
        else:
            from presslens.actors import Actor as cls  # type: ignore[no-redef]
        actor = cls(id=next_actor_id(self.actors), name=ent.name, kind="person", label="PERSON")
        for m in ctx.mentions:
            if m.entity is ent:
                actor.add_mention((self.doc[m.start].idx, self.doc[m.end - 1].idx + len(self.doc[m.end - 1])))
        self.actors.append(actor)
        ent.actor = actor
        return actor

    def _assign(self, span: tuple[int, int], actor: Any, kind: str, score: float) -> None:
        for a in self.actors:
            if a is not actor and span in a.mentions:
                a.mentions.remove(span)
        actor.add_mention(span)
        for q in self.quotes:
            if q.speaker_span is not None and tuple(q.speaker_span) == span:
                q.actor = actor
        self.links.append(Link(span, actor, kind, score))

    def _skip(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.ignored)

    def _quote_of(self, char: int) -> tuple[int, int] | None:
        return next(((s, e) for s, e in self.quote_spans if s <= char < e), None)

    def _blocked(self, start: int, t: Token) -> bool:
        """A noun subject or object (not an actor) between a mention at *start* and the pronoun *t*: the
        nearer noun is the likelier antecedent of "it" or "they"."""
        plural = t.lower_ in PLURAL
        for k in range(t.i - 1, -1, -1):
            x = self.doc[k]
            if x.idx < start:
                return False
            if (
                x.pos_ == "NOUN"
                and x.dep_ in ("nsubj", "nsubjpass", "dobj")
                and (x.tag_ == "NNS") == plural
                and not any(a <= x.idx < b for act in self.actors for a, b in act.mentions)
            ):
                return True
        return False

    def _recent(self, char: int, kinds: tuple[str, ...], sent_lo: int) -> list[tuple[int, Any]]:
        """(start, actor) of mentions of actors of *kinds* before *char* and after *sent_lo*, latest first."""
        out = []
        for a in self.actors:
            if a.kind not in kinds:
                continue
            for s, _e in a.mentions:
                if sent_lo <= s < char:
                    out.append((s, a))
        out.sort(key=lambda x: -x[0])
        return out

    def _sent_lo(self, t: Token, back: int = REACH) -> int:
        sents = list(self.doc.sents) if not hasattr(self, "_sents") else self._sents
        self._sents = sents
        k = next(i for i, s in enumerate(sents) if s.start <= t.i < s.end)
        return sents[max(0, k - back)].start_char

    # ----- stages -------------------------------------------------------------------------------------
    def personal(self) -> None:
        ctx = DocContext(self.doc, self.actors, self.quotes, self.ignored)
        encoded = None
        speakers = {tuple(q.speaker_span): q.actor for q in self.quotes if q.speaker_span is not None and q.actor}
        said = {tuple(q.speaker_span): q.content for q in self.quotes if q.speaker_span is not None and q.content}
        quoted = {tuple(q.speaker_span) for q in self.quotes if q.speaker_span is not None and q.kind == "direct"}
        first: dict[int, int] = {}  # each entity's first mention (token index), for the speaker pronouns
        for m in ctx.mentions if said else ():
            first[id(m.entity)] = min(first.get(id(m.entity), m.start), m.start)
        for p in ctx.pronouns():
            cands: list[Mention] = ctx.candidates(p)
            here = (p.idx, p.idx + len(p))
            content = said.get(here)
            spoke = speakers.get(here)
            named: set[int] = set()
            if content is not None:
                named = self._named_inside(ctx, content) if here in quoted else set()
                cands = self._speaker_candidates(ctx, p, cands, content, first)
                if spoke is not None and any(m.entity.actor is spoke for m in ctx.mentions if id(m.entity) in named):
                    self._unassign(here, spoke)  # "“... Trump makes the prospects worse,” he said" is not Trump
                    spoke = None
            if not cands:
                continue
            X = pair_features(ctx, p, cands)
            E = None
            if self.scorer.needs_encoder:
                from presslens.coref.encoder import encode, pair_encoder_features

                encoded = encoded or encode(
                    self.doc, self.scorer.encoder_layers(), self.scorer.encoder(), self.scorer.mix
                )
                E = pair_encoder_features(encoded, p.i, cands)
            sc = self.scorer.score(X, E)
            # gender agreement is a constraint: a clashing name wins only when nothing else is there
            sc = np.where(X[:, INDEX["gender_clash"]] > 0, sc * 0.05, sc)
            # an entity named in the direct quotation the pronoun speaks is scored with the others (the features
            # compare candidates) but cannot win
            sc = np.where([id(m.entity) in named for m in cands], 0.0, sc)
            k = int(np.argmax(sc))
            # a pronoun that is a quote's speaker keeps the person the quote stage gave that quote over a
            # name that is no person actor (a place or organisation read as a name, a bare proper noun)
            kept = []
            if spoke is not None and spoke.kind == "person" and not cands[k].entity.person_kind:
                kept = [j for j, m in enumerate(cands) if m.entity.actor is spoke]
            k = max(kept, key=lambda j: sc[j]) if kept else k
            if sc[k] < self.scorer.threshold and not kept:
                continue
            ent = cands[k].entity
            firm = ent.actor is not None and ent.actor.kind != "person"
            if firm and org_word_name(ent.actor.name):
                continue  # "he" is never "the San Francisco Chronicle", "the White House", "Masten Space Systems"
            unnamed = ent.actor is not None and " " in ent.actor.name and not ent.known_first
            if firm and sc[k] < 0.5 and (ent.actor.kb_id is not None or unnamed):
                continue  # "he" is no known place or firm, nor a name of several words with no first name
            if ent.actor is None and self._rejected(ent, ctx):
                continue
            ctx.resolved[p.i] = ent
            actor = ent.actor if ent.actor is not None else self._new_actor(ent, ctx)
            for m in ctx.mentions:
                if m.entity is ent and m.is_run:  # a surname alone that the actor builder left out
                    last = self.doc[m.end - 1]
                    actor.add_mention((self.doc[m.start].idx, last.idx + len(last)))
            if actor.kind != "person" and sc[k] >= 0.5:
                actor.kind = "person"  # a name the tagger took for an organisation, referred to as he or she
            self._assign((p.idx, p.idx + len(p)), actor, "pronoun", float(sc[k]))

    def _speaker_candidates(
        self, ctx: DocContext, p: Token, cands: list[Mention], content: list[Any], first: dict[int, int]
    ) -> list[Mention]:
        """The candidates a quote's speaker pronoun ("..., she said") may refer to: not a name inside the words
        it speaks (a speaker seldom names herself; an entity named in a direct quotation it speaks, "“... Trump
        makes the prospects worse,” he said", stays a candidate but scores nothing: see ``personal``), nor a
        person first named (*first*: each entity's first mention) in a later sentence (a reader takes "He said
        ..." for someone already on stage; GAP's snippets, which are not reported speech, allow it)."""
        here = int(ctx.sent_of[p.i])
        out = []
        for m in cands:
            at = self.doc[m.start].idx
            if any(a <= at < b for a, b in content):
                continue
            if int(ctx.sent_of[m.start]) > here and int(ctx.sent_of[first[id(m.entity)]]) > here:
                continue
            out.append(m)
        return out

    def _named_inside(self, ctx: DocContext, content: list[Any]) -> set[int]:
        """The entities (``id``) named in the words of a direct quotation (a piece of *content* that opens with a
        quotation mark)."""
        pieces = [(a, b) for a, b in content if self.text[a : a + 2].lstrip()[:1] in OPENING_QUOTES]
        if not pieces:
            return set()
        if self._name_starts is None:
            self._name_starts = [(self.doc[m.start].idx, id(m.entity)) for m in ctx.mentions if m.is_name]
        return {e for at, e in self._name_starts if any(a <= at < b for a, b in pieces)}

    def _unassign(self, span: tuple[int, int], actor: Any) -> None:
        """Takes a speaker pronoun back from *actor*: the quote it speaks is left without a speaker."""
        if span in actor.mentions:
            actor.mentions.remove(span)
        for q in self.quotes:
            if q.speaker_span is not None and tuple(q.speaker_span) == span:
                q.actor = None

    def neuter_plural(self) -> None:
        """its/it/their/they -> the nearest organisation, group or country named before, subjects first."""
        (lower,) = token_strings(self.doc, (LOWER,))
        for i, low in enumerate(lower):
            if low not in NEUTER and low not in PLURAL or low in ("itself", "themselves"):
                continue
            t = self.doc[i]
            span = (t.idx, t.idx + len(t))
            if self._skip(t.idx) or any(span in a.mentions for a in self.actors):
                continue
            if low == "it" and (
                t.dep_ not in ("nsubj", "nsubjpass")
                or t.head.lemma_ in ("be", "seem", "appear", "take", "rain")
                or any(c.dep_ in ("ccomp", "xcomp", "csubj") for c in t.head.children if c.i > t.i)
            ):
                continue  # expletive or unclear "it"
            if low in ("they", "them") and t.dep_ not in ("nsubj", "nsubjpass"):
                continue
            kinds = ("organization", "group", "country") if low in NEUTER else ("organization", "group")
            near = self._recent(t.idx, kinds, self._sent_lo(t, 1))
            if not near:
                continue
            quote = self._quote_of(t.idx)
            near = [(s, a) for s, a in near if self._quote_of(s) == quote and not self._blocked(s, t)]
            if not near:
                continue
            subj = [(s, a) for s, a in near if (tok := self._tok(s)) is not None and role_of(tok) == "subj"]
            if low in PLURAL and not subj:
                continue  # "they" for an organisation only when it was the subject
            s, actor = (subj or near)[0]
            self._assign(span, actor, "pronoun", 0.6 if subj else 0.5)

    def _tok(self, char: int) -> Token | None:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    def descriptions(self) -> None:
        """ "the minister", "the chief diplomat", "the 71-year-old", "the company"."""
        doc = self.doc
        lower, dep, pos = token_strings(doc, (LOWER, DEP, POS))
        # the nouns with a determiner "the", "this" or "that" on their left, in text order (a token's left
        # children come before it), each with its first such determiner
        first_det: dict[int, int] = {}
        heads = token_ints(doc, (HEAD,))[:, 0].tolist()
        for i, (w, d) in enumerate(zip(lower, dep, strict=True)):
            h = heads[i]
            if d == "det" and w in ("the", "this", "that") and h > i and h not in first_det:
                first_det[h] = i
        for h in sorted(first_det):
            # "The 56-year-old said": the tokens 56 - year - old, "old" an adjective used as a noun
            aged = lower[h] == "old" and h >= 3 and lower[h - 2] in ("year", "month") and dep[h] in _NOMINAL
            if (pos[h] not in ("NOUN", "PROPN") and not aged) or dep[h] == "compound":
                continue
            t = doc[h]
            low = t.lower_
            start = first_det[h]
            span = (doc[start].idx, t.idx + len(t))
            if self._skip(span[0]):
                continue
            if any(a < span[1] and span[0] < b for act in self.actors for a, b in act.mentions):
                continue
            mods = " ".join(x.lower_ for x in doc[start + 1 : t.i + 1])
            actor = None
            score = 0.0
            role_keys = SYNONYMS.get(mods) or SYNONYMS.get(low) or (low,)
            persons = self._recent(t.idx, ("person",), self._sent_lo(t, 6))
            if (
                (t.tag_ == "NN" or t.tag_ == "NNP")
                and mods == low
                and t.dep_ != "appos"  # "John Williams, the president of the Federal Reserve Bank of New York"
                and not any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children)
            ):
                # "the president": the one person whose title is that office itself (not "Ukrainian President",
                # "former Vice President"), wherever the article names them; else the nearest holder
                exact = {id(a): a for a in self.actors if a.kind == "person" and set(_role_parts(a)) & set(role_keys)
                         and any(ms < t.idx for ms, _me in a.mentions)}  # fmt: skip
                ranked = sorted(exact.values(), key=lambda a: -len(a.mentions))
                if ranked and (len(ranked) == 1 or len(ranked[0].mentions) >= 2 * len(ranked[1].mentions)):
                    actor, score = ranked[0], 0.8  # of several, the one the article is about (twice the mentions)
            if actor is None and (t.tag_ == "NN" or t.tag_ == "NNP"):
                keys = role_keys + ((mods,) if mods != low else ())
                actor = _nearest_holder(persons, keys, bare=mods == low)
                score = 0.8 if actor is not None else score
            if actor is None and (aged or _AGE.match(low) or low in MALE_NOUNS or low in FEMALE_NOUNS):
                if self._unnamed_before(t):
                    continue  # "a 43-year-old man ... the man": someone the article does not name
                from presslens.coref.gender import actor_p_female

                want = 1.0 if low in FEMALE_NOUNS else (0.0 if low in MALE_NOUNS else None)
                for _s, a in self._recent(t.idx, ("person",), self._sent_lo(t, 2)):
                    g = actor_p_female(a, self.text)
                    if want is None or (g is not None and abs(g - want) < 0.3):
                        actor, score = a, 0.6
                        break
            if actor is None and low in ORG_NOUNS and t.tag_ == "NN":
                actor = self._appositive(t, ORG_NOUNS[low])  # "The group, WeWorkers Coalition, formed ..."
                score = 0.9
                if actor is None:
                    actor, score = self._organisation(t, ORG_NOUNS[low])
            if (
                actor is None
                and t.tag_ == "NN"
                and doc[start].lower_ == "the"
                and low not in ORG_NOUNS
                and low not in ROLE_NOUNS
                and low not in _COLLECTIVE
                and t.dep_ != "appos"
                and not any(c.dep_ == "prep" for c in t.children)  # "the president of the United States"
            ):
                near = {id(a): a for c, a in self._introduced_as().get(low, []) if c < t.idx < c + 3000}
                if len(near) == 1:  # "Eyamba Sowers, a real estate agent, ... The real estate agent said"
                    actor, score = next(iter(near.values())), 0.7
            if actor is not None:
                self._assign(span, actor, "description", score)

    def _introduced_as(self) -> dict[str, list[tuple[int, Any]]]:
        """The common nouns persons were introduced with, in apposition ("Eyamba Sowers, a real estate agent,")
        either way ("The suspect, Michael Webb,"), or just before the name ("actress Mary Steenburgen"): noun ->
        [(char, actor)]."""
        if self._nouns is not None:
            return self._nouns
        self._nouns = {}
        for a in self.actors:
            for s, e in a.mentions if a.kind == "person" else ():
                span = self.doc.char_span(s, e, alignment_mode="expand")
                if span is None or span.root.pos_ != "PROPN":
                    continue
                nouns = [
                    c
                    for c in span.root.children
                    if c.dep_ == "appos" and c.pos_ == "NOUN" and any(d.lower_ in ("a", "an") for d in c.children)
                ]
                if span.root.dep_ == "appos" and span.root.head.pos_ == "NOUN":
                    nouns.append(span.root.head)  # "The suspect, Michael Webb, was convicted"
                before = self.doc[span.start - 1] if span.start > 0 else None
                if before is not None and before.pos_ == "NOUN" and before.is_lower and before.head.i >= span.start:
                    nouns.append(before)
                for n in nouns:
                    self._nouns.setdefault(n.lower_, []).append((s, a))
        return self._nouns

    def _unnamed_before(self, t: Token) -> bool:
        """The noun of "the man" (token *t*) already stood earlier for someone no name covers ("a 43-year-old
        man had suffered ...", "the man in the case report"), not beside a name ("the man, John Smith", "actor James
        Van Der Beek")."""
        covered = {i for act in self.actors for a, b in act.mentions for i in range(a, b)}
        for u in self.doc[: t.i]:
            if u.lower_ != t.lower_ or u.idx in covered:
                continue
            if u.dep_ in ("appos", "compound", "nmod") and u.head.pos_ == "PROPN":
                continue  # "the man, John Smith"; "actor James Van Der Beek"
            if any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in u.children):
                continue
            if any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in u.children) and not (
                any(x.like_num or _AGE.match(x.lower_) for c in u.lefts for x in c.subtree)
                or any(c.dep_ in ("prep", "relcl", "acl") for c in u.rights)
            ):
                continue  # a plain "the actor" refers back itself; "a man", "the 43-year-old man" introduce one
            return True
        return False

    def _appositive(self, t: Token, kinds: tuple[str, ...]) -> Any | None:
        """The actor a description stands in apposition with: "The group, WeWorkers Coalition," or "WeWorkers
        Coalition, the group that ..."."""
        others = [c for c in t.children if c.dep_ == "appos"] + ([t.head] if t.dep_ == "appos" else [])
        for o in others:
            for a in self.actors:
                if a.kind in kinds and any(s <= o.idx < e for s, e in a.mentions):
                    self._introduced.append((a, t.lower_, t.idx))
                    return a
        return None

    def _organisation(self, t: Token, kinds: tuple[str, ...]) -> tuple[Any, float]:
        """The organisation "the company", "the group" (token *t*) refers to: the only one named in the two
        sentences before it, leaving out platforms a statement was made on ("said on Twitter"); of several,
        the only one named as a subject there. Otherwise none: a wrong organisation as a speaker is worse than
        a description left as it stands."""
        # "The group, WeWorkers Coalition, ..." then "the group added": the one the article introduced so
        described = [a for (a, noun, at) in self._introduced if noun == t.lower_ and at < t.idx < at + 2000]
        if len({id(a) for a in described}) == 1:
            return described[-1], 0.6
        mods = [c.lemma_.lower() for c in t.children if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN")]
        stems = [m[: max(4, len(m) - 2)] for m in mods if len(m) >= 4]
        near: list[Any] = []
        if stems or t.lower_ in NAMED_ORG_NOUNS:  # organisations named in the five sentences before
            business = t.lower_ in ("company", "firm", "label", "studio", "airline", "utility")
            near = [a for _s, a in self._recent(t.idx, kinds, self._sent_lo(t, 5))  # not an awards show for a firm
                    if not (business and NOT_COMPANIES & set(a.name.lower().split()))]  # fmt: skip
        if stems:  # "the production company" is Dick Clark Productions, "the utilities commission" ... Utilities ...
            named = {id(a): a for a in near if any(w.startswith(m) for m in stems for w in a.name.lower().split())}
            if len(named) == 1:
                return next(iter(named.values())), 0.6
        if t.lower_ in NAMED_ORG_NOUNS:
            named = {id(a): a for a in near
                     if set(NAMED_ORG_NOUNS[t.lower_]) & set(a.name.lower().replace(",", " ").split())}  # fmt: skip
            if len(named) == 1:
                return next(iter(named.values())), 0.6
            if t.lower_ in _NAMED_ONLY:
                return None, 0.0
        lo = self._sent_lo(t, 2)
        found: dict[int, Any] = {}
        subjects: set[int] = set()
        for start, a in self._recent(t.idx, kinds, lo):
            if t.lower_ in ("company", "firm") and a.name.split()[-1].lower() in NOT_COMPANIES:
                continue  # "the company" is not the American Music Awards nor the Senate
            root = self._mention_root(a, start)
            if root is None:
                continue
            if root.dep_ == "pobj" and root.head.lower_ in ("on", "via", "through"):
                continue
            found.setdefault(id(a), a)
            if root.dep_ in ("nsubj", "nsubjpass"):
                subjects.add(id(a))
        if len(found) == 1:
            return next(iter(found.values())), 0.6
        if len(subjects) == 1:
            return found[next(iter(subjects))], 0.5
        return None, 0.0

    def _mention_root(self, actor: Any, start: int) -> Token | None:
        end = next((e for s, e in actor.mentions if s == start), None)
        span = self.doc.char_span(start, end, alignment_mode="expand") if end is not None else None
        return span.root if span is not None and len(span) else None

    def speakers_agree_in_gender(self) -> None:
        """A quote whose speaker is "he" or "she" loses its person when the article otherwise refers to that
        person with the other gender's pronouns (at least two links of 0.5 or more, three times as many as of
        the pronoun's gender) or the person's name is clearly of the other gender: "“Pat is passionate about his
        beliefs,” she said" is not Pat speaking. A missing speaker is better than a wrong one."""
        votes: dict[int, list[int]] = {}  # id(actor) -> [masculine, feminine] confident pronoun links
        for link in self.links:
            if link.kind != "pronoun" or link.score < 0.5:
                continue
            word = self.text[link.span[0] : link.span[1]].lower()
            v = votes.setdefault(id(link.actor), [0, 0])
            if word in MASCULINE:
                v[0] += 1
            elif word in FEMININE:
                v[1] += 1
        for q in self.quotes:
            if q.actor is None or q.speaker_span is None or q.actor.kind != "person":
                continue
            s, e = q.speaker_span
            word = self.text[s:e].lower()
            if word not in ("he", "she"):
                continue
            same, other = (0, 1) if word == "he" else (1, 0)
            v = votes.get(id(q.actor), [0, 0])
            g = name_p_female(q.actor.name)
            name_other = g is not None and (g >= 0.9 if word == "he" else g <= 0.1)
            if name_other or (v[other] >= 2 and v[other] >= 3 * v[same]):
                if (s, e) in q.actor.mentions:
                    q.actor.mentions.remove((s, e))
                self.links = [x for x in self.links if x.span != (s, e)]
                q.actor = None

    def statement_authors(self) -> None:
        """A quote whose speaker is "the statement" (or release, letter, post, tweet) gets the actor who made that
        statement: the subject of the last "issued a statement" or "said in a statement" before it, within six
        sentences and outside quotation marks, when that subject is a mention of an actor ("Big Machine Records issued
        a statement ..."). The phrase stays the speaker's words; the actor is its author. Nothing when the last such
        subject is no actor ("The company ... in a statement", unresolved)."""
        for q in self.quotes:
            if q.actor is not None or q.speaker_span is None:
                continue
            words = self.text[q.speaker_span[0] : q.speaker_span[1]].lower().split()
            if len(words) != 2 or words[0] != "the" or words[1] not in DOCUMENT_WORDS:
                continue
            span = self.doc.char_span(*q.speaker_span, alignment_mode="expand")
            if span is not None:
                q.actor = self._author(span.start, words[1])

    def _author(self, before: int, noun: str) -> Any:
        lo = self._sent_lo(self.doc[before], 6)
        for k in range(before - 1, -1, -1):
            t = self.doc[k]
            if t.idx < lo:
                return None
            if t.lemma_.lower() != noun or self._quote_of(t.idx) is not None:
                continue
            if t.dep_ == "dobj" and t.head.lemma_.lower() in ISSUING_VERBS:
                verb = t.head  # "issued a statement"
            elif t.dep_ == "pobj" and t.head.lower_ == "in" and t.head.head.pos_ in ("VERB", "AUX"):
                verb = t.head.head  # "said in a statement"
            else:
                continue
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                return next((a for a in self.actors if any(s <= subj.idx < e for s, e in a.mentions)), None)
        return None

    def run(self) -> list[Link]:
        self.personal()
        self.speakers_agree_in_gender()
        self.descriptions()
        self.statement_authors()
        self.neuter_plural()
        self.links.sort(key=lambda link: link.span)
        return self.links


def resolve(doc: Doc, scorer: PairScorer | None = None) -> list[Link]:
    """Add the pronouns and descriptions of *doc* to its actors' mentions; return the links made."""
    if not doc._.presslens_actors:
        return []
    return Resolver(doc, scorer).run()
