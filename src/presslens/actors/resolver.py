"""Actors: the people, organisations, countries and groups an article names, one entry per real actor. It
works on a parsed spaCy ``Doc`` whose entities the gazetteer ruler and the statistical NER have set. Steps:
mend entity labels document-wide (a surname tagged ORG once is still the person named in full elsewhere;
a gazetteer name keeps its kind), merge mentions into actors (name variants, acronyms), read titles and roles
from premodifiers and appositives, link role descriptions ("the commander of the Quds Force") to the person
they describe, and resolve pronouns and descriptions on request of the quote stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.attrs import LOWER, TAG
from spacy.tokens import Doc, Span, Token

from presslens.actors.cleanup import ActorCleanup
from presslens.actors.merging import ActorMerging
from presslens.actors.model import Actor, Role, next_actor_id, norm_name
from presslens.actors.names import (
    _GROUP_NOUNS,
    _KNOWN_ORGS,
    _NAME_PARTICLES,
    first_names,
    kind_by_last_word,
    looks_like_person,
    name_suffix,
    named_as_place,
    not_a_person,
    place_start,
    without_generic_ending,
    without_suffix,
)
from presslens.actors.reference import ActorReferences, role_fit
from presslens.text.lexicon import RANKS, ROLE_NOUNS, TITLE_WORDS
from presslens.text.tokens import doc_text, token_strings

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
_STRIP_CHARS = "“”\"‘’'«» "
_POSSESSIVE = re.compile(r"(?:['’]s?|\s)+$")
_OPERATION = re.compile(r"\bOperation ((?:al-)?[A-Z][\w-]*(?: (?:al-)?[A-Z][\w-]*)*)")
_LEADING_DET = re.compile(r"^(?:the|The|THE)\s+")
_RELATIVE_WORDS = frozenset(("that", "which", "who", "whom", "whose", "where", "when"))
_PLACE_PREFIXES = frozenset(
    "New Inner Outer North South East West Northern Southern Eastern Western Upper Lower Central".split()
)


_CONTACT_WORDS = frozenset({"email", "e-mail", "follow", "contact", "photo", "credit", "courtesy"})
# Places that are also common first names ("Chad Wolf", "Jordan Munoz", "Georgia Harrison"): the first-name
# lexicon holds many place names ("Britain", "China", "Nigeria"), so this list is curated.
_PLACES_AS_FIRST_NAMES = frozenset(
    """chad jordan georgia israel austin dallas houston florence victoria virginia charlotte madison savannah sydney
    phoenix chelsea lincoln orlando denver tyler camden aurora paris india kenya""".split()
)


def _line_start_gerund(t: Token) -> bool:
    """ "Hosting Cook at Dreamforce ..." at the start of a line, where the tagger reads "Hosting" as a name: a
    capitalised word in -ing that opens its sentence and is nobody's first name ("Ling", "Sterling" are)."""
    low = t.lower_
    return t.is_sent_start and t.is_title and low.endswith("ing") and len(low) >= 6 and low not in first_names()


