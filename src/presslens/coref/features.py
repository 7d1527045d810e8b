"""Candidates and pair features for resolving a personal pronoun ("he", "her", ...) to a person.

A candidate is a mention of a person: a mention of a person actor, a mention of an actor the entity tagger
took for an organisation or place although it reads as a person's name (no gazetteer entry, capitalised,
no organisation word), or a proper-noun run that no actor covers. Candidates with the same referent form one
entity; the resolver scores each (pronoun, mention) pair and takes the best mention of each entity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from spacy.attrs import ENT_TYPE, IDX, IS_LOWER, LOWER, ORTH, POS
from spacy.tokens import Doc, Token

from presslens.actors import product_name
from presslens.actors.names import known_organisation, without_suffix
from presslens.coref.gender import (
    FEMININE,
    NEUTER,
    PERSONAL,
    PLURAL,
    actor_p_female,
    first_names,
    name_p_female,
    noun_p_female,
)
from presslens.text.lexicon import TITLE_WORDS
from presslens.text.tokens import token_ints, token_strings

# Window of candidates around a pronoun, in sentences.
BACK_SENTS = 4
AHEAD_SENTS = 1

ORG_WORDS = frozenset(
    "university college school institute academy corps force forces army navy party council committee "
    "company corporation inc inc. ltd ltd. group bank ministry department agency association union league "
    "club team brigade brigades church foundation society press records studios studio band orchestra "
    "festival museum hospital court parliament assembly government office fc united city county state "
    "republic kingdom empire railway airlines airport station river lake mountain island street road "
    "award awards prize cup championship series show network channel radio television magazine times "
    "news journal review hotel hotels suites inn motel resort".split()
)
NON_NAME_ENTS = frozenset(["DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "LAW", "LANGUAGE"])
_SUBJ = ("nsubj", "nsubjpass", "csubj", "expl")
_OBJ = ("dobj", "dative", "obj", "oprd")
ROLES = ("subj", "obj", "pobj", "poss", "appos", "attr", "conj", "other")
PRON_ROLES = ("subj", "obj", "pobj", "poss", "other")


def role_of(t: Token) -> str:
    d = t.dep_
    if d in _SUBJ:
        return "subj"
    if d in _OBJ:
        return "obj"
    if d == "pobj":
        return "pobj"
    if d == "poss":
        return "poss"
    if d == "appos":
        return "appos"
    if d in ("attr", "acomp"):
        return "attr"
    if d == "conj":
        return "conj"
    return "other"


def verb_of(t: Token) -> Token:
    """The nearest verb (or the root) above *t*."""
    h = t
    for _ in range(30):
        if h.pos_ in ("VERB", "AUX") and h.i != t.i or h.head.i == h.i:
            return h
        h = h.head
    return h


def _ancestors(t: Token) -> set[int]:
    return {a.i for a in t.ancestors}


@dataclass
class Entity:
    key: str
    actor: Any | None
    name: str
    p_female: float | None
    person_kind: bool
    known_first: bool
    first_tok: int = 10**9
    count: int = 0
    assigned: list[int] = field(default_factory=list)  # pronoun token indices the quote stage gave it


@dataclass
class Mention:
    start: int  # token indices [start, end)
    end: int
    head: int
    entity: Entity
    is_name: bool
    is_run: bool = False  # a proper-noun run that no actor mention covered


def _char_tokens(doc: Doc, s: int, e: int) -> tuple[int, int] | None:
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end


def _looks_like_person_name(text: str) -> bool:
    words = text.replace("’s", "").replace("'s", "").split()
    if not words or len(words) > 5:
        return False
    if not all(w[:1].isupper() for w in words if w.lower() not in ("de", "van", "von", "da", "di", "la", "bin", "al")):
        return False
    if all(w.lower() in TITLE_WORDS for w in words) or words[0] == "DEAR":
        return False  # a bare title ("Dr.") or a letter's salutation ("DEAR ABBY") names nobody
    if len(words) == 1 and (words[0].isupper() or (words[0].endswith("s") and words[0][:-1].lower() in PLURAL_ROOTS)):
        return False  # "NASA", "Progressives": an acronym or a plural of people, no one person
    if len(words) == 1 and known_organisation(words[0]):
        return False  # "Netflix said it would stream her concert": the firm, not a person
    return not any(w.lower().strip(".,") in ORG_WORDS for w in words)


def _names_a_thing(doc: Doc, spans: list[tuple[int, int]]) -> bool:
    """Most mentions of the name modify a common noun after it ("Arrowhead water"): a brand, not a person."""
    modifying = 0
    for _ts, te in spans:
        last = doc[te - 1]
        modifying += last.dep_ in ("compound", "nmod") and last.head.pos_ == "NOUN" and last.head.i >= te
    return modifying * 2 > len(spans)


# Roots of group names written as a plural ("Progressives", "Democrats"): never one person's name.
PLURAL_ROOTS = frozenset(
    """progressive democrat republican conservative liberal socialist moderate independent loyalist separatist
    rebel militant islamist nationalist royalist unionist protester activist""".split()
)


class DocContext:
    """What the features need of one document: sentences, candidate mentions, entities, quotes."""

    def __init__(
        self, doc: Doc, actors: list[Any], quotes: list[Any] | None = None, ignored: list[tuple[int, int]] = ()
    ):
        self.doc = doc
        self.ignored = list(ignored)
        self.text = text = doc.text  # spaCy rebuilds Doc.text on every access: read it once
        self.sent_of = np.zeros(len(doc), dtype=np.int32)
        self.sent_bounds: list[tuple[int, int]] = []
        for k, s in enumerate(doc.sents):
            self.sent_of[s.start : s.end] = k
            self.sent_bounds.append((s.start, s.end))
        names = first_names()
        covered: set[int] = set()
        self.entities: list[Entity] = []
        self.mentions: list[Mention] = []
        self.token_entity: dict[int, Entity] = {}
        pron_assigned: dict[int, Any] = {}
        # tokens inside a name of two or more words: "He" in "Liu He" is a surname, not a pronoun
        self.in_name: set[int] = set()
        for a in actors:
            person = a.kind == "person"
            spans = []
            for s, e in a.mentions:
                te = _char_tokens(doc, s, e)
                if te is None:
                    continue
                low = text[s:e].lower()
                if low in PERSONAL or low in PLURAL or low in NEUTER:
                    pron_assigned[te[0]] = a
                    continue
                spans.append((s, e, te))
                if te[1] - te[0] >= 2:
                    self.in_name.update(range(*te))
            if not person and (getattr(a, "kb_id", None) is not None or not _looks_like_person_name(a.name)):
                continue
            if not person and spans and _names_a_thing(doc, [te for _s, _e, te in spans]):
                continue  # "Arrowhead water", "Arrowhead bottled water": a brand before the thing, no one's name
            first = a.name.split()[0].lower().strip(".,") if a.name.split() else ""
            ent = Entity(
                key=a.id,
                actor=a,
                name=a.name,
                p_female=actor_p_female(a, text),
                person_kind=person,
                known_first=first in names,
            )
            self.entities.append(ent)
            for s, _e, (ts, tend) in spans:
                covered.update(range(ts, tend))
                span = doc[ts:tend]
                m = Mention(ts, tend, span.root.i, ent, text[s : s + 1].isupper())
                self.mentions.append(m)
                for i in range(ts, tend):
                    self.token_entity[i] = ent
        # also tokens inside any actor mention (organisations) are not free proper-noun runs
        for a in actors:
            for s, e in a.mentions:
                te = _char_tokens(doc, s, e)
                if te:
                    covered.update(range(*te))
        self._proper_runs(covered)
        for i, a in pron_assigned.items():
            for ent in self.entities:
                if ent.actor is a:
                    ent.assigned.append(i)
        for m in self.mentions:
            m.entity.count += 1
            m.entity.first_tok = min(m.entity.first_tok, m.start)
        self.mentions.sort(key=lambda m: m.start)
        first_order = sorted({id(m.entity): m.entity for m in self.mentions}.values(), key=lambda e: e.first_tok)
        self.first_entity = first_order[0] if first_order else None
        # quotes: content ranges and speakers, in text order
        self.quotes: list[tuple[int, int, Any, tuple[int, int] | None]] = []
        for q in quotes or []:
            if not q.content:
                continue
            s = min(c[0] for c in q.content)
            e = max(c[1] for c in q.content)
            self.quotes.append((s, e, q.actor, q.speaker_span))
        self.quotes.sort(key=lambda x: x[0])
        self._described_genders()
        self.subjects = [m for m in self.mentions if role_of(doc[m.head]) == "subj"]
        # pronoun token -> entity, filled as pronouns are resolved in text order
        self.resolved: dict[int, Entity] = {}

    def _described_genders(self) -> None:
        """An entity that the text describes with a gendered noun ("Omar is one of the first two Muslim women
        elected", "Liljeberg, a Swedish actress") takes that gender, unless an honorific or a title gave it one."""
        votes: dict[int, tuple[Entity, set[float]]] = {}
        for m in self.mentions:
            h = self.doc[m.head]
            words = [c for c in h.children if c.dep_ == "appos" or (c.dep_ == "compound" and c.i < m.start)]
            if h.dep_ == "appos":
                words.append(h.head)
            if h.dep_ in ("nsubj", "nsubjpass") and h.head.lemma_ == "be":
                words += [c for c in h.head.children if c.dep_ == "attr"]
            for w in list(words):
                if w.lower_ in ("one", "some", "each") or w.lemma_ == "member":  # "one of the ... women"
                    words += [g for c in w.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
            for w in words:
                g = noun_p_female(w.lower_)
                if g is not None:
                    votes.setdefault(id(m.entity), (m.entity, set()))[1].add(g)
        for ent, gs in votes.values():
            if len(gs) == 1 and ent.p_female not in (0.0, 1.0):
                # as sure as a first name borne by one gender (0.99), not as an honorific (1.0) the trees know
                g = ent.p_female
                ent.p_female = max(g or 0.0, 0.99) if gs.pop() else min(1.0 if g is None else g, 0.01)

    def pronouns(self) -> list[Token]:
        """Personal pronouns (he, she and their forms) in text order."""
        (lower,) = token_strings(self.doc, (LOWER,))
        found = (self.doc[i] for i, w in enumerate(lower) if w in PERSONAL and i not in self.in_name)
        return [t for t in found if not self.is_ignored(t.idx)]

    def _proper_runs(self, covered: set[int]) -> None:
        """Proper-noun runs that no actor covers become candidates, grouped by their last word."""
        doc = self.doc
        names = first_names()
        by_last: dict[str, Entity] = {}
        for ent in self.entities:
            if ent.actor is not None:
                words = without_suffix(ent.name.split())  # "Carlineo" ends "Patrick W. Carlineo Jr."
                if words:
                    by_last.setdefault(words[-1], ent)
        orth, pos, ent_types = token_strings(doc, (ORTH, POS, ENT_TYPE))
        idx = token_ints(doc, (IDX, IS_LOWER))
        lower_words = {w for w, low in zip(orth, idx[:, 1].tolist(), strict=True) if low}

        # a person's surname the tagger read as a common noun ("Sanders appeared to dismiss ...": NNS)
        surnames = {w for w, e in by_last.items() if e.actor is not None and e.actor.kind == "person"}

        def name_word(k: int) -> bool:
            proper = pos[k] == "PROPN" or (pos[k] == "NOUN" and orth[k] in surnames)
            return proper and orth[k][:1].isupper() and ent_types[k] not in NON_NAME_ENTS

        i = 0
        n = len(doc)
        while i < n:
            if i in covered or not name_word(i) or self.is_ignored(int(idx[i, 0])):
                i += 1
                continue
            j = i
            while j < n and j not in covered and name_word(j):
                j += 1
            span = doc[i:j]
            words = [w.text for w in span if w.text not in ("’s", "'s")]
            text = " ".join(words)
            if (
                words
                and not product_name(text)  # "MacBook Pro", "iPad Pro": a product, no one's name
                and _looks_like_person_name(text)
                and (span[0].ent_type_ in ("PERSON", "") or words[0].lower() in names)
                and not (
                    len(words) == 1
                    and words[0].lower() not in names
                    and {words[0].lower(), words[0].lower() + "s", words[0].lower() + "es"} & lower_words
                )
            ):  # "Meth" beside "meth", "Humidifier" beside "humidifiers": a common noun capitalised, not a name
                last = words[-1]
                ent = by_last.get(last)
                if ent is None:
                    ent = Entity(
                        key="~" + last,
                        actor=None,
                        name=text,
                        p_female=name_p_female(text),
                        person_kind=span[0].ent_type_ == "PERSON",
                        known_first=words[0].lower() in names,
                    )
                    by_last[last] = ent
                    self.entities.append(ent)
                elif ent.actor is None and len(words) > len(ent.name.split()):
                    ent.name = text
                    g = name_p_female(text)
                    if g is not None:
                        ent.p_female = g
                m = Mention(i, j, span.root.i, ent, True, True)
                self.mentions.append(m)
                for k in range(i, j):
                    self.token_entity[k] = ent
            i = j

    def is_ignored(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.ignored)

    def in_quote(self, char: int) -> bool:
        return any(s <= char < e for s, e, _a, _sp in self.quotes)

    def previous_speaker(self, char: int) -> Any | None:
        """The actor of the last quote that ends before *char*, within two sentences' reach."""
        best = None
        for _s, e, a, _sp in self.quotes:
            if e <= char and char - e < 400:
                best = a
        return best

    def candidates(self, p: Token) -> list[Mention]:
        sp = int(self.sent_of[p.i])
        lo = self.sent_bounds[max(0, sp - BACK_SENTS)][0]
        hi = self.sent_bounds[min(len(self.sent_bounds) - 1, sp + AHEAD_SENTS)][1]
        return [m for m in self.mentions if lo <= m.start < hi and not (m.start <= p.i < m.end)]


FEATURES = [
    "bias",
    "gender_agree",
    "gender_unknown",
    "gender_clash",
    "after",
    "same_sent_before",
    "same_sent_after",
    "prev_sent",
    "sent_back_2",
    "sent_back_3plus",
    "next_sent",
    "log_tok_dist",
    *[f"cand_{r}" for r in ROLES],
    *[f"pron_{r}" for r in PRON_ROLES],
    "parallel",
    "main_subject",
    "most_recent_subject",
    "nearest_entity",
    "entity_rank_2",
    "entity_rank_3plus",
    "log_intervening",
    "log_intervening_agree",
    "first_entity",
    "log_entity_count",
    "in_first_sent",
    "cand_in_quote",
    "pron_in_quote",
    "prev_quote_speaker",
    "pron_is_speaker",
    "quote_stage_choice",
    "person_kind",
    "actor_backed",
    "known_first_name",
    "is_name",
    "subj_governs_pron",
    "same_verb",
    "principle_b",
    "cand_in_pron_np",
    "pron_in_cand_np",
    "sent_start_pron_x_prev_subj",
    "poss_x_same_clause_subj",
    "cand_is_possessor",
    "cand_in_parens",
    "cand_conj",
    "cand_entity_nearest_subj_before",
    "ent_subj_same_sent",
    "ent_subj_prev_sent",
    "ent_any_same_sent",
    "ent_min_log_dist",
    "closest_mention_of_entity",
    "nearest_agreeing_entity",
    "agreeing_entity_rank_2plus",
    "log_window_entities",
    "log_window_agreeing",
    "ent_main_subject_any",
    "ent_window_count",
    "prev_same_pron_entity",
    "log_ent_pron_window",
    "recent_subject_with_pron",
    "ent_pron_same_sent",
    "log_tree_dist",
    "cand_sent_initial",
    "cand_in_subclause",
    "pron_in_subclause",
    "pron_clause_under_cand_clause",
    "log_char_dist",
]
_SUBCLAUSE = ("advcl", "relcl", "ccomp", "xcomp", "acl", "pcomp")


def tree_distance(a: Token, b: Token) -> int:
    """Edges on the dependency path between two tokens of one sentence."""
    up: dict[int, int] = {}
    t, d = a, 0
    while True:
        up[t.i] = d
        if t.head.i == t.i:
            break
        t, d = t.head, d + 1
    t, d = b, 0
    while t.i not in up:
        if t.head.i == t.i:
            return 40
        t, d = t.head, d + 1
    return d + up[t.i]


INDEX = {n: k for k, n in enumerate(FEATURES)}


def pair_features(ctx: DocContext, p: Token, cands: list[Mention]) -> np.ndarray:
    """One row of FEATURES per candidate mention of pronoun *p*."""
    doc = ctx.doc
    X = np.zeros((len(cands), len(FEATURES)), dtype=np.float32)
    if not cands:
        return X
    fem = p.lower_ in FEMININE
    sp = int(ctx.sent_of[p.i])
    prole = role_of(p)
    if prole not in PRON_ROLES:
        prole = "other"
    pverb = verb_of(p)
    p_anc = _ancestors(p)
    p_in_quote = ctx.in_quote(p.idx)
    prev_speaker = ctx.previous_speaker(p.idx)
    is_speaker = any(sp_ is not None and sp_[0] <= p.idx < sp_[1] for _s, _e, _a, sp_ in ctx.quotes)
    # ranks of entities by their nearest mention before the pronoun
    before = [m for m in cands if m.end <= p.i]
    order: list[Entity] = []
    for m in sorted(before, key=lambda m: -m.start):
        if m.entity not in order:
            order.append(m.entity)
    recent_subj = None
    for m in reversed(ctx.subjects):
        if m.end <= p.i:
            recent_subj = m
            break
    sent_start_pron = p.i == ctx.sent_bounds[sp][0] or (
        p.i > 0 and doc[p.i - 1].is_punct and p.i - 1 == ctx.sent_bounds[sp][0]
    )
    for k, m in enumerate(cands):
        x = X[k]
        ent = m.entity
        h = doc[m.head]
        x[0] = 1.0
        g = ent.p_female
        if g is None:
            x[INDEX["gender_unknown"]] = 1.0
            x[INDEX["gender_agree"]] = 0.5
        else:
            agree = g if fem else 1.0 - g
            x[INDEX["gender_agree"]] = agree
            x[INDEX["gender_clash"]] = float(agree < 0.2)
        sm = int(ctx.sent_of[m.start])
        after = m.start > p.i
        x[INDEX["after"]] = float(after)
        if sm == sp:
            x[INDEX["same_sent_after" if after else "same_sent_before"]] = 1.0
        elif sm == sp - 1:
            x[INDEX["prev_sent"]] = 1.0
        elif sm == sp - 2:
            x[INDEX["sent_back_2"]] = 1.0
        elif sm < sp - 2:
            x[INDEX["sent_back_3plus"]] = 1.0
        else:
            x[INDEX["next_sent"]] = 1.0
        x[INDEX["log_tok_dist"]] = math.log1p(abs(p.i - m.head))
        crole = role_of(h)
        x[INDEX[f"cand_{crole}"]] = 1.0
        x[INDEX[f"pron_{prole}"]] = 1.0
        x[INDEX["parallel"]] = float(crole == prole or (crole == "subj" and prole == "subj"))
        cverb = verb_of(h)
        x[INDEX["main_subject"]] = float(crole == "subj" and cverb.dep_ == "ROOT")
        x[INDEX["most_recent_subject"]] = float(recent_subj is not None and recent_subj.entity is ent)
        x[INDEX["cand_entity_nearest_subj_before"]] = float(recent_subj is m)
        if not after and ent in order:
            r = order.index(ent)
            x[INDEX["nearest_entity"]] = float(r == 0)
            x[INDEX["entity_rank_2"]] = float(r == 1)
            x[INDEX["entity_rank_3plus"]] = float(r >= 2)
        lo, hi = (m.end, p.i) if not after else (p.i + 1, m.start)
        inter = {o.entity.key for o in ctx.mentions if lo <= o.start < hi and o.entity is not ent}
        x[INDEX["log_intervening"]] = math.log1p(len(inter))
        agree_inter = 0
        for o in ctx.mentions:
            if lo <= o.start < hi and o.entity is not ent:
                og = o.entity.p_female
                if og is None or (og if fem else 1 - og) >= 0.5:
                    agree_inter += 1
        x[INDEX["log_intervening_agree"]] = math.log1p(agree_inter)
        x[INDEX["first_entity"]] = float(ctx.first_entity is ent)
        x[INDEX["log_entity_count"]] = math.log1p(ent.count)
        x[INDEX["in_first_sent"]] = float(sm == 0)
        x[INDEX["cand_in_quote"]] = float(ctx.in_quote(h.idx))
        x[INDEX["pron_in_quote"]] = float(p_in_quote)
        x[INDEX["prev_quote_speaker"]] = float(prev_speaker is not None and ent.actor is prev_speaker)
        x[INDEX["pron_is_speaker"]] = float(is_speaker)
        x[INDEX["quote_stage_choice"]] = float(p.i in ent.assigned)
        x[INDEX["person_kind"]] = float(ent.person_kind)
        x[INDEX["actor_backed"]] = float(ent.actor is not None)
        x[INDEX["known_first_name"]] = float(ent.known_first)
        x[INDEX["is_name"]] = float(m.is_name)
        x[INDEX["subj_governs_pron"]] = float(crole == "subj" and cverb.i in p_anc and not after)
        same_verb = cverb.i == pverb.i
        x[INDEX["same_verb"]] = float(same_verb)
        x[INDEX["principle_b"]] = float(
            same_verb and crole == "subj" and prole in ("obj", "pobj") and p.head.i == cverb.i
        )
        x[INDEX["cand_in_pron_np"]] = float(p.head.i in _ancestors(h) and p.head.pos_ in ("NOUN", "PROPN"))
        x[INDEX["pron_in_cand_np"]] = float(m.head in p_anc)
        x[INDEX["sent_start_pron_x_prev_subj"]] = float(sent_start_pron and crole == "subj" and sm == sp - 1)
        x[INDEX["poss_x_same_clause_subj"]] = float(prole == "poss" and crole == "subj" and sm == sp and not after)
        x[INDEX["cand_is_possessor"]] = float(any(c.text in ("'s", "’s") for c in h.children) or h.dep_ == "poss")
        left = ctx.text[max(0, doc[m.start].idx - 2) : doc[m.start].idx]
        x[INDEX["cand_in_parens"]] = float("(" in left)
        x[INDEX["cand_conj"]] = float(h.dep_ == "conj" or any(c.dep_ == "conj" for c in h.children))
        if sm == sp:
            x[INDEX["log_tree_dist"]] = math.log1p(tree_distance(h, p))
        else:
            x[INDEX["log_tree_dist"]] = math.log1p(10 * abs(sm - sp))
        st = ctx.sent_bounds[sm][0]
        x[INDEX["cand_sent_initial"]] = float(m.start == st or (m.start == st + 1 and doc[st].is_punct))
        x[INDEX["cand_in_subclause"]] = float(cverb.dep_ in _SUBCLAUSE)
        x[INDEX["pron_in_subclause"]] = float(pverb.dep_ in _SUBCLAUSE)
        x[INDEX["pron_clause_under_cand_clause"]] = float(
            sm == sp and cverb.i != pverb.i and cverb.i in _ancestors(pverb)
        )
        x[INDEX["log_char_dist"]] = math.log1p(abs(p.idx - h.idx))
    # entity-level views, shared by all mentions of an entity
    agreeing = [e for e in order if e.p_female is None or (e.p_female if fem else 1 - e.p_female) >= 0.5]
    ents = {id(m.entity) for m in cands}
    n_agree = sum(
        1
        for e in {id(m.entity): m.entity for m in cands}.values()
        if e.p_female is None or (e.p_female if fem else 1 - e.p_female) >= 0.5
    )
    groups: dict[int, list[int]] = {}
    for k, m in enumerate(cands):
        groups.setdefault(id(m.entity), []).append(k)
    for ks in groups.values():
        rows = X[ks]
        ent = cands[ks[0]].entity
        subj = rows[:, INDEX["cand_subj"]] > 0
        X[ks, INDEX["ent_subj_same_sent"]] = float(np.any(subj & (rows[:, INDEX["same_sent_before"]] > 0)))
        X[ks, INDEX["ent_subj_prev_sent"]] = float(np.any(subj & (rows[:, INDEX["prev_sent"]] > 0)))
        X[ks, INDEX["ent_any_same_sent"]] = float(
            np.any(rows[:, INDEX["same_sent_before"]] + rows[:, INDEX["same_sent_after"]] > 0)
        )
        d = rows[:, INDEX["log_tok_dist"]]
        X[ks, INDEX["ent_min_log_dist"]] = float(d.min())
        X[ks[int(np.argmin(d))], INDEX["closest_mention_of_entity"]] = 1.0
        if ent in agreeing:
            r = agreeing.index(ent)
            X[ks, INDEX["nearest_agreeing_entity"]] = float(r == 0)
            X[ks, INDEX["agreeing_entity_rank_2plus"]] = float(r >= 1)
        X[ks, INDEX["ent_main_subject_any"]] = float(rows[:, INDEX["main_subject"]].max())
        X[ks, INDEX["ent_window_count"]] = math.log1p(len(ks))
    # pronouns resolved before this one
    lo_tok = ctx.sent_bounds[max(0, sp - BACK_SENTS)][0]
    prev = sorted((i, e) for i, e in ctx.resolved.items() if lo_tok <= i < p.i)
    prev_same = [e for i, e in prev if (doc[i].lower_ in FEMININE) == fem]
    last_subj_i, last_subj_e = -1, None
    if recent_subj is not None:
        last_subj_i, last_subj_e = recent_subj.head, recent_subj.entity
    for i, e in prev:
        if role_of(doc[i]) == "subj" and i > last_subj_i:
            last_subj_i, last_subj_e = i, e
    for ks in groups.values():
        ent = cands[ks[0]].entity
        X[ks, INDEX["prev_same_pron_entity"]] = float(bool(prev_same) and prev_same[-1] is ent)
        X[ks, INDEX["log_ent_pron_window"]] = math.log1p(sum(1 for _i, e in prev if e is ent))
        X[ks, INDEX["recent_subject_with_pron"]] = float(last_subj_e is ent)
        X[ks, INDEX["ent_pron_same_sent"]] = float(any(e is ent and int(ctx.sent_of[i]) == sp for i, e in prev))
    X[:, INDEX["log_window_entities"]] = math.log1p(len(ents))
    X[:, INDEX["log_window_agreeing"]] = math.log1p(n_agree)
    return X