def clean_name(span: Span) -> tuple[int, int, str] | None:
    """Trim a mention to its name: no leading article, quotation marks, titles or trailing possessive.
    Returns token bounds ``(start, end)`` and the name text, or None when nothing is left."""
    s, e = span.start, span.end
    doc = span.doc
    while s < e and (doc[s].lower_ == "the" or doc[s].text in ("a", "an") or doc[s].text in _STRIP_CHARS
                     or doc[s].is_space):  # fmt: skip
        s += 1
    if span.label_ == "PERSON":
        while s < e - 1 and doc[s].lower_ in TITLE_WORDS:
            s += 1
    # "Hosting Cook", "Questioning Vindman", "Follow Newsbeat": a verb or a lower-case word before the name;
    # "Email Tariq Malik at ...": a contact line's word
    while e - s > 1 and (
        doc[s].tag_ in ("VBG", "VB", "VBD", "VBZ", "VBP")
        or (span.label_ == "PERSON" and doc[s].lower_ in _CONTACT_WORDS)
        or (span.label_ == "PERSON" and _line_start_gerund(doc[s]))  # not "Rolling Stone reported"
        or (
            span.label_ == "PERSON"
            and doc[s].is_lower
            and doc[s].lower_ not in _NAME_PARTICLES
            and doc[s].lower_ not in TITLE_WORDS
        )
    ):
        s += 1
    while e > s and (
        doc[e - 1].text in ("'s", "’s", "'", "’")
        or doc[e - 1].text in _STRIP_CHARS
        or doc[e - 1].is_space
        or doc[e - 1].is_punct
        or (e - s > 1 and any(ch.isdigit() for ch in doc[e - 1].text))  # "Uchiyama 6-2": a score
        or (e - s > 1 and doc[e - 1].tag_ in ("VBZ", "VBD"))  # "Khamenei Blames"
        or (e - s > 1 and doc[e - 1].lower_ in ("and", "to", "&"))  # "Sabres and", "Thibaut Courtois to"
        or (e - s > 1 and doc[e - 1].lower_ in _RELATIVE_WORDS)  # "The Associated Press that Carlineo never ..."
    ):
        e -= 1
    if e - s > 1 and doc[e - 1].lower_ in ("of", "for", "the"):
        return None  # "Diplomatic Academy of", "Government of": a name cut before its end
    if e > s and any(t.is_lower and t.pos_ in ("VERB", "AUX") for t in doc[s:e]):
        return None  # "Garrett hit Rudolph": a clause, not a name
    if e <= s or all(t.lower_ in TITLE_WORDS or t.lower_ in ROLE_NOUNS for t in doc[s:e]):
        return None  # a bare title ("Brig.") is nobody's name
    if span.label_ in ("GPE", "LOC") and s > 0 and doc[s - 1].text in _PLACE_PREFIXES and not doc[s - 1].ent_type_:
        s -= 1  # "Inner Mongolia", "New Mexico", "Northern Ireland": the tagger took only the last word
    text = doc[s:e].text
    return s, e, text


@dataclass
class Gazetteer:
    """Names and aliases of known actors, from ``data/gazetteer.json``."""

    by_name: dict[str, dict]

    @classmethod
    def from_entries(cls, entries: list[dict]) -> Gazetteer:
        by_name: dict[str, dict] = {}
        for ent in entries:
            for n in [ent["name"], *ent.get("aliases", [])]:
                by_name.setdefault(n, ent)
        return cls(by_name)

    def lookup(self, text: str) -> dict | None:
        return self.by_name.get(text) or self.by_name.get(_LEADING_DET.sub("", text))


def _kind_for(label: str, entry: dict | None) -> str:
    if entry is not None:
        return entry.get("kind", "organization")
    return {"PERSON": "person", "ORG": "organization", "GPE": "other", "NORP": "group"}.get(label, "other")


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in {"of", "the", "and", "for", "al"}]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


class ActorResolver(ActorCleanup, ActorMerging, ActorReferences):
    """Builds the actor list of one document and answers reference questions about it."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer, ignored: list[tuple[int, int]]):
        self.doc = doc
        self.text = doc_text(doc)
        self.gaz = gazetteer
        self.ignored = ignored
        self.actors: list[Actor] = []
        # token index -> actor, for every token inside a named mention
        self.token_actor: dict[int, Actor] = {}
        self._person_mentions: list[tuple[int, Actor]] = []  # (start char, actor), for recency
        self._titles: tuple[list[str], list[str]] | None = None  # names of works, read once (cleanup._work_title)

    # ----- building -----------------------------------------------------------------------------------
    def _in_ignored(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.ignored)

    def build(self) -> list[Actor]:
        doc = self.doc
        # names of military operations ("Operation al-Aqsa Storm") and wherever they recur are not actors
        op_spans = []
        text = self.text
        for name in set(_OPERATION.findall(text)):
            op_spans.extend(m.span() for m in re.finditer(re.escape(name), text))
        ents = [e for e in doc.ents if e.label_ in ACTOR_LABELS and not self._in_ignored(e.start_char)]
        person_names, memo = set(), {}
        person_firsts: set[str] = set()  # "Scooter" of "Scooter Braun", a person tagged an organisation
        surname_people: set[tuple[int, int]] = set()  # such names (token spans), judged once
        for e in ents:
            c = clean_name(e) if e.label_ in ("PERSON", "ORG") else None
            if c is None:
                continue
            if e.label_ == "ORG" and self._person_by_surname(c[0], c[1], c[2]):
                surname_people.add((c[0], c[1]))
            if self.gaz.lookup(e.text) is not None:
                continue
            if e.label_ == "PERSON" or (e.label_ == "ORG" and self._person_by_role_appositive(c[0], c[1], c[2])):
                toks = c[2].split()  # "Sediq Sediqqi, a spokesman ..." tagged ORG is a person: so is "Sediqqi"
                for k in range(len(toks)):
                    person_names.add(" ".join(toks[k:]))
            elif (c[0], c[1]) in surname_people:
                person_firsts.add(c[2].split()[0])
        headline = getattr(doc._, "presslens_headline", None) if Doc.has_extension("presslens_headline") else None
        for ent in ents:
            cleaned = clean_name(ent)
            if cleaned is None:
                continue
            s, e, text = cleaned
            if ent.label_ == "GPE" and (first := self._first_name_of(s, e)) is not None:
                s, e, text, ent = first  # "Chad Thomas", "Jordan Munoz": a first name, not the country
            entry = self.gaz.lookup(text)
            if entry is None and text.isupper() and len(text) > 3:
                entry = self.gaz.lookup(text.title())  # "BAAR, SWITZERLAND": a dateline in capitals
            label = ent.label_
            if entry is not None:
                label = "GPE" if entry.get("kind") == "country" else "ORG"
                if label == "ORG" and entry.get("kind") == "person":
                    label = "PERSON"
            elif label == "PERSON" and e - s == 1 and (thing := not_a_person(doc, ents, text, memo)) is not None:
                label = thing  # "Delhi" a place tagged a person twice, "the Moon", "the Browns"
            elif label != "PERSON" and (
                text in person_names
                and not_a_person(doc, ents, text, memo) is None
                or (label == "ORG" and looks_like_person(text.split()) and self._person_evidence(s, e, text))
                or (label == "GPE" and doc[s].text not in _PLACE_PREFIXES and looks_like_person(text.split())
                    and self._beside_a_person(s, e))  # fmt: skip
                or (label == "ORG" and self._person_by_role_appositive(s, e, text))
                or (label == "ORG" and (s, e) in surname_people)
                or (label == "ORG" and text in person_firsts and text.lower() not in _KNOWN_ORGS)
            ):
                label = "PERSON"  # a surname mis-tagged once, or "Marcelo Claure": a first name makes a person
            if entry is None and label in ("PERSON", "ORG"):  # "31, of Hope"; "San Francisco Chronicle" no person
                label = "GPE" if named_as_place(doc, s, e) else kind_by_last_word(text, label)
            if (entry is None and self._junk(s, e, text, headline, label)) or self._state_after_place(s, text):
                continue
            if entry is None and text.lower() in _KNOWN_ORGS:
                label = "ORG"  # "Twitter", "Netflix" tagged as a person or a place
            dateline = entry is None and self._dateline(s, e, text)
            if dateline and place_start(doc, s) < s:
                s = place_start(doc, s)  # "ST. JOSEPH, Mich.": the place's whole name
                text = doc[s:e].text
            if entry is None and doc[e - 1].tag_ == "NNS" and doc[e - 1].lower_ in _GROUP_NOUNS and e - s > 1:
                label = "NORP"  # "Tory MPs" tagged as one name: a group of people
            elif label in ("NORP", "ORG") and entry is None and self._group_noun(e):
                e += 1  # "Labour lawmakers", "Democratic senators": a group of people
                text = doc[s:e].text
                label = "NORP"
            elif label == "NORP" and entry is None:
                continue  # demonyms ("Israeli", "Palestinian") are not actors by themselves
            if label == "NORP" and entry is None:
                actor = self._attach(label, text, entry, doc[s:e])
                actor.kind = "group"
                for i in range(s, e):
                    self.token_actor[i] = actor
                continue
            if (
                label == "PERSON"
                and entry is None
                and (
                    (doc[e - 1].tag_ in ("NNS", "NNPS") and not self._named_person(text))
                    or (e - s == 1 and doc[s].lower_ in ROLE_NOUNS)
                )
            ):
                continue  # "Scholars", "Pell Grants": a plural is not one person
            if any(a < doc[e - 1].idx + len(doc[e - 1]) and doc[s].idx < b for a, b in op_spans) or (
                s > 0 and doc[s - 1].lower_ == "operation"
            ):
                continue  # a military operation, not an actor
            if dateline:
                label = "GPE"
            actor = self._attach(label, text, entry, doc[s:e])
            if dateline and actor.kind == "person":
                actor.kind = "other"
            for i in range(s, e):
                self.token_actor[i] = actor
            if actor.kind == "person":
                self._person_mentions.append((doc[s].idx, actor))
                self._premodifier_titles(actor, doc[s:e])
                self._appositive_role(actor, doc[s:e])
        self._acronyms()
        self._merge_variants()
        self._prefixed_variants()
        self._merge_person_variants()
        self._places_named_as_people()
        self._places_beside_places_and_demonyms()
        self._party_and_state()
        self._repeated_names()
        self._descriptions()
        return self.actors

    def _first_name_of(self, s: int, e: int) -> tuple[int, int, str, Span] | None:
        """A one-word place that is also a first name, followed by a capitalised name with no entity of its own
        ("| DL | Chad Thomas |", "Chad Wolf has been named", "Jordan Munoz 8 saves"): the person's name, as a PERSON
        span."""
        doc = self.doc
        if e - s != 1 or doc[s].lower_ not in _PLACES_AS_FIRST_NAMES or e >= len(doc):
            return None

        def name_word(t: Token) -> bool:
            return t.is_title and t.pos_ == "PROPN" and t.ent_type_ in ("", "PERSON") and not t.is_sent_start

        if not name_word(doc[e]):
            return None
        end = e + 1
        while end < len(doc) and end - s < 3 and name_word(doc[end]):
            end += 1
        span = Span(doc, s, end, label="PERSON")
        return s, end, span.text, span

    def _repeated_names(self) -> None:
        """Every other occurrence of an organisation's, group's or country's name as written ("WeWork declined to
        comment" where the entity tagger saw only some of them) is a mention of it, unless it is part of another
        name. Case and word boundaries must match."""
        doc = self.doc
        for actor in list(self.actors):
            if actor.kind not in ("organization", "group", "country"):
                continue
            names = {n for n in [actor.name, *actor.aliases] if len(n) >= 3 and any(c.isupper() for c in n)}
            for name in names:
                for m in re.finditer(r"(?<![\w@#./-])" + re.escape(name) + r"(?![\w@-]|\.\w)", self.text):
                    span = doc.char_span(m.start(), m.end())
                    if span is None or any(i in self.token_actor for i in range(span.start, span.end)):
                        continue
                    if self._in_ignored(m.start()):
                        continue  # a teaser or a caption the article's record leaves out
                    if span.start > 0 and doc[span.start - 1].is_title and not doc[span.start - 1].is_sent_start:
                        continue  # "Fast Company" is not "Company"
                    if span.end < len(doc) and doc[span.end].is_title and doc[span.end].pos_ == "PROPN":
                        continue  # "Amazon Web Services" is not Amazon
                    if span.end < len(doc) and doc[span.end].tag_ in ("NNS", "NNPS") and span.root.dep_ == "compound":
                        continue  # "Trump supporters", "Apple resellers": people of the name, who do not speak for it
                    actor.add_mention((span.start_char, span.end_char))
                    for i in range(span.start, span.end):
                        self.token_actor[i] = actor

    def _attach(self, label: str, text: str, entry: dict | None, span: Span) -> Actor:
        key_name = text
        actor = None
        if entry is not None:
            actor = next((a for a in self.actors if a.kb_id is not None and a.kb_id == entry.get("kb_id")), None)
            if actor is not None and not text.isupper() and (len(text) > len(actor.name) or actor.name.isupper()):
                actor.add_alias(actor.name)
                actor.name = text  # the fullest name the article gives, as written in its sentences
        elif label == "PERSON":
            toks = without_suffix(text.split())
            suffix = name_suffix(text.split())
            best = None
            first_name_matches = []
            for a in self.actors:
                if a.kind != "person":
                    continue
                atoks = without_suffix(a.name.split())
                if suffix and name_suffix(a.name.split()) not in ("", suffix):
                    continue  # "Jose de Venecia Jr" is not his father "Jose de Venecia III"
                if atoks[-len(toks) :] == toks or toks[-len(atoks) :] == atoks:
                    best = a  # the most recent match wins
                elif any(
                    without_suffix(al.split())[-len(toks) :] == toks for al in a.aliases if len(al.split()) >= len(toks)
                ):
                    best = a
                elif len(toks) == 1 and len(atoks) > 1 and atoks[0] == toks[0]:
                    first_name_matches.append(a)
            if best is None and len(first_name_matches) == 1:
                best = first_name_matches[0]  # "LeBron" after "LeBron James", when no one else shares the name
            actor = best
            if actor is not None and len(text.split()) > len(actor.name.split()):
                actor.add_alias(actor.name)
                actor.name = text
        else:
            norm = norm_name(text)
            actor = next(
                (
                    a
                    for a in self.actors
                    if (a.label == label or text.isupper() or a.name.isupper())  # "HANOI, Vietnam (AP)": a dateline
                    and (norm_name(a.name) == norm or norm in (norm_name(x) for x in a.aliases))
                ),
                None,
            )
            if actor is None and text.isupper() and 2 <= len(text) <= 6:
                actor = self._expansion(text)  # "says WHO" after "the World Health Organization"
            if actor is not None and actor.name.isupper() and not text.isupper():
                actor.add_alias(actor.name)
                actor.name = text
        if actor is None:
            actor = Actor(
                id=next_actor_id(self.actors),
                name=key_name,
                kind=_kind_for(label, entry),
                label=label,
                kb_id=entry.get("kb_id") if entry else None,
            )
            self.actors.append(actor)
        actor.add_alias(text)
        actor.add_mention((span.start_char, span.end_char))
        return actor

    def _premodifier_titles(self, actor: Actor, name: Span) -> None:
        """Titles and roles written before a name: "Brig. Gen.", "Iran's Foreign Minister"."""
        doc = self.doc
        i = name.start - 1
        run: list[Token] = []
        sent_start = name.sent.start
        while i >= sent_start and len(run) < 6:
            t = doc[i]
            low = t.lower_
            if t.is_space or i in self.token_actor:
                break
            if (
                run
                and t.text in ("-", "‑")
                and i - 1 >= sent_start
                and doc[i - 1].lower_ in TITLE_WORDS | ROLE_NOUNS
                and not doc[i - 1].whitespace_
                and not t.whitespace_
            ):
                run.insert(0, t)  # "Secretary-General": the whole title
                i -= 1
                continue
            if (
                low in TITLE_WORDS
                or low in ROLE_NOUNS
                or (t.is_title and t.pos_ in ("PROPN", "ADJ", "NOUN") and run and t.ent_type_ in ("", "NORP"))
                # "presidential nominee", "press secretary": lower-case modifiers of a role word
                or (run and t.pos_ in ("ADJ", "NOUN") and t.dep_ in ("amod", "compound") and t.is_lower)
            ):
                run.insert(0, t)
                i -= 1
                continue
            break
        # the run must end on a title or role word
        while run and run[-1].lower_ not in TITLE_WORDS and run[-1].lower_ not in ROLE_NOUNS:
            run.pop()
        while run and not run[0].is_alpha and run[0].lower_ not in TITLE_WORDS:
            run.pop(0)
        if not run or all(t.lower_ in ("former", "late", "acting", "interim", "then") for t in run):
            return
        title = doc[run[0].i : run[-1].i + 1].text
        actor.add_title(title)
        actor.add_alias(doc[run[0].i : name.end].text)  # the name as written with its title: "Gen. Qaani"
        if all(t.lower_ in RANKS for t in run):
            return
        org = None
        org_start = run[0].i
        j = run[0].i - 1
        if j >= sent_start and doc[j].text in ("’s", "'s", "'", "’") and (j - 1) in self.token_actor:
            org = self.token_actor[j - 1].name
            org_start = j - 1
        elif j >= sent_start and j in self.token_actor and self.token_actor[j].kind != "person":
            org = self.token_actor[j].name
            org_start = j
        while (
            org is not None
            and org_start - 1 >= sent_start
            and self.token_actor.get(org_start - 1) is (self.token_actor.get(org_start))
        ):
            org_start -= 1  # the organisation's first word: "Quds Force commander" starts at "Quds"
        k = 0
        while k < len(run) - 1 and run[k].lower_ in RANKS and not (
            run[k].lower_ == "vice" and run[k + 1].lower_ not in RANKS
        ):
            k += 1  # not "Vice" before an office: "Vice President" is a role of its own ("Vice Adm." is a rank)
        role_toks = run[k:]  # "Brig. Gen. commander" -> "commander"; "Attorney General" stays whole
        if any(t.text in ("-", "‑") for t in run):
            role_toks = run  # "Secretary-General" is one title, not a secretary of rank general
        role = doc[role_toks[0].i : role_toks[-1].i + 1].text
        actor.add_role(Role(role, org, (doc[org_start].idx, name.start_char)))

    def _org_of(self, head: Token) -> str | None:
        """The organisation in "head of/at/for X": the entity X heads, else the phrase."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "at", "for", "in", "with"):
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if not objs:
                    continue
                pobj = objs[0]
                a = self.token_actor.get(pobj.i)
                if a is not None and a.kind != "person":
                    return a.name
                sub = list(pobj.subtree)
                # extend over appositions and further of-phrases hanging off the head
                end = max([sub[-1].i] + [t.i for c in head.children if c.dep_ == "appos" for t in c.subtree])
                text = self.doc[sub[0].i : end + 1].text
                return _LEADING_DET.sub("", text).strip(" ,")
        return None

    def _appositive_role(self, actor: Actor, name: Span) -> None:
        """ "Michael Milstein, head of the ... forum"; "the Quds Force commander, Ismail Qaani"."""
        root = name.root
        cands = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "appos":
            cands.append(root.head)
        for t in cands:
            if t.lower_ not in ROLE_NOUNS or t.i in self.token_actor:
                continue
            mods = [c for c in t.lefts if c.dep_ in ("compound", "amod") and c.i not in self.token_actor]
            start = mods[0].i if mods else t.i
            role = self.doc[start : t.i + 1].text
            org = self._org_of(t)
            if org is None:
                owners = [c for c in t.lefts if c.i in self.token_actor and self.token_actor[c.i].kind != "person"]
                if owners:
                    org = self.token_actor[owners[0].i].name
            sub = list(t.subtree) if t.head.i == root.i else [self.doc[start], t]
            actor.add_role(Role(role, org, (sub[0].idx, sub[-1].idx + len(sub[-1].text))))

    def _acronyms(self) -> None:
        """Merge an acronym with the organisation it abbreviates: "Islamic Revolution Guards Corps (IRGC)"."""
        for a in [a for a in self.actors if a.kind != "person" and a.name.isupper() and 2 <= len(a.name) <= 6]:
            b = self._expansion(a.name)
            if b is not None:
                self._merge(b, a)

    def _expansion(self, acronym: str) -> Actor | None:
        """The organisation or place, named in full, whose initials *acronym* is ("IRGC", "WHO"; "PG&E" of "Pacific
        Gas & Electric Co.", a generic ending left out; "PUC" of the last words of "California Public Utilities
        Commission", three letters or more)."""
        letters = re.sub(r"[^A-Z]", "", acronym)
        for b in self.actors:
            if b.kind == "person" or b.name.isupper():
                continue
            for n in [b.name, *b.aliases]:
                core = _initials(" ".join(without_generic_ending(n.split())))
                if _initials(n) == acronym or letters == core:
                    return b
                if len(letters) >= 3 and len(core) > len(letters) and core.endswith(letters) and "&" not in acronym:
                    return b
        return None

    def _merge(self, keep: Actor, gone: Actor) -> None:
        for m in gone.mentions:
            keep.add_mention(m)
        for al in [gone.name, *gone.aliases]:
            keep.add_alias(al)
        for t in gone.titles:
            keep.add_title(t)
        for r in gone.roles:
            keep.add_role(r)
        for k, v in self.token_actor.items():
            if v is gone:
                self.token_actor[k] = keep
        self._person_mentions = [(c, keep if a is gone else a) for c, a in self._person_mentions]
        self.actors.remove(gone)

    def _descriptions(self) -> None:
        """Link "the ROLE of ORG" descriptions to the person they describe, nearest in the text."""
        doc = self.doc
        lower, tag = token_strings(doc, (LOWER, TAG))
        for i, word in enumerate(lower):
            if word not in ROLE_NOUNS or tag[i] not in ("NN", "NNP") or i in self.token_actor:
                continue
            t = doc[i]
            if self._in_ignored(t.idx):
                continue
            if not any(c.lower_ == "the" for c in t.lefts):
                continue
            org = self._org_of(t)
            if (
                org is None
                or t.dep_ == "appos"
                or any(
                    c.dep_ == "appos"
                    and self.token_actor.get(c.i) is not None
                    and self.token_actor[c.i].kind == "person"
                    for c in t.children
                )
            ):
                continue
            if not any(
                self.token_actor.get(x.i) is not None and self.token_actor[x.i].kind != "person" for x in t.subtree
            ):
                continue
            person = self._nearest_person(t.idx, t.sent, forward=True)
            # "The chairman of the Conservative Party" is not Keir Starmer, named before with no such role (but
            # "Hege is the CEO of DH", "Ivan served as the CEO of" give the subject its role)
            before = any(a is person for c, a in self._person_mentions if c < t.idx)
            guess = before and t.dep_ != "attr" and t.head.lower_ != "as"
            if person is None or (guess and not role_fit(person, (word,), True)):
                continue
            start = min(x.i for x in t.subtree)
            end = max(x.i for x in t.subtree)
            span = (doc[start].idx, doc[end].idx + len(doc[end].text))
            person.add_role(Role(t.text, org, span))
            person.add_mention(span)

    def rejects(self, start: int, end: int, label: str = "") -> bool:
        """Whether the actor layer takes ``doc[start:end]`` for junk: for later stages that add actors of their
        own (the relation stage's places), so they do not bring back a name this layer left out ("Mujahideen"
        beside "a mujahideen base"). A state after a place ("Dekalb, Ill.") is no junk: it locates the place."""
        return self._junk(start, end, self.doc[start:end].text, None, label)
